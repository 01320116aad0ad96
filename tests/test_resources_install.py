"""resources/ (top of the repository) is found as ``baihe_desk.resources`` in the three ways the desk runs:
from the source checkout (editable install), from an installed wheel, and frozen by PyInstaller.

The expected file list is read from the source folder itself, not from the code under test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from tests.fake_today import child_env

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources"

PROBE = """\
import json, sys
from importlib import resources
import baihe_desk.resources

root = resources.files("baihe_desk.resources")
found = {}
def walk(node, prefix):
    for child in node.iterdir():
        name = prefix + child.name
        if child.is_dir():
            if child.name != "__pycache__":
                walk(child, name + "/")
        elif not name.endswith((".py", ".pyc")):
            found[name] = len(child.read_bytes())
walk(root, "")
print(json.dumps({"files": found, "where": str(root), "frozen": bool(getattr(sys, "frozen", False))}))
"""


def _source_files() -> dict[str, int]:
    return {p.relative_to(SOURCE).as_posix(): p.stat().st_size for p in SOURCE.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


def _env_without_checkout(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(site)  # ahead of the venv's site-packages, where the editable finder lives
    return env


def test_source_folder_holds_the_court_data():
    files = _source_files()
    assert {"fees.toml", "case_types.toml", "fonts.toml", "causes/civil-causes-2025.json",
            "checklists/complaint-review.toml", "mediation/mediation-rules.toml",
            "templates/mediation-notice.toml", "holidays/cn-2026.toml"} <= set(files)


def test_editable_install_reads_the_folder_at_the_top_of_the_checkout():
    root = resources.files("baihe_desk.resources")
    assert Path(str(root)).resolve() == SOURCE.resolve()
    for name, size in _source_files().items():
        assert len(root.joinpath(*name.split("/")).read_bytes()) == size, name


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built into a wheel and installed into a folder of its own (no checkout on the path)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # A copy of the tree, so that no stale build/ folder of the checkout leaks into the wheel.
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", ".hypothesis", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(source)],
                   check=True, capture_output=True, text=True)
    wheel = next((tmp / "dist").glob("baihe_desk-*.whl"))
    site = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    with zipfile.ZipFile(wheel) as zf:
        packed = {n.removeprefix("baihe_desk/resources/"): zf.getinfo(n).file_size for n in zf.namelist()
                  if n.startswith("baihe_desk/resources/") and not n.endswith(".py")}
    assert packed == _source_files()
    return site


@pytest.mark.slow
def test_installed_wheel_reads_its_own_copy(installed, tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=child_env(_env_without_checkout(installed)),
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    assert Path(result["where"]).resolve().is_relative_to(installed.resolve())
    assert result["files"] == _source_files()


@pytest.mark.slow
def test_frozen_build_carries_the_resources(installed, tmp_path):
    """PyInstaller finds the desk's hook by its entry point; no --collect-data is given here."""
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "WARN",
                    "--paths", str(installed), "--distpath", str(tmp_path / "dist"),
                    "--workpath", str(tmp_path / "build"), "--specpath", str(tmp_path), str(probe)],
                   cwd=tmp_path, env=_env_without_checkout(installed), check=True, capture_output=True, text=True)
    exe = tmp_path / "dist" / "probe" / ("probe.exe" if os.name == "nt" else "probe")
    result = json.loads(subprocess.run([str(exe)], cwd=tmp_path, check=True, capture_output=True,
                                       text=True).stdout)
    assert result["frozen"] is True
    assert result["files"] == _source_files()
