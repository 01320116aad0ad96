"""备份服务器数据库 — ``baihe-desk backup`` on a desk connected to the court's PostgreSQL server.

On a server, backups are the server's job (a nightly ``pg_dump`` by the court's IT, README); the desk offers
the same dump on demand for an admin: PostgreSQL's own ``pg_dump`` in its custom format (restorable with
``pg_restore``), written to ``<file>.partial`` and renamed only when complete, with a SHA-256 beside it
(``<file>.sha256``). The desk never copies or restores the server's files itself.

``pg_dump`` must be at least the server's major version (it refuses an older one); it is found, in this
order, from ``BAIHE_DESK_PG_DUMP``, the PATH, and on Windows ``C:\\Program Files\\PostgreSQL\\<n>\\bin``
(the highest version). The password never appears on the command line (other accounts could read it in the
process list): it goes to pg_dump through the ``PGPASSWORD`` environment of that one process.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from baihe_desk.errors import KnownError

DUMP_SUFFIX = ".dump"


@dataclass(frozen=True)
class DumpResult:
    file: Path
    sha256: str
    size: int
    pg_dump: Path
    server_version: int  # major


def _major(text: str) -> int:
    m = re.search(r"(\d+)(?:\.\d+)?", text)
    if not m:
        raise KnownError(f"无法识别 pg_dump 的版本：{text.strip()[:80]}")
    return int(m.group(1))


def candidates(env: dict[str, str] | None = None, program_files: Path | None = None) -> list[Path]:
    """Where pg_dump may be, best first (see the module docstring)."""
    env = dict(os.environ) if env is None else env
    found: list[Path] = []
    if env.get("BAIHE_DESK_PG_DUMP"):
        found.append(Path(env["BAIHE_DESK_PG_DUMP"]))
    on_path = shutil.which("pg_dump", path=env.get("PATH"))
    if on_path:
        found.append(Path(on_path))
    if program_files is None and sys.platform == "win32":
        program_files = Path(env.get("ProgramFiles", r"C:\Program Files"))
    if program_files is not None:
        versions = sorted((p for p in (program_files / "PostgreSQL").glob("*/bin/pg_dump*") if p.stem == "pg_dump"),
                          key=lambda p: _safe_int(p.parent.parent.name), reverse=True)
        found.extend(versions)
    return found


def _safe_int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def tool_version(pg_dump: Path) -> int:
    try:
        out = subprocess.run([str(pg_dump), "--version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise KnownError(f"无法运行 pg_dump（{pg_dump}）：{exc}") from exc
    return _major(out.stdout)


def choose_pg_dump(server_major: int, *, env: dict[str, str] | None = None,
                   program_files: Path | None = None) -> Path:
    tried = []
    for path in candidates(env, program_files):
        if not path.exists():
            continue
        major = tool_version(path)
        if major >= server_major:
            return path
        tried.append(f"{path}（{major} 版）")
    if tried:
        raise KnownError(f"找到的 pg_dump 版本低于服务器（PostgreSQL {server_major}）：{'、'.join(tried)}。"
                         f"请安装 PostgreSQL {server_major} 或更新版本的客户端工具，"
                         "或用环境变量 BAIHE_DESK_PG_DUMP 指向合适的 pg_dump。")
    raise KnownError("没有找到 pg_dump。请安装 PostgreSQL 客户端工具（与服务器同一主版本或更新），"
                     "或用环境变量 BAIHE_DESK_PG_DUMP 指向 pg_dump 程序。")


def libpq_target(url: str) -> tuple[str, str | None]:
    """The server URL as pg_dump takes it (``postgresql://…``, no password) and the password apart."""
    from sqlalchemy.engine import URL, make_url

    from baihe_desk.storage.db import sqlalchemy_url

    u = make_url(sqlalchemy_url(url))
    password = u.password
    plain = URL.create("postgresql", username=u.username, host=u.host, port=u.port, database=u.database,
                       query=u.query)
    return plain.render_as_string(hide_password=False), (str(password) if password is not None else None)


def server_major(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as con:
        return int(con.exec_driver_sql("SHOW server_version_num").scalar()) // 10000


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_name(now: datetime | None = None) -> str:
    return f"baihe-server-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}{DUMP_SUFFIX}"


def dump_server(url: str, out: Path, *, engine=None, pg_dump: Path | None = None,  # type: ignore[no-untyped-def]
                env: dict[str, str] | None = None) -> DumpResult:
    """Dump the server database ``url`` to ``out`` (custom format), atomically, with ``out.sha256`` beside it."""
    from sqlalchemy import create_engine

    from baihe_desk.storage.db import sqlalchemy_url

    own = engine is None
    engine = engine or create_engine(sqlalchemy_url(url))
    try:
        major = server_major(engine)
    finally:
        if own:
            engine.dispose()
    tool = pg_dump or choose_pg_dump(major, env=env)
    target, password = libpq_target(url)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    child_env = dict(os.environ if env is None else env)
    if password is not None:
        child_env["PGPASSWORD"] = password
    cmd = [str(tool), "--format=custom", "--no-owner", "--file", str(partial), "--dbname", target]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=child_env, timeout=6 * 3600)
    except (OSError, subprocess.SubprocessError) as exc:
        partial.unlink(missing_ok=True)
        raise KnownError(f"pg_dump 未能运行：{exc}") from exc
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise KnownError("服务器数据库备份失败（pg_dump）：" + (detail[-1][:180] if detail else f"退出码 {done.returncode}"))
    os.replace(partial, out)
    digest = sha256_file(out)
    out.with_name(out.name + ".sha256").write_text(f"{digest}  {out.name}\n", encoding="utf-8")
    return DumpResult(out, digest, out.stat().st_size, Path(tool), major)
