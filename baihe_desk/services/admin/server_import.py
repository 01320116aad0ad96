"""迁移到院内服务器 — ``baihe-desk server import-sqlite FILE URL``: every row of a single-PC database moved
onto the court's PostgreSQL server, then checked on both sides: the number of rows of every table, and
the audit chain (every record's hash and link) read back from the file and from the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk.errors import KnownError
from baihe_desk.services.common.audit import verify_chain
from baihe_desk.storage.db import Database
from baihe_desk.storage.sqlite_import import ImportCounts, Progress, copy_sqlite_to_server


@dataclass
class ServerImport:
    counts: ImportCounts
    chain_source: int  # problems found in the file's audit chain (0 = intact)
    chain_target: int
    lines: list[str] = field(default_factory=list)


def import_sqlite(sqlite_path: Path, url: str, *, progress: Progress | None = None) -> ServerImport:
    from baihe_desk.storage import audit_key

    key = audit_key.key_for_database(Path(sqlite_path))  # the desk's key: the server's copy is checked with it
    source = Database(f"sqlite:///{Path(sqlite_path).as_posix()}")
    try:
        with source.session() as s:
            before = len(verify_chain(s, key=key))
    finally:
        source.dispose()
    if before:
        raise KnownError(f"原数据库的审计链有 {before} 处问题（请先运行 baihe-desk check 查看），未迁移。")
    counts = copy_sqlite_to_server(Path(sqlite_path), url, progress=progress)
    target = Database(url)
    try:
        with target.session() as s:
            after = len(verify_chain(s, key=key))
    finally:
        target.dispose()
    result = ServerImport(counts, before, after)
    width = max(len(name) for name in counts.source)
    result.lines = [f"{name:<{width}}  原文件 {counts.source[name]:>9,}  服务器 {counts.target[name]:>9,}"
                    for name in counts.source]
    result.lines.append(f"合计：原文件 {sum(counts.source.values()):,} 行，服务器 {sum(counts.target.values()):,} 行，"
                        + ("一致" if counts.equal else "不一致"))
    result.lines.append(f"审计链：原文件{'完整' if before == 0 else f'有 {before} 处问题'}，"
                        f"服务器{'完整' if after == 0 else f'有 {after} 处问题'}")
    if key is not None:
        result.lines.append(f"审计链密钥：{audit_key.key_file(Path(sqlite_path).resolve())}。请把它复制到每台连接服务器的"
                            f"工作台（仅该账号可读），并设置环境变量 {audit_key.SERVER_KEY_ENV} 指向它。")
    if after:
        raise KnownError("\n".join(result.lines) + "\n服务器上的审计链校验未通过，请联系技术人员。")
    return result
