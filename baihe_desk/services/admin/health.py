"""数据库检查 — schema version, SQLite integrity, the audit chain, and counts (``baihe-desk check``).

The audit chain (``audit.verify_chain``) finds an edited record, a deleted one in the middle, and one
inserted out of order. Deleting the *newest* records leaves a shorter chain that is still intact; that
is caught by comparing with the backups: every backup made since the last restore holds the audit head
(last sequence number and hash) of its day, and the live database must still contain exactly that
record. ``append_only_triggers`` reports whether the database refuses UPDATE/DELETE on the audit table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from baihe_desk.models import AuditRecord, Case, GeneratedDocument, Party, User
from baihe_desk.services.common import audit
from baihe_desk.storage.audit_guard import TRIGGER_NAMES
from baihe_desk.storage.db import Database
from baihe_desk.storage.encrypted import errors as db_errors
from baihe_desk.storage.encrypted import raw_connect

ANCHOR_BACKUPS = 100  # at most this many of the newest backups (made since the last restore) are compared



@dataclass
class HealthReport:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AuditHead:
    seq: int
    hash: str


def audit_head_of_file(path: Path) -> AuditHead | None:
    """The last audit record (sequence number, hash) of a SQLite file, read-only; None if it has none."""
    con = raw_connect(Path(path), read_only=True)
    try:
        row = con.execute("SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1").fetchone()
    except db_errors():
        return None
    finally:
        con.close()
    return AuditHead(int(row[0]), str(row[1])) if row else None


def _last_restore(session: Session) -> datetime | None:
    at = session.scalar(select(AuditRecord.at).where(AuditRecord.action == "database.restore")
                        .order_by(AuditRecord.seq.desc()).limit(1))
    return at.astimezone(UTC) if at is not None else None


def check_anchors(session: Session, backups_dir: Path, *, limit: int = ANCHOR_BACKUPS) -> tuple[int, list[str]]:
    """Compare the audit head of the newest backups (made after the last restore) with the live chain.

    Returns (backups compared, problems). A backup's head missing or different in the live database
    means records were deleted from (or rewritten at) the end of the chain.
    """
    from baihe_desk.storage.backup import list_backups_in

    restored = _last_restore(session)
    compared, problems = 0, []
    for b in list_backups_in(backups_dir):
        if compared >= limit:
            break
        if restored is not None and b.created.astimezone(UTC) <= restored:
            continue  # older than the restore: it may hold records the restore rolled back
        head = audit_head_of_file(b.path)
        if head is None:
            continue
        compared += 1
        live = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == head.seq))
        if live is None:
            problems.append(f"审计记录 #{head.seq} 见于备份 {b.path.name}，但当前数据库中已不存在（记录被删除）")
        elif live != head.hash:
            problems.append(f"审计记录 #{head.seq} 与备份 {b.path.name} 中的不同（记录被修改或替换）")
    return compared, problems


def append_only_triggers(session: Session) -> bool:
    """True when the database refuses UPDATE and DELETE on audit_record (the triggers above)."""
    if session.get_bind().dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    names = {r[0] for r in session.execute(text(query))}
    return all(n in names for n in TRIGGER_NAMES)


def check_database(db: Database, *, backups_dir: Path | None = None) -> HealthReport:
    """The whole check. ``backups_dir``: where this database's backups are (default: ``backups`` next to
    the SQLite file, the app's layout); their audit heads anchor the end of the chain."""
    from baihe_desk.storage import migrate

    rep = HealthReport()
    current, head = migrate.current_revision(db.engine), migrate.head_revision()
    rep.lines.append(f"结构版本：{current}（本程序：{head}）")
    if current != head:
        rep.problems.append(f"数据库结构版本 {current} 与程序 {head} 不一致")
    if backups_dir is None and db.sqlite_path is not None:
        backups_dir = db.sqlite_path.parent / "backups"
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
        if backups_dir is not None and backups_dir.is_dir():
            compared, anchors = check_anchors(s, backups_dir)
            rep.lines.append(f"审计链末端与备份核对：{compared} 个备份" + ("一致" if not anchors else "，发现不一致"))
            rep.problems.extend(anchors)
        from baihe_desk.services.common.state_hash import find_edited_rows

        edited = find_edited_rows(s)
        rep.lines.append(f"业务记录与审计快照核对：{'一致' if not edited else f'{len(edited)} 条不符'}")
        rep.problems.extend(edited)
        triggers = append_only_triggers(s)
        rep.lines.append(f"审计记录防改触发器：{'已启用' if triggers else '缺失'}")
        if not triggers:
            rep.problems.append("审计记录防改触发器缺失（有人在工作台之外删除了它们）")
        _check_anchor(s, db.sqlite_path, rep)
    if backups_dir is not None and backups_dir.is_dir():
        _check_manifests(backups_dir, rep)
    return rep


def _check_anchor(session: Session, database: Path | None, rep: HealthReport) -> None:
    """The chain's head recorded outside the database (storage.audit_key: beside the SQLite file, or beside
    a server desk's key file) must still be in the chain."""
    from baihe_desk.storage import audit_key

    key = audit_key.key_for_bind(session.get_bind())
    if key is None or key.anchor is None:
        rep.lines.append("审计链密钥：未设置（本数据库尚未由本程序打开过）" if database is not None else
                         f"审计链密钥：未设置（服务器的审计链未加密钥；见环境变量 {audit_key.SERVER_KEY_ENV}）")
        return
    if database is not None and audit_key.key_file(database).parent.parent != database.parent:
        return  # a copy in backups/: its head is in its manifest, whose SHA-256 covers the whole file
    anchor = audit_key.read_anchor(key.anchor)
    if anchor is None:
        if database is None:  # each server desk anchors what it wrote; a new desk has none yet
            rep.lines.append(f"审计链锚点：本工作台尚无锚点文件（{key.anchor.name}；写入审计记录后建立）")
            return
        rep.problems.append(f"审计链锚点文件 {key.anchor.name} 缺失或损坏")
        return
    live = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == anchor["seq"]))
    if live is None:
        rep.problems.append(f"审计记录 #{anchor['seq']} 见于锚点文件，但当前数据库中已不存在（最新的记录被截去）")
    elif live != anchor["hash"]:
        rep.problems.append(f"审计记录 #{anchor['seq']} 与锚点文件不符（记录被改写）")
    else:
        rep.lines.append(f"审计链末端与锚点文件核对：一致（#{anchor['seq']}）")


def _check_manifests(backups_dir: Path, rep: HealthReport) -> None:
    from baihe_desk.storage.backup import list_backups_in, verify_manifest

    backups = list_backups_in(backups_dir)
    wrong = [w for w in (verify_manifest(b.path) for b in backups) if w]
    rep.lines.append(f"备份校验清单：{len(backups) - len(wrong)}/{len(backups)} 个一致")
    rep.problems.extend(wrong)
