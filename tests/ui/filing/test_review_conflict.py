"""Two clerks review one case: the one whose screen is older gets the conflict dialog, not an overwrite."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import Role, User
from baihe_desk.models.review import Answer, ComplaintReview, ReviewAnswer
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.ui.common.qt import QApplication, QLabel, QPlainTextEdit, QPushButton, Qt
from tests.ui.filing.test_filing_review import fdb, make_case, open_first, page, row_of, settle  # noqa: F401
from tests.ui.helpers import key, type_text

ITEM = "cond.defendant_identified"


def _dialog():
    return next((w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "conflictDialog" and w.isVisible()), None)


def _second_clerk_and_a_review(qtbot, page, fdb, clerk) -> User:  # noqa: F811
    """孙玥 at another desk; this desk's clerk opens a new complaint and starts its review."""
    with fdb.transaction() as s:
        sun = User(username="sunyue", display_name="孙玥", role=Role.FILING_CLERK,
                   password_hash=hash_password("Baihe-test-2025"))
        s.add(sun)
    _case_id, receipt = make_case(fdb, clerk)
    open_first(qtbot, page, receipt)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open and page.checklist.model.rowCount() > 10, timeout=5000)
    return sun


def test_the_older_screen_sees_who_changed_it_and_both_notes_then_reloads(qtbot, page, fdb, clerk):  # noqa: F811
    sun = _second_clerk_and_a_review(qtbot, page, fdb, clerk)
    settle(qtbot, page)
    review_id = page.view.review_id

    with fdb.transaction() as s:  # 孙玥, at another desk, records the defect first
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告仅有姓名和乡镇地址")

    page.checklist.select(row_of(page, ITEM))  # this clerk's screen still shows the item open
    page.checklist.table.setFocus()
    key(page.checklist.table, Qt.Key.Key_2)  # 不符合 is saved at once, before any 说明
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=5000)
    dialog = _dialog()
    message = dialog.findChild(QLabel, "conflictMessage")
    assert "该案件的立案审查已被 孙玥 于" in message.text() and "没有保存" in message.text()
    mine = dialog.findChild(QPlainTextEdit, "conflictMine1").toPlainText()
    theirs = dialog.findChild(QPlainTextEdit, "conflictTheirs1").toPlainText()
    assert (mine, theirs) == ("（空）", "被告仅有姓名和乡镇地址")
    assert dialog.findChild(QPushButton, "conflictCopyMine") is None  # nothing of this clerk's to copy
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictReload"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog() is None, timeout=3000)
    settle(qtbot, page)
    shown = next(it for it in page.checklist.model.items if it.item_id == ITEM)
    assert (shown.answer, shown.note) == ("fail", "被告仅有姓名和乡镇地址")
    with fdb.session() as s:  # 孙玥's note stands, nothing of the refused save was written
        row = s.scalars(select(ReviewAnswer).where(ReviewAnswer.review_id == review_id,
                                                   ReviewAnswer.item_id == ITEM)).one()
        assert (row.note, row.answered_by_id) == ("被告仅有姓名和乡镇地址", sun.id)


def test_a_note_typed_over_the_other_desks_note_can_be_copied_before_reloading(qtbot, page, fdb, clerk):  # noqa: F811
    sun = _second_clerk_and_a_review(qtbot, page, fdb, clerk)
    page.checklist.select(row_of(page, ITEM))
    page.checklist.table.setFocus()
    key(page.checklist.table, Qt.Key.Key_2)
    settle(qtbot, page)
    review_id = page.view.review_id
    with fdb.transaction() as s:  # 孙玥 rewrites the 说明 while this clerk is typing
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告仅有姓名")
    type_text(page.checklist.note, "被告住所不明")
    key(page.checklist.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=5000)
    dialog = _dialog()
    assert dialog.findChild(QPlainTextEdit, "conflictMine1").toPlainText() == "被告住所不明"
    assert dialog.findChild(QPlainTextEdit, "conflictTheirs1").toPlainText() == "被告仅有姓名"
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictCopyMine"), Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "被告住所不明"
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictReload"), Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    with fdb.session() as s:
        assert s.scalars(select(ReviewAnswer.note).where(ReviewAnswer.review_id == review_id,
                                                         ReviewAnswer.item_id == ITEM)).one() == "被告仅有姓名"


def test_another_desks_answer_shows_in_the_open_review_unless_the_clerk_is_typing(qtbot, page, fdb, clerk):  # noqa: F811
    sun = _second_clerk_and_a_review(qtbot, page, fdb, clerk)
    settle(qtbot, page)
    review_id = page.view.review_id
    with fdb.transaction() as s:
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告仅有姓名")
    page.live_refresh()  # what the live timer does when the server says something changed
    settle(qtbot, page)
    qtbot.waitUntil(lambda: next(it for it in page.checklist.model.items if it.item_id == ITEM).note == "被告仅有姓名",
                    timeout=5000)

    page.checklist.select(row_of(page, ITEM))
    page.checklist.note.setFocus()
    type_text(page.checklist.note, "，住所不明")  # the clerk is typing …
    with fdb.transaction() as s:  # … when 孙玥 changes the same 说明 again
        cr.answer(s, sun, s.get(ComplaintReview, review_id), ITEM, Answer.FAIL, "被告身份不明")
    page.live_refresh()
    settle(qtbot, page)
    assert page.checklist.note.text() == "被告仅有姓名，住所不明"  # the typing is not swept away
    key(page.checklist.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=5000)
    assert _dialog().findChild(QPlainTextEdit, "conflictTheirs1").toPlainText() == "被告身份不明"
    qtbot.mouseClick(_dialog().findChild(QPushButton, "conflictReload"), Qt.MouseButton.LeftButton)
