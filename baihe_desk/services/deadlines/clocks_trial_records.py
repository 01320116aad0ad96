"""延长审限与扣除审限的登记 — recording (never silently) the extensions and the periods not counted.

Every record names who approved it, on what basis, when and for how long; it is audited with the trial
limit before and after. A wrong record is voided with a reason (the row stays, the audit trail says who
voided it and why). What the law does not allow is refused with the article:

- the 院长 may add at most 1 month to a 小额诉讼 (民事诉讼法第一百六十八条) or 简易程序 case (第一百六十四条;
  民诉法解释第二百五十八条: 4 months in all), and 6 months to a 普通程序 case (第一百五十二条);
- only an ordinary-procedure case may be extended further, by the higher court, once the 院长's 6 months
  are used (第一百五十二条: 还需要延长的，报请上级人民法院批准).

An extension approved after the limit had run out is recorded (the paper approval exists) but the result
and the audit record say so.

Permission: ``Perm.TRIAL_LIMIT_RECORD`` when the permission table has it; until then the roles of the
trial departments and the leaders (承办法官 — only for their own cases —, 法官助理, 书记员, 庭长, 分管院长,
管理员), checked and audited here like ``permissions.require``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, PermissionDenied, ValidationError
from baihe_desk.models import Case, Role, User, utcnow
from baihe_desk.models.clock import ApproverLevel, SuspensionKind, TrialLimitExtension, TrialLimitSuspension
from baihe_desk.services.common import audit
from baihe_desk.services.common.lookup import get_case
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines.clocks import holiday_table, today_local
from baihe_desk.services.deadlines.clocks_trial import JS, RULES, RUNNING_STAGES, TrialLimit, trial_limit_of

MEDIATION_RULES = "《最高人民法院关于人民法院民事调解工作若干问题的规定》"
SUSPENSION_BASIS = {
    SuspensionKind.PUBLIC_NOTICE: f"{JS}第二百四十三条（公告期间不计入审限）",
    SuspensionKind.APPRAISAL: f"{JS}第二百四十三条（鉴定期间不计入审限）",
    SuspensionKind.SETTLEMENT: f"{JS}第二百四十三条；{MEDIATION_RULES}第二条（双方当事人申请庭外和解的期间，不计入审限）",
    SuspensionKind.JURISDICTION: f"{JS}第二百四十三条（审理管辖异议以及处理管辖争议期间不计入审限）",
    SuspensionKind.MEDIATION_EXTENSION: (f"{MEDIATION_RULES}第四条；《最高人民法院关于人民法院特邀调解的规定》第二十七条"
                                         "（经当事人同意延长的调解期间不计入审理期限）"),
    SuspensionKind.STAY: ("《中华人民共和国民事诉讼法》第一百五十三条（中止诉讼）；中止诉讼期间不计入审限的规定见"
                          "《最高人民法院关于严格执行案件审理期限制度的若干规定》，该规定原文未收入本系统法规库，请核对。"),
}
TEXT_MAX = 1000


@dataclass
class RecordResult:
    record: TrialLimitExtension | TrialLimitSuspension
    before: TrialLimit | None
    after: TrialLimit | None
    warnings: list[str] = field(default_factory=list)


def _deny(session: Session, actor: User | None, case: Case, message: str) -> None:
    audit.record(session, actor, "permission.denied", entity="case", entity_id=case.id,
                 after={"permission": "trial_limit.record", "reason": message})
    session.commit()
    raise PermissionDenied(message)


def _require(session: Session, actor: User | None, case: Case) -> User:
    actor = require(session, actor, Perm.TRIAL_LIMIT_RECORD)
    if actor.role is Role.JUDGE and case.judge_id not in (None, actor.id):
        _deny(session, actor, case, "承办法官只能登记本人承办案件的延长或扣除审限。")
    return actor


def _running(case: Case) -> None:
    if case.filed_on is None or case.procedure is None:
        raise KnownError("该案件尚未立案或尚未确定审理程序，没有审理期限。")
    if case.stage not in RUNNING_STAGES:
        raise KnownError(f"该案件处于“{case.stage.label}”阶段，审理期限已不再计算。")


def _text(value: str, label: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError(label, "不能为空")
    if len(text) > limit:
        raise ValidationError(label, f"不能超过 {limit} 字")
    return text


def _day(value: date | None, label: str, *, not_before: date | None = None, before_label: str = "") -> date:
    if not isinstance(value, date):
        raise ValidationError(label, "请填写日期")
    if value > today_local():
        raise ValidationError(label, "不能晚于今天")
    if not_before is not None and value < not_before:
        raise ValidationError(label, f"不能早于{before_label}（{not_before}）")
    return value


def _limit(session: Session, case: Case) -> TrialLimit | None:
    return trial_limit_of(session, case, today=today_local(), table=holiday_table(session))


def _state(tl: TrialLimit | None) -> dict:  # type: ignore[type-arg]
    if tl is None:
        return {}
    return {"due": tl.due, "extension_months": tl.extension_months, "suspended_days": tl.suspended_days}


def record_extension(session: Session, actor: User | None, case_id: uuid.UUID, *, months: int,
                     approver_level: ApproverLevel | str, approved_by_name: str, approved_on: date, reason: str,
                     approval_ref: str = "", approved_by_id: uuid.UUID | None = None) -> RecordResult:
    """登记延长审限 (approved by the 院长 or the higher court)."""
    case = get_case(session, case_id)
    actor = _require(session, actor, case)
    _running(case)
    assert case.procedure is not None and case.filed_on is not None
    level = ApproverLevel(approver_level)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        raise ValidationError("延长期限", "应为 1 至 12 个月")
    name = _text(approved_by_name, "批准人", limit=100)
    approved_on = _day(approved_on, "批准日期", not_before=case.filed_on, before_label="立案日期")
    why = _text(reason, "延长理由（特殊情况）")
    rule = RULES[case.procedure]
    existing = list(session.scalars(select(TrialLimitExtension).where(
        TrialLimitExtension.case_id == case.id, TrialLimitExtension.voided_at.is_(None),
        TrialLimitExtension.procedure == case.procedure)))
    by_president = sum(e.months for e in existing if e.approver_level is ApproverLevel.PRESIDENT)
    proc = case.procedure.label
    if level is ApproverLevel.PRESIDENT and by_president + months > rule.president_months:
        left = rule.president_months - by_president
        raise ValidationError("延长期限", f"{proc}案件经本院院长批准可以延长{rule.president_months}个月"
                              f"（民事诉讼法{rule.article}），已延长{by_president}个月，"
                              + (f"至多还能延长{left}个月" if left else "不能再由院长批准延长"))
    if level is ApproverLevel.HIGHER_COURT:
        if not rule.higher_court:
            raise ValidationError("批准机关", f"{proc}案件的审限不能报请上级人民法院延长（民事诉讼法{rule.article}）")
        if by_president < rule.president_months:
            raise ValidationError("批准机关", "普通程序案件应先经本院院长批准延长六个月；还需要延长的，才报请上级人民法院批准"
                                  "（民事诉讼法第一百五十二条）")
    before = _limit(session, case)
    warnings = []
    if before is not None and approved_on > before.due:
        warnings.append(f"批准日期（{approved_on}）晚于原审限届满日（{before.due}）：延长审限应当在审限届满前批准，"
                        "本案已超审限的事实不因登记延长而改变。")
    row = TrialLimitExtension(case_id=case.id, procedure=case.procedure, months=months, approver_level=level,
                              approved_by_name=name, approved_by_id=approved_by_id, approved_on=approved_on,
                              approval_ref=_text(approval_ref, "审批文号", required=False, limit=100), reason=why,
                              basis=rule.basis, due_before=before.due if before else None, recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    after = _limit(session, case)
    row.due_after = after.due if after else None
    session.flush()
    audit.record(session, actor, "trial_limit.extend", entity="trial_limit_extension", entity_id=row.id,
                 before=_state(before), after={**audit.snapshot(row), **_state(after), "warnings": warnings})
    return RecordResult(row, before, after, warnings)


def record_suspension(session: Session, actor: User | None, case_id: uuid.UUID, *, kind: SuspensionKind | str,
                      started_on: date, ended_on: date | None, approved_by_name: str, approved_on: date,
                      reason: str, basis: str = "", approved_by_id: uuid.UUID | None = None) -> RecordResult:
    """登记扣除审限: a period not counted in the trial limit (``ended_on`` None: still running)."""
    case = get_case(session, case_id)
    actor = _require(session, actor, case)
    _running(case)
    assert case.filed_on is not None
    kind = SuspensionKind(kind)
    started_on = _day(started_on, "起始日期", not_before=case.filed_on, before_label="立案日期")
    if ended_on is not None:
        ended_on = _day(ended_on, "结束日期", not_before=started_on, before_label="起始日期")
    if kind is SuspensionKind.OTHER:
        basis_text = _text(basis, "法律依据")
    else:
        basis_text = SUSPENSION_BASIS[kind] + (f"；{_text(basis, '法律依据', required=False)}" if basis.strip() else "")
    row = TrialLimitSuspension(
        case_id=case.id, kind=kind, started_on=started_on, ended_on=ended_on, reason=_text(reason, "事由"),
        basis=basis_text, approved_by_name=_text(approved_by_name, "批准人", limit=100), approved_by_id=approved_by_id,
        approved_on=_day(approved_on, "批准日期", not_before=case.filed_on, before_label="立案日期"),
        recorded_by_id=actor.id)
    before = _limit(session, case)
    session.add(row)
    session.flush()
    after = _limit(session, case)
    warnings = []
    if before is not None and started_on > before.due:
        warnings.append(f"扣除期间的起始日期（{started_on}）晚于原审限届满日（{before.due}），请核对。")
    audit.record(session, actor, "trial_limit.suspend", entity="trial_limit_suspension", entity_id=row.id,
                 before=_state(before), after={**audit.snapshot(row), **_state(after), "warnings": warnings})
    return RecordResult(row, before, after, warnings)


def end_suspension(session: Session, actor: User | None, suspension_id: uuid.UUID, ended_on: date) -> RecordResult:
    """登记扣除期间结束 (e.g. the 鉴定意见 received)."""
    row = session.get(TrialLimitSuspension, suspension_id)
    if row is None or not row.active:
        raise NotFound("该扣除审限记录不存在或已作废。")
    case = get_case(session, row.case_id)
    actor = _require(session, actor, case)
    if row.ended_on is not None:
        raise KnownError(f"该期间已于 {row.ended_on} 结束。")
    ended_on = _day(ended_on, "结束日期", not_before=row.started_on, before_label="起始日期")
    before = _limit(session, case)
    row.ended_on = ended_on
    session.flush()
    after = _limit(session, case)
    audit.record(session, actor, "trial_limit.suspension_end", entity="trial_limit_suspension", entity_id=row.id,
                 before=_state(before), after={"ended_on": ended_on, **_state(after)})
    return RecordResult(row, before, after)


def void(session: Session, actor: User | None, record_id: uuid.UUID, reason: str) -> RecordResult:
    """作废 a mistaken extension or suspension record (kept, marked void, audited)."""
    row = session.get(TrialLimitExtension, record_id) or session.get(TrialLimitSuspension, record_id)
    if row is None:
        raise NotFound("该审限记录不存在。")
    case = get_case(session, row.case_id)
    actor = _require(session, actor, case)
    if not row.active:
        raise KnownError("该记录已作废。")
    why = _text(reason, "作废原因")
    before = _limit(session, case)
    row.voided_at, row.voided_by_id, row.void_reason = utcnow(), actor.id, why
    session.flush()
    after = _limit(session, case)
    audit.record(session, actor, "trial_limit.void", entity=row.__tablename__, entity_id=row.id,
                 before=_state(before), after={"void_reason": why, **_state(after)})
    return RecordResult(row, before, after)


def records(session: Session, case_id: uuid.UUID) -> tuple[list[TrialLimitExtension], list[TrialLimitSuspension]]:
    """A case's extensions and suspensions (voided ones too, marked), oldest first."""
    exts = list(session.scalars(select(TrialLimitExtension).where(TrialLimitExtension.case_id == case_id)
                                .order_by(TrialLimitExtension.approved_on, TrialLimitExtension.created_at)))
    susps = list(session.scalars(select(TrialLimitSuspension).where(TrialLimitSuspension.case_id == case_id)
                                 .order_by(TrialLimitSuspension.started_on, TrialLimitSuspension.created_at)))
    return exts, susps
