"""执行咨询函的草稿数据 — the plain data the editor holds (parties, terms, questions, attachments),
its JSON form (audit records, crash drafts), the field checks and the normalisation applied before
storing. No database session, no Qt.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from baihe_desk.errors import ValidationError, ValidationErrors
from baihe_desk.models import PartyKind
from baihe_desk.models.enforcement import ConsultationTerm, EnforcementConsultation, TermKind, TermsKind
from baihe_desk.services.common import audit
from baihe_desk.services.enforcement.enforceability import (
    Gap,
    Instalment,
    PartyData,
    TermData,
    check_terms,
    parse_money,
)

MAX_AMOUNT = Decimal("10000000000000")

# -- plain data the editor works with -----------------------------------------------------------------

@dataclass
class PartyRow:
    name: str = ""
    role_label: str = ""  # 原告 / 被告 / 第三人 / 担保人 / 案外人
    kind: PartyKind = PartyKind.NATURAL
    id_code: str = ""
    domicile: str = ""
    assets: str = ""
    party_id: uuid.UUID | None = None


@dataclass
class Attachment:
    name: str = ""
    ref: str = ""  # file path, or where the paper lies (卷宗第几页)


@dataclass
class DraftData:
    terms_kind: TermsKind = TermsKind.SETTLEMENT
    stage_note: str = ""
    from_department: str = ""
    contact_phone: str = ""
    parties: list[PartyRow] = field(default_factory=list)
    terms: list[TermData] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def draft_to_json(d: DraftData) -> dict[str, Any]:
    """JSON-able form (audit records, the crash-draft file)."""
    return audit.jsonable(asdict(d))


def draft_from_json(data: dict[str, Any]) -> DraftData:

    def term(t: dict) -> TermData:
        kw = {k: v for k, v in t.items() if k in TermData.__dataclass_fields__}
        kw["kind"] = TermKind(kw.get("kind") or "money")
        kw["amount"] = parse_money(kw.get("amount"))
        kw["instalments"] = [Instalment(date.fromisoformat(i["due"]) if i.get("due") else None,
                                        parse_money(i.get("amount"))) for i in t.get("instalments") or []]
        return TermData(**kw)

    def party(p: dict) -> PartyRow:
        kw = {k: v for k, v in p.items() if k in PartyRow.__dataclass_fields__}
        kw["kind"] = PartyKind(kw.get("kind") or "natural")
        kw["party_id"] = uuid.UUID(kw["party_id"]) if kw.get("party_id") else None
        return PartyRow(**kw)

    return DraftData(
        terms_kind=TermsKind(data.get("terms_kind") or "settlement"), stage_note=data.get("stage_note", ""),
        from_department=data.get("from_department", ""), contact_phone=data.get("contact_phone", ""),
        parties=[party(p) for p in data.get("parties") or []], terms=[term(t) for t in data.get("terms") or []],
        questions=list(data.get("questions") or []),
        attachments=[Attachment(a.get("name", ""), a.get("ref", "")) for a in data.get("attachments") or []],
    )


def draft_of(c: EnforcementConsultation) -> DraftData:
    return DraftData(
        terms_kind=c.terms_kind, stage_note=c.stage_note, from_department=c.from_department,
        contact_phone=c.contact_phone,
        parties=[PartyRow(p.name, p.role_label, p.kind, p.id_code, p.domicile, p.assets, p.party_id) for p in c.parties],
        terms=[term_data(t) for t in c.terms], questions=list(c.questions or []),
        attachments=[Attachment(a.get("name", ""), a.get("ref", "")) for a in c.attachments or []],
    )


def term_data(t: ConsultationTerm) -> TermData:
    cols = {k: getattr(t, k) for k in TermData.__dataclass_fields__ if k != "instalments"}
    inst = [Instalment(date.fromisoformat(i["due"]) if i.get("due") else None,
                       Decimal(i["amount"]) if i.get("amount") not in (None, "") else None) for i in t.instalments or []]
    return TermData(**cols, instalments=inst)


def party_data(rows: list[PartyRow]) -> list[PartyData]:
    return [PartyData(p.name.strip(), p.role_label, p.id_code) for p in rows]


def check_draft(d: DraftData) -> list[Gap]:
    """The checker over the editor's data (what the editor shows live)."""
    return check_terms(d.terms, party_data(d.parties), terms_kind=d.terms_kind.value)


def gaps_of(c: EnforcementConsultation) -> list[Gap]:
    return check_draft(draft_of(c))



def _text(errors: list[ValidationError], key: str, label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.append(ValidationError(label, f"不能超过 {limit} 个字（现有 {len(value)} 个）", key=key))


def validate(d: DraftData) -> None:
    """Field checks (lengths, amounts); raises ValidationErrors with keys like ``term2.amount``."""
    errors: list[ValidationError] = []
    _text(errors, "stage_note", "审理阶段", d.stage_note, 200)
    _text(errors, "from_department", "咨询部门", d.from_department, 100)
    _text(errors, "contact_phone", "联系电话", d.contact_phone, 40)
    for i, p in enumerate(d.parties):
        for key, label, limit in (("name", "姓名或名称", 200), ("role_label", "诉讼地位", 20),
                                  ("id_code", "身份证号或统一社会信用代码", 18), ("domicile", "住所", 300)):
            _text(errors, f"party{i}.{key}", f"当事人{i + 1}{label}", getattr(p, key), limit)
    if len(d.terms) > 50:
        errors.append(ValidationError("拟定条款", "最多 50 项", key="terms"))
    for i, t in enumerate(d.terms):
        n = i + 1
        for key, label, limit in (("obligors", "义务人", 300), ("obligees", "权利人", 300), ("interest_basis", "计算基数", 200),
                                  ("interest_rate", "利率", 200), ("interest_start", "起算日", 100),
                                  ("interest_end", "截止日", 100), ("guarantor", "担保人", 200),
                                  ("perform_by", "履行期限", 100), ("perform_manner", "履行方式", 200)):
            _text(errors, f"term{i}.{key}", f"第{n}项{label}", getattr(t, key), limit)
        amounts = [("amount", "给付金额", t.amount)] + [
            ("instalments", f"第{k}期金额", inst.amount) for k, inst in enumerate(t.instalments, 1)]
        for key, label, value in amounts:
            if value is not None and not (Decimal("0") <= value < MAX_AMOUNT):
                errors.append(ValidationError(f"第{n}项{label}", "金额应为不小于 0 的数", key=f"term{i}.{key}"))
    if errors:
        raise ValidationErrors(errors)



def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def normalized(d: DraftData) -> DraftData:
    """What will be stored: text trimmed, empty questions/attachments dropped, terms numbered 1…n,
    amounts to the fen."""
    def strip(obj: Any) -> dict[str, Any]:
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in obj.__dict__.items()}

    terms = []
    for n, t in enumerate(d.terms, 1):
        kw = strip(t)
        kw.update(seq=n, amount=_money(t.amount),
                  instalments=[Instalment(i.due, _money(i.amount)) for i in t.instalments])
        terms.append(TermData(**kw))
    return DraftData(
        terms_kind=d.terms_kind, stage_note=d.stage_note.strip(), from_department=d.from_department.strip(),
        contact_phone=d.contact_phone.strip(), parties=[PartyRow(**strip(p)) for p in d.parties], terms=terms,
        questions=[q.strip() for q in d.questions if q.strip()],
        attachments=[Attachment(a.name.strip(), a.ref.strip()) for a in d.attachments if a.name.strip() or a.ref.strip()],
    )



def draft_texts(mine: DraftData, saved: DraftData) -> dict[str, tuple[str, str]]:
    """The draft's free text in both versions (label → (this desk's, the database's)) for an edit conflict."""
    def terms(d: DraftData) -> str:
        return "\n".join(f"第{n}项：{t.text.strip()}" for n, t in enumerate(d.terms, 1) if t.text.strip())

    def assets(d: DraftData) -> str:
        return "\n".join(f"{p.name}：{p.assets.strip()}" for p in d.parties if p.assets.strip())

    return {"审理阶段": (mine.stage_note.strip(), saved.stage_note.strip()),
            "拟定条款": (terms(mine), terms(saved)),
            "已知财产情况": (assets(mine), assets(saved)),
            "请求研究的问题": ("\n".join(q.strip() for q in mine.questions if q.strip()),
                        "\n".join(q.strip() for q in saved.questions if q.strip()))}
