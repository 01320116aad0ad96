"""House rules that keep the layers apart and start-up light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "baihe_desk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_ui_imports_qt():
    offenders = []
    for py in PKG.rglob("*.py"):
        rel = py.relative_to(PKG)
        if rel.parts[0] == "ui" or rel.name == "app.py":
            continue
        if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in _imports(py)):
            offenders.append(str(rel))
    assert offenders == []
    assert (PKG / "ui").is_dir() and any((PKG / "ui").glob("*.py"))


def test_cli_start_does_not_import_heavy_libraries():
    code = (
        "import sys, baihe_desk.cli, baihe_desk.services.filing.intake, baihe_desk.services.common.case_query;"
        "print(','.join(sorted(m for m in ('PySide6','reportlab','docx','alembic') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
