"""执行咨询 through the two pages, as a judge and an enforcement officer would use them, then checked in
the database and the audit trail (the issue's "Done when")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.models import AuditRecord, Base, Case, GeneratedDocument, Party, PartyKind, PartyRole, Role
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation, Measure, Verdict
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData
from baihe_desk.ui.common import background, crash
from baihe_desk.ui.common.qt import QApplication, QLineEdit, QMessageBox, QPushButton, Qt
from baihe_desk.ui.enforcement.editor import ConsultationEditor
from baihe_desk.ui.enforcement.html import case_exchange_html
from baihe_desk.ui.enforcement.page import EDITOR, VIEWER, EnforcementConsultPage
from baihe_desk.ui.enforcement.queue import EnforcementQueuePage
from tests.fake_today import travel_to
from tests.ui.helpers import key, type_text


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_in_late_2026():
    """The case and the 执咨/执建 numbers here are of 2026: these tests run on a fixed day, never on the
    real (or a --fake-today) calendar day."""
    with travel_to(date(2026, 12, 5)):
        yield


CASE_NUMBER = "（2026）吉7502民初88号"


@pytest.fixture
def edb(db):
    Base.metadata.create_all(db.engine)  # the enforcement tables are not in the migration yet
    return db


@pytest.fixture
def case_id(edb, court):
    with edb.transaction() as s:
        case = Case(receipt_number="2026收00088", case_number=CASE_NUMBER, received_on=date(2026, 3, 2),
                    cause_name="民间借贷纠纷")
        case.parties = [
            Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number="220222198503140118"),
            Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥", id_number="22022219900101002X",
                  sort_order=1),
        ]
        s.add(case)
    return case.id


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1400, 950)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def consultation(edb) -> EnforcementConsultation:
    with edb.session() as s:
        cid = s.scalars(select(EnforcementConsultation.id).order_by(EnforcementConsultation.created_at.desc())).first()
        c = svc.load(s, cid)
        _ = [c.terms, c.parties, c.advice and c.advice.items]
        return c


def edit_cell(qtbot, table, row: int, col: int, text: str) -> None:
    """Double-click-edit a table cell: open its editor, type, Enter."""
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit)
                    and QApplication.focusWidget().parent() is table.viewport())
    editor = QApplication.focusWidget()
    editor.selectAll()
    type_text(editor, text)
    key(editor, Qt.Key.Key_Return)


def start_draft(qtbot, page):
    type_text(page.case_ref, CASE_NUMBER)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor: ConsultationEditor = page.editor
    qtbot.waitUntil(lambda: editor.consultation_id is not None and editor.isEnabled())
    assert page.stack.currentIndex() == EDITOR
    return editor


def fill_loan_settlement(qtbot, editor):
    """A 民间借贷 settlement with three instalments and a guarantor — but no acceleration clause."""
    type_text(editor.stage_note, "调解中，拟出具民事调解书")
    qtbot.mouseClick(editor.parties.add_button, Qt.MouseButton.LeftButton)
    table = editor.parties.table
    edit_cell(qtbot, table, 2, 1, "白河林海商贸有限公司")
    edit_cell(qtbot, table, 2, 2, "91222426MA0Y3B5K7X")
    edit_cell(qtbot, table, 2, 4, "名下货车一辆")
    edit_cell(qtbot, table, 1, 4, "工资收入；白河镇住房一套")
    qtbot.mouseClick(editor.terms.add_button, Qt.MouseButton.LeftButton)
    form = editor.terms.form
    type_text(form.field("text"), "被告李喆玥分三期偿还原告王堃借款本金120000元，白河林海商贸有限公司承担连带保证责任。")
    type_text(form.field("obligors"), "李喆玥")
    type_text(form.field("obligees"), "王堃")
    form.field("amount").setFocus()
    qtbot.keyClicks(form.field("amount"), "120000")
    type_text(form.field("instalments"), "2026-12-31 40000\n2027-12-31 40000\n2028-12-31 40000")
    type_text(form.field("guarantor"), "白河林海商贸有限公司")
    form.field("guarantee_mode").setCurrentIndex(form.field("guarantee_mode").findText("连带责任保证"))
    type_text(form.field("guarantee_scope"), "本金及实现债权的费用；保证期间为最后一期届满之日起六个月")
    type_text(form.field("perform_manner"), "转账至原告账户")
    type_text(editor.questions, "分期履行条款是否需要加速到期条款？\n担保人的责任期间如何表述？")


def test_judge_officer_and_adoption_end_to_end(qtbot, edb, users, paths, case_id):
    judge, officer = users[Role.JUDGE], users[Role.ENFORCEMENT]
    page = show(qtbot, EnforcementConsultPage(edb, paths, judge))
    editor = start_draft(qtbot, page)
    fill_loan_settlement(qtbot, editor)

    # the gap check flags the missing acceleration clause while the judge types …
    qtbot.waitUntil(lambda: "acceleration_missing" in editor.gap_codes())
    assert any("加速到期" in editor.gaps.list.item(i).text() for i in range(editor.gaps.list.count()))
    assert "解释》第四百六十一条" in editor.gaps.list.item(0).toolTip()
    # … and the draft saved itself as it was typed
    qtbot.waitUntil(lambda: not editor.dirty and not editor.saving, timeout=10_000)
    c = consultation(edb)
    assert c.status is ConsultStatus.DRAFT and c.terms[0].amount == Decimal("120000.00")
    assert [i["amount"] for i in c.terms[0].instalments] == ["40000.00"] * 3
    assert [p.name for p in c.parties] == ["王堃", "李喆玥", "白河林海商贸有限公司"]
    assert c.parties[2].kind is PartyKind.ORGANISATION and c.parties[1].assets == "工资收入；白河镇住房一套"

    # the judge double-clicks the warning, lands in the acceleration field and fixes it
    row = next(i for i in range(editor.gaps.list.count()) if "加速到期" in editor.gaps.list.item(i).text())
    editor.gaps.list.setCurrentRow(row)
    key(editor.gaps.list, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor.terms.form.field("acceleration")
    type_text(editor.terms.form.field("acceleration"), "任何一期未按期足额履行的，原告有权就全部未付款项一并申请执行。")
    qtbot.waitUntil(lambda: editor.gap_codes() == [])
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    # no gap left: sending asks once, naming the number it will take
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "confirmBox") is not None)
    box = editor.findChild(QMessageBox, "confirmBox")
    assert "执咨1号" in box.text() and "不能再修改" in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "answerYes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consultation(edb).status is ConsultStatus.SENT)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == VIEWER and "执咨1号" in page.viewer.text.toPlainText())
    c = consultation(edb)
    assert c.number == "（2026）吉7502执咨1号" and c.gaps_at_send == [] and c.reply_due is not None
    assert "任何一期未按期足额履行" in c.terms[0].acceleration
    assert not page.viewer.adoption.isVisible()  # nothing to adopt before the reply

    # a user with another role sees the queue but cannot reply
    clerk_queue = show(qtbot, EnforcementQueuePage(edb, paths, users[Role.CLERK]))
    qtbot.waitUntil(lambda: clerk_queue.model.rowCount() == 1)
    clerk_queue.table.selectRow(0)
    qtbot.waitUntil(lambda: "执咨1号" in clerk_queue.text.toPlainText())
    assert not clerk_queue.reply_scroll.isVisible()
    from baihe_desk.ui.enforcement.reply import ReplyEditor, load_context

    sneaky = show(qtbot, ReplyEditor(edb, users[Role.JUDGE_ASSISTANT]))
    with edb.session() as s:
        sneaky.load(load_context(s, c.id))
    qtbot.mouseClick(sneaky.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert "无权回复执行建议" in box.text()
    box.close()
    assert consultation(edb).status is ConsultStatus.SENT

    # the enforcement officer answers with two suggestions
    queue = show(qtbot, EnforcementQueuePage(edb, paths, officer))
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    assert "剩余" in queue.model.rows[0].clock.text or "今日到期" in queue.model.rows[0].clock.text
    queue.table.selectRow(0)
    reply = queue.reply
    qtbot.waitUntil(lambda: reply.ctx is not None and queue.reply_scroll.isVisible())
    seq, verdict, reason, suggestion = reply.term_rows[0]
    verdict.setCurrentIndex(verdict.findData(Verdict.NEEDS_CHANGE.value))
    type_text(reason, "担保期间起算点宜写明具体日期，避免执行中对保证期间是否届满产生争议。")
    type_text(suggestion, "保证期间自2028年12月31日起计算六个月。")
    reply.measure_kind.setCurrentIndex(reply.measure_kind.findData(Measure.PRESERVATION.value))
    qtbot.mouseClick(reply.add_measure_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(reply.measures[0].amount, "120000")
    assert "1,120.00" in reply.measures[0].fee.text()
    type_text(reply.clues, "被告名下白河镇住房一套（已查询不动产登记）。")
    type_text(reply.answers[0], "需要，已写入。")
    type_text(reply.answers[1], "自最后一期届满之日起六个月。")
    # 提交 asks once, after the checks, and says what follows: 否 leaves the reply a draft
    for answer in ("answerNo", "answerYes"):
        qtbot.mouseClick(reply.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: reply.findChild(QMessageBox, "confirmBox") is not None)
        box = reply.findChild(QMessageBox, "confirmBox")
        assert "执建1号" in box.text() and "不能再修改" in box.text()
        qtbot.mouseClick(box.findChild(QPushButton, answer), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: reply.findChild(QMessageBox, "confirmBox") is None)
        if answer == "answerNo":
            assert background.wait_all(10_000)
            assert consultation(edb).status is ConsultStatus.SENT  # nothing submitted
    qtbot.waitUntil(lambda: consultation(edb).status is ConsultStatus.REPLIED)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    QApplication.activeModalWidget().close()
    c = consultation(edb)
    assert c.advice.number == "（2026）吉7502执建1号" and c.advice.submitted_by_id == officer.id
    assert [(i.term_seq, i.verdict, i.measure) for i in c.advice.items] == [
        (1, Verdict.NEEDS_CHANGE, None), (None, None, Measure.PRESERVATION)]
    assert c.advice.items[1].fee == Decimal("1120.00") and c.advice.answers[1] == "自最后一期届满之日起六个月。"

    # the judge reads the reply and records partial adoption
    page.refresh(select=c.id)
    viewer = page.viewer
    qtbot.waitUntil(lambda: viewer.adoption.isVisible() and len(viewer.adoption.rows) == 2)
    assert "执建1号" in viewer.text.toPlainText()
    assert "保全申请费：1120元" in viewer.text.toPlainText()
    (_id0, combo0, _note0), (_id1, combo1, note1) = viewer.adoption.rows
    combo0.setCurrentIndex(combo0.findText("采纳"))
    combo1.setCurrentIndex(combo1.findText("不采纳"))
    type_text(note1, "原告表示暂不申请保全")
    qtbot.mouseClick(viewer.adoption.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consultation(edb).status is ConsultStatus.PARTLY_ADOPTED)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    QApplication.activeModalWidget().close()
    c = consultation(edb)
    assert [i.adopted for i in c.advice.items] == [True, False] and c.adoption_by_id == judge.id
    assert c.advice.items[1].adoption_note == "原告表示暂不申请保全"

    # the judge generates both documents from the page; the case shows the whole exchange
    qtbot.waitUntil(lambda: viewer.adoption.rows and viewer.adoption.rows[0][1].currentText() == "采纳")
    for button in (viewer.gen_consult, viewer.gen_advice):
        viewer.generated = []
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(viewer.generated) == 2, timeout=20_000)
        assert all(f.exists() and f.stat().st_size > 1000 for f in viewer.generated)
        assert str(viewer.generated[0]) in viewer.doc_result.text()
    with edb.session() as s:
        kinds = sorted(r.kind for r in s.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)))
        exchange = case_exchange_html(s, case_id, today=date(2026, 12, 1))
    assert kinds == ["enforcement-advice"] * 2 + ["enforcement-consultation"] * 2
    assert "执咨1号" in exchange and "执建1号" in exchange and "部分采纳" in exchange and "原告表示暂不申请保全" in exchange

    # every step is in the audit trail, the refused reply too
    with edb.session() as s:
        actions = [(r.action, r.username) for r in s.scalars(
            select(AuditRecord).where(AuditRecord.entity_id.in_([str(c.id), "enforcement.consult_reply"]))
            .order_by(AuditRecord.seq))]
    names = [a for a, _u in actions]
    assert names[0] == "enforcement.consult.create" and "enforcement.consult.save" in names
    assert ("permission.denied", "t_judge_assistant") in actions
    tail = [a for a in names if a not in ("enforcement.consult.save", "enforcement.advice.save")]
    assert tail[-4:] == ["enforcement.consult.send", "permission.denied", "enforcement.advice.submit",
                         "enforcement.consult.adoption"]


def test_send_with_open_gaps_asks_first(qtbot, edb, users, paths, case_id):
    page = show(qtbot, EnforcementConsultPage(edb, paths, users[Role.JUDGE]))
    editor = start_draft(qtbot, page)
    fill_loan_settlement(qtbot, editor)
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    box = QApplication.activeModalWidget()
    assert box.objectName() == "enfGapsConfirm" and "1 处" in box.text()
    assert consultation(edb).status is ConsultStatus.DRAFT  # nothing sent yet, but the draft is saved
    assert consultation(edb).terms[0].guarantor == "白河林海商贸有限公司"
    qtbot.mouseClick(box.findChild(type(editor.send_button), "enfSendAnyway"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consultation(edb).status is ConsultStatus.SENT)
    assert [g["code"] for g in consultation(edb).gaps_at_send] == ["acceleration_missing"]


def test_unsaved_typing_survives_a_crash_and_is_offered_back(qtbot, edb, users, paths, case_id):
    judge = users[Role.JUDGE]
    page = show(qtbot, EnforcementConsultPage(edb, paths, judge))
    editor = start_draft(qtbot, page)
    editor.save_timer.setInterval(60_000)  # the crash comes before the autosave
    type_text(editor.stage_note, "审理中")
    saved = crash.drafts.save_all()
    assert saved == [editor.crash_path] and editor.crash_path.exists()
    cid = editor.consultation_id
    page.close()
    again = show(qtbot, EnforcementConsultPage(edb, paths, judge))
    qtbot.waitUntil(lambda: again.model.rowCount() == 1)
    again.table.selectRow(0)
    qtbot.waitUntil(lambda: again.editor.consultation_id == cid and again.editor.banner.isVisible())
    assert again.editor.stage_note.text() == ""
    qtbot.mouseClick(again.editor.banner.yes, Qt.MouseButton.LeftButton)
    assert again.editor.stage_note.text() == "审理中"
    again.editor.save_now()
    qtbot.waitUntil(lambda: consultation(edb).stage_note == "审理中")
    qtbot.waitUntil(lambda: not again.editor.crash_path.exists())


def test_overdue_consultations_are_flagged_on_both_sides(qtbot, edb, users, paths, case_id):
    judge = users[Role.JUDGE]
    with edb.transaction() as s:
        c = svc.create(s, judge, case_id)
        data = draft_of(c)
        data.terms = [TermData(text="被告李喆玥于2026年5月31日前偿还原告王堃120000元。", obligors="李喆玥",
                               obligees="王堃", amount=Decimal("120000"), perform_by="2026年5月31日前",
                               perform_manner="转账")]
        svc.save_draft(s, judge, c.id, data)
        svc.send(s, judge, c.id, today=date(2026, 1, 5))
    queue = show(qtbot, EnforcementQueuePage(edb, paths, users[Role.ENFORCEMENT]))
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    assert queue.model.rows[0].clock.overdue
    assert "已逾期" in queue.model.index(0, 2).data() and "已逾期 1 件" in queue.stats.text()
    assert queue.model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    page = show(qtbot, EnforcementConsultPage(edb, paths, judge))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 2).data().startswith("已逾期")
