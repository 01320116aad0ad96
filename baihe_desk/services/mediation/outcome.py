"""调解结果 — each outcome of a pre-litigation mediation is one audited step.

Agreement (调解成功; only the assigned mediator records it, with the agreement's main content):

- **司法确认** — both parties apply jointly within 30 days of the agreement taking effect (民事诉讼法第二百零五条);
  the application gets a **诉前调确** number (since 2022-01-01) and costs nothing: 确认调解协议 is a
  特别程序 case (《诉讼费用交纳办法》第八条第一项). Refused where the agreement concerns 身份关系 or
  物权/知识产权确权 (民诉法解释第三百五十五条, rules data ``[[caution]] no_confirmation``).
- **调解书** — the court issues a 民事调解书 under a **诉前调书** number; the 案件受理费 is halved
  (《诉讼费用交纳办法》第十五条), computed by :func:`services.filing.fees.calculate_fee` with ``mediated=True`` and
  shown step by step.
- **自行履行** — the parties perform the agreement themselves (no number, no fee).

The Case is then closed (stage CLOSED) and keeps its 民诉前调 number; the 诉前调确 / 诉前调书 number is
on the mediation record (``outcome_number``).

No agreement — 调解不成, 撤回, 无法联系, 拒绝继续, 期限届满 (在线调解规则第二十五条; 特邀调解规定第二十六条):
the undisputed facts are recorded (在线调解规则第二十二条) and the case is **filed at once**
(特邀调解规定第二十一条; 在线调解规则第二十一条第二项): the same Case row gets its 民初 number in
``Case.case_number`` (replacing the 民诉前调 number there) and goes to stage FILED, so its parties,
verified addresses and 送达地址确认书 carry over without retyping. The mediation record keeps its 民诉前调
number. Besides the assigned mediator, the filing
window (MEDIATION_ASSIGN) may record these outcomes — e.g. when the party comes back to the window, or
when the period has expired.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import Case, PartyRole, Stage, User, utcnow
from baihe_desk.models.mediation import AGREEMENTS, MediationCase, MediationOutcome, MediationStatus
from baihe_desk.models.service_address import ServiceAddress, VerificationResult
from baihe_desk.services.common import audit
from baihe_desk.services.common.permissions import Perm, allowed, require
from baihe_desk.services.deadlines.periods import Deadline, add_days
from baihe_desk.services.exchange.offline import DEFERRED_NOTE, is_borrowed
from baihe_desk.services.filing import fees
from baihe_desk.services.filing.complaint_review import setting
from baihe_desk.services.mediation.period import holiday_table, refresh_due
from baihe_desk.services.mediation.referral import (
    check_date,
    get_case,
    get_record,
    is_filed,
    new_number,
    require_assigned_mediator,
    snap,
    today,
)
from baihe_desk.services.mediation.rules import covers, suggest_for_case

CONFIRMATION_TYPE, DOCUMENT_TYPE, FILING_TYPE = "诉前调确", "诉前调书", "民初"
FEE_SETTING = "fees.overrides"
FREE_BASIS = "《诉讼费用交纳办法》第八条第一项：依照民事诉讼法规定的特别程序审理的案件（确认调解协议案件）不交纳案件受理费"
CPL_205 = "《中华人民共和国民事诉讼法》第二百零五条：双方当事人自调解协议生效之日起三十日内，共同向人民法院申请司法确认"
LABOUR_CAUSES = ("7.19", "7.21")


@dataclass
class OutcomeInput:
    outcome: MediationOutcome
    on: date  # 协议达成 / 调解终结之日
    agreement_text: str = ""  # 调解协议主要内容
    undisputed_facts: str = ""  # 无争议事实（调解不成时）
    note: str = ""  # 调解不成的原因、导致诉讼成本增加的行为 …
    joint_application: bool = False  # 司法确认：双方当事人共同申请
    fee_amount: Decimal | None = None  # 调解书：诉讼请求金额 (default: the case's 标的额)


@dataclass
class CarryOver:
    """What the filed case already has from the mediation stage (the same rows, nothing retyped)."""

    parties: list[str] = field(default_factory=list)  # 原告 王某 …
    verified_addresses: int = 0  # service addresses with a 地址属实 verification
    confirmations: list[str] = field(default_factory=list)  # parties with a signed 送达地址确认书


@dataclass
class OutcomeResult:
    mediation: MediationCase
    number: str | None = None  # 诉前调确 / 诉前调书 / 民初 number given by this step
    fee: fees.FeeResult | None = None
    confirmation_deadline: Deadline | None = None
    carried: CarryOver | None = None
    warnings: list[str] = field(default_factory=list)


def fee_kind_for(case: Case) -> str:
    """The fee schedule a 调解书 of this case falls under (诉讼费用交纳办法第十三条)."""
    from baihe_desk.services.mediation.rules import cause_code_of

    code = cause_code_of(case)
    if any(covers(c, code) for c in LABOUR_CAUSES):
        return "labor"
    if covers("2.2.14", code):
        return "divorce"
    if covers("1.1", code):
        return "personality"
    return "property" if case.claim_amount is not None else "other_nonproperty"


def mediation_document_fee(session: Session | None, case: Case, amount: Decimal | None = None) -> fees.FeeResult:
    """The halved 案件受理费 of a 诉前调书 (民事调解书) for ``case``, with its reasoning."""
    kind = fee_kind_for(case)
    amount = amount if amount is not None else case.claim_amount
    if kind == "property" and amount is None:
        raise ValidationError("标的额", "出具调解书须按诉讼请求金额计算案件受理费，请先填写标的额。")
    schedule = fees.load_fee_schedule().schedules[kind]
    value = None if schedule.amount in ("forbidden", "ignored") else amount
    overrides = setting(session, FEE_SETTING, None) if session is not None else None
    return fees.calculate_fee(kind, value, mediated=True, overrides=overrides)


def _permission(session: Session, actor: User, m: MediationCase, outcome: MediationOutcome) -> User:
    if outcome in AGREEMENTS or allowed(actor, Perm.MEDIATION_RECORD):
        return require_assigned_mediator(session, actor, m)
    return require(session, actor, Perm.MEDIATION_ASSIGN)


def carry_over(session: Session, case: Case) -> CarryOver:
    out = CarryOver(parties=[f"{p.role.label} {p.name}" for p in case.parties])
    rows = list(session.scalars(select(ServiceAddress).where(ServiceAddress.case_id == case.id,
                                                             ServiceAddress.active.is_(True))))
    out.verified_addresses = sum(1 for a in rows if any(v.result is VerificationResult.CONFIRMED
                                                        for v in a.verifications))
    names = {p.id: p.name for p in case.parties}
    out.confirmations = sorted({names.get(a.party_id, "") for a in rows if a.confirmation_signed} - {""})
    return out


def file_case(session: Session, case: Case, filed_on: date, result: OutcomeResult) -> None:
    """登记立案 at once: the 民初 number in Case.case_number, stage FILED (the same row: parties carry over)."""
    from baihe_desk.services.filing.service_address import address_risks

    if is_filed(case):
        result.warnings.append(f"本案已有案号 {case.case_number}，未重新编号。")
    else:  # a 民诉前调 number (or none) is replaced by the 民初 number; the mediation record keeps its own
        number = new_number(session, FILING_TYPE, filed_on.year)
        case.case_number, case.number_year, case.number_type, case.number_serial = (
            number.format(), number.year, FILING_TYPE, number.serial)
        result.number = number.format()
    case.filed_on = case.filed_on or filed_on
    case.stage = Stage.FILED
    session.flush()
    result.carried = carry_over(session, case)
    risks = address_risks(case)
    if risks.flagged:
        result.warnings.extend(risks.messages())


def record_outcome(session: Session, actor: User, mediation_id: uuid.UUID, data: OutcomeInput, *,
                   today_: date | None = None) -> OutcomeResult:
    """Record the outcome (see the module docstring); returns the new number, fee and carry-over."""
    m = get_record(session, mediation_id)
    try:
        outcome = MediationOutcome(data.outcome)
    except ValueError:
        raise ValidationError("调解结果", "请选择调解结果。") from None
    actor = _permission(session, actor, m, outcome)
    t = today_ or today()
    agreement = outcome in AGREEMENTS
    allowed_now = (MediationStatus.IN_PROGRESS,) if agreement else (
        MediationStatus.AWAITING_ASSIGNMENT, MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS)
    if m.status not in allowed_now:
        raise KnownError(f"该调解案件目前为“{m.status.label}”，不能登记“{outcome.label}”。")
    start, start_label = (m.accepted_on, "签收日期") if m.accepted_on else (m.opened_on, "当事人同意调解的日期")
    on = check_date(data.on, "结果日期", not_before=start, before_label=start_label, today_=t)
    case = get_case(session, m.case_id)
    period = refresh_due(session, m, today=t) if m.accepted_on else None
    result = OutcomeResult(mediation=m)
    text, facts, note = (data.agreement_text or "").strip(), (data.undisputed_facts or "").strip(), (data.note or "").strip()
    if agreement and not text:
        raise ValidationError("调解协议内容", "请写明调解协议的主要内容。")
    if not agreement and not facts:
        raise ValidationError("无争议事实", "调解不成的，应记录当事人无争议的事实（在线调解规则第二十二条）；没有的，请填写“无”。")
    if outcome is MediationOutcome.EXPIRED:
        if period is None or period.due is None:
            raise KnownError("调解员尚未签收，调解期限没有开始计算，不能以“期限届满”终结。")
        if period.suspended_now:
            raise KnownError("鉴定、评估尚未结束，期间不计入调解期限，调解期限尚未届满。")
        if on <= period.due:
            raise ValidationError("结果日期", f"调解期限 {period.due.isoformat()} 届满，期限届满后方可以“期限届满”终结。")
    if agreement and period is not None and period.due is not None and on > period.due:
        result.warnings.append(f"协议达成日期晚于调解期限届满日 {period.due.isoformat()}，请确认各方当事人曾同意延长。")
    fee = None
    if outcome is MediationOutcome.CONFIRMATION:
        sug = suggest_for_case(session, case)
        if sug.no_confirmation:
            raise KnownError("本案调解协议不能申请司法确认：" + "；".join(sug.no_confirmation) + "。可以请求出具调解书。")
        if not data.joint_application:
            raise ValidationError("共同申请", "司法确认须由双方当事人共同申请（民事诉讼法第二百零五条），请确认双方均已申请。")
    elif outcome is MediationOutcome.MEDIATION_DOCUMENT:
        fee = mediation_document_fee(session, case, data.fee_amount)
    before = {**snap(m), "stage": case.stage, "case_number": case.case_number}
    m.outcome, m.outcome_on, m.outcome_by_id = outcome, on, actor.id
    m.agreement_text, m.undisputed_facts, m.outcome_note = text, facts, note
    number = None
    deferred = is_borrowed(session, case.id)  # an offline copy: the court numbers and files at check-in
    if deferred:
        result.warnings.append(DEFERRED_NOTE)
    if outcome is MediationOutcome.CONFIRMATION:
        result.confirmation_deadline = add_days(on, 30, table=holiday_table(session), label="申请司法确认",
                                                basis=CPL_205)
        number = None if deferred else new_number(session, CONFIRMATION_TYPE, on.year)
        m.fee_kind, m.fee_full, m.fee_total, m.fee_steps = "confirmation", Decimal("0"), Decimal("0"), [FREE_BASIS]
    elif fee is not None:
        result.fee = fee
        number = None if deferred else new_number(session, DOCUMENT_TYPE, on.year)
        m.fee_kind, m.fee_full, m.fee_total = fee.kind, fee.full_fee, fee.total
        m.fee_steps = [f"{s.text}（{s.basis}）" for s in fee.steps] + [f"注意：{w}" for w in fee.warnings]
    if number is not None:
        m.outcome_number, m.outcome_number_type = number.format(), number.type_code
        result.number = number.format()
    m.closed_at = utcnow()
    if agreement:
        m.status = MediationStatus.SUCCEEDED
        case.stage, case.closed_on = Stage.CLOSED, on
    else:
        m.status = MediationStatus.ENDED
        if not deferred:
            file_case(session, case, t, result)
            m.filed_case_number, m.filed_on = case.case_number, case.filed_on
    session.flush()
    audit.record(session, actor, "mediation.outcome", entity="mediation_case", entity_id=m.id, before=before,
                 after={**snap(m), "stage": case.stage, "case_number": case.case_number,
                        "fee_steps": m.fee_steps, "carried": result.carried.__dict__ if result.carried else None,
                        "warnings": result.warnings})
    return result


def plaintiffs(case: Case) -> str:
    return "、".join(p.name for p in case.parties if p.role is PartyRole.PLAINTIFF)
