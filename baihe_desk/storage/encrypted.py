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


def encrypt_in_place(database: Path, backups: list[Path], keystore: Any) -> list[Path]:
    """Encrypt a desk's plain database file and its backups with the desk's key (the desk must be closed).

    Each file is first written encrypted beside the original, opened again with the key and compared
    (integrity check, same tables with the same row counts); only then it replaces the plain file. Returns
    the files encrypted. The plain files are removed by the file system as usual: their old blocks are not
    overwritten on disk, so a desk that already held personal data should be encrypted before it leaves the
    court (a new laptop desk: set ``database_url`` to ``sqlcipher`` before the first start).
    """
    import sqlcipher3

    phrase = _passphrase(keystore.get_or_create(KEY_NAME, 32))
    done = []
    for plain in [database, *backups]:
        if not plain.exists() or is_encrypted(plain):
            continue
        src = sqlite3.connect(str(plain))
        try:
            src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            tables = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                "AND name NOT LIKE 'sqlite_%'")]
            counts = {t: src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            src.close()
        tmp = plain.with_name(plain.name + ".encrypting")
        tmp.unlink(missing_ok=True)
        encrypt_file(plain, tmp, keystore)
        check = sqlcipher3.connect(str(tmp))
        try:
            check.execute(f'PRAGMA key="{phrase}"')
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            again = {t: check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            check.close()
        if ok != "ok" or again != counts:
            tmp.unlink(missing_ok=True)
            raise KnownError(f"加密 {plain.name} 后核对不一致，原文件未改动。")
        os.replace(tmp, plain)
        for suffix in ("-wal", "-shm"):
            Path(str(plain) + suffix).unlink(missing_ok=True)
        done.append(plain)
    return done
