"""The benchmark command runs from a fresh data folder and prints its documented line format (its
numbers are not judged here: benchmarks report, they do not pass or fail)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.fake_today import child_env

LINE = re.compile(r"^(?P<name>[a-z0-9_\-]+): (?P<value>[0-9.]+) (?P<unit>ms|s|MiB|GiB)\b")


def test_bench_prints_one_line_per_metric_beside_its_floor(tmp_path: Path):
    env = child_env({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    done = subprocess.run(
        [sys.executable, "-m", "baihe_desk.bench", "--cases", "300", "--data-dir", str(tmp_path / "bench"),
         "--only", "start", "search", "statistics", "--queries", "3", "--counts", "1", "--starts", "1"],
        capture_output=True, text=True, env=env, timeout=600, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if not line.startswith("#")]
    metrics = {m["name"]: m for m in map(LINE.match, lines) if m}
    assert len(metrics) == len(lines), [line for line in lines if not LINE.match(line)]
    for kind in ("name", "number", "address"):
        for n in (1, 2, 3, 5):
            line = lines[[m for m in metrics].index(f"search_{kind}_{n}ch_p95")]
            assert "| floor floor_sqlite_page_200 " in line and "| target p95 ≤ " in line, line
            assert re.search(r"plans: (fts|scan|like) \d+", line), line
    assert "month_statistics" in metrics and "| target ≤ 300 ms |" in lines[list(metrics).index("month_statistics")]  # issue 21: 300 ms at 1M
    start = lines[list(metrics).index("start_main_window")]
    assert "| floor start_qt_sqlalchemy_window " in start and "| target ≤ 1.3× floor |" in start, start
    assert {"start_qt_window", "start_login_window", "start_to_list_ready", "daily_backup"} <= metrics.keys()
    after_login = lines[list(metrics).index("login_to_list_ready")]  # issue 21: click on 登录 → list and count
    assert "| target ≤ 300 ms |" in after_login, after_login
    assert re.search(r"login done at \d+, window built at \d+, first paint at \d+ ms", after_login), after_login
    assert "database:" in done.stdout and "300 cases" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("# targets not met:")


def test_the_benchmark_refuses_a_court_s_database(tmp_path: Path, udb, uusers):
    """The benchmark reads every case without a desk login and may add demo cases: it opens only a demo
    database (or an empty one it fills), on either kind, never one with the court's own cases or users."""
    import pytest

    from baihe_desk.bench.data import open_bench_database
    from baihe_desk.errors import KnownError

    url = None if udb.is_sqlite else str(udb.engine.url.render_as_string(hide_password=False))
    root = udb.sqlite_path.parent if udb.is_sqlite else tmp_path / "bench"
    with pytest.raises(KnownError, match="基准测试只用演示数据库.*不是演示数据库"):
        open_bench_database(root, 10, say=lambda _line: None, url=url)
