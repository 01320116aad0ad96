"""收件登记: the party's 住所地 (境内 / 境外 / 港澳台) chosen with the keyboard is stored; a misplaced comma in
the amount is refused next to the field, not read as another number."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import Case, DomicileRegion
from baihe_desk.ui.common.qt import Qt
from tests.ui.filing.test_intake_form import fill_case, form, save_accepted  # noqa: F401  (fixture)
from tests.ui.helpers import key


def test_defendant_abroad_is_stored(qtbot, form, db):  # noqa: F811
    fill_case(qtbot, form)
    d = form.parties.editors[1]
    d.region_combo.setFocus()
    key(d.region_combo, Qt.Key.Key_Down)  # 境内 → 境外（在中国境内没有住所）
    assert d.region_combo.currentText().startswith("境外")
    assert d.region_combo in d.focus_widgets()
    case_id, _receipt = save_accepted(qtbot, form)
    with db.session() as s:
        case = s.scalar(select(Case).where(Case.id == case_id))
        regions = [(p.name, p.domicile_region) for p in case.parties]
    assert regions == [("王堃", DomicileRegion.MAINLAND), ("白河林业物业服务有限公司", DomicileRegion.FOREIGN)]
    assert form.parties.editors[1].region_combo.currentIndex() == 0  # the next case starts domestic


def test_decimal_comma_in_the_amount_is_refused(qtbot, form, db):  # noqa: F811
    fill_case(qtbot, form)
    form.amount.clear()
    form.amount.setFocus()
    qtbot.keyClicks(form.amount, "123,45")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    box = form.case_boxes["claim_amount"]
    qtbot.waitUntil(lambda: box.has_error, timeout=5_000)
    assert "千位分隔符" in box.error_text()
    with db.session() as s:
        assert s.scalar(select(Case.id)) is None
