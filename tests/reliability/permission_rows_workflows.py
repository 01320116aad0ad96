"""权限矩阵 — rows for the workflows: 诉前调解 (window, roster, station, outcome) and 判后答疑.

Prerequisites are made in their own transactions; where a step only needs a state (e.g. 告知书已发放) the
setup writes that state directly instead of running the slow step again. Named-person rules (the assigned
mediator; the person a tier is assigned to) are met in ``setup`` for the allowed actors, so the matrix
tests the roles; tests/reliability/test_permission_named.py tests the named-person refusals.
"""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import Case, Department, Role, User
from baihe_desk.models.explanation import Channel, DecisionKind, PartyDecision
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOutcome,
    MediationStatus,
    OrganisationKind,
    PartyChoice,
    SuspensionKind,
)
from baihe_desk.services.admin.court import get_profile
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.common.permissions import Perm
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.services.explanation import risk, tiers
from baihe_desk.services.filing.service_address import ConfirmationInput
from baihe_desk.services.mediation import outcome, roster, station
from baihe_desk.services.mediation import referral as med
from tests.reliability.permission_matrix import Row, World

P = Perm
TODAY = today_local()
REASON = "双方当事人均表示愿意调解"


# -- 诉前调解 prerequisites ---------------------------------------------------------------------------------------

def roster_of(w: World) -> tuple:
    """(organisation id, mediator id) of the world's 调解员 user on the roster (made once)."""
    if not hasattr(w, "_roster"):
        def work(s):  # type: ignore[no-untyped-def]
            org = roster.add_organisation(s, w.admin, "二道白河诉非联动服务站", OrganisationKind.STATION)
            return org.id, roster.add_mediator(s, w.admin, org.id, w.user_id(Role.MEDIATOR)).id
        w._roster = w.write(work)  # type: ignore[attr-defined]
    return w._roster  # type: ignore[attr-defined]


STEPS = ("suggested", "notice", "agreed", "assigned", "accepted")


def mediation(w: World, upto: str) -> tuple:
    """(mediation id, case id) of a fresh case taken through the window flow up to ``upto``."""
    cid = w.new_case()
    org_id, mediator_id = roster_of(w) if STEPS.index(upto) >= 3 else (None, None)

    def work(s):  # type: ignore[no-untyped-def]
        m = med.recommend(s, w.clerk, cid, refer=True, override_reason=REASON, on=TODAY)
        if STEPS.index(upto) >= 1:  # 告知书已发放 (the step itself is its own row: it renders documents)
            m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, TODAY
            s.flush()
        if STEPS.index(upto) >= 2:
            med.record_choice(s, w.clerk, m.id, PartyChoice.AGREE, TODAY)
        if STEPS.index(upto) >= 3:
            med.assign(s, w.clerk, m.id, org_id, mediator_id, on=TODAY)
        if STEPS.index(upto) >= 4:
            station.accept(s, w.users[Role.MEDIATOR], m.id, accepted_on=TODAY)
        return m.id, cid

    return w.write(work)


def suspended(w: World) -> object:
    mid, _ = mediation(w, "accepted")
    return w.write(lambda s: station.start_suspension(s, w.users[Role.MEDIATOR], mid, SuspensionKind.APPRAISAL,
                                                      TODAY).id)


def consents(s, mid) -> list:  # type: ignore[no-untyped-def]
    case = s.get(Case, s.get(MediationCase, mid).case_id)
    return [station.Consent(p.id, TODAY) for p in case.parties]


def first_party(s, mid):  # type: ignore[no-untyped-def]
    return s.get(Case, s.get(MediationCase, mid).case_id).parties[0].id


# -- 判后答疑 prerequisites ---------------------------------------------------------------------------------------

def organisation(w: World) -> None:
    """民事审判庭 with its 庭长 and 分管院长; the judge belongs to it (made once)."""
    if getattr(w, "_org", False):
        return

    def work(s):  # type: ignore[no-untyped-def]
        dept = Department(court_id=get_profile(s).id, name="民事审判庭", kind="trial",
                          chief_id=w.user_id(Role.DIVISION_CHIEF), overseer_id=w.user_id(Role.VICE_PRESIDENT))
        s.add(dept)
        s.flush()
        # the judge's team: 法官助理 and 书记员 of the division record judgments and service (issue 17)
        for role in (Role.JUDGE, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT, Role.JUDGE_ASSISTANT, Role.CLERK):
            s.get(User, w.user_id(role)).department_id = dept.id

    w.write(work)
    w._org = True  # type: ignore[attr-defined]


def judged(w: World, judge: User | None = None, *, served: bool = True) -> object:
    """A filed case with its 承办法官 (``judge``, default the world's judge), judgment and service recorded."""
    organisation(w)
    cid = w.new_case()
    judge_id = (judge or w.users[Role.JUDGE]).id

    def work(s):  # type: ignore[no-untyped-def]
        case = s.get(Case, cid)
        assign_case_number(s, w.clerk, case, "民初", year=TODAY.year)
        case.filed_on, case.judge_id = TODAY, judge_id
        own = s.get(User, judge_id)  # the case's own judge (or the division's 书记员) records it (issue 17)
        if own.role is not Role.JUDGE:
            own = s.get(User, w.user_id(Role.CLERK))
        ex.record_judgment(s, own, cid, kind=DecisionKind.JUDGMENT, pronounced_on=TODAY)
        if served:
            ex.set_service(s, own, cid, case.parties[0].id, TODAY)
        return cid

    return w.write(work)


def request_of(w: World, judge: User | None = None, *, recorded: bool = False) -> tuple:
    """(request id, tier id) of an explanation request; ``recorded``: tier 1 held, the party still objects."""
    cid = judged(w, judge)
    host = judge or w.users[Role.JUDGE]

    def work(s):  # type: ignore[no-untyped-def]
        req = tiers.open_request(s, w.clerk, cid, party_id=s.get(Case, cid).parties[0].id, channel=Channel.WINDOW,
                                 questions="为何驳回利息请求？", received_on=TODAY)
        tier = tiers.current_tier(req)
        if recorded:
            record(s, host, tier.id, PartyDecision.STILL_OBJECTS)
        return req.id, tier.id

    return w.write(work)


def record(s, actor, tier_id, decision=PartyDecision.ACCEPTS):  # type: ignore[no-untyped-def]
    return tiers.record_tier(s, actor, tier_id, held_on=TODAY, start_time="09:00", end_time="09:40", place="第一调解室",
                             attendees="原告及其代理人", questions="利息", answers="依法释明", legal_points="民法典第六百八十条",
                             party_response="表示理解", decision=decision)


def host_if_allowed(w: World, actor: User | None, row: str) -> User | None:
    """The named person for a tier: the acting user when the oracle says the role may host, else the world's judge."""
    from tests.reliability.permission_oracle import expected_for

    return actor if isinstance(actor, User) and actor.active and actor.role in expected_for(row).may else None


def flagged(w: World) -> object:
    cid = judged(w)
    return w.write(lambda s: risk.flag_risk(s, w.users[Role.JUDGE], cid, reasons=["多次来访"],
                                            leader_id=w.user_id(Role.VICE_PRESIDENT)).id)



ROWS: list[Row] = [
    # 诉前调解 — window
    Row("mediation.recommend", (P.MEDIATION_REFER,), lambda w, a: w.new_case(),
        lambda s, a, cid: med.recommend(s, a, cid, refer=True, override_reason=REASON)),
    Row("mediation.hand_out_notice", (P.MEDIATION_REFER, P.DOCUMENT_GENERATE),
        lambda w, a: (mediation(w, "suggested")[0], w.paths),
        lambda s, a, x: med.hand_out_notice(s, a, x[0], paths=x[1])),
    Row("mediation.record_choice", (P.MEDIATION_REFER,), lambda w, a: mediation(w, "notice")[0],
        lambda s, a, mid: med.record_choice(s, a, mid, PartyChoice.AGREE, TODAY)),
    Row("mediation.assign", (P.MEDIATION_ASSIGN,), lambda w, a: (mediation(w, "agreed")[0], *roster_of(w)),
        lambda s, a, x: med.assign(s, a, x[0], x[1], x[2])),
    # 诉前调解 — roster
    Row("mediation_roster.add_organisation", (P.ROSTER_MANAGE,), lambda w, a: w.seed(),
        lambda s, a, n: roster.add_organisation(s, a, f"说事点{n}", OrganisationKind.TALK_POINT)),
    Row("mediation_roster.install_defaults", (P.ROSTER_MANAGE,), lambda w, a: None,
        lambda s, a, _: roster.install_defaults(s, a)),
    Row("mediation_roster.set_organisation_active", (P.ROSTER_MANAGE,), lambda w, a: roster_of(w)[0],
        lambda s, a, oid: roster.set_organisation_active(s, a, oid, True)),
    Row("mediation_roster.add_mediator", (P.ROSTER_MANAGE,), lambda w, a: (roster_of(w)[0], w.new_user(Role.MEDIATOR)),
        lambda s, a, x: roster.add_mediator(s, a, x[0], x[1])),
    Row("mediation_roster.set_mediator_active", (P.ROSTER_MANAGE,), lambda w, a: roster_of(w)[1],
        lambda s, a, mid: roster.set_mediator_active(s, a, mid, True)),
    # 诉前调解 — station (the assigned mediator, or the administrator for them)
    Row("mediation_station.accept", (P.MEDIATION_RECORD,), lambda w, a: mediation(w, "assigned")[0],
        lambda s, a, mid: station.accept(s, a, mid)),
    Row("mediation_station.add_session", (P.MEDIATION_RECORD,), lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: station.add_session(s, a, mid, station.SessionInput(TODAY, "双方当事人", agreed="还款期限"))),
    Row("mediation_station.extend", (P.MEDIATION_RECORD,), lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: station.extend(s, a, mid, 15, consents(s, mid))),
    Row("mediation_station.start_suspension", (P.MEDIATION_RECORD,), lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: station.start_suspension(s, a, mid, SuspensionKind.VALUATION, TODAY)),
    Row("mediation_station.end_suspension", (P.MEDIATION_RECORD,), lambda w, a: suspended(w),
        lambda s, a, sid: station.end_suspension(s, a, sid, TODAY)),
    Row("mediation_station.record_address_confirmation", (P.MEDIATION_RECORD,),
        lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: station.record_address_confirmation(s, a, mid, first_party(s, mid), ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街1号", confirmed_on=TODAY))),
    Row("mediation_outcome.record_outcome(达成协议)", (P.MEDIATION_RECORD,), lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: outcome.record_outcome(s, a, mid, outcome.OutcomeInput(
            MediationOutcome.SELF_PERFORMANCE, TODAY, agreement_text="被告于月底前还款"))),
    Row("mediation_outcome.record_outcome(调解不成)", (P.MEDIATION_ASSIGN,), lambda w, a: mediation(w, "accepted")[0],
        lambda s, a, mid: outcome.record_outcome(s, a, mid, outcome.OutcomeInput(
            MediationOutcome.FAILED, TODAY, undisputed_facts="借款事实无争议"))),
    # 判后答疑
    Row("explanation.record_judgment", (P.JUDGMENT_RECORD,), lambda w, a: judged(w, served=False),
        lambda s, a, cid: ex.record_judgment(s, a, cid, kind=DecisionKind.JUDGMENT, pronounced_on=TODAY,
                                             summary="判决被告还款")),
    Row("explanation.set_service", (P.JUDGMENT_RECORD,), lambda w, a: judged(w, served=False),
        lambda s, a, cid: ex.set_service(s, a, cid, s.get(Case, cid).parties[1].id, TODAY)),
    Row("explanation_tiers.open_request", (P.EXPLANATION_REQUEST,), lambda w, a: judged(w),
        lambda s, a, cid: tiers.open_request(s, a, cid, party_id=s.get(Case, cid).parties[0].id,
                                             channel=Channel.PHONE, questions="诉讼费为何由我负担？")),
    Row("explanation_tiers.record_tier", (P.EXPLANATION_TIER,),
        lambda w, a: request_of(w, host_if_allowed(w, a, "explanation_tiers.record_tier"))[1],
        lambda s, a, tid: record(s, a, tid)),
    Row("explanation_tiers.escalate", (P.EXPLANATION_REQUEST,), lambda w, a: request_of(w, recorded=True)[0],
        lambda s, a, rid: tiers.escalate(s, a, rid)),
    Row("explanation_tiers.close_request", (P.EXPLANATION_REQUEST,), lambda w, a: request_of(w, recorded=True)[0],
        lambda s, a, rid: tiers.close_request(s, a, rid, note="当事人表示将上诉")),
    Row("explanation_risk.flag_risk", (P.RISK_FLAG,), lambda w, a: judged(w),
        lambda s, a, cid: risk.flag_risk(s, a, cid, reasons=["扬言上访"], leader_id=_leader(s))),
    Row("explanation_risk.change_leader", (P.RISK_FLAG,), lambda w, a: flagged(w),
        lambda s, a, fid: risk.change_leader(s, a, fid, _leader(s, Role.DIVISION_CHIEF))),
    Row("explanation_risk.clear_flag", (P.RISK_FLAG,), lambda w, a: flagged(w),
        lambda s, a, fid: risk.clear_flag(s, a, fid, note="当事人服判息诉")),
]


def _leader(s, role: Role = Role.VICE_PRESIDENT):  # type: ignore[no-untyped-def]
    return s.scalars(select(User.id).where(User.role == role, User.active.is_(True),
                                           User.username.like("x_%"))).first()

