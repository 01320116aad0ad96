"""Export the settings, import them into a fresh database, and compare; a bad file changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError, PermissionDenied, ValidationErrors
from baihe_desk.models import AuditRecord, Role, Setting, User
from baihe_desk.services.admin import holiday_tables as settings_holidays
from baihe_desk.services.admin import organisation, settings, transfer
from baihe_desk.services.common import documents
from baihe_desk.services.common.auth import hash_password
from baihe_desk.storage.startup import open_database

HOLIDAYS_2027 = "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13"  # test data, not the official notice
WORKDAYS_2027 = "春节 2027-02-14"


def configure(db, users) -> None:
    admin = users[Role.ADMIN]
    with db.transaction() as s:
        organisation.save_court_profile(s, admin, name="吉林省白河林区基层法院", short_name="白河林区法院",
                                        code="吉7502", address="吉林省安图县二道白河镇白山大街", postcode="133613",
                                        phone="0433-5710000", filing_phone="0433-5710001", seal_text="")
        trial = organisation.add_department(s, admin, "民事审判庭", "trial")
        organisation.add_department(s, admin, "诉非联动服务站", "station")
        organisation.set_chief(s, admin, trial.id, users[Role.DIVISION_CHIEF].id)
        organisation.set_overseer(s, admin, trial.id, users[Role.VICE_PRESIDENT].id)
        settings.set_many(s, admin, {"procedure.small_claims.annual_wage": "95000",
                                     "procedure.small_claims.wage_year": 2024,
                                     "fees.overrides": {"divorce": "100"}, "queues.near_due_days": 5,
                                     "documents.fonts.body": ["仿宋_GB2312", "仿宋"]})
        settings_holidays.add_year(s, admin, 2027, HOLIDAYS_2027, WORKDAYS_2027, "测试用安排")
        body = documents.template_versions(s, "mediation-notice")[0].body
        documents.save_template(s, admin, "mediation-notice", body.replace("# 诉前调解告知书", "# 诉前调解告知书（本院）", 1),
                                "本院修改")


@pytest.fixture
def fresh(tmp_path):
    """A second workstation: its own database with the same usernames (created there), no settings."""
    paths = Paths(tmp_path / "second").ensure()
    db = open_database(paths, LocalSettings())
    with db.transaction() as s:
        users = {}
        for role in (Role.ADMIN, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT):
            u = User(username=f"u_{role.value}", display_name=f"二号机{role.label}", role=role,
                     password_hash=hash_password("Secret-123"))
            s.add(u)
            users[role] = u
    yield db, users
    db.dispose()


def comparable(data: dict) -> dict:
    out = {k: v for k, v in data.items() if k not in ("exported_at", "templates")}
    out["templates"] = [(t["kind"], t["body"]) for t in data["templates"]]
    return out


def test_export_then_import_into_a_fresh_database_gives_the_same_setup(udb, uusers, fresh, tmp_path):
    configure(udb, uusers)
    path = tmp_path / "设置.json"
    with udb.transaction() as s:
        transfer.export_file(s, uusers[Role.ADMIN], path)
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == transfer.FORMAT and data["format_version"] == transfer.FORMAT_VERSION
    assert "password" not in path.read_text("utf-8") and "scrypt" not in path.read_text("utf-8")
    assert {d["name"]: d["chief"] for d in data["departments"]}["民事审判庭"] == "u_division_chief"

    db2, users2 = fresh
    with db2.transaction() as s:
        report = transfer.import_file(s, users2[Role.ADMIN], path)
    assert report.skipped == []
    assert any("民事审判庭" in c for c in report.changes)
    with db2.session() as s, udb.session() as s1:
        assert comparable(transfer.export_data(s)) == comparable(transfer.export_data(s1))
        assert settings.get(s, "queues.near_due_days") == 5
        assert organisation.chief_of(s, s.scalar(select(organisation.Department).where(
            organisation.Department.name == "民事审判庭")).id).id == users2[Role.DIVISION_CHIEF].id
        actions = [r.action for r in s.scalars(select(AuditRecord).where(AuditRecord.action != "state.snapshot")
                                               .order_by(AuditRecord.seq))]
        assert actions.count("setting.set") >= 6 and actions[-1] == "settings.import"
        assert "template.save" in actions and "department.set_chief" in actions

    with db2.transaction() as s:  # importing the same file again changes nothing
        again = transfer.import_file(s, users2[Role.ADMIN], path)
    assert again.changes == [] and "没有改动" in again.text()


def test_a_bad_file_is_refused_with_every_problem_and_changes_nothing(udb, uusers, fresh, tmp_path):
    configure(udb, uusers)
    with udb.session() as s:
        data = transfer.export_data(s)
    data["court"]["code"] = "7502"
    data["settings"]["queues.near_due_days"] = -2
    data["settings"]["fees.overrides"] = {"divorce": "9999"}
    data["departments"].append({"name": "", "kind": "trial"})
    data["templates"][-1]["body"] = "kind = \"mediation-notice\"\nversion = 9\n[[blocks]]\ntype = \"body\"\ntext = \"{{ nope }}\""
    db2, users2 = fresh
    with pytest.raises(ValidationErrors) as info, db2.transaction() as s:
        transfer.import_data(s, users2[Role.ADMIN], data)
    fields = {e.field for e in info.value.errors}
    assert {"法院代字", "临期提醒", "离婚案件受理费（每件）", "部门名称", "文书模板「诉前调解告知书」"} <= fields
    with db2.session() as s:
        assert s.scalars(select(Setting)).all() == []
        assert organisation.list_departments(s) == []


def test_unknown_parts_are_skipped_and_listed(udb, uusers, fresh):
    configure(udb, uusers)
    with udb.session() as s:
        data = transfer.export_data(s)
    data["settings"]["some.future.setting"] = 1
    data["templates"].append({"kind": "future-kind", "version": 2, "body": "x", "note": ""})
    db2, users2 = fresh
    with db2.transaction() as s:
        s.delete(s.get(User, users2[Role.VICE_PRESIDENT].id))  # this workstation has no 分管院长 account yet
    with db2.transaction() as s:
        report = transfer.import_data(s, users2[Role.ADMIN], data)
    text = report.text()
    assert "some.future.setting" in text and "future-kind" in text and "分管院长（用户名 u_vice_president）" in text


def test_wrong_format_and_newer_version(udb, uusers, tmp_path):
    with pytest.raises(KnownError, match="不是本系统的设置导出文件"), udb.transaction() as s:
        transfer.import_data(s, uusers[Role.ADMIN], {"format": "other"})
    with pytest.raises(KnownError, match="较新版本"), udb.transaction() as s:
        transfer.import_data(s, uusers[Role.ADMIN], {"format": transfer.FORMAT, "format_version": 99})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(KnownError, match="JSON"):
        transfer.read_file(bad)


def test_only_the_administrator_exports_or_imports(udb, uusers, tmp_path):
    with pytest.raises(PermissionDenied), udb.transaction() as s:
        transfer.export_file(s, uusers[Role.JUDGE], tmp_path / "x.json")
    with pytest.raises(PermissionDenied), udb.transaction() as s:
        transfer.import_data(s, uusers[Role.FILING_CLERK], {"format": transfer.FORMAT, "format_version": 1})
    assert not (tmp_path / "x.json").exists()
