"""Benchmark output: one line per metric, ``name: value unit``, then its floor, the ratio and the target.

    start_main_window: 812.4 ms | floor start_qt_sqlalchemy_window 402.1 ms | ratio 2.02 | target ≤ 1.3× floor | NOT MET
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


@dataclass
class Target:
    """``limit`` either absolute (``ratio=False``: value ≤ limit) or relative to the floor."""

    limit: float
    ratio: bool = False
    extra: float = 0.0  # relative targets: value ≤ limit × floor + extra (RSS: floor + 100 MB)
    text: str = ""

    def met(self, value: float, floor: float | None) -> bool | None:
        if self.ratio:
            return None if floor in (None, 0) else value <= self.limit * floor + self.extra  # type: ignore[operator]
        return value <= self.limit


class Report:
    def __init__(self, out=sys.stdout):  # type: ignore[no-untyped-def]
        self.out = out
        self.lines: list[str] = []
        self.values: dict[str, float] = {}
        self.unmet: list[str] = []

    def note(self, text: str) -> None:
        self.emit(f"# {text}")

    def emit(self, line: str) -> None:
        self.lines.append(line)
        print(line, file=self.out, flush=True)

    def metric(self, name: str, value: float | None, unit: str = "ms", *, floor: str | None = None,
               target: Target | None = None, extra: str = "") -> None:
        """One line. ``floor`` names an earlier metric of this run."""
        if value is None:
            self.emit(f"{name}: n/a" + (f" ({extra})" if extra else ""))
            return
        self.values[name] = value
        parts = [f"{name}: {_num(value)} {unit}" + (f" ({extra})" if extra else "")]
        floor_value = self.values.get(floor) if floor else None
        if floor:
            parts.append(f"floor {floor} {_num(floor_value)} {unit}" if floor_value is not None else f"floor {floor} n/a")
            if floor_value:
                parts.append(f"ratio {value / floor_value:.2f}")
        if target is not None:
            parts.append(f"target {target.text}")
            met = target.met(value, floor_value)
            if met is not None:
                parts.append("met" if met else "NOT MET")
                if not met:
                    self.unmet.append(name)
        self.emit(" | ".join(parts))


def _num(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def machine() -> str:
    """One line about the machine the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    ram = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        ram = f", {pages * size / 2**30:.1f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    from importlib import metadata

    try:
        qt_version = metadata.version("PySide6_Essentials")
    except metadata.PackageNotFoundError:  # pragma: no cover
        qt_version = "?"
    import sqlalchemy

    return (f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPU ({cpu}){ram}; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; PySide6 {qt_version}; "
            f"SQLAlchemy {sqlalchemy.__version__}")


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPU"
    except (OSError, AttributeError):
        return "load average n/a"


def peak_rss_mb() -> float | None:
    """This process's peak resident set size in MiB."""
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024 / (1024 if sys.platform == "darwin" else 1)
    except ImportError:  # Windows
        try:
            import psutil  # type: ignore[import-untyped]

            info = psutil.Process().memory_info()
            return getattr(info, "peak_wset", info.rss) / 2**20
        except ImportError:
            return None
