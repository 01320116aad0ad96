"""诉前调解（窗口）— the filing window's part of pre-litigation mediation (委派调解).

1. :func:`recommend` — the clerk sees the suggestion of :mod:`services.mediation.rules` with its reason
   and either follows it or overrides it with a reason (a 不得调解 case can never be referred,
   民诉法解释第一百四十三条).
2. :func:`hand_out_notice` — the 诉前调解告知书 is generated from the case (``services.documents.generate``,
   KIND ``mediation-notice``) and handed to the party.
3. :func:`record_choice` — the party's answer on the 回执 (同意 / 不同意) and the signature date.
   同意 opens the mediation case with a 民诉前调 number (stage PRE_MEDIATION; the number goes on the
   mediation record and, until filing, in ``Case.case_number`` — see :mod:`models.mediation`). 不同意 sends the case back
   to filing at once (stage RECEIVED): nothing is asked of the party, the filing period keeps running
   from the day the complaint was received (民事诉讼法第一百二十五条“当事人拒绝调解的除外”、第一百二十六条).
4. :func:`assign` — an organisation and mediator from the roster (the period starts only when the
   mediator signs for the materials, see :mod:`services.mediation.station`).

Every step checks its permission first and writes one audit record. Helpers shared by the station
and outcome services (the named-mediator check, new numbers) live here too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import ConflictError, KnownError, PermissionDenied, ValidationError
from baihe_desk.models import Case, GeneratedDocument, PartyRole, Role, Stage, User, utcnow
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOrganisation,
    MediationStatus,
    Mediator,
    PartyChoice,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.case_numbers import CaseNumber
from baihe_desk.services.common.lookup import get_case, get_or_not_found
from baihe_desk.services.common.numbering import court_code_of, next_serial
from baihe_desk.services.common.permissions import Perm, allowed, require
from baihe_desk.services.mediation.rules import EXCLUDE, SUGGEST, suggest_for_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE_KIND = "mediation-notice"
MEDIATION_TYPE = "民诉前调"
WINDOW_STAGES = (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION)
OPEN = tuple(s for s in MediationStatus if not s.closed)
FIELDS = ["case_id", "status", "suggestion", "suggestion_rule", "suggested_channel", "rules_version", "refer",
          "overridden", "override_reason", "notice_given_on", "notice_document_id", "choice", "choice_signed_on",
          "choice_party_name", "mediation_number", "opened_on", "organisation_id", "mediator_id", "assigned_on",
          "accepted_on", "period_days", "due_on", "outcome", "outcome_on", "outcome_number", "fee_total",
          "filed_case_number", "filed_on"]


def today() -> date:
    """Today in Asia/Shanghai (the court's day, whatever the workstation's clock zone)."""
    return datetime.now(SHANGHAI).date()


def snap(m: MediationCase) -> dict[str, Any]:
    return audit.snapshot(m, FIELDS)


# -- lookups ------------------------------------------------------------------------------------------------

def get_record(session: Session, mediation_id: uuid.UUID) -> MediationCase:
    return get_or_not_found(session, MediationCase, mediation_id, "没有找到该诉前调解记录。")


def open_record(session: Session, case_id: uuid.UUID) -> MediationCase | None:
    """The case's mediation record that is not closed yet, if any."""
    return session.scalars(select(MediationCase).where(MediationCase.case_id == case_id,
                                                       MediationCase.status.in_(OPEN))
                           .order_by(MediationCase.created_at.desc())).first()


def latest_record(session: Session, case_id: uuid.UUID) -> MediationCase | None:
    return session.scalars(select(MediationCase).where(MediationCase.case_id == case_id)
                           .order_by(MediationCase.created_at.desc())).first()


def is_filed(case: Case) -> bool:
    """Whether the case holds a litigation 案号 (anything but a 民诉前调 number)."""
    return bool(case.case_number) and case.number_type != MEDIATION_TYPE


def _expect(m: MediationCase, *statuses: MediationStatus, doing: str) -> None:
    if m.status not in statuses:
        raise KnownError(f"该调解案件目前为“{m.status.label}”，不能{doing}。")


def require_assigned_mediator(session: Session, actor: User | None, m: MediationCase) -> User:
    """MEDIATION_RECORD, and the actor must be the mediator the case is assigned to (管理员 may act for them)."""
    actor = require(session, actor, Perm.MEDIATION_RECORD)
    if actor.role is Role.ADMIN:
        return actor
    if m.mediator is None or m.mediator.user_id != actor.id:
        audit.record(session, actor, "permission.denied", entity="mediation_case", entity_id=m.id,
                     after={"permission": Perm.MEDIATION_RECORD.value, "reason": "not the assigned mediator"})
        session.commit()
        raise PermissionDenied("该调解案件没有委派给您，只有承办的调解员可以记录。")
    return actor


def may_act_for_mediator(actor: User | None) -> bool:
    return allowed(actor, Perm.MEDIATION_RECORD)


def new_number(session: Session, type_code: str, year: int) -> CaseNumber:
    """The next number of ``type_code`` (民诉前调, 诉前调确, 诉前调书, 民初) in the caller's transaction.

    The steps that number a case here are permission-checked by their own services (a mediator may not
    hold CASE_NUMBER_ASSIGN), so this draws from the shared gap-free counter directly.
    """
    court_code = court_code_of(session)
    serial = next_serial(session, court_code=court_code, year=year, type_code=type_code)
    return CaseNumber(year=year, court_code=court_code, type_code=type_code, serial=serial)


def _check_date(value: date | None, field: str, *, not_before: date | None = None, before_label: str = "",
                today_: date | None = None) -> date:
    if not isinstance(value, date):
        raise ValidationError(field, "请填写日期。")
    if value > (today_ or today()):
        raise ValidationError(field, "不能晚于今天。")
    if not_before is not None and value < not_before:
        raise ValidationError(field, f"不能早于{before_label}（{not_before.isoformat()}）。")
    return value


check_date = _check_date


# -- 1. recommendation ---------------------------------------------------------------------------------------

def recommend(session: Session, actor: User, case_id: uuid.UUID, *, refer: bool | None = None,
              override_reason: str = "", on: date | None = None) -> MediationCase:
    """Record the window's recommendation: follow the suggestion (``refer=None``) or override it with a reason."""
    actor = require(session, actor, Perm.MEDIATION_REFER)
    case = get_case(session, case_id)
    if case.stage not in WINDOW_STAGES or is_filed(case):
        raise KnownError(f"案件目前为“{case.stage.label}”，诉前调解只在登记立案之前引导。")
    existing = open_record(session, case.id)
    if existing is not None and existing.status not in (MediationStatus.SUGGESTED, MediationStatus.NOTICE_GIVEN):
        raise ConflictError(f"本案已有诉前调解记录（{existing.status.label}），不能重新作出建议。")
    sug = suggest_for_case(session, case)
    default = sug.kind == SUGGEST
    refer = default if refer is None else bool(refer)
    if refer and sug.kind == EXCLUDE:
        raise KnownError(f"本案不得调解：{sug.reason}（{'；'.join(sug.basis)}）")
    overridden = refer != default
    reason = (override_reason or "").strip()
    if overridden and not reason:
        raise ValidationError("改变建议的理由", "窗口意见与系统建议不同，请写明理由（例如：双方当事人均表示愿意调解）。")
    on = _check_date(on or today(), "建议日期")
    m = existing or MediationCase(case_id=case.id)
    before = snap(m) if existing else None
    m.suggestion, m.suggestion_rule, m.suggestion_reason = sug.kind, sug.rule_id, sug.reason
    m.suggested_channel, m.rules_version = sug.channel, sug.rules_version
    m.refer, m.overridden, m.override_reason = refer, overridden, reason if overridden else ""
    m.recommended_by_id, m.recommended_on = actor.id, on
    if refer:
        m.status = m.status if existing and m.status is MediationStatus.NOTICE_GIVEN else MediationStatus.SUGGESTED
    else:
        m.status, m.closed_at = MediationStatus.NOT_REFERRED, utcnow()
    session.add(m)
    session.flush()
    audit.record(session, actor, "mediation.recommend", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "suggestion_label": sug.label, "basis": list(sug.basis)})
    return m


# -- 2. the 诉前调解告知书 ------------------------------------------------------------------------------------

def notice_options(session: Session, m: MediationCase | None) -> dict[str, Any]:
    """Options for the notice from the mediation record: the assigned organisation, mediator and phone.

    Empty before an organisation is assigned. The notice's own ``values`` reads the same record, so
    ``baihe-desk render mediation-notice`` says exactly what the window hands out.
    """
    from baihe_desk.services.mediation.notice import assigned_contact

    return assigned_contact(session, m.case_id) if m is not None else {}


def hand_out_notice(session: Session, actor: User, mediation_id: uuid.UUID, *, paths: Paths,
                    given_on: date | None = None) -> list[GeneratedDocument]:
    """Generate the 诉前调解告知书 (PDF and Word, a new version) and record that it was handed out."""
    from baihe_desk.services.common import documents

    actor = require(session, actor, Perm.MEDIATION_REFER)
    m = get_record(session, mediation_id)
    _expect(m, MediationStatus.SUGGESTED, MediationStatus.NOTICE_GIVEN, MediationStatus.AWAITING_ASSIGNMENT,
            MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS, doing="发放告知书")
    given_on = _check_date(given_on or today(), "发放日期", not_before=m.recommended_on, before_label="建议日期")
    records = documents.generate(session, actor, NOTICE_KIND, m.case_id, ("pdf", "docx"), paths=paths,
                                 options=notice_options(session, m))
    before = snap(m)
    pdf = next((r for r in records if r.format == "pdf"), records[0])
    m.notice_document_id = pdf.id
    if m.status is MediationStatus.SUGGESTED:
        m.status = MediationStatus.NOTICE_GIVEN
    if m.notice_given_on is None or m.status is MediationStatus.NOTICE_GIVEN:
        m.notice_given_on = given_on
    session.flush()
    audit.record(session, actor, "mediation.notice", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "document_version": pdf.version, "template_version": pdf.template_version})
    return records


# -- 3. the party's choice ------------------------------------------------------------------------------------

def record_choice(session: Session, actor: User, mediation_id: uuid.UUID, choice: PartyChoice | str,
                  signed_on: date, *, party_name: str = "") -> MediationCase:
    """同意 → the mediation case (民诉前调 number, stage PRE_MEDIATION); 不同意 → back to filing (RECEIVED)."""
    actor = require(session, actor, Perm.MEDIATION_REFER)
    m = get_record(session, mediation_id)
    _expect(m, MediationStatus.NOTICE_GIVEN, doing="登记当事人意见（请先发放告知书）")
    try:
        choice = PartyChoice(choice)
    except ValueError:
        raise ValidationError("当事人意见", "请选择“同意”或“不同意”。") from None
    signed_on = _check_date(signed_on, "签名日期", not_before=m.notice_given_on, before_label="告知书发放日期")
    case = get_case(session, m.case_id)
    before = {**snap(m), "stage": case.stage, "case_number": case.case_number}
    m.choice, m.choice_signed_on, m.choice_recorded_by_id = choice, signed_on, actor.id
    m.choice_party_name = (party_name or "").strip()[:200] or "、".join(
        p.name for p in case.parties if p.role is PartyRole.PLAINTIFF)
    if choice is PartyChoice.AGREE:
        if case.case_number and case.number_type == MEDIATION_TYPE:  # numbered earlier (imported / demo data)
            m.mediation_number, m.number_year, m.number_serial = case.case_number, case.number_year, case.number_serial
        else:
            number = new_number(session, MEDIATION_TYPE, signed_on.year)
            m.mediation_number, m.number_year, m.number_serial = number.format(), number.year, number.serial
            case.case_number, case.number_year, case.number_type, case.number_serial = (
                number.format(), number.year, MEDIATION_TYPE, number.serial)
        m.opened_on = signed_on
        m.status = MediationStatus.AWAITING_ASSIGNMENT
        case.stage = Stage.PRE_MEDIATION
    else:
        m.status, m.closed_at = MediationStatus.DECLINED, utcnow()
        if case.stage is Stage.PRE_MEDIATION:
            case.stage = Stage.RECEIVED
    session.flush()
    audit.record(session, actor, "mediation.choice", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "stage": case.stage, "case_number": case.case_number})
    return m


# -- 4. assignment -----------------------------------------------------------------------------------------------

def assign(session: Session, actor: User, mediation_id: uuid.UUID, organisation_id: uuid.UUID,
           mediator_id: uuid.UUID, *, on: date | None = None) -> MediationCase:
    """委派 to an organisation and one of its mediators (again before or during mediation: a 回避 or a change
    of mediator keeps the period running from the first acceptance, so the party loses no time)."""
    actor = require(session, actor, Perm.MEDIATION_ASSIGN)
    m = get_record(session, mediation_id)
    _expect(m, MediationStatus.AWAITING_ASSIGNMENT, MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS,
            doing="委派调解")
    org = session.get(MediationOrganisation, organisation_id)
    if org is None or not org.active:
        raise ValidationError("调解组织", "请从名册中选择一个在用的调解组织。")
    mediator = session.get(Mediator, mediator_id)
    if mediator is None or not mediator.active or mediator.organisation_id != org.id:
        raise ValidationError("调解员", f"请选择“{org.name}”名册中在用的调解员。")
    user = session.get(User, mediator.user_id)
    if user is None or not user.active or user.role is not Role.MEDIATOR:
        raise ValidationError("调解员", f"{mediator.name}的登录账号已停用或不是调解员角色，请管理员核对名册。")
    on = _check_date(on or today(), "委派日期", not_before=m.opened_on, before_label="当事人同意调解的日期")
    before = snap(m)
    m.organisation_id, m.mediator_id, m.assigned_by_id = org.id, mediator.id, actor.id
    m.organisation, m.mediator = org, mediator
    if m.status is not MediationStatus.IN_PROGRESS:
        m.assigned_on = on
        m.status = MediationStatus.ASSIGNED
    session.flush()
    audit.record(session, actor, "mediation.assign", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "organisation": org.name, "mediator": mediator.name})
    return m
