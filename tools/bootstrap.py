#!/usr/bin/env python3
"""Set up Baihe Desk and run it or its tests — the README's two commands.

    python3 tools/bootstrap.py run      # set up, then start the desk (SQLite in the per-user folder)
    python3 tools/bootstrap.py test     # set up, then run the whole test suite (extra args go to pytest)
    python3 tools/bootstrap.py lint     # set up, then the static checks: ruff, and mypy on the layers below ui/
    python3 tools/bootstrap.py build    # set up, then freeze the desk into dist/baihe-desk/ (PyInstaller, one folder)
    python3 tools/bootstrap.py build --smoke   # … and run the frozen desk's smoke test (packaging/smoke.py)

Windows: ``py -3.11 tools\\bootstrap.py run`` / ``py -3.11 tools\\bootstrap.py test``.

Set-up = a virtual environment in ``.venv`` with the project installed (editable, with the test
extra), reinstalled only when pyproject.toml changes. On Debian/Ubuntu the system libraries Qt
needs, the CJK fonts the documents embed and poppler-utils are checked with dpkg; missing ones are
installed with apt-get when running as root, otherwise the exact apt-get line is printed and the
command stops. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MYPY_PATHS = ["baihe_desk/models", "baihe_desk/storage", "baihe_desk/services", "baihe_desk/documents"]
VENV = ROOT / ".venv"
SPEC = ROOT / "packaging" / "baihe-desk.spec"
DIST = ROOT / "dist"
STAMP = VENV / ".baihe-installed"

# Needed by Qt even offscreen (tests), by QtPdf, and by the document engine (fonts, pdffonts).
APT_BASE = [
    "libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libdbus-1-3", "libgssapi-krb5-2",
    "fonts-wqy-zenhei", "fonts-wqy-microhei", "fonts-arphic-uming", "fonts-arphic-ukai", "fonts-hanazono",
    "poppler-utils",
    # Tests open every DOCX in LibreOffice as a second reader (and tools can look at it).
    "libreoffice-writer-nogui",
]
# Needed for a real window (xcb platform plugin).
APT_WINDOW = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-render-util0", "libxcb-shape0",
    "libxkbcommon-x11-0", "libx11-xcb1",
]


def say(msg: str) -> None:
    print(f"[baihe-desk] {msg}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def is_debian() -> bool:
    return platform.system() == "Linux" and shutil.which("dpkg-query") is not None and shutil.which("apt-get")


def missing_packages(packages: list[str]) -> list[str]:
    missing = []
    for pkg in packages:
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if res.returncode != 0 or "install ok installed" not in res.stdout:
            missing.append(pkg)
    return missing


def ensure_system_packages(window: bool) -> None:
    if platform.system() != "Linux":
        return
    wanted = APT_BASE + (APT_WINDOW if window else [])
    if not is_debian():
        say("不是 Debian/Ubuntu：请自行安装 Qt 运行库、中文 TrueType 字体与 poppler-utils（对应的 Debian 包："
            + " ".join(wanted) + "）。")
        return
    missing = missing_packages(wanted)
    if not missing:
        return
    line = "apt-get install -y " + " ".join(missing)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"安装系统依赖 / installing system packages: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)
        return
    say("缺少系统依赖 / missing system packages. Run as root:")
    print(f"    sudo {line}")
    sys.exit(3)


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this runs on whatever python3 the machine has
        say(f"需要 Python 3.11 或更高版本（当前 {platform.python_version()}）。")
        sys.exit(2)
    py = venv_python()
    if not py.exists():
        say(f"创建虚拟环境 / creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("安装依赖 / installing the project and its dependencies (first time takes a few minutes)")
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        if sys.version_info < (3, 12) and subprocess.run(
                [str(py), "-m", "pip", "show", "-q", "PySide6-Pdf"], capture_output=True).returncode == 0:
            # An older set-up holds PySide6-Pdf 6.12, which pins the PySide6 that crashes on 3.11 (see
            # pyproject.toml). It shares QtPdf's files with PySide6-Addons, so both go and Addons 6.11
            # (which carries QtPdf) is installed afresh below.
            subprocess.run([str(py), "-m", "pip", "uninstall", "-q", "-y", "PySide6-Pdf", "PySide6-Addons"],
                           check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test,dev]"], check=True)
        STAMP.write_text(digest)
    return py


def folder_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def build(py: Path, rest: list[str]) -> int:
    """Freeze the desk with the spec kept in packaging/ (work files in build/, result in dist/baihe-desk)."""
    say(f"打包 / freezing the desk with {SPEC.relative_to(ROOT)}")
    rc = subprocess.run([str(py), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                         "--distpath", str(DIST), "--workpath", str(ROOT / "build"), str(SPEC)], cwd=ROOT).returncode
    if rc != 0:
        return rc
    folder = DIST / "baihe-desk"
    say(f"已生成 / built {folder} ({folder_mib(folder):.0f} MiB)")
    if "--smoke" in rest:
        smoke = [a for a in rest if a != "--smoke"]
        return subprocess.run([str(py), str(ROOT / "packaging" / "smoke.py"), "--dist", str(folder), *smoke],
                              cwd=ROOT).returncode
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "lint", "build"):
        print(__doc__)
        return 2
    action, rest = argv[0], argv[1:]
    if action == "lint":
        py = ensure_venv()
        ruff = subprocess.run([str(py), "-m", "ruff", "check", "."], cwd=ROOT).returncode
        # ui/ may stay looser; the layers below it are checked strictly (pyproject's [tool.mypy]).
        mypy = subprocess.run([str(py), "-m", "mypy", *MYPY_PATHS], cwd=ROOT).returncode
        say(f"ruff: {'通过' if ruff == 0 else '未通过'}；mypy: {'通过' if mypy == 0 else '未通过'}")
        return ruff or mypy
    headless = action in ("test", "build") or os.environ.get("QT_QPA_PLATFORM") == "offscreen"
    ensure_system_packages(window=not headless)
    py = ensure_venv()
    if action == "build":
        return build(py, rest)
    if action == "test":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        # One pytest worker per core (pytest-xdist, at most 4): each starts its own PostgreSQL and Qt.
        # The two kinds of database double the database tests; in parallel the suite stays under 10 minutes.
        workers = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest) or "-p" in rest \
            else ["-n", str(max(1, min(4, os.cpu_count() or 1)))]
        return subprocess.run([str(py), "-m", "pytest", *workers, *rest], cwd=ROOT, env=env).returncode
    if platform.system() == "Linux" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and not headless:
        say("没有图形显示（DISPLAY 未设置）。在无显示器的机器上可用：xvfb-run -a python3 tools/bootstrap.py run")
        return 4
    return subprocess.run([str(py), "-m", "baihe_desk", *rest], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
