"""调解工作台（服务站）— what the assigned mediator records: acceptance, sessions, extensions, suspensions
and the parties' 送达地址确认书.

Only the mediator the case is assigned to may record (管理员 may act for them); the check is
:func:`services.mediation.require_assigned_mediator`, on top of ``Perm.MEDIATION_RECORD``.

- :func:`accept` — 签收: the day the mediator signs for the court's materials starts the period
  (特邀调解规定第二十七条第三款).
- :func:`add_session` — 调解记录: date, place, who attended, what was agreed or disputed.
- :func:`extend` — only with **every** party's recorded consent (name, date and how), agreed before the
  period has run out; otherwise the mediation ends on expiry (在线调解规则第二十五条第六项).
- :func:`start_suspension` / :func:`end_suspension` — 鉴定/评估 time, not counted (在线调解规则第二十六条).
- :func:`record_address_confirmation` — 送达地址确认书 filled in during mediation (在线调解规则第十七条),
  stored by ``services.filing.service_address`` on the same case, so filing later needs no retyping.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, ValidationError
from baihe_desk.models import Party, User
from baihe_desk.models.mediation import (
    MediationExtension,
    MediationSession,
    MediationStatus,
    MediationSuspension,
    SuspensionKind,
)
from baihe_desk.models.service_address import ServiceAddress
from baihe_desk.services.common import audit
from baihe_desk.services.mediation.period import period_days, refresh_due
from baihe_desk.services.mediation.referral import (
    check_date,
    get_case,
    get_record,
    require_assigned_mediator,
    snap,
    today,
)

MAX_EXTENSION_DAYS = 365  # no statutory ceiling; this only catches typing mistakes


@dataclass
class SessionInput:
    held_on: date
    attendees: str
    place: str = ""
    agreed: str = ""
    disputed: str = ""
    note: str = ""


@dataclass
class Consent:
    """One party's consent to an extension."""

    party_id: uuid.UUID
    consented_on: date
    how: str = "当面"  # 当面签字 / 电话 / 调解平台 …


def _in_progress(m, doing: str) -> None:  # type: ignore[no-untyped-def]
    if m.status is not MediationStatus.IN_PROGRESS:
        raise KnownError(f"该调解案件目前为“{m.status.label}”，不能{doing}。")


def accept(session: Session, actor: User, mediation_id: uuid.UUID, *, accepted_on: date | None = None,
           today_: date | None = None):  # type: ignore[no-untyped-def]
    """签收移交材料: the period starts (the day itself is not counted)."""
    m = get_record(session, mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    if m.status is not MediationStatus.ASSIGNED:
        raise KnownError(f"该调解案件目前为“{m.status.label}”，不能签收。")
    t = today_ or today()
    accepted_on = check_date(accepted_on or t, "签收日期", not_before=m.assigned_on, before_label="委派日期",
                             today_=t)
    before = snap(m)
    m.accepted_on, m.period_days, m.status = accepted_on, period_days(session), MediationStatus.IN_PROGRESS
    st = refresh_due(session, m, today=t)
    session.flush()
    audit.record(session, actor, "mediation.accept", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "steps": list(st.steps)})
    return m


def add_session(session: Session, actor: User, mediation_id: uuid.UUID, data: SessionInput, *,
                today_: date | None = None) -> MediationSession:
    m = get_record(session, mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    _in_progress(m, "记录调解")
    t = today_ or today()
    held_on = check_date(data.held_on, "调解日期", not_before=m.accepted_on, before_label="签收日期", today_=t)
    attendees = (data.attendees or "").strip()
    if not attendees:
        raise ValidationError("到场人员", "请写明到场的当事人、代理人和调解员。")
    if not (data.agreed or "").strip() and not (data.disputed or "").strip():
        raise ValidationError("调解情况", "请至少写明达成一致的事项或争议事项之一。")
    row = MediationSession(mediation_id=m.id, held_on=held_on, place=(data.place or "").strip()[:200],
                           attendees=attendees, agreed=(data.agreed or "").strip(),
                           disputed=(data.disputed or "").strip(), note=(data.note or "").strip(),
                           recorded_by_id=actor.id)
    m.sessions.append(row)
    session.flush()
    audit.record(session, actor, "mediation.session", entity="mediation_case", entity_id=m.id,
                 after=audit.snapshot(row, ["held_on", "place", "attendees", "agreed", "disputed", "note"]))
    return row


def extend(session: Session, actor: User, mediation_id: uuid.UUID, days: int, consents: list[Consent], *,
           agreed_on: date | None = None, reason: str = "", today_: date | None = None) -> MediationExtension:
    """延长调解期限 by ``days``: every party of the case must have consented (each consent recorded)."""
    m = get_record(session, mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    _in_progress(m, "延长调解期限")
    t = today_ or today()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError("延长天数", f"应为 1 至 {MAX_EXTENSION_DAYS} 之间的整数。")
    agreed_on = check_date(agreed_on or t, "同意延长的日期", not_before=m.accepted_on, before_label="签收日期", today_=t)
    current = refresh_due(session, m, today=t)
    if current.due is not None and agreed_on > current.due and not current.suspended_now:
        raise KnownError(f"调解期限已于 {current.due.isoformat()} 届满，届满前各方当事人未同意延长，调解应当终结"
                         "（《人民法院在线调解规则》第二十五条第六项）。请登记“调解期限届满”并转入立案。")
    case = get_case(session, m.case_id)
    given = {c.party_id: c for c in consents}
    missing = [p for p in case.parties if p.id not in given]
    if missing:
        names = "、".join(f"{p.role.label}{p.name}" for p in missing)
        raise ValidationError("当事人同意", f"延长调解期限须经各方当事人同意，尚未记录{names}的同意。")
    unknown = set(given) - {p.id for p in case.parties}
    if unknown:
        raise ValidationError("当事人同意", "所记录的同意中有不属于本案的当事人。")
    records = []
    for p in case.parties:
        c = given[p.id]
        check_date(c.consented_on, f"{p.name}同意的日期", not_before=m.accepted_on, before_label="签收日期", today_=t)
        if c.consented_on > agreed_on:
            raise ValidationError(f"{p.name}同意的日期", "不能晚于延长决定的日期。")
        records.append({"party_id": str(p.id), "name": p.name, "role": p.role.value,
                        "consented_on": c.consented_on.isoformat(), "how": (c.how or "").strip()[:40]})
    before = snap(m)
    row = MediationExtension(mediation_id=m.id, days=days, agreed_on=agreed_on, reason=(reason or "").strip(),
                             consents=records, recorded_by_id=actor.id)
    m.extensions.append(row)
    session.flush()
    st = refresh_due(session, m, today=t)
    session.flush()
    audit.record(session, actor, "mediation.extend", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "days": days, "consents": records, "steps": list(st.steps)})
    return row


def start_suspension(session: Session, actor: User, mediation_id: uuid.UUID, kind: SuspensionKind | str,
                     started_on: date, *, institution: str = "", note: str = "",
                     today_: date | None = None) -> MediationSuspension:
    """诉前委托鉴定/评估 begins: the days until its opinion arrives are not counted."""
    m = get_record(session, mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    _in_progress(m, "登记鉴定评估")
    t = today_ or today()
    try:
        kind = SuspensionKind(kind)
    except ValueError:
        raise ValidationError("类别", "请选择鉴定或评估。") from None
    started_on = check_date(started_on, "委托鉴定评估日期", not_before=m.accepted_on, before_label="签收日期", today_=t)
    if any(s.ended_on is None for s in m.suspensions):
        raise KnownError("已有尚未结束的鉴定、评估，请先登记其结束日期。")
    current = refresh_due(session, m, today=t)
    if current.due is not None and started_on > current.due:
        raise KnownError(f"调解期限已于 {current.due.isoformat()} 届满，不能再登记鉴定评估暂停。")
    before = snap(m)
    row = MediationSuspension(mediation_id=m.id, kind=kind, started_on=started_on,
                              institution=(institution or "").strip()[:200], note=(note or "").strip(),
                              recorded_by_id=actor.id)
    m.suspensions.append(row)
    session.flush()
    refresh_due(session, m, today=t)
    audit.record(session, actor, "mediation.suspend", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "kind": kind, "started_on": started_on, "institution": row.institution})
    return row


def end_suspension(session: Session, actor: User, suspension_id: uuid.UUID, ended_on: date, *,
                   today_: date | None = None) -> MediationSuspension:
    row = session.get(MediationSuspension, suspension_id)
    if row is None:
        raise NotFound("没有找到该鉴定评估记录。")
    m = get_record(session, row.mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    _in_progress(m, "登记鉴定评估结束")
    t = today_ or today()
    if row.ended_on is not None:
        raise KnownError(f"该鉴定评估已于 {row.ended_on.isoformat()} 登记结束。")
    row.ended_on = check_date(ended_on, "收到鉴定评估意见日期", not_before=row.started_on,
                              before_label="委托日期", today_=t)
    before = snap(m)
    session.flush()
    st = refresh_due(session, m, today=t)
    session.flush()
    audit.record(session, actor, "mediation.resume", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "ended_on": row.ended_on, "steps": list(st.steps)})
    return row


def record_address_confirmation(session: Session, actor: User, mediation_id: uuid.UUID, party_id: uuid.UUID,
                                data) -> ServiceAddress:  # type: ignore[no-untyped-def]
    """送达地址确认书 signed during mediation (``data``: ``service_address.ConfirmationInput``)."""
    from baihe_desk.services.filing import service_address

    m = get_record(session, mediation_id)
    actor = require_assigned_mediator(session, actor, m)
    if m.status not in (MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS):
        raise KnownError(f"该调解案件目前为“{m.status.label}”，不能登记送达地址确认书。")
    party = session.get(Party, party_id)
    if party is None or party.case_id != m.case_id:
        raise ValidationError("当事人", "请选择本案的当事人。")
    return service_address.record_confirmation(session, actor, party, data)
