"""加密的本地数据库 — SQLCipher for a desk that carries personal data out of the court (a judge's laptop).

A laptop with borrowed cases holds parties' ID numbers and addresses. With ``"database_url": "sqlcipher"``
in the desk's ``local-settings.json`` the desk keeps its SQLite file encrypted with SQLCipher 4 (AES-256, every
page), through the maintained ``sqlcipher3`` wheel (SQLCipher bundled; Windows and Linux wheels) and
SQLAlchemy's ``sqlite+pysqlcipher`` dialect. The 256-bit key is made on first need from the OS random
source and kept by :class:`~baihe_desk.storage.keystore.Keystore` (the OS credential store, else a key file
readable by the desk's account only), never in the settings or the database. Backups of the file are
encrypted with the same key (they are copies made through SQLCipher).

:func:`raw_connect` is the one place the desk opens its file without SQLAlchemy (backups, the health check,
the change watch): it opens an encrypted file with its key and a plain one with ``sqlite3``.
:func:`encrypt_file` turns an existing plain file into an encrypted one (``sqlcipher_export``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from baihe_desk.errors import KnownError

MARKER = "sqlcipher"  # local-settings.json: "database_url": "sqlcipher"
KEY_NAME = "database-key"

_roots: dict[Path, str] = {}  # data folder → passphrase, registered when its URL is made


def available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def _passphrase(key: bytes) -> str:
    return f"x'{key.hex()}'"  # a raw 256-bit key: no key derivation on every open


def url(database: Path, keystore: Any) -> str:
    """The SQLAlchemy URL of the encrypted file ``database`` (its key from ``keystore``, made on first need)."""
    if not available():
        raise KnownError("本机没有安装 SQLCipher（sqlcipher3），无法打开加密的数据库。请重新安装白河工作台。")
    phrase = _passphrase(keystore.get_or_create(KEY_NAME, 32))
    _roots[Path(database).resolve().parent] = phrase
    return f"sqlite+pysqlcipher://:{quote(phrase, safe='')}@/{Path(database).resolve().as_posix()}"


def _phrase_for(path: Path) -> str | None:
    path = Path(path).resolve()
    for root, phrase in _roots.items():
        if path == root or root in path.parents:
            return phrase
    return None


def connection_types() -> tuple[type, ...]:
    if not available():
        return (sqlite3.Connection,)
    import sqlcipher3

    return (sqlite3.Connection, sqlcipher3.Connection)


def errors() -> tuple[type[BaseException], ...]:
    """The DB-API error classes of both drivers (SQLCipher's do not derive from sqlite3's)."""
    if not available():
        return (sqlite3.Error,)
    import sqlcipher3

    return (sqlite3.Error, sqlcipher3.Error)


def raw_connect(path: Path | str, *, read_only: bool = False, **kw: Any) -> Any:
    """A DB-API connection to the desk's file ``path`` (or a backup of it): SQLCipher with the key when the
    data folder is encrypted, else ``sqlite3``."""
    path = Path(path)
    target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
    phrase = _phrase_for(path)
    if phrase is None:
        return sqlite3.connect(target, uri=read_only, **kw)
    import sqlcipher3

    conn = sqlcipher3.connect(target, uri=read_only, **kw)
    conn.execute(f'PRAGMA key="{phrase}"')
    return conn


def encrypt_file(plain: Path, encrypted: Path, keystore: Any) -> None:
    """Write ``encrypted``: the plain SQLite file ``plain`` encrypted with the desk's key (plain kept)."""
    import sqlcipher3

    phrase = _passphrase(keystore.get_or_create(KEY_NAME, 32))
    if encrypted.exists():
        raise KnownError(f"{encrypted} 已存在，未覆盖。")
    conn = sqlcipher3.connect(str(plain))
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"{phrase}\"", (str(encrypted),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def is_encrypted(path: Path) -> bool:
    """True when ``path`` is not readable as a plain SQLite file (SQLCipher or not a database at all)."""
    if not path.exists() or os.path.getsize(path) == 0:
        return False
    with open(path, "rb") as fh:
        return fh.read(16) != b"SQLite format 3\x00"
