"""连接院内服务器 — a desk connecting to the court's PostgreSQL: the address, the password, the connection test.

- :class:`ServerAddress`: host, port, database, user and TLS mode, as the connection dialog shows them; the
  URL kept in the desk's settings never carries the password.
- The password lives in the OS credential store (Windows Credential Manager, the macOS Keychain, the Secret
  Service on Linux) through ``storage.keystore.Passwords``; where there is none (a locked-down PC, a CI box) the desk says so
  and asks for the password at every start instead of writing it anywhere. libpq's own ``PGPASSWORD`` and
  pgpass file still work for IT people who prefer them.
- :func:`probe`: one connection test with a calm message for each way it fails: host unreachable, wrong
  password, no such database or user, server too old, database not initialised (``server init`` not run),
  a database of a newer desk, or one that needs ``server init`` of this version first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

from baihe_desk.config import is_server_url
from baihe_desk.errors import KnownError

KEYRING_SERVICE = "BaiheDesk 院内数据库服务器"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerAddress:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = ""  # "" = libpq's default (prefer); verify-full on a court network with certificates

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        from sqlalchemy.engine import make_url

        from baihe_desk.storage.db import sqlalchemy_url

        u = make_url(sqlalchemy_url(url))
        ssl = u.query.get("sslmode", "")
        return cls(host=u.host or str(u.query.get("host", "")), database=u.database or "", user=u.username or "",
                   port=u.port or DEFAULT_PORT, sslmode=ssl if isinstance(ssl, str) else ssl[0])

    def check(self) -> None:
        for value, label in ((self.host, "服务器地址"), (self.database, "数据库名"), (self.user, "用户名")):
            if not value.strip():
                raise KnownError(f"请填写{label}。")
        if not 0 < self.port < 65536:
            raise KnownError("端口应为 1 至 65535 之间的数字（PostgreSQL 默认 5432）。")

    def url(self, password: str | None = None) -> str:
        """``postgresql://user[:password]@host:port/db[?sslmode=…]`` (a host starting with / is a socket folder)."""
        auth = quote(self.user, safe="") + (":" + quote(password, safe="") if password else "")
        query = []
        if self.host.startswith("/"):
            netloc = f"{auth}@"
            query.append("host=" + quote(self.host, safe="/"))
        else:
            netloc = f"{auth}@{self.host}:{self.port}"
        if self.sslmode:
            query.append("sslmode=" + self.sslmode)
        return f"postgresql://{netloc}/{quote(self.database, safe='')}" + ("?" + "&".join(query) if query else "")

    @property
    def key(self) -> str:
        """The credential store's entry for this server (one per server and database)."""
        return f"{self.host}:{self.port}/{self.database}"


# -- the password in the OS credential store (storage.keystore, the desk's one door to keyring) ----------
def _passwords():  # type: ignore[no-untyped-def]
    from baihe_desk.storage.keystore import Passwords

    return Passwords(KEYRING_SERVICE)


def credential_store_available() -> bool:
    return bool(_passwords().available)


def stored_password(address: ServerAddress) -> str | None:
    return _passwords().get(address.key, address.user)  # type: ignore[no-any-return]


def store_password(address: ServerAddress, password: str) -> bool:
    """Keep the password in the OS credential store; False when there is none (then it is not kept at all)."""
    return bool(_passwords().set(address.key, address.user, password))


def forget_password(address: ServerAddress) -> None:
    _passwords().delete(address.key, address.user)


def needs_password(url: str) -> bool:
    """True when neither the URL, ``PGPASSWORD`` nor a pgpass file will give libpq a password."""
    from sqlalchemy.engine import make_url

    from baihe_desk.storage.db import sqlalchemy_url

    if make_url(sqlalchemy_url(url)).password or os.environ.get("PGPASSWORD"):
        return False
    passfile = os.environ.get("PGPASSFILE") or (
        os.path.join(os.environ.get("APPDATA", ""), "postgresql", "pgpass.conf") if os.name == "nt"
        else os.path.join(os.path.expanduser("~"), ".pgpass"))
    return not os.path.exists(passfile)


def with_stored_password(url: str) -> str:
    """The URL to connect with: the stored password added in memory when libpq would have none."""
    if not is_server_url(url) or not needs_password(url):
        return url
    address = ServerAddress.parse(url)
    password = stored_password(address)
    return address.url(password) if password else url


# -- the connection test ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    reason: str  # ok, unreachable, auth, no_database, no_role, too_old, not_initialised, too_new, outdated, …
    message: str
    version: str = ""


def probe(url: str, *, timeout_s: int = 5) -> ProbeResult:
    """Connect once and say whether this desk can work on the database (nothing is changed)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from baihe_desk.storage import migrate
    from baihe_desk.storage.db import sqlalchemy_url
    from baihe_desk.storage.server import MIN_SERVER_VERSION, connection_error

    engine = create_engine(sqlalchemy_url(url), connect_args={"connect_timeout": timeout_s})
    try:
        try:
            with engine.connect() as con:
                number = int(con.execute(text("SHOW server_version_num")).scalar_one())
                version = str(con.execute(text("SHOW server_version")).scalar_one())
        except DBAPIError as exc:
            return _failed(exc, connection_error(exc).message)
        if number < MIN_SERVER_VERSION:
            return ProbeResult(False, "too_old", f"数据库服务器版本过旧（PostgreSQL {version}），需要 PostgreSQL 14 "
                               "或更高版本。请联系院里的信息技术人员升级服务器。", version)
        current = migrate.current_revision(engine)
        if current is None:
            return ProbeResult(False, "not_initialised", "服务器上的这个数据库还没有初始化。请信息技术人员先运行 "
                               "baihe-desk server init（见说明书“院内服务器”一节），再连接。", version)
        if current not in migrate.known_revisions():
            return ProbeResult(False, "too_new", f"该数据库由更新版本的白河工作台使用（结构版本 {current}）。"
                               "请先把本机的工作台升级到最新版本，再连接。数据未做任何改动。", version)
        if current != migrate.head_revision():
            return ProbeResult(False, "outdated", f"服务器数据库的结构版本（{current}）比本工作台旧。请信息技术人员用本版本"
                               "运行 baihe-desk server init 升级服务器（会先提示备份），再连接。", version)
        return ProbeResult(True, "ok", f"连接成功：PostgreSQL {version}，数据库结构为最新版本。", version)
    except DBAPIError as exc:
        return _failed(exc, connection_error(exc).message)
    finally:
        engine.dispose()


def _failed(exc: BaseException, message: str) -> ProbeResult:
    reason = _reason(exc)
    if reason == "auth":
        message = "服务器拒绝了这个用户名或密码。请核对后重试（区分大小写）；忘记密码请联系信息技术人员。"
    elif reason == "unreachable" and "数据库" not in message:
        message = "无法连接服务器：" + message
    return ProbeResult(False, reason, message)


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "password" in text:
        return "auth"
    if "does not exist" in text:
        return "no_database" if "database" in text else "no_role"
    return "unreachable"
