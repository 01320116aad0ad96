"""User administration: create, edit, disable, reset password — with the last-administrator and post rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.errors import AuthenticationError, PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Department, Role, User
from baihe_desk.services.admin import organisation
from baihe_desk.services.admin import users as admin_users
from baihe_desk.services.common import auth

PASSWORD = "Secret-123"  # as in conftest.uusers

NEW_PASSWORD = "Temp-2026x"


def actions(session) -> list[str]:
    return [r.action for r in session.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


@pytest.fixture
def trial(udb, ucourt, uusers):
    with udb.transaction() as s:
        return organisation.add_department(s, uusers[Role.ADMIN], "民事审判庭", "trial")


def test_create_user_must_change_password_and_is_audited(udb, uusers, trial):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        user = admin_users.create_user(s, admin, username="lisi", display_name="李四", role=Role.JUDGE,
                                       password=NEW_PASSWORD, department_id=trial.id, phone="0433-5710002")
        uid = user.id
    with udb.transaction() as s:
        u = s.get(User, uid)
        assert (u.role, u.department_id, u.phone, u.must_change_password) == (Role.JUDGE, trial.id, "0433-5710002", True)
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "user.create")).one()
        assert rec.after["username"] == "lisi" and "password" not in str(rec.after)
        logged = auth.login(s, "lisi", NEW_PASSWORD)
        assert logged.must_change_password  # the login dialog asks for a new password


@pytest.mark.parametrize("fields, field", [
    ({"username": "李四"}, "用户名"),
    ({"username": "a"}, "用户名"),
    ({"display_name": "  "}, "姓名"),
    ({"password": "short1"}, "密码"),
    ({"password": "onlyletters"}, "密码"),
    ({"phone": "打电话"}, "电话"),
    ({"username": "u_judge"}, "用户名"),  # taken
])
def test_create_user_refuses_bad_input(udb, uusers, fields, field):
    data = {"username": "wangwu", "display_name": "王五", "role": Role.CLERK, "password": NEW_PASSWORD} | fields
    with pytest.raises(ValidationError) as info, udb.transaction() as s:
        admin_users.create_user(s, uusers[Role.ADMIN], **data)
    assert info.value.field == field


def test_edit_user_is_audited_before_and_after(udb, uusers, trial):
    clerk = uusers[Role.CLERK]
    with udb.transaction() as s:
        admin_users.update_user(s, uusers[Role.ADMIN], clerk.id, display_name="书记员 钱晓", role=Role.JUDGE_ASSISTANT,
                                department_id=trial.id)
    with udb.session() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "user.update")).one()
        assert rec.before["role"] == "clerk" and rec.after["role"] == "judge_assistant"
        assert rec.before["department_id"] is None and rec.after["department_id"] == str(trial.id)
        assert rec.after["display_name"] == "书记员 钱晓"


def test_the_last_active_administrator_cannot_be_disabled_or_demoted(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        other = admin_users.create_user(s, admin, username="admin2", display_name="副管理员", role=Role.ADMIN,
                                        password=NEW_PASSWORD)
        other_id = other.id
    with udb.transaction() as s:
        admin_users.set_active(s, admin, other_id, False)  # two admins: allowed
    with pytest.raises(ValidationError, match="唯一在用的管理员") as info, udb.transaction() as s:
        admin_users.update_user(s, admin, admin.id, role=Role.CLERK)
    assert info.value.field == "角色"
    with pytest.raises(ValidationError, match="不能停用自己"), udb.transaction() as s:
        admin_users.set_active(s, admin, admin.id, False)
    with udb.transaction() as s:  # a second, active admin disables the first one, then cannot disable itself
        admin_users.set_active(s, admin, other_id, True)
    with udb.session() as s:
        second = s.get(User, other_id)
    with udb.transaction() as s:
        admin_users.set_active(s, second, admin.id, False)
    with pytest.raises(ValidationError), udb.transaction() as s:
        admin_users.set_active(s, second, second.id, False)
    with udb.session() as s:
        assert admin_users.active_admins(s) == 1
        assert actions(s).count("user.disable") == 2 and actions(s).count("user.enable") == 1


def test_last_admin_check_counts_only_active_administrators(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        other = admin_users.create_user(s, admin, username="admin2", display_name="副管理员", role=Role.ADMIN,
                                        password=NEW_PASSWORD)
        admin_users.set_active(s, admin, other.id, False)
    with udb.session() as s:
        second = s.get(User, other.id)
    with pytest.raises(PermissionDenied), udb.transaction() as s:  # a disabled admin may do nothing
        admin_users.set_active(s, second, admin.id, False)


def test_a_post_holder_keeps_role_and_account_until_the_post_moves(udb, uusers, trial):
    admin, chief = uusers[Role.ADMIN], uusers[Role.DIVISION_CHIEF]
    with udb.transaction() as s:
        organisation.set_chief(s, admin, trial.id, chief.id)
    with pytest.raises(ValidationError, match="民事审判庭的庭长"), udb.transaction() as s:
        admin_users.update_user(s, admin, chief.id, role=Role.JUDGE)
    with pytest.raises(ValidationError, match="现任民事审判庭庭长"), udb.transaction() as s:
        admin_users.set_active(s, admin, chief.id, False)
    with udb.transaction() as s:
        organisation.set_chief(s, admin, trial.id, None)
        admin_users.set_active(s, admin, chief.id, False)
    with udb.session() as s:
        assert not s.get(User, chief.id).active


def test_reset_password_forces_a_change_and_unlocks(udb, uusers):
    judge = uusers[Role.JUDGE]
    for _ in range(auth.MAX_FAILED):
        with pytest.raises(AuthenticationError), udb.transaction() as s:
            auth.login(s, judge.username, "wrong-pass1")
    with pytest.raises(AuthenticationError, match="锁定"), udb.transaction() as s:
        auth.login(s, judge.username, PASSWORD)
    with udb.transaction() as s:
        admin_users.reset_password(s, uusers[Role.ADMIN], judge.id, NEW_PASSWORD)
    with udb.transaction() as s:
        user = auth.login(s, judge.username, NEW_PASSWORD)
        assert user.must_change_password
        auth.change_password(s, user, NEW_PASSWORD, "Mine-2026abc")
    with udb.session() as s:
        assert not s.get(User, judge.id).must_change_password
        assert "user.reset_password" in actions(s)
    with pytest.raises(ValidationError, match="密码"), udb.transaction() as s:
        admin_users.reset_password(s, uusers[Role.ADMIN], judge.id, "123")


def test_non_admin_gets_permission_denied(udb, uusers):
    clerk, judge = uusers[Role.FILING_CLERK], uusers[Role.JUDGE]
    calls = [
        lambda s: admin_users.create_user(s, clerk, username="x1", display_name="X", role=Role.CLERK,
                                          password=NEW_PASSWORD),
        lambda s: admin_users.update_user(s, clerk, judge.id, display_name="Y"),
        lambda s: admin_users.set_active(s, clerk, judge.id, False),
        lambda s: admin_users.reset_password(s, clerk, judge.id, NEW_PASSWORD),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied), udb.transaction() as s:
            call(s)
    with udb.session() as s:
        assert actions(s).count("permission.denied") == 4
        assert s.get(User, judge.id).active and s.get(User, judge.id).display_name == "测试承办法官"


def test_list_users_shows_posts_and_state(udb, uusers, trial):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        organisation.set_overseer(s, admin, trial.id, uusers[Role.VICE_PRESIDENT].id)
        admin_users.reset_password(s, admin, uusers[Role.JUDGE].id, NEW_PASSWORD)
    with udb.session() as s:
        rows = {r.username: r for r in admin_users.list_users(s)}
        assert s.scalar(select(Department).where(Department.name == "民事审判庭")) is not None
    assert rows["u_vice_president"].posts == ("民事审判庭分管院长",)
    assert rows["u_judge"].must_change_password and rows["u_judge"].active


def test_temporary_passwords_pass_the_strength_check():
    for _ in range(50):
        pw = admin_users.temporary_password()
        auth.check_password_strength(pw)
        assert len(pw) == 10
