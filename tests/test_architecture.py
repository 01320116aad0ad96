"""House rules that keep the layers apart, the workflows apart and start-up light (ARCHITECTURE.md).

The imports are read from the source with ``ast`` (nothing is imported): every ``import`` and ``from …
import`` at any depth counts, except those under ``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

from tests.fake_today import child_env

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "baihe_desk"
WORKFLOWS = ("filing", "mediation", "enforcement", "explanation", "deadlines", "statistics", "admin")
MAX_LINES = 400
LONG_ALLOWED = {"storage/migrations/versions/0001_initial_schema.py"}  # the initial schema, written once


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):  # type: ignore[no-untyped-def]
    """Import nodes that run: everything but the body of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


@cache
def _imports(module: str) -> frozenset[str]:
    """Names of the modules ``module`` imports (``from pkg import sub`` counts as ``pkg.sub`` when sub is one)."""
    path = _modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        out.add(base)
        for alias in node.names:
            if f"{base}.{alias.name}" in _modules():
                out.add(f"{base}.{alias.name}")
    return frozenset(out)


def _ours(names: frozenset[str]) -> set[str]:
    return {n for n in names if n == "baihe_desk" or n.startswith("baihe_desk.")}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _offenders(rule) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f"{m} → {n}" for m in _modules() for n in _imports(m) if rule(m, n))


def test_nothing_outside_ui_imports_qt():
    assert _offenders(lambda m, n: _layer(m) != "ui" and n.split(".")[0] in ("PySide6", "shiboken6")) == []
    assert any(_layer(m) == "ui" for m in _modules())


def test_documents_storage_and_models_import_no_services_and_no_ui():
    def rule(m: str, n: str) -> bool:
        return _layer(m) in ("documents", "storage", "models") and n.startswith(("baihe_desk.services",
                                                                                   "baihe_desk.ui"))
    assert _offenders(rule) == []


def test_services_import_no_ui():
    assert _offenders(lambda m, n: _layer(m) == "services" and n.startswith("baihe_desk.ui")) == []


STDLIB = set(sys.stdlib_module_names)


def test_models_import_only_the_standard_library_sqlalchemy_and_models():
    def rule(m: str, n: str) -> bool:
        if _layer(m) != "models":
            return False
        top = n.split(".")[0]
        return not (top in STDLIB or top == "sqlalchemy" or n.startswith("baihe_desk.models")
                    or n == "__future__")
    assert _offenders(rule) == []


def _workflow(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[2] in WORKFLOWS else None


def test_no_workflow_imports_another_workflows_ui():
    def rule(m: str, n: str) -> bool:
        mine, theirs = _workflow(m), _workflow(n)
        return (n.startswith("baihe_desk.ui.") and theirs is not None and mine is not None and mine != theirs
                and _layer(n) == "ui")
    assert _offenders(rule) == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    graph = {m: sorted(n for n in _ours(_imports(m)) if n in _modules() and n != m) for m in _modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        work = [(v, iter(graph[v]))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    return sorted(out)


def test_no_import_circles():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_circle(monkeypatch):
    """The check above would pass on an empty graph: prove it sees a circle of two modules."""
    fake = {"baihe_desk.a": Path("a.py"), "baihe_desk.b": Path("b.py")}
    edges = {"baihe_desk.a": frozenset({"baihe_desk.b"}), "baihe_desk.b": frozenset({"baihe_desk.a"})}
    monkeypatch.setattr(sys.modules[__name__], "_modules", lambda: fake)
    monkeypatch.setattr(sys.modules[__name__], "_imports", lambda m: edges[m])
    assert _cycles() == [["baihe_desk.a", "baihe_desk.b"]]


def test_type_checking_imports_do_not_count():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import baihe_desk.ui\n"
                     "def f():\n    import baihe_desk.models\n")
    assert sorted(n.names[0].name for n in _import_nodes(tree)) == ["TYPE_CHECKING", "baihe_desk.models"]


def test_modules_stay_small():
    long = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and rel not in LONG_ALLOWED:
            long[rel] = lines
    assert long == {}


def test_every_workflow_has_its_service_and_ui_folder():
    for workflow in WORKFLOWS:
        assert (PKG / "services" / workflow / "__init__.py").is_file(), workflow
        assert (PKG / "ui" / workflow / "__init__.py").is_file(), workflow


def test_pyproject_names_every_package():
    """The package list is explicit (resources/ is mapped into the package): a new folder must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {_module_name(p.parent / "__init__.py") for p in PKG.rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"baihe_desk.resources"}
    assert config["package-dir"]["baihe_desk.resources"] == "resources"
    assert not (PKG / "resources").exists(), "resources/ lives at the top of the repository"


def test_cli_start_does_not_import_heavy_libraries():
    code = (
        "import sys, baihe_desk.cli, baihe_desk.services.filing.intake, baihe_desk.services.common.case_query;"
        "print(','.join(sorted(m for m in ('PySide6','reportlab','docx','alembic') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=child_env()).stdout.strip()
    assert out == ""


