"""法院信息 — the court profile and departments (the administration issue edits them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError
from baihe_desk.models import CourtProfile, Department
from baihe_desk.services.common import audit
from baihe_desk.services.common.actor import Actor
from baihe_desk.services.common.permissions import Perm, require

DEMO_DEPARTMENTS = [
    ("立案庭", "filing"),
    ("民事审判庭", "trial"),
    ("执行局", "enforcement"),
    ("长白山保护区人民法庭", "tribunal"),
    ("诉非联动服务站", "station"),
    ("院领导", "leadership"),
]


def get_profile(session: Session) -> CourtProfile | None:
    return session.scalar(select(CourtProfile).order_by(CourtProfile.created_at).limit(1))


def save_profile(session: Session, actor: Actor, **fields: str) -> CourtProfile:
    """Create or update the court profile. ``actor`` None only during first set-up / demo load."""
    require(session, actor, Perm.SETTINGS_EDIT)
    from baihe_desk.services.common.case_numbers import validate_court_code

    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError("法院名称", "不能为空。")
    if "code" in fields:
        fields["code"] = validate_court_code(fields["code"])
    profile = get_profile(session)
    before = audit.snapshot(profile) if profile else None
    if profile is None:
        profile = CourtProfile(**fields)
        session.add(profile)
    else:
        for k, v in fields.items():
            setattr(profile, k, v)
    session.flush()
    audit.record(session, actor, "court.save_profile", entity="court_profile", entity_id=profile.id,
                 before=before, after=audit.snapshot(profile))
    return profile


def department_by_name(session: Session, name: str) -> Department | None:
    return session.scalar(select(Department).where(Department.name == name))
