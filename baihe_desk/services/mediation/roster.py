"""调解名册 — the mediation organisations and mediators the administrator keeps (Perm.ROSTER_MANAGE).

Organisations: the 诉非联动服务站 at 长白山管委会综治中心, the 董嫂说事点, the “法院+银行” channel, grid
mediators … (:func:`install_defaults` loads the court's list from ``resources/mediation/roster-defaults.toml``).
A mediator is a login user with role MEDIATOR attached to one organisation. Nothing is deleted: an
organisation or mediator is disabled (停用), so old cases still show who mediated them; a disabled one can
no longer be assigned new cases.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baihe_desk.errors import ConflictError, ValidationError
from baihe_desk.models import Role, User
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOrganisation,
    MediationStatus,
    Mediator,
    OrganisationKind,
)
from baihe_desk.services.common import audit, validation
from baihe_desk.services.common.lookup import get_or_not_found
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.mediation.rule_files import roster_defaults

ORG_FIELDS = ["name", "kind", "location", "phone", "note", "active"]
MEDIATOR_FIELDS = ["organisation_id", "user_id", "name", "phone", "specialties", "active"]
OPEN_STATUSES = (MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS)


@dataclass(frozen=True)
class RosterChange:
    """The changed row and how many open cases it still carries (a warning when disabling)."""

    row: MediationOrganisation | Mediator
    open_cases: int = 0


def _phone(value: str) -> str:
    value = (value or "").strip()
    return validation.validate_phone(value) if value else ""


def organisations(session: Session, *, kind: OrganisationKind | str | None = None,
                  active_only: bool = True) -> list[MediationOrganisation]:
    q = select(MediationOrganisation)
    if kind is not None:
        q = q.where(MediationOrganisation.kind == OrganisationKind(kind))
    if active_only:
        q = q.where(MediationOrganisation.active.is_(True))
    return list(session.scalars(q.order_by(MediationOrganisation.sort_order, MediationOrganisation.name)))


def mediators(session: Session, organisation_id: uuid.UUID | None = None, *,
              active_only: bool = True) -> list[Mediator]:
    q = select(Mediator)
    if organisation_id is not None:
        q = q.where(Mediator.organisation_id == organisation_id)
    if active_only:
        q = q.where(Mediator.active.is_(True))
    return list(session.scalars(q.order_by(Mediator.sort_order, Mediator.name)))


def mediator_of_user(session: Session, user_id: uuid.UUID) -> Mediator | None:
    return session.scalar(select(Mediator).where(Mediator.user_id == user_id))


def add_organisation(session: Session, actor: User, name: str, kind: OrganisationKind | str, *,
                     location: str = "", phone: str = "", note: str = "") -> MediationOrganisation:
    actor = require(session, actor, Perm.ROSTER_MANAGE)
    name = (name or "").strip()
    if not name:
        raise ValidationError("调解组织名称", "请填写名称。")
    try:
        kind = OrganisationKind(kind)
    except ValueError:
        raise ValidationError("调解组织类型", "请选择类型。") from None
    if session.scalar(select(MediationOrganisation.id).where(MediationOrganisation.name == name)):
        raise ConflictError(f"名册中已有调解组织“{name}”。")
    count = session.scalar(select(func.count()).select_from(MediationOrganisation)) or 0
    org = MediationOrganisation(name=name[:100], kind=kind, location=(location or "").strip()[:200],
                                phone=_phone(phone), note=(note or "").strip(), sort_order=count)
    session.add(org)
    session.flush()
    audit.record(session, actor, "roster.add_organisation", entity="mediation_organisation", entity_id=org.id,
                 after=audit.snapshot(org, ORG_FIELDS))
    return org


def install_defaults(session: Session, actor: User) -> list[MediationOrganisation]:
    """Add the court's organisations (roster-defaults.toml) that are not on the roster yet."""
    require(session, actor, Perm.ROSTER_MANAGE)
    have = set(session.scalars(select(MediationOrganisation.name)))
    return [add_organisation(session, actor, d["name"], d["kind"], location=d["location"], note=d["note"])
            for d in roster_defaults() if d["name"] not in have]


def _open_cases(session: Session, **where) -> int:  # type: ignore[no-untyped-def]
    q = select(func.count()).select_from(MediationCase).where(MediationCase.status.in_(OPEN_STATUSES))
    for key, value in where.items():
        q = q.where(getattr(MediationCase, key) == value)
    return session.scalar(q) or 0


def _set_active(session: Session, actor: User, row: MediationOrganisation | Mediator, active: bool, *,
                fields: list[str], action: str, entity: str, open_where: dict[str, uuid.UUID]) -> RosterChange:
    """停用 / 启用 one roster row (audited, before and after), with the open cases it still carries."""
    before = audit.snapshot(row, fields)
    row.active = bool(active)
    session.flush()
    audit.record(session, actor, action, entity=entity, entity_id=row.id, before=before,
                 after=audit.snapshot(row, fields))
    return RosterChange(row, _open_cases(session, **open_where))


def set_organisation_active(session: Session, actor: User, organisation_id: uuid.UUID, active: bool) -> RosterChange:
    actor = require(session, actor, Perm.ROSTER_MANAGE)
    org = get_or_not_found(session, MediationOrganisation, organisation_id, "名册中没有该调解组织。")
    return _set_active(session, actor, org, active, fields=ORG_FIELDS, action="roster.organisation_active",
                       entity="mediation_organisation", open_where={"organisation_id": org.id})


def add_mediator(session: Session, actor: User, organisation_id: uuid.UUID, user_id: uuid.UUID, *,
                 name: str = "", phone: str = "", specialties: str = "") -> Mediator:
    """Put a login user (role 调解员) on the roster of one organisation."""
    actor = require(session, actor, Perm.ROSTER_MANAGE)
    org = session.get(MediationOrganisation, organisation_id)
    if org is None or not org.active:
        raise ValidationError("调解组织", "请选择名册中在用的调解组织。")
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError("登录账号", "请选择一个在用的用户。")
    if user.role is not Role.MEDIATOR:
        raise ValidationError("登录账号", f"{user.display_name}的角色是“{user.role.label}”，只有“调解员”角色的用户可以列入调解员名册。")
    existing = mediator_of_user(session, user.id)
    if existing is not None:
        raise ConflictError(f"{user.display_name}已在名册中（{existing.organisation.name}）。")
    count = session.scalar(select(func.count()).select_from(Mediator)
                           .where(Mediator.organisation_id == org.id)) or 0
    mediator = Mediator(organisation_id=org.id, user_id=user.id, name=((name or "").strip() or user.display_name)[:50],
                        phone=_phone(phone or user.phone), specialties=(specialties or "").strip()[:200],
                        sort_order=count)
    session.add(mediator)
    session.flush()
    audit.record(session, actor, "roster.add_mediator", entity="mediator", entity_id=mediator.id,
                 after=audit.snapshot(mediator, MEDIATOR_FIELDS))
    return mediator


def set_mediator_active(session: Session, actor: User, mediator_id: uuid.UUID, active: bool) -> RosterChange:
    actor = require(session, actor, Perm.ROSTER_MANAGE)
    mediator = get_or_not_found(session, Mediator, mediator_id, "名册中没有该调解员。")
    return _set_active(session, actor, mediator, active, fields=MEDIATOR_FIELDS, action="roster.mediator_active",
                       entity="mediator", open_where={"mediator_id": mediator.id})


# -- the roster page's data ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MediatorRow:
    id: uuid.UUID
    name: str
    username: str
    phone: str
    specialties: str
    active: bool
    open_cases: int


@dataclass(frozen=True)
class OrganisationRow:
    id: uuid.UUID
    name: str
    kind: OrganisationKind
    location: str
    phone: str
    note: str
    active: bool
    mediators: tuple[MediatorRow, ...]


@dataclass(frozen=True)
class UserOption:
    id: uuid.UUID
    username: str
    display_name: str
    phone: str


def roster_rows(session: Session) -> list[OrganisationRow]:
    """Every organisation (disabled ones too) with its mediators, for the roster page."""
    users = {u.id: u for u in session.scalars(select(User).where(User.role == Role.MEDIATOR))}
    out = []
    for org in organisations(session, active_only=False):
        rows = tuple(MediatorRow(m.id, m.name, users[m.user_id].username if m.user_id in users else "", m.phone,
                                 m.specialties, m.active, _open_cases(session, mediator_id=m.id))
                     for m in mediators(session, org.id, active_only=False))
        out.append(OrganisationRow(org.id, org.name, org.kind, org.location, org.phone, org.note, org.active, rows))
    return out


def candidate_users(session: Session) -> list[UserOption]:
    """Active users with role 调解员 who are not on the roster yet."""
    taken = set(session.scalars(select(Mediator.user_id)))
    return [UserOption(u.id, u.username, u.display_name, u.phone) for u in session.scalars(
        select(User).where(User.role == Role.MEDIATOR, User.active.is_(True)).order_by(User.username))
        if u.id not in taken]
