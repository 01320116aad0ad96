"""期限 (clocks) — every running deadline of the desk, each with its days left and legal basis.

Each workflow contributes its clocks through a **provider** registered with
:func:`register_clock_provider`. A provider is ``fn(session, scope) -> Iterable[Clock]``: it returns the
clocks of the open items of its workflow — all of them (``scope.case_ids is None``, for the work queues
and the dashboard: it must query only open items, with indexed filters, because the court's database
holds a million cases), or only those of the given cases (a case's own clock list). It never writes.

The built-in providers (imported on first use):

- ``clocks_filing`` — 七日立案期限 (民事诉讼法第一百二十六条) and the 补正期限, by the rules of
  ``complaint_review.filing_clock``;
- ``clocks_mediation`` — 诉前调解期限 30 日 with extensions and suspensions (``mediation_period``), and the
  window's to-dos (待发告知书、待委派、待签收);
- ``clocks_enforcement`` — 执行局回复期限 (working days, court setting) and 待记录采纳情况;
- ``clocks_explanation`` — 上诉期 per party (民事诉讼法第一百七十一条) and 判后答疑 tiers awaiting record;
- ``clocks_service`` — 公告送达期 (民事诉讼法第九十五条, 30 days);
- ``clocks_answer`` — 答辩期 per defendant (第一百二十八条 15 days; 第二百八十五条 30 days without a domicile in the PRC);
- ``clocks_trial`` — 审理期限 (第一百五十二条、第一百六十四条、第一百六十八条) with recorded extensions and
  periods not counted.

A clock is either a **duty** (the court must act by ``due``: once past, it is overdue — 超期) or a
**watch** (a period running for a party, e.g. the appeal period or the 公告期: its end is news, not a
failure), or a **to-do** without a due date (``due is None``).
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, configure_mappers

from baihe_desk.models import Role
from baihe_desk.services.deadlines.holidays import EXTRA_SETTING_KEY, HolidayTable, table_with_extra

log = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEAR_DUE_KEY = "queues.near_due_days"  # declared in services/settings_catalogue.py (default 3)
DEFAULT_NEAR_DUE_DAYS = 3
BUILTIN_PROVIDERS = ("clocks_filing", "clocks_mediation", "clocks_enforcement", "clocks_explanation",
                     "clocks_service", "clocks_answer", "clocks_trial")

__all__ = [
    "Clock", "ClockScope", "Provider", "case_clocks", "collect", "holiday_table", "near_due_days", "providers",
    "register_clock_provider", "today_local", "unregister_clock_provider",
]


def today_local() -> date:
    return datetime.now(SHANGHAI).date()


@dataclass(frozen=True)
class Clock:
    """One deadline (or to-do) of one case."""

    kind: str  # filing_decision / correction / mediation / consult_reply / appeal / public_notice / trial_limit …
    label: str  # 七日立案期限 …
    case_id: uuid.UUID
    step: str  # where the case opens (see ``queues.STEP_LABELS``)
    due: date | None  # None: a to-do without a due date
    days_left: int | None  # calendar days from today to ``due``: 0 on the day, negative once past
    duty: bool  # True: the court must act by ``due`` (past due = overdue)
    state: str = "running"  # running / paused / expired / todo / waiting
    detail: str = ""  # short status, e.g. 剩余 3 日 / 已超期 2 日 / 暂停（鉴定评估中）
    basis: tuple[str, ...] = ()  # legal basis, one line each
    steps: tuple[str, ...] = ()  # how ``due`` was counted
    warnings: tuple[str, ...] = ()
    owner_ids: frozenset[uuid.UUID] = frozenset()  # who must act
    watcher_ids: frozenset[uuid.UUID] = frozenset()  # who waits on it (e.g. the judge waiting for a reply)
    team: Role | None = None  # or a whole team acts (立案窗口, 执行局)
    department_id: uuid.UUID | None = None  # the department it belongs to (None: resolved from the case)
    entity_id: uuid.UUID | None = None  # the review / mediation / consultation / tier / record
    party: str = ""  # for per-party clocks (上诉期、公告)

    @property
    def paused(self) -> bool:
        return self.state == "paused"

    @property
    def overdue(self) -> bool:
        return self.duty and not self.paused and self.days_left is not None and self.days_left < 0

    def urgency(self, near_days: int) -> str:
        """overdue (a duty past due) / ended (a watch past its end) / near (due within ``near_days``) /
        ok / none (no due date, or paused)."""
        if self.days_left is None or self.paused:
            return "none"
        if self.days_left < 0:
            return "overdue" if self.duty else "ended"
        if self.days_left <= near_days:
            return "near"
        return "ok"


@dataclass(frozen=True)
class ClockScope:
    today: date
    table: HolidayTable
    case_ids: frozenset[uuid.UUID] | None = None  # None: every open item

    @property
    def everything(self) -> bool:
        return self.case_ids is None


Provider = Callable[[Session, ClockScope], Iterable[Clock]]
_PROVIDERS: dict[str, Provider] = {}
_builtins_loaded = False
_load_lock = threading.Lock()


def register_clock_provider(fn: Provider | None = None, *, name: str | None = None):  # type: ignore[no-untyped-def]
    """Register ``fn`` (also usable as a decorator). A provider of the same ``name`` is replaced."""

    def add(f: Provider) -> Provider:
        _PROVIDERS[name or f"{f.__module__}.{f.__qualname__}"] = f
        return f

    return add(fn) if fn is not None else add


def unregister_clock_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def _load_builtins() -> None:
    """Import the built-in providers once. Under a lock, and the mappers configured before it is released:
    two background queries may ask at the same time, and a query must never configure the ORM mappers
    while another thread is half-way through importing a model module."""
    global _builtins_loaded
    if _builtins_loaded:
        return
    with _load_lock:
        if _builtins_loaded:
            return
        for module in BUILTIN_PROVIDERS:
            try:
                importlib.import_module(f"baihe_desk.services.deadlines.{module}")
            except ImportError:  # a workflow not installed in this build: its clocks are simply absent
                log.warning("clock provider %s not available", module, exc_info=True)
        configure_mappers()
        _builtins_loaded = True


def providers() -> dict[str, Provider]:
    _load_builtins()
    return dict(_PROVIDERS)


def setting(session: Session, key: str, default):  # type: ignore[no-untyped-def]
    from baihe_desk.models import Setting

    row = session.get(Setting, key)
    return default if row is None or row.value is None else row.value


def holiday_table(session: Session) -> HolidayTable:
    return table_with_extra(setting(session, EXTRA_SETTING_KEY, None))


def near_due_days(session: Session) -> int:
    """The court setting ``queues.near_due_days`` (0–30, default 3): how many days before due is 临期."""
    value = setting(session, NEAR_DUE_KEY, DEFAULT_NEAR_DUE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 30:
        return DEFAULT_NEAR_DUE_DAYS
    return value


def collect(session: Session, *, today: date | None = None, case_ids: Iterable[uuid.UUID] | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> list[Clock]:
    """Every clock of every provider (of the given cases, or of all open items)."""
    scope = ClockScope(today or today_local(), holiday_table(session),
                       None if case_ids is None else frozenset(case_ids))
    out: list[Clock] = []
    items = list(providers().items())
    for i, (_name, fn) in enumerate(items):
        if progress is not None:
            progress(i, len(items), "正在汇总期限…")
        out.extend(fn(session, scope))
    return out


def case_clocks(session: Session, case_id: uuid.UUID, *, today: date | None = None) -> list[Clock]:
    """The clocks of one case, most urgent first."""
    return sorted(collect(session, today=today, case_ids=[case_id]), key=sort_key)


def sort_key(c: Clock) -> tuple:  # type: ignore[type-arg]
    """Overdue first, then by due date (to-dos without a date last), then by label."""
    return (not c.overdue, c.due is None, c.due or date.max, c.label)

