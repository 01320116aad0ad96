"""执行咨询 services: draft → send → reply → adoption, with permissions, named-person checks, the reply
clock in working days, numbering, statistics and the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.errors import ConflictError, KnownError, PermissionDenied, ValidationError, ValidationErrors
from baihe_desk.models import AuditRecord, Base, Case, Party, PartyKind, PartyRole, Role, Setting, User
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation, Measure, TermKind, Verdict
from baihe_desk.services.common import audit
from baihe_desk.services.enforcement import advice as advice_svc
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement import queries
from baihe_desk.services.enforcement.advice import AdviceData, ItemData
from baihe_desk.services.enforcement.draft import PartyRow, draft_from_json, draft_of, draft_to_json
from baihe_desk.services.enforcement.enforceability import Instalment, TermData

SENT_ON = date(2026, 9, 24)  # Thursday before 中秋 and 国庆 2026
ACCELERATION = "任何一期未按期足额履行的，原告王堃有权就全部未付款项一并申请执行。"


@pytest.fixture
def edb(db):
    Base.metadata.create_all(db.engine)  # the enforcement tables are not in the migration yet
    return db


@pytest.fixture
def case_id(edb, court):
    with edb.transaction() as s:
        case = Case(receipt_number="2026收00001", case_number="（2026）吉7502民初88号", received_on=date(2026, 3, 2),
                    cause_name="民间借贷纠纷")
        case.parties = [
            Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number="220222198503140118"),
            Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥", id_number="22022219900101002X",
                  sort_order=1),
        ]
        s.add(case)
    return case.id


@pytest.fixture
def judge(users):
    return users[Role.JUDGE]


@pytest.fixture
def officer(users):
    return users[Role.ENFORCEMENT]


def draft_with_instalments(edb, judge, case_id, *, acceleration=""):
    with edb.transaction() as s:
        c = svc.create(s, judge, case_id)
        data = draft_of(c)
        data.parties.append(PartyRow("白河林海商贸有限公司", "担保人", PartyKind.ORGANISATION, "91222426MA0Y3B5K7X",
                                     assets="名下货车一辆（吉H·12345）"))
        data.parties[1].assets = "工资收入；白河镇住房一套"
        term = TermData(
            kind=TermKind.MONEY, text="被告李喆玥分三期偿还原告王堃借款本金12万元。", obligors="李喆玥", obligees="王堃",
            amount=Decimal("120000"), perform_manner="转账", guarantor="白河林海商贸有限公司", guarantee_mode="joint",
            guarantee_scope="本金及实现债权的费用", acceleration=acceleration,
            instalments=[Instalment(date(2026, 12, 31), Decimal("40000")),
                         Instalment(date(2027, 12, 31), Decimal("40000")),
                         Instalment(date(2028, 12, 31), Decimal("40000"))])
        data.terms = [term]
        data.questions = ["分期履行条款是否需要加速到期条款？", "担保人的责任期间如何表述？"]
        assert svc.save_draft(s, judge, c.id, data) is True
        return c.id


def audit_actions(edb, cid):
    with edb.session() as s:
        return [r.action for r in s.scalars(select(AuditRecord).where(AuditRecord.entity_id == str(cid))
                                             .order_by(AuditRecord.seq))]


def test_draft_copies_the_case_parties_and_saves_only_changes(edb, judge, case_id):
    cid = draft_with_instalments(edb, judge, case_id)
    with edb.transaction() as s:
        c = svc.load(s, cid)
        assert [p.name for p in c.parties] == ["王堃", "李喆玥", "白河林海商贸有限公司"]
        assert c.parties[1].role_label == "被告" and c.parties[1].id_code == "22022219900101002X"
        assert c.stage_note == "" and c.status is ConsultStatus.DRAFT and c.number is None
        assert c.terms[0].instalments[1] == {"due": "2027-12-31", "amount": "40000.00"}
        again = draft_of(c)
        again.stage_note = "  调解中  "
        assert svc.save_draft(s, judge, cid, again) is True
        assert svc.save_draft(s, judge, cid, draft_of(svc.load(s, cid))) is False  # nothing changed: no write
    assert audit_actions(edb, cid) == ["enforcement.consult.create", "enforcement.consult.save",
                                       "enforcement.consult.save"]


def test_draft_json_round_trip(edb, judge, case_id):
    cid = draft_with_instalments(edb, judge, case_id)
    with edb.session() as s:
        data = draft_of(svc.load(s, cid))
    assert draft_to_json(draft_from_json(draft_to_json(data))) == draft_to_json(data)


def test_bad_amount_is_refused_with_the_field_named(edb, judge, case_id):
    cid = draft_with_instalments(edb, judge, case_id)
    with edb.transaction() as s:
        data = draft_of(svc.load(s, cid))
        data.terms[0].amount = Decimal("-5")
        with pytest.raises(ValidationErrors) as exc:
            svc.save_draft(s, judge, cid, data)
    assert exc.value.errors[0].key == "term0.amount" and "第1项给付金额" in exc.value.message


def test_send_refuses_open_gaps_until_confirmed_then_numbers_and_sets_due_date(edb, judge, case_id):
    cid = draft_with_instalments(edb, judge, case_id)
    with edb.transaction() as s, pytest.raises(svc.GapsOpen) as exc:
        svc.send(s, judge, cid, today=SENT_ON)
    assert [g.code for g in exc.value.gaps] == ["acceleration_missing"]
    with edb.transaction() as s:
        data = draft_of(svc.load(s, cid))
        data.terms[0].acceleration = ACCELERATION
        svc.save_draft(s, judge, cid, data)
        c = svc.send(s, judge, cid, today=SENT_ON)
        assert c.status is ConsultStatus.SENT and c.number == "（2026）吉7502执咨1号"
        # 10 working days after 2026-09-24: 中秋 and 国庆 are skipped, the 调休 Saturday 10-10 counts
        assert c.reply_days == 10 and c.reply_due == date(2026, 10, 15)
        assert any("国庆节" in step for step in c.due_steps)
        assert c.gaps_at_send == [] and c.sent_by_id == judge.id
    with edb.transaction() as s, pytest.raises(ConflictError):
        svc.save_draft(s, judge, cid, draft_of(svc.load(s, cid)))


def test_reply_days_is_a_court_setting(edb, judge, case_id):
    with edb.transaction() as s:
        s.add(Setting(key=svc.REPLY_DAYS_KEY, value=3, note="本院规定"))
    cid = draft_with_instalments(edb, judge, case_id, acceleration=ACCELERATION)
    with edb.transaction() as s:
        assert svc.send(s, judge, cid, today=SENT_ON).reply_due == date(2026, 9, 30)
    with edb.transaction() as s:
        s.get(Setting, svc.REPLY_DAYS_KEY).value = "many"
    cid2 = draft_with_instalments(edb, judge, case_id, acceleration=ACCELERATION)
    with edb.transaction() as s, pytest.raises(KnownError, match="回复期限"):
        svc.send(s, judge, cid2, today=SENT_ON)


def sent(edb, judge, case_id):
    cid = draft_with_instalments(edb, judge, case_id, acceleration=ACCELERATION)
    with edb.transaction() as s:
        svc.send(s, judge, cid, today=SENT_ON)
    return cid


def two_suggestions(edb, officer, cid, *, today=date(2026, 10, 9)):
    with edb.transaction() as s:
        data = advice_svc.prefill(svc.load(s, cid))
        data.items[0].verdict = Verdict.NEEDS_CHANGE
        data.items[0].reason = "担保期间未写明，执行中无法确定担保人责任是否届满。"
        data.items[0].suggestion = "增加：保证期间为最后一期履行期限届满之日起六个月。"
        data.items.append(ItemData(measure=Measure.PRESERVATION, amount=Decimal("120000"),
                                   suggestion=advice_svc.DEFAULT_WORDING[Measure.PRESERVATION]))
        data.property_clues = "被告名下白河镇住房一套，已查询不动产登记。"
        data.answers = ["需要，已写入。", "建议写明自最后一期届满之日起六个月。"]
        assert advice_svc.save_reply(s, officer, cid, data) is True
        return advice_svc.submit_reply(s, officer, cid, today=today)


def test_officer_replies_with_a_preservation_fee_and_judge_records_partial_adoption(edb, judge, officer, case_id):
    cid = sent(edb, judge, case_id)
    advice = two_suggestions(edb, officer, cid)
    assert advice.number == "（2026）吉7502执建1号"
    with edb.transaction() as s:
        c = svc.load(s, cid)
        assert c.status is ConsultStatus.REPLIED and c.replied_on == date(2026, 10, 9)
        fee_item = c.advice.items[1]
        # 《诉讼费用交纳办法》第十四条第（二）项: 30 + (100000-1000)×1% + (120000-100000)×0.5% = 1120
        assert fee_item.fee == Decimal("1120.00") and "第十四条" not in fee_item.suggestion
        assert "1,120.00" in fee_item.fee_detail or "1120" in fee_item.fee_detail
        suggestions = [i for i in c.advice.items if i.is_suggestion]
        assert len(suggestions) == 2
        decisions = {suggestions[0].id: (True, ""), suggestions[1].id: (False, "原告不申请保全")}
        assert svc.record_adoption(s, judge, cid, decisions) is ConsultStatus.PARTLY_ADOPTED
    with edb.session() as s:
        c = svc.load(s, cid)
        assert [i.adopted for i in c.advice.items] == [True, False]
        assert c.adoption_by_id == judge.id and c.status.label == "部分采纳"
    assert audit_actions(edb, cid)[-4:] == ["enforcement.consult.send", "enforcement.advice.save",
                                            "enforcement.advice.submit", "enforcement.consult.adoption"]
    with edb.session() as s:
        assert audit.verify_chain(s) == []


def test_reply_must_be_complete(edb, judge, officer, case_id):
    cid = sent(edb, judge, case_id)
    with edb.transaction() as s, pytest.raises(ValidationErrors) as exc:
        advice_svc.submit_reply(s, officer, cid, AdviceData(items=[ItemData(measure=Measure.SECURITY)]))
    keys = {e.key for e in exc.value.errors}
    assert {"item0.suggestion", "term1", "answer0", "answer1"} <= keys


def test_only_enforcement_staff_reply(edb, judge, users, case_id):
    cid = sent(edb, judge, case_id)
    for role in (Role.JUDGE, Role.CLERK, Role.ADMIN, Role.DIVISION_CHIEF):
        with edb.transaction() as s, pytest.raises(PermissionDenied, match="无权回复执行建议"):
            advice_svc.save_reply(s, users[role], cid, AdviceData())
    with edb.session() as s:
        denied = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")).all()
        assert len(denied) == 4 and {d.after["permission"] for d in denied} == {"enforcement.consult_reply"}
        assert svc.load(s, cid).advice is None


def test_only_the_consulting_judge_records_adoption(edb, judge, officer, case_id, users):
    cid = sent(edb, judge, case_id)
    two_suggestions(edb, officer, cid)
    with edb.transaction() as s:
        other = User(username="t_judge2", display_name="法官 张三", role=Role.JUDGE, password_hash="x")
        s.add(other)
    with edb.transaction() as s:
        items = [i for i in svc.load(s, cid).advice.items if i.is_suggestion]
    decisions = {i.id: (True, "") for i in items}
    with edb.transaction() as s, pytest.raises(PermissionDenied, match="只有咨询法官本人"):
        svc.record_adoption(s, other, cid, decisions)
    with edb.transaction() as s, pytest.raises(PermissionDenied):
        svc.record_adoption(s, users[Role.ENFORCEMENT], cid, decisions)
    with edb.session() as s:
        c = svc.load(s, cid)
        assert c.status is ConsultStatus.REPLIED
        refusal = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied",
                                                      AuditRecord.entity_id == str(cid))).one()
        assert refusal.username == "t_judge2" and refusal.after["required_user_id"] == str(judge.id)


def test_adoption_needs_every_suggestion_and_a_reason_when_not_adopted(edb, judge, officer, case_id):
    cid = sent(edb, judge, case_id)
    two_suggestions(edb, officer, cid)
    with edb.transaction() as s:
        items = [i for i in svc.load(s, cid).advice.items if i.is_suggestion]
        with pytest.raises(ValidationError, match="还有 1 条未选择"):
            svc.record_adoption(s, judge, cid, {items[0].id: (True, "")})
        with pytest.raises(ValidationError, match="理由"):
            svc.record_adoption(s, judge, cid, {items[0].id: (False, ""), items[1].id: (False, "")})
        status = svc.record_adoption(s, judge, cid, {i.id: (False, "") for i in items}, "当事人不同意")
        assert status is ConsultStatus.NOT_ADOPTED


def test_other_users_cannot_touch_a_judges_draft(edb, judge, users, case_id):
    cid = draft_with_instalments(edb, judge, case_id, acceleration=ACCELERATION)
    assistant = users[Role.JUDGE_ASSISTANT]
    with edb.transaction() as s, pytest.raises(PermissionDenied):
        svc.send(s, assistant, cid, today=SENT_ON)
    with edb.transaction() as s, pytest.raises(PermissionDenied, match="无权起草执行咨询函"):
        svc.create(s, users[Role.FILING_CLERK], case_id)
    with edb.transaction() as s:
        svc.discard(s, judge, cid)
    with edb.session() as s:
        assert s.get(EnforcementConsultation, cid) is None
    assert audit_actions(edb, cid)[-1] == "enforcement.consult.discard"


def test_reply_clock_warns_both_sides(edb, judge, officer, case_id):
    cid = sent(edb, judge, case_id)
    with edb.session() as s:
        mine = queries.list_mine(s, judge, today=date(2026, 10, 14))
        queue = queries.list_queue(s, today=date(2026, 10, 16))
    assert mine[0].clock.level == "soon" and "剩余 1 个工作日" in mine[0].clock.text
    assert queue[0].clock.overdue and queue[0].clock.text.startswith("已逾期 1 个工作日")
    with edb.session() as s:
        assert queries.list_queue(s, today=date(2026, 10, 15))[0].clock.text.startswith("今日到期")
    two_suggestions(edb, officer, cid, today=date(2026, 10, 19))
    with edb.session() as s:
        row = queries.list_mine(s, judge, today=date(2026, 10, 20))[0]
    assert row.clock.level == "late" and "逾期回复" in row.clock.text


def test_statistics_count_turnaround_and_adoption(edb, judge, officer, case_id):
    cid = sent(edb, judge, case_id)
    two_suggestions(edb, officer, cid)  # replied 2026-10-09: 5 working days after 09-24
    other = sent(edb, judge, case_id)
    with edb.transaction() as s:
        items = [i for i in svc.load(s, cid).advice.items if i.is_suggestion]
        svc.record_adoption(s, judge, cid, {items[0].id: (True, ""), items[1].id: (False, "不需要")})
    with edb.session() as s:
        st = queries.statistics(s, today=date(2026, 10, 20))
        exchange = queries.case_consultations(s, case_id)
    assert (st.sent, st.replied, st.waiting, st.overdue) == (2, 1, 1, 1)
    assert st.avg_turnaround == 5 and st.adoption_rate == 1.0 and st.suggestion_rate == 0.5
    assert "采纳率 100%" in st.text() and "建议条目采纳率 50%" in st.text()
    assert [c.id for c in exchange] == [cid, other]
