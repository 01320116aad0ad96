"""Two people, one record: a save over someone else's newer change becomes a conflict, never an overwrite.

Every editable record has ``row_version`` (``models.base.Versioned``). A form remembers the version it
showed and sends it with the save (``expected_version``); :func:`check_version` compares it with the version
in the database inside the write transaction (writes are serialised: SQLite's BEGIN IMMEDIATE, the server's
advisory lock), so nothing can slip between the check and the write. SQLAlchemy's own version check on
UPDATE backs this up for any other path (storage.db turns ``StaleDataError`` into a calm conflict).

The conflict names who changed the record and when, from the audit trail ("该案件已被 孙玥 于 10:42 修改"),
and carries both versions of each free-text field the form holds, so the clerk can compare, reload and
copy what they typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import ConflictError
from baihe_desk.models import AuditRecord, User

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class TextVersions:
    """One free-text field in both versions: what this desk's form holds and what is saved now."""

    label: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class LastChange:
    by: str  # the person's display name (or user name)
    at: datetime | None


class EditConflict(ConflictError):
    """Someone saved this record after the form showed it; nothing of this save was written."""

    title = "修改冲突"

    def __init__(self, what: str, change: LastChange | None, texts: list[TextVersions] | None = None):
        self.what = what
        self.change = change
        self.texts: list[TextVersions] = [t for t in (texts or []) if t.mine != t.theirs]
        if change is not None and change.at is not None:
            head = f"该{what}已被 {change.by} 于 {_clock(change.at)} 修改"
        elif change is not None:
            head = f"该{what}已被 {change.by} 修改"
        else:
            head = f"该{what}已被其他工作台修改"
        super().__init__(f"{head}，您这次的修改没有保存，以免覆盖对方的内容。请重新载入后再改"
                         + ("（下方列出两边的文字，可复制您写的内容）。" if self.texts else "。"))


def _clock(at: datetime) -> str:
    local = at.astimezone(LOCAL)
    today = datetime.now(LOCAL).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


def last_change(session: Session, entity_id: Any, *, entity: str | None = None) -> LastChange | None:
    """Who last changed the record, and when, from the newest audit record naming it."""
    q = select(AuditRecord).where(AuditRecord.entity_id == str(entity_id))
    if entity:
        q = q.where(AuditRecord.entity == entity)
    rec = session.scalars(q.order_by(AuditRecord.seq.desc()).limit(1)).first()
    if rec is None:
        return None
    name = rec.username
    if rec.user_id is not None:
        user = session.get(User, rec.user_id)
        if user is not None and user.display_name:
            name = user.display_name
    return LastChange(by=name or "其他用户", at=rec.at)


def check_version(session: Session, record: Any, expected: int | None, *, what: str,
                  audit_entity: str | None = None, audit_id: Any = None,
                  texts: dict[str, tuple[str, str]] | None = None) -> None:
    """Raise :class:`EditConflict` when ``record`` was saved since the form showed version ``expected``.

    ``texts``: the form's free-text fields, label → (the text it wants to save, the text saved now); both go
    into the conflict so the clerk sees the two versions. ``None`` skips the check
    (a caller that did not read the record first, e.g. a command-line batch)."""
    if expected is None:
        return
    if record.row_version == int(expected):
        return
    rid = audit_id if audit_id is not None else getattr(record, "id", "")
    change = last_change(session, rid, entity=audit_entity)
    raise EditConflict(what, change, [TextVersions(label, mine, theirs)
                                      for label, (mine, theirs) in (texts or {}).items()])


def bump(record: Any) -> None:
    """Count a change of a record's children (e.g. an answer of a review) as a change of the record itself."""
    from baihe_desk.models import utcnow

    record.updated_at = utcnow()
