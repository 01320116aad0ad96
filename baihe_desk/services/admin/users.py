"""用户管理 — the administrator creates, edits and disables accounts and resets passwords.

Builds on :mod:`baihe_desk.services.common.auth` (``create_user``, ``reset_password``: a reset forces a change
at the next login and unlocks a locked account). Rules kept here:

- the last active administrator can be neither disabled nor given another role (nobody could manage
  the desk any more); an administrator cannot disable their own account;
- a user who is some department's 庭长 or 分管院长 keeps the role that post needs and stays active until
  the post is given to someone else (the tiered 判后答疑 and the queues must never route to a disabled
  account or to the wrong role);
- every change is audited before → after (never a password or its hash).
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError
from baihe_desk.models import Department, Role, User, utcnow
from baihe_desk.services.common import audit, auth
from baihe_desk.services.common.lookup import get_or_not_found
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.common.validation import normalize_text

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,50}$")
_FIELDS = ["username", "display_name", "role", "department_id", "phone", "active", "must_change_password"]
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class UserRow:
    """One line of the user list (plain data for the table)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    department_id: uuid.UUID | None
    department: str
    phone: str
    active: bool
    must_change_password: bool
    locked: bool
    posts: tuple[str, ...]  # e.g. ("民事审判庭庭长",)


def _user(session: Session, user_id: uuid.UUID) -> User:
    return get_or_not_found(session, User, user_id, "没有这个用户（可能已被删除）。")


def _snap(user: User) -> dict:
    return audit.snapshot(user, _FIELDS)


def _department(session: Session, department_id: uuid.UUID | None) -> uuid.UUID | None:
    if department_id is None:
        return None
    if session.get(Department, department_id) is None:
        raise ValidationError("部门", "所选部门不存在。")
    return department_id


def _display_name(text: str) -> str:
    name = normalize_text(text).strip()
    if not name:
        raise ValidationError("姓名", "不能为空。")
    if len(name) > 50:
        raise ValidationError("姓名", "不能超过 50 个字。")
    return name


def _phone(text: str) -> str:
    phone = normalize_text(text or "").strip()
    if len(phone) > 40:
        raise ValidationError("电话", "不能超过 40 个字符。")
    if phone and not re.fullmatch(r"[0-9+\-() 转]+", phone):
        raise ValidationError("电话", f"“{phone}”含有不能出现在电话号码中的字符。")
    return phone


def posts_of(session: Session, user_id: uuid.UUID) -> list[str]:
    """The posts a user holds: "民事审判庭庭长", "民事审判庭分管院长" …"""
    out = []
    for dept in session.scalars(select(Department).where(
            or_(Department.chief_id == user_id, Department.overseer_id == user_id)).order_by(Department.sort_order)):
        if dept.chief_id == user_id:
            out.append(f"{dept.name}庭长")
        if dept.overseer_id == user_id:
            out.append(f"{dept.name}分管院长")
    return out


def active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True))) or 0


def _keep_last_admin(session: Session, user: User, what: str) -> None:
    if user.role is Role.ADMIN and user.active and active_admins(session) <= 1:
        raise ValidationError("角色" if what == "改为其他角色" else "状态",
                              f"“{user.display_name}”是唯一在用的管理员，不能{what}。请先创建或启用另一位管理员。")


def list_users(session: Session, *, include_inactive: bool = True) -> list[UserRow]:
    depts = {d.id: d.name for d in session.scalars(select(Department))}
    query = select(User)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    now = utcnow()
    order = list(Role)
    users = sorted(session.scalars(query), key=lambda u: (not u.active, order.index(u.role), u.username))
    return [UserRow(u.id, u.username, u.display_name, u.role, u.department_id, depts.get(u.department_id, "")
                    if u.department_id else "", u.phone, u.active, u.must_change_password,
                    bool(u.locked_until and u.locked_until > now), tuple(posts_of(session, u.id)))
            for u in users]


def create_user(session: Session, actor: User, *, username: str, display_name: str, role: Role | str,
                password: str, department_id: uuid.UUID | None = None, phone: str = "") -> User:
    """A new account; the user must change the initial password at the first login."""
    require(session, actor, Perm.USER_MANAGE)
    username = normalize_text(username).strip()
    if not USERNAME_RE.match(username):
        raise ValidationError("用户名", "应为 2–50 个英文字母、数字或 _ . -（登录时输入）。")
    name = _display_name(display_name)
    phone = _phone(phone)
    user = auth.create_user(session, actor, username=username, display_name=name, role=Role(role),
                            password=password, department_id=_department(session, department_id),
                            must_change=True)
    if phone:
        user.phone = phone
        session.flush()
    return user


def update_user(session: Session, actor: User, user_id: uuid.UUID, *, display_name: str | None = None,
                role: Role | str | None = None, department_id: uuid.UUID | None | object = ...,
                phone: str | None = None) -> User:
    """Edit name, role, department, phone (``department_id=None`` clears it; omitted = unchanged)."""
    require(session, actor, Perm.USER_MANAGE)
    user = _user(session, user_id)
    before = _snap(user)
    if display_name is not None:
        user.display_name = _display_name(display_name)
    if phone is not None:
        user.phone = _phone(phone)
    if department_id is not ...:
        user.department_id = _department(session, department_id)  # type: ignore[arg-type]
    if role is not None and Role(role) is not user.role:
        new_role = Role(role)
        if user.role is Role.ADMIN:
            _keep_last_admin(session, user, "改为其他角色")
        _check_posts_allow_role(session, user, new_role)
        user.role = new_role
    session.flush()
    after = _snap(user)
    if after != before:
        audit.record(session, actor, "user.update", entity="user", entity_id=user.id, before=before, after=after)
    return user


def _check_posts_allow_role(session: Session, user: User, new_role: Role) -> None:
    for dept in session.scalars(select(Department).where(
            or_(Department.chief_id == user.id, Department.overseer_id == user.id))):
        if dept.chief_id == user.id and new_role is not Role.DIVISION_CHIEF:
            raise ValidationError("角色", f"“{user.display_name}”是{dept.name}的庭长，须保持“庭长”角色。"
                                  "请先在“部门与人员”中为该部门另选庭长。")
        if dept.overseer_id == user.id and new_role is not Role.VICE_PRESIDENT:
            raise ValidationError("角色", f"“{user.display_name}”分管{dept.name}，须保持“分管院长”角色。"
                                  "请先为该部门另选分管院长。")


def set_active(session: Session, actor: User, user_id: uuid.UUID, active: bool) -> User:
    """停用 / 启用 an account. A disabled user cannot log in; their past work keeps their name."""
    require(session, actor, Perm.USER_MANAGE)
    user = _user(session, user_id)
    if user.active == active:
        return user
    if not active:
        if user.id == actor.id:
            raise ValidationError("状态", "不能停用自己正在使用的账号。")
        _keep_last_admin(session, user, "停用")
        posts = posts_of(session, user.id)
        if posts:
            raise ValidationError("状态", f"“{user.display_name}”现任{'、'.join(posts)}，"
                                  "请先在“部门与人员”中另选人员后再停用。")
    before = _snap(user)
    user.active = active
    session.flush()
    audit.record(session, actor, "user.enable" if active else "user.disable", entity="user", entity_id=user.id,
                 before=before, after=_snap(user))
    return user


def temporary_password(length: int = 10) -> str:
    """A random initial password with letters and digits (shown once to the administrator)."""
    while True:
        pw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


def reset_password(session: Session, actor: User, user_id: uuid.UUID, new_password: str) -> User:
    """Set a new password the user must change at the next login (also unlocks the account)."""
    require(session, actor, Perm.USER_MANAGE)
    user = _user(session, user_id)
    auth.reset_password(session, actor, user, new_password)
    session.flush()
    return user
