"""审理程序建议 — suggest 小额诉讼 / 简易程序 / 普通程序 at filing; the clerk may override with a note.

Rules (民事诉讼法第一百六十条、第一百六十五条、第一百六十六条; 民诉法解释第二百五十七条、第二百七十二条):

- 小额诉讼: a simple money claim (事实清楚、权利义务关系明确、争议不大的简单金钱给付) of at most 50% of the
  province's published annual average wage of employed persons; between 50% and 2× only when both parties
  agree; never for the art. 166 exclusions (人身关系/财产确权, 涉外, 评估鉴定, 一方下落不明, 反诉, 其他不宜).
- 简易程序: simple cases (or by the parties' agreement), except the 解释第二百五十七条 exclusions (被告起诉时
  下落不明, 发回重审, 一方人数众多, 审判监督, 国家利益/社会公共利益, 第三人撤销之诉, 其他不宜).
- otherwise 普通程序.

The wage figure and its year are court settings (``procedure.small_claims.annual_wage`` as a string of
yuan, ``procedure.small_claims.wage_year``); the shipped default in ``resources/checklists/
procedure-rules.toml`` is derived and marked unconfirmed (DOMAIN.md §11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import Case, PartyRole, Procedure, User
from baihe_desk.services.common import audit
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.filing.checklists import load_procedure_rules
from baihe_desk.services.filing.complaint_review import setting

PROCEDURE_PERM = Perm.PROCEDURE_SET
WAGE_SETTING = "procedure.small_claims.annual_wage"
WAGE_YEAR_SETTING = "procedure.small_claims.wage_year"
CPL = "《中华人民共和国民事诉讼法》"
JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"


@dataclass(frozen=True)
class SmallClaimsThreshold:
    annual_wage: Decimal  # 上年度就业人员年平均工资（元）
    wage_year: int
    confirmed: bool = True
    note: str = ""

    @property
    def small_limit(self) -> Decimal:  # 百分之五十
        return (self.annual_wage / 2).quantize(Decimal("0.01"))

    @property
    def agreement_limit(self) -> Decimal:  # 二倍
        return (self.annual_wage * 2).quantize(Decimal("0.01"))


@dataclass
class ProcedureFacts:
    """What the suggestion looks at. Flags the data cannot know are the clerk's ticks."""

    amount: Decimal | None = None  # 标的额
    cause_code: str = ""
    cause_name: str = ""
    money_claim: bool | None = None  # 金钱给付; None = assume yes when an amount is given
    simple_facts: bool = True  # 事实清楚、权利义务关系明确、争议不大
    foreign_related: bool = False  # 涉外
    needs_appraisal: bool = False  # 需要评估、鉴定，或者对诉前评估、鉴定结果有异议
    party_whereabouts_unknown: bool = False  # 一方当事人下落不明
    defendant_whereabouts_unknown: bool = False  # 起诉时被告下落不明
    counterclaim: bool = False  # 反诉
    parties_agree_small_claims: bool = False  # 双方约定适用小额诉讼（50%–2倍）
    parties_agree_simple: bool = False  # 当事人约定适用简易程序
    remanded: bool = False  # 发回重审
    numerous_parties: bool = False  # 当事人一方人数众多
    retrial: bool = False  # 适用审判监督程序
    public_interest: bool = False  # 涉及国家利益、社会公共利益
    other_unsuitable: str = ""  # 其他不宜适用小额诉讼/简易程序的理由


@dataclass
class ProcedureSuggestion:
    procedure: Procedure
    reason: str
    basis: list[str]
    allowed: list[Procedure]  # what the clerk may choose instead (with a note)
    excluded: dict[str, list[str]] = field(default_factory=dict)  # procedure → why not
    threshold: SmallClaimsThreshold | None = None
    warnings: list[str] = field(default_factory=list)


def default_threshold() -> SmallClaimsThreshold:
    d = load_procedure_rules()["small_claims_default"]
    return SmallClaimsThreshold(Decimal(str(d["annual_wage"])), int(d["wage_year"]), bool(d["confirmed"]),
                                str(d.get("note", "")))


def threshold_from_settings(session: Session | None) -> SmallClaimsThreshold:
    """The court's setting, else the shipped (unconfirmed) default."""
    default = default_threshold()
    if session is None:
        return default
    wage, year = setting(session, WAGE_SETTING, None), setting(session, WAGE_YEAR_SETTING, None)
    if wage is None or year is None:
        return default
    try:
        value = Decimal(str(wage))
    except InvalidOperation:
        return default
    if not value.is_finite() or value <= 0 or not isinstance(year, int):
        return default
    return SmallClaimsThreshold(value, year, True, f"{year}年度就业人员年平均工资 {_yuan(value)} 元（本院设置）")


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _under(code: str, codes: list[str]) -> bool:
    return any(code == c or code.startswith(c + ".") for c in codes)


def small_claims_exclusions(facts: ProcedureFacts) -> list[str]:
    """Reasons 民事诉讼法第一百六十六条 (and the nature of the claim) rule out 小额诉讼."""
    rules = load_procedure_rules()
    out = []
    if _under(facts.cause_code, rules["personal_relation_causes"]):
        out.append(f"人身关系案件（{CPL}第一百六十六条第一项）")
    if _under(facts.cause_code, rules["property_title_causes"]) or any(
            k in facts.cause_name for k in rules["property_title_keywords"]):
        out.append(f"财产确权案件（{CPL}第一百六十六条第一项）")
    for flag, text, item in (("foreign_related", "涉外案件", "第二项"),
                             ("needs_appraisal", "需要评估、鉴定或者对诉前评估、鉴定结果有异议", "第三项"),
                             ("party_whereabouts_unknown", "一方当事人下落不明", "第四项"),
                             ("counterclaim", "当事人提出反诉", "第五项")):
        if getattr(facts, flag):
            out.append(f"{text}（{CPL}第一百六十六条{item}）")
    if facts.other_unsuitable.strip():
        out.append(f"{facts.other_unsuitable.strip()}（{CPL}第一百六十六条第六项）")
    money = facts.money_claim if facts.money_claim is not None else facts.amount is not None
    if not money or facts.amount is None:
        out.append(f"不是标的额明确的金钱给付案件（{CPL}第一百六十五条）")
    if not facts.simple_facts:
        out.append(f"事实不清楚、权利义务关系不明确或者争议较大（{CPL}第一百六十五条）")
    return out


def simple_exclusions(facts: ProcedureFacts) -> list[str]:
    """Reasons 民诉法解释第二百五十七条 rules out 简易程序 (and with it 小额诉讼)."""
    out = []
    if facts.defendant_whereabouts_unknown:
        out.append(f"起诉时被告下落不明（{JS}第二百五十七条第一项）")
    for flag, text, item in (("remanded", "发回重审的案件", "第二项"), ("numerous_parties", "当事人一方人数众多", "第三项"),
                             ("retrial", "适用审判监督程序", "第四项"),
                             ("public_interest", "涉及国家利益、社会公共利益", "第五项")):
        if getattr(facts, flag):
            out.append(f"{text}（{JS}第二百五十七条{item}）")
    if _under(facts.cause_code, load_procedure_rules()["not_simple_causes"]):
        out.append(f"{facts.cause_name or '该案由'}不适用简易程序（{JS}第二百五十七条）")
    return out


def suggest_procedure(facts: ProcedureFacts, threshold: SmallClaimsThreshold | None = None) -> ProcedureSuggestion:
    """The suggested procedure with its reason and legal basis (pure; no database)."""
    t = threshold or default_threshold()
    warnings = [] if t.confirmed else [t.note or "小额诉讼标准为默认值，未经确认。"]
    not_simple = simple_exclusions(facts)
    not_small = not_simple + small_claims_exclusions(facts)
    amount = facts.amount
    if amount is not None and amount > t.agreement_limit:
        not_small.append(f"标的额 {_yuan(amount)} 元超过上年度就业人员年平均工资的二倍（{_yuan(t.agreement_limit)} 元）")
    elif amount is not None and amount > t.small_limit and not facts.parties_agree_small_claims:
        not_small.append(f"标的额 {_yuan(amount)} 元超过年平均工资的百分之五十（{_yuan(t.small_limit)} 元），双方未约定适用小额诉讼")
    allowed = [Procedure.ORDINARY] + ([Procedure.SIMPLE] if not not_simple else []) + (
        [Procedure.SMALL_CLAIMS] if not not_small else [])
    excluded = {Procedure.SMALL_CLAIMS.value: not_small, Procedure.SIMPLE.value: not_simple}
    wage = f"{t.wage_year}年度就业人员年平均工资 {_yuan(t.annual_wage)} 元"
    if not not_small:
        assert amount is not None
        agreed = amount > t.small_limit
        reason = (f"标的额 {_yuan(amount)} 元，{'超过' if agreed else '不超过'}{wage}的百分之五十（{_yuan(t.small_limit)} 元）"
                  + ("，未超过二倍，且双方约定适用小额诉讼的程序" if agreed else "")
                  + "；属于事实清楚、权利义务关系明确、争议不大的简单金钱给付案件，无不适用小额诉讼的情形。实行一审终审。")
        basis = [f"{CPL}第一百六十五条第{'二' if agreed else '一'}款", f"{CPL}第一百六十六条", f"{JS}第二百七十二条"]
        return ProcedureSuggestion(Procedure.SMALL_CLAIMS, reason, basis, allowed, excluded, t, warnings)
    if not not_simple and (facts.simple_facts or facts.parties_agree_simple):
        why_not = "；".join(not_small)
        reason = ("事实清楚、权利义务关系明确、争议不大，适用简易程序" if facts.simple_facts
                  else "当事人双方约定适用简易程序") + (f"。不适用小额诉讼：{why_not}。" if why_not else "。")
        basis = [f"{CPL}第一百六十条", f"{JS}第二百五十七条"] + ([f"{CPL}第一百六十六条"] if not_small else [])
        return ProcedureSuggestion(Procedure.SIMPLE, reason, basis, allowed, excluded, t, warnings)
    why = not_simple or ["案件事实不清楚、权利义务关系不明确或者争议较大"]
    reason = "不适用简易程序：" + "；".join(why) + "。适用第一审普通程序。"
    basis = [f"{CPL}第一百六十条"] + ([f"{JS}第二百五十七条"] if not_simple else [])
    return ProcedureSuggestion(Procedure.ORDINARY, reason, basis, allowed, excluded, t, warnings)


def facts_from_case(case: Case, **flags: object) -> ProcedureFacts:
    """What the case data says (amount, 案由, number of parties); the clerk's ticks come in ``flags``."""
    facts = ProcedureFacts(amount=case.claim_amount, cause_code=case.cause_code, cause_name=case.cause_name)
    for k, v in flags.items():
        if not hasattr(facts, k):
            raise TypeError(f"unknown procedure fact {k!r}")
        setattr(facts, k, v)
    # A party with no domicile in the PRC makes the case 涉外 (民诉法解释第五百二十条第二项; 港澳台 by
    # 第五百四十九条) whatever the tick says: no 小额诉讼 (民事诉讼法第一百六十六条第二项).
    if any(p.domicile_region.without_domicile for p in case.parties):
        facts.foreign_related = True
    return facts


def suggest_for_case(session: Session, case: Case, **flags: object) -> ProcedureSuggestion:
    s = suggest_procedure(facts_from_case(case, **flags), threshold_from_settings(session))
    if sum(p.role is PartyRole.PLAINTIFF for p in case.parties) >= 10 or sum(
            p.role is PartyRole.DEFENDANT for p in case.parties) >= 10:
        s.warnings.append("当事人一方人数在十人以上，请核对是否属于“人数众多”（不适用简易程序）。")
    return s


def set_procedure(session: Session, actor: User, case: Case, procedure: Procedure | str, note: str = "", *,
                  facts: ProcedureFacts | None = None) -> ProcedureSuggestion:
    """Set the case's procedure. Choosing other than the suggestion needs a note; a procedure the law
    rules out for these facts is refused."""
    require(session, actor, PROCEDURE_PERM)
    procedure = Procedure(procedure)
    suggestion = suggest_procedure(facts or facts_from_case(case), threshold_from_settings(session))
    if procedure not in suggestion.allowed:
        why = "；".join(suggestion.excluded.get(procedure.value, []))
        raise KnownError(f"本案不能适用{procedure.label}：{why}。")
    note = (note or "").strip()
    if procedure is not suggestion.procedure and not note:
        raise ValidationError("理由", f"系统建议适用{suggestion.procedure.label}，改为{procedure.label}须填写理由。")
    before = {"procedure": case.procedure}
    case.procedure = procedure
    session.flush()
    audit.record(session, actor, "case.set_procedure", entity="case", entity_id=case.id, before=before,
                 after={"procedure": procedure, "note": note, "suggested": suggestion.procedure,
                        "suggestion_reason": suggestion.reason, "wage": suggestion.threshold.annual_wage
                        if suggestion.threshold else None,
                        "wage_year": suggestion.threshold.wage_year if suggestion.threshold else None})
    return suggestion
