"""立案审查 — the filing window's review of a complaint against the versioned checklist.

Flow: :func:`start_review` (round 1, prefilled from the case data where the data really answers an item)
→ :func:`answer` per item → :func:`finish` with an outcome that must agree with the answers:
登记立案 (民初 number, stage FILED), 补正 (stage CORRECTION, deadline, the items for the 补正通知书),
不予受理 / 告知另行处理 (stage REJECTED, reasons recorded) or 引导诉前调解 (stage PRE_MEDIATION).
After 补正, :func:`resubmit` opens the next round: answers that passed are carried over (the court must
list every defect at once, 登记立案规定第七条), the previously failed items are open again and
:func:`review_sheet` shows for each whether it is now fixed. :func:`filing_clock` gives the 7-day period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from baihe_desk.errors import KnownError, NotFound, ValidationError
from baihe_desk.models import Case, PartyRole, Stage, User, utcnow
from baihe_desk.models.review import Answer, ComplaintReview, ReviewAnswer, ReviewOutcome
from baihe_desk.services.common import audit
from baihe_desk.services.common.concurrency import bump, check_version
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines.clocks import today_local  # the court's day, whatever the PC's zone
from baihe_desk.services.deadlines.periods import period_end
from baihe_desk.services.filing.checklists import (
    ChecklistItem,
    DefectItem,
    allowed_outcomes,
    check_outcome,
    load_checklist,
)
from baihe_desk.services.filing.review_prefill import applicable_items, parties_in_role, prefill

# Until Perm.CASE_REVIEW exists, the review is limited to the roles that may assign case numbers.
REVIEW_PERM = Perm.CASE_REVIEW
CORRECTION_DAYS_SETTING = "filing.correction_days"  # 补正期限（日），court setting
DEFAULT_CORRECTION_DAYS = 15
FILING_PERIOD_DAYS = 7  # 民事诉讼法第一百二十六条；登记立案规定第八条第一项


def setting(session: Session, key: str, default):  # type: ignore[no-untyped-def]
    from baihe_desk.models import Setting

    row = session.get(Setting, key)
    return default if row is None or row.value is None else row.value


@dataclass
class SheetRow:
    item: ChecklistItem
    group_label: str
    answer: Answer | None
    note: str
    prefilled: bool  # proposed by the system and not yet confirmed by the clerk
    explanation: str  # why the system proposed it, or a hint when it could not decide
    previously_failed: bool  # notified for 补正 in the previous round
    fixed: bool | None  # for previously failed items: now 符合/不适用 (True), still 不符合 (False), open (None)


@dataclass
class FilingClock:
    state: str  # running / waiting_correction / mediation / decided
    received_on: date
    due: date | None
    days_left: int | None
    overdue: bool = False
    correction_deadline: date | None = None
    message: str = ""
    basis: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReviewResult:
    review: ComplaintReview
    outcome: ReviewOutcome
    defects: list[DefectItem] = field(default_factory=list)  # 补正 items, or the reasons of a refusal
    case_number: str | None = None
    correction_deadline: date | None = None
    warnings: list[str] = field(default_factory=list)


# ── prefill: only what the recorded data really answers; otherwise a hint with no answer ─────────────


def previous_failed_ids(previous: ComplaintReview | None) -> frozenset[str]:
    """Items notified for 补正 in ``previous`` (empty unless it ended with 补正)."""
    if previous is None or previous.outcome is not ReviewOutcome.CORRECTION:
        return frozenset()
    return frozenset(r["item_id"] for r in previous.outcome_reasons)


def reviews_of(session: Session, case: Case) -> list[ComplaintReview]:
    return list(session.scalars(select(ComplaintReview).where(ComplaintReview.case_id == case.id)
                                .order_by(ComplaintReview.round_no)))


def current_review(session: Session, case: Case) -> ComplaintReview | None:
    reviews = reviews_of(session, case)
    return reviews[-1] if reviews else None


def _previous(session: Session, review: ComplaintReview) -> ComplaintReview | None:
    return session.get(ComplaintReview, review.previous_review_id) if review.previous_review_id else None


def _answers(review: ComplaintReview) -> dict[str, ReviewAnswer]:
    return {a.item_id: a for a in review.answers}


def _snap(review: ComplaintReview) -> dict:
    return audit.snapshot(review, ["case_id", "round_no", "checklist_version", "materials_received_on", "outcome",
                                   "decided_on", "correction_days", "correction_deadline", "outcome_note"])


def _check_received(case: Case, received_on: date) -> None:
    if received_on > today_local():
        raise ValidationError("收到材料日期", "不能晚于今天。")
    if received_on < case.received_on:
        raise ValidationError("收到材料日期", f"不能早于收件日期 {case.received_on.isoformat()}。")


def _open_round(session: Session, actor: User, case: Case, received_on: date,
                previous: ComplaintReview | None) -> ComplaintReview:
    checklist = load_checklist()
    rounds = session.scalar(select(func.max(ComplaintReview.round_no))
                            .where(ComplaintReview.case_id == case.id)) or 0
    review = ComplaintReview(case_id=case.id, round_no=rounds + 1, checklist_version=checklist.version,
                             materials_received_on=received_on, reviewer_id=actor.id, started_at=utcnow(),
                             previous_review_id=previous.id if previous else None)
    session.add(review)
    carried = _answers(previous) if previous is not None else {}
    prev_no = previous.round_no if previous is not None else 0
    failed_before = previous_failed_ids(previous)
    for it in applicable_items(case, checklist):
        old = carried.get(it.id)
        if it.id not in failed_before and old is not None and old.answer in (Answer.PASS, Answer.NA):
            review.answers.append(ReviewAnswer(item_id=it.id, answer=old.answer, prefilled=True,
                                               prefill_explanation=f"沿用第{prev_no}轮审查结论（{old.answer.label}）。"))
            continue
        found = prefill(session, case, it)
        hint = f"第{prev_no}轮不符合：{it.defect}。请核对补正材料。" if it.id in failed_before else ""
        if found is None and not hint:
            continue
        ans, why = found if found is not None else (None, "")
        review.answers.append(ReviewAnswer(item_id=it.id, answer=ans, prefilled=ans is not None,
                                           prefill_explanation=" ".join(x for x in (hint, why) if x)))
    session.flush()
    return review


def start_review(session: Session, actor: User, case: Case, materials_received_on: date) -> ComplaintReview:
    """Open a review round for a received complaint (or one back from 诉前调解), prefilled from the data."""
    require(session, actor, REVIEW_PERM)
    if case.stage is Stage.CORRECTION:
        raise KnownError("该案件正在等待补正，收到补正材料后请使用“补正后重新审查”。")
    if case.stage not in (Stage.RECEIVED, Stage.PRE_MEDIATION):
        raise KnownError(f"该案件处于“{case.stage.label}”阶段，不能开始立案审查。")
    last = current_review(session, case)
    if last is not None and not last.finished:
        raise KnownError(f"该案件第{last.round_no}轮立案审查尚未完成，请继续该轮审查。")
    _check_received(case, materials_received_on)
    review = _open_round(session, actor, case, materials_received_on, last)
    audit.record(session, actor, "complaint_review.start", entity="complaint_review", entity_id=review.id,
                 after={**_snap(review), "prefilled": {a.item_id: a.answer for a in review.answers}})
    return review


def resubmit(session: Session, actor: User, case: Case, received_on: date) -> ComplaintReview:
    """补正后重新审查: open the next round from the corrected materials received on ``received_on``."""
    require(session, actor, REVIEW_PERM)
    last = current_review(session, case)
    if case.stage is not Stage.CORRECTION or last is None or last.outcome is not ReviewOutcome.CORRECTION:
        raise KnownError("该案件没有待补正的审查记录，不能按补正材料重新审查。")
    _check_received(case, received_on)
    if received_on < (last.decided_on or last.materials_received_on):
        raise ValidationError("收到补正材料日期", "不能早于补正通知的日期。")
    review = _open_round(session, actor, case, received_on, last)
    audit.record(session, actor, "complaint_review.resubmit", entity="complaint_review", entity_id=review.id,
                 before={"previous_review_id": last.id, "correction_deadline": last.correction_deadline},
                 after={**_snap(review), "late": bool(last.correction_deadline
                                                      and received_on > last.correction_deadline)})
    return review


def _case_of(session: Session, review: ComplaintReview) -> Case:
    case = session.get(Case, review.case_id)
    if case is None:
        raise NotFound("未找到该审查记录所属的案件。")
    return case


def answer(session: Session, actor: User, review: ComplaintReview, item_id: str, value: Answer | str,
           note: str = "", *, expected_version: int | None = None) -> ReviewAnswer:
    """Record the clerk's conclusion on one item (this also confirms a prefilled answer). ``expected_version``:
    the review's ``row_version`` the screen showed; changed since → :class:`EditConflict` (both 说明 shown)."""
    require(session, actor, REVIEW_PERM)
    _check_review_version(session, review, expected_version, item_id=item_id, note=note)
    if review.finished:
        raise KnownError(f"第{review.round_no}轮立案审查已结束，不能再修改审查意见。")
    checklist = load_checklist(review.checklist_version)
    if not checklist.has(item_id):
        raise NotFound(f"审查清单（{checklist.version}版）中没有审查项“{item_id}”。")
    item = checklist.item(item_id)
    if item not in applicable_items(_case_of(session, review), checklist):
        raise KnownError(f"审查项“{item.question}”不适用于本案。")
    try:
        value = Answer(value)
    except ValueError:
        raise ValidationError("审查意见", "只能是“符合”“不符合”或“不适用”。") from None
    if value is Answer.NA and not item.na_allowed:
        raise ValidationError("审查意见", f"“{item.question}”不能选“不适用”，请选“符合”或“不符合”。")
    row = _answers(review).get(item_id)
    before = audit.snapshot(row, ["answer", "note", "prefilled"]) if row else None
    if row is None:
        row = ReviewAnswer(item_id=item_id)
        review.answers.append(row)
    row.answer, row.note, row.prefilled = value, (note or "").strip(), False
    row.answered_by_id, row.answered_at = actor.id, utcnow()
    bump(review)  # an answer changes the review: a screen showing the older sheet must not finish on it
    session.flush()
    audit.record(session, actor, "complaint_review.answer", entity="complaint_review", entity_id=review.id,
                 before=before, after={"item_id": item_id, **audit.snapshot(row, ["answer", "note", "prefilled"])})
    return row


def _check_review_version(session: Session, review: ComplaintReview, expected: int | None, *,
                          item_id: str | None = None, note: str = "", outcome_note: str | None = None) -> None:
    texts: dict[str, tuple[str, str]] = {}  # label → (this clerk's text, the saved text)
    if item_id is not None:
        row = _answers(review).get(item_id)
        checklist = load_checklist(review.checklist_version)
        label = f"审查项“{checklist.item(item_id).question}”的说明" if checklist.has(item_id) else "审查项的说明"
        texts[label] = ((note or "").strip(), row.note if row else "")
    if outcome_note is not None:
        texts["审查结论说明"] = ((outcome_note or "").strip(), review.outcome_note or "")
    check_version(session, review, expected, what="案件的立案审查", audit_entity="complaint_review", texts=texts)


def outcome_options(session: Session, review: ComplaintReview, **flags: bool) -> list[ReviewOutcome]:
    """The outcomes :func:`finish` would accept now (``party_insists``, ``mediation_consent`` as flags)."""
    checklist = load_checklist(review.checklist_version)
    answers = {k: a.answer for k, a in _answers(review).items()}
    return [ReviewOutcome(o) for o in allowed_outcomes(
        applicable_items(_case_of(session, review), checklist), answers,
        failed_before=previous_failed_ids(_previous(session, review)), **flags)]


def review_sheet(session: Session, review: ComplaintReview) -> list[SheetRow]:
    """The rows the review window shows: every applicable item with its answer, prefill and fix status."""
    checklist = load_checklist(review.checklist_version)
    answers = _answers(review)
    failed_before = previous_failed_ids(_previous(session, review))
    rows = []
    for it in applicable_items(_case_of(session, review), checklist):
        a = answers.get(it.id)
        value = a.answer if a else None
        rows.append(SheetRow(
            item=it, group_label=checklist.groups[it.group], answer=value, note=a.note if a else "",
            prefilled=bool(a and a.prefilled), explanation=a.prefill_explanation if a else "",
            previously_failed=it.id in failed_before,
            fixed=(value in (Answer.PASS, Answer.NA)) if it.id in failed_before and value else None))
    return rows


def finish(session: Session, actor: User, review: ComplaintReview, outcome: ReviewOutcome | str, *,
           note: str = "", decided_on: date | None = None, correction_days: int | None = None,
           party_insists: bool = False, mediation_consent: bool = False,
           expected_version: int | None = None) -> ReviewResult:
    """Close the round with ``outcome``; refuses while items are open or when the outcome contradicts them.
    ``expected_version``: the review's ``row_version`` the clerk decided on (see :func:`answer`)."""
    require(session, actor, REVIEW_PERM)
    _check_review_version(session, review, expected_version, outcome_note=note)
    outcome = ReviewOutcome(outcome)
    if outcome is ReviewOutcome.REGISTERED:
        require(session, actor, Perm.CASE_NUMBER_ASSIGN)
    if review.finished:
        raise KnownError(f"第{review.round_no}轮立案审查已于此前结束。")
    case = _case_of(session, review)
    checklist = load_checklist(review.checklist_version)
    items = applicable_items(case, checklist)
    answers = {k: a.answer for k, a in _answers(review).items()}
    previous = _previous(session, review)
    reasons = check_outcome(items, answers, outcome, failed_before=previous_failed_ids(previous),
                            party_insists=party_insists, mediation_consent=mediation_consent)
    decided_on = decided_on or today_local()
    if decided_on < review.materials_received_on or decided_on > today_local():
        raise ValidationError("决定日期", "应在收到材料的日期与今天之间。")
    notes = {k: a.note for k, a in _answers(review).items()}
    defects = [DefectItem.of(it, checklist, notes.get(it.id, "")) for it in reasons]
    before = {"stage": case.stage, "filed_on": case.filed_on, "case_number": case.case_number}
    result = ReviewResult(review=review, outcome=outcome, defects=defects)
    review.outcome, review.decided_on, review.outcome_note = outcome, decided_on, (note or "").strip()
    review.outcome_reasons = [d.as_dict() for d in defects]
    review.finished_at = utcnow()
    if outcome is ReviewOutcome.REGISTERED:
        from baihe_desk.services.common.numbering import assign_case_number
        from baihe_desk.services.filing.service_address import address_risks

        clock = filing_clock(case)
        if clock.due and decided_on > clock.due:
            result.warnings.append(f"立案日期晚于七日立案期限（{clock.due.isoformat()}）。")
        case.filed_on = decided_on
        result.case_number = assign_case_number(session, actor, case, "民初", year=decided_on.year).format()
        case.stage = Stage.FILED
        risks = address_risks(case)
        if risks.flagged:
            result.warnings.extend(risks.messages())
    elif outcome is ReviewOutcome.CORRECTION:
        days = correction_days if correction_days is not None else setting(
            session, CORRECTION_DAYS_SETTING, DEFAULT_CORRECTION_DAYS)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 90:
            raise ValidationError("补正期限", "应为 1 至 90 日。")
        review.correction_days = days
        review.correction_deadline, warnings = period_end(decided_on, days)
        result.correction_deadline = review.correction_deadline
        result.warnings.extend(warnings)
        if previous is not None and previous.outcome is ReviewOutcome.CORRECTION:
            result.warnings.append("本案已通知过补正；补正事项应一次性书面告知（登记立案规定第七条），请确认新增事项系补正材料引起。")
        case.stage = Stage.CORRECTION
    elif outcome is ReviewOutcome.REFERRED_MEDIATION:
        case.stage = Stage.PRE_MEDIATION
    else:
        case.stage = Stage.REJECTED
    session.flush()
    audit.record(session, actor, "complaint_review.finish", entity="complaint_review", entity_id=review.id,
                 before=before, after={**_snap(review), "stage": case.stage, "filed_on": case.filed_on,
                                       "case_number": case.case_number, "party_insists": party_insists,
                                       "reasons": [d.item_id for d in defects],
                                       "unconfirmed_prefills": [a.item_id for a in review.answers if a.prefilled]})
    return result


def filing_clock(case: Case, *, today: date | None = None) -> FilingClock:
    """七日立案期限: due date and days left, counted from the current round's materials_received_on."""
    session = object_session(case)
    today = today or today_local()
    review = current_review(session, case) if session is not None else None
    received = review.materials_received_on if review else case.received_on
    basis = ["《中华人民共和国民事诉讼法》第一百二十六条",
             "《最高人民法院关于人民法院登记立案若干问题的规定》第八条"]
    if review is not None and review.round_no > 1:
        basis.append("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百二十六条")
    due, warnings = period_end(received, FILING_PERIOD_DAYS)
    clock = FilingClock(state="running", received_on=received, due=due, days_left=(due - today).days,
                        basis=basis, warnings=warnings)
    previous = _previous(session, review) if (session is not None and review is not None) else None
    if previous is not None and previous.correction_deadline and received > previous.correction_deadline:
        clock.warnings.append(f"补正材料在补正期限（{previous.correction_deadline.isoformat()}）届满后提交"
                              "（登记立案规定第七条第三款），请核实是否有正当理由。")
    if review is not None and review.finished:
        clock.state = {ReviewOutcome.CORRECTION: "waiting_correction",
                       ReviewOutcome.REFERRED_MEDIATION: "mediation"}.get(review.outcome, "decided")  # type: ignore[arg-type]
        clock.correction_deadline = review.correction_deadline
        clock.days_left = None
        clock.message = {
            "waiting_correction": f"等待补正，补正期限至 {review.correction_deadline}；收到补正材料后重新计算七日立案期限。",
            "mediation": "已引导诉前调解；调解不成的，应当依法登记立案。",
        }.get(clock.state, f"已于 {review.decided_on} 作出“{review.outcome.label}”决定。")  # type: ignore[union-attr]
        return clock
    if clock.days_left is not None and clock.days_left < 0:
        clock.overdue = True
        clock.message = (f"已超过七日立案期限（{due.isoformat()}）。在法定期间内不能判定是否符合起诉条件的，"
                         "应当先行立案（登记立案规定第八条第二款）。")
    else:
        clock.message = f"七日立案期限至 {due.isoformat()}，剩余 {clock.days_left} 日。"
    return clock


def correction_notice_data(session: Session, review: ComplaintReview) -> dict:
    """Everything the 补正通知书 (KIND correction-notice) needs, from a round finished with 补正."""
    if review.outcome is not ReviewOutcome.CORRECTION:
        raise KnownError("该轮审查的结论不是“通知补正”，不能生成补正通知书。")
    case = _case_of(session, review)
    plaintiffs = parties_in_role(case, PartyRole.PLAINTIFF)
    return {
        "case_id": case.id, "receipt_number": case.receipt_number, "case_number": case.case_number,
        "cause_name": case.cause_name, "received_on": review.materials_received_on, "notice_date": review.decided_on,
        "round_no": review.round_no, "checklist_version": review.checklist_version,
        "addressees": [p.name for p in plaintiffs],
        "agents": [{"party": p.name, "name": a.name, "phone": a.phone} for p in plaintiffs for a in p.agents],
        "plaintiffs": [p.name for p in plaintiffs],
        "defendants": [p.name for p in parties_in_role(case, PartyRole.DEFENDANT)],
        "items": [{"no": i, **d} for i, d in enumerate(review.outcome_reasons, start=1)],
        "correction_days": review.correction_days, "deadline": review.correction_deadline,
        "basis": ["《最高人民法院关于人民法院登记立案若干问题的规定》第七条"],
        "consequences_basis": {
            "corrected_in_time": "《最高人民法院关于人民法院登记立案若干问题的规定》第七条第二款",
            "not_corrected": "《最高人民法院关于人民法院登记立案若干问题的规定》第七条第三款",
            "still_defective": "《最高人民法院关于人民法院登记立案若干问题的规定》第七条第四款",
            "complaint_right": "《最高人民法院关于人民法院登记立案若干问题的规定》第十三条",
        },
    }

