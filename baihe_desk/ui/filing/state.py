"""立案审查窗口的数据 — plain snapshots the filing window shows, read inside a background session.

No Qt here: these functions run on a worker thread (``run_in_background``) and return dataclasses,
never ORM objects, so nothing bound to a session crosses into the UI thread. All rules stay in the
services (``complaint_review``, ``procedure``); this module only gathers what one screen needs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import NotFound
from baihe_desk.models import Case, Party, PartyRole, Procedure, Stage
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import complaint_review as cr

QUEUE_STAGES = (Stage.RECEIVED, Stage.CORRECTION)
QUEUE_LIMIT = 500
REVIEWABLE = (Stage.RECEIVED, Stage.PRE_MEDIATION)


@dataclass(frozen=True)
class QueueRow:
    """One case awaiting review in the filing window's own list."""

    case_id: uuid.UUID
    number: str
    cause: str
    parties: str  # 王堃 诉 李玥
    stage: Stage
    status: str  # 待审查 / 第1轮审查中 / 待补正
    received_on: date  # materials of the current round
    due: date | None
    days_left: int | None
    overdue: bool
    message: str


@dataclass(frozen=True)
class SheetItem:
    item_id: str
    group_label: str
    question: str
    defect: str
    fix: str
    basis: tuple[str, ...]
    consequence: str
    consequence_label: str
    na_allowed: bool
    answer: str | None  # pass / fail / na
    note: str
    prefilled: bool
    explanation: str
    previously_failed: bool
    fixed: bool | None


@dataclass
class ReviewView:
    """Everything the 立案审查 tab shows for one case."""

    case_id: uuid.UUID
    number: str
    receipt_number: str
    case_number: str
    cause: str
    parties: str
    stage: Stage
    procedure: Procedure | None
    claim_amount: Decimal | None
    received_on: date
    clock: cr.FilingClock
    review_id: uuid.UUID | None = None
    round_no: int = 0
    review_open: bool = False  # a round is running (answers may be given)
    outcome: ReviewOutcome | None = None
    checklist_version: str = ""
    materials_received_on: date | None = None
    correction_deadline: date | None = None
    sheet: list[SheetItem] = field(default_factory=list)
    options: list[ReviewOutcome] = field(default_factory=list)
    previous_defects: list[dict] = field(default_factory=list)  # the list notified in the previous round
    correction_days: int = cr.DEFAULT_CORRECTION_DAYS
    outcome_reasons: list[dict] = field(default_factory=list)
    outcome_note: str = ""
    review_version: int | None = None  # the review's row_version this view shows (sent back with each save)

    @property
    def can_start(self) -> bool:
        return self.stage in REVIEWABLE and not self.review_open

    @property
    def can_resubmit(self) -> bool:
        return self.stage is Stage.CORRECTION and not self.review_open

    @property
    def open_count(self) -> int:
        return sum(1 for s in self.sheet if s.answer is None)


def party_line(case: Case) -> str:
    p = "、".join(x.name for x in case.parties if x.role is PartyRole.PLAINTIFF)
    d = "、".join(x.name for x in case.parties if x.role is PartyRole.DEFENDANT)
    return f"{p} 诉 {d}" if d else p


def load_queue(session: Session, today: date | None = None) -> list[QueueRow]:
    """Cases received and not yet decided (待审查 / 审查中) or waiting for 补正, oldest first."""
    today = today or today_local()  # the court's day, as the 工作台 counts (not the PC's own time zone)
    cases = session.scalars(select(Case).where(Case.stage.in_(QUEUE_STAGES))
                            .order_by(Case.received_on, Case.receipt_number).limit(QUEUE_LIMIT)).all()
    names: dict[uuid.UUID, dict[PartyRole, list[str]]] = {}
    for case_id, role, name in session.execute(
            select(Party.case_id, Party.role, Party.name).where(Party.case_id.in_([c.id for c in cases]))
            .order_by(Party.case_id, Party.sort_order)):
        names.setdefault(case_id, {}).setdefault(role, []).append(name)
    rows = []
    for case in cases:
        clock = cr.filing_clock(case, today=today)
        review = cr.current_review(session, case)
        if case.stage is Stage.CORRECTION:
            status = "待补正"
        elif review is not None and not review.finished:
            status = f"第{review.round_no}轮审查中"
        else:
            status = "待审查"
        n = names.get(case.id, {})
        plaintiffs, defendants = "、".join(n.get(PartyRole.PLAINTIFF, [])), "、".join(n.get(PartyRole.DEFENDANT, []))
        rows.append(QueueRow(
            case.id, case.case_number or case.receipt_number, case.cause_name,
            f"{plaintiffs} 诉 {defendants}" if defendants else plaintiffs, case.stage, status, clock.received_on,
            clock.due if case.stage is Stage.RECEIVED else clock.correction_deadline,
            clock.days_left if case.stage is Stage.RECEIVED else _days_to(clock.correction_deadline, today),
            clock.overdue and case.stage is Stage.RECEIVED, clock.message))
    return rows


def _days_to(due: date | None, today: date) -> int | None:
    """Calendar days to the 补正期限 (negative once it has passed), as the 工作台 counts them."""
    return (due - today).days if due is not None else None


def _sheet(session: Session, review: ComplaintReview) -> list[SheetItem]:
    return [SheetItem(
        r.item.id, r.group_label, r.item.question, r.item.defect, r.item.fix, tuple(r.item.basis),
        r.item.consequence, r.item.consequence_label, r.item.na_allowed,
        r.answer.value if r.answer else None, r.note, r.prefilled, r.explanation, r.previously_failed, r.fixed,
    ) for r in cr.review_sheet(session, review)]


def load_review_view(session: Session, case_id: uuid.UUID, *, party_insists: bool = False,
                     mediation_consent: bool = False, today: date | None = None) -> ReviewView:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在或已被删除。")
    view = ReviewView(
        case.id, case.case_number or case.receipt_number, case.receipt_number, case.case_number or "",
        case.cause_name, party_line(case), case.stage, case.procedure, case.claim_amount, case.received_on,
        cr.filing_clock(case, today=today),
        correction_days=_correction_days(session))
    review = cr.current_review(session, case)
    if review is None:
        return view
    view.review_id, view.round_no, view.review_open = review.id, review.round_no, not review.finished
    view.review_version = review.row_version
    view.outcome, view.checklist_version = review.outcome, review.checklist_version
    view.materials_received_on, view.correction_deadline = review.materials_received_on, review.correction_deadline
    view.outcome_reasons, view.outcome_note = list(review.outcome_reasons or []), review.outcome_note
    view.sheet = _sheet(session, review)
    if not review.finished:
        view.options = cr.outcome_options(session, review, party_insists=party_insists,
                                          mediation_consent=mediation_consent)
    if review.previous_review_id:
        prev = session.get(ComplaintReview, review.previous_review_id)
        if prev is not None and prev.outcome is ReviewOutcome.CORRECTION:
            view.previous_defects = list(prev.outcome_reasons or [])
    return view


def _correction_days(session: Session) -> int:
    days = cr.setting(session, cr.CORRECTION_DAYS_SETTING, cr.DEFAULT_CORRECTION_DAYS)
    return days if isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 90 \
        else cr.DEFAULT_CORRECTION_DAYS
