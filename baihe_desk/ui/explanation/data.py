"""判后答疑 page data: everything the page shows for one case, read in one go (in the background) into
plain objects, so the widgets never touch a session. No Qt here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, GeneratedDocument, User
from baihe_desk.models.explanation import (
    MAX_TIER,
    TIER_ROLES,
    DecisionKind,
    ExplanationTier,
    RequestStatus,
    RulingType,
)
from baihe_desk.services.common import documents
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.services.explanation import risk
from baihe_desk.services.explanation import tiers as et

DEFAULT_PLACE_SETTING = "explanation.default_place"  # 答疑地点的默认值 (local practice)
DEFAULT_PLACE = "本院诉讼服务中心"


def person(role: str, name: str) -> str:
    """"庭长 周建国" (the role is not repeated when the display name already starts with it)."""
    return name if name.startswith(role) else f"{role} {name}"


@dataclass
class TierView:
    id: uuid.UUID
    tier_no: int
    role: str
    assignee_id: uuid.UUID
    assignee_name: str
    recorded: bool
    held_on: date | None
    decision: str  # label, "" while open
    appeal_state: str  # snapshot state (running/expired/not_appealable/not_served), "" while open
    appeal_text: str  # what the desk showed that day (snapshot)
    record: dict[str, str]  # the recorded fields (place, attendees …)
    document_version: int | None
    pdf_path: Path | None = None
    version: int = 0  # the tier's row_version as shown (sent with the save: recorded elsewhere → conflict)


@dataclass
class RequestView:
    id: uuid.UUID
    party_id: uuid.UUID
    party_name: str
    party_role: str
    requester: str
    capacity: str
    channel: str
    received_on: date
    questions: str
    status: RequestStatus
    status_text: str
    current_tier: int
    tiers: list[TierView]
    live: ex.AppealStatus  # the party's appeal status today
    next_assignee: str = ""  # "庭长 周建国" (who would take the next tier), or why not
    next_problem: str = ""


@dataclass
class JudgmentView:
    kind: DecisionKind
    ruling_type: RulingType | None
    pronounced_on: date
    document_number: str
    summary: str
    rule_text: str


@dataclass
class RiskView:
    id: uuid.UUID
    reasons: list[str]
    note: str
    leader_name: str
    flagged_on: date


@dataclass
class CaseView:
    case_id: uuid.UUID
    title: str  # 案号 + 案由
    judge: str
    division: str
    parties: list[tuple[uuid.UUID, str, str]]  # (id, name, role label)
    judgment: JudgmentView | None
    statuses: list[ex.AppealStatus]
    requests: list[RequestView]
    risk: RiskView | None
    reason_options: list[str]
    leaders: list[tuple[uuid.UUID, str]]  # (id, "吴德华（分管院长）")
    log_dates: dict[uuid.UUID, tuple[date, str]] = field(default_factory=dict)
    default_place: str = ""


def _pdf_paths(session: Session, paths: Paths, case_id: uuid.UUID) -> dict[int, Path]:
    rows = session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id,
                                                           GeneratedDocument.kind == "explanation-record",
                                                           GeneratedDocument.format == "pdf"))
    return {r.version: documents.document_path(paths, r) for r in rows}


def _tier_view(t: ExplanationTier, pdfs: dict[int, Path]) -> TierView:
    record = {k: getattr(t, k) or "" for k in ("start_time", "end_time", "place", "attendees", "clerk_name",
                                               "questions", "answers", "legal_points", "party_response")}
    snapshot = ""
    if t.recorded:
        shown = ex.AppealStatus(t.request.party_id, "", "", t.appeal_state or "not_served", due=t.appeal_due,
                                days_left=t.appeal_days_left, reason="见裁判文书")
        snapshot = "依法不准上诉" if shown.state == "not_appealable" else shown.text
    return TierView(t.id, t.tier_no, t.assignee_role, t.assignee_id, t.assignee_name, t.recorded, t.held_on,
                    t.decision.label if t.decision else "", t.appeal_state, snapshot, record, t.document_version,
                    pdfs.get(t.document_version) if t.document_version else None, t.row_version)


def load_case(session: Session, case_id: uuid.UUID, on: date, paths: Paths) -> CaseView:
    case = ex.get_case(session, case_id)
    judge = session.get(User, case.judge_id) if case.judge_id else None
    division = et.judge_division(session, case)
    parties = [(p.id, p.name, p.role.label) for p in case.parties]
    names = {p.id: p for p in case.parties}
    judgment = ex.judgment_of(session, case_id)
    jv = None
    if judgment is not None:
        rule = ex.appealability(judgment.kind, judgment.ruling_type, case.procedure)
        reason = rule.reason
        if rule.appealable and any(p.domicile_region.without_domicile for p in case.parties):
            reason += "；在中华人民共和国领域内没有住所的当事人为三十日（第二百八十六条），见各方上诉期"
        jv = JudgmentView(judgment.kind, judgment.ruling_type, judgment.pronounced_on, judgment.document_number,
                          judgment.summary, reason)
    statuses = ex.party_statuses(session, case_id, on)
    live = {s.party_id: s for s in statuses}
    pdfs = _pdf_paths(session, paths, case_id)
    requests = []
    for req in et.requests_of(session, case_id):
        party = names[req.party_id]
        status_text = req.status.label
        if req.status is RequestStatus.CLOSED and req.outcome is not None:
            status_text = f"已结束：{req.outcome.label}"
        rv = RequestView(req.id, req.party_id, party.name, party.role.label, req.requester_name, req.requester_capacity,
                         req.channel.label, req.received_on, req.questions, req.status, status_text, req.current_tier,
                         [_tier_view(t, pdfs) for t in req.tiers], live[req.party_id])
        if req.status is RequestStatus.AWAITING_ESCALATION and req.current_tier < MAX_TIER:
            try:
                user, _dept = et.assignee_for(session, case, req.current_tier + 1)
                rv.next_assignee = person(TIER_ROLES[req.current_tier + 1], user.display_name)
            except KnownError as exc:  # e.g. no 庭长 set for the division: says what is missing
                rv.next_problem = exc.message
        requests.append(rv)
    flag = risk.active_flag(session, case_id)
    rv_flag = RiskView(flag.id, list(flag.reasons), flag.note, flag.leader_name, flag.flagged_on) if flag else None
    return CaseView(
        case_id, f"{case.case_number or case.receipt_number}　{case.cause_name}", judge.display_name if judge else "",
        division.name if division else "", parties, jv, statuses, requests, rv_flag, risk.reason_options(session),
        [(u.id, f"{u.display_name}（{u.role.label}）") for u in risk.leader_candidates(session)],
        ex.service_dates_from_log(session, case_id) if judgment is not None else {},
        str(ex.setting(session, DEFAULT_PLACE_SETTING, DEFAULT_PLACE) or ""),
    )


@dataclass
class TodoItem:
    case_id: uuid.UUID
    request_id: uuid.UUID
    text: str


def load_todo(session: Session, user_id: uuid.UUID) -> list[TodoItem]:
    """The user's tiers waiting to be recorded (答疑待办)."""
    out = []
    for t in et.my_open_tiers(session, user_id):
        case = session.get(Case, t.request.case_id)
        party = next((p for p in case.parties if p.id == t.request.party_id), None)
        out.append(TodoItem(case.id, t.request_id, f"{case.case_number or case.receipt_number}　"
                                                    f"{party.name if party else ''}　第{t.tier_no}级（{t.assignee_role}）"))
    return out


def find_case_id(session: Session, ref: str) -> uuid.UUID:
    from baihe_desk.services.common.case_picker import find_case_id as pick

    return pick(session, ref)
