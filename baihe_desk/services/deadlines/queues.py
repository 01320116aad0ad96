"""我的待办 (work queues), the early-warning dashboard and the 庭长 / 分管院长 department lists.

All built from :func:`services.deadlines.clocks.collect` (every provider's open clocks). Who sees what:

- an item's **owners** must act on it (the assigned mediator, the case's judge, the named answerer);
- a **team** clock is on the queue of every user of that role (立案窗口: 立案期限、补正; 执行局: 回复期限);
- **watchers** wait on it (the judge whose consultation waits for the bureau, the judge of a case whose
  公告 or appeal period runs) — shown as 等待他人 / 关注;
- 法官助理 and 书记员 see the trial-side clocks of their department (本庭);
- 庭长 and 分管院长 have their own items and, on the dashboard, a list per department they lead or
  oversee (``Department.chief_id`` / ``overseer_id``); the administrator sees every department.

Order: overdue first, then by due date, to-dos without a date last. Each entry carries the step key
(:data:`STEP_LABELS`) at which the case should open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Department, Party, PartyRole, Role, User
from baihe_desk.services.deadlines.clocks import Clock, collect, near_due_days, today_local

STEP_LABELS = {
    "filing.review": "立案审查",
    "filing.correction": "补正",
    "mediation.notice": "诉前调解告知",
    "mediation.assign": "委派调解",
    "mediation.accept": "调解签收",
    "mediation.period": "诉前调解",
    "enforcement.reply": "执行咨询回复",
    "enforcement.adoption": "执行建议采纳",
    "explanation.tier": "判后答疑",
    "appeal.period": "上诉期",
    "service.public_notice": "公告送达",
    "service.answer": "答辩期",
    "trial.limit": "审理期限",
}
KIND_LABELS = {
    "filing_decision": "立案期限", "correction": "补正期限", "mediation_window": "诉前调解（窗口）",
    "mediation_accept": "调解待签收", "mediation": "调解期限", "consult_reply": "执行咨询回复",
    "consult_adoption": "执行建议采纳", "appeal": "上诉期", "explanation_tier": "判后答疑",
    "public_notice": "公告期", "answer": "答辩期", "trial_limit": "审理期限",
}
DEPARTMENT_ROLES = frozenset({Role.JUDGE_ASSISTANT, Role.CLERK, Role.ADMIN})  # their queue depends on departments
TRIAL_SIDE = frozenset({"trial_limit", "appeal", "public_notice", "answer", "consult_reply", "consult_adoption",
                        "explanation_tier"})
RELATION_LABELS = {"mine": "我办理", "team": "本组", "department": "本庭", "waiting": "等待他人", "all": "全院"}
URGENCY_LABELS = {"overdue": "已超期", "near": "临期", "ok": "", "none": "", "ended": "已届满"}
CHUNK = 5000  # ids per IN list (well under SQLite's 32766 and PostgreSQL's limits)


@dataclass(frozen=True)
class QueueEntry:
    clock: Clock
    case_ref: str  # 案号, else 收件号
    cause: str
    parties: str  # 原告 诉 被告
    department_id: uuid.UUID | None
    department: str
    urgency: str  # overdue / near / ok / none / ended
    relation: str  # mine / team / department / waiting / all

    @property
    def case_id(self) -> uuid.UUID:
        return self.clock.case_id

    @property
    def step(self) -> str:
        return self.clock.step

    @property
    def due(self) -> date | None:
        return self.clock.due

    @property
    def days_left(self) -> int | None:
        return self.clock.days_left


def entry_key(e: QueueEntry) -> tuple:  # type: ignore[type-arg]
    """Overdue first, then by due date (to-dos without a date last), then case and label."""
    return (e.urgency != "overdue", e.due is None, e.due or date.max, e.case_ref, e.clock.label)


@dataclass
class Counts:
    total: int = 0
    overdue: int = 0
    near: int = 0

    def add(self, e: QueueEntry) -> None:
        self.total += 1
        self.overdue += e.urgency == "overdue"
        self.near += e.urgency == "near"


@dataclass
class DepartmentList:
    department_id: uuid.UUID | None
    name: str
    entries: list[QueueEntry] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class Dashboard:
    today: date
    near_days: int
    mine: list[QueueEntry]
    counts: Counts
    by_kind: dict[str, Counts]
    departments: list[DepartmentList]  # empty unless the user leads, oversees or administers departments


@dataclass
class _Context:
    cases: dict[uuid.UUID, tuple[str, str, str, uuid.UUID | None, uuid.UUID | None]]  # ref, cause, parties, judge, dept
    user_dept: dict[uuid.UUID, uuid.UUID | None]
    dept_names: dict[uuid.UUID, str]


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _context(session: Session, clocks: list[Clock], *, names: bool = True) -> _Context:
    """Case references, parties, judge and department of the clocks' cases (``names=False``: only what the
    department needs), the users' departments and the department names — a few queries in all."""
    ids = list({c.case_id for c in clocks})
    cases: dict = {}
    by_case: dict[uuid.UUID, dict[PartyRole, list[str]]] = {}
    cols = (Case.id, Case.case_number, Case.receipt_number, Case.cause_name) if names else (Case.id,)
    for part in _chunks(ids):
        for cid, *info, judge, dept in session.execute(
                select(*cols, Case.judge_id, Case.department_id).where(Case.id.in_(part))):
            cases[cid] = [(info[0] or info[1]) if names else "", info[2] if names else "", judge, dept]
        if names:
            for cid, role, name in session.execute(select(Party.case_id, Party.role, Party.name)
                                                   .where(Party.case_id.in_(part)).order_by(Party.sort_order)):
                by_case.setdefault(cid, {}).setdefault(role, []).append(name)
    out = {}
    for cid, (ref, cause, judge, dept) in cases.items():
        n = by_case.get(cid, {})
        plaintiffs = "、".join(n.get(PartyRole.PLAINTIFF, [])[:2])
        defendants = "、".join(n.get(PartyRole.DEFENDANT, [])[:2])
        out[cid] = (ref, cause, f"{plaintiffs} 诉 {defendants}" if defendants else plaintiffs, judge, dept)
    users = dict(session.execute(select(User.id, User.department_id)).all())
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    return _Context(out, users, depts)


def _department(c: Clock, ctx: _Context) -> uuid.UUID | None:
    if c.department_id is not None:
        return c.department_id
    info = ctx.cases.get(c.case_id)
    if info is not None:
        if info[4] is not None:
            return info[4]
        if info[3] is not None and ctx.user_dept.get(info[3]) is not None:
            return ctx.user_dept[info[3]]
    for uid in (*sorted(c.owner_ids, key=str), *sorted(c.watcher_ids, key=str)):
        if ctx.user_dept.get(uid) is not None:
            return ctx.user_dept[uid]
    return None


def with_departments(session: Session, clocks: list[Clock]) -> list[tuple[Clock, uuid.UUID | None]]:
    """Each clock with the department it belongs to (its own, the case's, the judge's, or an owner's)."""
    ctx = _context(session, clocks, names=False)
    return [(c, _department(c, ctx)) for c in clocks]


def _entry(c: Clock, ctx: _Context, near: int, relation: str) -> QueueEntry:
    ref, cause, parties, _judge, _dept = ctx.cases.get(c.case_id, ("（案件已删除）", "", "", None, None))
    dept = _department(c, ctx)
    return QueueEntry(c, ref, cause, parties, dept, ctx.dept_names.get(dept, "（未归属部门）") if dept else "（未归属部门）",
                      c.urgency(near), relation)


def relation_of(user: User, c: Clock, dept: uuid.UUID | None) -> str | None:
    """How ``user`` relates to clock ``c`` (None: not on their queue)."""
    if user.id in c.owner_ids:
        return "mine"
    if c.team is not None and c.team is user.role:
        return "team"
    if user.id in c.watcher_ids:
        return "waiting"
    if user.role in (Role.JUDGE_ASSISTANT, Role.CLERK) and c.kind in TRIAL_SIDE and dept is not None \
            and dept == user.department_id:
        return "department"
    if user.role is Role.ADMIN:
        return "all"
    return None


def _candidates(user: User, clocks: list[Clock]) -> list[Clock]:
    """The clocks that may be on ``user``'s queue, decided without the departments where possible (so the
    case details are loaded only for those)."""
    if user.role in DEPARTMENT_ROLES:
        return clocks
    return [c for c in clocks if relation_of(user, c, None) is not None]


def _mine(user: User, clocks: list[Clock], ctx: _Context, near: int) -> list[QueueEntry]:
    out = []
    for c in clocks:
        relation = relation_of(user, c, _department(c, ctx))
        if relation is not None:
            out.append(_entry(c, ctx, near, relation))
    return sorted(out, key=entry_key)


def my_queue(session: Session, user: User, *, today: date | None = None, clocks: list[Clock] | None = None,
             progress: Callable[[int, int, str], None] | None = None) -> list[QueueEntry]:
    """我的待办 of ``user``, overdue first then by due date."""
    clocks = clocks if clocks is not None else collect(session, today=today, progress=progress)
    candidates = _candidates(user, clocks)
    return _mine(user, candidates, _context(session, candidates), near_due_days(session))


def led_departments(session: Session, user: User) -> list[Department]:
    """The departments whose lists ``user`` sees: led (庭长), overseen (分管院长), or all (管理员)."""
    q = select(Department).order_by(Department.sort_order, Department.name)
    if user.role is Role.ADMIN:
        return list(session.scalars(q))
    if user.role is Role.DIVISION_CHIEF:
        led = list(session.scalars(q.where(Department.chief_id == user.id)))
        if not led and user.department_id is not None:
            own = session.get(Department, user.department_id)
            led = [own] if own is not None and own.chief_id is None else []
        return led
    if user.role is Role.VICE_PRESIDENT:
        return list(session.scalars(q.where(Department.overseer_id == user.id)))
    return []


def dashboard(session: Session, user: User, *, today: date | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> Dashboard:
    """The counts (overdue, 临期 within ``queues.near_due_days``, all) of the user's queue, by kind, and
    the department lists of a 庭长 / 分管院长 / 管理员."""
    today = today or today_local()
    clocks = collect(session, today=today, progress=progress)
    depts = led_departments(session, user)
    ctx, near = _context(session, clocks if depts else _candidates(user, clocks)), near_due_days(session)
    mine = _mine(user, _candidates(user, clocks), ctx, near)
    counts = Counts()
    by_kind: dict[str, Counts] = {}
    for e in mine:
        counts.add(e)
        by_kind.setdefault(e.clock.kind, Counts()).add(e)
    lists = []
    if depts:
        wanted = {d.id: DepartmentList(d.id, d.name) for d in depts}
        for c in clocks:
            dept = _department(c, ctx)
            if dept in wanted:
                e = _entry(c, ctx, near, "department")
                wanted[dept].entries.append(e)
                wanted[dept].counts.add(e)
        for dl in wanted.values():
            dl.entries.sort(key=entry_key)
        lists = list(wanted.values())
    return Dashboard(today, near, mine, counts, by_kind, lists)
