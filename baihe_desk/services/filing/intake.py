"""收件登记 — taking in a complaint: the case, its parties, agents and addresses.

The form sends plain ``CaseInput``; this service normalises and validates every field, collects
*all* field errors (so the form can show each next to its field) and writes the case with a
收件号 and the audit record. The 案号 is assigned later, on 登记立案.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError, ValidationErrors
from baihe_desk.models import (
    Address,
    AddressKind,
    Agent,
    Case,
    DomicileRegion,
    Party,
    PartyKind,
    PartyRole,
    Procedure,
    User,
)
from baihe_desk.services.common import audit, lookup, validation
from baihe_desk.services.common.money_input import amount_digits
from baihe_desk.services.common.numbering import next_serial
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines.clocks import today_local  # the court's day, whatever the PC's zone
from baihe_desk.services.filing import causes

MAX_AMOUNT = Decimal("1000000000000")  # 1 万亿元: anything larger is a typing error


@dataclass
class AgentInput:
    name: str = ""
    agent_type: str = "律师"
    id_number: str = ""
    phone: str = ""
    organisation: str = ""
    license_number: str = ""
    special_authority: bool = False
    authority_detail: str = ""


@dataclass
class PartyInput:
    role: PartyRole = PartyRole.PLAINTIFF
    kind: PartyKind = PartyKind.NATURAL
    name: str = ""
    sex: str = ""
    birth_date: date | None = None
    ethnicity: str = ""
    occupation: str = ""
    work_unit: str = ""
    id_number: str = ""
    credit_code: str = ""
    legal_rep_name: str = ""
    legal_rep_title: str = ""
    legal_rep_is_principal: bool = False
    domicile: str = ""
    # 在中华人民共和国领域内没有住所 / 港澳台: 30-day answer and appeal periods (民事诉讼法第二百八十五条、第二百八十六条)
    domicile_region: DomicileRegion = DomicileRegion.MAINLAND
    postcode: str = ""
    phone: str = ""
    agents: list[AgentInput] = field(default_factory=list)


@dataclass
class CaseInput:
    cause_code: str = ""
    cause_name: str = ""
    procedure: Procedure | None = None
    claim_amount: str | Decimal | None = None
    claims: str = ""
    facts: str = ""
    received_on: date | None = None
    parties: list[PartyInput] = field(default_factory=list)


def _err(errors: list[ValidationError], key: str, label: str, message: str) -> None:
    errors.append(ValidationError(label, message, key=key))


def _try(errors: list[ValidationError], key: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(*args, **kwargs)
    except ValidationError as e:
        errors.append(ValidationError(e.field, e.reason, key=key))
        return None


def parse_amount(text: str | Decimal | None, *, label: str = "标的额") -> Decimal | None:
    if text is None:
        return None
    if isinstance(text, Decimal):
        value = text
    else:
        t = amount_digits(str(text), label)
        if not t:
            return None
        try:
            value = Decimal(t)
        except InvalidOperation:
            raise ValidationError(label, "请填写数字金额（元），例如 12500.50。") from None
    if not value.is_finite():
        raise ValidationError(label, "请填写数字金额（元）。")
    if value < 0:
        raise ValidationError(label, "不能为负数。")
    if value >= MAX_AMOUNT:
        raise ValidationError(label, "金额过大，请核对。")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(label, "最多保留两位小数（分）。")
    return value.quantize(Decimal("0.01"))


def _clean(s: str) -> str:
    return validation.strip_control_chars(validation.normalize_text(s or ""))


def validate_party(p: PartyInput, i: int, errors: list[ValidationError], ordinal: int | None = None) -> dict:
    """Validate one party; returns the normalised values. Keys are ``party{i}.{field}``; messages name
    the party as the form does, by its number within its role (被告1, not the second party's 被告2)."""
    k = f"party{i}."
    who = f"{p.role.label}{ordinal if ordinal is not None else i + 1}"
    out: dict = {}
    natural = p.kind is PartyKind.NATURAL
    out["name"] = _try(errors, k + "name", validation.validate_name, p.name,
                       field=f"{who}{'姓名' if natural else '名称'}", max_length=50 if natural else 200)
    out["domicile"] = _clean(p.domicile)[:300]
    try:
        out["domicile_region"] = DomicileRegion(p.domicile_region)
    except ValueError:
        _err(errors, k + "domicile_region", f"{who}住所地", "请选择境内、境外或港澳台。")
        out["domicile_region"] = DomicileRegion.MAINLAND
    out["postcode"] = ""
    if p.postcode.strip():
        out["postcode"] = _try(errors, k + "postcode", validation.validate_postcode, p.postcode,
                               field=f"{who}邮政编码") or ""
    out["phone"] = ""
    if p.phone.strip():
        out["phone"] = _try(errors, k + "phone", validation.validate_phone, p.phone, field=f"{who}联系电话") or ""
    if p.kind is PartyKind.NATURAL:
        out["sex"] = p.sex if p.sex in ("男", "女") else ""
        out["birth_date"] = p.birth_date
        out["id_number"] = ""
        if p.id_number.strip():
            info = _try(errors, k + "id_number", validation.validate_id_number, p.id_number,
                        birth_date=p.birth_date, sex=out["sex"] or None, field=f"{who}身份证号")
            if info is not None:
                out["id_number"] = info.number
                out["birth_date"] = info.birth_date
                out["sex"] = info.sex
        for f, label, limit in (("ethnicity", "民族", 20), ("occupation", "职业", 50), ("work_unit", "工作单位", 200)):
            out[f] = _clean(getattr(p, f))
            if len(out[f]) > limit:
                _err(errors, k + f, f"{who}{label}", f"不能超过{limit}个字，现在是{len(out[f])}个字")
                out[f] = out[f][:limit]
        if p.birth_date and p.birth_date > today_local():
            _err(errors, k + "birth_date", f"{who}出生日期", "不能晚于今天。")
    else:
        out["credit_code"] = ""
        if p.credit_code.strip():
            out["credit_code"] = _try(errors, k + "credit_code", validation.validate_credit_code, p.credit_code,
                                      field=f"{who}统一社会信用代码") or ""
        out["legal_rep_name"] = _clean(p.legal_rep_name)[:50]
        out["legal_rep_title"] = _clean(p.legal_rep_title)[:50]
        out["legal_rep_is_principal"] = bool(p.legal_rep_is_principal)
    agents = []
    for j, a in enumerate(p.agents):
        ak = f"{k}agent{j}."
        name = _try(errors, ak + "name", validation.validate_name, a.name, field=f"{who}的代理人{j + 1}姓名")
        idn = ""
        if a.id_number.strip():
            info = _try(errors, ak + "id_number", validation.validate_id_number, a.id_number,
                        field=f"{who}的代理人{j + 1}身份证号")
            idn = info.number if info else ""
        phone = ""
        if a.phone.strip():
            phone = _try(errors, ak + "phone", validation.validate_phone, a.phone,
                         field=f"{who}的代理人{j + 1}联系电话") or ""
        agents.append(dict(name=name or "", agent_type=_clean(a.agent_type)[:20] or "律师", id_number=idn,
                           phone=phone, organisation=_clean(a.organisation)[:200],
                           license_number=_clean(a.license_number)[:40],
                           special_authority=bool(a.special_authority),
                           authority_detail=_clean(a.authority_detail)))
    out["agents"] = agents
    return out


def validate_case(data: CaseInput) -> tuple[dict, list[dict]]:
    """Validate the whole form; raises ValidationErrors listing every problem."""
    errors: list[ValidationError] = []
    values: dict = {}
    cause = causes.by_code(data.cause_code) if data.cause_code else None
    if cause is None and data.cause_name.strip():
        found = [c for c in causes.selectable() if c.name == data.cause_name.strip()]
        cause = found[0] if found else None
    if cause is None:
        _err(errors, "cause", "案由", "请从案由目录中选择（可输入汉字或拼音首字母查找）。")
    else:
        values.update(cause_code=cause.code, cause_name=cause.name, cause_catalogue=causes.CATALOGUE_VERSION)
    values["procedure"] = data.procedure
    values["claim_amount"] = _try(errors, "claim_amount", parse_amount, data.claim_amount)
    values["claims"] = _clean(data.claims)
    values["facts"] = _clean(data.facts)
    if not values["claims"]:
        _err(errors, "claims", "诉讼请求", "不能为空，请填写具体的诉讼请求。")
    values["received_on"] = data.received_on or today_local()
    if values["received_on"] > today_local():
        _err(errors, "received_on", "收件日期", "不能晚于今天。")
    if not any(p.role is PartyRole.PLAINTIFF for p in data.parties):
        _err(errors, "parties", "当事人", "至少需要一名原告。")
    if not any(p.role is PartyRole.DEFENDANT for p in data.parties):
        _err(errors, "parties", "当事人", "至少需要一名被告。")
    parties = [validate_party(p, i, errors, sum(q.role is p.role for q in data.parties[:i]) + 1)
               for i, p in enumerate(data.parties)]
    if errors:
        raise ValidationErrors(errors)
    return values, parties


def name_search_key(name: str) -> str:
    """Full pinyin and initials of a name, for search (王堃 → 'wangkun wk')."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(name, errors="ignore"))
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return f"{full} {initials}".lower()[:400]


def create_case(session: Session, actor: User, data: CaseInput, *, court_code: str) -> Case:
    """收件登记: validate, then write the case with its parties; returns the new Case."""
    require(session, actor, Perm.CASE_CREATE)
    values, parties = validate_case(data)
    year = values["received_on"].year
    serial = next_serial(session, court_code=court_code, year=year, type_code="收件")
    case = Case(receipt_number=f"{year}收{serial:05d}", created_by_id=actor.id, **values)
    session.add(case)
    for i, (p_in, p) in enumerate(zip(data.parties, parties, strict=True)):
        agents = p.pop("agents")
        postcode = p.pop("postcode")
        party = Party(case=case, role=p_in.role, kind=p_in.kind, sort_order=i,
                      name_pinyin=name_search_key(p["name"]), **p)
        if p["domicile"]:
            party.addresses.append(Address(kind=AddressKind.DOMICILE, text=p["domicile"], postcode=postcode,
                                           source="起诉状"))
        for j, a in enumerate(agents):
            party.agents.append(Agent(sort_order=j, **a))
        session.add(party)
    session.flush()
    audit.record(session, actor, "case.create", entity="case", entity_id=case.id,
                 after={**audit.snapshot(case, ["receipt_number", "cause_code", "cause_name", "procedure",
                                                "claim_amount", "received_on"]),
                        "parties": [{"role": p.role.value, "kind": p.kind.value, "name": p.name,
                                     "domicile_region": p.domicile_region.value,
                                     "id_number": p.id_number, "credit_code": p.credit_code}
                                    for p in case.parties]})
    return case


def get_case(session: Session, case_id: uuid.UUID) -> Case:
    return lookup.get_case(session, case_id, "未找到该案件，可能已被删除。")
