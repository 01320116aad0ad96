"""演示数据 — a court profile, one user per role, and realistic cases in every stage.

Two paths (the README says the same):

- **bulk** (this module and ``demo_rows``): the court's history and the open cases without workflow records
  — 收件待审查, 已立案, 审理中, 已结案, 已撤回 — written as rows, with the open cases' 送达地址 and 核实
  records; it is what makes ``--cases 1000000`` take minutes, not hours.
- **services** (``demo_sample``): a representative sample (``demo_sample.sample_size``: a quarter of the
  cases, at most one per scenario, about 40) made by the same service calls a clerk's clicks make —
  收件登记, 立案审查 with 补正 rounds and their 补正通知书, the mediation roster, 诉前调解 in every state and
  outcome, 执行咨询 with 执行建议 and 采纳, judgments with service dates and 判后答疑 at each tier, 送达
  attempts. Every 待补正, 诉前调解中, 已判决 and 不予受理 case comes from here, so each has its records.

Dates run back from ``today`` (injectable, so tests do not depend on the day they run).

Fast enough for benchmarks (``baihe-desk demo --cases 1000000`` takes minutes): the rows are made
as plain tuples already in the database's storage format and written with ``executemany`` on the
raw SQLite connection, in batches of one transaction each; during the load the connection runs with
``synchronous=OFF`` and a large cache, the secondary indexes of the case tables are built once at
the end (for large loads) and the search index (``storage.search_index``) is rebuilt after the
rows are in. Other databases (PostgreSQL) take the same rows through SQLAlchemy's bulk insert.
Case numbers are drawn from the same counters as real ones, so later real numbers continue
without gaps. Person names use per-character pinyin (intake uses whole-name pinyin; they differ
for a few polyphonic characters such as 叶 in 叶韵).
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from baihe_desk.config import Paths
from baihe_desk.models import Case, CaseNumberCounter, Department, Role, Stage, User
from baihe_desk.services.admin import court
from baihe_desk.services.admin.demo_rows import MODELS, TABLE_NAMES
from baihe_desk.services.common import audit
from baihe_desk.services.common.actor import SYSTEM
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.common.demo_mark import mark_demo
from baihe_desk.services.filing import causes
from baihe_desk.storage.db import Database

COURT = dict(
    name="吉林省白河林区基层法院", short_name="白河林区法院", code="吉7502",  # 代字: set yours in 系统管理
    address="吉林省延边朝鲜族自治州安图县二道白河镇白山大街", postcode="133613",
    phone="0433-5710000", filing_phone="0433-5710001", seal_text="吉林省白河林区基层法院",
)
DEMO_USERS = [
    # display names are names: the role is shown beside them (“承办法官 李堃”), never inside them
    ("lian", "孙玥", Role.FILING_CLERK, "立案庭"),
    ("zhuli", "赵喆", Role.JUDGE_ASSISTANT, "民事审判庭"),
    ("shuji", "钱晓", Role.CLERK, "民事审判庭"),
    ("faguan", "李堃", Role.JUDGE, "民事审判庭"),
    ("tingzhang", "周建国", Role.DIVISION_CHIEF, "民事审判庭"),
    ("yuanzhang", "吴德华", Role.VICE_PRESIDENT, "院领导"),
    ("zhixing", "郑刚", Role.ENFORCEMENT, "执行局"),
    ("tiaojie", "董秀兰", Role.MEDIATOR, "诉非联动服务站"),
    ("admin", "陈立新", Role.ADMIN, "立案庭"),
]
COMMON_CAUSES = [
    ("民间借贷纠纷", 18, "请求判令被告偿还借款本金{amt}元及利息"),
    ("物业服务合同纠纷", 12, "请求判令被告支付物业服务费{amt}元"),
    ("机动车交通事故责任纠纷", 10, "请求判令被告赔偿医疗费、误工费等各项损失共计{amt}元"),
    ("买卖合同纠纷", 10, "请求判令被告支付货款{amt}元及逾期付款损失"),
    ("金融借款合同纠纷", 8, "请求判令被告偿还借款本金{amt}元及利息、罚息"),
    ("信用卡纠纷", 6, "请求判令被告偿还信用卡透支本金{amt}元及利息"),
    ("离婚纠纷", 8, "请求判令原、被告离婚，依法分割夫妻共同财产"),
    ("劳务合同纠纷", 6, "请求判令被告支付劳务报酬{amt}元"),
    ("相邻关系纠纷", 4, "请求判令被告排除妨碍，恢复通行"),
    ("房屋租赁合同纠纷", 6, "请求判令被告支付租金{amt}元"),
    ("生命权、身体权、健康权纠纷", 5, "请求判令被告赔偿各项损失{amt}元"),
    ("旅游合同纠纷", 4, "请求判令被告退还旅游费用{amt}元"),
]
# Stage by the case's age (days since receipt): recent cases are still open, old ones closed.
# Bulk stages only: the workflow stages (待补正, 诉前调解中, 已判决, 不予受理) come from the sample, with records.
STAGES_BY_AGE = [
    (7, [(Stage.RECEIVED, 60), (Stage.FILED, 35), (Stage.WITHDRAWN, 5)]),  # the window reviews within 7 days
    (60, [(Stage.FILED, 20), (Stage.IN_TRIAL, 55), (Stage.CLOSED, 19), (Stage.WITHDRAWN, 6)]),
    (200, [(Stage.IN_TRIAL, 12), (Stage.CLOSED, 78), (Stage.WITHDRAWN, 10)]),
    (10**6, [(Stage.CLOSED, 93), (Stage.WITHDRAWN, 7)]),  # older than 200 days: decided
]
BATCH = 5000
BUILD_INDEXES_AFTER = 50_000  # loads at least this large drop and rebuild the secondary indexes
CASE_TABLES = TABLE_NAMES


@dataclass
class DemoResult:
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role label)
    cases: int = 0


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Case)) or 0) == 0


def demo_password(username: str, seed: int) -> str:
    return f"Baihe{seed}-{username}"


def _ensure_court_and_users(db: Database, seed: int, result: DemoResult) -> tuple[str, dict[str, uuid.UUID]]:
    with db.transaction() as s:
        mark_demo(s)  # first: even a load cut off half-way leaves a database marked as demo
        profile = court.get_profile(s) or court.save_profile(s, SYSTEM, **COURT)
        depts = {d.name: d for d in profile.departments}
        for i, (name, kind) in enumerate(court.DEMO_DEPARTMENTS):
            if name not in depts:
                depts[name] = Department(court=profile, name=name, kind=kind, sort_order=i)
                s.add(depts[name])
        s.flush()
        ids: dict[str, uuid.UUID] = {}
        for username, display, role, dept in DEMO_USERS:
            user = s.scalar(select(User).where(User.username == username))
            password = demo_password(username, seed)
            if user is None:
                user = User(username=username, display_name=display, role=role, department_id=depts[dept].id,
                            password_hash=hash_password(password))
                s.add(user)
                s.flush()
                result.users.append((username, password, role.label))
            ids[username] = user.id
        trial = depts["民事审判庭"]
        trial.chief_id = ids["tingzhang"]
        trial.overseer_id = ids["yuanzhang"]
        return profile.code, ids


def load_demo(db: Database, *, cases: int = 200, seed: int = 1,
              progress: Callable[[int, int], bool | None] | None = None, today: date | None = None,
              paths: Paths | None = None) -> DemoResult:
    """Load demo data: ``cases`` in all, the sample through the services (only with ``paths``, the data folder its
    documents go to: ``baihe-desk demo`` and the first start; benchmarks and most tests take the bulk alone),
    the rest in bulk. ``today``: the day the demo is "now"
    (default the real today; never later). ``progress(done, total)`` may return False to cancel between batches."""
    from baihe_desk.services.admin import demo_sample
    from baihe_desk.services.admin.demo_rows import RowMaker

    today = today or date.today()
    sample = demo_sample.sample_size(cases) if paths is not None else 0
    rng = random.Random(seed)
    result = DemoResult()
    court_code, user_ids = _ensure_court_and_users(db, seed, result)
    if sample:
        assert paths is not None
        demo_sample.prepare(db, seed=seed, result=result, password=demo_password)  # roster, mediators
    with db.session() as s:
        counters = {(c.year, c.type_code): c.last_serial for c in s.scalars(
            select(CaseNumberCounter).where(CaseNumberCounter.court_code == court_code))}
    maker = RowMaker(rng, db.engine.dialect, court_code=court_code, user_ids=user_ids, counters=counters,
                     causes=_cause_pool(), stages_by_age=STAGES_BY_AGE, today=today,
                     now=datetime.now(UTC), total=cases - sample)
    loader = _load_sqlite if db.is_sqlite else _load_generic
    def bulk_progress(done: int, _bulk: int) -> bool | None:  # counted against all the cases asked for
        return progress(done, cases) if progress is not None else None

    done = loader(db, maker, cases - sample, bulk_progress)
    with db.transaction() as s:
        for (year, type_code), last in counters.items():
            row = s.get(CaseNumberCounter, (court_code, year, type_code))
            if row is None:
                s.add(CaseNumberCounter(court_code=court_code, year=year, type_code=type_code, last_serial=last))
            else:
                row.last_serial = max(row.last_serial, last)
    if sample and done == cases - sample:  # not when the bulk load was cancelled
        assert paths is not None
        done += demo_sample.run(db, paths, count=sample, seed=seed, today=today, court_code=court_code)
        if progress is not None:
            progress(done, cases)
    with db.transaction() as s:
        audit.record(s, None, "demo.load", entity="case", after={"cases": done, "seed": seed})
    result.cases = done
    return result


def _cause_pool() -> list[tuple[Any, str]]:
    cat = {c.name: c for c in causes.selectable()}
    return [(cat[n], tmpl) for n, w, tmpl in COMMON_CAUSES for _ in range(w) if n in cat]


def _batches(maker, cases: int, progress):  # type: ignore[no-untyped-def]
    """Yield (case_rows, party_rows, address_rows) per batch; stops when progress says cancel."""
    done = 0
    while done < cases:
        n = min(BATCH, cases - done)
        yield maker.batch(n)
        done += n
        if progress is not None and progress(done, cases) is False:
            return


def repair(db: Database) -> None:
    """Finish what an interrupted (killed) large load left undone: the indexes it dropped (kept in
    a file beside the database until they are built again) and the search index."""
    if not db.is_sqlite:
        return
    from baihe_desk.storage import search_index

    with db.engine.connect() as sa_conn:
        raw: sqlite3.Connection = sa_conn.connection.dbapi_connection  # type: ignore[assignment]
        pending = _pending_file(db)
        if pending is not None and pending.exists():
            _recreate_indexes(raw, json.loads(pending.read_text(encoding="utf-8")))
            pending.unlink()
        if not search_index.installed(raw) and _search_tables(raw):
            search_index.resume(raw)


def _pending_file(db: Database) -> Path | None:
    path = db.sqlite_path
    return None if path is None else path.with_name(path.name + ".demo-indexes.json")


def _search_tables(raw: sqlite3.Connection) -> bool:
    from baihe_desk.storage import search_index

    return raw.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (search_index.DOC_TABLE,)).fetchone()[0] > 0


def _load_sqlite(db: Database, maker, cases: int, progress) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.storage import search_index

    repair(db)
    done = 0
    with db.engine.connect() as sa_conn:
        raw: sqlite3.Connection = sa_conn.connection.dbapi_connection  # type: ignore[assignment]
        inserts = {t: maker.insert_sql(t) for t in CASE_TABLES}
        _tune_for_bulk(raw, on=True)
        dropped: list[str] = []
        try:
            search_index.suspend(raw)
            if cases >= BUILD_INDEXES_AFTER:
                dropped = _drop_secondary_indexes(raw, _pending_file(db))
            for batch in _batches(maker, cases, progress):
                raw.execute("BEGIN IMMEDIATE")
                try:
                    for table, rows in zip(CASE_TABLES, batch, strict=True):
                        raw.executemany(inserts[table], rows)
                    raw.execute("COMMIT")
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
                done += len(batch[0])
        finally:
            try:
                _recreate_indexes(raw, dropped)
                pending = _pending_file(db)
                if dropped and pending is not None:
                    pending.unlink(missing_ok=True)
                search_index.resume(raw)
                raw.execute("ANALYZE")  # fresh statistics for the query planner after a bulk load
            finally:
                _tune_for_bulk(raw, on=False)
    return done


def _load_generic(db: Database, maker, cases: int, progress) -> int:  # type: ignore[no-untyped-def]
    done = 0
    for batch in _batches(maker, cases, progress):
        with db.transaction() as s:
            for table, rows in zip(MODELS, batch, strict=True):
                if rows:  # an empty list would insert one row of defaults (old, closed cases have no 送达地址)
                    s.execute(insert(table), [maker.as_python(table.__tablename__, r) for r in rows])
        done += len(batch[0])
    return done


def _tune_for_bulk(raw: sqlite3.Connection, *, on: bool) -> None:
    """Fast, non-durable settings for this connection during the load (a crash loses only demo rows)."""
    if on:
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-262144")  # 256 MiB
        raw.execute("PRAGMA temp_store=MEMORY")
    else:
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("PRAGMA cache_size=-2000")  # SQLite's default
        raw.execute("PRAGMA temp_store=DEFAULT")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _drop_secondary_indexes(raw: sqlite3.Connection, pending: Path | None) -> list[str]:
    """Drop the named (non-constraint) indexes of the case tables; returns their CREATE statements
    (also written to ``pending`` first, so ``repair`` can build them if this process is killed)."""
    marks = ",".join("?" * len(CASE_TABLES))
    rows = raw.execute(f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                       f"AND tbl_name IN ({marks})", CASE_TABLES).fetchall()
    if pending is not None:
        pending.write_text(json.dumps([sql for _name, sql in rows], ensure_ascii=False), encoding="utf-8")
    raw.execute("BEGIN IMMEDIATE")
    for name, _sql in rows:
        raw.execute(f'DROP INDEX "{name}"')
    raw.execute("COMMIT")
    return [sql for _name, sql in rows]


def _recreate_indexes(raw: sqlite3.Connection, statements: list[str]) -> None:
    if not statements:
        return
    raw.execute("BEGIN IMMEDIATE")
    for sql in statements:
        raw.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    raw.execute("COMMIT")
