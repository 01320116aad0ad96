"""Where files live, and the settings read before the database opens.

The data folder is, in order: ``--data-dir``; the portable folder ``BaiheDesk-data`` beside the
frozen executable when the marker file ``baihe-desk-portable.txt`` lies beside it (a judge's
encrypted USB stick: program and data travel together, nothing is left on the PC); the
``BAIHE_DESK_DATA`` environment variable; the per-user data folder (platformdirs, local and not
roaming: ``%LOCALAPPDATA%\\BaiheDesk`` on Windows, ``~/.local/share/BaiheDesk`` on Linux).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk import APP_NAME

ENV_DATA = "BAIHE_DESK_DATA"
ENV_DB_URL = "BAIHE_DESK_DB_URL"


PORTABLE_MARKER = "baihe-desk-portable.txt"
PORTABLE_DATA = "BaiheDesk-data"


def program_dir() -> Path | None:
    """The folder of the frozen desk's executable; None when the desk runs from a Python installation."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_data_dir(folder: Path | None = None) -> Path | None:
    """``<program folder>/BaiheDesk-data`` when the portable marker lies in the program folder."""
    folder = folder if folder is not None else program_dir()
    if folder is not None and (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_DATA
    return None


def default_data_dir() -> Path:
    import platformdirs

    # Local, not roaming: a roaming profile copies AppData\Roaming over the network at every logon,
    # and SQLite must never live on a network share.
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def cache_dir() -> Path:
    """Rebuildable caches (the font index): in the portable data folder, else the per-user cache folder."""
    portable = portable_data_dir()
    if portable is not None:
        return portable / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    portable = portable_data_dir()
    if portable is not None:
        return portable
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


@dataclass
class Paths:
    """All locations below one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "baihe-desk.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def drafts(self) -> Path:
        return self.root / "drafts"

    @property
    def local_settings(self) -> Path:
        return self.root / "local-settings.json"

    def ensure(self) -> Paths:
        for p in (self.root, self.backups, self.documents, self.logs, self.drafts):
            p.mkdir(parents=True, exist_ok=True)
        return self


@dataclass
class LocalSettings:
    """Settings of this workstation (not of the court): stored as JSON beside the database.

    Court-wide settings (court profile, fee amounts, fonts …) live in the database, audited.
    """

    database_url: str | None = None  # None = the embedded SQLite file in the data folder
    backup_keep_daily: int = 14
    backup_keep_startup: int = 10
    ui_font_families: list[str] = field(
        default_factory=lambda: [
            "Microsoft YaHei UI",
            "Microsoft YaHei",
            "SimSun",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Noto Sans CJK SC",
            "AR PL UMing CN",
        ]
    )

    @classmethod
    def load(cls, paths: Paths) -> LocalSettings:
        try:
            data = json.loads(paths.local_settings.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()._from_environment()
        except (OSError, ValueError):
            return cls()._from_environment()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)._from_environment()

    def _from_environment(self) -> LocalSettings:
        """``BAIHE_DESK_DB_URL`` (set by the court's IT) wins over the URL in settings.json."""
        if os.environ.get(ENV_DB_URL):
            self.database_url = os.environ[ENV_DB_URL]
        return self

    def save(self, paths: Paths) -> None:
        paths.root.mkdir(parents=True, exist_ok=True)
        tmp = paths.local_settings.with_suffix(".tmp")
        data = dict(self.__dict__, database_url=_without_password(self.database_url))
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(paths.local_settings)


def _without_password(url: str | None) -> str | None:
    """A server URL as it may be written to a file: the password (OS credential store only) taken out."""
    if url is None or not is_server_url(url):
        return url
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}@{host}"))


def is_server_url(url: str | None) -> bool:
    """A PostgreSQL server (several desks), as opposed to this PC's own file (plain or SQLCipher)."""
    return bool(url) and str(url).startswith("postgres")


def database_url(paths: Paths, settings: LocalSettings | None = None) -> str:
    if settings and settings.database_url == "sqlcipher":  # the encrypted local file (storage/encrypted.py)
        from baihe_desk.storage import encrypted, keystore

        return encrypted.url(paths.database, keystore.Keystore(paths.root))
    if settings and settings.database_url:  # --db, or BAIHE_DESK_DB_URL applied by load(), or settings.json
        return settings.database_url
    env = os.environ.get(ENV_DB_URL)
    if env:
        return env
    return "sqlite:///" + paths.database.as_posix()
