"""The benchmark database: created (migrated: the search index comes with revision 0002) and filled
with demo data up to the asked number of cases; reused on the next run. Also the query samples."""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError
from baihe_desk.storage.db import Database

KINDS = ("name", "number", "address")
LENGTHS = (1, 2, 3, 5)


def open_bench_database(root: Path, cases: int, *, say=print,  # type: ignore[no-untyped-def]
                        url: str | None = None) -> tuple[Paths, Database, dict]:
    """Open (and if needed fill) the benchmark database in ``root`` (or the server database ``url``);
    returns (paths, db, facts)."""
    from baihe_desk.storage.startup import open_database

    paths = Paths(root).ensure()
    # migrated like a court's database (revision 0002 installs the search index); a benchmark
    # database from an older desk is migrated here, which builds its search index once
    db = open_database(paths, LocalSettings(database_url=url), backup=False)
    facts: dict = {"generated_s": None}
    from baihe_desk.services.admin.demo import load_demo, repair
    from baihe_desk.services.common.demo_mark import demo_refusal

    with db.session() as s:  # never a court's database: the benchmark reads every case and may add demo ones
        refusal = demo_refusal(s)
    if refusal:
        db.dispose()
        raise KnownError(f"基准测试只用演示数据库。{refusal}")
    repair(db)  # a generation that was killed half-way: finish its indexes
    have = _count(db)
    if have < cases:

        say(f"# generating demo data: {cases - have:,} cases (once; reused by later runs)…")
        start = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 10:
                last[0] = time.perf_counter()
                print(f"#   {done:,}/{total:,} cases, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

        load_demo(db, cases=cases - have, seed=have + 1, progress=progress)
        facts["generated_s"] = time.perf_counter() - start
        with db.transaction() as s:
            s.execute(text("ANALYZE"))
    facts["cases"] = _count(db)
    facts["size_gib"] = paths.database.stat().st_size / 2**30 if url is None and paths.database.exists() else 0
    return paths, db, facts


def _count(db: Database) -> int:
    with db.session() as s:
        return s.execute(text('SELECT count(*) FROM "case"')).scalar() or 0


def sample_queries(db: Database, kind: str, length: int, n: int, seed: int) -> list[str]:
    """``n`` random substrings of ``length`` characters of stored party names, 案号/收件号 or addresses, from
    random cases: by rowid on SQLite, on PostgreSQL the first case at or after a random UUID (ids are random)."""
    rng = random.Random(f"{seed}-{kind}-{length}")
    one_case = ('(SELECT id FROM "case" WHERE rowid = :r)' if db.is_sqlite
                else '(SELECT id FROM "case" WHERE id >= :r ORDER BY id LIMIT 1)')
    sql = {
        "name": f"SELECT name FROM party WHERE case_id = {one_case}",
        "number": f'SELECT coalesce(case_number, receipt_number) FROM "case" WHERE id = {one_case}',
        "address": f"SELECT a.text FROM address a JOIN party p ON p.id = a.party_id WHERE p.case_id = {one_case}",
    }[kind]
    out: list[str] = []
    with db.session() as s:
        top = (s.execute(text('SELECT max(rowid) FROM "case"')).scalar() or 0) if db.is_sqlite else 0
        tries = 0
        while len(out) < n and tries < n * 50:
            tries += 1
            key = rng.randint(1, top) if db.is_sqlite else uuid.UUID(int=rng.getrandbits(128))
            values = [v for v in s.execute(text(sql), {"r": key}).scalars() if v and len(v) >= length]
            if values:
                value = rng.choice(values)
                start = rng.randint(0, len(value) - length)
                out.append(value[start:start + length])
    return out
