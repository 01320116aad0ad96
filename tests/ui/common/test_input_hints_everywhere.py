"""Every field for an ID number, a phone, a postcode or an amount, on every page of every role, keeps the
input method out of the way (Qt input-method hints) and turns full-width digits into half-width ones as
they are typed — not only the intake form's (the 执行咨询函's 联系电话 and the 执行建议's 拟保全财产数额
once took ４００００ and the IME's predictions)."""

from __future__ import annotations

import re

import pytest

from baihe_desk.models import Role
from baihe_desk.ui.common.qt import QLineEdit, Qt
from tests.ui.helpers import commit_text, every_page, main_window

NUMERIC = re.compile(r"电话|手机|身份证|证件号|信用代码|金额|数额|（元）|邮政编码|邮编")


def _problems(edit: QLineEdit) -> list[str]:
    out = []
    if not edit.inputMethodHints() & Qt.InputMethodHint.ImhNoPredictiveText:
        out.append("no input-method hints")
    before, enabled = edit.text(), edit.isEnabled()
    edit.setEnabled(True)
    edit.clear()
    commit_text(edit, "１３９")  # what a Chinese IME in full-width mode commits
    if edit.text() != "139":
        out.append(f"full-width digits kept: {edit.text()!r}")
    edit.setText(before)
    edit.setEnabled(enabled)
    return out


@pytest.mark.parametrize("role", [Role.FILING_CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.MEDIATOR, Role.ADMIN])
def test_numeric_fields_on_every_page_keep_the_ime_out(qtbot, db, users, paths, role):
    win = main_window(qtbot, db, users[role], paths)
    found, bad = [], []
    for name, page in every_page(win):
        for edit in page.findChildren(QLineEdit):
            label = edit.accessibleName()
            if edit.isReadOnly() or not NUMERIC.search(label):
                continue
            found.append(label)
            bad += [f"{name}: {edit.objectName()} {label!r}: {p}" for p in _problems(edit)]
    assert found, "no numeric field found"  # the walk reached the forms
    assert bad == [], "\n".join(bad)


def test_the_reply_measure_amount_keeps_the_ime_out(qtbot):
    from baihe_desk.models.enforcement import Measure
    from baihe_desk.services.enforcement.advice import ItemData
    from baihe_desk.ui.enforcement.reply import MeasureRow

    row = MeasureRow(0, ItemData(measure=Measure.PRESERVATION))
    qtbot.addWidget(row)
    row.show()
    assert _problems(row.amount) == []
    commit_text(row.amount, "１２００００")
    assert row.amount.text() == "120000" and "1,120.00" in row.fee.text()  # 诉讼费用交纳办法 第十四条: 1000+(120000-1000)*1%
