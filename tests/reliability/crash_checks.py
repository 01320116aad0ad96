"""崩溃测试（核对）— after the kills: nothing reported committed is lost, nothing is half-applied.

Checks, in order: SQLite ``integrity_check`` and ``foreign_key_check``; the audit chain
(``audit.verify_chain``) and ``health.check_database``; every case against the marker its own
transaction wrote (parties, agents, intake addresses, service addresses, 案号 and their audit records);
every reported transaction against the database (committed ones present, rolled-back ones absent);
the gap-free counters (收件号 and 民初 serials are exactly 1…last_serial); every finished backup file.
Returns the figures for the report; raises AssertionError listing every problem found.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from baihe_desk.models import AuditRecord, Case, CaseNumberCounter, Party, ServiceAddress
from baihe_desk.services.admin.health import check_database
from baihe_desk.services.common import audit
from baihe_desk.storage.backup import check_backup
from baihe_desk.storage.db import Database
from tests.reliability.crash_worker import Shape


@dataclass
class Reports:
    committed: dict[str, tuple[str, str]] = field(default_factory=dict)  # txid → (kind, case id)
    rolled_back: set[str] = field(default_factory=set)
    backups: list[str] = field(default_factory=list)
    torn_lines: int = 0  # an incomplete last line (killed while writing the report): not a report
    killed_inside: Counter = field(default_factory=Counter)  # kind → kills that landed inside one


def read_reports(logs: list[Path]) -> Reports:
    out = Reports()
    for log in logs:
        if not log.exists():
            continue  # killed before it opened its log
        data = log.read_bytes()
        lines = data.split(b"\n")
        if lines and lines[-1]:
            out.torn_lines += 1
        complete = [raw.decode("utf-8").split() for raw in lines[:-1]]
        if complete and complete[-1][0] == "S":
            out.killed_inside[complete[-1][2]] += 1
        for parts in complete:
            if parts[0] == "C":
                out.committed[parts[1]] = (parts[2], parts[3])
            elif parts[0] == "R":
                out.rolled_back.add(parts[1])
            elif parts[0] == "B":
                out.backups.append(parts[2])
    return out


@dataclass
class Verdict:
    reported_committed: int = 0
    reported_rolled_back: int = 0
    cases: int = 0
    unreported_present: int = 0  # committed, then killed before reporting (at most one per kill)
    lost: int = 0
    half_applied: int = 0
    backups_checked: int = 0
    audit_records: int = 0

    @property
    def transactions_verified(self) -> int:
        return self.reported_committed + self.reported_rolled_back + self.unreported_present


def _sqlite_checks(path: Path, problems: list[str]) -> None:
    con = sqlite3.connect(path)
    try:
        ok = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if ok != ["ok"]:
            problems.append(f"integrity_check: {ok[:5]}")
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
    finally:
        con.close()


def _check_case(case: Case, shape: Shape | None, audits: Counter, svc: list[ServiceAddress],
                problems: list[str]) -> bool:
    """True when ``case`` is exactly what its transaction wrote."""
    where = f"case {case.receipt_number} ({shape.tx if shape else 'no marker'})"
    bad = []
    if shape is None:
        bad.append("has no transaction marker")
    else:
        if shape.tx.startswith("R"):
            bad.append("belongs to a rolled-back transaction")
        if len(case.parties) != shape.parties:
            bad.append(f"{len(case.parties)} parties, its transaction wrote {shape.parties}")
        agents = sum(len(p.agents) for p in case.parties)
        if agents != shape.agents:
            bad.append(f"{agents} agents, its transaction wrote {shape.agents}")
        if any(len(p.addresses) != 1 for p in case.parties):
            bad.append("a party without its intake address")
        if len(svc) != (shape.parties if shape.addresses else 0):
            bad.append(f"{len(svc)} service addresses, expected {shape.parties if shape.addresses else 0}")
        if shape.numbered and not case.case_number:
            bad.append("no 案号 although its transaction assigned one")
    if audits[("case.create", str(case.id))] != 1:
        bad.append(f"{audits[('case.create', str(case.id))]} case.create audit records")
    if audits[("case.assign_number", str(case.id))] != (1 if case.case_number else 0):
        bad.append("案号 and its audit record disagree")
    if sum(audits[("service_address.add", str(a.id))] for a in svc) != len(svc):
        bad.append("service addresses without their audit records")
    for b in bad:
        problems.append(f"{where}: {b}")
    return not bad


def _check_counters(session, cases: list[Case], problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    serials: dict[tuple[int, str], list[int]] = defaultdict(list)
    for c in cases:
        year, _, rest = c.receipt_number.partition("收")
        serials[(int(year), "收件")].append(int(rest))
        if c.case_number:
            serials[(c.number_year, c.number_type)].append(c.number_serial)
    counters = {(k.year, k.type_code): k.last_serial for k in session.scalars(select(CaseNumberCounter))}
    for key in set(serials) | set(counters):
        got = sorted(serials.get(key, []))
        last = counters.get(key, 0)
        if got != list(range(1, last + 1)):
            missing = sorted(set(range(1, last + 1)) - set(got))[:5]
            problems.append(f"counter {key}: last_serial {last}, numbers in use {len(got)}, missing {missing}, "
                            f"duplicates {[n for n, k in Counter(got).items() if k > 1][:5]}")


def verify(url: str, reports: Reports, *, kills: int, backups: Path) -> Verdict:
    db = Database(url)
    v = Verdict()
    problems: list[str] = []
    try:
        _sqlite_checks(Path(db.sqlite_path or ""), problems)
        rep = check_database(db)
        problems.extend(f"check_database: {p}" for p in rep.problems)
        with db.session() as s:
            problems.extend(f"audit chain: #{p.seq} {p.problem}" for p in audit.verify_chain(s))
            cases = list(s.scalars(select(Case).options(
                selectinload(Case.parties).selectinload(Party.agents),
                selectinload(Case.parties).selectinload(Party.addresses))))
            svc: dict[str, list[ServiceAddress]] = defaultdict(list)
            for a in s.scalars(select(ServiceAddress)):
                svc[str(a.case_id)].append(a)
            records = list(s.execute(select(AuditRecord.action, AuditRecord.entity_id)))
            audits = Counter((r.action, r.entity_id) for r in records)
            v.audit_records = len(records)
            by_id = {str(c.id): c for c in cases}
            shapes = {str(c.id): Shape.of(c.facts) for c in cases}
            txs = {sh.tx: cid for cid, sh in shapes.items() if sh}
            v.cases = len(cases)
            for c in cases:
                if not _check_case(c, shapes[str(c.id)], audits, svc[str(c.id)], problems):
                    v.half_applied += 1
            for (action, entity_id), n in audits.items():
                if action == "case.create" and entity_id not in by_id:
                    problems.append(f"audit case.create for {entity_id} but no such case ({n})")
            for txid, (kind, case_id) in reports.committed.items():
                v.reported_committed += 1
                case = by_id.get(case_id)
                if case is None or (kind == "intake" and txs.get(txid) != case_id) or (
                        kind == "number" and not case.case_number):
                    v.lost += 1
                    problems.append(f"reported committed but missing: {txid} {kind} {case_id}")
            for txid in reports.rolled_back:
                v.reported_rolled_back += 1
                if txid in txs:
                    problems.append(f"rolled back but present: {txid}")
            numbered_by_tx = {cid for kind, cid in reports.committed.values() if kind == "number"}
            unreported = [t for t in txs if t not in reports.committed]
            unreported_numbers = [cid for cid, c in by_id.items() if c.case_number and not shapes[cid].numbered
                                  and cid not in numbered_by_tx]
            v.unreported_present = len(unreported) + len(unreported_numbers)
            if v.unreported_present > kills:
                problems.append(f"{v.unreported_present} unreported transactions present, more than the {kills} kills")
            _check_counters(s, cases, problems)
    finally:
        db.dispose()
    for f in sorted(backups.glob("crash-*.sqlite3")):
        v.backups_checked += 1
        try:
            check_backup(f)
        except Exception as exc:  # noqa: BLE001 - reported below
            problems.append(f"backup {f.name}: {exc}")
    missing = [b for b in reports.backups if not (backups / b).exists()]
    if missing:
        problems.append(f"reported backups missing: {missing[:5]}")
    if problems:
        raise AssertionError(f"{len(problems)} problems after {kills} kills:\n  " + "\n  ".join(problems[:40]))
    return v
