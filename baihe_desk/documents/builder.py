"""What every document kind provides (文书类型): its placeholders and how to fill them from a case.

A :class:`DocumentKind` declares its placeholders (name → label, required, sample value), reads the
values for one case (``values``) and offers sample values for template previews. The registry in
:mod:`baihe_desk.documents.registry` maps the stable KIND names to these objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.documents.templates import Placeholder
from baihe_desk.documents.text import one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, Party, PartyRole

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # stable KIND name, e.g. mediation-notice
    title: str  # 诉前调解告知书
    placeholders: dict[str, Placeholder]
    values: Callable[[Session, Case, CourtProfile, dict[str, Any]], dict[str, Any]]

    def resource_text(self) -> str:
        """The shipped template (resources/templates/<kind>.toml)."""
        return resources.files("baihe_desk.resources").joinpath("templates", f"{self.kind}.toml").read_text("utf-8")

    def sample_values(self) -> dict[str, Any]:
        return {name: p.sample for name, p in self.placeholders.items()}

    def complete(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every declared placeholder present (missing optional ones empty); unknown keys dropped."""
        return {name: values.get(name, "") for name in self.placeholders}


_DAY: ContextVar[date | None] = ContextVar("baihe_document_day", default=None)


def today() -> date:
    """The documents' day: the court's (Asia/Shanghai), or the day :func:`on_day` gave them."""
    return _DAY.get() or datetime.now(SHANGHAI).date()


@contextmanager
def on_day(day: date) -> Iterator[None]:
    """Documents built inside are of ``day``: a batch's worker processes take their parent's day (one
    batch, one 落款 date, even across midnight), never read a clock of their own."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


def court_profile(session: Session) -> CourtProfile:
    court = session.scalars(select(CourtProfile).order_by(CourtProfile.created_at).limit(1)).first()
    if court is None or not one_line(court.name):
        raise KnownError("尚未设置法院信息（法院名称），无法生成文书。请管理员在「设置 → 法院信息」中填写。")
    return court


def party_names(case: Case, role: PartyRole) -> str:
    """Names of the parties in ``role``, in order, joined with 、 (line breaks folded)."""
    names = [one_line(p.name) for p in case.parties if p.role == role and one_line(p.name)]
    return "、".join(names)


def first_party(case: Case, role: PartyRole) -> Party | None:
    return next((p for p in case.parties if p.role == role), None)


def party_address(party: Party | None) -> str:
    """A party's service address if confirmed, else any address, else the 住所; "" if none."""
    if party is None:
        return ""
    addresses = sorted(party.addresses, key=lambda a: (a.kind.value != "service", a.sort_order))
    for addr in addresses:
        if one_line(addr.text):
            return one_line(addr.text)
    return one_line(party.domicile)


def you_word(parties: list[Party]) -> str:
    """How a notice addresses its parties: 你 (people), 你单位 (organisations), 你（你单位） when mixed."""
    from baihe_desk.models import PartyKind

    kinds = {p.kind == PartyKind.NATURAL for p in parties}
    if kinds == {True}:
        return "你"
    if kinds == {False}:
        return "你单位"
    return "你（你单位）"


def signature_word(parties: list[Party]) -> str:
    """签名（捺印） for people; 签名（盖章） for organisations (their seal, or a representative's signature)."""
    from baihe_desk.models import PartyKind

    kinds = {p.kind == PartyKind.NATURAL for p in parties}
    if kinds == {False}:
        return "签名（盖章）"
    return "签名（捺印）" if kinds == {True} else "签名、盖章（捺印）"


def is_filed(case: Case) -> bool:
    """登记立案 done: the case has its 民初 (or other) 案号, or a stage after filing. A 民诉前调 number is the
    pre-filing mediation's, not a filing."""
    from baihe_desk.models.case import Stage

    if case.number_type == "民诉前调" or "诉前调" in (case.case_number or ""):
        return False
    return bool(case.case_number) or case.stage in (Stage.FILED, Stage.IN_TRIAL, Stage.JUDGED)


def plaintiff_word(case: Case) -> str:
    """The filer's title: 申请人 before 登记立案 (the complaint is not a case yet), 原告 after."""
    return "原告" if is_filed(case) else "申请人"


def party_role_word(case: Case, party: Party) -> str:
    """诉讼地位 as of now: 申请人 / 被申请人 before 登记立案, 原告 / 被告 after; other roles by their label."""
    filed = is_filed(case)
    if party.role == PartyRole.PLAINTIFF:
        return "原告" if filed else "申请人"
    if party.role == PartyRole.DEFENDANT:
        return "被告" if filed else "被申请人"
    return party.role.label
