"""Login: scrypt hashes with per-user salt, lock-out after five failures, audited."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from baihe_desk.errors import AuthenticationError, ValidationError
from baihe_desk.models import AuditRecord, Role, User
from baihe_desk.services.common import auth

PASSWORD = "Secret-123"  # as in conftest.uusers


def test_hash_is_salted_and_verifies():
    a, b = auth.hash_password("Abc-12345"), auth.hash_password("Abc-12345")
    assert a != b and a.startswith("scrypt$")
    assert auth.verify_password("Abc-12345", a)
    assert not auth.verify_password("Abc-12346", a)
    assert not auth.verify_password("x", "garbage")


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_password_round_trips(pw):
    h = auth.hash_password(pw)
    assert auth.verify_password(pw, h)
    assert not auth.verify_password(pw + "x", h)


def test_login_ok_and_audited(udb, uusers):
    with udb.transaction() as s:
        user = auth.login(s, "u_filing_clerk", PASSWORD)
        assert user.role is Role.FILING_CLERK
    with udb.session() as s:
        assert s.scalars(select(AuditRecord.action).where(AuditRecord.action == "auth.login")).all() == ["auth.login"]


def test_five_failures_lock_the_account(udb, uusers):
    for _ in range(5):  # the same message each time: it must not tell that the name exists
        with pytest.raises(AuthenticationError) as info:
            with udb.transaction() as s:
                auth.login(s, "u_judge", "wrong-password")
        assert info.value.message == auth.FAILED_MESSAGE
    with udb.session() as s:
        assert s.scalar(select(User).where(User.username == "u_judge")).locked_until is not None
    # even the right password is refused while locked; only who knows it learns of the lock
    with pytest.raises(AuthenticationError, match="已锁定"):
        with udb.transaction() as s:
            auth.login(s, "u_judge", PASSWORD)
    with udb.session() as s:
        fails = s.scalars(select(AuditRecord).where(AuditRecord.action == "auth.login_failed")).all()
        assert len(fails) == 6
    # the administrator's reset unlocks and forces a change
    with udb.transaction() as s:
        admin = s.get(User, uusers[Role.ADMIN].id)
        judge = s.scalar(select(User).where(User.username == "u_judge"))
        auth.reset_password(s, admin, judge, "NewPass-2026")
    with udb.transaction() as s:
        judge = auth.login(s, "u_judge", "NewPass-2026")
        assert judge.must_change_password


def test_unknown_user_and_disabled_user(udb, uusers):
    with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
        with udb.transaction() as s:
            auth.login(s, "nobody", "x")
    with pytest.raises(AuthenticationError) as wrong:  # a disabled account and a wrong password: no hint
        with udb.transaction() as s:
            s.scalar(select(User).where(User.username == "u_judge")).active = False
            s.commit()
            auth.login(s, "u_judge", "wrong-password")
    assert wrong.value.message == auth.FAILED_MESSAGE
    with udb.transaction() as s:
        s.scalar(select(User).where(User.username == "u_clerk")).active = False
    with pytest.raises(AuthenticationError, match="已停用"):
        with udb.transaction() as s:
            auth.login(s, "u_clerk", PASSWORD)


def test_first_admin_only_once_and_password_rules(udb):
    with pytest.raises(ValidationError, match="至少需要"):
        with udb.transaction() as s:
            auth.create_first_admin(s, "admin", "管理员", "short1")
    with pytest.raises(ValidationError, match="用户名"):
        with udb.transaction() as s:
            auth.create_first_admin(s, "admin", "管理员", "Admin-2026-x")
    with udb.transaction() as s:
        auth.create_first_admin(s, "admin", "管理员", "Setup-2026-x")
    with udb.transaction() as s:  # whoever set the desk up chose it: changed at the first login
        assert auth.login(s, "admin", "Setup-2026-x").must_change_password
    with pytest.raises(AuthenticationError):
        with udb.transaction() as s:
            auth.create_first_admin(s, "admin2", "管理员", "Setup-2026-x")


@pytest.mark.parametrize("weak", ["password1", "admin123", "Password123", "P@ssw0rd2026", "admin1234567",
                                  "2026!Qwerty!", "1234567890", "abcdefghij", "aaaa111111", "1qaz2wsx3edc",
                                  "Woaini1314!"])
def test_common_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        auth.check_password_strength(weak)


def test_a_password_may_not_contain_the_user_name():
    auth.check_password_strength("Shan-2026-lu")
    with pytest.raises(ValidationError, match="用户名"):
        auth.check_password_strength("xX-zhangsan-2026", "ZhangSan")


def test_unknown_name_and_wrong_password_take_similar_time(udb, uusers):
    import time

    def timed(name: str) -> float:
        best = 9.0
        for _ in range(3):
            t = time.perf_counter()
            with pytest.raises(AuthenticationError):
                with udb.transaction() as s:
                    auth.login(s, name, "Wrong-guess-99")
            best = min(best, time.perf_counter() - t)
        return best

    known, unknown = timed("u_clerk"), timed("no_such_person")
    assert 0.5 < unknown / known < 2.0, (known, unknown)  # both pay one scrypt


def test_change_password(udb, uusers):
    with udb.transaction() as s:
        u = s.scalar(select(User).where(User.username == "u_judge"))
        with pytest.raises(ValidationError, match="原密码"):
            auth.change_password(s, u, "bad", "Another-2026")
        auth.change_password(s, u, PASSWORD, "Another-2026")
    with udb.transaction() as s:
        auth.login(s, "u_judge", "Another-2026")
