"""判后答疑笔录 (KIND ``explanation-record``): the record of ONE tier of a post-judgment explanation.

Structure (DOCUMENTS.md §5): header (time, place, answerer, recorder, attendees, case, judgment,
tier), the opening notices (voluntary; the explanation does not change the judgment), the remedies —
inside the appeal period the deadline of THIS party and the days left on the day, with the reminders
that answering does not extend the period and that an oral wish to appeal is not an appeal (民诉法解释
第三百一十八条); after it or for a final decision, 再审 — then the questions, answers, legal points,
the party's response and decision, and the signature and fingerprint lines.

Options: ``tier_id`` (which tier; default: the latest recorded tier of the case). The appeal deadline
printed is the one the desk showed when the tier was recorded (the tier's snapshot), so a reprint
says what the party was told. Setting ``explanation.appeal_court_name`` names the appeal court
(empty: "上一级人民法院").
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.documents.settings import get_setting
from baihe_desk.documents.templates import FieldValue, Placeholder
from baihe_desk.documents.text import arabic_date, bare_name, clean, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile, Party, PartyKind, Procedure
from baihe_desk.models.explanation import (
    DECISION_LABELS,
    MAX_TIER,
    TIER_ROLES,
    ExplanationRequest,
    ExplanationTier,
    JudgmentRecord,
    PartyDecision,
)

KIND = "explanation-record"
APPEAL_COURT_SETTING = "explanation.appeal_court_name"
TIER_CN = {1: "一", 2: "二", 3: "三"}
DAYS_CN = {15: "十五", 10: "十", 30: "三十"}

PLACEHOLDERS = {
    "court_name": Placeholder("法院名称", False, "吉林省白河林区基层法院"),
    "case_number": Placeholder("案号", True, "（2026）吉7502民初15号"),
    "cause": Placeholder("案由", False, "民间借贷纠纷"),
    "decision_title": Placeholder("裁判文书名称", True, "民事判决书"),
    "document_number": Placeholder("文书字号", False, "（2026）吉7502民初15号"),
    "pronounced_date": Placeholder("宣判日期", True, "2026年3月2日"),
    "tier_cn": Placeholder("答疑级别", True, "二"),
    "tier_role": Placeholder("答疑人职务", True, "庭长"),
    "previous_tiers": Placeholder("此前各级答疑", False, "此前已经第一级答疑（承办法官李堃，2026年3月4日），当事人仍有异议"),
    "held_date": Placeholder("答疑日期", True, "2026年3月6日"),
    "start_time": Placeholder("开始时间", True, "09:00"),
    "end_time": Placeholder("结束时间", True, "09:40"),
    "place": Placeholder("答疑地点", True, "本院诉讼服务中心答疑室"),
    "answerer": Placeholder("答疑人", True, "周建国"),
    "retrial": Placeholder("申请再审的告知", False, "可以向上一级人民法院申请再审（《中华人民共和国民事诉讼法》第二百一十条）。"
                           "申请再审应当在判决、裁定发生法律效力后六个月内提出（《中华人民共和国民事诉讼法》第二百一十六条）；"
                           "申请再审不停止判决、裁定的执行。"),
    "clerk_name": Placeholder("记录人", False, "钱晓"),
    "attendees": Placeholder("到场人员", True, "被告刘䶮（身份已核实）"),
    "party_name": Placeholder("当事人", True, "刘䶮"),
    "party_role": Placeholder("诉讼地位", True, "被告"),
    "requester": Placeholder("申请人", True, "刘䶮"),
    "requester_capacity": Placeholder("申请人身份", True, "当事人本人"),
    "channel": Placeholder("申请方式", True, "电话"),
    "received_date": Placeholder("申请日期", True, "2026年3月3日"),
    "served_date": Placeholder("送达日期", False, "2026年3月2日"),
    "appeal_state": Placeholder("上诉期状态", True, "running"),
    "appeal_days": Placeholder("上诉期限（日）", False, "十五"),
    "appeal_article": Placeholder("上诉期限的条文", False, "第一百七十一条"),
    "appeal_due_date": Placeholder("上诉期届满日", False, "2026年3月17日"),
    "appeal_countdown": Placeholder("答疑当日上诉期提示", False, "答疑当日距上诉期届满尚余11日"),
    "appeal_court": Placeholder("上诉法院", False, "上一级人民法院"),
    "not_appealable_reason": Placeholder("不准上诉的理由", False, ""),
    "questions": Placeholder("当事人提出的问题", True, ["借条上的签名不是我签的，法院为什么认定借款成立？"]),
    "answers": Placeholder("答疑内容", True, ["本案中，原告提交了借条原件和银行转账记录，转账金额、时间与借条一致……"]),
    "legal_points": Placeholder("释明的法律依据和要点", False, ["《中华人民共和国民法典》第六百六十七条、第六百七十五条。"]),
    "party_response": Placeholder("当事人的意见", True, ["听明白了，但我仍认为判决有误。"]),
    "decision_label": Placeholder("当事人的决定", True, "将上诉"),
    "decision_ticks": Placeholder("决定勾选行", True, "□服判息诉　■将上诉　□申请再审　□仍有异议"),
    "next_role": Placeholder("上一级答疑人职务", False, ""),
}


def _paragraphs(text: str, label: str) -> list[FieldValue]:
    return [FieldValue(p.strip(), label) for p in clean(text).split("\n") if p.strip()]


def _tier(session: Session, case: Case, options: dict[str, Any]) -> ExplanationTier:
    tier_id = options.get("tier_id")
    if tier_id:
        tier = session.get(ExplanationTier, tier_id if isinstance(tier_id, uuid.UUID) else uuid.UUID(str(tier_id)))
        if tier is None or tier.request.case_id != case.id:
            raise KnownError("所选的答疑记录不属于本案。")
    else:
        tier = session.scalars(
            select(ExplanationTier).join(ExplanationRequest)
            .where(ExplanationRequest.case_id == case.id, ExplanationTier.recorded_at.is_not(None))
            .order_by(ExplanationTier.recorded_at.desc()).limit(1)).first()
        if tier is None:
            raise KnownError("本案尚无已记录的判后答疑，无法生成判后答疑笔录。")
    if not tier.recorded:
        raise KnownError(f"第{tier.tier_no}级答疑尚未记录，无法生成笔录。")
    return tier


def _capacity(capacity: str, party: Party) -> str:
    """申请人身份: 当事人本人 for a person; a company asks through someone, so never 当事人本人."""
    if capacity == "本人":
        return "当事人本人" if party.kind is PartyKind.NATURAL else "当事人"
    return capacity


def retrial_text(case: Case) -> str:
    """Where and how to apply for 再审 once the decision is in force, ending with its own 。.

    A small-claims case goes back to the court that decided it (解释第四百二十四条, citing the grounds of 民诉法
    第二百零七条 of 2021 = 第二百一十一条 of 2023); any other case to the court one level up, or, when both
    sides are citizens, also to this court (民诉法第二百一十条)."""
    time_limit = ("申请再审应当在判决、裁定发生法律效力后六个月内提出（《中华人民共和国民事诉讼法》第二百一十六条）；"
                  "申请再审不停止判决、裁定的执行。")
    if case.procedure is Procedure.SMALL_CLAIMS:
        return ("可以依照《中华人民共和国民事诉讼法》第二百一十一条规定的事由向本院申请再审；认为本案不应当按小额诉讼案件"
                "审理的，也可以向本院申请再审（《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
                f"第四百二十四条）。{time_limit}")
    sides = {p.role for p in case.parties}
    citizens = all(p.kind is PartyKind.NATURAL for p in case.parties) and len(sides) > 1
    here = "；当事人双方为公民的，也可以向本院申请再审" if citizens else ""
    return f"可以向上一级人民法院申请再审{here}（《中华人民共和国民事诉讼法》第二百一十条）。{time_limit}"


def _date(d) -> str:  # type: ignore[no-untyped-def]
    return arabic_date(d) if d else ""


def values(session: Session, case: Case, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    tier = _tier(session, case, options)
    req = tier.request
    judgment = session.get(JudgmentRecord, req.judgment_id)
    if judgment is None:
        raise KnownError("本案的判决或裁定登记已被删除，无法生成判后答疑笔录。")
    party = session.get(Party, req.party_id)
    if party is None:
        raise KnownError("申请答疑的当事人已被删除，无法生成判后答疑笔录。")
    service = next((s for s in judgment.services if s.party_id == party.id), None)
    decision = tier.decision or PartyDecision.ACCEPTS
    previous = [t for t in req.tiers if t.tier_no < tier.tier_no]
    prev_text = "；".join(f"第{TIER_CN[t.tier_no]}级答疑（{t.assignee_role}{bare_name(t.assignee_name)}，{_date(t.held_on)}）"
                         for t in previous)
    state = tier.appeal_state or "not_served"
    countdown = ""
    if state == "running" and tier.appeal_days_left is not None:
        countdown = ("答疑当日为上诉期的最后一日" if tier.appeal_days_left == 0
                     else f"答疑当日距上诉期届满尚余{tier.appeal_days_left}日")
    from baihe_desk.services.deadlines.party_periods import appeal_article
    from baihe_desk.services.explanation.appeal import appealability

    rule = appealability(judgment.kind, judgment.ruling_type, case.procedure, party.domicile_region)
    court_setting = one_line(get_setting(session, APPEAL_COURT_SETTING, "") or "")
    return {
        "court_name": one_line(court.name),
        "case_number": one_line(case.case_number or f"收件号：{case.receipt_number}"),
        "cause": one_line(case.cause_name),
        "decision_title": judgment.kind.document_title,
        "document_number": one_line(judgment.document_number) if judgment.document_number != case.case_number else "",
        "pronounced_date": _date(judgment.pronounced_on),
        "tier_cn": TIER_CN[tier.tier_no],
        "tier_role": tier.assignee_role,
        "previous_tiers": f"此前已经{prev_text}，当事人仍有异议，申请进一步答疑" if previous else "",
        "held_date": _date(tier.held_on),
        "start_time": tier.start_time,
        "end_time": tier.end_time,
        "place": one_line(tier.place),
        "answerer": bare_name(tier.assignee_name),
        "clerk_name": bare_name(tier.clerk_name),
        "attendees": one_line(tier.attendees),
        "party_name": one_line(party.name),
        "party_role": party.role.label,
        "requester": one_line(req.requester_name or party.name),
        "requester_capacity": _capacity(req.requester_capacity, party),
        "channel": req.channel.label,
        "received_date": _date(req.received_on),
        "served_date": _date(service.served_on) if service else "",
        "appeal_state": state,
        "appeal_days": DAYS_CN.get(rule.days or 0, str(rule.days or "")),
        "appeal_article": appeal_article(party.domicile_region),
        "appeal_due_date": _date(tier.appeal_due),
        "appeal_countdown": countdown,
        "appeal_court": court_setting or "上一级人民法院",
        "not_appealable_reason": rule.reason if not rule.appealable else "",
        "questions": _paragraphs(tier.questions, "当事人提出的问题"),
        "answers": _paragraphs(tier.answers, "答疑内容"),
        "legal_points": _paragraphs(tier.legal_points, "释明的法律依据和要点"),
        "party_response": _paragraphs(tier.party_response, "当事人的意见"),
        "decision_label": DECISION_LABELS[decision],
        "decision_ticks": "　".join(("■" if d is decision else "□") + DECISION_LABELS[d] for d in PartyDecision),
        "retrial": retrial_text(case),
        "next_role": TIER_ROLES[tier.tier_no + 1]
        if decision is PartyDecision.STILL_OBJECTS and tier.tier_no < MAX_TIER else "",
    }


EXPLANATION_RECORD = DocumentKind(KIND, "判后答疑笔录", PLACEHOLDERS, values)
