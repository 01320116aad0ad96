"""Bad text in the workflows' forms (诉前调解 station and outcome, 判后答疑 request, tier and risk flag): saved
clean, or refused with a Chinese message naming the field — never another exception."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from baihe_desk.errors import KnownError, PermissionDenied
from baihe_desk.models import Case, Role
from baihe_desk.models.explanation import (
    Channel,
    ExplanationRequest,
    ExplanationTier,
    PartyDecision,
    RiskFlag,
)
from baihe_desk.models.mediation import MediationCase, MediationOutcome, MediationSession
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.explanation import risk, tiers
from baihe_desk.services.mediation import outcome, station
from tests.reliability.nasty import assert_calm, examples, nasty_text
from tests.reliability.permission_rows_workflows import judged, mediation, request_of
from tests.reliability.test_bad_input_forms import assert_stored_clean

TODAY = today_local()
texts = nasty_text(30)


def _calm(exc: KnownError) -> None:
    assert not isinstance(exc, PermissionDenied)
    assert_calm(exc)


def _saved(world, model, row_id) -> None:  # type: ignore[no-untyped-def]
    with world.db.session() as s:
        assert_stored_clean(s.get(model, row_id))


@examples(40, shrink=False)
@given(attendees=texts, place=texts, agreed=texts, disputed=texts, note=texts)
def test_mediation_session_form(world, attendees, place, agreed, disputed, note, inputs):
    inputs.add("forms")
    if not hasattr(world, "_fuzz_mediation"):
        world._fuzz_mediation = mediation(world, "accepted")[0]
    mid = world._fuzz_mediation
    try:
        with world.db.transaction() as s:
            row = station.add_session(s, world.users[Role.MEDIATOR], mid, station.SessionInput(
                TODAY, attendees, place=place, agreed=agreed, disputed=disputed, note=note))
            row_id = row.id
    except KnownError as exc:
        _calm(exc)
        return
    _saved(world, MediationSession, row_id)


@examples(20, shrink=False)
@given(kind=st.sampled_from(list(MediationOutcome)), text=texts, facts=texts, note=texts)
def test_mediation_outcome_form(world, kind, text, facts, note, inputs):
    inputs.add("forms")
    mid, _ = mediation(world, "accepted")
    try:
        with world.db.transaction() as s:
            outcome.record_outcome(s, world.users[Role.MEDIATOR], mid, outcome.OutcomeInput(
                kind, TODAY, agreement_text=text, undisputed_facts=facts, note=note, joint_application=True))
    except KnownError as exc:
        _calm(exc)
        return
    _saved(world, MediationCase, mid)


@examples(30, shrink=False)
@given(questions=texts, requester=texts, capacity=st.one_of(st.sampled_from(tiers.CAPACITIES), texts))
@example(questions="利息为何被驳回\x1b[0m", requester="王\x00", capacity="本人")
@example(questions="利息", requester="王" * 51, capacity="本人")  # a name longer than the column: refused calmly
def test_explanation_request_form(world, questions, requester, capacity, inputs):
    inputs.add("forms")
    if not hasattr(world, "_fuzz_judged"):
        world._fuzz_judged = judged(world)
    cid = world._fuzz_judged
    try:
        with world.db.transaction() as s:
            req = tiers.open_request(s, world.clerk, cid, party_id=s.get(Case, cid).parties[0].id,
                                     channel=Channel.WINDOW, questions=questions, requester_name=requester,
                                     requester_capacity=capacity)
            req_id = req.id
    except KnownError as exc:
        _calm(exc)
        return
    _saved(world, ExplanationRequest, req_id)


@examples(20, shrink=False)
@given(fields=st.fixed_dictionaries({k: texts for k in ("start_time", "end_time", "place", "attendees", "questions",
                                                         "answers", "legal_points", "party_response", "clerk_name")}))
@example(fields={"start_time": "09:00", "end_time": "09:30", "place": "第一调解室\x07", "attendees": "原告\x1b",
                 "questions": "利息", "answers": "释明\x00", "legal_points": "民法典", "party_response": "理解",
                 "clerk_name": "李\x08"})
def test_explanation_tier_form(world, fields, inputs):
    inputs.add("forms")
    _req, tier = request_of(world)
    try:
        with world.db.transaction() as s:
            tiers.record_tier(s, world.users[Role.JUDGE], tier, held_on=TODAY, decision=PartyDecision.ACCEPTS,
                              **fields)
    except KnownError as exc:
        _calm(exc)
        return
    _saved(world, ExplanationTier, tier)


@examples(20, shrink=False)
@given(reasons=st.lists(texts, max_size=3), note=texts)
def test_risk_flag_form(world, reasons, note, inputs):
    inputs.add("forms")
    cid = judged(world)
    try:
        with world.db.transaction() as s:
            flag = risk.flag_risk(s, world.users[Role.JUDGE], cid, reasons=reasons, note=note,
                                  leader_id=world.user_id(Role.VICE_PRESIDENT))
            flag_id = flag.id
    except KnownError as exc:
        _calm(exc)
        return
    _saved(world, RiskFlag, flag_id)
