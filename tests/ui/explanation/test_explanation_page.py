"""判后答疑 page, driven as the court's staff would: the clerk records the judgment, service and requests;
the judge, the 庭长 and the 分管院长 each record their own tier; the database and audit hold every step."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.models import AuditRecord, GeneratedDocument
from baihe_desk.models.explanation import (
    Channel,
    ExplanationRequest,
    JudgmentRecord,
    PartyDecision,
    RequestStatus,
    RiskFlag,
)
from baihe_desk.services.explanation import tiers as et
from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.explanation.page import ExplanationPage
from tests.services.explanation.test_explanation_support import (  # noqa: E402
    CASE_NUMBER,
    TIER_TEXT,
    TODAY,
    build_org,
    judged,
)
from tests.ui.helpers import key, type_text


@pytest.fixture
def org(db, users):
    return build_org(db, users)


def open_page(qtbot, db, paths, user, today, case_id=None):  # type: ignore[no-untyped-def]
    page = ExplanationPage(db, paths, user)
    page.today = lambda: today
    page.exec_dialog = lambda dialog: page.shown_dialogs.append(dialog)
    page.shown_dialogs = []
    qtbot.addWidget(page)
    page.resize(1280, 1000)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitActive(page)
    settle(qtbot, page)
    if case_id is not None:
        page.open_case(case_id)
        settle(qtbot, page)
    return page


def settle(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.busy == 0, timeout=10_000)


def click(qtbot, page, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)


def countdown_rows(page) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    m = page.judgment.model
    return [tuple(m.index(r, c).data() for c in range(m.columnCount())) for r in range(m.rowCount())]


def pick(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(text)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


LEGAL_POINTS = "《中华人民共和国民法典》第六百七十五条。"


def fill_tier(qtbot, form, *, start: str, end: str, answers: str, response: str, decision: str,  # type: ignore[no-untyped-def]
              clerk_name: str = "") -> None:
    """Type a tier's record as its holder does: the times (digits only), the clerk, the answers, the legal
    points, the party's response, and pick the party's decision."""
    for field, hhmm in ((form.start_time, start), (form.end_time, end)):
        field.setFocus()
        field.setCursorPosition(0)
        qtbot.keyClicks(field, hhmm)
    if clerk_name:
        type_text(form.clerk_name, clerk_name)
    type_text(form.answers, answers)
    type_text(form.legal_points, LEGAL_POINTS)
    type_text(form.response, response)
    pick(form.decision, decision)


def record_tier(qtbot, page, request_index: int, decision: str, response: str) -> None:  # type: ignore[no-untyped-def]
    req = page.requests
    page.tabs.setCurrentWidget(req)
    req.request_table.selectRow(request_index)
    form = req.tier_form
    assert form.save_button.isEnabled(), form.lock_note.text()
    fill_tier(qtbot, form, start="0900", end="0945", clerk_name="钱晓", response=response, decision=decision,
              answers="原告提交了借条原件和银行转账记录，转账金额、时间与借条一致。")
    key(form.response, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    settle(qtbot, page)
    assert page.status.text().startswith("已保存第"), page.status.text()


def test_two_parties_through_the_tiers(qtbot, db, paths, org):
    # -- 书记员: the judgment, its service, two requests -------------------------------------------------
    page = open_page(qtbot, db, paths, org.clerk, date(2026, 9, 25))
    type_text(page.case_ref, CASE_NUMBER)
    key(page.case_ref, Qt.Key.Key_Return)
    settle(qtbot, page)
    assert page.view is not None and "民间借贷纠纷" in page.case_title.text() and "李堃" in page.case_title.text()
    j = page.judgment
    pick(j.kind, "民事判决书")
    j.pronounced.setDate(j.pronounced.date().fromString("2026-09-18", "yyyy-MM-dd"))
    click(qtbot, page, j.save_button)
    assert "十五日" in j.rule.text()
    for label, served in (("原告 王堃", "2026-09-20"), ("被告 刘䶮", "2026-09-24")):
        pick(j.service_party, label)
        j.served_on.setDate(j.served_on.date().fromString(served, "yyyy-MM-dd"))
        type_text(j.service_source, "送达回证")
        click(qtbot, page, j.service_button)
    assert countdown_rows(page) == [
        ("王堃", "原告", "2026-09-20", "2026-10-08", "13 日", "上诉期内"),  # 10-05 国庆 → 10-08
        ("刘䶮", "被告", "2026-09-24", "2026-10-09", "14 日", "上诉期内"),
    ]
    r = page.requests
    page.tabs.setCurrentWidget(r)
    for label, channel, question in (("原告 王堃", "电话", "利息为什么只支持到起诉之日？"),
                                     ("被告 刘䶮", "来访", "借条上的签名不是我签的，为什么认定借款成立？")):
        pick(r.party, label)
        pick(r.channel, channel)
        r.categories[0].setChecked(True)
        type_text(r.questions, question)
        click(qtbot, page, r.register_button)
    assert r.request_table.rowCount() == 2
    assert r.request_table.item(1, 5).text() == "上诉期至2026年10月9日届满，尚余 14 日"
    assert not r.tier_form.save_button.isEnabled()  # a 书记员 never records a tier
    assert "只有其本人登录后可以记录" in r.tier_form.lock_note.text() and "李堃" in r.tier_form.lock_note.text()

    # -- 承办法官 (09-28): tier 1 for both; both still object ----------------------------------------------
    page = open_page(qtbot, db, paths, org.judge, date(2026, 9, 28))
    assert page.todo.count() == 2
    page.show()
    page.todo.setCurrentRow(0)
    page.todo.setFocus()
    key(page.todo, Qt.Key.Key_Return)  # Enter on the to-do opens it (itemActivated), as the judge would
    settle(qtbot, page)
    r = page.requests
    assert page.tabs.currentWidget() is r
    r.request_table.selectRow(0)
    assert r.tier_form.countdown.text() == "原告王堃：上诉期至2026年10月8日届满，尚余 10 日（今天 2026-09-28）"
    assert "第三百一十八条" in r.tier_form.reminder.text() and "不延长上诉期限" in r.tier_form.reminder.text()
    assert r.tier_form.questions.toPlainText() == "利息为什么只支持到起诉之日？"  # the request's questions
    record_tier(qtbot, page, 0, "仍有异议", "仍认为利息应计算至实际还款之日。")
    record_tier(qtbot, page, 1, "仍有异议", "仍不认可借条签名。")
    for row in (0, 1):
        r.request_table.selectRow(row)
        assert r.escalate_button.text() == "提请庭长 周建国答疑"
        click(qtbot, page, r.escalate_button)
        assert "已提请第2级答疑，指定由庭长周建国主持" in page.status.text()

    # -- 庭长 (09-29): the plaintiff accepts at tier 2, the defendant still objects ----------------------------
    page = open_page(qtbot, db, paths, org.chief, date(2026, 9, 29), org.case_id)
    r = page.requests
    r.request_table.selectRow(0)
    assert r.tier_form.heading.text().startswith("第2级答疑 · 指定答疑人：庭长 周建国")
    assert "尚余 9 日" in r.tier_form.countdown.text()
    record_tier(qtbot, page, 0, "服判息诉", "听明白了，不再上诉。")
    record_tier(qtbot, page, 1, "仍有异议", "仍不服。")
    r.request_table.selectRow(0)
    assert r.request_table.item(0, 4).text() == "已结束：服判息诉" and not r.escalate_button.isEnabled()
    r.request_table.selectRow(1)
    assert r.escalate_button.text() == "提请分管院长 吴德华答疑"
    click(qtbot, page, r.escalate_button)

    # -- 分管院长 (09-30): tier 3, the defendant will appeal; the 笔录 -----------------------------------------
    page = open_page(qtbot, db, paths, org.vice_president, date(2026, 9, 30), org.case_id)
    r = page.requests
    r.request_table.selectRow(1)
    assert r.tier_form.countdown.text() == "被告刘䶮：上诉期至2026年10月9日届满，尚余 9 日（今天 2026-09-30）"
    record_tier(qtbot, page, 1, "将上诉", "我将在上诉期内递交上诉状。")
    r.request_table.selectRow(1)
    assert [r.tier_table.item(i, 3).text() for i in range(3)] == [
        "上诉期至2026年10月9日届满，尚余 11 日", "上诉期至2026年10月9日届满，尚余 10 日",
        "上诉期至2026年10月9日届满，尚余 9 日"]
    r.tier_table.selectRow(2)
    click(qtbot, page, r.generate_button)
    r.request_table.selectRow(1)
    r.tier_table.selectRow(2)
    assert r.tier_table.item(2, 5).text() == "第 1 版"
    dialog = r.preview()
    assert dialog is not None and page.shown_dialogs == [dialog]
    dialog.close()

    with db.session() as s:
        requests = s.scalars(select(ExplanationRequest).order_by(ExplanationRequest.created_at)).all()
        plaintiff, defendant = requests
        assert (plaintiff.status, plaintiff.outcome) == (RequestStatus.CLOSED, PartyDecision.ACCEPTS)
        assert (defendant.status, defendant.outcome) == (RequestStatus.CLOSED, PartyDecision.WILL_APPEAL)
        assert [(t.tier_no, t.assignee_name, t.appeal_due, t.appeal_days_left, t.decision) for t in plaintiff.tiers] == [
            (1, "李堃", date(2026, 10, 8), 10, PartyDecision.STILL_OBJECTS),
            (2, "周建国", date(2026, 10, 8), 9, PartyDecision.ACCEPTS)]
        assert [(t.assignee_name, t.appeal_due, t.appeal_days_left, t.recorded_by_id) for t in defendant.tiers] == [
            ("李堃", date(2026, 10, 9), 11, org.judge.id), ("周建国", date(2026, 10, 9), 10, org.chief.id),
            ("吴德华", date(2026, 10, 9), 9, org.vice_president.id)]
        assert defendant.tiers[2].start_time == "09:00" and defendant.tiers[2].clerk_name == "钱晓"
        assert s.scalar(select(JudgmentRecord)).pronounced_on == date(2026, 9, 18)
        docs = s.scalars(select(GeneratedDocument).where(GeneratedDocument.kind == "explanation-record")).all()
        assert sorted(d.format for d in docs) == ["docx", "pdf"]
        assert all((paths.documents / d.relpath).exists() for d in docs)
        actions = [a.action for a in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
    assert actions.count("judgment.record") == 1 and actions.count("judgment.service") == 2
    assert actions.count("explanation.request") == 2 and actions.count("explanation.assign") == 5
    assert actions.count("explanation.tier") == 5 and actions.count("explanation.record_document") == 1


@pytest.mark.parametrize("who", ["clerk", "other_chief"])
def test_a_clerk_and_another_divisions_chief_cannot_record_any_tier(qtbot, db, paths, org, who):
    judged(db, org)
    actors = [org.judge, org.chief, org.vice_president]
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.PHONE,
                              questions="为什么？", received_on=date(2026, 9, 25), on=TODAY)
        request_id = req.id
    actor = getattr(org, who)
    for tier_no in (1, 2, 3):
        page = open_page(qtbot, db, paths, actor, TODAY, org.case_id)
        form = page.requests.tier_form
        assert form.heading.text().startswith(f"第{tier_no}级答疑")
        assert not form.save_button.isEnabled() and not form.answers.isEnabled()
        assert "只有其本人登录后可以记录" in form.lock_note.text()
        # even with the form forced open, the service refuses and the refusal is on record
        for w in form.fields:
            w.setEnabled(True)
        type_text(form.answers, "越权记录")
        pick(form.decision, "服判息诉")
        click(qtbot, page, form.save_button)
        assert "无权" in page.status.text()
        with db.session() as s:
            last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
            assert last.user_id == actor.id and last.action in ("permission.denied", "explanation.tier_denied")
            tier = s.scalars(select(ExplanationRequest)).one().tiers[tier_no - 1]
            assert tier.recorded_at is None
            tier_id = tier.id
        page.close()
        with db.transaction() as s:  # the assigned person records it, and the party still objects
            et.record_tier(s, actors[tier_no - 1], tier_id, held_on=date(2026, 9, 27 + tier_no),
                           decision=PartyDecision.STILL_OBJECTS, on=TODAY, **TIER_TEXT)
            if tier_no < 3:
                et.escalate(s, org.clerk, request_id, on=TODAY)


def test_risk_flag_and_statistics(qtbot, db, paths, org):
    judged(db, org)
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.WINDOW,
                              questions="为什么？", received_on=date(2026, 9, 25), on=TODAY)
        et.record_tier(s, org.judge, req.tiers[0].id, held_on=date(2026, 9, 28), decision=PartyDecision.ACCEPTS,
                       on=TODAY, **TIER_TEXT)
    page = open_page(qtbot, db, paths, org.judge, TODAY, org.case_id)
    risk = page.risk
    page.tabs.setCurrentWidget(risk)
    assert risk.state.text() == "本案未标记信访风险。"
    risk.reason_checks[1].setChecked(True)
    type_text(risk.other_reason, "当事人情绪激动")
    type_text(risk.note, "当事人称将赴省上访。")
    pick(risk.leader, "吴德华（分管院长）")
    click(qtbot, page, risk.flag_button)
    assert "包案领导：吴德华" in risk.state.text() and not risk.flag_button.isEnabled()
    type_text(risk.clear_note, "经包案领导接谈，矛盾已化解。")
    click(qtbot, page, risk.clear_button)
    assert risk.state.text() == "本案未标记信访风险。"
    with db.session() as s:
        flag = s.scalars(select(RiskFlag)).one()
        assert flag.reasons == ["扬言上访、越级上访或者有过激言行", "当事人情绪激动"] and flag.leader_name == "吴德华"
        assert not flag.active and flag.clear_note == "经包案领导接谈，矛盾已化解。"

    page.tabs.setCurrentWidget(page.stats)
    settle(qtbot, page)
    st = page.stats
    assert "答疑申请 1 件" in st.summary.text() and "服判息诉率 100.0%" in st.summary.text()
    assert [st.judge_table.item(0, c).text() for c in range(5)] == ["李堃", "1", "1", "1", "100.0%"]
    assert st.division_table.item(0, 0).text() == "民事审判庭"
    assert [st.tier_table.item(0, c).text() for c in range(3)] == ["第1级（承办法官）", "1", "1"]


def test_a_ruling_needs_its_type_and_gets_ten_days(qtbot, db, paths, org):
    page = open_page(qtbot, db, paths, org.clerk, date(2026, 9, 25), org.case_id)
    j = page.judgment
    assert not j.ruling_type.isEnabled() and j.ruling_type.currentIndex() == -1
    pick(j.kind, "民事裁定书")
    assert j.ruling_type.isEnabled()
    j.pronounced.setDate(j.pronounced.date().fromString("2026-09-18", "yyyy-MM-dd"))
    click(qtbot, page, j.save_button)
    assert "裁定种类" in page.status.text()  # a ruling must say which kind (第一百五十七条)
    pick(j.ruling_type, "驳回起诉")
    click(qtbot, page, j.save_button)
    assert "十日" in j.rule.text() and "第一百五十七条第二款" in j.rule.text()
    pick(j.service_party, "被告 刘䶮")
    j.served_on.setDate(j.served_on.date().fromString("2026-09-24", "yyyy-MM-dd"))
    click(qtbot, page, j.service_button)
    assert countdown_rows(page)[1] == ("刘䶮", "被告", "2026-09-24", "2026-10-08", "13 日", "上诉期内")  # 10-04 → 10-08
    assert countdown_rows(page)[0][2:] == ("未登记", "—", "", "尚未送达")
