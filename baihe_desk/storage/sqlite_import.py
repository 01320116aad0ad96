"""从单机数据库迁移到院内服务器 — copy every row of a desk's SQLite file into a PostgreSQL database.

The mechanics only (``baihe-desk server import-sqlite``; the service around it verifies the audit chain on
both sides): the source must be a Baihe Desk file at this program's schema revision, the target a database
set up by ``server init`` (same revision) that holds no records yet. Tables are copied in foreign-key
order through the models' own tables, so every value is converted by the same column types the desk
uses (ids, dates, money, JSON). The two foreign keys that make a cycle (a department's 庭长 and 分管院长
are users, a user belongs to a department) are written empty first and filled in once the users exist.
Everything happens in one transaction on the server: an import that fails leaves it empty. The case
counters (案号) travel as rows, so numbering continues where the file stopped. SQLite's search index is
not copied (the server has its own trigram indexes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk.errors import KnownError

BATCH = 2_000
Progress = Callable[[str, int], None]  # (table, rows copied so far)


@dataclass
class ImportCounts:
    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return self.source == self.target


def _counts(connection, tables) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables}


def copy_sqlite_to_server(sqlite_path: Path, target_url: str, *, progress: Progress | None = None) -> ImportCounts:
    from sqlalchemy import create_engine, select, update

    import baihe_desk.models  # noqa: F401  (every table registered)
    from baihe_desk.models.base import Base
    from baihe_desk.storage import migrate
    from baihe_desk.storage.db import sqlalchemy_url

    sqlite_path = Path(sqlite_path)
    if not sqlite_path.is_file():
        raise KnownError(f"找不到要迁移的数据库文件：{sqlite_path}")
    source = create_engine(f"sqlite:///file:{sqlite_path.as_posix()}?mode=ro&uri=true")
    target = create_engine(sqlalchemy_url(target_url))
    try:
        head = migrate.head_revision()
        src_rev = migrate.current_revision(source)
        if src_rev is None:
            raise KnownError("该文件不是白河工作台的数据库（缺少结构版本信息），未迁移。")
        if src_rev != head:
            raise KnownError(f"该数据库的结构版本是 {src_rev}，本程序是 {head}。请先用本版本的工作台打开一次该数据库"
                             "（会自动备份并升级），再迁移。")
        if migrate.current_revision(target) != head:
            raise KnownError("服务器上的数据库尚未用本版本初始化。请先运行 baihe-desk server init。")
        tables = list(Base.metadata.sorted_tables)
        counts = ImportCounts()
        with source.connect() as src, target.begin() as dst:
            counts.source = _counts(src, tables)
            already = {name: n for name, n in _counts(dst, tables).items() if n}
            if already:
                listing = "、".join(f"{name} {n} 行" for name, n in sorted(already.items()))
                raise KnownError(f"服务器上的数据库已有数据（{listing}），为避免混淆，未迁移。请使用新初始化的空数据库。")
            deferred: list[tuple] = []  # (table, primary key columns, cyclic columns, rows) filled in at the end
            for table in tables:
                cyclic = [fk.parent for fk in table.foreign_keys if fk.constraint is not None and fk.constraint.use_alter]
                copied = 0
                result = src.execute(select(table))
                while rows := result.mappings().fetchmany(BATCH):
                    values = [dict(r) for r in rows]
                    if cyclic:
                        deferred.append((table, list(table.primary_key.columns), cyclic,
                                         [{**v} for v in values if any(v[c.key] is not None for c in cyclic)]))
                        for v in values:
                            for c in cyclic:
                                v[c.key] = None
                    dst.execute(table.insert(), values)
                    copied += len(values)
                    if progress is not None:
                        progress(table.name, copied)
            for table, pk, cyclic, rows in deferred:
                for row in rows:
                    dst.execute(update(table).where(*(col == row[col.key] for col in pk))
                                .values({c.key: row[c.key] for c in cyclic}))
            counts.target = _counts(dst, tables)
            if not counts.equal:
                raise KnownError("迁移后的行数与原文件不一致，已撤销本次迁移：" + _difference(counts))
        return counts
    finally:
        source.dispose()
        target.dispose()


def _difference(counts: ImportCounts) -> str:
    return "、".join(f"{name} {counts.source.get(name)} → {counts.target.get(name)}"
                     for name in counts.source if counts.source.get(name) != counts.target.get(name))
