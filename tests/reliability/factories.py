"""Valid data for the reliability tests: a complaint (收件登记 input) and a saved case, from a seed."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import date
from pathlib import Path

from baihe_desk.models import PartyKind, PartyRole, User
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case
from baihe_desk.storage.db import Database

COURT_CODE = "吉7502"


def party_input(rng: random.Random, role: PartyRole, *, organisation: bool | None = None) -> PartyInput:
    region = rng.choice(dd.REGIONS)
    org = rng.random() < 0.3 if organisation is None else organisation
    if not org:
        born = dd.random_date(rng, date(1940, 1, 1), date(2000, 12, 31))
        return PartyInput(role=role, kind=PartyKind.NATURAL, name=dd.person_name(rng, rare_share=0.3),
                          id_number=dd.make_id_number(rng, region[0], born, rng.random() < 0.5),
                          domicile=dd.address(rng, region), phone=dd.mobile(rng),
                          agents=[AgentInput(name=dd.person_name(rng), phone=dd.mobile(rng))] if rng.random() < 0.3
                          else [])
    return PartyInput(role=role, kind=PartyKind.ORGANISATION, name=dd.org_name(rng, region[2]),
                      credit_code=dd.make_credit_code(rng, region[0]), legal_rep_name=dd.person_name(rng),
                      legal_rep_title="总经理", domicile=dd.address(rng, region))


def case_input(seed: int = 0, *, parties: int = 2, received_on: date | None = None) -> CaseInput:
    rng = random.Random(seed)
    roles = [PartyRole.PLAINTIFF, PartyRole.DEFENDANT, *[PartyRole.DEFENDANT] * (parties - 2)]
    return CaseInput(
        cause_name="民间借贷纠纷", claim_amount=f"{rng.randrange(1000, 900000)}.{rng.randrange(100):02d}",
        claims="请求判令被告偿还借款本金及利息", facts="被告向原告借款，到期未还。",
        received_on=received_on or date(2025, 3, 3), parties=[party_input(rng, r) for r in roles])


def make_case(db: Database, actor: User, seed: int = 0, **kw) -> uuid.UUID:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return create_case(s, actor, case_input(seed, **kw), court_code=COURT_CODE).id


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every user table of a SQLite file, each as its sorted rows (for identical-data comparisons)."""
    con = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def checkpoint(path: Path) -> None:
    """Move the WAL into the main file (so a byte-level copy or edit sees every committed page)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def assert_same_data(live: Path, backup: Path) -> None:
    """Every table identical; the live audit trail may only have one ``database.restore`` record more."""
    a, b = table_rows(live), table_rows(backup)
    assert a.keys() == b.keys()
    for name in a:
        if name == "audit_record" and len(a[name]) == len(b[name]) + 1:
            extra = set(a[name]) - set(b[name])
            assert len(extra) == 1 and "database.restore" in repr(extra)
            continue
        assert a[name] == b[name], f"table {name} differs after the restore"
