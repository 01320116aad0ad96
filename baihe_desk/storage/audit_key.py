"""The audit chain's key and its anchor outside the database (issue 17: a plain hash chain can be
recomputed by anyone with the file, and cutting off the newest records left an intact chain).

- **Key**: a per-installation secret (32 random bytes) in ``config/audit-chain.key`` of the data
  folder, created with mode 0600 in a 0700 folder (on Windows the data folder is the per-user
  ``%LOCALAPPDATA%`` folder, whose ACL grants only the user, SYSTEM and administrators). Records
  from ``keyed_from`` on are HMAC-SHA256 under it; older records keep their plain SHA-256. Someone
  with the database file but not the key cannot write a record that verifies.
- **Anchor**: ``<database>.audit-head`` beside the file holds the newest record's sequence number and
  hash, rewritten after every commit that appended to the trail (and copied into every backup's
  manifest). A database whose chain ends before the anchor, or differs at it, was cut or rewritten.

A PostgreSQL server's desks are given the same key file by the court's IT (``BAIHE_DESK_AUDIT_KEY_FILE``;
``server import-sqlite`` names the file to copy). Each desk then anchors the head it last wrote beside its
key file (``<key>.<server>.audit-head``); without the variable the server's trail stays a plain chain (its
append-only guard is the server's own permissions; see README).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

KEY_NAME = "audit-chain.key"
ANCHOR_SUFFIX = ".audit-head"


@dataclass(frozen=True)
class ChainKey:
    secret: bytes
    keyed_from: int  # the first sequence number written with the key
    anchor: Path | None = None


_cache: dict[Path, ChainKey] = {}


def key_file(database: Path) -> Path:
    """``config/audit-chain.key`` of the database's data folder (for a file in ``backups/``: the data
    folder above it, so the installation's backups verify with its key)."""
    folder = Path(database).parent
    if folder.name == "backups" and not (folder / "config" / KEY_NAME).exists():
        folder = folder.parent
    return folder / "config" / KEY_NAME


def anchor_file(database: Path) -> Path:
    return Path(database).with_name(Path(database).name + ANCHOR_SUFFIX)


def private_write(path: Path, data: bytes) -> None:
    """Write ``path`` readable by this account only (0600; the folder 0700), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _sqlite_file(url: Any) -> Path | None:
    u = make_url(str(url)) if not hasattr(url, "get_backend_name") else url
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).resolve()


def key_for_database(database: Path) -> ChainKey | None:
    database = Path(database).resolve()
    if database in _cache:
        return _cache[database]
    loaded = load_key_file(key_file(database))
    if loaded is None:
        return None
    key = ChainKey(loaded.secret, loaded.keyed_from, anchor_file(database))
    _cache[database] = key
    return key


SERVER_KEY_ENV = "BAIHE_DESK_AUDIT_KEY_FILE"  # a server's desks: the key file the court's IT gave every desk


def key_for_bind(bind: Any) -> ChainKey | None:
    url = getattr(bind, "url", None)
    database = _sqlite_file(url) if url is not None else None
    if database is not None:
        return key_for_database(database)
    path = os.environ.get(SERVER_KEY_ENV)
    if not path:
        return None
    loaded = load_key_file(Path(path))
    if loaded is None or url is None:
        return loaded
    return ChainKey(loaded.secret, loaded.keyed_from, server_anchor_file(Path(path), url))


def server_anchor_file(key_path: Path, url: Any) -> Path:
    """This desk's anchor of a server's chain: beside the key file, one per server database."""
    import hashlib

    u = make_url(str(url)) if not hasattr(url, "get_backend_name") else url
    where = f"{u.host or ''}:{u.port or ''}/{u.database or ''}".encode()
    return Path(key_path).with_name(f"{Path(key_path).name}.{hashlib.sha256(where).hexdigest()[:12]}{ANCHOR_SUFFIX}")


def create_key_file(path: Path, head: tuple[int, str] | None) -> None:
    """A new secret in ``path`` (0600): records after ``head`` (seq, hash) are keyed with it."""
    seq = head[0] if head else 0
    data = {"secret": secrets.token_bytes(32).hex(), "keyed_from": seq + 1}
    private_write(Path(path), json.dumps(data).encode("utf-8"))


def load_key_file(path: Path) -> ChainKey | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return ChainKey(bytes.fromhex(data["secret"]), int(data["keyed_from"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_key(database: Path, head: tuple[int, str] | None) -> ChainKey:
    """The installation's key for ``database``, created now if it has none (the records after the
    current ``head`` (seq, hash) are keyed; the anchor starts at that head)."""
    key = key_for_database(database)
    if key is not None:
        return key
    create_key_file(key_file(database), head)
    if head is not None:
        write_anchor(anchor_file(database), head[0], head[1], force=True)
    return key_for_database(database)  # type: ignore[return-value]


def read_anchor(anchor: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(anchor).read_text(encoding="utf-8"))
        return {"seq": int(data["seq"]), "hash": str(data["hash"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_anchor(anchor: Path, seq: int, digest: str, *, force: bool = False) -> None:
    """Record the chain's head; never moves it back (another process may have written a newer one)
    unless ``force`` (a restore puts an older database in place on purpose)."""
    current = read_anchor(anchor)
    if not force and current is not None and current["seq"] >= seq:
        return
    private_write(Path(anchor), json.dumps({"seq": seq, "hash": digest}).encode("utf-8"))


HEAD_INFO = "baihe_audit_head"  # session.info: (anchor file, seq, hash) of the newest appended record


@event.listens_for(Session, "after_commit")
def _write_anchor_after_commit(session: Session) -> None:
    pending = session.info.pop(HEAD_INFO, None)
    if pending is not None:
        anchor, seq, digest = pending
        try:
            write_anchor(anchor, seq, digest)
        except OSError:  # a full disk: check reports the stale anchor; the committed work stays
            pass


@event.listens_for(Session, "after_rollback")
def _forget_head_after_rollback(session: Session) -> None:
    session.info.pop(HEAD_INFO, None)
