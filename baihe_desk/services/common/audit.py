"""审计 — append-only, hash-chained audit trail.

Every record carries ``prev_hash`` (the previous record's hash, or 64 zeros for the first) and
``hash`` = HMAC-SHA256 under the installation's key (:mod:`baihe_desk.storage.audit_key`; records
written before the key existed, and a server without one: plain SHA-256) over a canonical JSON of its
own fields plus ``prev_hash``. ``verify_chain`` walks the chain and names every record that was
edited, deleted or inserted out of order; a chain recomputed without the key fails it. After a
commit the newest record's sequence number and hash go to the anchor file beside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from baihe_desk.models import AuditRecord, utcnow
from baihe_desk.services.common import state_hash
from baihe_desk.services.common.masking import mask_tree
from baihe_desk.storage import audit_key
from baihe_desk.storage.audit_key import ChainKey

if TYPE_CHECKING:
    from baihe_desk.services.common.actor import Actor

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Turn model values into JSON: UUID/date/Decimal → str, Enum → value; nested structures kept."""
    if isinstance(value, str):
        from baihe_desk.services.common.validation import strip_control_chars

        return strip_control_chars(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The column values of a model instance, as JSON-able data (for before → after)."""
    cols = fields or [c.key for c in obj.__table__.columns if c.key not in ("created_at", "updated_at")]
    return {k: jsonable(getattr(obj, k)) for k in cols}


def _digest(rec: AuditRecord, key: ChainKey | None = None) -> str:
    payload = {
        "seq": rec.seq,
        "at": rec.at.isoformat(),
        "user_id": str(rec.user_id) if rec.user_id else None,
        "username": rec.username,
        "action": rec.action,
        "entity": rec.entity,
        "entity_id": rec.entity_id,
        "before": rec.before,
        "after": rec.after,
        "prev_hash": rec.prev_hash,
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    if key is not None and rec.seq >= key.keyed_from:
        return hmac.new(key.secret, text, hashlib.sha256).hexdigest()
    return hashlib.sha256(text).hexdigest()


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    entity: str = "",
    entity_id: Any = "",
    before: Any = None,
    after: Any = None,
) -> AuditRecord:
    """Append one audit record in the caller's transaction (write transactions hold the DB lock)."""
    return record_many(session, actor, action, [(entity, entity_id, before, after)])[0]


def record_many(session: Session, actor: Actor | None, action: str,
                entries: list[tuple[str, Any, Any, Any]]) -> list[AuditRecord]:
    """Append ``(entity, entity_id, before, after)`` records in order, chained like :func:`record`
    (one look-up of the chain's head and one flush for all of them)."""
    session.flush()
    last = session.execute(
        select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    key = audit_key.key_for_bind(session.get_bind())
    out = []
    for entity, entity_id, before, after in entries:
        rec = AuditRecord(
            seq=seq,
            at=utcnow().replace(microsecond=(utcnow().microsecond // 1000) * 1000),
            user_id=actor.id if actor else None,
            username=actor.username if actor else "",
            action=action,
            entity=entity,
            entity_id=str(entity_id) if entity_id else "",
            before=mask_tree(jsonable(before)),  # no ID or phone number in the trail, ever
            after=mask_tree(jsonable(after)),
            prev_hash=prev,
        )
        rec.hash = _digest(rec, key)
        session.add(rec)
        out.append(rec)
        seq, prev = seq + 1, rec.hash
    session.flush()
    if key is not None and key.anchor is not None and out:  # (nothing to append: the head stays)
        session.info[audit_key.HEAD_INFO] = (key.anchor, out[-1].seq, out[-1].hash)
    return out


@dataclass
class ChainProblem:
    seq: int
    record_id: str
    problem: str  # Chinese description


def verify_chain(session: Session, *, key: ChainKey | None = None) -> list[ChainProblem]:
    """Check every record's hash and link; return the problems found (empty = chain intact).
    ``key``: the chain's key (default: the installation's key of the session's database)."""
    problems: list[ChainProblem] = []
    key = key or audit_key.key_for_bind(session.get_bind())
    prev_hash = GENESIS
    expected_seq = 1
    for rec in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
        if rec.seq != expected_seq:
            problems.append(
                ChainProblem(rec.seq, str(rec.id), f"序号不连续：应为 {expected_seq}，实为 {rec.seq}（有记录被删除）")
            )
        if rec.prev_hash != prev_hash:
            problems.append(ChainProblem(rec.seq, str(rec.id), "前一条记录的哈希不符（前一条被修改或删除）"))
        if _digest(rec, key) != rec.hash:
            problems.append(ChainProblem(rec.seq, str(rec.id), "本条记录内容与哈希不符（记录被修改，或在工作台之外重新计算）"))
        prev_hash = rec.hash
        expected_seq = rec.seq + 1
    return problems


def count(session: Session) -> int:
    """The number of audit records."""
    return session.scalar(select(func.count()).select_from(AuditRecord)) or 0


@event.listens_for(Session, "before_commit")
def _state_snapshot(session: Session) -> None:
    """Every desk transaction that changed a case, a user or a setting ends with a ``state.snapshot``
    record of their states (``state_hash``), so ``check`` names a row edited outside the desk."""
    states = state_hash.take_snapshot(session)
    if states:
        record(session, None, state_hash.ACTION, entity="state", after=states)
        session.info.pop(state_hash.PENDING, None)  # the record's own flush changed nothing tracked
