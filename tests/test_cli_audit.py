"""``baihe-desk audit`` through ``cli.main`` on the SQLite file and on PostgreSQL: only a user with the audit
permission gets in (a refusal is audited, prints nothing and writes no file); verify finds a record edited
outside the desk; list and export filter like the viewer; every use is audited itself."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from baihe_desk.cli import main
from baihe_desk.models import AuditRecord, Role
from baihe_desk.services.common import audit
from tests.db_fixtures import PASSWORD
from tests.fake_today import travel_to

MARCH_2 = date(2026, 3, 2)
MARCH_9 = date(2026, 3, 9)


@pytest.fixture
def desk(udb, udata, uusers, monkeypatch):
    """(argv before the command, db, users): the data folder, and for PostgreSQL the server's URL."""
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", PASSWORD)
    argv = ["--data-dir", str(udata.root)]
    if udb.engine.dialect.name == "postgresql":
        argv += ["--db", udb.engine.url.render_as_string(hide_password=False)]
    return argv, udb, uusers


def _trail(db, action: str) -> list[AuditRecord]:
    with db.session() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def _write_history(db, users) -> dict[str, list[int]]:
    """Records on two known days by two users (the clock moved there), returned as action → seqs."""
    done: dict[str, list[int]] = {"case.create": [], "service.record": []}
    for day, who, action in ((MARCH_2, Role.FILING_CLERK, "case.create"), (MARCH_2, Role.CLERK, "service.record"),
                             (MARCH_9, Role.FILING_CLERK, "case.create"), (MARCH_9, Role.FILING_CLERK, "case.create")):
        with travel_to(day), db.transaction() as s:
            rec = audit.record(s, users[who], action, entity="case", entity_id=f"{action}-{day}",
                               after={"note": f"{day}"})
            done[action].append(rec.seq)
    return done


def test_verify_says_the_chain_is_intact_and_is_audited(desk, capsys):
    argv, db, users = desk
    _write_history(db, users)
    assert main([*argv, "audit", "verify", "--user", "u_admin"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("审计链完整")
    [rec] = _trail(db, "audit.verify")
    assert rec.username == "u_admin" and rec.after["problems"] == 0 and rec.after["records"] >= 4


def test_verify_names_a_record_edited_outside_the_desk(desk, capsys):
    argv, db, users = desk
    seqs = _write_history(db, users)
    edited = seqs["service.record"][0]
    if db.engine.dialect.name == "sqlite":
        con = sqlite3.connect(db.sqlite_path)
        con.executescript("DROP TRIGGER audit_record_no_update; DROP TRIGGER audit_record_no_delete;")
        con.execute("UPDATE audit_record SET username='mallory' WHERE seq=?", (edited,))
        con.commit()
        con.close()
    else:  # the server's owner can switch the guard off: the chain still tells
        with db.engine.begin() as con:
            con.execute(text("ALTER TABLE audit_record DISABLE TRIGGER audit_record_no_update"))
            con.execute(text("UPDATE audit_record SET username='mallory' WHERE seq=:seq"), {"seq": edited})
            con.execute(text("ALTER TABLE audit_record ENABLE TRIGGER audit_record_no_update"))
    assert main([*argv, "audit", "verify", "--user", "u_admin"]) == 1
    out = capsys.readouterr().out
    assert "审计链完整" not in out
    problems = [line for line in out.splitlines() if line.strip().startswith("✗")]
    assert len(problems) == 1 and f"审计记录 #{edited}（" in problems[0] and "记录被修改" in problems[0]
    assert _trail(db, "audit.verify")[-1].after["problem_seqs"] == [edited]


def test_list_filters_by_day_user_and_action_like_the_viewer(desk, capsys):
    argv, db, users = desk
    seqs = _write_history(db, users)
    clerk = users[Role.FILING_CLERK].username
    assert main([*argv, "audit", "list", "--user", "u_admin", "--from", "2026-03-02", "--to", "2026-03-02",
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [r["seq"] for r in got["records"]] == sorted(seqs["case.create"][:1] + seqs["service.record"], reverse=True)
    assert all(r["at"].startswith("2026-03-02T10:00") and r["at"].endswith("+08:00") for r in got["records"])
    assert main([*argv, "audit", "list", "--user", "u_admin", "--user-name", clerk, "--action", "case.",
                 "--limit", "2", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["total"] == 3 and [r["seq"] for r in got["records"]] == sorted(seqs["case.create"], reverse=True)[:2]
    assert main([*argv, "audit", "list", "--user", "u_admin", "--action", "service.record"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"#{seqs['service.record'][0]}\t2026-03-02 10:00") and "共 1 条" in lines[-1]
    views = _trail(db, "audit.view")
    assert [v.username for v in views] == ["u_admin"] * 3
    assert views[1].after["filter"]["username"] == clerk and views[1].after["matched"] == 3


def test_export_to_csv_and_xlsx_writes_the_filtered_records_and_audits_the_file(desk, udata, tmp_path, capsys):
    argv, db, users = desk
    seqs = _write_history(db, users)
    out_csv, out_xlsx = tmp_path / "导出" / "审计.csv", tmp_path / "导出" / "审计.xlsx"
    assert main([*argv, "audit", "export", "--user", "u_admin", "--action", "case.create",
                 "--out", str(out_csv)]) == 0
    assert capsys.readouterr().out.strip() == str(out_csv)
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads the Chinese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间", "用户"]
    assert [int(r[0]) for r in rows[1:]] == sorted(seqs["case.create"], reverse=True)
    assert {r[2] for r in rows[1:]} == {users[Role.FILING_CLERK].username}
    assert main([*argv, "audit", "export", "--user", "u_admin", "--from", "2026-03-09", "--to", "2026-03-09",
                 "--out", str(out_xlsx)]) == 0
    capsys.readouterr()
    sheet = load_workbook(out_xlsx)["审计记录"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == sorted(seqs["case.create"][1:],
                                                                                       reverse=True)
    exports = _trail(db, "audit.export")
    assert [(e.username, e.after["format"]) for e in exports] == [("u_admin", "csv"), ("u_admin", "xlsx")]
    for e, path in zip(exports, (out_csv, out_xlsx), strict=True):
        assert e.after["path"] == str(path.resolve())
        assert e.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_user_without_the_audit_permission_is_refused_and_audited(desk, tmp_path, capsys):
    argv, db, users = desk
    _write_history(db, users)
    out = tmp_path / "审计.csv"
    for role in (Role.FILING_CLERK, Role.VICE_PRESIDENT):
        name = users[role].username
        for command in (["verify"], ["list", "--json"], ["export", "--out", str(out)]):
            assert main([*argv, "audit", *command, "--user", name]) == 1
            got = capsys.readouterr()
            assert got.out == "" and f"{users[role].display_name}（{role.label}）无权查阅审计记录" in got.err
    assert not out.exists()
    denied = _trail(db, "permission.denied")
    assert [(d.username, d.entity_id) for d in denied] == [(users[Role.FILING_CLERK].username, "audit.view")] * 3 + [
        (users[Role.VICE_PRESIDENT].username, "audit.view")] * 3
    assert _trail(db, "audit.view") == [] and _trail(db, "audit.export") == [] and _trail(db, "audit.verify") == []


def test_typing_mistakes_get_a_calm_answer_before_the_password(desk, tmp_path, capsys, monkeypatch):
    argv, _db, _users = desk
    monkeypatch.delenv("BAIHE_DESK_PASSWORD")  # not even asked for: the command line is wrong
    assert main([*argv, "audit", "list", "--user", "u_admin", "--from", "2026/03/02"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main([*argv, "audit", "list", "--user", "u_admin", "--limit", "0"]) == 1
    assert "audit export" in capsys.readouterr().err
    assert main([*argv, "audit", "export", "--user", "u_admin", "--out", str(tmp_path / "审计.txt")]) == 1
    assert ".xlsx" in capsys.readouterr().err and not (tmp_path / "审计.txt").exists()
