"""密钥保管 — small secrets of this desk (its identity key, the encrypted database's key, a server password).

Where a secret is kept, in order:

1. **The operating system's credential store** through ``keyring`` (Windows Credential Manager, macOS
   Keychain, the Secret Service on a Linux desktop). The secret never lands in the data folder.
2. **A key file in the data folder** (``keys/<name>.key``) when no credential store is available — a Linux
   box without a desktop session, CI, a portable desk on a USB stick (``BAIHE_DESK_KEYSTORE=file`` forces
   it). The file is created readable by the desk's own account only (mode 0600 on POSIX; on Windows the
   per-user data folder under ``%LOCALAPPDATA%`` is already limited to that account by its ACL). This is
   weaker than the credential store: whoever can read that account's files can read the key. The desk says
   which one it uses (:meth:`Keystore.backend_label`), so an administrator sees it on the desks page.

Entries are per data folder: two data folders on one PC (the court desk and a test station) never share a
key. Secrets are bytes; they travel through keyring as hex.

:class:`Passwords` keeps a password (the court server's) in the credential store *only*: where there is none
(or ``BAIHE_DESK_KEYSTORE=file``) nothing is kept and the desk asks again — a password is never written to a
file. This module is the desk's one door to ``keyring``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from baihe_desk.errors import KnownError

SERVICE = "BaiheDesk"
ENV_BACKEND = "BAIHE_DESK_KEYSTORE"  # "file" forces the key file; "keyring" refuses to fall back


class KeystoreError(KnownError):
    title = "密钥保管"


def _keyring():  # type: ignore[no-untyped-def]
    """The keyring module if a usable (non-failing) backend is present, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - no keyring at all: fall back
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:  # fail / null backends
        return None
    chainer = getattr(backend, "backends", None)  # ChainerBackend: usable if it chains anything
    if chainer is not None and not chainer:
        return None
    return keyring


class Keystore:
    """Secrets of the desk whose data folder is ``root``."""

    def __init__(self, root: Path, *, mode: str | None = None):
        self.root = Path(root)
        self.scope = hashlib.sha256(str(self.root.resolve()).encode("utf-8")).hexdigest()[:16]
        mode = mode or os.environ.get(ENV_BACKEND, "")
        kr = None if mode == "file" else _keyring()
        if kr is None and mode == "keyring":
            raise KeystoreError("本机没有可用的系统凭据存储（keyring），无法保存密钥。")
        self._keyring = kr

    @property
    def uses_credential_store(self) -> bool:
        return self._keyring is not None

    def backend_label(self) -> str:
        if self._keyring is not None:
            return f"系统凭据存储（{type(self._keyring.get_keyring()).__name__}）"
        return f"数据文件夹中的密钥文件（仅本账户可读）：{self._folder()}"

    def _folder(self) -> Path:
        return self.root / "keys"

    def _file(self, name: str) -> Path:
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"bad key name {name!r}")
        return self._folder() / f"{name}.key"

    def _user(self, name: str) -> str:
        return f"{name}@{self.scope}"

    def get(self, name: str) -> bytes | None:
        if self._keyring is not None:
            try:
                value = self._keyring.get_password(SERVICE, self._user(name))
            except Exception as exc:  # noqa: BLE001 - locked or broken store: say so calmly
                raise KeystoreError(f"无法读取系统凭据存储：{exc}") from exc
            return bytes.fromhex(value) if value else None
        path = self._file(name)
        if not path.exists():
            return None
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError) as exc:
            raise KeystoreError(f"密钥文件 {path} 无法读取或已损坏。") from exc

    def set(self, name: str, secret: bytes) -> None:
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, self._user(name), secret.hex())
            except Exception as exc:  # noqa: BLE001
                raise KeystoreError(f"无法写入系统凭据存储：{exc}") from exc
            return
        folder = self._folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = self._file(name)
        tmp = path.with_suffix(".tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            os.write(fd, secret.hex().encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.name != "nt":
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def delete(self, name: str) -> None:
        if self._keyring is not None:
            try:
                self._keyring.delete_password(SERVICE, self._user(name))
            except Exception:  # noqa: BLE001 - nothing stored
                pass
            return
        self._file(name).unlink(missing_ok=True)

    def get_or_create(self, name: str, size: int = 32) -> bytes:
        """The secret ``name``, made from the OS random source on first need."""
        value = self.get(name)
        if value is None:
            value = os.urandom(size)
            self.set(name, value)
        return value


class Passwords:
    """Passwords in the OS credential store only (service ``"<service> <entry>"``, the account as user name)."""

    def __init__(self, service: str):
        self.service = service

    @staticmethod
    def _store():  # type: ignore[no-untyped-def]
        return None if os.environ.get(ENV_BACKEND) == "file" else _keyring()

    @property
    def available(self) -> bool:
        return self._store() is not None

    def get(self, entry: str, user: str) -> str | None:
        kr = self._store()
        if kr is None:
            return None
        try:
            return kr.get_password(f"{self.service} {entry}", user)
        except Exception:  # noqa: BLE001 - a locked or broken store: as if nothing were kept (the desk asks)
            return None

    def set(self, entry: str, user: str, password: str) -> bool:
        """Keep the password; False when there is no credential store (then it is not kept at all)."""
        kr = self._store()
        if kr is None:
            return False
        try:
            kr.set_password(f"{self.service} {entry}", user, password)
        except Exception:  # noqa: BLE001
            return False
        return True

    def delete(self, entry: str, user: str) -> None:
        kr = self._store()
        if kr is not None:
            try:
                kr.delete_password(f"{self.service} {entry}", user)
            except Exception:  # noqa: BLE001 - nothing stored
                pass
