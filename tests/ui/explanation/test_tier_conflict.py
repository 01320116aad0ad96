"""One tier, two desks of its assignee (the judge's office and the 诉讼服务中心 window): the tier recorded at
one desk is not overwritten from the other, whose screen still shows it open — that desk gets the conflict
dialog with both versions of the free text, the recorded tier stands, and after reloading the form is locked."""

from __future__ import annotations

from datetime import date

import pytest

from baihe_desk.models.explanation import Channel, ExplanationTier
from baihe_desk.services.explanation import tiers as et
from baihe_desk.ui.common.qt import QApplication, QLabel, QPlainTextEdit, QPushButton, Qt
from tests.services.explanation.test_explanation_support import TODAY, build_org, judged
from tests.ui.explanation.test_explanation_page import fill_tier, open_page, record_tier, settle


@pytest.fixture
def org(db, users):
    return build_org(db, users)


def _dialog():
    return next((w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "conflictDialog" and w.isVisible()), None)


def test_a_tier_recorded_at_another_desk_is_not_overwritten(qtbot, db, paths, org):
    judged(db, org)
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.WINDOW,
                              questions="为什么认定借款成立？", received_on=date(2026, 9, 25), on=TODAY)
        tier_id = req.tiers[0].id
    window, office = (open_page(qtbot, db, paths, org.judge, TODAY, org.case_id) for _ in range(2))
    for page in (window, office):
        page.tabs.setCurrentWidget(page.requests)
        page.requests.request_table.selectRow(0)
        assert page.requests.tier_form.save_button.isEnabled()

    window.activateWindow()  # recorded at the window first (Ctrl+S there)
    qtbot.waitActive(window)
    record_tier(qtbot, window, 0, "服判息诉", "听明白了，不再上诉。")

    form = office.requests.tier_form  # the office screen still shows the tier open
    fill_tier(qtbot, form, start="1000", end="1030", answers="已向当事人说明借条与转账记录相互印证。",
              response="仍有疑问。", decision="仍有异议")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=10_000)
    dialog = _dialog()
    assert "该第1级答疑记录已被" in dialog.findChild(QLabel, "conflictMessage").text()
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.text().startswith("<b>")]
    row = labels.index("<b>答疑内容</b>") + 1
    assert dialog.findChild(QPlainTextEdit, f"conflictMine{row}").toPlainText() == "已向当事人说明借条与转账记录相互印证。"
    assert dialog.findChild(QPlainTextEdit, f"conflictTheirs{row}").toPlainText() == (
        "原告提交了借条原件和银行转账记录，转账金额、时间与借条一致。")
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictCopyMine"), Qt.MouseButton.LeftButton)
    assert "已向当事人说明借条与转账记录相互印证。" in QApplication.clipboard().text()
    qtbot.mouseClick(dialog.findChild(QPushButton, "conflictReload"), Qt.MouseButton.LeftButton)
    settle(qtbot, office)
    with db.session() as s:  # the window's record stands, nothing of the office's save
        tier = s.get(ExplanationTier, tier_id)
        assert (tier.answers, tier.party_response, tier.start_time) == (
            "原告提交了借条原件和银行转账记录，转账金额、时间与借条一致。", "听明白了，不再上诉。", "09:00")
    qtbot.waitUntil(lambda: not form.save_button.isEnabled())
    assert form.answers.toPlainText() == "原告提交了借条原件和银行转账记录，转账金额、时间与借条一致。"
    assert "笔录不能修改" in form.lock_note.text()
