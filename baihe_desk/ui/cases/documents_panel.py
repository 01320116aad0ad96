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
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, User
from baihe_desk.services.common import documents
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.files import REMEMBERED, export_name, exported_box, save_filter
from baihe_desk.ui.common.font_notice import notify_font_once
from baihe_desk.ui.common.law_panel import pdf_citations_label
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
    """A PDF in a QPdfView (all pages, fit to width) with 打印 and 另存为; it fits the screen and opens
    at the size it was last left at (``files.REMEMBERED``; the main window keeps it between runs)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None, *, save_name: str = ""):
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(f"预览 — {title}")
        self.path, self.save_name = path, save_name or path.name
        self.document = QPdfDocument(self)
        if self.document.load(str(path)) != QPdfDocument.Error.None_:
            raise KnownError(f"无法打开文件：{path}")
        self.view = named(QPdfView(self), "pdfView", "文书预览")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # seams for tests: the print dialog and the save-as question
        self.exec_dialog: Callable[[QDialog], Any] = lambda dialog: dialog.exec()
        self.choose_save_path = lambda suggested: QFileDialog.getSaveFileName(
            self, "另存为", str(suggested), save_filter("pdf"))[0]
        self.print_button = button("打印(&P)…", "previewPrint", "打印此文书", self.print_document)
        self.save_button = button("另存为(&S)…", "previewSave", "将此文书另存为", self.save_as)
        buttons, _none, _close = dialog_buttons(self, None, ("关闭", "previewClose", "关闭预览"))
        self.citations = pdf_citations_label(self.document)  # the articles it cites, links to the law panel
        vbox(self.citations, self.view, hbox(self.print_button, self.save_button, STRETCH, buttons), parent=self)
        self.resize(self.fitting_size())

    def fitting_size(self) -> QSize:
        """The size last used (else 820×1000), never larger than the screen's free area."""
        wanted = QSize(*(REMEMBERED.get("preview") or (820, 1000)))
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
        if free is None:
            return wanted
        return QSize(min(wanted.width(), free.width() - 40), min(wanted.height(), free.height() - 60))

    def print_document(self) -> int:
        printer = a4_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return 0
        try:
            return print_pdf(self.path, printer)
        except KnownError as exc:
            show_known_error(self, exc)
            return 0

    def save_as(self) -> Path | None:
        dest = copy_as(self, self.path, self.choose_save_path(Path.home() / self.save_name), "pdf")
        if dest is not None:
            exported_box(self, "已另存", f"已另存为：{dest}", [dest])
        return dest

    def done(self, result: int) -> None:
        REMEMBERED["preview"] = (self.width(), self.height())
        self.document.close()  # release the file (Windows keeps open files locked)
        super().done(result)


def copy_as(owner: QWidget, source: Path, chosen: str, fmt: str) -> Path | None:
    """Copy ``source`` to the path the clerk chose (its format's extension added if missing)."""
    if not chosen:
        return None
    dest = Path(chosen)
    if dest.suffix.lower() != f".{fmt}":
        dest = dest.with_name(dest.name + f".{fmt}")
    try:
        shutil.copyfile(source, dest)
    except OSError as exc:
        message_box(owner, "无法保存", f"无法保存到 {dest}：{exc.strerror or exc}", icon=QMessageBox.Icon.Warning)
        return None
    return dest


def open_pdf_preview(parent: QWidget, path: Path, title: str, *, show: Callable[[QDialog], Any] | None = None,
                     on_error: Callable[[KnownError], Any] | None = None, save_name: str = "") -> PdfPreviewDialog | None:
    """Show the PDF in a :class:`PdfPreviewDialog` (deleted when closed) with ``show`` (default ``open()``);
    a file that cannot be opened gives a calm message (``on_error``, default a message box) instead."""
    try:
        dialog = PdfPreviewDialog(path, title, parent, save_name=save_name)
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
        self.choose_save_path = lambda suggested, fmt: QFileDialog.getSaveFileName(
            self, "另存为", str(suggested), save_filter(fmt))[0]
        self.case_number = ""  # 案号, else 收件号, of the case shown (named in the header and in file names)
        self.last_export: QMessageBox | None = None
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
        self.header = text_label("尚未选择案件：请在“案件列表”中选中一件案件，这里列出它的文书。", "documentsCase",
                                 selectable=True, style="font-weight: bold;")
        vbox(self.header, hbox(self.generate_button, self.preview_button, self.print_button, self.save_as_button, self.word_button,
                  STRETCH), self.table, self.status, parent=self)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------------
    def set_case(self, case_id: uuid.UUID | None) -> None:
        if case_id != self.case_id:
            self.status.clear()  # a message about the previous case's documents
        self.case_id = case_id
        self.refresh()

    def refresh(self) -> None:
        rows: list[DocumentRow] = []
        self.case_number = ""
        self.header.setText("尚未选择案件：请在“案件列表”中选中一件案件，这里列出它的文书。")
        if self.case_id is not None:
            with self.db.session() as s:
                case = s.get(Case, self.case_id)
                if case is not None:
                    self.case_number = case.case_number or case.receipt_number
                    parties = "、".join(p.name for p in case.parties[:3]) + ("等" if len(case.parties) > 3 else "")
                    self.header.setText(f"当前案件：{self.case_number}　{case.cause_name}　{parties}")
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
        return open_pdf_preview(self, target.path, f"{target.title} 第 {target.version} 版", show=self.exec_dialog,
                                save_name=export_name(self.case_number, target.title, "pdf"))

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
        suggested = Path.home() / export_name(self.case_number, target.title, target.format)
        dest = copy_as(self, target.path, self.choose_save_path(suggested, target.format), target.format)
        if dest is None:
            return None
        self.status.setText(f"已另存为：{dest}")
        self.last_export = exported_box(self, "已另存", f"{target.title}（第 {target.version} 版）已另存为：\n{dest}",
                                        [dest], opener=lambda p: self.open_url(QUrl.fromLocalFile(str(p))))
        return dest

    def open_selected_in_word(self) -> bool:
        target = self._existing(self.selected(), "docx")
        if target is None:
            return False
        if not self.open_url(QUrl.fromLocalFile(str(target.path))):
            message_box(self, "无法打开", "没有找到可以打开 Word 文档的程序（Word、WPS 等）。")
            return False
        return True
