"""Issue 17, the command line: every attack of the issue, run as a workstation account would, now
fails safely — no login, wrong password, wrong role or wrong case: exit code 1, a calm message, no
personal data printed, the refusal audited; a done command is audited with who, what, which cases
and where the output went."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from baihe_desk.cli import main
from baihe_desk.cli_door import LoginRequired, read_password
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import AuditRecord, Case, Role, Stage
from baihe_desk.services.common import auth
from baihe_desk.storage.startup import open_database
from tests.fake_today import child_env

PW = "Baihe7-{}"  # the demo's printed passwords (seed 7)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("door") / "d"
    assert main(["--data-dir", str(data), "demo", "--cases", "40", "--seed", "7"]) == 0
    return data


def _audit(data: Path, action: str) -> list[AuditRecord]:
    db = open_database(Paths(data), LocalSettings(), backup=False)
    try:
        with db.session() as s:
            return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))
    finally:
        db.dispose()


def _as(monkeypatch, user: str) -> None:
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", PW.format(user))


def test_cases_needs_a_login_and_prints_nothing_without_one(demo_dir, capsys, monkeypatch):
    monkeypatch.delenv("BAIHE_DESK_PASSWORD", raising=False)
    assert main(["--data-dir", str(demo_dir), "cases", "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "--user" in err and "BAIHE_DESK_PASSWORD" in err
    # a name but no terminal and no environment variable: refused, never read from the arguments
    assert main(["--data-dir", str(demo_dir), "cases", "--user", "lian"]) == 1
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):  # there is no --password option at all
        main(["--data-dir", str(demo_dir), "cases", "--user", "lian", "--password", PW.format("lian")])


def test_wrong_password_and_unknown_name_get_the_same_answer(demo_dir, capsys, monkeypatch):
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe7-wrong")
    assert main(["--data-dir", str(demo_dir), "cases", "--user", "lian"]) == 1
    wrong = capsys.readouterr()
    assert main(["--data-dir", str(demo_dir), "cases", "--user", "nobody-here"]) == 1
    unknown = capsys.readouterr()
    assert wrong.out == unknown.out == "" and wrong.err == unknown.err
    fails = _audit(demo_dir, "auth.login_failed")
    assert fails[-1].after == {"known_user": False, "channel": "命令行"}  # no typed text kept
    assert "nobody" not in json.dumps([f.after for f in fails], ensure_ascii=False)


def test_cases_with_a_login_is_audited_with_the_cases_shown(demo_dir, capsys, monkeypatch):
    _as(monkeypatch, "lian")
    assert main(["--data-dir", str(demo_dir), "--user", "lian", "cases", "--json", "--limit", "7"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["cases"]) == 7
    rec = _audit(demo_dir, "cli.cases")[-1]
    assert rec.username == "lian" and rec.after["cases"] == [c["id"] for c in listed["cases"]]
    # an ID number typed as the search is not kept in the audit trail
    assert main(["--data-dir", str(demo_dir), "cases", "--user", "lian", "--search", "220102199001011234"]) == 0
    capsys.readouterr()
    assert _audit(demo_dir, "cli.cases")[-1].after["search"] == "2201**********1234"


def test_a_mediator_gets_no_case_list_and_no_other_case_document(demo_dir, tmp_path, capsys, monkeypatch):
    _as(monkeypatch, "tiaojie")
    assert main(["--data-dir", str(demo_dir), "cases", "--user", "tiaojie", "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "调解员" in err
    db = open_database(Paths(demo_dir), LocalSettings(), backup=False)
    with db.session() as s:
        number = s.scalars(select(Case.receipt_number).order_by(Case.receipt_number)).first()
    db.dispose()
    out_dir = tmp_path / "stick"
    rc = main(["--data-dir", str(demo_dir), "render", "address-confirmation", "--user", "tiaojie", "--case", number,
               "--format", "pdf", "--out", str(out_dir)])
    assert rc == 1 and not (out_dir.exists() and list(out_dir.iterdir()))
    assert "不在本人负责的范围" in capsys.readouterr().err
    denied = _audit(demo_dir, "permission.denied")[-1]
    assert denied.username == "tiaojie" and denied.entity == "case"


def test_render_is_audited_with_the_case_and_the_output_path(demo_dir, tmp_path, capsys, monkeypatch):
    _as(monkeypatch, "lian")
    db = open_database(Paths(demo_dir), LocalSettings(), backup=False)
    with db.session() as s:
        case = s.scalars(select(Case).where(Case.stage.in_([Stage.RECEIVED, Stage.CORRECTION]), Case.case_number.is_(None)).order_by(Case.receipt_number)).first()
        number, case_id = case.receipt_number, str(case.id)
    db.dispose()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert main(["--data-dir", str(demo_dir), "render", "mediation-notice", "--user", "lian", "--case", number,
                 "--format", "pdf", "--out", str(out_dir)]) == 0
    written = [Path(p) for p in capsys.readouterr().out.split()]
    assert len(written) == 1 and written[0].exists()
    rec = _audit(demo_dir, "cli.render")[-1]
    assert rec.after["cases"] == [case_id] and rec.after["output"] == [str(written[0].resolve())]


def test_the_period_reports_are_refused_to_who_may_not_issue_them(demo_dir, tmp_path, capsys, monkeypatch):
    """执行局 may render a case's documents but does not issue the court's 周通报: refused, audited, no file."""
    _as(monkeypatch, "zhixing")
    out_dir = tmp_path / "report"
    assert main(["--data-dir", str(demo_dir), "render", "weekly-bulletin", "--user", "zhixing", "--week", "2026-W10",
                 "--format", "pdf", "--out", str(out_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "郑刚（执行局）无权导出统计报告" in err
    assert not out_dir.exists()
    denied = _audit(demo_dir, "permission.denied")[-1]
    assert (denied.username, denied.entity_id) == ("zhixing", "statistics.export")
    _as(monkeypatch, "lian")  # the window's clerk compiles them: written and audited with the file's hash
    assert main(["--data-dir", str(demo_dir), "render", "weekly-bulletin", "--user", "lian", "--week", "2026-W10",
                 "--format", "pdf", "--out", str(out_dir)]) == 0
    [written] = [Path(p) for p in capsys.readouterr().out.split()]
    rec = _audit(demo_dir, "document.render")[-1]
    assert (rec.username, rec.entity, rec.entity_id) == ("lian", "report", "2026-W10")
    assert [f["path"] for f in rec.after["files"]] == [str(written.resolve())]


def test_backup_to_a_stick_is_admin_only_and_audited(demo_dir, tmp_path, capsys, monkeypatch):
    stick = tmp_path / "usb.sqlite3"
    _as(monkeypatch, "lian")
    assert main(["--data-dir", str(demo_dir), "backup", "--user", "lian", "--out", str(stick)]) == 1
    assert not stick.exists() and "无权备份与恢复" in capsys.readouterr().err
    _as(monkeypatch, "admin")
    assert main(["--data-dir", str(demo_dir), "backup", "--user", "admin", "--out", str(stick)]) == 0
    assert stick.exists()
    rec = _audit(demo_dir, "database.backup")[-1]
    assert rec.username == "admin" and rec.after["path"] == str(stick.resolve())


def test_restore_is_admin_only(demo_dir, tmp_path, capsys, monkeypatch):
    copy = tmp_path / "copy.sqlite3"
    _as(monkeypatch, "admin")
    assert main(["--data-dir", str(demo_dir), "backup", "--user", "admin", "--out", str(copy)]) == 0
    for user in ("faguan", "lian"):
        _as(monkeypatch, user)
        assert main(["--data-dir", str(demo_dir), "restore", "--user", user, str(copy)]) == 1
        assert "无权备份与恢复" in capsys.readouterr().err
    assert not [p for p in (demo_dir / "backups").glob("*before-restore*")]  # nothing was replaced
    _as(monkeypatch, "admin")
    assert main(["--data-dir", str(demo_dir), "restore", "--user", "admin", str(copy)]) == 0
    assert [a.username for a in _audit(demo_dir, "database.restore")][-1] == "admin"


def test_demo_refuses_a_real_database(tmp_path, capsys):
    paths = Paths(tmp_path / "court").ensure()
    db = open_database(paths, LocalSettings())
    with db.transaction() as s:
        auth.create_first_admin(s, "root", "管理员", "Real-court-2026!")
    db.dispose()
    before = sqlite3.connect(paths.database).execute("SELECT count(*) FROM app_user").fetchone()[0]
    assert main(["--data-dir", str(paths.root), "demo", "--cases", "5"]) == 1
    out, err = capsys.readouterr()
    assert "不是演示数据库" in err and "Baihe" not in out
    con = sqlite3.connect(paths.database)
    assert con.execute("SELECT count(*) FROM app_user").fetchone()[0] == before == 1
    assert con.execute('SELECT count(*) FROM "case"').fetchone()[0] == 0
    con.close()


def test_a_demo_database_is_marked_in_title_and_documents(demo_dir):
    from baihe_desk.documents.render import build_document
    from baihe_desk.services.common.demo_mark import is_demo_database
    from baihe_desk.services.common.document_kinds import get_kind

    db = open_database(Paths(demo_dir), LocalSettings(), backup=False)
    try:
        with db.session() as s:
            assert is_demo_database(s)
            case = s.scalars(select(Case).where(Case.stage.in_([Stage.RECEIVED, Stage.CORRECTION]), Case.case_number.is_(None)).order_by(Case.receipt_number)).first()
            doc = build_document(s, get_kind("mediation-notice"), case)  # (a notice only before filing)
            assert "演示数据" in doc.blocks[0].spans[0].text
        pytest.importorskip("PySide6")
        from baihe_desk.ui.common.session_guard import window_title

        assert "演示数据" in window_title(db, "白河")
    finally:
        db.dispose()


def test_must_change_password_blocks_the_command_line_on_a_real_database(tmp_path, capsys, monkeypatch):
    paths = Paths(tmp_path / "court").ensure()
    db = open_database(paths, LocalSettings())
    with db.transaction() as s:
        admin = auth.create_first_admin(s, "root", "管理员", "Real-court-2026!")
        auth.create_user(s, admin, username="clerk1", display_name="立案 甲", role=Role.FILING_CLERK,
                         password="Temp-start-2026")
    db.dispose()
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Temp-start-2026")
    assert main(["--data-dir", str(paths.root), "cases", "--user", "clerk1"]) == 1
    assert "修改初始密码" in capsys.readouterr().err


def test_password_prompt_on_a_terminal():
    asked = []
    got = read_password("lian", env={}, prompt=lambda text: asked.append(text) or "typed", interactive=True)
    assert got == "typed" and asked == ["用户 lian 的密码："]
    with pytest.raises(LoginRequired):
        read_password("lian", env={}, interactive=False)
    assert read_password("lian", env={"BAIHE_DESK_PASSWORD": "from-env"}, interactive=True) == "from-env"


def test_check_is_open_and_prints_no_personal_data(demo_dir, capsys):
    con = sqlite3.connect(demo_dir / "baihe-desk.sqlite3")
    names = [r[0] for r in con.execute("SELECT name FROM party LIMIT 20")]
    con.close()
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and not any(n in out for n in names)


@pytest.mark.parametrize("argv", [["fee", "--kind", "property", "--amount", "150000"],
                                  ["deadline", "--from", "2026-09-21", "--days", "10"]])
def test_calculators_never_open_the_database(tmp_path, argv):
    data = tmp_path / "d"
    data.mkdir()
    db_file = data / "baihe-desk.sqlite3"
    db_file.write_bytes(b"not a database at all")  # opening it would fail
    code = textwrap.dedent(f"""
        import sys
        from baihe_desk.cli import main
        rc = main({["--data-dir", str(data), *argv]!r})
        loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))
        print('RC', rc, 'LOADED', loaded)
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=child_env())
    assert run.returncode == 0, run.stderr
    assert "RC 0 LOADED []" in run.stdout
    assert db_file.read_bytes() == b"not a database at all"
