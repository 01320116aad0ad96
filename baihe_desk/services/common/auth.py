"""登录与密码 — scrypt password hashes with a per-user salt, lock-out after failed attempts.

Five failed attempts lock the account for ``LOCK_MINUTES``; the administrator can unlock it by
resetting the password (which forces a change at next login).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baihe_desk.errors import AuthenticationError, ValidationError
from baihe_desk.models import Role, User, utcnow
from baihe_desk.services.common import audit, password_policy
from baihe_desk.services.common.permissions import Perm, require

MAX_FAILED = 5
LOCK_MINUTES = 15
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = password_policy.MIN_PASSWORD


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
            dklen=len(digest_hex) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def check_password_strength(password: str, username: str = "") -> None:
    password_policy.check(password, username)


def has_users(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User)) or 0) > 0


def create_first_admin(session: Session, username: str, display_name: str, password: str) -> User:
    """The first start creates the administrator; refused once any user exists."""
    if has_users(session):
        raise AuthenticationError("系统已有用户，不能再创建初始管理员。")
    username = username.strip()
    if not username:
        raise ValidationError("用户名", "不能为空。")
    check_password_strength(password, username)
    # whoever set the desk up (often the court's IT or a vendor) chose it: the administrator changes it
    user = User(username=username, display_name=display_name.strip() or username, role=Role.ADMIN,
                password_hash=hash_password(password), must_change_password=True)
    session.add(user)
    session.flush()
    audit.record(session, user, "user.create_first_admin", entity="user", entity_id=user.id,
                 after={"username": user.username, "role": user.role.value})
    return user


FAILED_MESSAGE = (f"用户名或密码不正确。连续输错 {MAX_FAILED} 次，账号将锁定 {LOCK_MINUTES} 分钟"
                  "（管理员重置密码可解锁）。")
# Checked against when the user name is unknown, so an unknown name costs the same scrypt as a wrong password.
_DUMMY_HASH = hash_password("baihe-desk-no-such-user", salt=b"\0" * 16)


def login(session: Session, username: str, password: str, *, channel: str = "") -> User:
    """Return the user, or raise AuthenticationError (the failure is counted and audited).

    Call inside a write transaction: failures must be committed, so the caller commits even on
    failure — ``login`` itself commits the failure count before raising. An unknown name, a wrong
    password, and a locked or disabled account with a wrong password all get the same message after
    the same scrypt work, so neither message nor timing tells whether a name exists; the audit record
    of an unknown name stores none of the typed text (people type passwords into the name box).
    Only someone who knows the password learns that the account is locked or disabled.
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    now = utcnow()
    extra = {"channel": channel} if channel else {}
    password_ok = verify_password(password, user.password_hash if user is not None else _DUMMY_HASH)
    if user is None:
        audit.record(session, None, "auth.login_failed", entity="user", after={"known_user": False, **extra})
        session.commit()
        raise AuthenticationError(FAILED_MESSAGE)
    locked = bool(user.locked_until and user.locked_until > now)
    if not password_ok or locked or not user.active:
        if not locked:
            user.failed_attempts += 1
        after: dict[str, int | str | bool] = {"failed_attempts": user.failed_attempts, **extra}
        if user.failed_attempts >= MAX_FAILED:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_attempts = 0
            after["locked_until"] = user.locked_until.isoformat()
        audit.record(session, user, "auth.login_failed", entity="user", entity_id=user.id, after=after)
        session.commit()
        if password_ok and not user.active:
            raise AuthenticationError("该账号已停用，请联系管理员。")
        if password_ok and locked:
            assert user.locked_until is not None
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            raise AuthenticationError(f"密码错误次数过多，账号已锁定，请约 {minutes} 分钟后再试，或请管理员重置密码。")
        raise AuthenticationError(FAILED_MESSAGE)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(session, user, "auth.login", entity="user", entity_id=user.id, after=extra or None)
    return user


def logout(session: Session, user: User) -> None:
    """注销 / 切换用户: the desk goes back to the login window; the audit trail notes who left and when."""
    from baihe_desk.services.common import audit

    audit.record(session, user, "auth.logout", entity="user", entity_id=user.id)


def change_password(session: Session, user: User, old: str, new: str) -> None:
    if not verify_password(old, user.password_hash):
        raise ValidationError("原密码", "不正确。")
    if old == new:
        raise ValidationError("新密码", "不能与原密码相同。")
    check_password_strength(new, user.username)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    audit.record(session, user, "auth.change_password", entity="user", entity_id=user.id)


def create_user(session: Session, actor: User, *, username: str, display_name: str, role: Role,
                password: str, department_id=None, must_change: bool = True) -> User:  # type: ignore[no-untyped-def]
    require(session, actor, Perm.USER_MANAGE)
    username = username.strip()
    if not username:
        raise ValidationError("用户名", "不能为空。")
    if session.scalar(select(User).where(User.username == username)):
        raise ValidationError("用户名", f"“{username}”已被使用。")
    check_password_strength(password, username)
    user = User(username=username, display_name=display_name.strip() or username, role=role,
                password_hash=hash_password(password), department_id=department_id,
                must_change_password=must_change)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", entity="user", entity_id=user.id,
                 after=audit.snapshot(user, ["username", "display_name", "role", "department_id"]))
    return user


def reset_password(session: Session, actor: User, user: User, new_password: str) -> None:
    require(session, actor, Perm.USER_MANAGE)
    check_password_strength(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    audit.record(session, actor, "user.reset_password", entity="user", entity_id=user.id)
