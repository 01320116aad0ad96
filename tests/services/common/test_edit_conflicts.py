"""Two clerks, one case: a save over the other desk's newer change is refused and named, never an overwrite.

Each "desk" is its own session reading the review, as two workstations would; both run on SQLite and on the
PostgreSQL server the tests start."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from baihe_desk.errors import ConflictError
from baihe_desk.models import AuditRecord, Base, Case, PartyKind, PartyRole, Role, Stage, User
from baihe_desk.models.review import Answer, ComplaintReview, ReviewAnswer, ReviewOutcome
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.common.concurrency import EditConflict
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case
from tests.fake_today import travel_to

RECEIVED = date(2026, 11, 2)
ITEM = "cond.defendant_identified"


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The data here are dated (up to date(2026, 12, 5)) and the desk refuses a date later than today, so these tests run
    on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    with travel_to(date(2026, 12, 5)):
        yield



@pytest.fixture
def desks(udb, uusers):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401

    Base.metadata.create_all(udb.engine)
    with udb.transaction() as s:
        sun = User(username="sunyue", display_name="孙玥", role=Role.FILING_CLERK,
                   password_hash=hash_password("Baihe-test-2025"))
        s.add(sun)
    clerk = uusers[Role.FILING_CLERK]
    data = CaseInput(cause_name="民间借贷纠纷", claim_amount="12800", claims="请求判令被告偿还借款12800元",
                     facts="被告借款未还。", received_on=RECEIVED, parties=[
                         PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃",
                                    domicile="吉林省安图县二道白河镇白山大街1号"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李玥",
                                    domicile="吉林省安图县松江镇1号")])
    with udb.transaction() as s:
        case = create_case(s, clerk, data, court_code="吉7502")
        review = cr.start_review(s, clerk, case, RECEIVED)
        review_id, case_id = review.id, case.id
    return udb, clerk, sun, review_id, case_id


def _version(db, review_id) -> int:
    with db.session() as s:
        return s.get(ComplaintReview, review_id).row_version


def test_second_answer_on_an_older_screen_is_a_conflict_naming_who_and_when(desks):
    db, clerk, sun, review_id, _case_id = desks
    shown = _version(db, review_id)  # both desks show the review at this version
    with db.transaction() as s:  # 孙玥's desk saves first
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告仅有姓名和乡镇地址",
                  expected_version=shown)
    with pytest.raises(EditConflict) as caught, db.transaction() as s:  # the other desk, still on `shown`
        cr.answer(s, clerk, s.get(ComplaintReview, review_id), ITEM, Answer.PASS, "被告身份明确",
                  expected_version=shown)
    conflict = caught.value
    with db.session() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "complaint_review.answer")
                        .order_by(AuditRecord.seq.desc())).first()
        at = rec.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert conflict.message.startswith(f"该案件的立案审查已被 孙玥 于 {at:%H:%M} 修改") or \
        conflict.message.startswith(f"该案件的立案审查已被 孙玥 于 {at:%m-%d %H:%M} 修改")
    assert "没有保存" in conflict.message
    [texts] = conflict.texts
    assert (texts.mine, texts.theirs) == ("被告身份明确", "被告仅有姓名和乡镇地址")
    assert "被告" in texts.label
    with db.session() as s:  # 孙玥's answer stands; the refused save wrote nothing
        row = s.scalars(select(ReviewAnswer).where(ReviewAnswer.review_id == review_id,
                                                   ReviewAnswer.item_id == ITEM)).one()
        assert (row.answer, row.note, row.answered_by_id) == (Answer.FAIL, "被告仅有姓名和乡镇地址", sun.id)
        assert s.scalar(select(AuditRecord).where(AuditRecord.user_id == clerk.id,
                                                  AuditRecord.action == "complaint_review.answer")) is None
    # after reloading, the same clerk's save goes through
    with db.transaction() as s:
        cr.answer(s, clerk, s.get(ComplaintReview, review_id), ITEM, Answer.PASS, "补充查明身份证号",
                  expected_version=_version(db, review_id))


def test_finishing_on_a_sheet_another_desk_changed_is_refused_and_the_case_is_not_filed(desks):
    db, clerk, sun, review_id, case_id = desks
    with db.transaction() as s:
        review = s.get(ComplaintReview, review_id)
        for row in cr.review_sheet(s, review):
            cr.answer(s, clerk, review, row.item.id, row.answer or Answer.PASS)
    shown = _version(db, review_id)  # the clerk's screen: everything 符合, 登记立案 enabled
    with db.transaction() as s:  # meanwhile 孙玥 finds a defect
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告身份不明",
                  expected_version=shown)
    with pytest.raises(EditConflict), db.transaction() as s:
        cr.finish(s, clerk, s.get(ComplaintReview, review_id), ReviewOutcome.REGISTERED,
                  decided_on=RECEIVED, expected_version=shown)
    with db.session() as s:
        case = s.get(Case, case_id)
        assert (case.stage, case.case_number) == (Stage.RECEIVED, None)


def test_both_finish_the_round_the_second_sees_the_first_ones_note(desks):
    db, clerk, sun, review_id, case_id = desks
    with db.transaction() as s:
        review = s.get(ComplaintReview, review_id)
        cr.answer(s, clerk, review, ITEM, Answer.FAIL, "被告身份不明")
        for row in cr.review_sheet(s, review):
            if row.answer is None or row.prefilled:
                cr.answer(s, clerk, review, row.item.id, row.answer or Answer.PASS)
    shown = _version(db, review_id)
    with db.transaction() as s:
        cr.finish(s, sun, s.get(ComplaintReview, review_id), ReviewOutcome.CORRECTION, note="请补充被告身份信息",
                  decided_on=RECEIVED, expected_version=shown)
    with pytest.raises(EditConflict) as caught, db.transaction() as s:
        cr.finish(s, clerk, s.get(ComplaintReview, review_id), ReviewOutcome.CORRECTION, note="补正被告信息",
                  decided_on=RECEIVED, expected_version=shown)
    assert "孙玥" in caught.value.message
    assert [(t.mine, t.theirs) for t in caught.value.texts] == [("补正被告信息", "请补充被告身份信息")]
    with db.session() as s:
        assert s.get(ComplaintReview, review_id).outcome_note == "请补充被告身份信息"
        assert s.get(Case, case_id).stage is Stage.CORRECTION


def test_an_update_over_a_row_changed_underneath_becomes_a_calm_conflict(desks):
    """SQLAlchemy's own version check (UPDATE … WHERE row_version = read version) backs up every other path."""
    db, clerk, _sun, _review_id, case_id = desks
    with pytest.raises(ConflictError) as caught, db.transaction() as s:
        case = s.get(Case, case_id)
        s.execute(update(Case).where(Case.id == case_id).values(row_version=Case.row_version + 1)
                  .execution_options(synchronize_session=False))  # another writer, unseen by this session
        case.facts = "改写的事实"
        s.flush()
    assert "其他工作台" in caught.value.message
    with db.session() as s:
        assert s.get(Case, case_id).facts == "被告借款未还。"


def test_every_editable_record_carries_a_version():
    from sqlalchemy.orm import configure_mappers

    import baihe_desk.models.clock  # noqa: F401
    import baihe_desk.models.enforcement  # noqa: F401
    import baihe_desk.models.explanation  # noqa: F401
    import baihe_desk.models.mediation  # noqa: F401
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401

    configure_mappers()
    for mapper in Base.registry.mappers:
        counter = mapper.class_.__name__.endswith("Counter")  # numbers: a row lock, not a version
        if "updated_at" in mapper.columns and not counter:  # a record people edit (it has a last-changed time)
            assert mapper.version_id_col is not None, mapper.class_.__name__
