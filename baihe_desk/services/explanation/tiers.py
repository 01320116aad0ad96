"""判后答疑 (2/4) — requests and the tiers 承办法官 → 庭长 → 分管院长 (层进式答疑).

The three-tier sequence is this court's practice (court-report: 由承办法官、庭长、分管院长逐级答疑;
DOMAIN.md §8: no national rule fixes it). The desk enforces it:

- :func:`open_request` registers a request and opens tier 1, assigned by name to the 承办法官
  (``Case.judge_id``);
- :func:`record_tier`: ONLY the person assigned to that tier may record it (role permission first,
  then the named-person check; both refusals are audited). The record keeps a snapshot of the party's
  appeal deadline and days left on the day (what the desk showed);
- a decision of 仍有异议 leaves the request waiting; :func:`escalate` opens the next tier — tier 2 for
  the 庭长 (``Department.chief_id`` of the judge's division), tier 3 for the 分管院长
  (``Department.overseer_id``) — never skipping one; :func:`close_request` ends it when the party does
  not want the next tier. Any other decision closes the request with that outcome.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, ValidationError, ValidationErrors
from baihe_desk.models import Case, Department, Party, User, utcnow
from baihe_desk.models.explanation import (
    MAX_TIER,
    TIER_ROLES,
    Channel,
    ExplanationRequest,
    ExplanationTier,
    PartyDecision,
    RequestStatus,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.concurrency import check_version
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.explanation.appeal import (
    CPL,
    AppealStatus,
    appeal_status,
    deny,
    get_case,
    judgment_of,
    today,
)


def _column_limit(column: ColumnElement[Any]) -> int:
    """The length of a VARCHAR column: the most a form may accept for it."""
    kind = column.type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} has no length")
    return kind.length


REQUESTER_NAME_LIMIT = _column_limit(ExplanationRequest.__table__.c.requester_name)
CAPACITIES = ("本人", "法定代理人", "委托诉讼代理人", "法定代表人")
CATEGORIES = ("证据采信", "事实认定", "法律适用", "裁判理由", "裁判主文含义", "诉讼费用", "诉讼程序")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _raise_all(errors: list[ValidationError]) -> None:
    """One field error as itself, several together (the form marks each of their fields)."""
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)


def _text(value: object) -> str:
    return str(value or "").strip()


def _request(session: Session, request_id: uuid.UUID) -> ExplanationRequest:
    req = session.get(ExplanationRequest, request_id)
    if req is None:
        raise NotFound("答疑申请不存在或已被删除。")
    return req


def _user(session: Session, user_id: uuid.UUID | None) -> User | None:
    return session.get(User, user_id) if user_id else None


def judge_division(session: Session, case: Case) -> Department | None:
    """The division of the case's 承办法官 (the judge's department, else the case's department)."""
    judge = _user(session, case.judge_id)
    dept_id = (judge.department_id if judge else None) or case.department_id
    return session.get(Department, dept_id) if dept_id else None


def assignee_for(session: Session, case: Case, tier_no: int) -> tuple[User, Department | None]:
    """Who answers tier ``tier_no`` of ``case``, from the court's organisation (by name)."""
    if tier_no == 1:
        judge = _user(session, case.judge_id)
        if judge is None:
            raise KnownError("本案尚未确定承办法官，无法安排第一级答疑。请先在案件中指定承办法官。")
        if not judge.active:
            raise KnownError(f"承办法官{judge.display_name}的账号已停用，请先调整本案的承办法官。")
        return judge, judge_division(session, case)
    dept = judge_division(session, case)
    if dept is None:
        raise KnownError("承办法官未归属任何部门，无法确定庭长和分管院长。请管理员在「组织机构」中设置。")
    who_id = dept.chief_id if tier_no == 2 else dept.overseer_id
    role = TIER_ROLES[tier_no]
    user = _user(session, who_id)
    if user is None:
        raise KnownError(f"{dept.name}尚未设置{role}，无法安排第{tier_no}级答疑。请管理员在「组织机构」中设置。")
    if not user.active:
        raise KnownError(f"{dept.name}的{role}{user.display_name}账号已停用，请管理员在「组织机构」中调整。")
    return user, dept


def _new_tier(session: Session, actor: User, req: ExplanationRequest, case: Case, tier_no: int, on: date) -> ExplanationTier:
    user, dept = assignee_for(session, case, tier_no)
    earlier = {t.assignee_id: t.tier_no for t in req.tiers}
    if user.id in earlier:
        raise KnownError(f"第{tier_no}级答疑应由{TIER_ROLES[tier_no]}主持，但组织机构中的{TIER_ROLES[tier_no]}"
                         f"{user.display_name}已主持第{earlier[user.id]}级答疑，逐级答疑不能由同一人再次主持。"
                         "请管理员在「组织机构」中调整后再提请。")
    tier = ExplanationTier(tier_no=tier_no, assignee_id=user.id, assignee_name=user.display_name,
                           assignee_role=TIER_ROLES[tier_no], department_id=dept.id if dept else None,
                           assigned_on=on, assigned_by_id=actor.id)
    req.tiers.append(tier)
    req.current_tier, req.status = tier_no, RequestStatus.OPEN
    session.flush()
    audit.record(session, actor, "explanation.assign", entity="explanation_tier", entity_id=tier.id,
                 after={**audit.snapshot(tier), "case_id": case.id})
    return tier


def open_request(session: Session, actor: User | None, case_id: uuid.UUID, *, party_id: uuid.UUID,
                 channel: Channel, questions: str, received_on: date | None = None, requester_name: str = "",
                 requester_capacity: str = "本人", categories: list[str] | None = None,
                 on: date | None = None) -> ExplanationRequest:
    """登记判后答疑申请 and open tier 1 for the 承办法官."""
    actor = require(session, actor, Perm.EXPLANATION_REQUEST)
    on = on or today()
    case = get_case(session, case_id)
    judgment = judgment_of(session, case_id)
    if judgment is None:
        raise KnownError("本案尚未登记判决或裁定，无法登记判后答疑申请。")
    party = session.get(Party, party_id)
    errors = []
    if party is None or party.case_id != case_id:
        errors.append(ValidationError("申请人", "请选择本案的当事人"))
    if not _text(questions):
        errors.append(ValidationError("答疑问题", "请填写当事人提出的问题"))
    received_on = received_on or on
    if received_on > on:
        errors.append(ValidationError("申请日期", f"不能晚于今天（{on.isoformat()}）"))
    elif received_on < judgment.pronounced_on:
        errors.append(ValidationError("申请日期", f"不能早于宣判日期（{judgment.pronounced_on.isoformat()}）"))
    if len(_text(requester_name)) > REQUESTER_NAME_LIMIT:
        errors.append(ValidationError("申请人姓名", f"不能超过{REQUESTER_NAME_LIMIT}个字，"
                                                  f"现在是{len(_text(requester_name))}个字"))
    if requester_capacity not in CAPACITIES:
        errors.append(ValidationError("申请人身份", "应为" + "、".join(CAPACITIES)))
    try:
        channel = Channel(channel)
    except ValueError:
        errors.append(ValidationError("申请方式", "应为窗口、电话、来访或网上"))
    _raise_all(errors)
    assert party is not None
    req = ExplanationRequest(case_id=case.id, judgment_id=judgment.id, party_id=party.id, channel=channel,
                             requester_name=_text(requester_name) or party.name, requester_capacity=requester_capacity,
                             received_on=received_on, questions=_text(questions),
                             categories=[c for c in (categories or []) if c in CATEGORIES],
                             registered_by_id=actor.id)
    session.add(req)
    session.flush()
    audit.record(session, actor, "explanation.request", entity="explanation_request", entity_id=req.id,
                 after=audit.snapshot(req))
    _new_tier(session, actor, req, case, 1, on)
    return req


def current_tier(req: ExplanationRequest) -> ExplanationTier | None:
    return next((t for t in req.tiers if t.tier_no == req.current_tier), None)


def tier_appeal_status(session: Session, tier: ExplanationTier, on: date) -> AppealStatus:
    req = tier.request
    judgment = judgment_of(session, req.case_id)
    if judgment is None:
        raise NotFound("本案的判决或裁定登记已被删除，无法计算上诉期。")
    party = session.get(Party, req.party_id)
    if party is None:
        raise NotFound("申请答疑的当事人已被删除，无法计算上诉期。")
    return appeal_status(session, judgment, party, on)


def _decision_allowed(st: AppealStatus, decision: PartyDecision) -> None:
    if decision is PartyDecision.WILL_APPEAL:
        if st.state == "not_appealable":
            raise ValidationError("当事人的决定", f"本裁判文书依法不准上诉（{st.reason}），当事人不服的可以依法申请再审")
        if st.state == "expired":
            raise ValidationError("当事人的决定", f"{st.text}，已不能上诉；当事人不服的，可以在裁判发生法律效力后依法申请再审"
                                  f"（{CPL}第二百一十条、第二百一十六条）")
    if decision is PartyDecision.RETRIAL and st.state in ("running", "not_served"):
        raise ValidationError("当事人的决定", f"{st.text}，裁判尚未发生法律效力，不能申请再审；当事人不服的应当在上诉期内"
                              f"递交上诉状（{CPL}第一百七十一条、第二百一十条）")


def record_tier(session: Session, actor: User | None, tier_id: uuid.UUID, *, held_on: date, start_time: str,
                end_time: str, place: str, attendees: str, questions: str, answers: str, legal_points: str,
                party_response: str, decision: PartyDecision, clerk_name: str = "",
                on: date | None = None, expected_version: int | None = None) -> ExplanationTier:
    """记录一级答疑. Only the person assigned to the tier may do it. ``expected_version``: the tier's
    ``row_version`` the form showed; recorded at another desk since → :class:`EditConflict` with both texts."""
    actor = require(session, actor, Perm.EXPLANATION_TIER)
    on = on or today()
    tier = session.get(ExplanationTier, tier_id)
    if tier is None:
        raise NotFound("答疑记录不存在或已被删除。")
    req = tier.request
    if tier.assignee_id != actor.id:
        deny(session, actor, "explanation.tier_denied",
             f"第{tier.tier_no}级答疑已指定由{tier.assignee_role}{tier.assignee_name}主持，只有其本人可以记录；"
             f"{actor.display_name}（{actor.role.label}）无权记录。",
             entity="explanation_tier", entity_id=tier.id,
             after={"tier_no": tier.tier_no, "assignee_id": tier.assignee_id, "request_id": req.id})
    check_version(session, tier, expected_version, what=f"第{tier.tier_no}级答疑记录", audit_entity="explanation_tier",
                  texts={"当事人提出的问题": (_text(questions), tier.questions or ""),
                         "答疑内容": (_text(answers), tier.answers or ""),
                         "释明的法律依据和要点": (_text(legal_points), tier.legal_points or ""),
                         "当事人的意见": (_text(party_response), tier.party_response or "")})
    if tier.recorded:
        raise KnownError(f"第{tier.tier_no}级答疑已于{tier.held_on}记录，笔录不能修改。")
    if req.status is RequestStatus.CLOSED or req.current_tier != tier.tier_no:
        raise KnownError("该级答疑不是本申请当前待记录的一级。")
    fields = {"答疑地点": place, "到场人员": attendees, "当事人提出的问题": questions, "答疑内容": answers,
              "释明的法律依据和要点": legal_points, "当事人的意见": party_response}
    errors = [ValidationError(label, "不能为空") for label, value in fields.items() if not _text(value)]
    bad_times = [label for label, value in (("开始时间", start_time), ("结束时间", end_time))
                 if not _TIME.match(_text(value))]
    errors += [ValidationError(label, "格式应为 时:分（如 09:30）") for label in bad_times]
    if not bad_times and _text(end_time) <= _text(start_time):
        errors.append(ValidationError("结束时间", "应晚于开始时间"))
    previous = [t for t in req.tiers if t.tier_no < tier.tier_no]
    earliest = max([req.received_on, *[t.held_on for t in previous if t.held_on]])
    if not isinstance(held_on, date):
        errors.append(ValidationError("答疑日期", "请填写日期"))
    elif held_on > on:
        errors.append(ValidationError("答疑日期", f"不能晚于今天（{on.isoformat()}）"))
    elif held_on < earliest:
        errors.append(ValidationError("答疑日期", f"不能早于{earliest.isoformat()}（申请日期或上一级答疑日期）"))
    try:
        decision = PartyDecision(decision)
    except ValueError:
        errors.append(ValidationError("当事人的决定", "请选择服判息诉、将上诉、申请再审或仍有异议"))
    _raise_all(errors)
    st = tier_appeal_status(session, tier, held_on)
    _decision_allowed(st, decision)

    before = audit.snapshot(tier)
    tier.held_on, tier.start_time, tier.end_time = held_on, _text(start_time), _text(end_time)
    tier.place, tier.attendees, tier.clerk_name = _text(place), _text(attendees), _text(clerk_name)
    tier.questions, tier.answers, tier.legal_points = _text(questions), _text(answers), _text(legal_points)
    tier.party_response, tier.decision = _text(party_response), decision
    tier.appeal_state, tier.appeal_due, tier.appeal_days_left = st.state, st.due, st.days_left
    tier.recorded_by_id, tier.recorded_at = actor.id, utcnow()
    req_before = audit.snapshot(req)
    if decision is PartyDecision.STILL_OBJECTS and tier.tier_no < MAX_TIER:
        req.status = RequestStatus.AWAITING_ESCALATION
    else:
        req.status, req.outcome, req.closed_on = RequestStatus.CLOSED, decision, held_on
        if decision is PartyDecision.STILL_OBJECTS:
            req.close_note = "经三级答疑，当事人仍有异议。"
    session.flush()
    audit.record(session, actor, "explanation.tier", entity="explanation_tier", entity_id=tier.id,
                 before=before, after={**audit.snapshot(tier), "appeal_text": st.text})
    audit.record(session, actor, "explanation.request_status", entity="explanation_request", entity_id=req.id,
                 before=req_before, after=audit.snapshot(req))
    return tier


def escalate(session: Session, actor: User | None, request_id: uuid.UUID, *, on: date | None = None) -> ExplanationTier:
    """当事人仍有异议 → open the next tier (2 庭长, then 3 分管院长), assigned by name."""
    on = on or today()
    req = _request(session, request_id)
    last = current_tier(req)
    perm = Perm.EXPLANATION_TIER if actor is not None and last is not None and last.assignee_id == actor.id \
        else Perm.EXPLANATION_REQUEST
    actor = require(session, actor, perm)
    if req.status is not RequestStatus.AWAITING_ESCALATION or last is None or not last.recorded \
            or last.decision is not PartyDecision.STILL_OBJECTS:
        raise KnownError("只有本级答疑已记录且当事人仍有异议时，才能提请上一级答疑。")
    if last.tier_no >= MAX_TIER:
        raise KnownError("已经过三级答疑，不能再提请。")
    case = get_case(session, req.case_id)
    return _new_tier(session, actor, req, case, last.tier_no + 1, on)


def close_request(session: Session, actor: User | None, request_id: uuid.UUID, *, note: str = "",
                  on: date | None = None) -> ExplanationRequest:
    """当事人仍有异议但不再申请上一级答疑: end the request with the outcome 仍有异议."""
    on = on or today()
    req = _request(session, request_id)
    last = current_tier(req)
    perm = Perm.EXPLANATION_TIER if actor is not None and last is not None and last.assignee_id == actor.id \
        else Perm.EXPLANATION_REQUEST
    actor = require(session, actor, perm)
    if req.status is not RequestStatus.AWAITING_ESCALATION:
        raise KnownError("只有当事人仍有异议、尚未提请上一级答疑的申请才能这样结束。")
    before = audit.snapshot(req)
    req.status, req.outcome, req.closed_on = RequestStatus.CLOSED, PartyDecision.STILL_OBJECTS, on
    req.close_note = _text(note) or "当事人仍有异议，未申请上一级答疑。"
    session.flush()
    audit.record(session, actor, "explanation.close", entity="explanation_request", entity_id=req.id,
                 before=before, after=audit.snapshot(req))
    return req


def requests_of(session: Session, case_id: uuid.UUID) -> list[ExplanationRequest]:
    return list(session.scalars(select(ExplanationRequest).where(ExplanationRequest.case_id == case_id)
                                .order_by(ExplanationRequest.received_on, ExplanationRequest.created_at)))


def my_open_tiers(session: Session, user_id: uuid.UUID) -> list[ExplanationTier]:
    """Tiers assigned to ``user_id`` that are not recorded yet (the answerer's to-do list)."""
    return list(session.scalars(
        select(ExplanationTier).join(ExplanationRequest)
        .where(ExplanationTier.assignee_id == user_id, ExplanationTier.recorded_at.is_(None),
               ExplanationRequest.status == RequestStatus.OPEN)
        .order_by(ExplanationTier.assigned_on)))


def generate_record(session: Session, actor: User | None, tier_id: uuid.UUID, *, paths,  # type: ignore[no-untyped-def]
                    formats: tuple[str, ...] = ("pdf", "docx")) -> list:  # type: ignore[type-arg]
    """生成判后答疑笔录 of one recorded tier (PDF and Word, a new version each time) and note the version
    on the tier. Returns the GeneratedDocument records."""
    from baihe_desk.services.common import documents

    tier = session.get(ExplanationTier, tier_id)
    if tier is None:
        raise NotFound("答疑记录不存在或已被删除。")
    if not tier.recorded:
        raise KnownError(f"第{tier.tier_no}级答疑尚未记录，无法生成笔录。")
    records = documents.generate(session, actor, "explanation-record", tier.request.case_id, formats, paths=paths,
                                 options={"tier_id": tier.id})
    tier.document_version = records[0].version
    session.flush()
    audit.record(session, actor, "explanation.record_document", entity="explanation_tier", entity_id=tier.id,
                 after={"version": tier.document_version, "documents": [r.id for r in records]})
    return records
