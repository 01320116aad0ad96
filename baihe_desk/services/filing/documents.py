"""立案窗口的两份文书: 补正通知书 (KIND ``correction-notice``) and 送达地址确认书 (KIND
``address-confirmation``).

The wording is in ``resources/templates/correction-notice.toml`` and ``address-confirmation.toml``
(DOCUMENTS.md §2, §3); this module supplies the values, built on the services'
``complaint_review.correction_notice_data`` and ``service_address.address_confirmation_data``.

Options (``documents.generate(..., options=...)``):

- correction-notice: ``review_id`` (the review round that ended with 通知补正; default the case's
  latest such round), ``issued_on`` (落款日期; default the round's decision date),
  ``contact_name`` / ``contact_phone``;
- address-confirmation: ``party_id`` (default the first plaintiff), ``issued_on`` (unused on the form).

Court settings (JSON in the ``setting`` table; empty → a line to fill in by hand):

- ``documents.correction_notice.contact_name`` (default ""): the filing-window contact;
- ``documents.correction_notice.contact_phone`` (default: the court's 立案咨询电话);
- ``documents.correction_notice.submit_how`` (default "到本院诉讼服务中心（立案窗口）提交，也可以邮寄至本院"):
  how corrections may be handed in — local practice, so a setting.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind, party_role_word, signature_word, you_word
from baihe_desk.documents.settings import get_setting
from baihe_desk.documents.templates import FieldValue, Placeholder
from baihe_desk.documents.text import arabic_date, chinese_date, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, Party, PartyKind, PartyRole
from baihe_desk.models.review import ComplaintReview, ReviewOutcome

CORRECTION_KIND = "correction-notice"
ADDRESS_KIND = "address-confirmation"
CORRECTION_SETTING = "documents.correction_notice."
DEFAULT_SUBMIT_HOW = "到本院诉讼服务中心（立案窗口）提交，也可以邮寄至本院"

_CITATION = re.compile(r"^(《[^》]+》)(.+)$")


def merge_citations(basis: list[str]) -> str:
    """["《法》第一条", "《法》第二条", "《规定》第七条"] → "《法》第一条、第二条；《规定》第七条"."""
    groups: dict[str, list[str]] = {}
    for cite in basis:
        m = _CITATION.match(cite.strip())
        law, article = (m.group(1), m.group(2)) if m else (cite.strip(), "")
        groups.setdefault(law, [])
        if article and article not in groups[law]:
            groups[law].append(article)
    return "；".join(law + "、".join(arts) for law, arts in groups.items())


def _as_date(value: Any, what: str) -> date:
    if not isinstance(value, date):
        raise KnownError(f"{what}有误。")
    return value


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise KnownError(f"{what}有误：{value}") from None


class _OfCase(Protocol):
    case_id: uuid.UUID


_R = TypeVar("_R", bound=_OfCase)


def _chosen(session: Session, model: type[_R], value: Any, case: Case, what: str) -> _R | None:
    """The record an option names by id (None when it names none); KnownError when it is not the case's."""
    if value in (None, ""):
        return None
    row = session.get(model, _uuid(value, what))
    if row is None or row.case_id != case.id:
        raise KnownError(f"所选{what}不属于本案。")
    return row


# ── 补正通知书 ─────────────────────────────────────────────────────────────────────────────────────

CORRECTION_PLACEHOLDERS = {
    "court_name": Placeholder("法院名称", True, "吉林省白河林区基层法院"),
    "case_number": Placeholder("案号", False, ""),
    "receipt_number": Placeholder("收件号", True, "收2026-0001"),
    "addressee": Placeholder("受通知人（申请人）", True, "王堃"),
    "you": Placeholder("称呼（你／你单位）", False, "你"),
    "signature": Placeholder("回执签名栏", False, "签名（捺印）"),
    "defendants": Placeholder("被告", False, "李喆玥"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "received_date": Placeholder("收到起诉材料日期", True, "2026年11月2日"),
    "items": Placeholder("补正事项", True, [
        {"no": "1", "defect": "起诉状所列被告信息不足以使被告与他人相区别", "note": "被告仅有姓名",
         "fix": "请补充被告的公民身份号码、住所和联系电话。",
         "basis": "《中华人民共和国民事诉讼法》第一百二十二条第二项"},
        {"no": "2", "defect": "委托诉讼代理人未提交授权委托书", "note": "",
         "fix": "请提交由委托人签名或者盖章的授权委托书。",
         "basis": "《最高人民法院关于人民法院登记立案若干问题的规定》第六条第二项"},
    ]),
    "item_count": Placeholder("补正事项数", True, 2),
    "correction_days": Placeholder("补正期限（日）", True, 15),
    "deadline_date": Placeholder("补正期限届满日", True, "2026年11月18日"),
    "submit_how": Placeholder("提交方式", False, DEFAULT_SUBMIT_HOW),
    "contact_name": Placeholder("联系人", False, ""),
    "contact_phone": Placeholder("联系电话", False, "0433-5710001"),
    "court_address": Placeholder("法院地址", False, ""),
    "issue_date": Placeholder("落款日期", True, "二〇二六年十一月三日"),
    "round_no": Placeholder("审查轮次", False, 1),
}


def correction_review(session: Session, case: Case, review_id: Any = None) -> ComplaintReview:
    """The review round the notice is for: ``review_id``, else the case's latest round ended with 补正."""
    review = _chosen(session, ComplaintReview, review_id, case, "审查记录")
    if review is not None:
        return review
    review = session.scalars(select(ComplaintReview).where(
        ComplaintReview.case_id == case.id, ComplaintReview.outcome == ReviewOutcome.CORRECTION)
        .order_by(ComplaintReview.round_no.desc()).limit(1)).first()
    if review is None:
        raise KnownError("本案没有以“通知补正”结束的立案审查，不能生成补正通知书。请先完成立案审查。")
    return review


def correction_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    from baihe_desk.services.filing.complaint_review import correction_notice_data

    review = correction_review(session, case, options.get("review_id"))
    data = correction_notice_data(session, review)
    if not data["addressees"]:
        raise KnownError("本案尚未登记原告（起诉人），无法生成补正通知书。")
    if not data["items"]:
        raise KnownError("该轮审查没有补正事项，不能生成补正通知书。")

    def option(name: str, default: Any = "") -> Any:
        if options.get(name) not in (None, ""):
            return options[name]
        value = get_setting(session, CORRECTION_SETTING + name, default)
        return default if value in (None, "") else value

    plaintiffs = [p for p in case.parties if p.role is PartyRole.PLAINTIFF]
    items = [{
        "no": str(it["no"]),
        "defect": FieldValue(it["defect"], "补正事项"),
        "note": FieldValue(one_line(it.get("note", "")).rstrip("。．.；;，, "), "补正事项具体情况"),
        "fix": FieldValue(it["fix"], "补正要求"),
        "basis": FieldValue(merge_citations(list(it["basis"])), "法律依据"),
    } for it in data["items"]]
    issued_on = _as_date(options.get("issued_on") or data["notice_date"], "落款日期")
    return {
        "court_name": one_line(court.name),
        "case_number": one_line(case.case_number),
        "receipt_number": one_line(case.receipt_number),
        "addressee": "、".join(one_line(n) for n in data["addressees"]),
        "you": you_word(plaintiffs) if plaintiffs else "你（你单位）",
        "signature": signature_word(plaintiffs) if plaintiffs else "签名（捺印）",
        "defendants": "、".join(one_line(n) for n in data["defendants"]),
        "cause": one_line(case.cause_name),
        "received_date": arabic_date(_as_date(data["received_on"], "收到材料日期")),
        "items": items,
        "item_count": len(items),
        "correction_days": data["correction_days"],
        "deadline_date": arabic_date(_as_date(data["deadline"], "补正期限")),
        "submit_how": one_line(option("submit_how", DEFAULT_SUBMIT_HOW)),
        "contact_name": one_line(option("contact_name")),
        "contact_phone": one_line(option("contact_phone", court.filing_phone or court.phone)),
        "court_address": one_line(court.address),
        "issue_date": chinese_date(issued_on),
        "round_no": data["round_no"],
    }


CORRECTION_NOTICE = DocumentKind(CORRECTION_KIND, "补正通知书", CORRECTION_PLACEHOLDERS, correction_values)


# ── 送达地址确认书 ─────────────────────────────────────────────────────────────────────────────────

ADDRESS_PLACEHOLDERS = {
    "court_name": Placeholder("法院名称", True, "吉林省白河林区基层法院"),
    "case_number": Placeholder("案号", False, ""),
    "receipt_number": Placeholder("收件号", True, "收2026-0001"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "party_name": Placeholder("受送达人", True, "王堃"),
    "party_role": Placeholder("诉讼地位", True, "原告"),
    "id_type": Placeholder("证件类型", False, "居民身份证"),
    "id_number": Placeholder("证件号码", False, "222426198604120011"),
    "address": Placeholder("送达地址", False, "吉林省安图县二道白河镇白山大街1号"),
    "postcode": Placeholder("邮政编码", False, "133613"),
    "phone": Placeholder("联系电话", False, "13943301234"),
    "recipient_name": Placeholder("指定签收人", False, ""),
    "recipient_relation": Placeholder("与受送达人关系", False, ""),
    "recipient_id_number": Placeholder("签收人证件号码", False, ""),
    "recipient_phone": Placeholder("签收人联系电话", False, ""),
    "signed": Placeholder("已签署", False, False),
    "signature": Placeholder("签名栏（签名（捺印）／签名（盖章））", False, "签名（捺印）"),
    "self_word": Placeholder("自称（本人／本单位）", False, "本人"),
    "blank_form": Placeholder("空白表（未登记签署）", False, True),
    "e_consent": Placeholder("同意电子送达", False, False),
    "e_refused": Placeholder("不同意电子送达", False, False),
    "e_mobile": Placeholder("电子送达手机号码", False, ""),
    "e_email": Placeholder("电子送达电子邮箱", False, ""),
    "e_wechat": Placeholder("电子送达微信号", False, ""),
    "confirmed_by": Placeholder("签署人", False, ""),
    "confirmed_date": Placeholder("签署日期", False, ""),
    "filing_phone": Placeholder("法院联系电话", False, "0433-5710001"),
}


def address_party(session: Session, case: Case, party_id: Any = None) -> Party:
    party = _chosen(session, Party, party_id, case, "当事人")
    if party is not None:
        return party
    party = next((p for p in case.parties if p.role is PartyRole.PLAINTIFF), None)
    if party is None:
        raise KnownError("本案尚未登记当事人，无法生成送达地址确认书。")
    return party


def address_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    from baihe_desk.services.filing.service_address import address_confirmation_data

    party = address_party(session, case, options.get("party_id"))
    data = address_confirmation_data(session, case, party)
    rec, chans = data["recipient"], data["e_channels"]
    signed, consent = bool(data["signed"]), bool(data["e_service_consent"])
    return {
        "court_name": one_line(court.name),
        "case_number": one_line(case.case_number),
        "receipt_number": one_line(case.receipt_number),
        "cause": one_line(case.cause_name),
        "party_name": one_line(data["party_name"]),
        "party_role": party_role_word(case, party),
        "signature": signature_word([party]),
        "self_word": "本人" if party.kind is PartyKind.NATURAL else "本单位",
        "id_type": data["id_type"],
        "id_number": one_line(data["id_number"]),
        "address": one_line(data["address"]),
        "postcode": one_line(data["postcode"]),
        "phone": one_line(data["phone"]),
        "recipient_name": one_line(rec.get("name")),
        "recipient_relation": one_line(rec.get("relation")),
        "recipient_id_number": one_line(rec.get("id_number")),
        "recipient_phone": one_line(rec.get("phone")),
        "signed": signed,
        "blank_form": not signed,
        "e_consent": consent,
        "e_refused": signed and not consent,
        "e_mobile": one_line(chans.get("mobile")),
        "e_email": one_line(chans.get("email")),
        "e_wechat": one_line(chans.get("wechat")),
        "confirmed_by": one_line(data["confirmed_by_name"]),
        "confirmed_date": arabic_date(data["confirmed_on"]) if data["confirmed_on"] else "",
        "filing_phone": one_line(court.filing_phone or court.phone),
    }


ADDRESS_CONFIRMATION = DocumentKind(ADDRESS_KIND, "送达地址确认书", ADDRESS_PLACEHOLDERS, address_values)
