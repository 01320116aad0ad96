"""App-wide input guards: the wheel scrolls the panel, not the unfocused combo box or spin box under
the pointer (it once changed 调解组织 and cleared 调解员 while the clerk scrolled); full-width digits."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from baihe_desk.models import Role
from baihe_desk.ui.common.inputs import install_guards, normalise_digits
from baihe_desk.ui.common.qt import QComboBox, QLineEdit, QScrollArea, QSpinBox, Qt, QVBoxLayout, QWidget
from tests.ui.helpers import commit_text


def wheel(widget: QWidget, down: bool = True) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120 if down else 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def panel(qtbot):
    area = QScrollArea()
    inner = QWidget()
    col = QVBoxLayout(inner)
    combo = QComboBox()
    combo.addItems(["长白山诉非联动服务站", "白河镇人民调解委员会", "董嫂说事点"])
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setValue(30)
    col.addWidget(combo)
    col.addWidget(spin)
    col.addSpacing(3000)  # a panel taller than its window: it scrolls
    area.setWidget(inner)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.activateWindow()
    qtbot.waitActive(area)
    return area, combo, spin


def test_wheel_scrolls_the_panel_not_the_unfocused_combo_or_spin(qtbot):
    install_guards()
    area, combo, spin = panel(qtbot)
    other = QLineEdit(area.widget())
    other.setFocus()
    bar = area.verticalScrollBar()
    assert bar.value() == 0
    wheel(combo)
    wheel(spin)
    assert combo.currentIndex() == 0 and spin.value() == 30
    assert bar.value() > 0  # the panel scrolled instead
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel does not focus it either

    bar.setValue(0)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo)
    assert combo.currentIndex() == 1  # focused: the wheel is meant for it
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, down=False)
    assert spin.value() == 31


def test_the_main_window_installs_the_guard(qtbot, db, users, paths):
    from baihe_desk.ui.common import inputs
    from baihe_desk.ui.main_window import MainWindow

    if inputs._guard is not None:  # as in a fresh process
        QApplication.instance().removeEventFilter(inputs._guard)
        inputs._guard = None
    win = MainWindow(db, users[Role.FILING_CLERK], paths)
    qtbot.addWidget(win)
    assert inputs._guard is not None
    intake = win.show_page("收件登记")
    combo = intake.findChild(QComboBox)
    win.show()
    qtbot.waitExposed(win)
    win.nav.setFocus()
    before = combo.currentIndex()
    wheel(combo)
    assert combo.currentIndex() == before


def test_full_width_digits_become_half_width_as_typed(qtbot):
    from baihe_desk.ui.common.inputs import digits_field

    assert normalise_digits("２２０２２２１９８５０３１４０１１Ｘ") == "22022219850314011X"
    assert normalise_digits("王堃１３９") == "王堃139"
    edit = digits_field(QLineEdit(), "id")
    qtbot.addWidget(edit)
    edit.show()
    commit_text(edit, "１３９０４３３")
    assert edit.text() == "1390433"
    assert edit.inputMethodHints() & Qt.InputMethodHint.ImhPreferLatin


def test_enter_moves_on_in_the_mediation_forms_and_tab_still_works(qtbot):
    from baihe_desk.models.mediation import MediationOutcome
    from baihe_desk.ui.mediation.forms import OutcomeForm
    from tests.ui.helpers import key

    form = OutcomeForm([MediationOutcome.WITHDRAWN, MediationOutcome.REFUSED])
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitActive(form)
    form.kind.setFocus()
    key(form.kind, Qt.Key.Key_Return)
    assert form.on.hasFocus()  # 结果 → 日期, by Enter
    key(form.on, Qt.Key.Key_Return)
    assert form.facts.hasFocus()  # → 无争议事实 (the agreement box is hidden for this outcome)
    key(form.facts, Qt.Key.Key_Tab)
    assert form.note.hasFocus()  # a multi-line box keeps Enter for new lines; Tab leaves it
    key(form.note, Qt.Key.Key_Return)
    assert not form.note.hasFocus()
