"""可执行性检查 — the draft-terms checker of the 执行咨询函.

Pure functions over plain data (no database, no Qt), so the editor can run them on every keystroke.
:func:`check_terms` returns the common enforceability gaps of draft 判项 / settlement terms, each with
a Chinese explanation and its legal basis. The binding test is 民诉法解释第四百六十一条 (权利义务主体
明确、给付内容明确; 继续履行合同的应当明确具体内容); the clarity list of 法发〔2018〕9号 (amount, interest
base/rate/start and end, object name/quantity/features, time and manner …) is cited as 参照 without an
article number, because that number is not confirmed (DOCUMENTS.md §4).

Severity ``gap`` (缺陷): without a change the term is likely not enforceable as written, or only in part.
Severity ``hint`` (提示): enforcement is harder or slower (e.g. no ID number for an obligor).

``CHECKER_VERSION`` is recorded on a consultation when it is sent, with the findings of that moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from baihe_desk.errors import ValidationError
from baihe_desk.models.enforcement import TermKind
from baihe_desk.services.common.money_input import amount_digits

CHECKER_VERSION = "2026.1"

GAP, HINT = "gap", "hint"
SEVERITY_LABELS = {GAP: "缺陷", HINT: "提示"}

INTERPRETATION = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
ART461_SUBJECT = f"{INTERPRETATION}第四百六十一条第一款第（一）项：申请执行的生效法律文书应当权利义务主体明确"
ART461_CONTENT = f"{INTERPRETATION}第四百六十一条第一款第（二）项：申请执行的生效法律文书应当给付内容明确"
ART461_CONTINUE = f"{INTERPRETATION}第四百六十一条第二款：法律文书确定继续履行合同的，应当明确继续履行的具体内容"
CPL250 = ("《中华人民共和国民事诉讼法》第二百五十条第二款：申请执行期间从法律文书规定履行期间的最后一日起计算；"
          "规定分期履行的，从最后一期履行期限届满之日起计算；未规定履行期间的，从法律文书生效之日起计算")
MEDIATION8 = ("《最高人民法院关于人民法院民事调解工作若干问题的规定》第八条：调解协议约定一方不履行协议应当承担民事责任的，"
              "应予准许；约定一方不履行协议，另一方可以请求人民法院对案件作出裁判的条款，不予准许")
MEDIATION9 = ("《最高人民法院关于人民法院民事调解工作若干问题的规定》第九条第二款：案外人提供担保的，"
              "人民法院制作调解书应当列明担保人")
MEDIATION15 = ("《最高人民法院关于人民法院民事调解工作若干问题的规定》第十五条第一款：调解书确定的担保条款条件"
               "或者承担民事责任的条件成就时，当事人申请执行的，人民法院应当依法执行")
OPINION_2018 = ("参照《最高人民法院关于人民法院立案、审判与执行工作协调运行的意见》（法发〔2018〕9号）"
                "关于裁判主文应当明确具体的要求")

GENERIC_PARTIES = ("被告", "被告方", "各被告", "原告", "原告方", "各原告", "对方", "对方当事人", "双方",
                   "其", "义务人", "债务人", "权利人", "债权人", "担保人", "第三人")
VAGUE_TIME = ("尽快", "及时", "合理期限", "合理期间", "近期", "适当时候", "适时", "另行协商", "协商确定", "视情况")
VAGUE_RATE = ("按约定", "按照约定", "依约", "按合同约定", "按借条约定")
OLD_BENCHMARK = ("同期银行贷款利率", "同期同类贷款利率", "银行同期贷款利率", "贷款基准利率", "同期贷款利率")
FORBIDDEN_MEDIATION = re.compile(r"(请求|申请|要求)(人民)?法院.{0,6}(裁判|判决)")
TRAILING = "。；;，, "  # what a typed value may end with that says nothing (the 咨询函 prints the rest)
# 案件受理费（诉讼费、保全费…）由某方负担: an ordinary cost clause, not a payment between the parties
COST_CLAUSE = re.compile(r"(案件受理费|受理费|诉讼费用?|保全申请费|保全费|申请费|公告费|鉴定费)[^。；]*由[^。；]*(负担|承担)")
NUMERAL = re.compile(r"[0-9０-９一二两三四五六七八九十百千万]")
NAME_SPLIT = re.compile(r"[、，,；;／/\s]+")  # never 和/与/及: they occur inside names


@dataclass
class Instalment:
    due: date | None
    amount: Decimal | None


@dataclass
class TermData:
    """One draft term as the checker sees it (mirrors ``ConsultationTerm``)."""

    seq: int = 1
    kind: TermKind = TermKind.MONEY
    text: str = ""
    obligors: str = ""
    obligees: str = ""
    liability: str = ""
    liability_wording: str = ""
    amount: Decimal | None = None
    has_interest: bool = False
    interest_basis: str = ""
    interest_rate: str = ""
    interest_start: str = ""
    interest_end: str = ""
    instalments: list[Instalment] = field(default_factory=list)
    acceleration: str = ""
    guarantor: str = ""
    guarantee_mode: str = ""
    guarantee_scope: str = ""
    object_desc: str = ""
    act_content: str = ""
    perform_by: str = ""
    perform_manner: str = ""


@dataclass
class PartyData:
    name: str
    role_label: str = ""  # 原告 / 被告 / 第三人 / 担保人 / 案外人
    id_code: str = ""


@dataclass(frozen=True)
class Gap:
    code: str
    term_seq: int | None  # None: the consultation as a whole
    field: str  # which input (TermData attribute) to fix
    severity: str  # gap / hint
    message: str  # Chinese explanation
    basis: tuple[str, ...]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def where(self) -> str:
        return f"第{self.term_seq}项" if self.term_seq is not None else "整体"

    def as_dict(self) -> dict:
        return {"code": self.code, "term_seq": self.term_seq, "field": self.field, "severity": self.severity,
                "message": self.message, "basis": list(self.basis)}

    @classmethod
    def from_dict(cls, data: dict) -> Gap:
        return cls(data["code"], data.get("term_seq"), data.get("field", ""), data.get("severity", GAP),
                   data.get("message", ""), tuple(data.get("basis") or ()))


def split_names(text: str) -> list[str]:
    """Names written in one field: 李喆玥、刘䶮 → [李喆玥, 刘䶮] (also split at ，,；/ and spaces)."""
    return [n for n in (p.strip() for p in NAME_SPLIT.split(text or "")) if n]


def money_problem(text: object, field: str = "金额") -> str | None:
    """Why a typed amount cannot be read (Chinese, naming ``field``), or None if it reads or is blank."""
    if text is None or isinstance(text, Decimal):
        return None
    try:
        s = amount_digits(str(text), field)
    except ValidationError as exc:
        return exc.message
    if s and parse_money(s) is None:
        return f"{field}：请填写数字金额（元），如 120000"
    return None


def parse_money(text: object) -> Decimal | None:
    """``"12,500.50"`` / ``"12500元"`` → Decimal; blank or unreadable (``"123,45"``: see
    :func:`money_problem` for why) → None."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    try:
        s = amount_digits(str(text), "金额")
    except ValidationError:
        return None
    if not s:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def trimmed(t: TermData) -> TermData:
    """The term with every text value stripped of spaces and of a final 。；， (as the 咨询函 prints it), so a
    value of "。" is as blank to the checker as it is in the letter's 要素 line."""
    return replace(t, **{f.name: getattr(t, f.name).strip().rstrip(TRAILING).strip() for f in fields(t)
                         if f.name != "text" and type(getattr(t, f.name)) is str})


def is_cost_clause(t: TermData) -> bool:
    """案件受理费XX元，由被告负担: who bears the court's costs, paid to the court or back to the one who
    prepaid them; it needs no 权利人, 履行期限 or 履行方式 of its own."""
    return (t.kind is TermKind.MONEY and not t.instalments and not t.has_interest
            and bool(COST_CLAUSE.search(t.text or "")))


class _Checker:
    def __init__(self, parties: list[PartyData], terms_kind: str):
        self.parties = parties
        self.settlement = terms_kind == "settlement"
        self.gaps: list[Gap] = []
        self.by_name = {p.name.strip(): p for p in parties if p.name.strip()}

    def add(self, code: str, seq: int | None, fld: str, severity: str, message: str, *basis: str) -> None:
        self.gaps.append(Gap(code, seq, fld, severity, message, tuple(basis)))

    # -- 主体明确 ---------------------------------------------------------------------------------
    def names(self, t: TermData, fld: str, label: str, required: bool) -> list[str]:
        names = split_names(getattr(t, fld))
        if not names:
            if required:
                self.add(f"{fld}_missing", t.seq, fld, GAP,
                         f"未写明{label}。执行依据须写明由谁向谁履行，{label}不明的，不能据以申请执行。",
                         ART461_SUBJECT)
            return []
        for name in names:
            if name in GENERIC_PARTIES:
                same_role = [p for p in self.parties if p.role_label and p.role_label in name]
                if len(same_role) != 1:
                    count = f"本案有{len(same_role)}名{same_role[0].role_label}，" if same_role else ""
                    self.add(f"{fld}_ambiguous", t.seq, fld, GAP,
                             f"{label}写作“{name}”，{count}无法确定具体由谁履行或受领；请写明姓名或名称。",
                             ART461_SUBJECT)
                continue
            party = self.by_name.get(name)
            if party is None:
                self.add(f"{fld}_unknown", t.seq, fld, GAP,
                         f"{label}“{name}”不在本咨询函的当事人（担保人）名单中，请核对姓名或名称是否与身份证件、"
                         f"营业执照一致，或在当事人中补充其身份信息。", ART461_SUBJECT)
            elif fld == "obligors" and not party.id_code.strip():
                self.add("obligor_identity", t.seq, fld, HINT,
                         f"义务人“{name}”未登记身份证号或统一社会信用代码。执行立案、财产查控均以准确身份信息为准，"
                         f"建议补充。", ART461_SUBJECT)
        return names

    def liability(self, t: TermData, obligors: list[str]) -> None:
        named = [n for n in obligors if n not in GENERIC_PARTIES]
        if len(named) < 2:
            return
        who = "、".join(named)
        if t.liability not in ("joint", "several"):
            self.add("joint_wording_missing", t.seq, "liability", GAP,
                     f"本项有多个义务人（{who}），但未写明承担连带责任还是按份责任。未写明的，执行时无法确定"
                     f"每人应履行的范围；连带的，应写明“对……承担连带清偿责任”。", ART461_CONTENT, OPINION_2018)
        elif t.liability == "several" and not (t.liability_wording.strip() and NUMERAL.search(t.liability_wording)):
            self.add("several_shares_missing", t.seq, "liability_wording", GAP,
                     f"本项为按份责任，但未写明{who}各自承担的数额或份额。", ART461_CONTENT)

    # -- 给付内容明确 -------------------------------------------------------------------------------
    def money(self, t: TermData) -> None:
        if t.amount is None or t.amount <= 0:
            self.add("amount_missing", t.seq, "amount", GAP,
                     "未写明给付金额。金钱给付须有确定的数额（或可据以计算的明确标准）。", ART461_CONTENT, OPINION_2018)
        if t.has_interest:
            for fld, label, why in (
                ("interest_basis", "利息（违约金）的计算基数", "如“以未付本金为基数”或写明具体金额"),
                ("interest_rate", "利率（计算标准）", "如“按年利率3.65%”或“按一年期贷款市场报价利率的1.5倍”"),
                ("interest_start", "利息起算日", "如“自2025年3月1日起”"),
                ("interest_end", "利息截止日", "如“至实际清偿之日止”"),
            ):
                if not getattr(t, fld).strip():
                    self.add(f"{fld}_missing", t.seq, fld, GAP,
                             f"计付利息但未写明{label}（{why}），执行中无法计算利息数额。", ART461_CONTENT, OPINION_2018)
            rate = t.interest_rate.strip()
            if rate and any(w in rate for w in VAGUE_RATE) and not re.search(r"\d", rate):
                self.add("interest_rate_vague", t.seq, "interest_rate", GAP,
                         f"利率写作“{rate}”，执行依据中看不到具体利率，执行时无法计算；请写明利率数值。",
                         ART461_CONTENT)
            if rate and any(w in rate for w in OLD_BENCHMARK):
                self.add("interest_rate_benchmark", t.seq, "interest_rate", HINT,
                         f"利率写作“{rate}”：贷款基准利率已不再作为计息参考，写法易生争议；宜写明具体利率，或写明"
                         f"“一年期贷款市场报价利率（LPR）”及倍数、取值日。", ART461_CONTENT)

    def instalments(self, t: TermData) -> None:
        if not t.instalments:
            return
        incomplete = [i for i, p in enumerate(t.instalments, 1) if p.due is None or p.amount is None or p.amount <= 0]
        if incomplete:
            self.add("instalment_incomplete", t.seq, "instalments", GAP,
                     f"分期履行的第{'、'.join(map(str, incomplete))}期未写明履行日期或金额。", ART461_CONTENT, CPL250)
        total = sum((p.amount for p in t.instalments if p.amount is not None), Decimal("0"))
        if t.kind is TermKind.MONEY and t.amount is not None and not incomplete and total != t.amount:
            self.add("instalment_sum", t.seq, "instalments", GAP,
                     f"各期金额合计{total:,.2f}元，与给付总额{t.amount:,.2f}元不一致。", ART461_CONTENT)
        dues = [p.due for p in t.instalments if p.due is not None]
        if dues != sorted(dues):
            self.add("instalment_order", t.seq, "instalments", HINT, "各期履行日期未按先后顺序排列，请核对。",
                     ART461_CONTENT)
        basis = (ART461_CONTENT, CPL250, *((MEDIATION8, MEDIATION15) if self.settlement else ()))
        acc = t.acceleration.strip()
        if not acc:
            self.add("acceleration_missing", t.seq, "acceleration", GAP,
                     "分期履行但未写明任何一期未按期足额履行的后果（加速到期条款）。没有该条款的，义务人逾期一期，"
                     "权利人只能就已到期部分申请执行，其余各期须逐期到期后再申请，申请执行期间自最后一期届满之日起算。"
                     "建议写明：“任何一期未按期足额履行的，权利人有权就全部未履行款项一并申请执行”。", *basis)
        elif self.settlement and FORBIDDEN_MEDIATION.search(acc):
            self.add("acceleration_forbidden", t.seq, "acceleration", GAP,
                     "不履行的后果写成“另一方可以请求人民法院对案件作出裁判”，此类条款人民法院不予准许；"
                     "应改为明确的民事责任（如全部款项加速到期、支付违约金）。", MEDIATION8)

    def guarantee(self, t: TermData) -> None:
        g = t.guarantor.strip()
        if not g:
            return
        for name in split_names(g):
            if name not in self.by_name:
                self.add("guarantor_unknown", t.seq, "guarantor", GAP,
                         f"担保人“{name}”不在当事人（担保人）名单中。担保人须身份明确"
                         + ("；案外人提供担保的，调解书应当列明担保人。" if self.settlement else "。"),
                         ART461_SUBJECT, *((MEDIATION9,) if self.settlement else ()))
        if t.guarantee_mode not in ("joint", "general"):
            self.add("guarantee_mode_missing", t.seq, "guarantee_mode", GAP,
                     f"写明了担保人{g}，但未写明其承担连带责任保证还是一般保证。两者执行顺序不同（一般保证须先就"
                     f"债务人财产执行），不写明则执行中无法确定能否直接执行担保人的财产。", ART461_CONTENT)
        if not t.guarantee_scope.strip():
            self.add("guarantee_scope_missing", t.seq, "guarantee_scope", HINT,
                     "未写明担保范围（本金、利息、违约金、实现债权的费用等）及担保责任的期间。",
                     ART461_CONTENT, *((MEDIATION15,) if self.settlement else ()))

    def performance(self, t: TermData) -> None:
        when = t.perform_by.strip()
        if not when and not t.instalments:
            self.add("perform_time_missing", t.seq, "perform_by", GAP,
                     "未写明履行期限。未规定履行期间的，自文书生效即可申请执行，义务人主动履行的期限不明，"
                     "易生争议；请写明“于……之前”或“自本文书生效之日起……日内”。", ART461_CONTENT, CPL250)
        elif when and any(w in when for w in VAGUE_TIME):
            self.add("perform_time_vague", t.seq, "perform_by", GAP,
                     f"履行期限写作“{when}”，不能确定期限届满之日；请写明具体日期或天数。", ART461_CONTENT, CPL250)
        if not t.perform_manner.strip() and t.kind in (TermKind.MONEY, TermKind.DELIVERY):
            what = "收款账户（或支付方式）" if t.kind is TermKind.MONEY else "交付地点和方式"
            self.add("perform_manner_missing", t.seq, "perform_manner", HINT,
                     f"未写明履行方式：建议写明{what}，便于自动履行和执行中核对已履行数额。", OPINION_2018)

    def check(self, t: TermData) -> None:
        t = trimmed(t)
        if is_cost_clause(t):
            self.names(t, "obligors", "负担人", True)
            return
        obligors = self.names(t, "obligors", "义务人", True)
        self.names(t, "obligees", "权利人", t.kind is not TermKind.OTHER)
        self.liability(t, obligors)
        if t.kind is TermKind.MONEY:
            self.money(t)
        if t.kind is TermKind.DELIVERY:
            desc = t.object_desc.strip()
            if not desc:
                self.add("object_missing", t.seq, "object_desc", GAP,
                         "未写明交付的标的物。须写明名称、数量、规格型号或足以识别的特征，否则无法执行。",
                         ART461_CONTENT, OPINION_2018)
            elif not NUMERAL.search(desc):
                self.add("object_quantity", t.seq, "object_desc", GAP,
                         f"标的物“{desc}”未写明数量。", ART461_CONTENT, OPINION_2018)
        if t.kind is TermKind.CONTINUE and len(t.act_content.strip()) < 6:
            self.add("continue_unspecified", t.seq, "act_content", GAP,
                     "判令（约定）继续履行合同，但未写明继续履行的具体内容（履行什么、数量或标准、地点和方式）。",
                     ART461_CONTINUE)
        if t.kind is TermKind.ACT and len(t.act_content.strip()) < 6:
            self.add("act_unspecified", t.seq, "act_content", GAP,
                     "未写明应为行为的具体内容和完成标准（如排除妨碍的范围、恢复原状的标准），执行中无法认定是否已履行。",
                     ART461_CONTENT, OPINION_2018)
        self.instalments(t)
        self.guarantee(t)
        if t.kind is not TermKind.OTHER:
            self.performance(t)
        if not t.text.strip():
            self.add("text_missing", t.seq, "text", HINT, "未填写本项的拟定表述（条款全文）。执行依据以文书表述为准，执行局须看到全文才能判断。",
                     ART461_CONTENT)


def check_terms(terms: list[TermData], parties: list[PartyData], *, terms_kind: str = "settlement") -> list[Gap]:
    """Every gap of the draft terms, in term order (consultation-level findings first)."""
    checker = _Checker(parties, terms_kind)
    if not terms:
        checker.add("no_terms", None, "terms", GAP, "尚未填写拟定的判项或调解条款。", ART461_CONTENT)
    for t in terms:
        checker.check(t)
    return checker.gaps


def blocking(gaps: list[Gap]) -> list[Gap]:
    return [g for g in gaps if g.severity == GAP]


def summary(gaps: list[Gap]) -> str:
    """``"2 处缺陷、1 处提示"`` / ``"未发现常见的可执行性问题"``."""
    n_gap, n_hint = len(blocking(gaps)), len(gaps) - len(blocking(gaps))
    if not gaps:
        return "未发现常见的可执行性问题"
    return "、".join(p for p in (f"{n_gap} 处缺陷" if n_gap else "", f"{n_hint} 处提示" if n_hint else "") if p)
