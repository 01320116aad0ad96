"""演示数据 that shows every workflow: after ``demo`` on a fresh database each workflow's tables hold records in
each state (made through the services), every document kind renders for a demo case from the command line,
the period reports render, the statistics count every workflow, about one open case in five is at 送达风险,
and no user's name carries its role. The demo's "today" is injected."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from baihe_desk.cli import main
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import Case, GeneratedDocument, Party, PartyRole, Role, Stage, User
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.models.explanation import (
    ExplanationRequest,
    ExplanationTier,
    JudgmentRecord,
    JudgmentService,
    PartyDecision,
    RequestStatus,
    RiskFlag,
)
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOrganisation,
    MediationOutcome,
    MediationStatus,
    Mediator,
    OrganisationKind,
)
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServiceAttempt, ServiceMethod
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.admin.demo_cases import case_for_kind
from baihe_desk.services.common.document_kinds import KINDS
from baihe_desk.services.filing.service_address import address_risks
from baihe_desk.services.statistics.report import compute, period_of
from baihe_desk.storage.startup import open_database
from tests.fake_today import travel_to

TODAY = date(2026, 12, 5)  # a Saturday early in a month: the month's figures have five days to show up in
REPORT_KINDS = ("weekly-bulletin", "monthly-analysis")
OPEN = (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION, Stage.FILED, Stage.IN_TRIAL, Stage.JUDGED)


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The data here are dated (up to TODAY) and the desk refuses a date later than today, so these tests run
    on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    with travel_to(TODAY):
        yield



@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    paths = Paths(tmp_path_factory.mktemp("demo") / "data").ensure()
    db = open_database(paths, LocalSettings(), backup=False)
    result = load_demo(db, cases=200, seed=11, today=TODAY, paths=paths)
    yield db, paths, result
    db.dispose()


def _count_by(s, column, *where):  # type: ignore[no-untyped-def]
    return Counter(s.scalars(select(column).where(*where)))


def test_every_stage_has_the_records_behind_it(demo):
    db, _paths, result = demo
    assert result.cases == 200
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 200
        stages = _count_by(s, Case.stage)
        assert set(stages) == set(Stage)
        for case in s.scalars(select(Case).where(Case.stage.in_([Stage.CORRECTION, Stage.PRE_MEDIATION,
                                                                Stage.JUDGED, Stage.REJECTED]))):
            if case.stage is Stage.CORRECTION:  # the review that asked for 补正, and the notice handed out
                assert s.scalar(select(ComplaintReview.id).where(ComplaintReview.case_id == case.id,
                                                                 ComplaintReview.outcome == ReviewOutcome.CORRECTION))
                assert s.scalar(select(GeneratedDocument.id).where(GeneratedDocument.case_id == case.id,
                                                                   GeneratedDocument.kind == "correction-notice"))
            elif case.stage is Stage.PRE_MEDIATION:
                m = s.scalar(select(MediationCase).where(MediationCase.case_id == case.id))
                assert m is not None and m.mediation_number == case.case_number and "民诉前调" in m.mediation_number
            elif case.stage is Stage.JUDGED:
                judgment = s.scalar(select(JudgmentRecord).where(JudgmentRecord.case_id == case.id))
                assert judgment is not None
                served = {js.party_id for js in s.scalars(select(JudgmentService)
                                                          .where(JudgmentService.judgment_id == judgment.id))}
                assert served == {p.id for p in case.parties}
            else:
                assert s.scalar(select(ComplaintReview.outcome).where(ComplaintReview.case_id == case.id)) in \
                    (ReviewOutcome.REJECTED, ReviewOutcome.REDIRECTED)


def test_reviews_with_correction_rounds(demo):
    db, _paths, _result = demo
    with db.session() as s:
        outcomes = _count_by(s, ComplaintReview.outcome)
        assert {ReviewOutcome.REGISTERED, ReviewOutcome.CORRECTION, ReviewOutcome.REJECTED,
                ReviewOutcome.REDIRECTED} <= set(outcomes)
        second = s.scalar(select(ComplaintReview).where(ComplaintReview.round_no == 2))
        assert second is not None and second.outcome is ReviewOutcome.REGISTERED
        assert second.previous_review_id is not None
        for r in s.scalars(select(ComplaintReview)):
            assert r.answers and r.decided_on is None or r.decided_on >= r.materials_received_on
            if r.round_no == 1:  # the filing period runs from the complaint's receipt
                assert r.materials_received_on == s.get(Case, r.case_id).received_on
        for r in s.scalars(select(ComplaintReview).where(ComplaintReview.outcome == ReviewOutcome.CORRECTION)):
            assert r.outcome_reasons and r.correction_deadline and r.correction_deadline > r.decided_on


def test_the_roster_and_mediations_in_every_state_and_outcome(demo):
    db, _paths, _result = demo
    with db.session() as s:
        orgs = {o.name: o for o in s.scalars(select(MediationOrganisation))}
        assert "董嫂说事点" in orgs
        assert any(o.kind is OrganisationKind.BANK for o in orgs.values())
        staffed = {m.organisation_id for m in s.scalars(select(Mediator))}
        assert orgs["董嫂说事点"].id in staffed
        assert next(o.id for o in orgs.values() if o.kind is OrganisationKind.BANK) in staffed
        assert set(_count_by(s, MediationCase.status)) == set(MediationStatus)
        assert set(_count_by(s, MediationCase.outcome, MediationCase.outcome.is_not(None))) == set(MediationOutcome)
        for m in s.scalars(select(MediationCase).where(MediationCase.outcome.is_not(None))):
            assert m.mediator_id is not None and m.accepted_on is not None or \
                m.outcome is MediationOutcome.UNREACHABLE
            if m.outcome is MediationOutcome.CONFIRMATION:
                assert "诉前调确" in m.outcome_number
            elif m.outcome is MediationOutcome.MEDIATION_DOCUMENT:
                assert "诉前调书" in m.outcome_number and m.fee_total is not None
            elif not m.outcome.agreement:  # 调解不成 → filed with a 民初 number
                assert m.status is MediationStatus.ENDED and "民初" in m.filed_case_number
        assert s.scalar(select(func.count()).select_from(MediationCase)
                        .where(MediationCase.status == MediationStatus.IN_PROGRESS)) >= 2


def test_consultations_replies_and_adoption(demo):
    db, _paths, _result = demo
    with db.session() as s:
        rows = list(s.scalars(select(EnforcementConsultation)))
        assert {c.status for c in rows} == set(ConsultStatus)
        for c in rows:
            assert c.terms and (c.number is None) == (c.status is ConsultStatus.DRAFT)
            if c.status not in (ConsultStatus.DRAFT, ConsultStatus.SENT):
                assert c.advice is not None and "执建" in c.advice.number and c.replied_on >= c.sent_on
            if c.status.closed:
                assert all(i.adopted is not None for i in c.advice.items if i.is_suggestion)


def test_judgments_and_explanations_at_each_tier(demo):
    db, _paths, _result = demo
    with db.session() as s:
        assert set(_count_by(s, ExplanationRequest.status)) == set(RequestStatus)
        recorded = list(s.scalars(select(ExplanationTier).where(ExplanationTier.recorded_at.is_not(None))))
        assert {t.tier_no for t in recorded} == {1, 2, 3}
        assert {t.assignee_role for t in recorded} == {"承办法官", "庭长", "分管院长"}
        assert {PartyDecision.ACCEPTS, PartyDecision.WILL_APPEAL, PartyDecision.STILL_OBJECTS} <= \
            {t.decision for t in recorded}
        assert all(t.appeal_state for t in recorded)
        assert s.scalar(select(func.count()).select_from(RiskFlag).where(RiskFlag.active.is_(True))) >= 1


def test_service_attempts_mix_and_one_case_in_five_at_risk(demo):
    db, _paths, _result = demo
    with db.session() as s:
        methods = set(_count_by(s, ServiceAttempt.method))
        assert {ServiceMethod.POST, ServiceMethod.DIRECT, ServiceMethod.LEFT, ServiceMethod.ELECTRONIC,
                ServiceMethod.PUBLIC_NOTICE} <= methods
        open_cases = list(s.scalars(select(Case).where(Case.stage.in_(OPEN))))
        flagged = sum(1 for c in open_cases if address_risks(c).flagged)
        assert len(open_cases) >= 40
        assert 0.12 <= flagged / len(open_cases) <= 0.30, (flagged, len(open_cases))


def test_dates_follow_the_injected_today(demo):
    db, _paths, _result = demo
    with db.session() as s:
        assert s.scalar(select(func.max(Case.received_on))) == TODAY
        latest = [s.scalar(select(func.max(col))) for col in (
            Case.filed_on, Case.closed_on, ComplaintReview.decided_on, MediationCase.outcome_on,
            EnforcementConsultation.sent_on, ExplanationRequest.received_on, ServiceAttempt.attempted_on)]
        assert all(d is not None and d <= TODAY for d in latest)
        assert s.scalar(select(func.min(Case.received_on))) >= date(TODAY.year - 10, 1, 1)


def test_no_user_name_carries_a_role(demo):
    db, _paths, _result = demo
    labels = [r.label for r in Role] + ["法官"]
    with db.session() as s:
        users = list(s.scalars(select(User)))
    assert len(users) >= 11
    for u in users:
        assert not any(label in u.display_name for label in labels), u.display_name


def test_statistics_count_every_workflow(demo):
    db, _paths, _result = demo
    with db.session() as s:
        r = compute(s, period_of("month", TODAY), today=TODAY)
    figures = {"收件": r.received, "立案": r.filed, "结案": r.closed, "进入诉前调解": r.mediation_opened,
               "调解结案": r.mediation_succeeded + r.mediation_failed, "首轮审查": r.corrections.den,
               "补正": r.corrections.num, "执行咨询": r.consult_sent, "执行建议": r.consult_replied,
               "采纳": r.consult_adoption.den, "判后答疑": r.explanation_requests,
               "答疑办结": r.explanation_accepted.den, "送达": r.served_measured}
    assert all(figures.values()), figures
    named = {row.name for row in r.by_mediator if row.opened} - {"（未委派）"}  # 同意调解, not yet assigned
    assert named and named <= {"董秀兰", "王淑芬", "韩立新"}


def test_every_kind_renders_from_the_command_line_for_a_demo_case(demo, tmp_path, monkeypatch):
    db, paths, _result = demo
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe11-admin")  # the command line is behind a desk login
    with db.session() as s:
        refs = {kind: case_for_kind(s, kind) for kind in KINDS if kind not in REPORT_KINDS}
    assert len(refs) >= 6
    for kind, ref in refs.items():
        out = tmp_path / kind
        out.mkdir()
        assert main(["--data-dir", str(paths.root), "render", kind, "--case", ref, "--out", str(out), "--user", "admin"]) == 0, kind
        files = sorted(out.iterdir())
        assert [f.suffix for f in files] == [".docx", ".pdf"], kind
        assert files[1].read_bytes()[:5] == b"%PDF-" and files[0].read_bytes()[:2] == b"PK"


def test_render_accepts_the_period_reports(demo, tmp_path, capsys, monkeypatch):
    _db, paths, _result = demo
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe11-admin")
    root = str(paths.root)
    assert main(["--data-dir", root, "render", "weekly-bulletin", "--week", "2026-W49", "--out", str(tmp_path), "--user", "admin"]) == 0
    assert main(["--data-dir", root, "render", "monthly-analysis", "--month", "2026-11", "--out", str(tmp_path), "--user", "admin"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "monthly-analysis-2026-11.docx", "monthly-analysis-2026-11.pdf",
        "weekly-bulletin-2026-W49.docx", "weekly-bulletin-2026-W49.pdf"]
    capsys.readouterr()
    assert main(["--data-dir", root, "render", "weekly-bulletin", "--month", "2026-11", "--out", str(tmp_path), "--user", "admin"]) == 1
    assert "--week 2026-W49" in capsys.readouterr().err
    assert main(["--data-dir", root, "render", "correction-notice", "--out", str(tmp_path), "--user", "admin"]) == 1


def test_a_small_demo_still_has_parties_for_each_case(demo):
    db, _paths, _result = demo
    with db.session() as s:
        per_case = Counter(s.scalars(select(Party.case_id).where(Party.role == PartyRole.DEFENDANT)))
        assert len(per_case) == 200
