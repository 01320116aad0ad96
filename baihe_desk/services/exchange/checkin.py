"""导入 / 检入 — what a verified bundle would change (the preview), its conflicts, and the merge.

Records are matched by UUID. For each record of the bundle, three versions are compared: this desk's row
now, the bundle's row, and the *base* — the version this desk sent when it lent the case (its check-out
log). Changed only over there → taken; changed only here → kept; changed on both sides (or deleted on one,
changed on the other) → a **conflict** that a person decides (keep ours / take theirs); never an overwrite.
A bundle from the court's own desk (a check-out arriving at the laptop or station) is the court's data and
is taken as it is. A bundle from a laptop or the station is held to :mod:`rules` first: anything it may not
change offline refuses the whole bundle.

Everything is merged in the caller's one transaction, audited with the bundle id; then the court assigns
what the station could not: the 诉前调确 / 诉前调书 number of an agreement, and the filing (民初 number) of a
case whose mediation failed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User, utcnow
from baihe_desk.models.base import UTCDateTime
from baihe_desk.models.exchange import BundleLog, CaseCheckout, DeskKind
from baihe_desk.services.common import audit, state_hash
from baihe_desk.services.exchange import records
from baihe_desk.services.exchange.bundle_file import BundleRefused
from baihe_desk.services.exchange.export import case_label, open_marks, require_exchange
from baihe_desk.services.exchange.preview import (
    Change,
    Conflict,
    ConflictField,
    field_label,
    local_time,
    summary_text,
)
from baihe_desk.services.exchange.rules import Violation, rules_for
from baihe_desk.services.exchange.verify import NOTHING, Opened, open_bundle
from baihe_desk.storage.keystore import Keystore


@dataclass
class Plan:
    opened: Opened
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    references: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def text(self) -> str:
        return summary_text(self.changes, len(self.conflicts), len(self.references))


def _base(session: Session, opened: Opened) -> dict[str, str] | None:
    """The versions this desk lent the cases with; None for a check-out from the court (taken as is)."""
    if opened.purpose != "checkin":
        return None
    base: dict[str, str] = {}
    for raw in opened.manifest.get("base_bundle_ids", []):
        log = session.get(BundleLog, uuid.UUID(raw))
        if log is not None and log.direction == "out" and log.peer_desk_id == opened.sender.id:
            base.update(log.versions)
    return base


def _case_of(name: str, row: dict[str, Any], rows: records.Rows) -> str:
    """The case id a row belongs to (for grouping and labels)."""
    if name == "case":
        return str(row["id"])
    if row.get("case_id"):
        return str(row["case_id"])
    for c in records.table(name).columns:
        for fk in c.foreign_keys:
            parent = fk.column.table.name
            if parent != name and row.get(c.key) and parent in rows and row[c.key] in rows[parent]:
                return _case_of(parent, rows[parent][row[c.key]], rows)
    return ""


def _label(case_id: str, rows: records.Rows) -> str:
    row = rows.get("case", {}).get(case_id)
    return case_label(row) if row else "案件"


def _shown(session: Session, rows: records.Rows, name: str, key: str, value: Any) -> Any:
    """A value as a person reads it: a code as its label (已立案, not filed), a time in Beijing time, a
    person by name (not a UUID)."""
    t = records.table(name)
    if value is None or key not in t.c:
        return value
    col = t.c[key]
    enum_class = getattr(col.type, "enum_class", None)
    if enum_class is not None:
        try:
            return getattr(enum_class(value), "label", value)
        except ValueError:
            return value
    if isinstance(col.type, UTCDateTime):
        return local_time(value)
    if any(fk.column.table.name == "app_user" for fk in col.foreign_keys):
        user = rows.get("app_user", {}).get(value) or records.local_row(session, "app_user", value)
        return user["display_name"] if user else value
    return value


def _fields(session: Session, rows: records.Rows, name: str, theirs: dict[str, Any],
            ours: dict[str, Any]) -> list[ConflictField]:
    keys = [k for k in theirs if k not in records.UNVERSIONED and theirs.get(k) != ours.get(k)]
    return [ConflictField(k, field_label(k), _shown(session, rows, name, k, ours.get(k)),
                          _shown(session, rows, name, k, theirs.get(k))) for k in keys]


def make_plan(session: Session, opened: Opened) -> Plan:
    plan = Plan(opened)
    rows, base = opened.rows, _base(session, opened)
    me_kind = opened.me.desk.kind
    rules = rules_for(opened.sender.kind, me_kind) if me_kind is DeskKind.COURT else None
    for name in records.case_tables():
        for rid, theirs in rows.get(name, {}).items():
            key, v_in = f"{name}:{rid}", records.version(theirs)
            ours = records.local_row(session, name, rid)
            v_here = records.version(ours) if ours else None
            v_base = base.get(key) if base is not None else None
            cid = _case_of(name, theirs, rows)
            if v_here == v_in:
                continue
            if ours is None:
                if v_base is None:
                    plan.changes.append(Change(name, rid, "insert", cid))
                elif v_in != v_base:
                    plan.conflicts.append(Conflict(name, rid, cid, _label(cid, rows), "deleted_here"))
                continue
            if base is None or v_base == v_here:
                plan.changes.append(Change(name, rid, "update", cid))
            elif v_base == v_in:
                continue  # changed only here since the check-out: keep ours
            else:
                plan.conflicts.append(Conflict(name, rid, cid, _label(cid, rows), "both_changed",
                                               _fields(session, rows, name, theirs, ours)))
    if base is not None:  # records of the lent cases that the other desk deleted
        for key, v_base in base.items():
            name, rid = key.split(":", 1)
            if rid in rows.get(name, {}):
                continue
            ours = records.local_row(session, name, rid)
            if ours is None:
                continue
            cid = _case_of(name, ours, rows)
            if records.version(ours) == v_base:
                plan.changes.append(Change(name, rid, "delete", cid))
            else:
                plan.conflicts.append(Conflict(name, rid, cid, _label(cid, rows), "deleted_there"))
    for name in records.REFERENCE_TABLES:
        for rid, row in rows.get(name, {}).items():
            if records.local_row(session, name, rid) is None:
                plan.references.append((name, row))
    if rules is not None:
        lent = open_marks(session, [uuid.UUID(c) for c in opened.manifest.get("case_ids", [])], "out")
        for cid in opened.manifest.get("case_ids", []):
            mark = lent.get(uuid.UUID(cid))
            if opened.purpose != "checkin" or mark is None or mark.desk_id != opened.sender.id:
                plan.violations.append(Violation("case", cid, f"该案件并未借给“{opened.sender.name}”，不能由它交回"))
        for ch in plan.changes:
            v = rules.check(ch.table, ch.record_id, ch.action, rows.get(ch.table, {}).get(ch.record_id),
                            records.local_row(session, ch.table, ch.record_id))
            if v:
                plan.violations.append(v)
        for cf in plan.conflicts:  # a version the sending desk may not write cannot be taken, only ours kept
            action = "delete" if cf.kind == "deleted_there" else "insert" if cf.kind == "deleted_here" else "update"
            v = rules.check(cf.table, cf.record_id, action, rows.get(cf.table, {}).get(cf.record_id),
                            records.local_row(session, cf.table, cf.record_id))
            if v:
                cf.blocked = v.message
    return plan


def _unique_text(session: Session, name: str, column: str, value: str, suffix: str) -> str:
    t = records.table(name)
    candidate, n = value, 1
    while session.execute(select(t.c.id).where(t.c[column] == candidate)).first() is not None:
        n += 1
        candidate = f"{value}{suffix}{n if n > 2 else ''}"[: getattr(t.c[column].type, "length", None) or 50]
    return candidate


def _insert_reference(session: Session, name: str, row: dict[str, Any]) -> None:
    t = records.table(name)
    vals = records.values(t, row)
    if name == "court_profile":
        if session.execute(select(t.c.id).limit(1)).first() is not None:
            return  # this desk keeps its own court profile
    elif name == "department":
        court = session.execute(select(records.table("court_profile").c.id).limit(1)).scalar()
        if court is not None:
            vals["court_id"] = court
        vals["chief_id"] = vals["overseer_id"] = None  # people arrive after their department; not needed here
    elif name == "app_user":
        vals.update(password_hash="!imported-no-password", active=False, must_change_password=True,
                    failed_attempts=0, username=_unique_text(session, name, "username", vals["username"], "_"))
    elif name == "mediation_organisation":
        vals["name"] = _unique_text(session, name, "name", vals["name"], "·")
    session.execute(insert(t).values(**vals))
    if "id" in vals:
        state_hash.mark_row(session, name, vals["id"])  # core inserts: into the state snapshot (check)


def _apply_change(session: Session, name: str, rid: str, action: str, theirs: dict[str, Any] | None) -> None:
    t = records.table(name)
    if action == "delete":
        state_hash.mark_row(session, name, rid)  # before: a party's case is found through the row
        session.execute(delete(t).where(t.c.id == uuid.UUID(rid)))
        return
    assert theirs is not None
    vals = records.values(t, theirs)
    if action == "insert":
        session.execute(insert(t).values(**vals))
        state_hash.mark_row(session, name, rid)
        return
    vals.pop("id")
    vals.pop("created_at", None)
    if "row_version" in t.c:
        vals["row_version"] = (session.execute(select(t.c.row_version).where(t.c.id == uuid.UUID(rid))).scalar() or 0) + 1
    session.execute(update(t).where(t.c.id == uuid.UUID(rid)).values(**vals))
    state_hash.mark_row(session, name, rid)


def apply_plan(session: Session, actor: User, plan: Plan, decisions: dict[str, str], *,
               paths: Paths | None = None, today: date | None = None) -> list[str]:
    """Merge the plan (all conflicts decided: ``"table:id"`` → ``ours`` / ``theirs``); returns notes."""
    opened, rows = plan.opened, plan.opened.rows
    open_conflicts = [c for c in plan.conflicts if decisions.get(c.key) not in ("ours", "theirs")]
    if open_conflicts:
        raise KnownError(f"还有 {len(open_conflicts)} 处冲突没有决定（保留本机 / 采用对方），未导入。")
    blocked = [c for c in plan.conflicts if decisions[c.key] == "theirs" and c.blocked]
    if blocked:
        raise KnownError(f"不能采用对方的内容：{blocked[0].case_label} 的{blocked[0].what}——{blocked[0].blocked}。未导入。")
    todo = [(c.table, c.record_id, c.action) for c in plan.changes]
    for c in plan.conflicts:
        if decisions[c.key] == "theirs":
            todo.append((c.table, c.record_id, {"deleted_there": "delete", "deleted_here": "insert"}.get(c.kind, "update")))
    for name, row in plan.references:
        _insert_reference(session, name, row)
    order = records.case_tables()
    for name in order:
        mine = {rid: action for t, rid, action in todo if t == name and action != "delete"}
        inserts = {rid: rows[name][rid] for rid, a in mine.items() if a == "insert"}
        for row in records.self_ordered(name, inserts):
            _apply_change(session, name, row["id"], "insert", row)
        for rid, action in mine.items():
            if action == "update":
                _apply_change(session, name, rid, "update", rows[name][rid])
    for name in reversed(order):
        for t, rid, action in todo:
            if t == name and action == "delete":
                _apply_change(session, name, rid, "delete", None)
    session.flush()
    session.expire_all()
    notes = _write_files(session, opened, todo, paths)
    case_ids = [uuid.UUID(c) for c in opened.manifest.get("case_ids", [])]
    now = utcnow()
    if opened.purpose == "checkin":
        for m in open_marks(session, case_ids, "out").values():
            if m.desk_id == opened.sender.id:
                m.returned_at, m.returned_bundle_id = now, opened.bundle_id
    else:
        due = opened.manifest.get("due_on")
        for cid in case_ids:
            session.add(CaseCheckout(case_id=cid, desk_id=opened.sender.id, direction="in",
                                     bundle_id=opened.bundle_id, by_id=actor.id,
                                     due_on=date.fromisoformat(due) if due else None))
    if opened.me.desk.kind is DeskKind.COURT and opened.sender.kind is not DeskKind.COURT:
        from baihe_desk.services.exchange.court_steps import assign_court_numbers

        notes += assign_court_numbers(session, actor, {rid for t, rid, _a in todo if t == "mediation_case"},
                                      today=today)
    sender = opened.sender
    sender.last_received_seq = int(opened.manifest["sequence"])
    session.add(BundleLog(id=opened.bundle_id, direction="in", purpose=opened.purpose, peer_desk_id=sender.id,
                          sequence=sender.last_received_seq, created_at=_manifest_time(opened), user_id=actor.id,
                          case_ids=opened.manifest.get("case_ids", []), versions=opened.versions,
                          summary={"text": plan.text, "decisions": decisions, "notes": notes}))
    session.flush()
    bid = str(opened.bundle_id)
    audit.record_many(session, actor, "bundle.merge", [
        (t, rid, None, {"bundle_id": bid, "action": action}) for t, rid, action in todo])
    audit.record_many(session, actor, "bundle.conflict_decided", [
        (c.table, c.record_id, None, {"bundle_id": bid, "decision": decisions[c.key], "kind": c.kind})
        for c in plan.conflicts])
    audit.record(session, actor, f"bundle.import.{opened.purpose}", entity="bundle", entity_id=bid,
                 after={"from_desk": sender.name, "from_fingerprint": sender.fingerprint,
                        "sequence": sender.last_received_seq, "summary": plan.text, "notes": notes})
    return notes


def _manifest_time(opened: Opened):  # type: ignore[no-untyped-def]
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(opened.manifest.get("created_at")))
    except ValueError:
        return utcnow()


def _write_files(session: Session, opened: Opened, todo: list[tuple[str, str, str]], paths: Paths | None) -> list[str]:
    from baihe_desk.services.exchange.court_steps import write_document_file

    notes = []
    for t, rid, action in todo:
        if t == "generated_document" and action == "insert" and rid in opened.files and paths is not None:
            note = write_document_file(paths, opened.rows[t][rid], opened.files[rid])
            if note:
                notes.append(note)
    return notes


@dataclass
class ImportResult:
    plan: Plan
    applied: bool
    notes: list[str] = field(default_factory=list)


def refuse(session: Session, actor: User | None, exc: BundleRefused, data: bytes) -> None:
    """Audit a refusal in a transaction of its own (after the caller's work was rolled back)."""
    from baihe_desk.services.exchange.bundle_file import sha256

    session.rollback()
    audit.record(session, actor, "bundle.refused", entity="bundle", entity_id="",
                 after={"reason": exc.message, "file_sha256": sha256(data)})
    session.commit()


def import_bundle(session: Session, actor: User, keystore: Keystore, data: bytes, *, dry_run: bool = False,
                  decisions: dict[str, str] | None = None, paths: Paths | None = None,
                  today: date | None = None) -> ImportResult:
    """Verify, plan and (unless ``dry_run``) merge ``data`` in the caller's transaction."""
    actor = require_exchange(session, actor, "导入案件包")
    try:
        opened = open_bundle(session, keystore, data)
        plan = make_plan(session, opened)
        if plan.violations:
            listed = "；".join(f"{_label(_case_of(v.table, opened.rows.get(v.table, {}).get(v.record_id) or {}, opened.rows), opened.rows)}：{v.message}"
                              for v in plan.violations[:5])
            more = f"等 {len(plan.violations)} 处" if len(plan.violations) > 5 else ""
            raise BundleRefused(f"案件包含有“{opened.sender.name}”无权离线修改的内容{more}：{listed}。{NOTHING}")
    except BundleRefused as exc:
        refuse(session, actor, exc, data)
        raise
    if dry_run:
        return ImportResult(plan, False)
    notes = apply_plan(session, actor, plan, decisions or {}, paths=paths, today=today)
    return ImportResult(plan, True, notes)
