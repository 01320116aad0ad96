"""立案审查 at service level: checklist data, prefill, 补正 → resubmit → 登记立案, refusals, consistency."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from baihe_desk.errors import KnownError, PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Base, Case, PartyKind, PartyRole, Role, Stage
from baihe_desk.models.review import Answer, ComplaintReview, ReviewAnswer, ReviewOutcome
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing.checklists import (
    OUTCOMES,
    ChecklistError,
    OutcomeError,
    allowed_outcomes,
    check_outcome,
    load_checklist,
    parse_checklist,
)
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case

ID_WANG = dd.make_id_number(random.Random(3), "222426", date(1986, 4, 12), male=True)
ID_LI = dd.make_id_number(random.Random(5), "222426", date(1990, 9, 1), male=False)
CREDIT = dd.make_credit_code(random.Random(4), "222426")
RECEIVED = date(2026, 11, 2)


@pytest.fixture
def rdb(udb, uusers):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401

    Base.metadata.create_all(udb.engine)  # until the migration includes the new tables
    return udb


def _plaintiff(**over) -> PartyInput:
    p = PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number=ID_WANG, ethnicity="汉族",
                   occupation="个体经营者", domicile="吉林省安图县二道白河镇白山大街1号", phone="13943301234",
                   agents=[AgentInput(name="赵喆", phone="13943300000")])
    for k, v in over.items():
        setattr(p, k, v)
    return p


def _input(*, cause="民间借贷纠纷", defendant: PartyInput | None = None, plaintiff=None, amount="12800") -> CaseInput:
    defendant = defendant or PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李玥",
                                        domicile="吉林省安图县松江镇1号")
    return CaseInput(cause_name=cause, claim_amount=amount, claims="请求判令被告偿还借款12800元",
                     facts="被告于2025年借款未还。", received_on=RECEIVED, parties=[plaintiff or _plaintiff(), defendant])


def _case(db, clerk, **kw):
    with db.transaction() as s:
        return create_case(s, clerk, _input(**kw), court_code="吉7502").id


def _answer_rest(s, clerk, review, value=Answer.PASS):
    for row in cr.review_sheet(s, review):
        if row.answer is None or row.prefilled:
            cr.answer(s, clerk, review, row.item.id, row.answer or value)


def test_checklist_file_is_valid_and_complete():
    c = load_checklist()
    assert c.version == "2026.1"
    ids = {it.id for it in c.items}
    assert {"cond.plaintiff_interest", "cond.defendant_identified", "cond.claims_facts", "cond.civil_scope",
            "cond.jurisdiction", "s127.administrative", "s127.arbitration", "s127.six_months",
            "r10.unlawful", "mat.power_of_attorney"} <= ids
    for it in c.items:
        assert it.basis and all(b.startswith("《") for b in it.basis)
        if it.consequence in ("correction", "redirect"):
            assert it.fix
        assert "第122条" not in "".join(it.basis)
    art127 = [it for it in c.items if any("第一百二十七条" in b for b in it.basis)]
    assert {it.route for it in art127 if it.consequence == "redirect"} == {
        "administrative", "arbitration", "other_authority", "competent_court", "retrial"}


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace('consequence = "reject"\n', 'consequence = "reject"\ncolour = "red"\n', 1), "未知的键“colour”"),
    (lambda t: t.replace('id = "cond.claims_facts"', 'id = "cond.plaintiff_interest"'), "重复"),
    (lambda t: t.replace('basis = ["《中华人民共和国民事诉讼法》第一百二十二条第一项"]', 'basis = []'), "缺少法律依据"),
    (lambda t: t.replace('第一百二十二条第一项"]', '第122条"]', 1), "中文条号"),
    (lambda t: t.replace('route = "arbitration"', 'route = "mars"'), "route"),
    (lambda t: t.replace('version = "2026.1"', ''), "version"),
    (lambda t: 'extra = 1\n' + t, "顶层键"),
])
def test_loader_rejects_bad_files(mutate, message):
    from importlib import resources

    text = resources.files("baihe_desk.resources").joinpath("checklists").joinpath("complaint-review.toml").read_text("utf-8")
    parse_checklist(text)
    with pytest.raises(ChecklistError, match=message):
        parse_checklist(mutate(text))


def test_filing_flow_correction_resubmit_register(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        prefilled = {a.item_id: a for a in review.answers}
        assert prefilled["cond.claims_facts"].answer is Answer.PASS and "12,800" in prefilled["cond.claims_facts"].prefill_explanation
        assert prefilled["comp.plaintiff_natural"].answer is Answer.PASS
        # defendant has a name and an address but no ID number: the data cannot decide, only hint
        assert prefilled["cond.defendant_identified"].answer is None
        assert "李玥" in prefilled["cond.defendant_identified"].prefill_explanation
        assert prefilled["mat.identity_natural"].answer is None  # a number is not a copy of the ID card
        cr.answer(s, clerk, review, "cond.defendant_identified", "fail", "被告李玥仅有姓名和乡镇地址，无法区别")
        cr.answer(s, clerk, review, "mat.power_of_attorney", Answer.FAIL, "未提交授权委托书")
        _answer_rest(s, clerk, review)
        with pytest.raises(OutcomeError, match="不能登记立案"):
            cr.finish(s, clerk, review, ReviewOutcome.REGISTERED)
        result = cr.finish(s, clerk, review, "correction", decided_on=RECEIVED + timedelta(days=1))
        assert [d.item_id for d in result.defects] == ["cond.defendant_identified", "mat.power_of_attorney"]
        d1, d2 = result.defects
        assert "《中华人民共和国民事诉讼法》第一百二十二条第二项" in d1.basis and d1.fix.startswith("请补充")
        assert "《最高人民法院关于人民法院登记立案若干问题的规定》第六条第二项" in d2.basis and d2.note == "未提交授权委托书"
        assert result.correction_deadline >= RECEIVED + timedelta(days=16)
        assert case.stage is Stage.CORRECTION and review.correction_days == cr.DEFAULT_CORRECTION_DAYS
        notice = cr.correction_notice_data(s, review)
        assert [i["no"] for i in notice["items"]] == [1, 2] and notice["deadline"] == review.correction_deadline
        assert notice["addressees"] == ["王堃"] and notice["agents"][0]["name"] == "赵喆"
        assert cr.filing_clock(case).state == "waiting_correction"
    corrected_on = RECEIVED + timedelta(days=6)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        defendant = next(p for p in case.parties if p.role is PartyRole.DEFENDANT)
        defendant.id_number = ID_LI  # the corrected complaint gives the defendant's ID number
        with pytest.raises(KnownError, match="补正后重新审查"):
            cr.start_review(s, clerk, case, corrected_on)
        review2 = cr.resubmit(s, clerk, case, corrected_on)
        assert review2.round_no == 2 and review2.previous_review_id is not None
        sheet = {r.item.id: r for r in cr.review_sheet(s, review2)}
        assert sheet["cond.defendant_identified"].previously_failed and sheet["cond.defendant_identified"].fixed
        assert "李玥已登记有效的公民身份号码" in sheet["cond.defendant_identified"].explanation
        assert sheet["mat.power_of_attorney"].previously_failed and sheet["mat.power_of_attorney"].fixed is None
        assert sheet["cond.plaintiff_interest"].answer is Answer.PASS and "沿用第1轮" in sheet["cond.plaintiff_interest"].explanation
        cr.answer(s, clerk, review2, "mat.power_of_attorney", "pass")
        sheet = {r.item.id: r for r in cr.review_sheet(s, review2)}
        assert all(r.fixed for r in sheet.values() if r.previously_failed)
        clock = cr.filing_clock(case, today=corrected_on + timedelta(days=2))
        assert clock.received_on == corrected_on and clock.due >= corrected_on + timedelta(days=7)
        assert clock.days_left >= 5 and any("第一百二十六条" in b for b in clock.basis)
        _answer_rest(s, clerk, review2)
        result = cr.finish(s, clerk, review2, ReviewOutcome.REGISTERED, decided_on=corrected_on + timedelta(days=2))
        assert result.case_number == "（2026）吉7502民初1号"
        assert case.stage is Stage.FILED and case.filed_on == corrected_on + timedelta(days=2)
        assert any(w.startswith("送达风险") for w in result.warnings)  # the defendant's address is unverified
    with rdb.session() as s:
        reviews = s.scalars(select(ComplaintReview).order_by(ComplaintReview.round_no)).all()
        assert [(r.round_no, r.outcome, r.checklist_version) for r in reviews] == [
            (1, ReviewOutcome.CORRECTION, "2026.1"), (2, ReviewOutcome.REGISTERED, "2026.1")]
        assert reviews[0].outcome_reasons[0]["basis"][0].startswith("《中华人民共和国民事诉讼法》")
        assert s.scalar(select(ReviewAnswer).where(ReviewAnswer.review_id == reviews[0].id,
                                                   ReviewAnswer.item_id == "mat.power_of_attorney")).note
        actions = [r.action for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        for a in ("complaint_review.start", "complaint_review.answer", "complaint_review.finish",
                  "complaint_review.resubmit", "case.assign_number"):
            assert a in actions
        fin = s.scalars(select(AuditRecord).where(AuditRecord.action == "complaint_review.finish")).all()[-1]
        assert fin.before["stage"] == "correction" and fin.after["stage"] == "filed"


def test_finish_refused_while_items_are_open(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        review = cr.start_review(s, clerk, s.get(Case, case_id), RECEIVED)
        cr.answer(s, clerk, review, "mat.power_of_attorney", "fail")
        with pytest.raises(OutcomeError, match="未作出结论") as exc:
            cr.finish(s, clerk, review, ReviewOutcome.CORRECTION)
        assert "原告是与本案有直接利害关系" in exc.value.message
        assert review.outcome is None and s.get(Case, case_id).stage is Stage.RECEIVED


def test_answers_are_checked(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk, plaintiff=_plaintiff(agents=[]))
    with rdb.transaction() as s:
        review = cr.start_review(s, clerk, s.get(Case, case_id), RECEIVED)
        with pytest.raises(ValidationError, match="不能选“不适用”"):
            cr.answer(s, clerk, review, "cond.plaintiff_interest", "na")
        cr.answer(s, clerk, review, "comp.witnesses", "na")
        with pytest.raises(KnownError, match="不适用于本案"):  # no agent → no 授权委托书 item
            cr.answer(s, clerk, review, "mat.power_of_attorney", "fail")
        with pytest.raises(KnownError, match="不适用于本案"):  # not a divorce case
            cr.answer(s, clerk, review, "s127.six_months", "fail")
        with pytest.raises(ValidationError):
            cr.answer(s, clerk, review, "comp.evidence", "maybe")


def test_permissions(rdb, uusers):
    case_id = _case(rdb, uusers[Role.FILING_CLERK])
    with pytest.raises(PermissionDenied):
        with rdb.transaction() as s:
            cr.start_review(s, uusers[Role.MEDIATOR], s.get(Case, case_id), RECEIVED)
    with rdb.session() as s:
        assert s.scalars(select(ComplaintReview)).all() == []
        assert s.scalar(select(AuditRecord).where(AuditRecord.action == "permission.denied")) is not None


def test_divorce_refiled_within_six_months_is_rejected_with_reasons(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk, cause="离婚纠纷", amount=None)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        assert "s127.six_months" in {it.id for it in cr.applicable_items(case)}
        cr.answer(s, clerk, review, "s127.six_months", "fail", "2026年7月判决不准离婚，无新情况、新理由")
        _answer_rest(s, clerk, review)
        assert cr.outcome_options(s, review) == [ReviewOutcome.REJECTED]
        with pytest.raises(OutcomeError, match="不能以补正处理"):
            cr.finish(s, clerk, review, ReviewOutcome.CORRECTION)
        result = cr.finish(s, clerk, review, ReviewOutcome.REJECTED, decided_on=RECEIVED + timedelta(days=3))
        assert [d.item_id for d in result.defects] == ["s127.six_months"]
        assert "《中华人民共和国民事诉讼法》第一百二十七条第七项" in result.defects[0].basis
        assert case.stage is Stage.REJECTED and case.case_number is None
    with rdb.session() as s:
        r = s.scalars(select(ComplaintReview)).one()
        assert r.outcome_reasons[0]["item_id"] == "s127.six_months" and r.outcome_reasons[0]["note"].startswith("2026年7月")


def test_arbitration_clause_redirects_unless_party_insists(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        review = cr.start_review(s, clerk, s.get(Case, case_id), RECEIVED)
        cr.answer(s, clerk, review, "s127.arbitration", "fail")
        _answer_rest(s, clerk, review)
        assert cr.outcome_options(s, review) == [ReviewOutcome.REDIRECTED]
        assert ReviewOutcome.REJECTED in cr.outcome_options(s, review, party_insists=True)
        result = cr.finish(s, clerk, review, ReviewOutcome.REDIRECTED, note="已告知向白山仲裁委员会申请仲裁")
        assert result.defects[0].route_label == "向仲裁机构申请仲裁"


def test_still_defective_after_correction_means_rejection(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        cr.answer(s, clerk, review, "cond.defendant_identified", "fail")
        _answer_rest(s, clerk, review)
        cr.finish(s, clerk, review, ReviewOutcome.CORRECTION, correction_days=7, decided_on=RECEIVED + timedelta(days=1))
        assert review.correction_days == 7
        review2 = cr.resubmit(s, clerk, case, RECEIVED + timedelta(days=20))
        cr.answer(s, clerk, review2, "cond.defendant_identified", "fail", "补正后仍无法确定被告")
        _answer_rest(s, clerk, review2)
        clock = cr.filing_clock(case)
        assert any("届满后提交" in w for w in clock.warnings)  # late correction is pointed out
        with pytest.raises(OutcomeError, match="经补正仍不符合要求"):
            cr.finish(s, clerk, review2, ReviewOutcome.CORRECTION)
        result = cr.finish(s, clerk, review2, ReviewOutcome.REJECTED)
        assert [d.item_id for d in result.defects] == ["cond.defendant_identified"]


def test_prefill_fails_a_defendant_known_only_by_name_and_passes_a_registered_company(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    bare = _case(rdb, clerk, defendant=PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="张三"))
    company = _case(rdb, clerk, defendant=PartyInput(
        role=PartyRole.DEFENDANT, kind=PartyKind.ORGANISATION, name="白河林业物业服务有限公司", credit_code=CREDIT))
    with rdb.transaction() as s:
        r1 = cr.start_review(s, clerk, s.get(Case, bare), RECEIVED)
        a1 = {a.item_id: a for a in r1.answers}["cond.defendant_identified"]
        assert a1.answer is Answer.FAIL and a1.prefilled and "仅登记了姓名" in a1.prefill_explanation
        r2 = cr.start_review(s, clerk, s.get(Case, company), RECEIVED)
        a2 = {a.item_id: a for a in r2.answers}["cond.defendant_identified"]
        assert a2.answer is Answer.PASS and "统一社会信用代码" in a2.prefill_explanation


def test_referral_to_mediation_needs_consent_and_sets_stage(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        _answer_rest(s, clerk, review)
        with pytest.raises(OutcomeError, match="须经当事人同意"):
            cr.finish(s, clerk, review, ReviewOutcome.REFERRED_MEDIATION)
        cr.finish(s, clerk, review, ReviewOutcome.REFERRED_MEDIATION, mediation_consent=True)
        assert case.stage is Stage.PRE_MEDIATION and cr.filing_clock(case).state == "mediation"


def test_filing_clock_counts_seven_days_and_warns_when_overdue(rdb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    case_id = _case(rdb, clerk)
    with rdb.transaction() as s:
        case = s.get(Case, case_id)
        cr.start_review(s, clerk, case, RECEIVED)
        clock = cr.filing_clock(case, today=RECEIVED)
        assert clock.state == "running" and clock.due >= RECEIVED + timedelta(days=7)
        late = cr.filing_clock(case, today=clock.due + timedelta(days=1))
        assert late.overdue and "先行立案" in late.message


# ── consistency of outcomes: property-based ───────────────────────────────────────────────────

ITEMS = list(load_checklist().items)
answer_sets = st.fixed_dictionaries({it.id: st.sampled_from(["pass", "fail", "na", None]) for it in ITEMS})


@given(answers=answer_sets, outcome=st.sampled_from(OUTCOMES),
       failed_before=st.sets(st.sampled_from([it.id for it in ITEMS])), insists=st.booleans(),
       consent=st.booleans())
def test_any_answer_set_either_refuses_or_gives_a_consistent_outcome(answers, outcome, failed_before, insists,
                                                                       consent):
    flags = dict(failed_before=failed_before, party_insists=insists, mediation_consent=consent)
    failed = [it for it in ITEMS if answers[it.id] == "fail"]
    kinds = {it.consequence for it in failed}
    try:
        reasons = check_outcome(ITEMS, answers, outcome, **flags)
    except OutcomeError:
        assert outcome not in allowed_outcomes(ITEMS, answers, **flags)
        return
    assert all(answers[it.id] in ("pass", "fail", "na") for it in ITEMS)
    assert all(r in failed for r in reasons)
    if outcome == "registered":
        assert not failed
    elif outcome == "correction":
        assert reasons and kinds == {"correction"} and not {r.id for r in reasons} & failed_before
    elif outcome == "rejected":
        assert reasons
        assert kinds & {"reject", "not_registered"} or (insists and "redirect" in kinds) or any(
            it.id in failed_before for it in failed if it.consequence == "correction")
    elif outcome == "redirected":
        assert "redirect" in kinds
    else:
        assert consent and not kinds & {"redirect", "reject", "not_registered"}


@given(answers=st.fixed_dictionaries({it.id: st.sampled_from(["pass", "fail", "na"]) for it in ITEMS}),
       failed_before=st.sets(st.sampled_from([it.id for it in ITEMS])))
def test_a_complete_answer_set_always_allows_some_outcome(answers, failed_before):
    assert allowed_outcomes(ITEMS, answers, failed_before=failed_before)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_finish_in_the_database_matches_the_rules(rdb, uusers, data):
    clerk = uusers[Role.FILING_CLERK]
    with rdb.session() as s:  # every example is rolled back
        case = create_case(s, clerk, _input(), court_code="吉7502")
        review = cr.start_review(s, clerk, case, RECEIVED)
        complete = data.draw(st.booleans(), label="complete")
        for row in cr.review_sheet(s, review):
            choices = ["pass"] * 6 + ["fail"] + (["na"] if row.item.na_allowed else []) + ([] if complete else ["skip"])
            value = data.draw(st.sampled_from(choices), label=row.item.id)
            if value != "skip":
                cr.answer(s, clerk, review, row.item.id, value)
        outcome = data.draw(st.sampled_from(list(ReviewOutcome)), label="outcome")
        allowed = cr.outcome_options(s, review)
        try:
            result = cr.finish(s, clerk, review, outcome)
        except OutcomeError:
            event("refused")
            assert outcome not in allowed
            assert review.outcome is None and case.stage is Stage.RECEIVED
        else:
            event(f"finished {outcome.value}")
            assert outcome in allowed and review.outcome is outcome
            expected = {ReviewOutcome.REGISTERED: Stage.FILED, ReviewOutcome.CORRECTION: Stage.CORRECTION,
                        ReviewOutcome.REJECTED: Stage.REJECTED, ReviewOutcome.REDIRECTED: Stage.REJECTED}
            assert case.stage is expected[outcome]
            assert (result.case_number is not None) == (outcome is ReviewOutcome.REGISTERED)
        s.rollback()
