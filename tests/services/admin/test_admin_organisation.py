"""Court profile and organisation: validation naming the field, 庭长/分管院长 role checks, audit entries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Case, CourtProfile, Department, Role, Stage, User
from baihe_desk.services.admin import court, organisation
from baihe_desk.services.admin import users as admin_users
from baihe_desk.services.common.numbering import assign_case_number

PROFILE = dict(name="吉林省白河林区基层法院", short_name="白河林区法院", code="吉7502",
               address="吉林省安图县二道白河镇白山大街", postcode="133613", phone="0433-5710000",
               filing_phone="0433-5710001", seal_text="")


def audit_actions(session, prefix: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action.startswith(prefix))
                                .order_by(AuditRecord.seq)))


@pytest.mark.parametrize("field, value, label, words", [
    ("name", "   ", "法院名称", "不能为空"),
    ("code", "7502", "法院代字", "无法组成案号"),
    ("code", "吉75021", "法院代字", "无法组成案号"),
    ("code", "", "法院代字", "请填写"),
    ("postcode", "13361", "邮政编码", "6 位数字"),
    ("phone", "电话号码", "联系电话", "不能出现"),
    ("address", "长" * 201, "地址", "不能超过 200"),
])
def test_profile_validation_names_the_field(udb, uusers, field, value, label, words):
    with pytest.raises(ValidationError) as info, udb.transaction() as s:
        organisation.save_court_profile(s, uusers[Role.ADMIN], **(PROFILE | {field: value}))
    assert info.value.field == label and words in info.value.message
    with udb.session() as s:
        assert court.get_profile(s).code == "吉7502" and court.get_profile(s).name == "吉林省白河林区基层法院"


def test_profile_save_is_audited_and_an_unchanged_save_writes_nothing(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        organisation.save_court_profile(s, admin, **PROFILE)
    with udb.transaction() as s:
        organisation.save_court_profile(s, admin, **PROFILE)
    with udb.session() as s:
        (rec,) = [r for r in audit_actions(s, "court.") if r.username == admin.username]
        assert rec.after["postcode"] == "133613" and rec.before["postcode"] == ""
        assert court.get_profile(s).seal_text == PROFILE["name"]  # empty seal text = the full name


def test_the_new_court_code_is_used_by_the_next_case_number(udb, uusers):
    with udb.transaction() as s:
        organisation.save_court_profile(s, uusers[Role.ADMIN], **(PROFILE | {"code": "吉７５０３"}))
        case = Case(receipt_number="2026收00001", cause_code="x", cause_name="民间借贷纠纷", cause_catalogue="2025",
                    claims="", facts="", received_on=date(2026, 11, 20), stage=Stage.RECEIVED)
        s.add(case)
        s.flush()
        number = assign_case_number(s, uusers[Role.FILING_CLERK], case, "民初", year=2026)
    assert number.format() == "（2026）吉7503民初1号"


def test_departments_and_posts(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        trial = organisation.add_department(s, admin, "民事审判庭", "trial")
        organisation.add_department(s, admin, "立案庭", "filing")
        with pytest.raises(ValidationError, match="已经存在"):
            organisation.add_department(s, admin, " 民事审判庭 ", "trial")
        with pytest.raises(ValidationError, match="不能为空"):
            organisation.add_department(s, admin, "", "trial")
        with pytest.raises(ValidationError, match="部门类别|只能是"):
            organisation.add_department(s, admin, "外星庭", "alien")
        organisation.set_chief(s, admin, trial.id, uusers[Role.DIVISION_CHIEF].id)
        organisation.set_overseer(s, admin, trial.id, uusers[Role.VICE_PRESIDENT].id)
        with pytest.raises(ValidationError, match="庭长须为“庭长”角色") as info:
            organisation.set_chief(s, admin, trial.id, uusers[Role.JUDGE].id)
        assert info.value.field == "庭长"
        with pytest.raises(ValidationError, match="分管院长须为“分管院长”角色"):
            organisation.set_overseer(s, admin, trial.id, uusers[Role.DIVISION_CHIEF].id)
        trial_id = trial.id
    with udb.session() as s:
        assert organisation.chief_of(s, trial_id).id == uusers[Role.DIVISION_CHIEF].id
        assert organisation.overseer_of(s, trial_id).id == uusers[Role.VICE_PRESIDENT].id
        rows = {d.name: d for d in organisation.list_departments(s)}
        assert rows["民事审判庭"].chief == "测试庭长" and rows["民事审判庭"].overseer == "测试分管院长"
        recs = audit_actions(s, "department.")
        assert [r.action for r in recs] == ["department.create", "department.create", "department.set_chief",
                                            "department.set_overseer"]
        assert recs[2].before["chief_id"] is None and recs[2].after["chief_id"] == str(uusers[Role.DIVISION_CHIEF].id)


def test_a_disabled_user_cannot_take_a_post(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        dept = organisation.add_department(s, admin, "执行局", "enforcement")
        admin_users.set_active(s, admin, uusers[Role.DIVISION_CHIEF].id, False)
        with pytest.raises(ValidationError, match="已停用"):
            organisation.set_chief(s, admin, dept.id, uusers[Role.DIVISION_CHIEF].id)


def test_rename_and_remove_department(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        dept = organisation.add_department(s, admin, "长白山保护区法庭", "tribunal")
        organisation.update_department(s, admin, dept.id, name="长白山保护区人民法庭", sort_order=7)
        organisation.update_department(s, admin, dept.id, name="长白山保护区人民法庭")  # unchanged: no record
        admin_users.update_user(s, admin, uusers[Role.JUDGE].id, department_id=dept.id)
        dept_id = dept.id
    with pytest.raises(ValidationError, match="1 个用户"), udb.transaction() as s:
        organisation.remove_department(s, admin, dept_id)
    with udb.transaction() as s:
        admin_users.update_user(s, admin, uusers[Role.JUDGE].id, department_id=None)
        organisation.remove_department(s, admin, dept_id)
    with udb.session() as s:
        assert s.get(Department, dept_id) is None
        assert [r.action for r in audit_actions(s, "department.")] == [
            "department.create", "department.update", "department.delete"]


def test_non_admin_cannot_change_the_organisation(udb, uusers):
    judge = uusers[Role.JUDGE]
    with udb.transaction() as s:
        dept = organisation.add_department(s, uusers[Role.ADMIN], "民事审判庭", "trial")
    for call in (lambda s: organisation.save_court_profile(s, judge, **PROFILE),
                 lambda s: organisation.add_department(s, judge, "新庭", "trial"),
                 lambda s: organisation.set_chief(s, judge, dept.id, uusers[Role.DIVISION_CHIEF].id),
                 lambda s: organisation.remove_department(s, judge, dept.id)):
        with pytest.raises(PermissionDenied), udb.transaction() as s:
            call(s)
    with udb.session() as s:
        assert s.scalar(select(CourtProfile)).postcode == ""
        assert s.get(Department, dept.id).chief_id is None
        assert s.scalar(select(User).where(User.username == "u_judge")).active
