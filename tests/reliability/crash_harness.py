"""崩溃测试（父进程端）— start workers, kill them at random moments, collect what they reported.

``run_kills(root, kills=…)`` prepares a real SQLite database in ``root`` (migrated like the app's),
then keeps ``workers`` child processes writing (``crash_worker.worker``) and kills each at a random
moment: most once the child has started a random number (1–``max_started``) of transactions, then
after a further random 0–``max_delay`` seconds (so kills land before, inside and after commits and WAL
checkpoints, whatever the machine's load), some while it is still starting (opening the database,
recovering the WAL left by the previous kill). ``Process.kill()`` is SIGKILL on POSIX and
TerminateProcess on Windows. A child that exits on its own has hit a bug: the run fails.

Children start through the ``forkserver`` method where it exists (a pre-imported server forks them in
milliseconds) and through ``spawn`` elsewhere (Windows).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_today import children_on_this_clock
from tests.reliability import crash_worker

STARTUP_KILL_SHARE = 0.1  # share of kills aimed at a child that is still starting
READY_TIMEOUT = 60.0


@dataclass
class RunResult:
    root: Path
    url: str
    kills: int = 0
    lives: int = 0
    logs: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def context() -> mp.context.BaseContext:
    """The forkserver context with ``crash_worker`` preloaded (POSIX), else spawn (Windows)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([crash_worker.__name__])
    # Python < 3.13 imports the preloaded modules before applying the parent's sys.path, and a failed
    # preload is silent (each child would then import everything itself, ~1.5 s): the server gets the
    # import roots through PYTHONPATH instead.
    from multiprocessing import forkserver

    roots = [str(Path(crash_worker.__file__).resolve().parents[i]) for i in (1, 2)]
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([*roots, *([old] if old else [])])
    try:
        with children_on_this_clock():  # the server's clock is its children's (they are forked from it)
            forkserver.ensure_running()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    return ctx


def prepare(root: Path) -> str:
    """A migrated database with a court profile and one user per role; returns its URL."""
    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.models import Role, User
    from baihe_desk.services.admin import court
    from baihe_desk.services.common.actor import SYSTEM
    from baihe_desk.services.common.auth import hash_password
    from baihe_desk.storage.startup import open_database

    paths = Paths(root).ensure()
    db = open_database(paths, LocalSettings(), backup=False)
    with db.transaction() as s:
        court.save_profile(s, SYSTEM, name="吉林省白河林区基层法院", short_name="白河林区法院",
                           code=crash_worker.COURT_CODE)
        pw = hash_password("Crash-test-1")
        for role in Role:
            s.add(User(username=f"c_{role.value}", display_name=f"测试{role.label}", role=role, password_hash=pw))
    url = db.url
    db.dispose()
    return url


@dataclass
class _Life:
    proc: mp.process.BaseProcess
    ready: object
    started: float
    kill_at: float | None  # None: wait until ``target`` transactions have started, then schedule
    log: Path
    target: int


def _started(log: Path) -> int:
    """Transactions the child has started so far (its ``S`` lines)."""
    try:
        data = log.read_bytes()
    except OSError:
        return 0
    return data.count(b"\nS ") + data.startswith(b"S ")


def run_kills(root: Path, *, kills: int, workers: int = 2, seed: int = 10, max_started: int = 4,
              max_delay: float = 0.02) -> RunResult:
    """Kill ``kills`` children in total (``workers`` of them writing at the same time)."""
    url = prepare(root)
    result = RunResult(root, url)
    backups = root / "backups"
    ctx = context()
    rng = random.Random(seed)
    slots: list[_Life | None] = [None] * workers
    began = time.monotonic()
    started = 0
    while result.kills < kills:
        now = time.monotonic()
        for i, life in enumerate(slots):
            if life is None:
                if started >= kills:
                    continue
                started += 1
                log = root / f"worker-{started:04d}.log"
                result.logs.append(log)
                ready = ctx.Event()
                proc = ctx.Process(target=crash_worker.worker, name=f"crash-worker-{started}",
                                   args=(url, str(log), seed * 100_000 + started, f"L{started}", str(backups), ready))
                proc.start()
                early = rng.random() < STARTUP_KILL_SHARE
                slots[i] = _Life(proc, ready, now, now + rng.uniform(0, 0.03) if early else None, log,
                                 rng.randint(1, max_started))
                result.lives += 1
                continue
            if life.proc.exitcode is not None:
                raise AssertionError(f"{life.proc.name} ended by itself with exit code {life.proc.exitcode} "
                                     "(an exception in the worker: see the captured stderr)")
            if life.kill_at is None:
                if life.ready.is_set() and _started(life.log) >= life.target:  # type: ignore[attr-defined]
                    life.kill_at = now + rng.uniform(0, max_delay)
                elif now - life.started > READY_TIMEOUT:
                    raise AssertionError(f"{life.proc.name} made no progress within {READY_TIMEOUT:.0f} s")
                continue
            if now >= life.kill_at:
                life.proc.kill()
                life.proc.join(10)
                if life.proc.exitcode is None:
                    raise AssertionError(f"{life.proc.name} survived kill()")
                result.kills += 1
                slots[i] = None
        time.sleep(0.004)
    result.seconds = time.monotonic() - began
    return result
