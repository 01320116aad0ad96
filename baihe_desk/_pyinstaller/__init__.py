"""PyInstaller hooks of the desk, found through the ``pyinstaller40`` entry point (pyproject.toml).

Any PyInstaller build that includes ``baihe_desk`` (the frozen Windows desk, or a test's probe) runs these
hooks, so the data the desk reads through ``importlib.resources`` travels with it whatever the spec says.
"""

from __future__ import annotations

from pathlib import Path


def get_hook_dirs() -> list[str]:
    return [str(Path(__file__).resolve().parent)]
