"""诉前调解建议 — what the filing window suggests for a case, with the reason and the legal basis.

The rules are data (``resources/mediation/mediation-rules.toml``), keyed on 案由 codes. Decision order:

1. an ``exclude`` rule matches → 不得调解 (民诉法解释第一百四十三条); the clerk cannot refer the case;
2. the most specific ``suggest`` rule matches → 建议诉前调解 through its channel (a rule with a 标的额 ceiling,
   e.g. 小额债务, suggests only up to the court's setting);
3. otherwise no suggestion: the clerk may still refer the case when the parties wish (先行调解 needs
   consent in every case, 民事诉讼法第一百二十五条).

``caution`` entries add notes; some forbid 司法确认 for the outcome (民诉法解释第三百五十五条).
Pure functions over a 案由 code and an amount, plus :func:`suggest_for_case` reading the court setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from sqlalchemy.orm import Session

from baihe_desk.models import Case
from baihe_desk.services.filing import causes
from baihe_desk.services.filing.complaint_review import setting
from baihe_desk.services.mediation.rule_files import Caution, MediationRules, Rule, load_rules

SUGGEST, EXCLUDE, NONE = "suggest", "exclude", "none"
KIND_LABELS = {SUGGEST: "建议诉前调解", EXCLUDE: "不得调解", NONE: "未列入建议范围"}
CPL_125 = "《中华人民共和国民事诉讼法》第一百二十五条"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # suggest / exclude / none
    reason: str
    basis: tuple[str, ...] = ()
    rule_id: str = ""
    rule_label: str = ""
    channel: str = ""  # channel key (suggest only)
    channel_label: str = ""
    organisation_kind: str = ""
    confirmed: bool = True  # False: the rule rests on secondary sources / local practice
    cautions: tuple[str, ...] = ()
    no_confirmation: tuple[str, ...] = ()  # why 司法确认 is not available (empty: it is)
    rules_version: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def referable(self) -> bool:
        """Whether the clerk may refer the case at all (never for 不得调解)."""
        return self.kind != EXCLUDE


def covers(rule_code: str, code: str) -> bool:
    """Whether the 案由 ``rule_code`` covers ``code`` (itself or any 案由 below it)."""
    return code == rule_code or code.startswith(rule_code + ".")


def _best(rules: tuple[Rule, ...], code: str) -> tuple[Rule, str] | None:
    hits = [(r, c) for r in rules for c in r.causes if covers(c, code)]
    if not hits:
        return None
    return max(hits, key=lambda h: h[1].count("."))


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _cautions(rules: MediationRules, code: str) -> list[Caution]:
    return [c for c in rules.caution if any(covers(x, code) for x in c.causes)]


def suggest(cause_code: str, amount: Decimal | None = None, *, rules: MediationRules | None = None,
            amount_limits: dict[str, Decimal] | None = None) -> Suggestion:
    """The suggestion for a 案由 code (and 标的额). ``amount_limits``: rule id → the court's ceiling."""
    rules = rules or load_rules()
    code = (cause_code or "").strip()
    if not code:
        return Suggestion(NONE, "案由尚未确定，无法自动判断是否适宜诉前调解；可以根据当事人意愿引导。",
                          (CPL_125,), rules_version=rules.version)
    found = _cautions(rules, code)
    cautions = tuple(c.text for c in found)
    no_conf = tuple(f"{c.text}（{'；'.join(c.basis)}）" for c in found if c.no_confirmation)
    made = partial(Suggestion, cautions=cautions, no_confirmation=no_conf, rules_version=rules.version)
    hit = _best(rules.exclude, code)
    if hit:
        rule = hit[0]
        return made(EXCLUDE, f"{rule.label}：{rule.reason}", rule.basis, rule.id, rule.label,
                    confirmed=rule.confirmed)
    hit = _best(rules.suggest, code)
    if hit is None:
        return made(NONE, "该案由未列入本院诉前调解建议范围；当事人愿意调解的，仍可以引导诉前调解。", (CPL_125,))
    rule = hit[0]
    channel = rules.channels[rule.channel]
    notes: list[str] = []
    limit = (amount_limits or {}).get(rule.id, rule.max_amount)
    if limit is not None:
        if amount is None:
            notes.append(f"标的额未填写，请核对是否属于{rule.label}（{_yuan(limit)} 元以下）。")
        elif amount > limit:
            return made(
                NONE, f"属于{rule.label}的案由，但标的额 {_yuan(amount)} 元超过本院{rule.label}标准 {_yuan(limit)} 元，"
                "未列入建议范围；当事人愿意调解的，仍可以引导诉前调解。", (CPL_125,), rule.id, rule.label,
                confirmed=rule.confirmed, notes=(f"{rule.label}标准为本院设置（{rule.max_amount_setting}）。",))
    return made(SUGGEST, f"{rule.label}：{rule.reason}", rule.basis, rule.id, rule.label, channel.key,
                channel.label, channel.organisation_kind, rule.confirmed, notes=tuple(notes))


def cause_code_of(case: Case) -> str:
    """The case's 案由 code; for an old case without one, the code of the exact 案由 name, if any."""
    if case.cause_code:
        return case.cause_code
    name = (case.cause_name or "").strip()
    hit = next((c for c in causes.selectable() if c.name == name), None) if name else None
    return hit.code if hit else ""


def amount_limits(session: Session | None, rules: MediationRules | None = None) -> dict[str, Decimal]:
    """Rule id → 标的额 ceiling: the court's setting where one is stored and valid, else the shipped default."""
    rules = rules or load_rules()
    out: dict[str, Decimal] = {}
    for rule in rules.suggest:
        if rule.max_amount is None:
            continue
        value = rule.max_amount
        if session is not None and rule.max_amount_setting:
            raw = setting(session, rule.max_amount_setting, None)
            try:
                stored = Decimal(str(raw)) if raw is not None else None
            except InvalidOperation:
                stored = None
            if stored is not None and stored.is_finite() and stored > 0:
                value = stored
        out[rule.id] = value
    return out


def suggest_for_case(session: Session | None, case: Case) -> Suggestion:
    rules = load_rules()
    return suggest(cause_code_of(case), case.claim_amount, rules=rules, amount_limits=amount_limits(session, rules))
