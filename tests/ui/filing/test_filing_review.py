"""立案审查 page, driven as a clerk: a complaint with two defects → one 补正通知书 listing both with their
articles → resubmission → review passes → 民初 number; plus the queue's clock, the keyboard, the
outcome rules, 诉前调解 and the procedure / fee panels."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from baihe_desk.models import AuditRecord, Base, Case, PartyKind, PartyRole, Procedure, Stage
from baihe_desk.models.review import ComplaintReview, ReviewAnswer, ReviewOutcome
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case
from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.filing.review import FilingReviewPage
from tests.ui.helpers import answer_question, id_number, key, type_text

TODAY = today_local()


@pytest.fixture
def fdb(db):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401
    import baihe_desk.models.template  # noqa: F401

    Base.metadata.create_all(db.engine)  # adds any table the migration does not have yet
    return db


def make_case(db, clerk, *, received=None, cause="民间借贷纠纷", amount="12800", defendant=None) -> tuple:
    """A complaint received ``received`` (default: three days before the day of the call — other modules
    use this on a fixed day of their own, so not the day this module was imported on)."""
    received = received or today_local() - timedelta(days=3)
    data = CaseInput(
        cause_name=cause, claim_amount=amount, claims="请求判令被告偿还借款12800元", facts="被告借款未还。",
        received_on=received, parties=[
            PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number=id_number(),
                       ethnicity="汉族", occupation="个体经营者", domicile="吉林省安图县二道白河镇白山大街1号",
                       phone="13943301234", agents=[AgentInput(name="赵喆", phone="13943300000")]),
            defendant or PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥",
                                    domicile="吉林省安图县松江镇1号"),
        ])
    with db.transaction() as s:
        case = create_case(s, clerk, data, court_code="吉7502")
        return case.id, case.receipt_number


@pytest.fixture
def page(qtbot, fdb, paths, clerk, court):
    p = FilingReviewPage(fdb, paths, clerk)
    qtbot.addWidget(p)
    p.outcome.confirm = lambda title, text: True  # the clerk answers 是 to “登记立案并分配民初案号？”
    p.resize(1400, 900)
    p.show()
    return p


def settle(qtbot, page) -> None:
    from baihe_desk.ui.common import background

    qtbot.waitUntil(lambda: background.running() == 0 and not page.saving and not page.pending, timeout=10_000)


def open_first(qtbot, page, receipt: str) -> None:
    page.refresh_queue()
    qtbot.waitUntil(lambda: any(r.number == receipt for r in page.queue_model.rows), timeout=5000)
    row = next(i for i, r in enumerate(page.queue_model.rows) if r.number == receipt)
    page.queue.setFocus()
    page.queue.setCurrentIndex(page.queue_model.index(row, 0))
    key(page.queue, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.view is not None and receipt in page.header.text(), timeout=5000)
    settle(qtbot, page)


def row_of(page, item_id: str) -> int:
    return next(i for i, it in enumerate(page.checklist.model.items) if it.item_id == item_id)


def answer_rest_by_keyboard(qtbot, page) -> None:
    """Enter confirms a system prefill; 1 gives 符合 to an open item; the cursor moves on by itself."""
    table = page.checklist.table
    table.setFocus()
    for _ in range(80):
        items = page.checklist.model.items
        todo = [i for i, it in enumerate(items) if it.answer is None or it.prefilled]
        if not todo:
            break
        page.checklist.select(todo[0])
        key(table, Qt.Key.Key_Return if items[todo[0]].prefilled else Qt.Key.Key_1)
    settle(qtbot, page)


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_two_defects_one_notice_resubmission_then_filed(qtbot, page, fdb, clerk):
    page.outcome.confirm = None  # this test answers the real 是/否 boxes by clicking
    case_id, receipt = make_case(fdb, clerk)
    open_first(qtbot, page, receipt)
    assert "剩余" in page.clock.text() and page.start_button.isVisible() and not page.resubmit_button.isVisible()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open and page.checklist.model.rowCount() > 10, timeout=5000)
    settle(qtbot, page)
    items = {it.item_id: it for it in page.checklist.model.items}
    # prefilled and explained: claims and amount are recorded; the defendant has no ID number → only a hint
    assert items["cond.claims_facts"].prefilled and items["cond.claims_facts"].answer == "pass"
    assert "12,800" in items["cond.claims_facts"].explanation
    assert items["cond.defendant_identified"].answer is None and "李喆玥" in items["cond.defendant_identified"].explanation
    # nothing can be finished while an item is open
    assert not any(b.isEnabled() for b in page.outcome.buttons.values())
    assert "未作结论" in page.outcome.open_label.text()

    # defect 1 by keyboard: 2 = 不符合, the cursor goes to the note, Enter saves and moves on
    page.checklist.select(row_of(page, "cond.defendant_identified"))
    page.checklist.table.setFocus()
    key(page.checklist.table, Qt.Key.Key_2)
    assert page.checklist.note.hasFocus()
    type_text(page.checklist.note, "被告李喆玥仅有姓名和乡镇地址")
    key(page.checklist.note, Qt.Key.Key_Return)
    # defect 2 with the buttons (Alt+2 is the same button)
    page.checklist.select(row_of(page, "mat.power_of_attorney"))
    qtbot.mouseClick(page.checklist.buttons["fail"], Qt.MouseButton.LeftButton)
    type_text(page.checklist.note, "未提交授权委托书")
    qtbot.mouseClick(page.checklist.next_button, Qt.MouseButton.LeftButton)
    answer_rest_by_keyboard(qtbot, page)

    buttons = page.outcome.buttons
    assert buttons[ReviewOutcome.CORRECTION].isEnabled()
    assert not buttons[ReviewOutcome.REGISTERED].isEnabled() and not buttons[ReviewOutcome.REJECTED].isEnabled()
    answer_question(qtbot, yes=True)
    qtbot.mouseClick(buttons[ReviewOutcome.CORRECTION], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outcome.last is not None and page.outcome.last.document is not None, timeout=15_000)
    settle(qtbot, page)
    summary = page.outcome.last
    assert "已通知补正" in page.outcome.result.text() and page.outcome.preview_button.isEnabled()
    text = pdf_text(summary.document)
    for expected in ("补正通知书", "王堃", "李喆玥", "有下列2项不符合要求", "被告李喆玥仅有姓名和乡镇地址",
                     "第一百二十二条第二项", "未提交授权委托书", "第六条第二项", "第七条第三款", "第十三条",
                     f"{summary.correction_deadline.year}年{summary.correction_deadline.month}月"
                     f"{summary.correction_deadline.day}日（含当日）前"):
        assert expected in text, expected
    qtbot.waitUntil(lambda: page.view.stage is Stage.CORRECTION and page.resubmit_button.isVisible(), timeout=5000)
    assert "补正事项" in page.previous.text() and "授权委托书" in page.previous.text()
    assert any(r.status == "待补正" for r in page.queue_model.rows)

    # the party comes back with the corrections
    qtbot.mouseClick(page.resubmit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.round_no == 2 and page.view.review_open, timeout=5000)
    settle(qtbot, page)
    assert "上轮通知补正的事项" in page.previous.text()
    prev = [it for it in page.checklist.model.items if it.previously_failed]
    assert {it.item_id for it in prev} == {"cond.defendant_identified", "mat.power_of_attorney"}
    assert all(it.fixed is None for it in prev) and "待核对 2 项" in page.checklist.progress.text()
    for item_id, note in (("cond.defendant_identified", "已补充被告身份证号码和住所"),
                          ("mat.power_of_attorney", "已提交授权委托书")):
        page.checklist.select(row_of(page, item_id))
        page.checklist.note.setText("")
        type_text(page.checklist.note, note)
        qtbot.mouseClick(page.checklist.buttons["pass"], Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert "已补正 2 项" in page.checklist.progress.text()
    answer_rest_by_keyboard(qtbot, page)
    assert page.outcome.buttons[ReviewOutcome.REGISTERED].isEnabled()
    asked = answer_question(qtbot, yes=False)  # 否 to “登记立案并分配民初案号？”: nothing happens
    qtbot.mouseClick(page.outcome.buttons[ReviewOutcome.REGISTERED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=15_000)
    settle(qtbot, page)
    assert "登记立案并分配民初案号" in asked[0]
    with fdb.session() as s:
        assert s.get(Case, case_id).case_number is None
    assert page.outcome.buttons[ReviewOutcome.REGISTERED].isEnabled()
    answer_question(qtbot, yes=True)
    qtbot.mouseClick(page.outcome.buttons[ReviewOutcome.REGISTERED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outcome.last is not None and bool(page.outcome.last.case_number), timeout=10_000)
    settle(qtbot, page)
    number = f"（{TODAY.year}）吉7502民初1号"
    assert page.outcome.last.case_number == number and number in page.outcome.result.text()
    assert "送达风险" in page.outcome.result.text()  # the defendant's address is not verified yet
    assert number in page.header.text() and not page.start_button.isVisible()
    # the window hands out the two notices of a registered case
    assert page.outcome.acceptance_button.isVisible() and page.outcome.fee_notice_button.isVisible()
    assert not page.outcome.regenerate_button.isVisible()
    qtbot.mouseClick(page.outcome.fee_notice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outcome.last.document is not None, timeout=15_000)
    assert page.outcome.last.document_title.startswith("交纳诉讼费用通知书")
    fee_text = pdf_text(page.outcome.last.document)
    assert "120.00" in fee_text and "按撤诉处理" in fee_text  # 12,800 元: 50 + 2,800 × 2.5% (交纳办法第十三条)

    with fdb.session() as s:
        case = s.get(Case, case_id)
        assert case.stage is Stage.FILED and case.case_number == number and case.filed_on == TODAY
        reviews = s.scalars(select(ComplaintReview).where(ComplaintReview.case_id == case_id)
                            .order_by(ComplaintReview.round_no)).all()
        assert [(r.round_no, r.outcome, r.checklist_version) for r in reviews] == [
            (1, ReviewOutcome.CORRECTION, "2026.1"), (2, ReviewOutcome.REGISTERED, "2026.1")]
        assert [d["item_id"] for d in reviews[0].outcome_reasons] == ["cond.defendant_identified",
                                                                      "mat.power_of_attorney"]
        assert reviews[0].outcome_reasons[0]["note"] == "被告李喆玥仅有姓名和乡镇地址"
        assert reviews[1].previous_review_id == reviews[0].id
        notes = {a.item_id: a.note for a in s.scalars(select(ReviewAnswer).where(ReviewAnswer.review_id == reviews[1].id))}
        assert notes["mat.power_of_attorney"] == "已提交授权委托书"
        actions = [a.action for a in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        for a in ("complaint_review.start", "complaint_review.answer", "complaint_review.finish",
                  "complaint_review.resubmit", "case.assign_number", "document.generate"):
            assert a in actions, a


def test_queue_shows_the_clock_and_overdue_cases_in_red(qtbot, page, fdb, clerk):
    # 7 days + the longest run of rest days (春节, 9) can end 16 days after receipt: 20 days is overdue on any day
    make_case(fdb, clerk, received=TODAY - timedelta(days=20))
    _, fresh = make_case(fdb, clerk, received=TODAY)
    page.refresh_queue()
    qtbot.waitUntil(lambda: len(page.queue_model.rows) == 2, timeout=5000)
    old, new = page.queue_model.rows  # oldest first
    assert old.overdue and new.number == fresh and not new.overdue
    m = page.queue_model
    assert m.headerData(3, Qt.Orientation.Horizontal) == "立案期限"
    assert f"{old.due.month:02d}-{old.due.day:02d}（已超期" in m.index(0, 3).data()
    assert m.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert m.index(1, 3).data().endswith(f"（剩余 {new.days_left} 日）") and new.days_left >= 7
    assert m.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "先行立案" in m.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_mediation_needs_consent_and_hands_the_case_over(qtbot, page, fdb, clerk):
    case_id, receipt = make_case(fdb, clerk, defendant=PartyInput(
        role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="刘䶮", id_number=id_number(seq="07"),
        domicile="吉林省安图县松江镇2号"))
    referred = []
    page.mediation_referred.connect(referred.append)
    open_first(qtbot, page, receipt)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open, timeout=5000)
    settle(qtbot, page)
    answer_rest_by_keyboard(qtbot, page)
    buttons = page.outcome.buttons
    assert buttons[ReviewOutcome.REGISTERED].isEnabled()
    assert not buttons[ReviewOutcome.REFERRED_MEDIATION].isEnabled()
    assert "须经当事人同意" in buttons[ReviewOutcome.REFERRED_MEDIATION].toolTip()
    page.outcome.consent.click()
    qtbot.waitUntil(lambda: buttons[ReviewOutcome.REFERRED_MEDIATION].isEnabled(), timeout=5000)
    answer_question(qtbot, yes=True)
    qtbot.mouseClick(buttons[ReviewOutcome.REFERRED_MEDIATION], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: referred == [case_id], timeout=5000)
    settle(qtbot, page)
    assert page.outcome.mediation_notice_button.isVisible()
    with fdb.session() as s:
        assert s.get(Case, case_id).stage is Stage.PRE_MEDIATION and s.get(Case, case_id).case_number is None
    qtbot.mouseClick(page.outcome.mediation_notice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outcome.last.document is not None, timeout=15_000)
    assert "诉前调解告知书" in page.outcome.last.document_title


def test_procedure_suggestion_override_and_fee_steps(qtbot, page, fdb, clerk):
    case_id, receipt = make_case(fdb, clerk)
    open_first(qtbot, page, receipt)
    page.tabs.setCurrentIndex(1)
    panel, fees = page.procedure, page.fees
    qtbot.waitUntil(lambda: panel.suggestion is not None and fees.amount.text() == "12800.00", timeout=5000)
    assert panel.suggestion.procedure is Procedure.SMALL_CLAIMS and "小额诉讼" in panel.summary.text()
    assert "第一百六十五条" in panel.summary.text()
    panel.flags["needs_appraisal"].click()  # 需要鉴定 rules out 小额诉讼 (民事诉讼法第一百六十六条第三项)
    qtbot.waitUntil(lambda: panel.suggestion.procedure is Procedure.SIMPLE, timeout=5000)
    assert panel.choice.findData(Procedure.SMALL_CLAIMS.value) == -1
    panel.choice.setCurrentIndex(panel.choice.findData(Procedure.ORDINARY.value))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)  # a different procedure needs a reason
    qtbot.waitUntil(lambda: "须填写理由" in panel.message.text(), timeout=5000)
    type_text(panel.note, "案情较复杂，需要鉴定")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已确定适用普通程序" in panel.message.text(), timeout=5000)
    settle(qtbot, page)
    with fdb.session() as s:
        assert s.get(Case, case_id).procedure is Procedure.ORDINARY
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.set_procedure")).one()
        assert rec.after["note"] == "案情较复杂，需要鉴定" and rec.after["suggested"] == "simple"
    # fee: 12,800 元 → 50 + 2,800 × 2.5% = 120.00; simple procedure halves it once
    assert "应交纳：120.00 元" in fees.total.text()
    fees.simple.click()
    assert "应交纳：60.00 元" in fees.total.text()
    steps = fees.steps.toPlainText()
    assert "2,800.00 元 × 2.5% = 70.00 元" in steps and "第十六条" in steps
    fees.mediated.click()  # 调解 and 简易程序: halved only once (民诉法解释第二百零六条)
    assert "应交纳：60.00 元" in fees.total.text() and "只能减半一次" in fees.steps.toPlainText()
    fees.amount.setText("12800.555")
    assert "不是有效金额" in fees.total.text()


def test_keyboard_na_only_where_allowed(qtbot, page, fdb, clerk):
    _, receipt = make_case(fdb, clerk)
    open_first(qtbot, page, receipt)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open, timeout=5000)
    settle(qtbot, page)
    table = page.checklist.table
    page.checklist.select(row_of(page, "cond.plaintiff_interest"))
    table.setFocus()
    key(table, Qt.Key.Key_3)  # 不适用 is not allowed for a condition of suit: nothing is recorded
    assert page.checklist.current_item().answer is None and not page.checklist.buttons["na"].isEnabled()
    page.checklist.select(row_of(page, "comp.witnesses"))
    # Alt+1/2/3 are the buttons' mnemonics; QTest cannot fire mnemonics here (offscreen or xcb),
    # so the test checks the binding and presses the plain digit, which the list handles itself.
    assert [page.checklist.buttons[v].shortcut().toString() for v in ("pass", "fail", "na")] == \
        ["Alt+1", "Alt+2", "Alt+3"]
    key(table, Qt.Key.Key_3)  # 不适用 (no witnesses)
    settle(qtbot, page)
    assert next(it for it in page.checklist.model.items if it.item_id == "comp.witnesses").answer == "na"
    with fdb.session() as s:
        from baihe_desk.models.review import ReviewAnswer

        row = s.scalars(select(ReviewAnswer).where(ReviewAnswer.item_id == "comp.witnesses")).one()
        assert row.answer.value == "na" and not row.prefilled


def test_arbitration_clause_redirects_and_rejection_needs_the_party_to_insist(qtbot, page, fdb, clerk):
    case_id, receipt = make_case(fdb, clerk)
    open_first(qtbot, page, receipt)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open, timeout=5000)
    settle(qtbot, page)
    page.checklist.select(row_of(page, "s127.arbitration"))
    page.checklist.table.setFocus()
    key(page.checklist.table, Qt.Key.Key_2)
    type_text(page.checklist.note, "借款合同第九条约定由白山仲裁委员会仲裁")
    key(page.checklist.note, Qt.Key.Key_Return)
    answer_rest_by_keyboard(qtbot, page)
    buttons = page.outcome.buttons
    assert [o for o, b in buttons.items() if b.isEnabled()] == [ReviewOutcome.REDIRECTED]
    assert "告知另行处理" in page.outcome.open_label.text()
    page.outcome.insists.click()
    qtbot.waitUntil(lambda: buttons[ReviewOutcome.REJECTED].isEnabled(), timeout=5000)
    type_text(page.outcome.note, "已告知申请仲裁，原告坚持起诉")
    answer_question(qtbot, yes=True)
    qtbot.mouseClick(buttons[ReviewOutcome.REJECTED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.outcome.last is not None, timeout=5000)
    settle(qtbot, page)
    assert "已决定不予受理" in page.outcome.result.text() and "仲裁" in page.outcome.result.text()
    with fdb.session() as s:
        case = s.get(Case, case_id)
        review = s.scalars(select(ComplaintReview).where(ComplaintReview.case_id == case_id)).one()
        assert case.stage is Stage.REJECTED and case.case_number is None
        assert review.outcome is ReviewOutcome.REJECTED and review.outcome_note == "已告知申请仲裁，原告坚持起诉"
        assert review.outcome_reasons[0]["item_id"] == "s127.arbitration"
        assert review.outcome_reasons[0]["note"] == "借款合同第九条约定由白山仲裁委员会仲裁"
    assert not any(r.case_id == case_id for r in page.queue_model.rows)


def test_a_user_without_the_review_permission_cannot_start_or_decide(qtbot, fdb, paths, users, clerk, court):
    from baihe_desk.models import Role

    _, receipt = make_case(fdb, clerk)
    p = FilingReviewPage(fdb, paths, users[Role.MEDIATOR])
    qtbot.addWidget(p)
    p.show()
    open_first(qtbot, p, receipt)
    assert p.start_button.isVisible() and not p.start_button.isEnabled()
    assert not any(b.isEnabled() for b in p.outcome.buttons.values())
