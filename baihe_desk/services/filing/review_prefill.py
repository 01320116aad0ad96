"""立案审查的预填 — which checklist items apply to a case, and which of them the case data already answers.

:func:`applicable_items` picks the items of the checklist that apply to the case (by its tags: parties'
kinds, case type); :func:`prefill` proposes an answer for an item only where the recorded data really
answers it (defendants identified, claims and facts stated, the plaintiff's particulars, a signed 送达地址确认书);
everything else stays for the clerk to check against the papers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError
from baihe_desk.models import Case, Party, PartyKind, PartyRole
from baihe_desk.models.review import Answer
from baihe_desk.services.common import validation
from baihe_desk.services.filing.checklists import (
    Checklist,
    ChecklistItem,
    load_checklist,
)


def _case_tags(case: Case, checklist: Checklist) -> set[str]:
    code = case.cause_code or ""
    return {tag for tag, codes in checklist.case_types.items()
            if any(code == c or code.startswith(c + ".") for c in codes)}


def parties_in_role(case: Case, role: PartyRole) -> list[Party]:
    return [p for p in case.parties if p.role is role]


def applicable_items(case: Case, checklist: Checklist | None = None) -> list[ChecklistItem]:
    """The checklist items that apply to this case (party kinds, agent, case type)."""
    checklist = checklist or load_checklist()
    plaintiffs, defendants = parties_in_role(case, PartyRole.PLAINTIFF), parties_in_role(case, PartyRole.DEFENDANT)
    tags = _case_tags(case, checklist)
    out = []
    for it in checklist.items:
        a = it.applies
        if a.plaintiff_kind and not any(p.kind.value == a.plaintiff_kind for p in plaintiffs):
            continue
        if a.defendant_kind and not any(p.kind.value == a.defendant_kind for p in defendants):
            continue
        if a.agent is not None and any(p.agents for p in plaintiffs) != a.agent:
            continue
        if a.case_types and not tags.intersection(a.case_types):
            continue
        out.append(it)
    return out


def _valid(check, value: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        check(value)
    except ValidationError:
        return False
    return bool(value)


def _defendants_identified(case: Case) -> tuple[Answer | None, str]:
    ok, unclear, bare = [], [], []
    for d in parties_in_role(case, PartyRole.DEFENDANT):
        if d.kind is PartyKind.NATURAL and _valid(validation.validate_id_number, d.id_number):
            ok.append(f"被告{d.name}已登记有效的公民身份号码")
        elif d.kind is PartyKind.ORGANISATION and _valid(validation.validate_credit_code, d.credit_code):
            ok.append(f"被告{d.name}已登记有效的统一社会信用代码")
        elif not any((d.domicile, d.id_number, d.credit_code, d.work_unit, d.phone)):
            bare.append(f"被告{d.name}仅登记了姓名，未登记住所、身份证号码（统一社会信用代码）、工作单位或联系电话")
        else:
            unclear.append(f"被告{d.name}未登记有效的身份证号码（统一社会信用代码），请核对起诉状所列住所等信息能否与他人相区别")
    if bare:
        return Answer.FAIL, "；".join(bare) + "。"
    if unclear or not ok:
        return None, "；".join(ok + unclear) + "。" if ok or unclear else "未登记被告。"
    return Answer.PASS, "；".join(ok) + "。"


def _claims_facts(case: Case) -> tuple[Answer | None, str]:
    if case.claims.strip() and case.facts.strip() and case.claim_amount is not None:
        return Answer.PASS, f"已登记诉讼请求和事实与理由，标的额 {case.claim_amount:,} 元。"
    if not case.facts.strip():
        return None, "系统中未登记事实与理由，请核对起诉状。"
    return None, "已登记诉讼请求和事实与理由（未登记标的额），请核对诉讼请求是否具体。"


_PARTICULARS = {
    PartyKind.NATURAL: (("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期"), ("ethnicity", "民族"),
                        ("occupation", "职业"), ("domicile", "住所"), ("phone", "联系电话")),
    PartyKind.ORGANISATION: (("name", "名称"), ("domicile", "住所"), ("legal_rep_name", "法定代表人（主要负责人）"),
                             ("legal_rep_title", "职务"), ("phone", "联系电话")),
}


def _plaintiff_particulars(case: Case, item: ChecklistItem) -> tuple[Answer | None, str]:
    kind = PartyKind(item.applies.plaintiff_kind or "natural")
    done: list[str] = []
    missing: list[str] = []
    for p in parties_in_role(case, PartyRole.PLAINTIFF):
        if p.kind is kind:
            gaps = [label for attr, label in _PARTICULARS[kind] if not getattr(p, attr)]
            (missing if gaps else done).append(f"原告{p.name}" + (f"未登记{'、'.join(gaps)}" if gaps else ""))
    if missing:
        return None, "；".join(missing) + "，请核对起诉状。"
    labels = "、".join(label for _, label in _PARTICULARS[kind])
    return Answer.PASS, f"{'、'.join(done)}的{labels}均已登记。"


def _identity_hint(case: Case, item: ChecklistItem) -> tuple[Answer | None, str]:
    kind = PartyKind(item.applies.plaintiff_kind or "natural")
    what = "公民身份号码" if kind is PartyKind.NATURAL else "统一社会信用代码"
    parts = [f"原告{p.name}{'已登记' if (p.id_number or p.credit_code) else '未登记'}{what}"
             for p in parties_in_role(case, PartyRole.PLAINTIFF) if p.kind is kind]
    return None, "；".join(parts) + "。号码已登记不等于已提交证明材料，请核对复印件。"


def _address_confirmation(session: Session, case: Case) -> tuple[Answer | None, str]:
    from baihe_desk.services.filing.service_address import signed_confirmation

    signed: list[str] = []
    missing: list[str] = []
    for p in parties_in_role(case, PartyRole.PLAINTIFF):
        row = signed_confirmation(session, p)
        (signed if row else missing).append(f"原告{p.name}" + (f"已于{row.confirmed_on}签署送达地址确认书" if row else ""))
    if missing:
        return None, "系统中尚未登记" + "、".join(missing) + "签署的送达地址确认书。"
    return Answer.PASS, "；".join(signed) + "。"


def prefill(session: Session, case: Case, item: ChecklistItem) -> tuple[Answer | None, str] | None:
    """(answer or None for a hint only, explanation) for items the recorded data speaks to."""
    rule = item.prefill
    if rule == "defendant_identified":
        return _defendants_identified(case)
    if rule == "claims_facts":
        return _claims_facts(case)
    if rule == "plaintiff_particulars":
        return _plaintiff_particulars(case, item)
    if rule == "plaintiff_identity_hint":
        return _identity_hint(case, item)
    if rule == "copies_hint":
        n_def = len(parties_in_role(case, PartyRole.DEFENDANT))
        n_third = len(parties_in_role(case, PartyRole.THIRD_PARTY))
        return None, f"本案被告{n_def}名、第三人{n_third}名，应提交起诉状副本{n_def + n_third}份。"
    if rule == "address_confirmation":
        return _address_confirmation(session, case)
    return None
