"""Court → station → court: a 诉前调解 lent to the station, mediated offline, ending in 司法确认; the
诉前调确 number is drawn by the court at check-in. The court runs on SQLite and on PostgreSQL (udb); the
station is always its own SQLite desk with its own data folder and key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from baihe_desk.errors import KnownError
from baihe_desk.models import AuditRecord, Case, Role, Stage
from baihe_desk.models.exchange import CaseCheckout, DeskKind
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOutcome,
    MediationSession,
    MediationStatus,
    OrganisationKind,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.state_hash import find_edited_rows
from baihe_desk.services.exchange.export import checkout_mark
from baihe_desk.services.mediation import station as mediation_station
from baihe_desk.services.mediation.outcome import OutcomeInput, record_outcome
from baihe_desk.services.mediation.station import SessionInput
from tests.fake_today import travel_to
from tests.services.exchange.exchange_support import TODAY, add_case, make_side, pair, refer
from tests.services.mediation.test_mediation_support import roster


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The data here are dated (up to TODAY) and the desk refuses a date later than today, so these tests run
    on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    with travel_to(TODAY):
        yield



@pytest.fixture
def court_and_station(udb, uusers, udata, tmp_path):
    court = make_side("白河林区法院立案庭", DeskKind.COURT, udata.root, db=udb, paths=udata, admin=uusers[Role.ADMIN])
    station = make_side("管委会综治中心诉非联动服务站", DeskKind.STATION, tmp_path / "station")
    pair(court, station)
    yield court, station, uusers
    station.db.dispose()


def test_court_station_court_with_judicial_confirmation_numbered_at_check_in(court_and_station):
    court, station, users = court_and_station
    orgs, first, _other = roster(court.db, users, second_mediator=False)
    case = add_case(court.db, "2026收00021", defendants=("王堃", "李喆玥"))
    m = refer(court.db, users, case, orgs[OrganisationKind.STATION], first)
    clerk = users[Role.FILING_CLERK]

    # check-out at the court: marked 已借出 with the due date, others still read it
    due = TODAY + timedelta(days=20)
    bundle = court.export(clerk, [case.id], station, due_on=due)
    with court.db.session() as s:
        assert checkout_mark(s, case.id) == f"已借出：{station.name}（应于 {due.isoformat()} 归还）"
        assert s.get(Case, case.id).stage is Stage.PRE_MEDIATION

    # the station imports it: the mediator's account arrives inactive, its admin opens it
    result = station.import_(station.admin, bundle)
    assert result.applied and "新增案件 1 件" in result.plan.text and "新增诉前调解案件 1 件" in result.plan.text
    mediator = station.activate(users[Role.MEDIATOR].username)
    with station.db.transaction() as s:
        mediation_station.accept(s, mediator, m.id, accepted_on=TODAY - timedelta(days=12), today_=TODAY)
        mediation_station.add_session(s, mediator, m.id, SessionInput(TODAY - timedelta(days=8), "原告代理人、被告王堃、李喆玥",
                                                                      place="服务站", agreed="本金无异议", disputed="利息"))
        mediation_station.add_session(s, mediator, m.id, SessionInput(TODAY - timedelta(days=1), "原告代理人、被告王堃、李喆玥",
                                                                      agreed="分三期还款"))
        out = record_outcome(s, mediator, m.id, OutcomeInput(
            MediationOutcome.CONFIRMATION, TODAY, agreement_text="被告于三个月内分三期偿还本金50000元",
            joint_application=True), today_=TODAY)
        assert out.number is None and any("由法院" in w for w in out.warnings)  # the station draws no number
    with station.db.session() as s:
        row = s.get(MediationCase, m.id)
        assert row.status is MediationStatus.SUCCEEDED and row.outcome_number is None
        assert s.get(Case, case.id).stage is Stage.CLOSED

    back = station.export(mediator, [case.id], court)
    # the preview before the merge: what will change, nothing written yet
    dry = court.import_(clerk, back, dry_run=True)
    assert not dry.applied and not dry.plan.conflicts
    assert dry.plan.text.startswith("新增调解记录 2 条，更新案件 1 件，更新诉前调解案件 1 件")
    with court.db.session() as s:
        assert s.scalar(select(func.count()).select_from(MediationSession)) == 0

    result = court.import_(clerk, back)
    year = TODAY.year
    assert result.notes == [f"已分配诉前调确号：（{year}）吉7502诉前调确1号"]
    with court.db.session() as s:
        row = s.get(MediationCase, m.id)
        assert row.outcome_number == f"（{year}）吉7502诉前调确1号" and row.outcome_number_type == "诉前调确"
        assert row.status is MediationStatus.SUCCEEDED and len(row.sessions) == 2
        c = s.get(Case, case.id)
        assert c.stage is Stage.CLOSED and c.case_number == row.mediation_number
        assert checkout_mark(s, case.id) == ""  # returned
        marks = s.scalars(select(CaseCheckout).where(CaseCheckout.case_id == case.id)).all()
        assert len(marks) == 1 and marks[0].returned_at is not None
        actions = [a.action for a in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        assert {"bundle.export.checkout", "bundle.import.checkin", "bundle.merge", "mediation.outcome_number"} <= set(actions)
        assert audit.verify_chain(s) == []
        assert find_edited_rows(s) == []  # rows merged with core statements are in the state snapshot too
    with station.db.session() as s:
        actions = {a.action for a in s.scalars(select(AuditRecord))}
        assert {"bundle.import.checkout", "bundle.export.checkin", "mediation.outcome"} <= actions
        assert audit.verify_chain(s) == []
        assert find_edited_rows(s) == []


def test_station_may_not_file_a_case_and_a_failed_mediation_is_filed_by_the_court(court_and_station):
    court, station, users = court_and_station
    orgs, first, _other = roster(court.db, users, second_mediator=False)
    case = add_case(court.db, "2026收00022")
    m = refer(court.db, users, case, orgs[OrganisationKind.STATION], first)
    clerk = users[Role.FILING_CLERK]
    station.import_(station.admin, court.export(clerk, [case.id], station))
    mediator = station.activate(users[Role.MEDIATOR].username)
    with station.db.transaction() as s:
        mediation_station.accept(s, mediator, m.id, accepted_on=TODAY - timedelta(days=12), today_=TODAY)
        record_outcome(s, mediator, m.id, OutcomeInput(MediationOutcome.FAILED, TODAY, undisputed_facts="借款事实无争议"),
                       today_=TODAY)
    with station.db.session() as s:  # not filed on the station
        assert s.get(Case, case.id).stage is Stage.PRE_MEDIATION and s.get(MediationCase, m.id).filed_case_number is None
    result = court.import_(clerk, station.export(mediator, [case.id], court))
    assert result.notes[0] == f"调解不成，已立案：（{TODAY.year}）吉7502民初1号"
    with court.db.session() as s:
        c = s.get(Case, case.id)
        assert (c.stage, c.case_number) == (Stage.FILED, f"（{TODAY.year}）吉7502民初1号")


def test_a_station_bundle_that_files_a_case_is_refused_whole(court_and_station):
    court, station, users = court_and_station
    case = add_case(court.db, "2026收00023")
    with court.db.transaction() as s:
        s.get(Case, case.id).stage = Stage.PRE_MEDIATION
    clerk = users[Role.FILING_CLERK]
    station.import_(station.admin, court.export(clerk, [case.id], station))
    with station.db.transaction() as s:  # edited behind the services' back: filed and numbered offline
        c = s.get(Case, case.id)
        c.stage, c.case_number = Stage.FILED, "（2026）吉7502民初999号"
    back = station.export(station.admin, [case.id], court)
    with pytest.raises(KnownError, match="诉非联动服务站不能离线改动案件的编号"):
        court.import_(clerk, back)
    with court.db.session() as s:
        c = s.get(Case, case.id)
        assert (c.stage, c.case_number) == (Stage.PRE_MEDIATION, None)
        assert checkout_mark(s, case.id).startswith("已借出")
        assert s.scalar(select(func.count()).where(AuditRecord.action == "bundle.refused")) == 1


def test_court_and_station_both_conclude_the_same_mediation_the_court_keeps_its_filing(court_and_station):
    court, station, users = court_and_station
    orgs, first, _other = roster(court.db, users, second_mediator=False)
    case = add_case(court.db, "2026收00024")
    m = refer(court.db, users, case, orgs[OrganisationKind.STATION], first)
    clerk = users[Role.FILING_CLERK]
    station.import_(station.admin, court.export(clerk, [case.id], station))
    mediator = station.activate(users[Role.MEDIATOR].username)
    with station.db.transaction() as s:
        mediation_station.accept(s, mediator, m.id, accepted_on=TODAY - timedelta(days=12), today_=TODAY)
        mediation_station.add_session(s, mediator, m.id, SessionInput(TODAY - timedelta(days=2), "双方", agreed="一次付清"))
        record_outcome(s, mediator, m.id, OutcomeInput(MediationOutcome.CONFIRMATION, TODAY, agreement_text="一次付清",
                                                       joint_application=True), today_=TODAY)
    with court.db.transaction() as s:  # meanwhile the plaintiff withdrew at the court's window, which filed it
        record_outcome(s, clerk, m.id, OutcomeInput(MediationOutcome.WITHDRAWN, TODAY - timedelta(days=1),
                                                    undisputed_facts="无"), today_=TODAY)
    back = station.export(mediator, [case.id], court)
    plan = court.import_(clerk, back, dry_run=True).plan
    assert sorted(c.table for c in plan.conflicts) == ["case", "mediation_case"]
    assert all("编号" in c.blocked for c in plan.conflicts)  # the station's version would undo the court's number
    assert "新增调解记录 1 条" in plan.text
    theirs = {c.key: "theirs" for c in plan.conflicts}
    with pytest.raises(KnownError, match="不能采用对方的内容"):
        court.import_(clerk, back, decisions=theirs)
    court.import_(clerk, back, decisions={c.key: "ours" for c in plan.conflicts})
    with court.db.session() as s:
        row = s.get(MediationCase, m.id)
        assert row.outcome is MediationOutcome.WITHDRAWN and row.outcome_number is None
        assert s.get(Case, case.id).stage is Stage.FILED and len(row.sessions) == 1


def test_a_mediator_bundles_only_the_mediations_assigned_to_them(court_and_station):
    """Seen at the desk: a mediator's 导出案件包 listed the whole court's cases and exported any of them."""
    from baihe_desk.errors import PermissionDenied

    court, station, users = court_and_station
    orgs, first, other = roster(court.db, users)
    own = add_case(court.db, "2026收00031")
    theirs = add_case(court.db, "2026收00032")
    unassigned = add_case(court.db, "2026收00033")
    refer(court.db, users, own, orgs[OrganisationKind.STATION], first)
    refer(court.db, users, theirs, orgs[OrganisationKind.STATION], other)
    mediator = users[Role.MEDIATOR]
    for case in (theirs, unassigned):
        with pytest.raises(PermissionDenied, match="不在本人负责的范围内"):
            court.export(mediator, [own.id, case.id], station)
        with court.db.session() as s:
            last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
            assert (last.action, last.username) == ("permission.denied", mediator.username)
            assert last.after["case_id"] == str(case.id)
            assert checkout_mark(s, own.id) == ""  # nothing lent
    assert court.export(mediator, [own.id], station)
