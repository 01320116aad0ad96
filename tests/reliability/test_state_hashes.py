"""Issue 17: every audited business record — case, party, address, review, 送达, mediation, consultation,
advice, judgment, explanation, document record, user, setting, court, department — has the hash of its
state in its latest audit record, so ``check`` names any such row edited outside the desk.

One demo database (its workflows run through the services) is copied per case; one row of the kind is
edited with raw SQL, as someone with the file and a SQLite shell would; ``check`` must fail naming it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from baihe_desk import cli
from baihe_desk.services.common.state_hash import KIND_LABELS

# (snapshot kind, table edited, how the row is found from the snapshot key, SET clause)
EDITS = [
    ("case", '"case"', "id", "claim_amount = '1.00'"),
    ("case", "party", "case_id", "phone = '13800000000'"),
    ("case", "address", "party_id IN (SELECT id FROM party WHERE case_id = :key)", "text = text || '号'"),
    ("app_user", "app_user", "id", "role = CASE role WHEN 'ADMIN' THEN 'JUDGE' ELSE 'ADMIN' END"),
    ("setting", "setting", "key", "value = '\"99\"'"),
    ("complaint_review", "complaint_review", "id", "row_version = row_version + 7"),
    ("review_answer", "review_answer", "id", "note = 'x'"),
    ("service_address", "service_address", "id", "text = text || '附1号'"),
    ("service_attempt", "service_attempt", "id", "signer = '张三'"),
    ("mediation_case", "mediation_case", "id", "row_version = row_version + 7"),
    ("mediation_session", "mediation_session", "id", "row_version = row_version + 7"),
    ("enforcement_consultation", "enforcement_consultation", "id", "row_version = row_version + 7"),
    ("enforcement_advice", "enforcement_advice", "id", "row_version = row_version + 7"),
    ("judgment_record", "judgment_record", "id", "document_number = '（2025）吉7502民初1号'"),
    ("explanation_request", "explanation_request", "id", "row_version = row_version + 7"),
    ("explanation_tier", "explanation_tier", "id", "row_version = row_version + 7"),
    ("generated_document", "generated_document", "id", "sha256 = '0000'"),
    ("department", "department", "id", "name = name || '（改）'"),
    ("court_profile", "court_profile", "id", "code = '吉0000'"),
]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("state-hashes") / "data"
    assert cli.main(["--data-dir", str(root), "demo", "--cases", "30", "--seed", "7"]) == 0
    return root


def _snapshot_keys(database: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(database)
    try:
        out: dict[str, list[str]] = {}
        for (after,) in con.execute("SELECT after FROM audit_record WHERE action = 'state.snapshot' ORDER BY seq"):
            for name, digest in json.loads(after).items():
                kind, key = name.split(":", 1)
                if digest is not None and key not in out.setdefault(kind, []):
                    out[kind].append(key)
        return out
    finally:
        con.close()


def _check(root: Path, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    rc = cli.main(["--data-dir", str(root), "check"])
    out, err = capsys.readouterr()
    return rc, out + err


def _db_key(table: str, key: str) -> str:
    """The snapshot names a row by its UUID text; SQLite stores SQLAlchemy's Uuid as 32 hex digits."""
    return key if table == "setting" else key.replace("-", "")


def test_the_untouched_demo_database_passes(demo_dir, capsys):
    rc, out = _check(demo_dir, capsys)
    assert rc == 0 and "业务记录与审计快照核对：一致" in out, out


@pytest.mark.parametrize("kind, table, where, change", EDITS, ids=[f"{e[0]}-{e[1]}" for e in EDITS])
def test_a_row_edited_outside_the_desk_is_named(demo_dir, tmp_path, capsys, kind, table, where, change):
    root = tmp_path / "copy"
    shutil.copytree(demo_dir, root)
    database = root / "baihe-desk.sqlite3"
    snapshot_kind = {"app_user": "user"}.get(kind, kind)
    keys = _snapshot_keys(database).get(snapshot_kind)
    assert keys, f"the demo leaves no state snapshot of {snapshot_kind}"
    con = sqlite3.connect(database)
    changed, named = 0, ""
    for key in keys:  # the first snapshotted record that has a row of ``table`` to edit
        clause = where.replace(":key", "?") if ":key" in where else f"{where} = ?"
        changed = con.execute(f"UPDATE {table} SET {change} WHERE {clause}", (_db_key(table, key),)).rowcount
        if changed:
            named = key
            break
    con.commit()
    con.close()
    assert changed, f"no row of {table} to edit"
    rc, out = _check(root, capsys)
    label = KIND_LABELS[snapshot_kind]
    assert rc == 2, out
    assert any(f"{label} {named}" in line and "在工作台之外" in line for line in out.splitlines()), out
