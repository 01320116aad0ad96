"""The two notices the filing window hands out after 登记立案: 受理案件通知书 (KIND ``acceptance-notice``)
and 交纳诉讼费用通知书 (KIND ``fee-notice``).

Wording: ``resources/templates/acceptance-notice.toml`` and ``fee-notice.toml`` (DOCUMENTS.md §0, §6).
This module supplies the values; both refuse a case that has not been registered (no 案号).

- The fee is the desk's fee calculator (:func:`services.filing.fees.calculate_fee`), step by step as the
  立案审查 page shows it, on the case's 诉讼请求金额 with the court's ranged amounts (setting
  ``fees.overrides``) and halved for 简易程序 / 小额诉讼 (《诉讼费用交纳办法》第十六条).
- Deadline: 7 days from the day after the notice is received (《诉讼费用交纳办法》第二十二条第一款);
  consequence: 按撤诉处理 (《最高人民法院关于人民法院登记立案若干问题的规定》第十一条, 民诉法解释第二百一十三条).
- Court settings: ``documents.fee_notice.account_name`` / ``.bank`` / ``.account_number`` (the court's
  fee account; empty → lines to fill in), ``documents.acceptance_notice.contact_name`` / ``.contact_phone``.

Options: ``issued_on`` (落款日期; default the filing date), ``contact_name``, ``contact_phone``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind, is_filed, party_names, you_word
from baihe_desk.documents.settings import get_setting
from baihe_desk.documents.templates import FieldValue, Placeholder
from baihe_desk.documents.text import arabic_date, chinese_date, money_in_words, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, PartyRole, User
from baihe_desk.models.case import Procedure

ACCEPTANCE_KIND = "acceptance-notice"
FEE_KIND = "fee-notice"
FEE_OVERRIDES_SETTING = "fees.overrides"

COMMON = {
    "court_name": Placeholder("法院名称", True, "吉林省白河林区基层法院"),
    "case_number": Placeholder("案号", True, "（2026）吉7502民初118号"),
    "addressee": Placeholder("受通知人（原告）", True, "王堃"),
    "you": Placeholder("称呼（你／你单位）", True, "你"),
    "defendants": Placeholder("被告", False, "李喆玥"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "received_date": Placeholder("收到起诉状日期", False, "2026年11月20日"),
    "filed_date": Placeholder("立案日期", True, "2026年11月24日"),
    "issue_date": Placeholder("落款日期", True, "二〇二六年十一月二十四日"),
    "contact_name": Placeholder("联系人", False, ""),
    "contact_phone": Placeholder("联系电话", False, "0433-5550123"),
    "court_address": Placeholder("法院地址", False, "白河林区站前街1号"),
}
ACCEPTANCE_PLACEHOLDERS = {
    **COMMON,
    "procedure": Placeholder("审理程序", False, "简易程序"),
    "small_claims": Placeholder("小额诉讼", False, False),
    "fee_total": Placeholder("案件受理费（元）", False, "60.00"),
}
FEE_PLACEHOLDERS = {
    **COMMON,
    "steps": Placeholder("计算过程", True, [
        {"no": "1", "text": "财产案件，诉讼请求金额 12,800.00 元", "basis": "《诉讼费用交纳办法》第十三条第（一）项"},
        {"no": "2", "text": "案件受理费：120.00 元", "basis": "《诉讼费用交纳办法》第十三条第（一）项"},
        {"no": "3", "text": "适用简易程序审理，减半交纳：120.00 ÷ 2 = 60.00 元", "basis": "《诉讼费用交纳办法》第十六条"},
    ]),
    "fee_total": Placeholder("应交纳金额（元）", True, "60.00"),
    "fee_words": Placeholder("应交纳金额（大写）", True, "陆拾元整"),
    "waiver_kinds": Placeholder("可申请的司法救助", True, "缓交、减交或者免交"),
    "account_name": Placeholder("收款单位", False, ""),
    "bank": Placeholder("开户银行", False, ""),
    "account_number": Placeholder("账号", False, ""),
}


def fee_kind_for_cause(cause: str) -> str:
    """The fee calculator's kind for a 案由 (as the 立案审查 page preselects it)."""
    if "离婚" in cause:
        return "divorce"
    if "劳动争议" in cause or cause.startswith("劳动"):
        return "labor"
    return "property"


def case_fee(session: Session, case: Case):  # type: ignore[no-untyped-def]
    """The calculator's result for the case (FeeResult), halved for 简易程序 and 小额诉讼."""
    from baihe_desk.services.filing.fees import calculate_fee

    kind = fee_kind_for_cause(case.cause_name or "")
    amount = case.claim_amount if kind != "labor" else None
    if kind == "property" and amount is None:
        raise KnownError("本案没有登记诉讼请求金额，无法计算案件受理费。请先在案件中填写诉讼请求金额。")
    simple = case.procedure in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS)
    overrides = get_setting(session, FEE_OVERRIDES_SETTING, {}) or {}
    return calculate_fee(kind, amount, simple_procedure=simple, overrides=overrides)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _common(session: Session, case: Case, court: CourtProfile, options: dict[str, Any], title: str,
            setting: str) -> dict[str, Any]:
    if not is_filed(case) or not case.case_number:
        raise KnownError(f"本案尚未登记立案（{case.stage.label}），没有案号，不能生成{title}。"
                         f"{title}在登记立案后发给原告。")
    plaintiffs = [p for p in case.parties if p.role == PartyRole.PLAINTIFF]
    if not plaintiffs:
        raise KnownError(f"本案尚未登记原告，无法生成{title}。")
    filed_on = case.filed_on or case.received_on
    issued_on = options.get("issued_on") or filed_on
    if not isinstance(issued_on, date):
        raise KnownError("落款日期有误。")
    judge = session.get(User, case.judge_id) if case.judge_id else None

    def option(name: str, default: Any = "") -> Any:
        if options.get(name) not in (None, ""):
            return options[name]
        value = get_setting(session, setting + name, "")
        return default if value in (None, "") else value

    return {
        "court_name": one_line(court.name),
        "case_number": one_line(case.case_number),
        "addressee": party_names(case, PartyRole.PLAINTIFF),
        "you": you_word(plaintiffs),
        "defendants": party_names(case, PartyRole.DEFENDANT),
        "cause": one_line(case.cause_name),
        "received_date": arabic_date(case.received_on),
        "filed_date": arabic_date(filed_on),
        "issue_date": chinese_date(issued_on),
        "contact_name": one_line(option("contact_name", judge.display_name if judge else "")),
        "contact_phone": one_line(option("contact_phone", (judge.phone if judge else "") or court.filing_phone
                                         or court.phone)),
        "court_address": one_line(court.address),
    }


def acceptance_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    values = _common(session, case, court, options, "受理案件通知书", "documents.acceptance_notice.")
    try:
        fee = _money(case_fee(session, case).total)
    except KnownError:
        fee = ""  # the fee notice says why; the acceptance notice only refers to it
    return {**values, "procedure": case.procedure.label if case.procedure else "",
            "small_claims": case.procedure == Procedure.SMALL_CLAIMS, "fee_total": fee}


def fee_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    values = _common(session, case, court, options, "交纳诉讼费用通知书", "documents.fee_notice.")
    result = case_fee(session, case)
    if result.total <= 0:
        raise KnownError("本案按规定不需预交案件受理费，不生成交纳诉讼费用通知书。")
    organisations_only = values["you"] == "你单位"

    def setting(name: str) -> str:
        return one_line(get_setting(session, "documents.fee_notice." + name, "") or "")

    steps = [{"no": str(i), "text": FieldValue(st.text, "计算过程"), "basis": FieldValue(st.basis, "计算依据")}
             for i, st in enumerate(result.steps, 1)]
    return {**values, "steps": steps, "fee_total": _money(result.total), "fee_words": money_in_words(result.total),
            # 免交 only for natural persons (《诉讼费用交纳办法》第四十四条第二款)
            "waiver_kinds": "缓交或者减交" if organisations_only else "缓交、减交或者免交",
            "account_name": setting("account_name"), "bank": setting("bank"),
            "account_number": setting("account_number")}


ACCEPTANCE_NOTICE = DocumentKind(ACCEPTANCE_KIND, "受理案件通知书", ACCEPTANCE_PLACEHOLDERS, acceptance_values)
FEE_NOTICE = DocumentKind(FEE_KIND, "交纳诉讼费用通知书", FEE_PLACEHOLDERS, fee_values)
