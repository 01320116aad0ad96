"""执行咨询函 (KIND ``enforcement-consultation``) and 执行建议 (KIND ``enforcement-advice``).

Structure from DOCUMENTS.md §4 (reconstructed from reports, [L]; no verbatim court form exists): the
咨询函 goes from the trial division to the enforcement bureau with the case block, the parties and
their known assets, the draft terms quoted in full with their elements, the questions, the requested
reply date and the issuing division; the 执行建议 answers per term (可以执行 / 需修改 / 不能执行, reason,
suggested wording), gives property clues, suggested measures (诉讼保全 with its fee) and the answers to
the questions, signed by the enforcement bureau. Both are internal documents: no 院印 by default.

``options``: ``consultation_id`` (default: the case's latest consultation), ``issued_on`` (a date;
default: the day it was sent / replied, or today for a draft). Wording lives in
``resources/templates/enforcement-consultation.toml`` and ``enforcement-advice.toml``.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind, today
from baihe_desk.documents.settings import get_setting
from baihe_desk.documents.templates import FieldValue, Placeholder
from baihe_desk.documents.text import arabic_date, chinese_date, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, PartyKind, PartyRole, User
from baihe_desk.models.enforcement import (
    GUARANTEE_LABELS,
    LIABILITY_LABELS,
    ConsultationTerm,
    ConsultStatus,
    EnforcementConsultation,
    TermKind,
)
from baihe_desk.services.enforcement.draft import gaps_of, term_data
from baihe_desk.services.enforcement.enforceability import TRAILING, is_cost_clause

CONSULTATION_KIND, ADVICE_KIND = "enforcement-consultation", "enforcement-advice"
BUREAU_KEY, BUREAU_DEFAULT = "enforcement.bureau_name", "本院执行局"
CN_NUMBERS = "一二三四五六七八九十"


def money(value: Decimal | None) -> str:
    """120000 → "120000元", 1120.5 → "1120.50元" (court documents write no thousands separators)."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.01"))
    return f"{q:.0f}元" if q == q.to_integral_value() else f"{q:.2f}元"


def cn_index(n: int) -> str:
    return CN_NUMBERS[n - 1] if 1 <= n <= 10 else str(n)


def _fv(value: object, label: str) -> FieldValue:
    """A one-line value that remembers its field (for the glyph preflight)."""
    return FieldValue(one_line(value), label)


def _paras(value: str, label: str) -> list[FieldValue]:
    """Multi-line text typed by a user → one value per non-empty line (one paragraph each)."""
    return [FieldValue(line, label) for line in (one_line(x) for x in (value or "").splitlines()) if line]


def _text_date(value: str | None) -> str:
    try:
        return arabic_date(date.fromisoformat(value)) if value else "（日期未填）"
    except ValueError:
        return value or ""


def term_elements(term: ConsultationTerm) -> list[str]:
    """The structured elements of one term, one phrase each (for the 咨询函 and the screens)."""
    t = _Trimmed(term)  # user text without its final 。； (the phrases are joined with ；)
    if is_cost_clause(term_data(term)):  # 案件受理费由被告负担: no 权利人 or 履行期限 to ask for
        return ["类型：诉讼费用负担", f"负担人：{t.obligors or '（未写明）'}",
                *([f"金额：{money(t.amount)}"] if t.amount is not None else [])]
    out = [f"类型：{term.kind.label}"]
    out.append(f"义务人：{t.obligors or '（未写明）'}；权利人：{t.obligees or '（未写明）'}")
    if len([n for n in t.obligors.replace("，", "、").split("、") if n.strip()]) > 1:
        out.append(f"责任形式：{LIABILITY_LABELS.get(t.liability, '')}"
                   + (f"（{t.liability_wording}）" if t.liability_wording else ""))
    if t.kind is TermKind.MONEY:
        out.append(f"给付金额：{money(t.amount) or '（未写明）'}")
        if t.has_interest:
            out.append(f"利息：计算基数{t.interest_basis or '（未写明）'}，利率{t.interest_rate or '（未写明）'}，"
                       f"起算{t.interest_start or '（未写明）'}，截止{t.interest_end or '（未写明）'}")
    if t.object_desc:
        out.append(f"标的物：{t.object_desc}")
    if t.act_content:
        out.append(f"履行内容：{t.act_content}")
    if t.instalments:
        parts = [f"第{i}期{_text_date(p.get('due'))}前{money(Decimal(p['amount'])) if p.get('amount') else '（金额未填）'}"
                 for i, p in enumerate(t.instalments, 1)]
        out.append(f"分期履行（共{len(parts)}期）：" + "；".join(parts))
        out.append(f"未按期履行的后果：{t.acceleration or '（未约定）'}")
    if t.guarantor:
        out.append(f"担保人：{t.guarantor}，{GUARANTEE_LABELS.get(t.guarantee_mode, '')}"
                   + (f"，担保范围和期间：{t.guarantee_scope}" if t.guarantee_scope else ""))
    if t.perform_by or t.perform_manner:
        when = t.perform_by or ("按上列分期" if t.instalments else "（未写明）")
        out.append(f"履行期限：{when}；履行方式：{t.perform_manner or '（未写明）'}")
    return out


def attachment_label(a: dict[str, str]) -> str:
    """附件 line: the name, with where the paper lies (卷宗第12页) — a file path is not printed."""
    name, ref = (a.get("name") or "").strip(), (a.get("ref") or "").strip()
    is_path = "/" in ref or "\\" in ref
    if not name:
        return ref.replace("\\", "/").rsplit("/", 1)[-1] if is_path else ref
    return f"{name}（{ref}）" if ref and not is_path else name


class _Trimmed:
    """Attribute access to a term with every text value stripped of trailing 。；; and spaces."""

    def __init__(self, term: ConsultationTerm):
        self._t = term

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._t, name)
        if isinstance(value, str) and not isinstance(value, Enum):
            return value.strip().rstrip(TRAILING).strip()
        return value


def find_consultation(session: Session, case: Case, options: dict[str, Any], *, need_advice: bool = False
                      ) -> EnforcementConsultation:
    from baihe_desk.services.enforcement.consultation import load

    cid = options.get("consultation_id")
    if cid:
        c = load(session, cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid)))
        if c.case_id != case.id:
            raise KnownError("该执行咨询函不属于本案。")
    else:
        q = select(EnforcementConsultation.id).where(EnforcementConsultation.case_id == case.id)
        q = q.order_by((EnforcementConsultation.status == ConsultStatus.DRAFT), EnforcementConsultation.updated_at.desc())
        found = session.scalars(q.limit(1)).first()
        if found is None:
            raise KnownError("本案尚无执行咨询函。请先在「执行咨询」中起草。")
        c = load(session, found)
    if need_advice and c.advice is None:
        raise KnownError("执行局尚未对该执行咨询函作出执行建议。")
    return c


def _case_block(case: Case) -> dict[str, Any]:
    plaintiffs = "、".join(p.name for p in case.parties if p.role is PartyRole.PLAINTIFF)
    defendants = "、".join(p.name for p in case.parties if p.role is PartyRole.DEFENDANT)
    title = f"{plaintiffs}诉{defendants}" if plaintiffs and defendants else plaintiffs or defendants
    ref = (f"（案号：{one_line(case.case_number)}）" if case.case_number  # never "一案（（2026）…号）"
           else f"（收件号：{one_line(case.receipt_number)}）")
    return {"case_number": one_line(case.case_number or case.receipt_number), "case_ref": ref,
            "case_title": one_line(f"{title}{case.cause_name}" if title else case.cause_name or "本"),
            "cause": one_line(case.cause_name)}


def _user_name(session: Session, user_id: uuid.UUID | None) -> str:
    user = session.get(User, user_id) if user_id else None
    if user is None:
        return ""
    name = one_line(user.display_name)
    return name.split(" ")[-1]  # "法官 李堃" → 李堃


def consultation_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    from baihe_desk.services.enforcement.enforceability import Gap

    c = find_consultation(session, case, options)
    issued = options.get("issued_on") or c.sent_on or today()
    parties = []
    for p in c.parties:
        id_label = "统一社会信用代码" if p.kind is PartyKind.ORGANISATION else "身份证号"
        parties.append({"role": _fv(p.role_label or "当事人", "诉讼地位"), "name": _fv(p.name, "当事人姓名或名称"),
                        "id_label": id_label, "id_code": _fv(p.id_code, id_label),
                        "domicile": _fv(p.domicile, "住所"), "assets": _fv("；".join(_paras(p.assets, "")), "已知财产")})
    terms = [{"seq": t.seq, "text": _fv(t.text or "（未填写条款全文）", f"第{t.seq}项条款"),
              "elements": _fv("；".join(term_elements(t)) + "。", f"第{t.seq}项要素")} for t in c.terms]
    # a sent letter shows what the checker found when it was sent; a draft what it finds now, so every
    # element the letter prints as （未写明） has its line here
    gaps = ([Gap.from_dict(g) for g in c.gaps_at_send or []] if c.status is not ConsultStatus.DRAFT else gaps_of(c))
    return {
        "court_name": one_line(court.name),
        "number": one_line(c.number), "draft": c.status is ConsultStatus.DRAFT,
        "bureau": one_line(get_setting(session, BUREAU_KEY, BUREAU_DEFAULT)) or BUREAU_DEFAULT,
        **_case_block(case), "stage_note": one_line(c.stage_note), "terms_label": c.terms_kind.label.removeprefix("拟"),
        "from_department": one_line(c.from_department),
        "judge_name": _user_name(session, c.consulting_user_id), "contact_phone": one_line(c.contact_phone),
        "parties": parties, "terms": terms,
        "questions": [_fv(q, f"问题{i}") for i, q in enumerate(c.questions or [], 1)],
        "gaps": [{"where": g.where(), "kind": g.severity_label, "message": _fv(g.message, "检查提示")} for g in gaps],
        "attachments": [_fv(attachment_label(a), "附件") for a in c.attachments or []],
        "reply_due": arabic_date(c.reply_due) if c.reply_due else "", "reply_days": c.reply_days or "",
        "issue_date": chinese_date(issued),
    }


def advice_values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    c = find_consultation(session, case, options, need_advice=True)
    advice = c.advice
    assert advice is not None
    issued = options.get("issued_on") or c.replied_on or today()
    texts = {t.seq: t.text for t in c.terms}
    assessments: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    for item in advice.items:
        if item.term_seq is not None:
            n = len(assessments) + 1
            assessments.append({
                "cn": cn_index(n), "seq": item.term_seq, "verdict": item.verdict.label if item.verdict else "（未选择）",
                "term": _fv(texts.get(item.term_seq, ""), f"第{item.term_seq}项条款"),
                "reason": _paras(item.reason, f"第{item.term_seq}项理由"),
                "suggestion": _paras(item.suggestion, f"第{item.term_seq}项建议表述")})
        elif item.measure is not None:
            fee = ""
            if item.fee is not None and item.amount is not None:
                fee = (f"按拟保全财产数额{money(item.amount)}计算，保全申请费为{money(item.fee)}（《诉讼费用交纳办法》"
                       f"第十四条第（二）项），由申请人负担，可以列入诉讼请求（第三十八条第三款）。")
            measures.append({"label": item.measure.label, "text": _paras(item.suggestion, item.measure.label),
                             "fee": fee})
    questions = [{"question": _fv(q, f"问题{i}"),
                  "answer": _paras(advice.answers[i - 1] if i - 1 < len(advice.answers or []) else "", f"答复{i}")}
                 for i, q in enumerate(c.questions or [], 1)]
    return {
        "court_name": one_line(court.name), "number": one_line(advice.number), "draft": advice.submitted_at is None,
        "consult_number": one_line(c.number), "consult_date": arabic_date(c.sent_on) if c.sent_on else "",
        "addressee": one_line(c.from_department) + (f"{_user_name(session, c.consulting_user_id)}法官"
                                                    if c.consulting_user_id else ""),
        **_case_block(case), "terms_label": c.terms_kind.label.removeprefix("拟"),
        "assessments": assessments, "measures": measures, "questions": questions,
        "property_clues": _paras(advice.property_clues, "财产线索"), "risk_notes": _paras(advice.risk_notes, "风险提示"),
        "officer_name": _user_name(session, advice.submitted_by_id or advice.drafted_by_id),
        "contact_phone": one_line(advice.contact_phone),
        "issue_date": chinese_date(issued),
        "judged": _judged(session, case),
    }


def _judged(session: Session, case: Case) -> bool:
    """Whether a judgment exists: only then is there a 被执行人 (before it, the draft's 义务人)."""
    from baihe_desk.models.case import Stage
    from baihe_desk.models.explanation import JudgmentRecord

    if case.stage in (Stage.JUDGED, Stage.CLOSED):
        return True
    return session.scalar(select(JudgmentRecord.id).where(JudgmentRecord.case_id == case.id).limit(1)) is not None


S_PARTY = [{"role": "原告", "name": "王堃", "id_label": "身份证号", "id_code": "220222198503140118",
            "domicile": "吉林省安图县二道白河镇白山大街8号", "assets": "暂未掌握"},
           {"role": "被告", "name": "李喆玥", "id_label": "身份证号", "id_code": "", "domicile": "",
            "assets": "工资收入；住房一套"}]
S_TERM = [{"seq": 1, "text": "被告李喆玥于2027年12月31日前分三期偿还原告王堃借款本金120000元。",
           "elements": "类型：给付金钱；义务人：李喆玥；权利人：王堃；给付金额：120000元。"}]
COMMON = {
    "court_name": Placeholder("法院名称", True, "吉林省白河林区基层法院"),
    "number": Placeholder("编号", False, "（2026）吉7502执咨1号"),
    "draft": Placeholder("草稿", False, False),
    "case_number": Placeholder("案号", False, "（2026）吉7502民初88号"),
    "case_ref": Placeholder("案号（带括号）", True, "（（2026）吉7502民初88号）"),
    "case_title": Placeholder("案件名称", True, "王堃诉李喆玥民间借贷纠纷"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "terms_label": Placeholder("条款类别", True, "调解条款"),
    "contact_phone": Placeholder("联系电话", False, ""),
    "issue_date": Placeholder("落款日期", True, "二〇二六年九月二十四日"),
}
CONSULTATION_PLACEHOLDERS = {
    **COMMON,
    "bureau": Placeholder("收函部门", True, "本院执行局"),
    "stage_note": Placeholder("审理阶段", False, "调解中，拟出具调解书"),
    "from_department": Placeholder("咨询部门", False, "民事审判庭"),
    "judge_name": Placeholder("承办法官", False, "李堃"),
    "parties": Placeholder("当事人及已知财产", True, S_PARTY),
    "terms": Placeholder("拟定条款", True, S_TERM),
    "questions": Placeholder("咨询问题", False, ["分期履行条款是否需要加速到期条款？"]),
    # Samples show an item's shape (the template editor previews and the bad-input tests fill them): a gap
    # is {where, kind, message} as consultation_values() builds it, never a bare string.
    "gaps": Placeholder("系统检查提示", False, [
        {"where": "第1项", "kind": "缺陷", "message": "分期履行未约定加速到期条款，一期不履行时无法就全部余款申请执行。"}]),
    "attachments": Placeholder("附件", False, ["借条复印件"]),
    "reply_due": Placeholder("回复期限", False, "2026年10月15日"),
    "reply_days": Placeholder("回复期限（工作日）", False, 10),
}
ADVICE_PLACEHOLDERS = {
    **COMMON,
    "consult_number": Placeholder("咨询函编号", False, "（2026）吉7502执咨1号"),
    "consult_date": Placeholder("咨询日期", False, "2026年9月24日"),
    "addressee": Placeholder("受函部门和法官", True, "民事审判庭李堃法官"),
    "assessments": Placeholder("对条款的意见", True, [
        {"cn": "一", "seq": 1, "verdict": "需修改后方可执行", "term": S_TERM[0]["text"],
         "reason": ["未约定加速到期条款。"], "suggestion": ["增加加速到期条款。"]}]),
    "measures": Placeholder("建议措施", False, [{"label": "诉讼保全", "text": ["建议申请诉讼保全。"], "fee": ""}]),
    "questions": Placeholder("问题和答复", False, [{"question": "是否需要加速到期条款？", "answer": ["需要。"]}]),
    "property_clues": Placeholder("财产线索", False, ["被告名下有登记在安图县的机动车一辆。"]),
    "judged": Placeholder("已有判决（称被执行人）", False, False),
    "risk_notes": Placeholder("风险提示", False, ["被告另涉两起执行案件，履行能力存疑。"]),
    "officer_name": Placeholder("执行局承办人", False, "郑刚"),
}

ENFORCEMENT_CONSULTATION = DocumentKind(CONSULTATION_KIND, "执行咨询函", CONSULTATION_PLACEHOLDERS,
                                        consultation_values)
ENFORCEMENT_ADVICE = DocumentKind(ADVICE_KIND, "执行建议", ADVICE_PLACEHOLDERS, advice_values)
