"""Mutation testing of the calculators and guards: how many deliberate bugs does the suite catch?

    python tools/mutation.py            # run mutmut (resumes a previous run), then print the scores
    python tools/mutation.py --report   # only print the scores of the last run
    python tools/mutation.py --survivors fees   # list the surviving mutants of one module
    python tools/mutation.py --module fees      # run (again) only the mutants of one module
    python tools/mutation.py --rerun-survivors fees   # run again only that module's survivors (after new tests)
    python tools/mutation.py --postgresql numbering   # survivors: their tests again, on PostgreSQL too

Needs the ``mutation`` extra (``pip install -e .[test,mutation]``). The modules and the tests that claim to
cover them are in pyproject.toml, [tool.mutmut]; mutmut copies baihe_desk/ into mutants/ (git-ignored),
changes one operator, constant or call at a time, and runs only the tests that execute the changed
function. CPU-heavy (about 2,400 mutants, ~25 min on two cores): not part of CI. The scores of the last full run, with
every survivor and why it is equivalent, are in docs/mutation-scores.md.

mutmut runs the tests on SQLite only (``-k "not postgresql"``: starting a server per mutant is too slow), so
a mutant in a PostgreSQL-only branch survives there. ``--postgresql MODULE`` runs each survivor's tests once
more with the mutant active (``MUTANT_UNDER_TEST``) on both databases and records a failure as killed.

Caution: changing ``pytest_add_cli_args_test_selection`` in pyproject.toml makes mutmut forget every result
(a full re-run); new tests added to a file already listed are picked up incrementally.

Score per module = killed / (killed + survived + not covered); a timeout counts as killed (the mutant made
the tests hang: caught). The aim is at least 90 % per module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          37: "killed"}
SURVIVED = {0: "survived"}
UNCOVERED = {5: "no tests", 33: "no tests"}


def _codes(meta: Path) -> dict:
    """The exit code of each mutant (read again if mutmut is writing the file at that moment)."""
    for _ in range(50):
        try:
            return json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        except json.JSONDecodeError:
            time.sleep(0.1)
    raise SystemExit(f"{meta}: not readable")


def statuses() -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants"))[: -len(".py.meta")].replace("/", ".")
        codes = _codes(meta)
        c: Counter = Counter()
        for code in codes.values():
            c["killed" if code in KILLED else "survived" if code in SURVIVED else
              "no tests" if code in UNCOVERED else "not checked" if code is None else "other"] += 1
        out[module] = c
    return out


def report() -> int:
    rows = statuses()
    if not rows:
        print("no mutation results yet: run  python tools/mutation.py")
        return 1
    print(f"{'module':48} {'mutants':>7} {'killed':>7} {'survived':>8} {'no tests':>8} {'unrun':>6} {'score':>7}")
    worst = 100.0
    for module, c in rows.items():
        judged = c["killed"] + c["survived"] + c["no tests"]
        score = 100.0 * c["killed"] / judged if judged else 0.0
        worst = min(worst, score)
        print(f"{module:48} {sum(c.values()):7} {c['killed']:7} {c['survived']:8} {c['no tests']:8} "
              f"{c['not checked']:6} {score:6.1f}%")
    return 0 if worst >= 90 else 2


def survivors(fragment: str) -> int:
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        if fragment in str(meta):
            for key, code in _codes(meta).items():
                if code in SURVIVED or code in UNCOVERED:
                    print(key, "survived" if code in SURVIVED else "no tests")
    print("(show one:  mutmut show <name>)")
    return 0


def survivor_names(fragment: str) -> list[str]:
    return [key for meta in sorted((ROOT / "mutants").rglob("*.py.meta")) if fragment in str(meta)
            for key, code in _codes(meta).items() if code in SURVIVED or code in UNCOVERED]


def _postgresql_twins(key: str) -> list[str]:
    """The PostgreSQL runs of the SQLite tests mutmut ran for this mutant's function."""
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text("utf-8"))
    tests = [t for t in stats["tests_by_mangled_function_name"].get(key.rsplit("__mutmut_", 1)[0], [])
             if t.endswith("[sqlite]")]
    if not tests:
        return []
    files = sorted({t.split("::")[0] for t in tests})
    names = sorted({t.split("::")[-1].removesuffix("[sqlite]") for t in tests})
    return [*files, "-k", f"postgresql and ({' or '.join(names)})"]


def postgresql(fragment: str) -> int:
    """Run the survivors of ``fragment`` on PostgreSQL as well; a failing run kills the mutant."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        if fragment not in str(meta):
            continue
        data = json.loads(meta.read_text("utf-8"))
        for key, code in list(data["exit_code_by_key"].items()):
            if code not in SURVIVED:
                continue
            twins = _postgresql_twins(key)
            if not twins:
                print(key, "survived (no PostgreSQL test covers it)")
                continue
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p",
                                  "no:randomly", *twins], cwd=ROOT / "mutants",
                                 env={**env, "MUTANT_UNDER_TEST": key}, stdout=subprocess.DEVNULL, check=False)
            verdict = "killed on PostgreSQL" if run.returncode == 1 else f"survived (pytest {run.returncode})"
            print(key, verdict)
            if run.returncode == 1:
                data["exit_code_by_key"][key] = 1
                meta.write_text(json.dumps(data), "utf-8")
    return report()


def main(argv: list[str]) -> int:
    if "--postgresql" in argv:
        return postgresql(argv[argv.index("--postgresql") + 1])
    if "--survivors" in argv:
        return survivors(argv[argv.index("--survivors") + 1])
    if "--report" not in argv:
        names: list[str] = []  # none: every mutant without a result (mutmut resumes)
        if "--module" in argv:
            names = [f"*.{argv[argv.index('--module') + 1]}.*"]
        if "--rerun-survivors" in argv:
            names = survivor_names(argv[argv.index("--rerun-survivors") + 1])
            if not names:
                print("no survivors to run again")
                return report()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        mutmut = Path(sys.executable).with_name("mutmut")
        subprocess.run([str(mutmut), "run", "--max-children", str(os.cpu_count() or 2), *names], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, check=False)
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
