"""组织机构 — the court profile, its departments, and who is each department's 庭长 and 分管院长.

``Department.chief_id`` is the 庭长 (must be an active user with the role 庭长), ``Department.overseer_id``
the 分管院长 (an active 分管院长). The tiered 判后答疑 and the queues read these links, so they are
checked here. The court profile is saved through :func:`baihe_desk.services.admin.court.save_profile` (which
refuses an empty name and a 法院代字 that cannot form a case number); this module adds the checks of
the other fields and skips a save that changes nothing (no empty audit records).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError
from baihe_desk.models import Case, CourtProfile, Department, Role, User
from baihe_desk.services.admin import court
from baihe_desk.services.common import audit
from baihe_desk.services.common.actor import Actor
from baihe_desk.services.common.case_numbers import validate_court_code
from baihe_desk.services.common.lookup import get_or_not_found
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.common.validation import normalize_text

KIND_LABELS = {
    "filing": "立案庭", "trial": "审判庭", "enforcement": "执行局", "tribunal": "人民法庭",
    "station": "诉非联动服务站", "leadership": "院领导", "other": "其他部门",
}
PROFILE_FIELDS = {  # field → (Chinese label, max length)
    "name": ("法院名称", 100), "short_name": ("简称", 50), "code": ("法院代字", 12),
    "address": ("地址", 200), "postcode": ("邮政编码", 6), "phone": ("联系电话", 40),
    "filing_phone": ("立案咨询电话", 40), "seal_text": ("印章文字", 100),
}
_DEPT_FIELDS = ["name", "kind", "sort_order", "chief_id", "overseer_id"]


@dataclass(frozen=True)
class DepartmentRow:
    id: uuid.UUID
    name: str
    kind: str
    sort_order: int
    chief_id: uuid.UUID | None
    chief: str
    overseer_id: uuid.UUID | None
    overseer: str
    members: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# -- 法院信息 ---------------------------------------------------------------------------------------------

def _clean(field: str, value: object) -> str:
    label, limit = PROFILE_FIELDS[field]
    text = normalize_text("" if value is None else str(value)).strip()
    if len(text) > limit:
        raise ValidationError(label, f"不能超过 {limit} 个字符（现为 {len(text)} 个）。")
    return text


def _phone(field: str, text: str) -> str:
    if text and not re.fullmatch(r"[0-9+\-() 、,，转]+", text):
        raise ValidationError(PROFILE_FIELDS[field][0], f"“{text}”含有不能出现在电话号码中的字符。")
    return text


def validate_profile(fields: dict[str, object]) -> dict[str, str]:
    """Check every profile field; returns the cleaned values (raises ValidationError naming the field)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError("法院信息", f"未知的字段：{'、'.join(sorted(unknown))}")
    out = {k: _clean(k, v) for k, v in fields.items()}
    if not out.get("name"):
        raise ValidationError("法院名称", "不能为空。")
    if "code" in out:
        out["code"] = validate_court_code(out["code"])
    if out.get("postcode") and not re.fullmatch(r"\d{6}", out["postcode"]):
        raise ValidationError("邮政编码", f"应为 6 位数字，“{out['postcode']}”不是。")
    for key in ("phone", "filing_phone"):
        if key in out:
            out[key] = _phone(key, out[key])
    if "seal_text" in out and not out["seal_text"]:
        out["seal_text"] = out["name"]  # the seal of a court bears its full name
    return out


def save_court_profile(session: Session, actor: Actor, **fields: object) -> CourtProfile:
    """Validate and save the court profile (audited by ``court.save_profile``); unchanged = no record."""
    require(session, actor, Perm.SETTINGS_EDIT)
    cleaned = validate_profile(fields)
    profile = court.get_profile(session)
    if profile is None and not cleaned.get("code"):
        raise ValidationError("法院代字", "请填写法院代字，例如“吉7502”。")
    if profile is not None and all(getattr(profile, k) == v for k, v in cleaned.items()):
        return profile
    return court.save_profile(session, actor, **cleaned)


def profile_values(session: Session) -> dict[str, str]:
    profile = court.get_profile(session)
    return {k: (getattr(profile, k) or "") if profile else "" for k in PROFILE_FIELDS}


# -- 部门 -------------------------------------------------------------------------------------------------

def _profile_or_fail(session: Session) -> CourtProfile:
    profile = court.get_profile(session)
    if profile is None:
        raise ValidationError("法院信息", "请先在“法院信息”中填写并保存法院名称和法院代字。")
    return profile


def _dept(session: Session, department_id: uuid.UUID) -> Department:
    return get_or_not_found(session, Department, department_id, "没有这个部门（可能已被删除）。")


def _dept_name(session: Session, name: str, *, exclude: uuid.UUID | None = None) -> str:
    text = normalize_text(name or "").strip()
    if not text:
        raise ValidationError("部门名称", "不能为空。")
    if len(text) > 100:
        raise ValidationError("部门名称", "不能超过 100 个字。")
    clash = session.scalar(select(Department).where(Department.name == text))
    if clash is not None and clash.id != exclude:
        raise ValidationError("部门名称", f"“{text}”已经存在。")
    return text


def _kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        raise ValidationError("部门类别", f"只能是：{'、'.join(KIND_LABELS.values())}。")
    return kind


def list_departments(session: Session) -> list[DepartmentRow]:
    names = dict(session.execute(select(User.id, User.display_name)).all())
    counts = dict(session.execute(select(User.department_id, func.count()).where(User.active.is_(True))
                                  .group_by(User.department_id)).all())
    return [DepartmentRow(d.id, d.name, d.kind, d.sort_order, d.chief_id, names.get(d.chief_id, "") if d.chief_id
                          else "", d.overseer_id, names.get(d.overseer_id, "") if d.overseer_id else "",
                          counts.get(d.id, 0))
            for d in session.scalars(select(Department).order_by(Department.sort_order, Department.name))]


def add_department(session: Session, actor: Actor, name: str, kind: str = "other") -> Department:
    require(session, actor, Perm.SETTINGS_EDIT)
    profile = _profile_or_fail(session)
    last = session.scalar(select(func.max(Department.sort_order))) or 0
    dept = Department(court_id=profile.id, name=_dept_name(session, name), kind=_kind(kind), sort_order=last + 1)
    session.add(dept)
    session.flush()
    audit.record(session, actor, "department.create", entity="department", entity_id=dept.id,
                 after=audit.snapshot(dept, _DEPT_FIELDS))
    return dept


def update_department(session: Session, actor: Actor, department_id: uuid.UUID, *,
                      name: str | None = None, kind: str | None = None, sort_order: int | None = None) -> Department:
    require(session, actor, Perm.SETTINGS_EDIT)
    dept = _dept(session, department_id)
    before = audit.snapshot(dept, _DEPT_FIELDS)
    if name is not None:
        dept.name = _dept_name(session, name, exclude=dept.id)
    if kind is not None:
        dept.kind = _kind(kind)
    if sort_order is not None:
        if not 0 <= sort_order <= 999:
            raise ValidationError("排序", "应为 0 至 999。")
        dept.sort_order = sort_order
    session.flush()
    after = audit.snapshot(dept, _DEPT_FIELDS)
    if after != before:
        audit.record(session, actor, "department.update", entity="department", entity_id=dept.id,
                     before=before, after=after)
    return dept


def remove_department(session: Session, actor: Actor, department_id: uuid.UUID) -> None:
    """Delete an unused department; refused while users or cases belong to it."""
    require(session, actor, Perm.SETTINGS_EDIT)
    dept = _dept(session, department_id)
    users = session.scalar(select(func.count()).select_from(User).where(User.department_id == dept.id)) or 0
    cases = session.scalar(select(func.count()).select_from(Case).where(Case.department_id == dept.id)) or 0
    if users or cases:
        raise ValidationError("部门", f"“{dept.name}”下还有 {users} 个用户、{cases} 件案件，不能删除；"
                              "可改名或把人员调到其他部门后再删除。")
    before = audit.snapshot(dept, _DEPT_FIELDS)
    try:
        with session.begin_nested():
            session.delete(dept)
            session.flush()
    except IntegrityError:
        raise ValidationError("部门", f"“{dept.name}”仍被其他记录引用（如判后答疑），不能删除。") from None
    audit.record(session, actor, "department.delete", entity="department", entity_id=department_id, before=before)


def _post_holder(session: Session, user_id: uuid.UUID | None, role: Role, post: str) -> uuid.UUID | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError(post, "所选用户不存在。")
    if user.role is not role:
        raise ValidationError(post, f"“{user.display_name}”的角色是{user.role.label}，{post}须为“{role.label}”角色的用户。")
    if not user.active:
        raise ValidationError(post, f"“{user.display_name}”的账号已停用，不能担任{post}。")
    return user.id


def _set_post(session: Session, actor: Actor, department_id: uuid.UUID, user_id: uuid.UUID | None,
              attr: str, role: Role, post: str) -> Department:
    require(session, actor, Perm.SETTINGS_EDIT)
    dept = _dept(session, department_id)
    new = _post_holder(session, user_id, role, post)
    old = getattr(dept, attr)
    if old == new:
        return dept
    setattr(dept, attr, new)
    session.flush()
    audit.record(session, actor, f"department.set_{'chief' if attr == 'chief_id' else 'overseer'}",
                 entity="department", entity_id=dept.id, before={"department": dept.name, attr: old},
                 after={"department": dept.name, attr: new})
    return dept


def set_chief(session: Session, actor: Actor, department_id: uuid.UUID, user_id: uuid.UUID | None) -> Department:
    """Make ``user_id`` (role 庭长) the department's 庭长; None clears the post."""
    return _set_post(session, actor, department_id, user_id, "chief_id", Role.DIVISION_CHIEF, "庭长")


def set_overseer(session: Session, actor: Actor, department_id: uuid.UUID,
                 user_id: uuid.UUID | None) -> Department:
    """Make ``user_id`` (role 分管院长) the 分管院长 overseeing the department; None clears it."""
    return _set_post(session, actor, department_id, user_id, "overseer_id", Role.VICE_PRESIDENT, "分管院长")


def chief_of(session: Session, department_id: uuid.UUID) -> User | None:
    dept = session.get(Department, department_id)
    return session.get(User, dept.chief_id) if dept and dept.chief_id else None


def overseer_of(session: Session, department_id: uuid.UUID) -> User | None:
    dept = session.get(Department, department_id)
    return session.get(User, dept.overseer_id) if dept and dept.overseer_id else None


def candidates(session: Session, role: Role) -> list[User]:
    """Active users who may hold the post of ``role`` (for the 庭长 / 分管院长 choosers)."""
    return list(session.scalars(select(User).where(User.role == role, User.active.is_(True))
                                .order_by(User.display_name)))
