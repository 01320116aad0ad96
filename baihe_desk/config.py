"""Where files live, and the settings read before the database opens.

The data folder is, in order: ``--data-dir``, the ``BAIHE_DESK_DATA`` environment variable, the
per-user data folder (platformdirs: ``%LOCALAPPDATA%\\BaiheDesk`` on Windows,
``~/.local/share/BaiheDesk`` on Linux).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk import APP_NAME

ENV_DATA = "BAIHE_DESK_DATA"
ENV_DB_URL = "BAIHE_DESK_DB_URL"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
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
            return cls()
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, paths: Paths) -> None:
        paths.root.mkdir(parents=True, exist_ok=True)
        tmp = paths.local_settings.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(paths.local_settings)


def database_url(paths: Paths, settings: LocalSettings | None = None) -> str:
    env = os.environ.get(ENV_DB_URL)
    if env:
        return env
    if settings and settings.database_url == "sqlcipher":  # the encrypted local file (storage/encrypted.py)
        from baihe_desk.storage import encrypted, keystore

        return encrypted.url(paths.database, keystore.Keystore(paths.root))
    if settings and settings.database_url:
        return settings.database_url
    return "sqlite:///" + paths.database.as_posix()
