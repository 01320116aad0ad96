"""Does every pinned dependency of the Windows build have a wheel for CPython 3.11 on 64-bit Windows?

    python packaging/check_windows_wheels.py [packaging/windows-constraints.txt]

Reads the file list of each pinned release from PyPI's JSON API (the project's page; no download) and accepts a wheel
tagged ``win_amd64`` for ``cp311`` or the stable ABI (``abi3``), or a pure-Python ``py3-none-any``
wheel. A release with only a source archive would have to be compiled on the court's build machine:
that fails the check. Standard library only; needs network access to pypi.org.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def pins(path: Path) -> list[tuple[str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m:
            found.append((m.group(1), m.group(2)))
    return found


# Pure-Python projects published as a source archive only: pip turns them into a wheel on Windows without
# a compiler (tests/test_packaging.py checks that the installed package has no compiled extension).
PURE_PYTHON_SDISTS = {"lunar-python"}


def windows_wheel(filenames: list[str]) -> str | None:
    """The first wheel a 64-bit CPython 3.11 on Windows can install, or None."""
    for name in filenames:
        if not name.endswith(".whl"):
            continue
        _dist, *_rest, py, abi, plat = name[:-4].split("-")
        pys, abis, plats = set(py.split(".")), set(abi.split(".")), set(plat.split("."))
        if "any" in plats and abis == {"none"} and pys & {"py3", "py2.py3", "py311", "cp311"}:
            return name
        if plats & {"win_amd64"} and (("cp311" in pys and abis & {"cp311", "none"})
                                      or ("abi3" in abis and any(p.startswith("cp3") and int(p[3:] or 0) <= 11
                                                                 for p in pys))):
            return name
        if plats & {"win_amd64"} and pys & {"py3"} and abis == {"none"}:
            return name
    return None


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else HERE / "windows-constraints.txt"
    missing = []
    for name, version in pins(path):
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as resp:
            releases = json.load(resp)["releases"]
        files = [u["filename"] for u in releases.get(version, [])]
        if not files:
            print(f"{name}=={version}: NO SUCH RELEASE on PyPI")
            missing.append(f"{name}=={version}")
            continue
        wheel = windows_wheel(files)
        if wheel is None and name in PURE_PYTHON_SDISTS and any(f.endswith(".tar.gz") for f in files):
            wheel = next(f for f in files if f.endswith(".tar.gz")) + "（纯 Python，无需编译）"
        print(f"{name}=={version}: {wheel or 'NO WINDOWS WHEEL (' + ', '.join(files) + ')'}")
        if wheel is None:
            missing.append(f"{name}=={version}")
    if missing:
        print(f"没有 Windows (win_amd64, CPython 3.11) wheel: {', '.join(missing)}")
        return 1
    print(f"全部 {len(pins(path))} 个依赖都有 Windows wheel。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
