"""Benchmark sections of issue 21: a busy core, the command line, the report exports, growth with size.

- ``Busy``: ``--busy`` starts a competing process that keeps one core busy for the whole run (court
  PCs run antivirus scans); every figure is then measured beside it.
- ``cli``: ``baihe-desk cases --search`` as a new process on the benchmark database and on a
  10,000-case one (the same query): the 1M call within 1.2× of the 10k call, and the bytes the
  command wrote (no whole-database copy per command).
- ``exports``: 月分析 and 周通报 exported (statistics + DOCX + PDF, ``render_report_to_dir``).
- ``growth``: search, list open, month statistics and the short-search count at each of ``--sizes``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from baihe_desk.bench.report import Report, Target, median, percentile, timed

REPO = Path(__file__).resolve().parents[2]


class Busy:
    """A child process burning one core at normal priority until ``stop``."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self, report: Report) -> Busy:
        self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        report.note(f"busy: one competing CPU-burning process (pid {self.proc.pid}, normal priority) "
                    "runs during the whole benchmark")
        time.sleep(1.0)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def size_dir(data_dir: Path, cases: int, n: int) -> Path:
    """The data folder of the ``n``-case database: ``data_dir`` itself for the main size."""
    return data_dir if n == cases else data_dir.with_name(f"{data_dir.name}-{n}")


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = 1_000_000 if part.endswith("m") else 1000 if part.endswith("k") else 1
        out.append(int(float(part.rstrip("mk")) * factor))
    return out


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _written_bytes() -> int:
    """Bytes the finished child processes caused to be written (Linux block accounting; 0 elsewhere)."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock * 512
    except (ImportError, AttributeError):
        return 0


def _cli_search(data_dir: Path, query: str, password: str, runs: int) -> tuple[list[float], int, list[str]]:
    env = {**os.environ, "BAIHE_DESK_PASSWORD": password}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    walls = []
    written = 0
    backups_before = sorted(p.name for p in (data_dir / "backups").glob("*")) if (data_dir / "backups").exists() else []
    for _ in range(runs):
        before = _written_bytes()
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "baihe_desk", "--data-dir", str(data_dir), "--user", "lian",
                               "cases", "--search", query, "--limit", "20"], capture_output=True, text=True,
                              env=env, cwd=REPO, timeout=600)
        walls.append((time.perf_counter() - start) * 1000)
        written = max(written, _written_bytes() - before)
        if done.returncode != 0:
            raise RuntimeError(f"cases --search failed: {done.stderr[-1500:]}")
    backups_after = sorted(p.name for p in (data_dir / "backups").glob("*")) if (data_dir / "backups").exists() else []
    return walls, written, [n for n in backups_after if n not in backups_before]


def cli(report: Report, data_dir: Path, cases: int, small: Path, runs: int = 3) -> None:
    """``cases --search`` on the benchmark database and on the 10,000-case one."""
    from baihe_desk.bench.data import open_bench_database, sample_queries
    from baihe_desk.services.admin.demo import demo_password

    _, small_db, facts = open_bench_database(small, 10_000, say=report.note)
    try:
        query = sample_queries(small_db, "name", 3, 1, seed=21)[0]
    finally:
        small_db.dispose()
    password = demo_password("lian", 1)  # the benchmark databases are loaded with seed 1
    small_walls, small_written, small_new = _cli_search(small, query, password, runs)
    big_walls, big_written, big_new = _cli_search(data_dir, query, password, runs)
    report.metric("cli_cases_search_10k", median(small_walls),
                  extra=f"python -m baihe_desk cases --search {query} --limit 20 on {facts['cases']:,} cases, a new "
                        f"process with login and audit record, median of {runs}; wrote ≤ {small_written / 2**20:.1f} MiB")
    report.metric("cli_cases_search", median(big_walls), floor="cli_cases_search_10k",
                  target=Target(1.2, ratio=True, text="≤ 1.2× floor"),
                  extra=f"the same on {cases:,} cases, median of {runs}: "
                        f"{', '.join(f'{t:.0f}' for t in big_walls)} ms; wrote ≤ {big_written / 2**20:.1f} MiB; "
                        f"new backup files: {len(big_new)}")
    db_size = (data_dir / "baihe-desk.sqlite3").stat().st_size
    report.metric("cli_bytes_written", big_written / 2**20, "MiB",
                  target=Target(0.05 * db_size / 2**20, text="no whole-database copy (< 5 % of the file)"),
                  extra=f"most written by one cases --search on {cases:,} cases (database {db_size / 2**30:.2f} GiB)")


def exports(report: Report, db, paths, runs: int = 3) -> None:  # type: ignore[no-untyped-def]
    """月分析 and 周通报 through ``render_report_to_dir`` (statistics + DOCX + PDF), as ``render`` exports them."""
    from sqlalchemy import select, text

    from baihe_desk.models import Role, User
    from baihe_desk.services.statistics.export import render_report_to_dir

    with db.session() as s:
        last = s.execute(text('SELECT max(received_on) FROM "case"')).scalar()
        # the window's clerk exports them, as ``render`` would for her (the desk itself, SYSTEM, may not)
        clerk = s.scalar(select(User).where(User.role == Role.FILING_CLERK, User.active.is_(True)).limit(1))
        s.expunge(clerk)
    day = date.fromisoformat(str(last)) if last else date.today()
    month = date(day.year - 1, day.month, 1)
    monday = month + timedelta(days=7 - month.weekday())
    iso = monday.isocalendar()
    keys = {"monthly-analysis": f"{month.year}-{month.month:02d}", "weekly-bulletin": f"{iso[0]}-W{iso[1]:02d}"}
    out = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        for kind, key in keys.items():
            walls = []
            for _ in range(runs + 1):  # the first one loads fonts: reported, not counted
                with db.transaction() as s:
                    walls.append(timed(lambda s=s, kind=kind, key=key: render_report_to_dir(
                        s, clerk, kind, key, ["pdf", "docx"], out, paths=paths))[0])
            name = "export_month_statistics" if kind == "monthly-analysis" else "export_weekly_bulletin"
            report.metric(name, median(walls[1:]), target=Target(1000.0, text="≤ 1 s"),
                          extra=f"{kind} {key}: statistics + PDF + DOCX written, median of {runs} "
                                f"(first, with font loading: {walls[0]:.0f} ms)")
    finally:
        for p in out.glob("*"):
            p.unlink()
        out.rmdir()


def growth(report: Report, data_dir: Path, cases: int, sizes: list[int], seed: int) -> None:
    """How search, list open, month statistics and the short count grow with the number of cases."""
    from baihe_desk.bench import queries
    from baihe_desk.bench.data import open_bench_database, sample_queries
    from baihe_desk.services.common import case_query

    rows = []
    for n in sizes:
        _, db, facts = open_bench_database(size_dir(data_dir, cases, n), n, say=report.note)
        try:
            label = _label(facts["cases"])
            with db.session() as s:
                three = sample_queries(db, "name", 3, 30, seed)
                ones = sample_queries(db, "name", 1, 10, seed)
                search = percentile([timed(lambda q=q: case_query.search_cases(s, q, limit=200))[0] for q in three],
                                    0.95)

                def open_list() -> None:
                    case_query.count_cases(s)
                    case_query.search_cases(s, limit=200)

                list_open = median([timed(open_list)[0] for _ in range(5)])
                exact = percentile([timed(lambda q=q: case_query.count_cases(s, q))[0] for q in ones], 0.95)
                shown = []
                for q in ones:  # what the list shows first: 共约 N 件 where the exact count reads every document
                    got: list = []
                    wall = timed(lambda q=q, got=got: got.append(case_query.estimate_count(s, q)))[0]
                    shown.append(wall if got[0] is not None else wall + timed(lambda q=q: case_query.count_cases(s, q))[0])
                count = percentile(shown, 0.95)
            stats = queries.month_statistics_ms(db)
        finally:
            db.dispose()
        rows.append((label, search, list_open, stats, count, exact))
        report.metric(f"growth_{label}_search_3ch_p95", search, target=Target(20.0, text="p95 ≤ 20 ms"))
        report.metric(f"growth_{label}_list_open", list_open, extra="count + first page")
        report.metric(f"growth_{label}_month_statistics", stats, target=Target(300.0, text="≤ 300 ms"))
        report.metric(f"growth_{label}_count_1ch_shown_p95", count, target=Target(150.0, text="≤ 150 ms"),
                      extra="until the list shows a count for a 1-character search (共约 N 件 first where the "
                            f"exact count reads every document); the exact count's p95: {exact:.1f} ms")
    report.emit("# growth | cases | search 3ch p95 ms | list open ms | month statistics ms | count shown 1ch p95 ms "
                "| exact count 1ch p95 ms")
    for label, search, list_open, stats, count, exact in rows:
        report.emit(f"# growth | {label} | {search:.1f} | {list_open:.1f} | "
                    f"{'n/a' if stats is None else f'{stats:.0f}'} | {count:.1f} | {exact:.1f}")
    if len(rows) > 1:
        (a, *fa), (b, *fb) = rows[0], rows[-1]
        names = ("search", "list open", "statistics", "count shown", "exact count")
        report.emit(f"# growth {a} → {b}: " + ", ".join(
            f"{name} ×{y / x:.2f}" for name, x, y in zip(names, fa, fb, strict=True) if x and y))
