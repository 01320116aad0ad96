"""诉前调解告知书 (KIND ``mediation-notice``): the notice of pre-litigation mediation to the plaintiff.

Contents (DOMAIN.md §4, DOCUMENTS.md §1) are in the template ``resources/templates/
mediation-notice.toml``; this module supplies the values. Court-variable parts:

- ``documents.mediation_notice.days`` (default 30, 特邀调解规定 art. 27);
- ``documents.mediation_notice.mediator_org`` / ``.contact_name`` / ``.contact_phone``: defaults
  for the mediator and contact (per-generation options override them; empty → a line to fill in);
- ``documents.mediation_notice.limitation_note`` (default false): the sentence that filing
  interrupts the limitation period — local practice, not verified against a national text, so a
  court switches it on deliberately;
- the filing phone and address come from the court profile.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.documents.builder import (
    DocumentKind,
    first_party,
    is_filed,
    party_address,
    party_names,
    signature_word,
    today,
    you_word,
)
from baihe_desk.documents.settings import get_setting
from baihe_desk.documents.templates import Placeholder
from baihe_desk.documents.text import arabic_date, chinese_date, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, PartyRole, Stage

KIND = "mediation-notice"
SETTING = "documents.mediation_notice."

PLACEHOLDERS = {
    "court_name": Placeholder("法院名称", True, "吉林省白河林区基层法院"),
    "case_number": Placeholder("案号", False, ""),
    "receipt_number": Placeholder("收件号", True, "收2026-0001"),
    "addressee": Placeholder("受告知人（申请人）", True, "王堃"),
    "you": Placeholder("称呼（你／你单位）", False, "你"),
    "signature": Placeholder("签名栏（签名（捺印）／签名（盖章））", False, "签名（捺印）"),
    "defendants": Placeholder("对方当事人（被告）", False, "李喆玥、刘䶮"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "received_date": Placeholder("收到起诉材料日期", True, "2026年11月20日"),
    "issue_date": Placeholder("落款日期", True, "二〇二六年十一月二十六日"),
    "mediation_days": Placeholder("调解期限（日）", True, 30),
    "mediator_org": Placeholder("调解组织或调解员", False, ""),
    "contact_name": Placeholder("调解员（工作人员）", False, ""),
    "contact_phone": Placeholder("联系电话", False, ""),
    "filing_phone": Placeholder("立案咨询电话", False, "0433-0000000"),
    "court_address": Placeholder("法院地址", False, ""),
    "limitation_note": Placeholder("诉讼时效提示", False, False),
    "addressee_address": Placeholder("受告知人地址", False, ""),
}
OPTIONS = ("mediator_org", "contact_name", "contact_phone", "limitation_note", "mediation_days")


def _days(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        raise KnownError(f"调解期限设置有误（{value!r}），应为 1 至 365 之间的天数。")
    return days


def assigned_contact(session: Session, case_id: Any) -> dict[str, str]:
    """Organisation, mediator and phone of the case's newest mediation record (empty before assignment).

    Used both by the window (hand-out) and by ``baihe-desk render``, so the two say the same thing.
    """
    from sqlalchemy import select

    from baihe_desk.models.mediation import MediationCase, MediationOrganisation, Mediator

    m = session.scalars(select(MediationCase).where(MediationCase.case_id == case_id)
                        .order_by(MediationCase.created_at.desc()).limit(1)).first()
    if m is None or m.organisation_id is None:
        return {}
    org = session.get(MediationOrganisation, m.organisation_id)
    mediator = session.get(Mediator, m.mediator_id) if m.mediator_id else None
    out: dict[str, str] = {}
    if org is not None:
        out["mediator_org"] = f"{org.name}（{org.location}）" if org.location else org.name
        if org.phone:
            out["contact_phone"] = org.phone
    if mediator is not None:
        out["contact_name"] = mediator.name
        if mediator.phone:
            out["contact_phone"] = mediator.phone
    return out


def values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    """Placeholder values for one case. ``options`` (from the caller) override the settings;
    ``issued_on`` (a date) sets the 落款 date (default: today in Asia/Shanghai)."""
    if is_filed(case) or case.stage not in (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION):
        where = f"已登记立案（案号：{case.case_number}）" if is_filed(case) and case.case_number \
            else f"处于“{case.stage.label}”阶段"
        raise KnownError(f"本案{where}，不能生成诉前调解告知书：诉前调解告知书只发给登记立案前（收件、立案审查阶段）"
                         "的案件。立案后需要调解的，请在审理中组织调解或者委托调解。")
    addressee = party_names(case, PartyRole.PLAINTIFF)
    plaintiffs = [p for p in case.parties if p.role == PartyRole.PLAINTIFF]
    if not addressee:
        raise KnownError("本案尚未登记申请人（起诉人），无法生成诉前调解告知书。请先在案件中补充当事人。")

    options = {**assigned_contact(session, case.id), **{k: v for k, v in options.items() if v not in (None, "")}}

    def option(name: str, default: Any = "", setting: str | None = None) -> Any:
        if options.get(name) not in (None, ""):
            return options[name]
        return get_setting(session, SETTING + (setting or name), default)

    issued_on = options.get("issued_on") or today()
    if not isinstance(issued_on, date):
        raise KnownError("落款日期有误。")
    return {
        "court_name": one_line(court.name),
        "case_number": one_line(case.case_number),
        "receipt_number": one_line(case.receipt_number),
        "addressee": addressee,
        "you": you_word(plaintiffs),
        "signature": signature_word(plaintiffs),
        "defendants": party_names(case, PartyRole.DEFENDANT),
        "cause": one_line(case.cause_name),
        "received_date": arabic_date(case.received_on),
        "issue_date": chinese_date(issued_on),
        "mediation_days": _days(option("mediation_days", 30, setting="days")),
        "mediator_org": one_line(option("mediator_org")),
        "contact_name": one_line(option("contact_name")),
        "contact_phone": one_line(option("contact_phone")),
        "filing_phone": one_line(court.filing_phone or court.phone),
        "court_address": one_line(court.address),
        "limitation_note": bool(option("limitation_note", False)),
        "addressee_address": party_address(first_party(case, PartyRole.PLAINTIFF)),
    }


MEDIATION_NOTICE = DocumentKind(KIND, "诉前调解告知书", PLACEHOLDERS, values)
