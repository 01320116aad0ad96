"""pytest-qt tests of the 文书 panel and the template editor (offscreen); Chinese text is inserted with
insertPlainText, never typed with keyClicks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.models import GeneratedDocument
from baihe_desk.models.template import WordingTemplate
from tests.documents.docs_helpers import compact, pdf_text

pytest.importorskip("PySide6.QtPdfWidgets")


@pytest.fixture(autouse=True)
def _background_settles(qapp):
    from baihe_desk.ui.common import background

    yield
    assert background.wait_all(30_000), "background operations still running after the test"


@pytest.fixture
def panel(qtbot, ddb, dpaths, clerk, case_id):
    from baihe_desk.ui.cases.documents_panel import DocumentsPanel

    widget = DocumentsPanel(ddb, dpaths, clerk)
    qtbot.addWidget(widget)
    widget.set_case(case_id)
    return widget


def _generate(qtbot, panel, rows: int) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == rows, timeout=30_000)


def test_every_interactive_widget_is_named(panel):
    from PySide6.QtWidgets import QAbstractButton, QTableView

    for widget in panel.findChildren(QAbstractButton) + panel.findChildren(QTableView):
        if not widget.objectName().startswith("qt_"):  # Qt's own parts (the table's corner button)
            assert widget.objectName() and widget.accessibleName(), widget


def test_generate_lists_records_and_a_second_generation_adds_a_version(qtbot, panel, ddb):
    assert panel.model.rowCount() == 0 and not panel.preview_button.isEnabled()
    _generate(qtbot, panel, 2)
    _generate(qtbot, panel, 4)
    with ddb.session() as s:
        versions = sorted((r.version, r.format) for r in s.scalars(select(GeneratedDocument)))
    assert versions == [(1, "docx"), (1, "pdf"), (2, "docx"), (2, "pdf")]
    assert {r.status for r in panel.model.rows} == {"ok"}
    assert panel.model.data(panel.model.index(0, 1)) == "第 2 版"
    assert panel.preview_button.isEnabled() and panel.word_button.isEnabled()


def test_preview_print_save_as_and_open_in_word(qtbot, panel, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    _generate(qtbot, panel, 2)
    shown = []

    def exec_dialog(dialog):
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    panel.exec_dialog = exec_dialog
    dialog = panel.preview_selected()
    assert dialog is not None and dialog.view.document().pageCount() >= 2
    dialog.close()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = panel.print_selected(printer)
    assert pages == dialog.document.pageCount() and out.exists()
    from pypdf import PdfReader

    assert len(PdfReader(str(out)).pages) == pages

    panel.choose_save_path = lambda suggested, fmt: str(tmp_path / "副本")
    saved = panel.save_selected_as()
    assert saved is not None and saved.exists() and saved.suffix in (".pdf", ".docx")

    opened = []
    panel.open_url = lambda url: opened.append(url.toLocalFile()) or True
    assert panel.open_selected_in_word()
    assert opened and opened[0].endswith(".docx")


def test_missing_file_is_reported_not_crashed(qtbot, panel):
    _generate(qtbot, panel, 2)
    for row in panel.model.rows:
        row.path.unlink()
    panel.refresh()
    assert {r.status for r in panel.model.rows} == {"missing"}
    assert panel.preview_selected() is None


@pytest.fixture
def editor(qtbot, ddb, dpaths, admin):
    from baihe_desk.ui.admin.template_editor import TemplateEditorDialog

    dialog = TemplateEditorDialog(ddb, dpaths, admin, kind="mediation-notice")
    qtbot.addWidget(dialog)
    return dialog


def test_editor_widgets_are_named(editor):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget, QPlainTextEdit

    kinds = (QAbstractButton, QComboBox, QLineEdit, QListWidget, QPlainTextEdit)
    for widget in [w for k in kinds for w in editor.findChildren(k)]:
        if widget.isVisibleTo(editor) and not widget.objectName().startswith("qt_"):
            assert widget.objectName() and widget.accessibleName(), widget


def test_edit_preview_save_and_roll_back(qtbot, editor, ddb):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    assert editor.version_list.count() == 1 and "诉前调解告知书" in editor.editor.toPlainText()
    text = editor.editor.toPlainText()
    start = text.index("特此告知。") + len("特此告知")
    cursor = editor.editor.textCursor()
    cursor.setPosition(start)
    editor.editor.setTextCursor(cursor)
    editor.editor.insertPlainText("，请予配合")
    assert "特此告知，请予配合。" in editor.editor.toPlainText()

    qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.pdf_document.pageCount() > 0, timeout=30_000)
    assert "预览" in editor.message.text()

    editor.note_edit.insert("加一句")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "已保存为第 2 版" in editor.message.text()
    with ddb.session() as s:
        row = s.scalars(select(WordingTemplate)).one()
        assert row.version == 2 and "请予配合" in row.body and row.note == "加一句"
    assert editor.version_list.count() == 2

    item = editor.version_list.item(1)  # the shipped version, chosen with the mouse
    qtbot.mouseClick(editor.version_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.version_list.visualItemRect(item).center())
    assert editor.version_list.currentRow() == 1
    assert "请予配合" not in editor.editor.toPlainText() and editor.rollback_button.isEnabled()
    qtbot.mouseClick(editor.rollback_button, Qt.MouseButton.LeftButton)
    assert "已回退：第 1 版的文字保存为第 3 版" in editor.message.text()
    with ddb.session() as s:
        assert max(r.version for r in s.scalars(select(WordingTemplate))) == 3
    assert editor.version_list.count() == 3 and "请予配合" not in editor.editor.toPlainText()
    editor.editor.moveCursor(QTextCursor.MoveOperation.End)


def test_bad_template_shows_the_reason_and_saves_nothing(qtbot, editor, ddb):
    from PySide6.QtCore import Qt

    editor.editor.setPlainText(editor.editor.toPlainText().replace("{{ court_name }}", "{{ 法院 }}"))
    qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "占位符" in editor.message.text(), timeout=30_000)
    editor.message.clear()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "占位符" in editor.message.text()
    with ddb.session() as s:
        assert s.scalars(select(WordingTemplate)).all() == []


def test_preview_shows_sample_data(qtbot, editor, tmp_path):
    from PySide6.QtCore import Qt

    qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.pdf_document.pageCount() > 0, timeout=30_000)
    previews = sorted(editor._tmp.glob("preview-*.pdf"))
    assert previews and "王堃" in compact(pdf_text(previews[-1].read_bytes()))
    folder = editor._tmp
    editor.reject()  # 关闭: the previews go with the dialog
    assert folder is not None and not folder.exists()


def test_an_editor_only_looked_at_leaves_no_folder_behind(qtbot, ddb, dpaths, admin, tmp_path, monkeypatch):
    import tempfile

    from baihe_desk.ui.admin.template_editor import TemplateEditorDialog

    scratch = tmp_path / "temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    dialog = TemplateEditorDialog(ddb, dpaths, admin, kind="mediation-notice")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.hide()  # as when the desk goes away under it: done() never runs
    assert list(scratch.iterdir()) == []
