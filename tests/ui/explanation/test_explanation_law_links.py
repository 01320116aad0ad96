"""判后答疑 and the law panel: the appeal rule and each party's countdown cite 民事诉讼法第一百七十一条 (上诉期限),
the tier form's reminder cites 民诉法解释第三百一十八条 (口头上诉不视为提起上诉); F1 on a countdown row and a click
on the reminder open those articles."""

from __future__ import annotations

from datetime import date

from baihe_desk.ui.common.law_panel import LawPanel
from tests.services.explanation.test_explanation_support import build_org, judged
from tests.ui.explanation.test_explanation_page import open_page
from tests.ui.helpers import key


def test_f1_on_a_countdown_and_the_reminders_link(qtbot, db, paths, users):
    from PySide6.QtCore import Qt

    org = build_org(db, users)
    judged(db, org)
    page = open_page(qtbot, db, paths, org.judge, date(2026, 9, 28), org.case_id)
    j = page.judgment
    assert "law:cpl/171/p1" in j.rule.text()  # 对第一审判决可以上诉，上诉期限十五日（…第一百七十一条第一款）
    j.table.setCurrentIndex(j.model.index(0, 0))
    j.table.setFocus()
    key(j.table, Qt.Key.Key_F1)
    law = page.window().findChild(LawPanel, "lawPanel")
    assert law is not None and law.current_article().number == 171 and law.current_article().law_key == "cpl"
    assert "十五日内向上一级人民法院提起上诉" in law.view.toPlainText()
    reminder = page.requests.tier_form.reminder
    assert "law:cpl-interpretation/318" in reminder.text()
    reminder.linkActivated.emit("law:cpl-interpretation/318")
    assert law.current_article().law_key == "cpl-interpretation" and law.current_article().number == 318
    assert "视为未提起上诉" in law.view.toPlainText()
