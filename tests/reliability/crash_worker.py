"""崩溃测试（子进程端）— random write transactions through the real services, killed at random moments.

The parent (``crash_harness.run``) starts :func:`worker` in a child process and kills it (SIGKILL on
POSIX, TerminateProcess on Windows: ``Process.kill()``) at a random moment. The child reports each
transaction to its own log file ONLY AFTER ``db.transaction()`` has returned (committed) or, for the
deliberately failing kind, after the rollback has finished. One line per transaction, written with a
single ``os.write`` on an ``O_APPEND`` descriptor (an incomplete last line is ignored by the parent).
Lines: ``S <tx> <kind>`` (started), ``C <tx> <kind> <case id>`` (committed), ``R <tx>`` (rolled back
as intended), ``B <tx> <file>`` (backup finished).

Every transaction writes what it is supposed to contain into the data it writes (the case's 事实和理由
carries a marker with the number of parties, agents, and whether an address import and a 案号 belong
to the same transaction), so the verification can tell a complete case from a half-applied one even
for a transaction that committed but was killed before it could report.

Adding a kind of transaction: write ``def tx_x(w: Worker, txid: str) -> None`` that does one write
transaction and calls ``w.report(...)`` after it, and add it to ``TX_KINDS`` with a weight; teach
``crash_checks`` what to verify for its report lines.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from baihe_desk.errors import KnownError
from baihe_desk.models import Case, PartyKind, PartyRole, Role, Stage, User
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case
from baihe_desk.services.filing.service_address import import_intake_addresses
from baihe_desk.storage.backup import backup_file
from baihe_desk.storage.db import Database

COURT_CODE = "吉7502"
MARK = "崩溃测试事务"
MARK_RE = re.compile(
    MARK + r" (?P<tx>\S+)；当事人(?P<parties>\d+)；代理人(?P<agents>\d+)；立案(?P<numbered>[01])；地址(?P<addresses>[01])"
)
CAUSES = ["民间借贷纠纷", "物业服务合同纠纷", "买卖合同纠纷", "租赁合同纠纷", "劳务合同纠纷"]
YEARS = (2024, 2025)


class Deliberate(Exception):
    """Raised inside a transaction on purpose: everything it wrote must be rolled back."""


@dataclass(frozen=True)
class Shape:
    """What one intake transaction wrote, read back from its marker."""

    tx: str
    parties: int
    agents: int
    numbered: bool
    addresses: bool

    @classmethod
    def of(cls, facts: str) -> Shape | None:
        m = MARK_RE.search(facts or "")
        if m is None:
            return None
        return cls(m["tx"], int(m["parties"]), int(m["agents"]), m["numbered"] == "1", m["addresses"] == "1")

    def marker(self) -> str:
        return (f"{MARK} {self.tx}；当事人{self.parties}；代理人{self.agents}；立案{int(self.numbered)}；"
                f"地址{int(self.addresses)}")


class Worker:
    """One child's state: the database, the actors, the random source and the report file."""

    def __init__(self, url: str, log_path: str, seed: int, backups: str):
        self.db = Database(url)
        self.rng = random.Random(seed)
        self.backups = Path(backups)
        self.src = Path(self.db.sqlite_path or "")
        with self.db.session() as s:
            self.clerk = s.scalars(select(User).where(User.role == Role.FILING_CLERK)).first()
        self.fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def report(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode("utf-8"))

    # -- building input ------------------------------------------------------------------------
    def party(self, role: PartyRole, agents: int) -> PartyInput:
        rng = self.rng
        region = rng.choice(dd.REGIONS)
        if rng.random() < 0.7:
            born = dd.random_date(rng, date(1940, 1, 1), date(2000, 12, 31))
            male = rng.random() < 0.5
            p = PartyInput(role=role, kind=PartyKind.NATURAL, name=dd.person_name(rng, rare_share=0.3),
                           id_number=dd.make_id_number(rng, region[0], born, male),
                           domicile=dd.address(rng, region), phone=dd.mobile(rng))
        else:
            p = PartyInput(role=role, kind=PartyKind.ORGANISATION, name=dd.org_name(rng, region[2]),
                           credit_code=dd.make_credit_code(rng, region[0]), legal_rep_name=dd.person_name(rng),
                           legal_rep_title="总经理", domicile=dd.address(rng, region))
        p.agents = [AgentInput(name=dd.person_name(rng), phone=dd.mobile(rng)) for _ in range(agents)]
        return p

    def case_input(self, shape: Shape) -> CaseInput:
        rng = self.rng
        roles = [PartyRole.PLAINTIFF, PartyRole.DEFENDANT] + [
            rng.choice([PartyRole.PLAINTIFF, PartyRole.DEFENDANT]) for _ in range(shape.parties - 2)]
        agents = [0] * shape.parties
        for _ in range(shape.agents):
            agents[rng.randrange(shape.parties)] += 1
        year = rng.choice(YEARS)
        return CaseInput(
            cause_name=rng.choice(CAUSES), claim_amount=f"{rng.randrange(100, 5_000_000)}.{rng.randrange(100):02d}",
            claims="请求判令被告支付欠款及利息", facts=shape.marker(),
            received_on=dd.random_date(rng, date(year, 1, 1), date(year, 12, 31)),
            parties=[self.party(r, a) for r, a in zip(roles, agents, strict=True)])

    def shape(self, txid: str) -> Shape:
        rng = self.rng
        return Shape(txid, rng.randint(2, 5), rng.randint(0, 3), rng.random() < 0.4, rng.random() < 0.5)

    def intake(self, shape: Shape) -> Case:
        """Inside a transaction: the case, its parties, maybe addresses and a 民初 number."""
        data = self.case_input(shape)
        with self.db.transaction() as s:
            case = create_case(s, self.clerk, data, court_code=COURT_CODE)
            if shape.addresses:
                import_intake_addresses(s, self.clerk, case)
            if shape.numbered:
                assign_case_number(s, self.clerk, case, "民初", year=case.received_on.year)
            if shape.tx.startswith("R"):
                raise Deliberate(shape.tx)
        return case


# -- the kinds of transaction ---------------------------------------------------------------------

def tx_intake(w: Worker, txid: str) -> None:
    case = w.intake(w.shape(txid))
    w.report(f"C {txid} intake {case.id}")


def tx_rollback(w: Worker, txid: str) -> None:
    try:
        w.intake(w.shape("R" + txid))
    except Deliberate:
        w.report(f"R R{txid}")


def tx_number(w: Worker, txid: str) -> None:
    """登记立案 of an earlier, not yet numbered case (its own transaction)."""
    with w.db.transaction() as s:
        case = s.scalars(select(Case).where(Case.case_number.is_(None), Case.stage == Stage.RECEIVED)
                         .order_by(Case.receipt_number).limit(1).offset(w.rng.randrange(5))).first()
        if case is None:
            return
        try:
            assign_case_number(s, w.clerk, case, "民初", year=case.received_on.year)
        except KnownError:
            return
        case_id = case.id
    w.report(f"C {txid} number {case_id}")


def tx_backup(w: Worker, txid: str) -> None:
    """A backup of the database in use (the startup/daily backup path), killed at random like the rest."""
    out = w.backups / f"crash-{txid}.sqlite3"
    backup_file(w.src, out)
    w.report(f"B {txid} {out.name}")


TX_KINDS: dict[str, tuple[int, Callable[[Worker, str], None]]] = {
    "intake": (70, tx_intake),
    "rollback": (12, tx_rollback),
    "number": (15, tx_number),
    "backup": (3, tx_backup),
}


def warm_up() -> None:
    """Load what the first transaction would load lazily (pinyin tables, catalogues, mappers), so that a
    forked child writes from its first milliseconds. Runs at import: the forkserver preloads this module."""
    from sqlalchemy.orm import configure_mappers

    from baihe_desk.services.common.case_numbers import load_case_types
    from baihe_desk.services.filing import causes
    from baihe_desk.services.filing.intake import name_search_key

    configure_mappers()
    causes.selectable()
    load_case_types()
    name_search_key("王堃𠇔")


warm_up()


def worker(url: str, log_path: str, seed: int, prefix: str, backups: str, ready) -> None:  # type: ignore[no-untyped-def]
    """The child's main loop: transactions until it is killed (or ``BAIHE_CRASH_MAX_TX`` is reached)."""
    w = Worker(url, log_path, seed, backups)
    ready.set()
    names = list(TX_KINDS)
    weights = [TX_KINDS[n][0] for n in names]
    limit = int(os.environ.get("BAIHE_CRASH_MAX_TX", "1000000"))
    for n in range(1, limit + 1):
        kind = w.rng.choices(names, weights)[0]
        txid = f"{prefix}.{n}"
        w.report(f"S {txid} {kind}")  # started: a kill before the next line landed inside this one
        TX_KINDS[kind][1](w, txid)
    w.db.dispose()
