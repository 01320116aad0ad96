"""The main window: navigation by role, status bar, shortcuts, pages, accessible names everywhere."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QTextEdit

from baihe_desk.models import Role
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QtWidgets,
    QWidget,
)
from baihe_desk.ui.filing.intake_form import draft_file
from baihe_desk.ui.main_window import (
    PAGE_BUNDLES,
    PAGE_CASES,
    PAGE_CONSULT,
    PAGE_CONSULT_QUEUE,
    PAGE_DASHBOARD,
    PAGE_DOCUMENTS,
    PAGE_EXPLANATION,
    PAGE_FILING,
    PAGE_INTAKE,
    PAGE_MEDIATION_REFERRAL,
    PAGE_MEDIATION_STATION,
    PAGE_QUEUE,
    PAGE_ROSTER,
    PAGE_STATISTICS,
    MainWindow,
)
from tests.ui.helpers import id_number, key, type_text

INTERACTIVE = (QtWidgets.QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,
               QAbstractItemView)


def make_window(qtbot, db, user, paths) -> MainWindow:
    win = MainWindow(db, user, paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.case_list.model.loaded_once and not win.case_list.model.loading)
    return win


def nav_names(win: MainWindow) -> list[str]:
    return [win.nav.item(i).text() for i in range(win.nav.count())]


def test_clerk_sees_case_list_and_intake_with_user_in_status_bar(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    assert nav_names(win) == [PAGE_CASES, PAGE_INTAKE, PAGE_DASHBOARD, PAGE_QUEUE, PAGE_FILING, PAGE_DOCUMENTS,
                              PAGE_MEDIATION_REFERRAL, PAGE_EXPLANATION, PAGE_STATISTICS, PAGE_BUNDLES]
    assert win.user_label.text() == "当前用户：测试立案窗口书记员（立案窗口书记员）"
    assert "吉林省白河林区基层法院" in win.windowTitle()
    assert win.stack.currentWidget() is win.case_list
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == ["文件(&F)", "帮助(&H)"]


def test_judge_has_no_intake(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.JUDGE], paths)
    assert nav_names(win) == [PAGE_CASES, PAGE_DASHBOARD, PAGE_QUEUE, PAGE_DOCUMENTS, PAGE_EXPLANATION,
                              PAGE_CONSULT, PAGE_STATISTICS, PAGE_BUNDLES]
    assert win.intake is None and not win.act_new.isEnabled()


def test_mediator_sees_only_the_station_workbench(qtbot, db, users, paths):
    win = MainWindow(db, users[Role.MEDIATOR], paths)
    qtbot.addWidget(win)
    assert nav_names(win) == [PAGE_DASHBOARD, PAGE_QUEUE, PAGE_MEDIATION_STATION, PAGE_BUNDLES]
    assert win.current_page_name() == PAGE_DASHBOARD
    win.find_case()  # Ctrl+F does not reveal the court's case list
    assert win.current_page_name() == PAGE_DASHBOARD


def test_enforcement_staff_get_the_consultation_queue(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.ENFORCEMENT], paths)
    assert nav_names(win) == [PAGE_CASES, PAGE_DASHBOARD, PAGE_QUEUE, PAGE_DOCUMENTS, PAGE_CONSULT_QUEUE]


def test_admin_keeps_the_roster(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.ADMIN], paths)
    assert PAGE_ROSTER in nav_names(win) and PAGE_MEDIATION_STATION in nav_names(win)


def test_shortcuts(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    win.activateWindow()
    key(win.case_list.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert win.current_page_name() == PAGE_INTAKE
    assert win.intake.cause.hasFocus()
    key(win.intake.cause, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.current_page_name() == PAGE_CASES
    assert win.case_list.search.hasFocus()


def test_add_page_hook(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    docs = QLabel("调解")
    row = win.add_page("调解", docs)
    assert row == len(nav_names(win)) - 1 and nav_names(win)[-1] == "调解"
    win.show_page("调解")
    assert win.stack.currentWidget() is docs
    win.nav.setCurrentRow(0)
    assert win.stack.currentWidget() is win.case_list
    with pytest.raises(ValueError):
        win.add_page("调解", QLabel())


def test_saved_intake_appears_in_the_list(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    win.new_intake()
    form = win.intake
    form.cause.setText("民间借贷纠纷")
    type_text(form.claims, "请求判令被告偿还借款。")
    type_text(form.parties.editors[0].field("name"), "王堃")
    form.parties.editors[0].field("id_number").setText(id_number())
    type_text(form.parties.editors[1].field("name"), "李四")
    form.save()
    qtbot.waitUntil(lambda: win.case_list.model.total == 1, timeout=10_000)
    assert win.case_list.model.rows[0].plaintiffs == "王堃"
    assert win.case_list.model.rows[0].received_on == today_local()


def test_documents_page_follows_the_selected_case_and_generates(qtbot, db, users, paths):
    from sqlalchemy import select

    from baihe_desk.models import GeneratedDocument

    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    win.new_intake()
    form = win.intake
    form.cause.setText("物业服务合同纠纷")
    type_text(form.claims, "请求判令被告支付物业费。")
    type_text(form.parties.editors[0].field("name"), "王堃")
    type_text(form.parties.editors[1].field("name"), "李喆玥")
    form.save()
    qtbot.waitUntil(lambda: win.case_list.model.total == 1, timeout=10_000)
    win.show_page(PAGE_CASES)
    win.case_list.table.selectRow(0)
    case_id = win.case_list.current_case_id()
    assert case_id is not None and win.documents.case_id == case_id
    win.show_page(PAGE_DOCUMENTS)
    assert win.documents.generate_button.isEnabled()
    qtbot.mouseClick(win.documents.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 2, timeout=20_000)
    with db.session() as s:
        recs = s.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)).all()
        assert sorted(r.format for r in recs) == ["docx", "pdf"]
        assert all(r.kind == "mediation-notice" and (paths.documents / r.relpath).exists() for r in recs)


def test_closing_with_a_filled_form_keeps_a_draft(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    type_text(win.intake.facts, "未写完的事实")
    win.close()
    assert draft_file(paths, users[Role.FILING_CLERK]).exists()  # the clerk's own draft


def test_about_box(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.JUDGE], paths)
    box = win.show_about()
    assert "白河林区基层法院" in box.text() and str(paths.root) in box.text()
    box.close()


def _internal(w: QWidget) -> bool:
    """Qt's own sub-widgets (the line edit inside a combo box or date edit, scroll bars …)."""
    if w.objectName().startswith("qt_"):
        return True
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, (QComboBox, QAbstractSpinBox, QtWidgets.QCalendarWidget, QtWidgets.QScrollBar,
                          QLineEdit)):  # QLineEdit: its clear button
            return True
        if p.objectName() in ("causePopup",) or p.objectName().startswith("qt_"):
            return True
        p = p.parentWidget()
    return isinstance(w, QtWidgets.QScrollBar)


def test_every_interactive_widget_has_object_and_accessible_name(qtbot, db, users, paths):
    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    win.intake.parties.editors[0].add_agent()
    win.intake.parties.add_party(win.intake.parties.editors[0].role.__class__("third_party"))
    missing = []
    for w in win.findChildren(QWidget):
        if isinstance(w, INTERACTIVE) and not _internal(w):
            if not w.objectName() or not w.accessibleName():
                missing.append(f"{type(w).__name__} {w.objectName()!r} {w.accessibleName()!r}")
    assert missing == [], "\n".join(missing)
    # accessible names are Chinese labels that say whose field it is
    third = win.intake.parties.editors[-1]
    assert third.field("id_number").accessibleName() == "第三人1 身份证号"
    agent = win.intake.parties.editors[0].agents[0]
    assert agent.field("license_number").accessibleName() == "原告1的代理人1 执业证号"
    assert QApplication.instance() is not None


def test_pages_are_built_when_first_opened(qtbot, db, users, paths):
    """Start-up builds only the first page; the others appear, working, the first time they are chosen."""
    from baihe_desk.ui.filing.review import FilingReviewPage
    from baihe_desk.ui.statistics.page import StatisticsPage

    win = make_window(qtbot, db, users[Role.FILING_CLERK], paths)
    assert win._built(PAGE_CASES) is win.case_list
    assert all(win._built(name) is None for name in (PAGE_INTAKE, PAGE_FILING, PAGE_STATISTICS, PAGE_DOCUMENTS))
    assert not win.findChildren(FilingReviewPage)
    row = nav_names(win).index(PAGE_FILING)
    win.nav.setCurrentRow(row)  # the clerk clicks 立案审查 in the navigation
    page = win.stack.currentWidget()
    assert isinstance(page, FilingReviewPage) and win._built(PAGE_FILING) is page is win.filing
    assert win.stack.count() == win.nav.count()  # the placeholder was replaced, not added to
    win.show_page(PAGE_STATISTICS)
    assert isinstance(win.stack.currentWidget(), StatisticsPage)
    win.nav.setCurrentRow(row)
    assert win.stack.currentWidget() is page  # built once
    assert [nav_names(win)[i] for i in range(win.nav.count())] == list(win.pages)
