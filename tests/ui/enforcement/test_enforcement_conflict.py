"""Two desks, one 执行咨询函 (the judge at the office and in the courtroom) or one 执行建议 (two officers):
the desk whose screen is older gets the conflict dialog with both texts, and nothing of either is lost —
the other desk's save stands, this desk's typing is in the dialog to copy, and after 重新载入 it saves
on top of the newer version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.models import Role, User
from baihe_desk.models.enforcement import EnforcementConsultation
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QApplication, QLabel, QPlainTextEdit, QPushButton, Qt
from tests.ui.common.test_stale_panels import show
from tests.ui.common.test_stale_panels_enforcement import _open, _send_both, two_drafts  # noqa: F401
from tests.ui.helpers import key, type_text

pytest.importorskip("PySide6.QtPdfWidgets")


def _dialog():
    return next((w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "conflictDialog" and w.isVisible()), None)


def _texts(dialog) -> dict[str, tuple[str, str]]:
    """label → (您写的, 现在保存的), read off the dialog's rows."""
    labels = [w.text().removeprefix("<b>").removesuffix("</b>") for w in dialog.findChildren(QLabel)
              if w.text().startswith("<b>")]
    return {label: (dialog.findChild(QPlainTextEdit, f"conflictMine{n}").toPlainText(),
                    dialog.findChild(QPlainTextEdit, f"conflictTheirs{n}").toPlainText())
            for n, label in enumerate(labels, 1)}


def _stored(db, cid):
    with db.session() as s:
        c = svc.load(s, cid)
        return c.stage_note, list(c.questions), c.row_version, c.advice and (c.advice.property_clues, c.advice.risk_notes)


def _reload(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictReload"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog() is None, timeout=3000)
    assert background.wait_all(10_000)


def test_older_draft_editor_sees_both_texts_and_loses_nothing(qtbot, db, paths, users, two_drafts):  # noqa: F811
    from baihe_desk.ui.enforcement.page import EnforcementConsultPage

    a, _b = two_drafts
    judge = users[Role.JUDGE]
    office, courtroom = (show(qtbot, EnforcementConsultPage(db, paths, judge)) for _ in range(2))
    for page in (office, courtroom):
        qtbot.waitUntil(lambda page=page: page.model.rowCount() == 2)
        _open(qtbot, page, a)
        qtbot.waitUntil(lambda page=page: page.editor.consultation_id == a and page.editor.isEnabled())
        page.editor.save_timer.setInterval(60_000)
    before, _questions, version, _reply = _stored(db, a)

    office.editor.stage_note.selectAll()
    type_text(office.editor.stage_note, "调解中，双方已达成初步意见")
    office.editor.save_now()
    qtbot.waitUntil(lambda: not office.editor.dirty and not office.editor.saving, timeout=10_000)
    assert _stored(db, a)[:3] == ("调解中，双方已达成初步意见", ["是否需要加速到期条款？", "担保期间如何表述？"], version + 1)

    courtroom.editor.questions.setFocus()
    key(courtroom.editor.questions, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(courtroom.editor.questions, "\n分期付款的违约金如何约定？")  # the courtroom screen still shows the old draft
    courtroom.editor.save_now()
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=10_000)
    dialog = _dialog()
    assert "该执行咨询函草稿已被" in dialog.findChild(QLabel, "conflictMessage").text()
    assert _texts(dialog) == {
        "审理阶段": (before or "（空）", "调解中，双方已达成初步意见"),
        "请求研究的问题": ("是否需要加速到期条款？\n担保期间如何表述？\n分期付款的违约金如何约定？",
                    "是否需要加速到期条款？\n担保期间如何表述？"),
    }
    assert _stored(db, a)[:3] == ("调解中，双方已达成初步意见", ["是否需要加速到期条款？", "担保期间如何表述？"], version + 1)
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictCopyMine"), Qt.MouseButton.LeftButton)
    assert "分期付款的违约金如何约定？" in QApplication.clipboard().text()
    _reload(qtbot, dialog)
    qtbot.waitUntil(lambda: courtroom.editor.stage_note.text() == "调解中，双方已达成初步意见")
    assert not courtroom.editor.dirty

    # on the reloaded draft the courtroom's question goes in on top of the office's change
    courtroom.editor.questions.setFocus()
    key(courtroom.editor.questions, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(courtroom.editor.questions, "\n分期付款的违约金如何约定？")
    courtroom.editor.save_now()
    qtbot.waitUntil(lambda: not courtroom.editor.dirty and not courtroom.editor.saving, timeout=10_000)
    assert _dialog() is None
    assert _stored(db, a)[:2] == ("调解中，双方已达成初步意见",
                                  ["是否需要加速到期条款？", "担保期间如何表述？", "分期付款的违约金如何约定？"])


def test_second_officer_replying_at_once_gets_the_conflict_not_an_overwrite(qtbot, db, paths, users,
                                                                           two_drafts):  # noqa: F811
    from baihe_desk.ui.enforcement.queue import EnforcementQueuePage

    a, b = two_drafts
    _send_both(db, users[Role.JUDGE], (a, b))
    with db.transaction() as s:
        second = User(username="zhou_enf", display_name="周执行", role=Role.ENFORCEMENT,
                      password_hash=hash_password("Baihe-test-2025"))
        s.add(second)
    first_page, second_page = (show(qtbot, EnforcementQueuePage(db, paths, u)) for u in (users[Role.ENFORCEMENT], second))
    for page in (first_page, second_page):  # both open the consultation before either has saved a reply
        qtbot.waitUntil(lambda page=page: page.model.rowCount() == 2)
        _open(qtbot, page, a)
        qtbot.waitUntil(lambda page=page: page.reply.ctx is not None and page.reply.ctx.id == a)
        page.reply.timer.setInterval(60_000)
        assert page.reply.ctx.version == 0

    type_text(first_page.reply.clues, "被告名下白河镇住房一套。")
    first_page.reply.save_now()
    qtbot.waitUntil(lambda: _stored(db, a)[3] is not None and not first_page.reply.saving, timeout=10_000)
    assert first_page.reply.ctx.version >= 1

    type_text(second_page.reply.clues, "被告在白河农商行有存款。")
    type_text(second_page.reply.risks, "被告另有多起借贷纠纷。")
    second_page.reply.save_now()
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=10_000)
    dialog = _dialog()
    assert "该执行建议已被 " in dialog.findChild(QLabel, "conflictMessage").text()
    texts = _texts(dialog)
    assert texts["财产线索"] == ("被告在白河农商行有存款。", "被告名下白河镇住房一套。")
    assert texts["风险提示"] == ("被告另有多起借贷纠纷。", "（空）")
    assert _stored(db, a)[3] == ("被告名下白河镇住房一套。", "")  # the first officer's reply stands
    _reload(qtbot, dialog)
    qtbot.waitUntil(lambda: second_page.reply.clues.toPlainText() == "被告名下白河镇住房一套。")
    assert second_page.reply.ctx.version == first_page.reply.ctx.version

    type_text(second_page.reply.risks, "被告另有多起借贷纠纷。")  # after reloading, added on top
    second_page.reply.save_now()
    qtbot.waitUntil(lambda: _stored(db, a)[3] == ("被告名下白河镇住房一套。", "被告另有多起借贷纠纷。"), timeout=10_000)
    assert _dialog() is None
    with db.session() as s:
        assert s.scalar(select(EnforcementConsultation.status).where(EnforcementConsultation.id == a)).value == "sent"
