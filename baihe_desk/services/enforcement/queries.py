"""执行咨询的列表与期限 — the judge's list, the bureau's queue, the reply clock (overdue warnings on both
sides) and a case's whole exchange. Read-only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.errors import NotFound
from baihe_desk.models import Case, User
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation, TermsKind
from baihe_desk.services.deadlines.holidays import HolidayTable
from baihe_desk.services.deadlines.periods import working_days_between
from baihe_desk.services.enforcement.consultation import holiday_table, load, today_local

# -- lists and clocks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplyClock:
    due: date | None
    overdue: bool
    level: str  # none / ok / soon / overdue / replied / late
    text: str


def reply_clock(c: EnforcementConsultation, today: date, table: HolidayTable) -> ReplyClock:
    """回复期限 status for both sides: remaining working days, due today, overdue, or replied (late or not)."""
    due = c.reply_due
    if due is None:
        return ReplyClock(None, False, "none", "")
    if c.status is not ConsultStatus.SENT:
        replied = c.replied_on
        if replied is None:
            return ReplyClock(due, False, "none", "")
        if replied > due:
            return ReplyClock(due, False, "late", f"逾期回复（期限 {due:%Y-%m-%d}，{replied:%Y-%m-%d} 回复）")
        return ReplyClock(due, False, "replied", f"按期回复（{replied:%Y-%m-%d}）")
    if today > due:
        n = working_days_between(due, today, table=table)
        extra = f"{n} 个工作日" if n else f"{(today - due).days} 日"
        return ReplyClock(due, True, "overdue", f"已逾期 {extra}（回复期限 {due:%Y-%m-%d}）")
    if today == due:
        return ReplyClock(due, False, "soon", f"今日到期（{due:%Y-%m-%d}）")
    n = working_days_between(today, due, table=table)
    return ReplyClock(due, False, "soon" if n <= 1 else "ok", f"剩余 {n} 个工作日（{due:%Y-%m-%d} 前回复）")


@dataclass(frozen=True)
class ConsultRow:
    id: uuid.UUID
    case_id: uuid.UUID
    number: str
    case_ref: str
    cause: str
    parties: str
    status: ConsultStatus
    terms_kind: TermsKind
    updated_at: datetime
    sent_on: date | None
    clock: ReplyClock


def _rows(session: Session, where: list, today: date | None) -> list[ConsultRow]:
    today = today or today_local()
    table = holiday_table(session)
    q = (select(EnforcementConsultation, Case).join(Case, Case.id == EnforcementConsultation.case_id)
         .where(*where).options(selectinload(Case.parties))
         .order_by(EnforcementConsultation.updated_at.desc()))
    out = []
    for c, case in session.execute(q):
        names = [p.name for p in case.parties]
        out.append(ConsultRow(c.id, case.id, c.number or "（草稿）", case.case_number or case.receipt_number,
                              case.cause_name, "、".join(names[:4]) + ("等" if len(names) > 4 else ""), c.status,
                              c.terms_kind, c.updated_at, c.sent_on, reply_clock(c, today, table)))
    return out


def list_mine(session: Session, actor: User, *, today: date | None = None) -> list[ConsultRow]:
    """The consultations the user drafted or sent, newest change first."""
    return _rows(session, [or_(EnforcementConsultation.created_by_id == actor.id,
                               EnforcementConsultation.sent_by_id == actor.id)], today)


def list_queue(session: Session, *, include_closed: bool = False, today: date | None = None) -> list[ConsultRow]:
    """执行局收件: sent consultations (waiting first, the most urgent on top), then answered ones."""
    wanted = [ConsultStatus.SENT, ConsultStatus.REPLIED]
    if include_closed:
        wanted += [ConsultStatus.ADOPTED, ConsultStatus.PARTLY_ADOPTED, ConsultStatus.NOT_ADOPTED]
    rows = _rows(session, [EnforcementConsultation.status.in_(wanted)], today)
    return sorted(rows, key=lambda r: (r.status is not ConsultStatus.SENT, r.clock.due or date.max))


def case_consultations(session: Session, case_id: uuid.UUID) -> list[EnforcementConsultation]:
    """Every sent consultation of a case with its reply (the case's whole exchange), oldest first."""
    ids = session.scalars(select(EnforcementConsultation.id).where(
        EnforcementConsultation.case_id == case_id, EnforcementConsultation.status != ConsultStatus.DRAFT)
        .order_by(EnforcementConsultation.sent_at)).all()
    return [load(session, i) for i in ids]


def find_case(session: Session, ref: str) -> Case:
    """A case by 案号 or 收件号 (what the judge types to start a consultation)."""
    ref = "".join(ref.split())
    case = session.scalar(select(Case).where(or_(Case.case_number == ref, Case.receipt_number == ref)))
    if case is None:
        raise NotFound(f"没有找到案号或收件号为“{ref}”的案件。")
    return case


# -- statistics ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsultStats:
    """执行咨询统计 over consultations sent in [since, until]."""

    sent: int
    replied: int  # 已回复（含已记录采纳情况的）
    waiting: int  # 待回复
    overdue: int  # 待回复且已逾期
    replied_late: int  # 逾期回复
    avg_turnaround: float | None  # 平均回复用时（工作日）
    decided: int  # 已记录采纳情况
    adopted: int
    partly: int
    not_adopted: int
    suggestions: int  # 已记录的建议条数
    suggestions_adopted: int

    @property
    def adoption_rate(self) -> float | None:
        """(已采纳 + 部分采纳) / 已记录采纳情况."""
        return (self.adopted + self.partly) / self.decided if self.decided else None

    @property
    def suggestion_rate(self) -> float | None:
        return self.suggestions_adopted / self.suggestions if self.suggestions else None

    def text(self) -> str:
        def pct(x: float | None) -> str:
            return "—" if x is None else f"{x:.0%}"

        turnaround = "—" if self.avg_turnaround is None else f"{self.avg_turnaround:.1f} 个工作日"
        return (f"发送 {self.sent} 件，已回复 {self.replied} 件（逾期回复 {self.replied_late} 件），待回复 {self.waiting} 件"
                f"（已逾期 {self.overdue} 件）；平均回复用时 {turnaround}；采纳率 {pct(self.adoption_rate)}"
                f"（已采纳 {self.adopted}、部分采纳 {self.partly}、未采纳 {self.not_adopted}），"
                f"建议条目采纳率 {pct(self.suggestion_rate)}")


def statistics(session: Session, *, since: date | None = None, until: date | None = None,
               today: date | None = None) -> ConsultStats:
    """Count, turnaround (working days from sending to reply) and adoption rate."""
    today = today or today_local()
    table = holiday_table(session)
    q = select(EnforcementConsultation).where(EnforcementConsultation.status != ConsultStatus.DRAFT).options(
        selectinload(EnforcementConsultation.advice))
    if since is not None:
        q = q.where(EnforcementConsultation.sent_on >= since)
    if until is not None:
        q = q.where(EnforcementConsultation.sent_on <= until)
    rows = list(session.scalars(q))
    waiting = [c for c in rows if c.status is ConsultStatus.SENT]
    replied = [(c.sent_on, c.replied_on, c.reply_due) for c in rows  # (sent, replied, reply due)
               if c.status is not ConsultStatus.SENT and c.replied_on and c.sent_on]
    turn = [working_days_between(sent, back, table=table) for sent, back, _ in replied]
    closed = [c for c in rows if c.status.closed]
    items = [i for c in closed if c.advice for i in c.advice.items if i.is_suggestion and i.adopted is not None]
    return ConsultStats(
        sent=len(rows), replied=len(replied), waiting=len(waiting),
        overdue=sum(1 for c in waiting if c.reply_due and today > c.reply_due),
        replied_late=sum(1 for _, back, due in replied if due and back > due),
        avg_turnaround=sum(turn) / len(turn) if turn else None, decided=len(closed),
        adopted=sum(c.status is ConsultStatus.ADOPTED for c in closed),
        partly=sum(c.status is ConsultStatus.PARTLY_ADOPTED for c in closed),
        not_adopted=sum(c.status is ConsultStatus.NOT_ADOPTED for c in closed),
        suggestions=len(items), suggestions_adopted=sum(1 for i in items if i.adopted),
    )
