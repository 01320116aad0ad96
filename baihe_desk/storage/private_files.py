"""The data folder is this account's alone (issue 17: the database, backups, drafts and documents were
readable by every account on the machine).

POSIX: the data folder and its sub-folders 0700, the database and its -wal/-shm, backups and
manifests 0600 (a folder of 0700 already keeps every file inside from other accounts; the file
modes hold when a file is copied out). Windows: nothing to change here — the default data folder is
``%LOCALAPPDATA%\\BaiheDesk`` in the user's profile, whose inherited ACL grants full control to the
user, SYSTEM and the Administrators group only; a ``--data-dir`` elsewhere (a shared folder) inherits
that folder's ACL, which the README warns about. POSIX mode bits mean nothing there.
"""

from __future__ import annotations

import os
from pathlib import Path

from baihe_desk.config import Paths


def secure(paths: Paths) -> None:
    if os.name != "posix":
        return
    for folder in (paths.root, paths.backups, paths.documents, paths.logs, paths.drafts, paths.root / "config"):
        _chmod(folder, 0o700)
    for f in (paths.database, Path(f"{paths.database}-wal"), Path(f"{paths.database}-shm")):
        _chmod(f, 0o600)
    if paths.backups.is_dir():
        for f in paths.backups.iterdir():
            if f.is_file():
                _chmod(f, 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.exists() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:  # a folder this account does not own: left as the administrator set it
        pass
