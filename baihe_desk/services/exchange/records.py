"""What a bundle carries of a case, as plain JSON rows, and each row's version (hash of its content).

*Case tables* are every table that hangs off ``case`` by its foreign keys (parties, addresses, reviews,
service, mediation, consultation, explanation, trial limits, generated documents …), found from the
models' metadata so a new workflow table travels without a change here. *Reference tables* (people,
departments, the court profile, the mediation roster) travel along when a case row points at them; they are
added on the other desk when missing and never overwritten there (people arrive inactive, with no password:
the station's administrator activates the mediator's account).

A row's **version** is the SHA-256 of its canonical JSON without ``created_at``, ``updated_at`` and
``row_version`` (which each desk keeps for itself): equal versions mean equal content.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Table, Uuid, select
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Session

from baihe_desk.models import Base
from baihe_desk.models.base import Money, UTCDateTime

REFERENCE_TABLES = ("court_profile", "department", "app_user", "mediation_organisation", "mediator")
NOT_CARRIED = frozenset({"audit_record", "case_number_counter", "setting", "wording_template",
                         "exchange_desk", "exchange_bundle", "exchange_checkout"})
UNVERSIONED = frozenset({"created_at", "updated_at", "row_version"})
USER_SECRETS = ("password_hash", "failed_attempts", "locked_until", "last_login_at")

Rows = dict[str, dict[str, dict[str, Any]]]  # table → id → row (JSON values)


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def case_tables() -> list[str]:
    """Tables owned by a case, parents before children (the order to insert in)."""
    owned = ["case"]
    for t in Base.metadata.sorted_tables:
        if t.name in owned or t.name in NOT_CARRIED or t.name in REFERENCE_TABLES:
            continue
        if any(fk.column.table.name in owned for c in t.columns for fk in c.foreign_keys):
            owned.append(t.name)
    return owned


def _owning_columns(t: Table, owned: set[str]) -> list[tuple[Any, str]]:
    return [(c, fk.column.table.name) for c in t.columns for fk in c.foreign_keys
            if fk.column.table.name in owned and fk.column.table.name != t.name]


def encode(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: a LabelledEnum is a str too
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return str(value)


def decode(col: Any, value: Any) -> Any:
    """A JSON value back into what the column's type takes."""
    if value is None:
        return None
    t = col.type
    if isinstance(t, Uuid):
        return uuid.UUID(value)
    if isinstance(t, UTCDateTime) or isinstance(t, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(t, Date):
        return date.fromisoformat(value)
    if isinstance(t, Money):
        return Decimal(value)
    if isinstance(t, SAEnum) and t.enum_class is not None:
        return t.enum_class(value)
    if isinstance(t, JSON):
        return value
    return value


def row_json(t: Table, row: Any) -> dict[str, Any]:
    m = row._mapping
    return {c.key: encode(m[c]) for c in t.columns}


def version(row: dict[str, Any]) -> str:
    content = {k: v for k, v in row.items() if k not in UNVERSIONED}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def values(t: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.key: decode(c, row[c.key]) for c in t.columns if c.key in row}


def _select_in(session: Session, t: Table, col: Any, ids: Iterable[Any]) -> list[Any]:
    ids = list(ids)
    out: list[Any] = []
    for i in range(0, len(ids), 500):
        out.extend(session.execute(select(t).where(col.in_(ids[i:i + 500]))).all())
    return out


def collect(session: Session, case_ids: list[uuid.UUID]) -> Rows:
    """Every row of the cases ``case_ids`` (case tables) and the reference rows they point at."""
    rows: Rows = {}
    ids: dict[str, set[uuid.UUID]] = {}
    order = case_tables()
    for name in order:
        t = table(name)
        found: dict[str, dict[str, Any]] = {}
        if name == "case":
            hits = _select_in(session, t, t.c.id, case_ids)
        else:
            hits = []
            for col, target in _owning_columns(t, set(order[:order.index(name)])):
                if ids.get(target):
                    hits.extend(_select_in(session, t, col, ids[target]))
        for row in hits:
            data = row_json(t, row)
            found[data["id"]] = data
        rows[name] = found
        ids[name] = {uuid.UUID(k) for k in found}
    _add_references(session, rows)
    return rows


def _add_references(session: Session, rows: Rows) -> None:
    wanted: dict[str, set[str]] = {name: set() for name in REFERENCE_TABLES}
    pending = [(name, r) for name, by_id in rows.items() for r in by_id.values()]
    for name in REFERENCE_TABLES:
        rows.setdefault(name, {})
    while pending:
        name, row = pending.pop()
        for c in table(name).columns:
            for fk in c.foreign_keys:
                target = fk.column.table.name
                ref = row.get(c.key)
                if target in wanted and ref and ref not in wanted[target] and ref not in rows[target]:
                    wanted[target].add(ref)
                    got = session.execute(select(table(target)).where(table(target).c.id == uuid.UUID(ref))).first()
                    if got is not None:
                        data = row_json(table(target), got)
                        if target == "app_user":
                            for secret in USER_SECRETS:
                                data.pop(secret, None)
                        rows[target][ref] = data
                        pending.append((target, data))


def versions(rows: Rows) -> dict[str, str]:
    """``"table:id"`` → version, for the case tables (reference rows are never compared)."""
    return {f"{name}:{rid}": version(row) for name, by_id in rows.items() if name not in REFERENCE_TABLES
            for rid, row in by_id.items()}


def local_row(session: Session, name: str, rid: str) -> dict[str, Any] | None:
    t = table(name)
    got = session.execute(select(t).where(t.c.id == uuid.UUID(rid))).first()
    return row_json(t, got) if got is not None else None


def self_ordered(name: str, by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one table with a row another row of it points at (superseded_by, previous_review) first."""
    t = table(name)
    self_cols = [c.key for c in t.columns for fk in c.foreign_keys if fk.column.table.name == name]
    if not self_cols:
        return list(by_id.values())
    done: list[dict[str, Any]] = []
    placed: set[str] = set()
    left = dict(by_id)
    while left:
        ready = [r for r in left.values() if all(not r.get(c) or r[c] in placed or r[c] not in by_id
                                                  for c in self_cols)]
        if not ready:  # a circle cannot be stored either; keep the given order
            ready = list(left.values())
        for r in ready:
            done.append(r)
            placed.add(r["id"])
            left.pop(r["id"])
    return done
