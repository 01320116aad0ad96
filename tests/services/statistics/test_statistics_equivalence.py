"""统计分析: the fast steps (grouped SQL, rows as stored, issue 9) give exactly the report of the plain
reference (:mod:`statistics_reference`, the first version) on varied random courts — every stage, cases
with and without department or judge, other case types, extensions and periods not counted (active and
voided), review rounds, service results, mediation, the rest-day setting — for weeks, months, a quarter
and a year; and the shortcuts they use agree with the full calculators."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tests.services.statistics.statistics_reference as reference
from baihe_desk.models import Procedure, Role, Setting, Stage, utcnow
from baihe_desk.models.clock import ApproverLevel, SuspensionKind, TrialLimitExtension, TrialLimitSuspension
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOrganisation,
    MediationOutcome,
    MediationStatus,
    Mediator,
)
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServedDocument, ServiceAttempt, ServiceMethod, ServiceResult
from baihe_desk.services.deadlines import clocks
from baihe_desk.services.deadlines.clocks_trial import RULES, compute, plain_due
from baihe_desk.services.deadlines.holidays import table_with_extra
from baihe_desk.services.statistics import report as statistics
from tests.services.deadlines.clock_world import add_case, build_world

TODAY = date(2026, 4, 2)
PERIODS = [statistics.period_of("month", date(2026, 3, 1)), statistics.period_of("month", date(2025, 10, 1)),
           statistics.period_of("week", date(2026, 3, 25)), statistics.period_of("quarter", date(2026, 1, 1)),
           statistics.period_of("year", date(2025, 6, 1))]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def random_court(w, seed: int, n: int = 160) -> None:
    """``n`` cases of every kind, dated around the periods (and their year before) up to TODAY."""
    rng = random.Random(seed)
    judges = [w.users[Role.JUDGE].id, w.judge2.id, None]
    depts = [None, None, w.filing, w.trial, w.tribunal]
    clerks = [w.users[Role.FILING_CLERK].id, w.users[Role.ADMIN].id, w.users[Role.MEDIATOR].id, None]
    with w.db.transaction() as s:
        if seed % 2:
            s.add(Setting(key="trial_limits.rest_day_rollover", value=True))
        org = MediationOrganisation(name="诉非联动服务站", kind="station")
        s.add(org)
        s.flush()
        mediators = [Mediator(organisation_id=org.id, user_id=w.users[Role.MEDIATOR].id, name="董秀兰"),
                     Mediator(organisation_id=org.id, user_id=w.users[Role.JUDGE_ASSISTANT].id, name="金永哲")]
        s.add_all(mediators)
        s.flush()
        for _ in range(n):
            received = _day(rng, date(2024, 1, 1), TODAY)
            stage = rng.choice(list(Stage))
            filed = closed = procedure = None
            if stage in (Stage.FILED, Stage.IN_TRIAL, Stage.JUDGED, Stage.CLOSED) or rng.random() < 0.1:
                filed = min(received + timedelta(days=rng.choice([0, 1, 3, 6, 7, 8, 12, 30])), TODAY)
                procedure = rng.choice([*Procedure, None] if rng.random() < 0.15 else list(Procedure))
            if stage is Stage.CLOSED and filed is not None:
                closed = min(filed + timedelta(days=rng.choice([20, 58, 61, 62, 89, 92, 95, 150, 183, 185, 200])),
                             TODAY)
            case = add_case(s, received_on=received, stage=stage, filed_on=filed, procedure=procedure,
                            judge_id=rng.choice(judges), department_id=rng.choice(depts),
                            created_by_id=rng.choice(clerks), closed_on=closed)
            if filed is not None and rng.random() < 0.1:
                case.number_type = rng.choice(["民特", "执", None])
            if filed is not None and procedure is not None and rng.random() < 0.2:
                _limit_records(s, rng, case.id, filed, procedure)
            _reviews(s, rng, case, received, filed, clerks)
            _service(s, rng, case, received)
            if rng.random() < 0.15:
                opened = _day(rng, received, TODAY)
                outcome = rng.choice([None, *MediationOutcome])
                s.add(MediationCase(case_id=case.id, status=MediationStatus.SUCCEEDED if outcome else
                                    MediationStatus.IN_PROGRESS, opened_on=opened,
                                    mediator_id=rng.choice([*(m.id for m in mediators), None]), accepted_on=opened,
                                    period_days=30, outcome=outcome,
                                    outcome_on=_day(rng, opened, TODAY) if outcome else None))


def _limit_records(s, rng: random.Random, case_id, filed: date, procedure: Procedure) -> None:
    for _ in range(rng.randint(1, 2)):
        voided = utcnow() if rng.random() < 0.25 else None
        if rng.random() < 0.5:
            s.add(TrialLimitExtension(case_id=case_id, procedure=rng.choice([procedure, procedure, *Procedure]),
                                      months=rng.choice([1, 6]), approver_level=rng.choice(list(ApproverLevel)),
                                      approved_by_name="院长", approved_on=filed + timedelta(days=40), reason="复杂",
                                      voided_at=voided))
        else:
            start = filed + timedelta(days=rng.randint(5, 60))
            s.add(TrialLimitSuspension(case_id=case_id, kind=rng.choice(list(SuspensionKind)), started_on=start,
                                       ended_on=rng.choice([None, start + timedelta(days=rng.randint(1, 40))]),
                                       approved_by_name="庭长", approved_on=start, voided_at=voided))


def _reviews(s, rng: random.Random, case, received: date, filed: date | None, clerks: list) -> None:
    rounds = rng.choice([0, 0, 1, 1, 2])
    materials = received
    for no in range(1, rounds + 1):
        last = no == rounds
        finished = not last or case.stage not in (Stage.RECEIVED, Stage.CORRECTION) or rng.random() < 0.3
        outcome = (rng.choice(list(ReviewOutcome)) if last else ReviewOutcome.CORRECTION) if finished else None
        decided = min(materials + timedelta(days=rng.randint(0, 9)), TODAY) if finished else None
        s.add(ComplaintReview(case_id=case.id, round_no=no, checklist_version="t", materials_received_on=materials,
                              reviewer_id=rng.choice(clerks), finished_at=utcnow() if finished else None,
                              outcome=outcome, decided_on=decided,
                              correction_days=15 if outcome is ReviewOutcome.CORRECTION else None,
                              correction_deadline=decided + timedelta(days=15)
                              if outcome is ReviewOutcome.CORRECTION and decided else None))
        materials = min(materials + timedelta(days=rng.randint(3, 20)), filed or TODAY)


def _service(s, rng: random.Random, case, received: date) -> None:
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        party = rng.choice(case.parties)
        result = rng.choice(list(ServiceResult))
        on = _day(rng, received, TODAY)
        method = {ServiceResult.PUBLISHED: ServiceMethod.PUBLIC_NOTICE, ServiceResult.SENT: ServiceMethod.ELECTRONIC,
                  ServiceResult.LEFT_AT_RESIDENCE: ServiceMethod.LEFT}.get(result, ServiceMethod.DIRECT)
        s.add(ServiceAttempt(case_id=case.id, party_id=party.id, document=ServedDocument.COMPLAINT_COPY,
                             method=method, attempted_on=on, result=result,
                             signed_on=on + timedelta(days=rng.randint(0, 5)) if result is ServiceResult.SIGNED
                             and rng.random() < 0.9 else None,  # a receipt without its date: served, not timed
                             arrival_proved_on=on + timedelta(days=2) if result is ServiceResult.SENT
                             and rng.random() < 0.5 else None,
                             notice_days=rng.choice([30, 60]), witnesses="村委会主任"))


def _same(got: statistics.Report, want: statistics.Report) -> None:
    assert repr(replace(got, generated_at=None)) == repr(replace(want, generated_at=None))
    assert list(got.overdue_now.items()) == list(want.overdue_now.items())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fast_report_equals_the_reference_on_a_random_court(udb, uusers, seed):
    w = build_world(udb, uusers)
    random_court(w, seed)
    with w.db.session() as s:
        kinds = {c.kind for c in clocks.collect(s, today=TODAY)}
        for period in PERIODS:
            got = statistics.compute(s, period, today=TODAY)
            want = reference.compute(s, period, today=TODAY)
            _same(got, want)
    assert {"filing_decision", "trial_limit"} <= kinds  # the data reach the counted clocks
    # and the figures are not all zero (the data reach every step)
    assert want.received and want.filed and want.closed and want.by_department and want.by_judge
    assert got.closed_over_limit or got.filed_late or got.served_measured


def test_the_random_court_reaches_the_special_cases(udb, uusers):
    """The data the equality above rests on: late filings, cases over their limit, recorded limit changes,
    service measured, overdue items of more than one kind."""
    w = build_world(udb, uusers)
    random_court(w, 1, n=300)
    with w.db.session() as s:
        r = statistics.compute(s, statistics.period_of("year", date(2025, 1, 1)), today=TODAY)
        assert r.closed_over_limit and r.filed_late and r.served_measured and r.days_to_service is not None
        assert r.overdue_now.get("立案期限") and r.overdue_now.get("审理期限")
        assert s.query(TrialLimitExtension).count() and s.query(TrialLimitSuspension).count()
        assert s.query(ServiceAttempt).filter(ServiceAttempt.result == ServiceResult.PUBLISHED).count()
        assert s.query(ComplaintReview).filter(ComplaintReview.finished_at.is_(None)).count()


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.sampled_from(list(Procedure)), st.booleans())
def test_plain_due_is_the_calculators_due_without_records(filed, procedure, rollover):
    table = table_with_extra(None)
    full = compute(filed, procedure, [], [], today=filed, table=table, rollover=rollover, running=False)
    assert plain_due(filed, procedure, table=table, rollover=rollover) == full.due
    assert full.base_months == RULES[procedure].months
