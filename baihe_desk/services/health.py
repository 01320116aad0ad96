"""数据库检查 — schema version, SQLite integrity, the audit chain, and counts (``baihe-desk check``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from baihe_desk.models import AuditRecord, Case, GeneratedDocument, Party, User
from baihe_desk.services import audit
from baihe_desk.storage.db import Database


@dataclass
class HealthReport:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_database(db: Database) -> HealthReport:
    from baihe_desk.storage import migrate

    rep = HealthReport()
    current, head = migrate.current_revision(db.engine), migrate.head_revision()
    rep.lines.append(f"结构版本：{current}（本程序：{head}）")
    if current != head:
        rep.problems.append(f"数据库结构版本 {current} 与程序 {head} 不一致")
    with db.session() as s:
        if db.is_sqlite:
            results = [r[0] for r in s.execute(text("PRAGMA integrity_check")).all()]
            rep.lines.append(f"完整性检查：{'ok' if results == ['ok'] else '; '.join(results[:5])}")
            if results != ["ok"]:
                rep.problems.append("SQLite 完整性检查失败：" + "; ".join(results[:5]))
            fk = s.execute(text("PRAGMA foreign_key_check")).all()
            if fk:
                rep.problems.append(f"外键不一致 {len(fk)} 处")
        for label, model in (("案件", Case), ("当事人", Party), ("用户", User), ("文书", GeneratedDocument),
                             ("审计记录", AuditRecord)):
            rep.lines.append(f"{label}：{s.scalar(select(func.count()).select_from(model)) or 0}")
        chain = audit.verify_chain(s)
        rep.lines.append(f"审计链：{'完整' if not chain else f'{len(chain)} 处异常'}")
        for p in chain:
            rep.problems.append(f"审计记录 #{p.seq}（{p.record_id}）：{p.problem}")
    return rep
