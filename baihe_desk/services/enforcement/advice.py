"""执行建议 — the enforcement bureau's side of the consultation: queue → draft reply → submit.

Only enforcement staff (``Perm.CONSULT_REPLY``) write and submit the reply. The reply has one
assessment per draft term (可以执行 / 需修改 / 不能执行, with the reason and a suggested wording), the
property clues, suggested measures (诉讼保全 with its fee from the fee calculator, 提供担保, 加速到期
条款, 连带责任表述 …), risk notes and an answer to each of the judge's questions. The reply gets its
own serial number (setting ``enforcement.advice_code``) when it is submitted, and the consultation
becomes 已回复.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from baihe_desk.errors import ConflictError, ValidationError, ValidationErrors
from baihe_desk.models import User, utcnow
from baihe_desk.models.enforcement import (
    AdviceItem,
    ConsultStatus,
    EnforcementAdvice,
    EnforcementConsultation,
    Measure,
    Verdict,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.concurrency import bump, check_version
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.enforcement.consultation import (
    ADVICE_CODE_DEFAULT,
    ADVICE_CODE_KEY,
    ENTITY,
    assign_number,
    load,
    today_local,
)
from baihe_desk.services.enforcement.draft import MAX_AMOUNT
from baihe_desk.services.enforcement.enforceability import Gap, blocking
from baihe_desk.services.filing.fees import calculate_fee

CPL = "《中华人民共和国民事诉讼法》"
DEFAULT_WORDING = {
    Measure.PRESERVATION: (
        f"建议告知权利人可以依照{CPL}第一百零三条申请诉讼保全，对义务人的财产采取查封、扣押、冻结措施"
        f"（第一百零六条）；人民法院可以责令申请人提供担保，申请人不提供担保的，裁定驳回申请（第一百零三条第二款）。"
    ),
    Measure.SECURITY: (
        "建议由义务人提供担保：写明担保人（或担保财产）的名称、担保方式（连带责任保证或抵押、质押）、担保范围"
        "（本金、利息、违约金、实现债权的费用）和保证期间。"
    ),
    Measure.ACCELERATION: (
        "建议增加加速到期条款：“义务人任何一期未按期足额履行的，权利人有权就全部未履行款项（含利息）"
        "一并申请强制执行。”"
    ),
    Measure.JOINT_WORDING: "建议写明：“……（义务人姓名或名称）对上述第×项债务承担连带清偿责任。”",
    Measure.OTHER: "",
}


@dataclass
class ItemData:
    """One line of the reply: an assessment (``term_seq`` + ``verdict``) or a measure (``measure``)."""

    term_seq: int | None = None
    verdict: Verdict | None = None
    measure: Measure | None = None
    reason: str = ""
    suggestion: str = ""
    amount: Decimal | None = None  # 诉讼保全：拟保全财产数额（元）
    id: uuid.UUID | None = None  # set when read back (adoption refers to it)
    fee: Decimal | None = None  # read back: the computed 保全申请费
    fee_detail: str = ""


@dataclass
class AdviceData:
    items: list[ItemData] = field(default_factory=list)
    property_clues: str = ""
    risk_notes: str = ""
    answers: list[str] = field(default_factory=list)
    contact_phone: str = ""


def preservation_fee(amount: Decimal | None) -> tuple[Decimal | None, str]:
    """保全申请费 for ``amount`` yuan, with the calculator's steps (None without an amount)."""
    if amount is None:
        return None, ("保全申请费根据实际保全的财产数额计算（《诉讼费用交纳办法》第十四条第（二）项），"
                      "数额确定后计算。")
    result = calculate_fee("preservation", amount)
    steps = "；".join(s.text for s in result.steps)
    return result.total, f"{steps}。{'；'.join(result.notes)}。"


def prefill(c: EnforcementConsultation) -> AdviceData:
    """A first reply draft: one assessment per term; terms the checker flagged start as 需修改 with the
    checker's findings as the reason (the officer reviews and rewrites them)."""
    gaps = [Gap.from_dict(g) for g in c.gaps_at_send or []]
    items = []
    for t in c.terms:
        found = [g for g in blocking(gaps) if g.term_seq == t.seq]
        reason = "；".join(g.message.rstrip("。") for g in found) + ("。" if found else "")
        items.append(ItemData(term_seq=t.seq, verdict=Verdict.NEEDS_CHANGE if found else None, reason=reason))
    return AdviceData(items=items, answers=["" for _ in c.questions or []])


def advice_data(advice: EnforcementAdvice) -> AdviceData:
    return AdviceData(
        items=[ItemData(i.term_seq, i.verdict, i.measure, i.reason, i.suggestion, i.amount, i.id, i.fee, i.fee_detail)
               for i in advice.items],
        property_clues=advice.property_clues, risk_notes=advice.risk_notes, answers=list(advice.answers or []),
        contact_phone=advice.contact_phone,
    )


def _json(d: AdviceData) -> dict:
    return audit.jsonable({
        "items": [{"term_seq": i.term_seq, "verdict": i.verdict, "measure": i.measure, "reason": i.reason.strip(),
                   "suggestion": i.suggestion.strip(),
                   "amount": None if i.amount is None else i.amount.quantize(Decimal("0.01"))} for i in d.items],
        "property_clues": d.property_clues.strip(), "risk_notes": d.risk_notes.strip(),
        "answers": [a.strip() for a in d.answers], "contact_phone": d.contact_phone.strip(),
    })


def _check(c: EnforcementConsultation, d: AdviceData, *, final: bool) -> None:
    errors: list[ValidationError] = []
    seqs = {t.seq for t in c.terms}
    for n, i in enumerate(d.items):
        if (i.term_seq is None) == (i.measure is None):
            errors.append(ValidationError(f"第{n + 1}条意见", "应为对某项条款的意见或一项建议措施", key=f"item{n}"))
            continue
        if i.term_seq is not None and i.term_seq not in seqs:
            errors.append(ValidationError(f"第{n + 1}条意见", f"咨询函中没有第{i.term_seq}项条款", key=f"item{n}"))
        if i.amount is not None and not (Decimal("0") < i.amount < MAX_AMOUNT):
            errors.append(ValidationError("拟保全财产数额", "应为大于 0 的金额", key=f"item{n}.amount"))
        if not final:
            continue
        if i.term_seq is not None and i.verdict is None:
            errors.append(ValidationError(f"第{i.term_seq}项条款", "请选择意见（可以执行、需修改或不能执行）",
                                          key=f"item{n}.verdict"))
        if i.verdict in (Verdict.NEEDS_CHANGE, Verdict.NOT_ENFORCEABLE) and not i.reason.strip():
            errors.append(ValidationError(f"第{i.term_seq}项条款", "需修改或不能执行的，请写明理由",
                                          key=f"item{n}.reason"))
        if i.measure is not None and not i.suggestion.strip():
            errors.append(ValidationError(i.measure.label, "请写明建议的具体内容", key=f"item{n}.suggestion"))
    if final:
        assessed = {i.term_seq for i in d.items if i.term_seq is not None}
        for seq in sorted(seqs - assessed):
            errors.append(ValidationError(f"第{seq}项条款", "尚未提出意见", key=f"term{seq}"))
        for k, q in enumerate(c.questions or []):
            if k >= len(d.answers) or not d.answers[k].strip():
                errors.append(ValidationError(f"问题{k + 1}", f"请答复：{q[:30]}", key=f"answer{k}"))
    if errors:
        raise ValidationErrors(errors)


def _apply(advice: EnforcementAdvice, d: AdviceData) -> None:
    items = []
    for n, i in enumerate(d.items):
        fee, detail = preservation_fee(i.amount) if i.measure is Measure.PRESERVATION else (None, "")
        items.append(AdviceItem(sort_order=n, term_seq=i.term_seq, verdict=i.verdict if i.term_seq else None,
                                measure=i.measure, reason=i.reason.strip(), suggestion=i.suggestion.strip(),
                                amount=i.amount, fee=fee, fee_detail=detail))
    advice.items = items
    advice.property_clues, advice.risk_notes = d.property_clues.strip(), d.risk_notes.strip()
    advice.answers = [a.strip() for a in d.answers]
    advice.contact_phone = d.contact_phone.strip()


def _open(session: Session, actor: User, consultation_id: uuid.UUID) -> EnforcementConsultation:
    require(session, actor, Perm.CONSULT_REPLY)
    c = load(session, consultation_id)
    if c.status is ConsultStatus.DRAFT:
        raise ConflictError("该执行咨询函尚未发送。")
    if c.status is not ConsultStatus.SENT:
        raise ConflictError(f"该执行咨询函已{c.status.label}，执行建议不能再修改。")
    return c


def reply_texts(mine: AdviceData, saved: AdviceData) -> dict[str, tuple[str, str]]:
    """The reply's free text in both versions (label → (this desk's, the database's)) for an edit conflict."""
    def line(i: ItemData) -> str:
        head = (f"第{i.term_seq}项" if i.term_seq is not None else (i.measure.label if i.measure else "措施")) + (
            f"（{i.verdict.label}）" if i.verdict else "")
        body = "；".join(x.strip() for x in (i.reason, i.suggestion) if x.strip())
        return f"{head}：{body}" if body else head

    def items(d: AdviceData) -> str:
        return "\n".join(line(i) for i in d.items if i.reason.strip() or i.suggestion.strip() or i.verdict)

    def answers(d: AdviceData) -> str:
        return "\n".join(f"问题{n}：{a.strip()}" for n, a in enumerate(d.answers, 1) if a.strip())

    return {"意见和建议": (items(mine), items(saved)),
            "财产线索": (mine.property_clues.strip(), saved.property_clues.strip()),
            "风险提示": (mine.risk_notes.strip(), saved.risk_notes.strip()),
            "问题答复": (answers(mine), answers(saved))}


def _check_version(session: Session, c: EnforcementConsultation, data: AdviceData, expected: int | None) -> None:
    """``expected``: the reply's ``row_version`` the officer's screen showed, 0 when it showed no reply yet
    (another officer who saved a reply since makes this save a conflict, never an overwrite)."""
    if c.advice is not None:
        check_version(session, c.advice, expected, what="执行建议", audit_entity=ENTITY, audit_id=c.id,
                      texts=reply_texts(data, advice_data(c.advice)))


def save_reply(session: Session, actor: User, consultation_id: uuid.UUID, data: AdviceData, *,
               expected_version: int | None = None) -> bool:
    """Store the officer's reply draft (autosave). False when nothing changed. ``expected_version``: see
    :func:`_check_version`."""
    c = _open(session, actor, consultation_id)
    _check(c, data, final=False)
    advice = c.advice
    if advice is not None and _json(advice_data(advice)) == _json(data):
        return False
    _check_version(session, c, data, expected_version)
    if advice is None:
        advice = EnforcementAdvice(drafted_by_id=actor.id)
        c.advice = advice
    _apply(advice, data)
    bump(advice)  # its items are child rows: their change counts as a change of the reply
    session.flush()
    audit.record(session, actor, "enforcement.advice.save", entity=ENTITY, entity_id=c.id, after=_json(data))
    return True


def submit_reply(session: Session, actor: User, consultation_id: uuid.UUID, data: AdviceData | None = None, *,
                 today: date | None = None, expected_version: int | None = None) -> EnforcementAdvice:
    """提交执行建议: check it is complete, number it, mark the consultation 已回复."""
    c = _open(session, actor, consultation_id)
    if data is None:
        if c.advice is None:
            raise ValidationError("执行建议", "尚未填写执行建议", key="advice")
        data = advice_data(c.advice)
    elif c.advice is not None and _json(advice_data(c.advice)) != _json(data):
        _check_version(session, c, data, expected_version)
    _check(c, data, final=True)
    if c.advice is None:
        c.advice = EnforcementAdvice(drafted_by_id=actor.id)
    advice = c.advice
    _apply(advice, data)
    replied_on = today or today_local()
    advice.number, advice.number_serial = assign_number(session, ADVICE_CODE_KEY, ADVICE_CODE_DEFAULT, replied_on.year)
    advice.number_year = replied_on.year
    advice.submitted_by_id, advice.submitted_at = actor.id, utcnow()
    c.status, c.replied_at, c.replied_on = ConsultStatus.REPLIED, advice.submitted_at, replied_on
    session.flush()
    late = c.reply_due is not None and replied_on > c.reply_due
    audit.record(session, actor, "enforcement.advice.submit", entity=ENTITY, entity_id=c.id,
                 before={"status": "sent"},
                 after={"status": c.status.value, "number": advice.number, "replied_on": replied_on,
                        "late": late, **_json(data),
                        "fees": {str(i.sort_order): i.fee for i in advice.items if i.fee is not None}})
    return advice
