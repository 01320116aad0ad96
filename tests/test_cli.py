"""Headless commands, run in-process as a clerk or an administrator would from a terminal."""

from __future__ import annotations

import json
import sqlite3

from baihe_desk.cli import main

DROP_AUDIT_TRIGGERS = "DROP TRIGGER audit_record_no_update; DROP TRIGGER audit_record_no_delete;"


def test_demo_cases_check_backup_restore(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), "demo", "--cases", "150", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "已载入演示案件 150 件" in out
    assert "lian" in out and "立案窗口书记员" in out and "管理员" in out

    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe5-admin")  # the demo's printed password (seed 5)
    assert main(["--data-dir", str(data), "--user", "admin", "cases", "--json", "--limit", "500"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 150 and len(listed["cases"]) == 150
    stages = {c["stage"] for c in listed["cases"]}
    assert {"received", "pre_mediation", "filed", "closed"} <= stages
    names = "".join(c["plaintiffs"] + c["defendants"] for c in listed["cases"])
    assert any(ch in names for ch in "堃喆玥䶮")
    numbers = [c["number"] for c in listed["cases"] if c["has_case_number"]]
    assert numbers and all(n.startswith("（") and "吉7502" in n and n.endswith("号") for n in numbers)

    two = listed["cases"][0]["plaintiffs"][:2]
    monkeypatch.setenv("BAIHE_DESK_DATA", str(data))  # the environment variable works like --data-dir
    assert main(["cases", "--user", "admin", "--search", two, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert listed["cases"][0]["id"] in {c["id"] for c in found["cases"]}
    assert found["total"] < listed["total"]

    assert main(["--data-dir", str(data), "check"]) == 0
    out = capsys.readouterr().out
    assert "完整性检查：ok" in out and "案件：150" in out and "审计链：完整" in out

    backup = tmp_path / "b.sqlite3"
    assert main(["--data-dir", str(data), "backup", "--user", "admin", "--out", str(backup)]) == 0
    assert capsys.readouterr().out.strip() == str(backup)

    con = sqlite3.connect(data / "baihe-desk.sqlite3")
    con.execute("DELETE FROM party")
    con.execute("DELETE FROM address")
    con.execute("DELETE FROM \"case\"")
    con.commit()
    con.close()
    assert main(["--data-dir", str(data), "restore", "--user", "admin", str(backup)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "cases", "--user", "admin", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 150


def test_check_fails_on_tampered_audit(tmp_path, capsys):
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), "demo", "--cases", "5"]) == 0
    con = sqlite3.connect(data / "baihe-desk.sqlite3")
    con.executescript(DROP_AUDIT_TRIGGERS)  # as a tamperer with the file would
    con.execute("UPDATE audit_record SET username='mallory' WHERE seq=1")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["--data-dir", str(data), "check"]) == 2
    assert "审计记录 #1" in capsys.readouterr().out


def test_known_errors_are_calm(tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), "demo", "--cases", "1", "--seed", "3"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe3-admin")
    assert main(["--data-dir", str(data), "restore", "--user", "admin", str(tmp_path / "missing.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "找不到备份文件" in err and "Traceback" not in err


def test_deadline_command_moves_past_national_day(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "d"), "deadline", "--from", "2026-09-21", "--days", "10"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "due: 2026-10-08"
    assert any("国庆节" in line and "第八十五条" in line for line in lines)


def test_deadline_command_warns_for_an_inferred_year(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "d"), "deadline", "--from", "2026-12-20", "--months", "1"]) == 0
    out = capsys.readouterr().out
    assert "2027 年按放假办法推算，待国务院通知" in out
    assert out.strip().splitlines()[-1] == "due: 2027-01-20"


def test_fee_command_prints_breakdown_and_total(tmp_path, capsys):
    from baihe_desk.cli import FEE_KINDS
    from baihe_desk.services.filing.fees import fee_kinds

    assert sorted(FEE_KINDS) == sorted(fee_kinds())
    assert main(["--data-dir", str(tmp_path / "d"), "fee", "--kind", "property", "--amount", "150000",
                 "--procedure", "simple"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "total: 1650.00"
    assert any("第十六条" in line for line in out)
    assert main(["--data-dir", str(tmp_path / "d"), "fee", "--kind", "property", "--amount", "-5"]) == 1
    assert capsys.readouterr().err.startswith("错误：")
