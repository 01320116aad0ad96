"""文书 — a case's generated documents: 生成告知书, 预览, 打印, 另存为, 用Word打开.

The table lists every generated file (version, format, time, author, template version, size and
whether the file on disk still matches its SHA-256). Generation runs in the background helper.
Printing renders the PDF's pages with QPdfDocument at 300 dpi and paints them on the printer, so
what is printed is exactly the PDF (fonts embedded), whatever the printer driver.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.common import documents
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.font_notice import notify_font_once
from baihe_desk.ui.common.layout import STRETCH, dialog_buttons, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import QDialog, QMessageBox, Qt, QTableView, QWidget
from baihe_desk.ui.common.widgets import button, message_box, named, show_known_error, text_label

KIND = "mediation-notice"
PRINT_DPI = 300
STATUS_LABELS = {"ok": "完好", "missing": "文件缺失", "changed": "文件已被改动"}


@dataclass(frozen=True)
class DocumentRow:
    id: uuid.UUID
    kind: str
    title: str
    version: int
    format: str
    created_at: datetime
    author: str
    template_version: str
    size: int
    path: Path
    status: str


class DocumentsModel(RowsModel):
    HEADERS = ("文书", "版本", "格式", "生成时间", "生成人", "模板版本", "大小", "文件")
    TEXT_ROLES = (Qt.ItemDataRole.DisplayRole,)

    def cells(self, row: DocumentRow) -> tuple[str, ...]:
        return (row.title, f"第 {row.version} 版", row.format.upper(),
                row.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), row.author, row.template_version,
                f"{row.size / 1024:.0f} KB", STATUS_LABELS.get(row.status, row.status))

    def role_data(self, row: DocumentRow, column: int, role: int) -> Any:
        return str(row.path) if role == Qt.ItemDataRole.ToolTipRole else None


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Paint every page of the PDF on ``printer`` (rendered at 300 dpi); returns the pages printed."""
    doc = QPdfDocument()
    if doc.load(str(path)) != QPdfDocument.Error.None_:
        raise KnownError(f"无法打开要打印的文件：{path}")
    painter = QPainter()
    if not painter.begin(printer):
        raise KnownError("无法开始打印：请检查打印机是否连接、是否有纸，或在打印对话框中选择其他打印机。")
    try:
        for page in range(doc.pageCount()):
            if page and not printer.newPage():
                raise KnownError("打印机拒绝了下一页，打印已中断。")
            points = doc.pagePointSize(page)
            image = doc.render(page, QSize(round(points.width() * PRINT_DPI / 72),
                                           round(points.height() * PRINT_DPI / 72)))
            painter.drawImage(painter.viewport(), image)
        return doc.pageCount()
    finally:
        painter.end()
        doc.close()


def a4_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)  # the PDF page carries its own court margins
    return printer


class PdfPreviewDialog(QDialog):
    """A PDF in a QPdfView (all pages, fit to width)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(f"预览 — {title}")
        self.resize(820, 1000)
        self.document = QPdfDocument(self)
        if self.document.load(str(path)) != QPdfDocument.Error.None_:
            raise KnownError(f"无法打开文件：{path}")
        self.view = named(QPdfView(self), "pdfView", "文书预览")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons, _none, _close = dialog_buttons(self, None, ("关闭", "previewClose", "关闭预览"))
        vbox(self.view, buttons, parent=self)

    def done(self, result: int) -> None:
        self.document.close()  # release the file (Windows keeps open files locked)
        super().done(result)


def open_pdf_preview(parent: QWidget, path: Path, title: str, *, show: Callable[[QDialog], Any] | None = None,
                     on_error: Callable[[KnownError], Any] | None = None) -> PdfPreviewDialog | None:
    """Show the PDF in a :class:`PdfPreviewDialog` (deleted when closed) with ``show`` (default ``open()``);
    a file that cannot be opened gives a calm message (``on_error``, default a message box) instead."""
    try:
        dialog = PdfPreviewDialog(path, title, parent)
    except KnownError as exc:
        (on_error or (lambda e: show_known_error(parent, e)))(exc)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    (show or QDialog.open)(dialog)
    return dialog


class DocumentsPanel(QWidget):
    """The 文书 tab of a case. ``set_case(case_id)`` loads its documents."""

    def __init__(self, db: Database, paths: Paths, actor: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.db, self.paths, self.actor = db, paths, actor
        self.case_id: uuid.UUID | None = None
        # seams for tests and automation: how dialogs are shown, files chosen and URLs opened
        self.exec_dialog = lambda dialog: dialog.exec()
        self.choose_save_path = lambda suggested: QFileDialog.getSaveFileName(
            self, "另存为", str(suggested), "PDF 文件 (*.pdf);;Word 文档 (*.docx);;所有文件 (*)")[0]
        self.open_url = QDesktopServices.openUrl

        self.model = DocumentsModel(self)
        self.table = QTableView(self)
        named(self.table.horizontalHeader(), "documentsTableHeader", "列标题")
        named(self.table.verticalHeader(), "documentsTableRows", "行号")
        rows_table(self.model, "documentsTable", "已生成的文书", view=self.table, stretch_last=False)
        self.table.setCornerButtonEnabled(False)
        self.table.doubleClicked.connect(lambda _i: self.preview_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.generate_button = button("生成告知书", "generateNotice", "生成诉前调解告知书", self.generate,
                                      tip="按当前模板生成诉前调解告知书（PDF 和 Word 各一份，新版本不覆盖旧版本）")
        self.preview_button = button("预览", "previewDocument", "预览所选文书", self.preview_selected)
        self.print_button = button("打印", "printDocument", "打印所选文书", self.print_selected)
        self.save_as_button = button("另存为", "saveDocumentAs", "将所选文书另存为", self.save_selected_as)
        self.word_button = button("用Word打开", "openInWord", "用Word打开所选文书", self.open_selected_in_word)
        self.status = text_label(name="documentsStatus", wrap=False)
        vbox(hbox(self.generate_button, self.preview_button, self.print_button, self.save_as_button, self.word_button,
                  STRETCH), self.table, self.status, parent=self)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------------
    def set_case(self, case_id: uuid.UUID | None) -> None:
        self.case_id = case_id
        self.refresh()

    def refresh(self) -> None:
        rows: list[DocumentRow] = []
        if self.case_id is not None:
            with self.db.session() as s:
                names = {uid: name for uid, name in s.execute(select(User.id, User.display_name))}
                for r in documents.list_documents(s, self.case_id):
                    rows.append(DocumentRow(r.id, r.kind, r.title, r.version, r.format, r.created_at,
                                            names.get(r.created_by_id, ""), r.template_version, r.size,
                                            documents.document_path(self.paths, r), documents.file_status(self.paths, r)))
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> DocumentRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.rows[indexes[0].row()] if indexes else None

    def _sibling(self, row: DocumentRow, fmt: str) -> DocumentRow | None:
        """The file of the same document version in another format (the PDF of a DOCX row …)."""
        if row.format == fmt:
            return row
        return next((r for r in self.model.rows if r.kind == row.kind and r.version == row.version
                     and r.format == fmt), None)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.generate_button.setEnabled(self.case_id is not None)
        has_pdf = row is not None and self._sibling(row, "pdf") is not None
        self.preview_button.setEnabled(has_pdf)
        self.print_button.setEnabled(has_pdf)
        self.save_as_button.setEnabled(row is not None)
        self.word_button.setEnabled(row is not None and self._sibling(row, "docx") is not None)

    # -- actions ----------------------------------------------------------------------------------
    def generate(self) -> None:
        if self.case_id is None:
            return
        case_id, paths, actor = self.case_id, self.paths, self.actor
        self.generate_button.setEnabled(False)
        self.status.setText("正在生成…")

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            records = documents.generate(session, actor, KIND, case_id, paths=paths)
            return records[0].version, next((r.font_note for r in records if r.font_note), "")

        def done(result) -> None:  # type: ignore[no-untyped-def]
            version, font_note = result
            self.status.setText(f"已生成第 {version} 版（PDF 和 Word）。" + (f"{font_note}" if font_note else ""))
            self.refresh()
            notify_font_once(self, font_note)

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            if isinstance(exc, KnownError):
                show_known_error(self, exc)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=failed,
                          on_finally=self._update_buttons, progress="正在生成诉前调解告知书…")

    def _existing(self, row: DocumentRow | None, fmt: str) -> DocumentRow | None:
        target = self._sibling(row, fmt) if row else None
        if target is None:
            return None
        if not target.path.exists():
            message_box(self, "文件缺失", f"找不到文件：{target.path}\n可以重新生成一份。")
            return None
        return target

    def preview_selected(self) -> PdfPreviewDialog | None:
        target = self._existing(self.selected(), "pdf")
        if target is None:
            return None
        return open_pdf_preview(self, target.path, f"{target.title} 第 {target.version} 版", show=self.exec_dialog)

    def print_selected(self, printer: QPrinter | None = None) -> int:
        target = self._existing(self.selected(), "pdf")
        if target is None:
            return 0
        printer = printer or a4_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return 0
        try:
            pages = print_pdf(target.path, printer)
        except KnownError as exc:
            show_known_error(self, exc)
            return 0
        self.status.setText(f"已发送打印：{target.title} 第 {target.version} 版，共 {pages} 页。")
        return pages

    def save_selected_as(self) -> Path | None:
        row = self.selected()
        target = self._existing(row, row.format) if row else None
        if target is None:
            return None
        chosen = self.choose_save_path(Path.home() / target.path.name)
        if not chosen:
            return None
        dest = Path(chosen)
        if dest.suffix.lower() != f".{target.format}":
            dest = dest.with_name(dest.name + f".{target.format}")
        try:
            shutil.copyfile(target.path, dest)
        except OSError as exc:
            message_box(self, "无法保存", f"无法保存到 {dest}：{exc.strerror or exc}", icon=QMessageBox.Icon.Warning)
            return None
        self.status.setText(f"已另存为：{dest}")
        return dest

    def open_selected_in_word(self) -> bool:
        target = self._existing(self.selected(), "docx")
        if target is None:
            return False
        if not self.open_url(QUrl.fromLocalFile(str(target.path))):
            message_box(self, "无法打开", "没有找到可以打开 Word 文档的程序（Word、WPS 等）。")
            return False
        return True
