"""文书模板 — the administrator's editor for wording templates.

Pick a document, edit its template text, 预览 (the template rendered with sample data into a
temporary PDF, shown beside the text), 保存为新版本, or pick an older version and 回退 to it (its
text is saved again as the newest version). Errors in the template (an unknown or missing
placeholder, a TOML mistake) are shown under the editor; nothing is saved until the template loads.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from baihe_desk.config import Paths
from baihe_desk.documents.wording import TemplateVersion
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.common import documents
from baihe_desk.services.common.document_kinds import KINDS
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, hbox, pane, splitter, vbox
from baihe_desk.ui.common.qt import (
    QDialog,
    QFont,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    Qt,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named, text_label

HELP = ("{{ 占位符 }} 处填入案件信息；空一行另起一段；type 为 body（正文）、heading1（一、）、heading2（（一））、"
        "table（表格）等。先「预览」核对，再「保存为新版本」。")


class TemplateEditorDialog(QDialog):
    def __init__(self, db: Database, paths: Paths, actor: User, parent: QWidget | None = None,
                 kind: str | None = None):
        super().__init__(parent)
        self.setObjectName("templateEditorDialog")
        self.setWindowTitle("文书模板")
        self.resize(1400, 900)
        self.db, self.paths, self.actor = db, paths, actor
        self.versions: list[TemplateVersion] = []
        self._tmp: Path | None = None  # made at the first preview: a dialog only looked at leaves nothing behind
        self._preview_count = 0

        self.kind_combo = combo("templateKind", "文书种类", [(doc_kind.title, name) for name, doc_kind in KINDS.items()])
        self.version_list = named(QListWidget(), "templateVersions", "模板版本")
        self.editor = named(QPlainTextEdit(), "templateText", "模板文字")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFont("Monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.editor.setFont(mono)
        self.note_edit = named(QLineEdit(), "templateNote", "修改说明")
        self.note_edit.setPlaceholderText("例如：更新联系电话的写法")
        self.preview_button = button("预览", "previewTemplate", "用示例数据预览模板", self.preview)
        self.save_button = button("保存为新版本", "saveTemplate", "保存为新版本", self.save)
        self.rollback_button = button("回退到所选版本", "rollbackTemplate", "回退到所选版本", self.rollback)
        self.close_button = button("关闭", "closeTemplateEditor", "关闭", self.reject)
        self.message = text_label(name="templateMessage", selectable=True)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = named(QPdfView(), "templatePreview", "模板预览")
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        left = pane(hbox(buddy_label("文书(&K)：", self.kind_combo), (self.kind_combo, 1)),
                    buddy_label("版本(&V)：", self.version_list), (self.version_list, 1),
                    buddy_label("模板文字(&T)：", self.editor), (self.editor, 4), text_label(HELP),
                    hbox(buddy_label("修改说明(&N)：", self.note_edit), (self.note_edit, 1)), self.message,
                    hbox(self.preview_button, self.save_button, self.rollback_button, STRETCH, self.close_button),
                    margins=None)
        vbox(splitter("templateSplitter", left, self.pdf_view, sizes=(700, 700), parent=self), parent=self)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self.load_kind(self.kind_combo.currentData()))
        self.version_list.currentRowChanged.connect(self._show_version)
        if kind:
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))
        self.load_kind(self.kind_combo.currentData())

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # -- versions ---------------------------------------------------------------------------------
    def load_kind(self, kind: str) -> None:
        with self.db.session() as s:
            self.versions = documents.template_versions(s, kind)
        self.version_list.blockSignals(True)
        self.version_list.clear()
        for i, v in enumerate(self.versions):
            label = v.label + ("（当前使用）" if i == 0 else "") + (f" — {v.note}" if v.note else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, v.version)
            self.version_list.addItem(item)
        self.version_list.blockSignals(False)
        self.version_list.setCurrentRow(0)
        self._show_version(0)

    def _show_version(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            self.editor.setPlainText(self.versions[row].body)
            self.rollback_button.setEnabled(row > 0)
            self._say("" if row == 0 else f"正在查看第 {self.versions[row].version} 版。"
                      "可直接「回退到所选版本」，或修改后「保存为新版本」。")

    def selected_version(self) -> TemplateVersion | None:
        row = self.version_list.currentRow()
        return self.versions[row] if 0 <= row < len(self.versions) else None

    # -- actions ----------------------------------------------------------------------------------
    def preview(self) -> None:
        kind, body, paths = self.kind, self.editor.toPlainText(), self.paths
        self.preview_button.setEnabled(False)
        self._say("正在生成预览…")

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return documents.preview_template(session, kind, body, paths=paths)

        def show(pdf: bytes) -> None:
            self._preview_count += 1
            if self._tmp is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="baihe-preview-"))
            path = self._tmp / f"preview-{self._preview_count}.pdf"
            path.write_bytes(pdf)
            self.pdf_document.close()
            self.pdf_document.load(str(path))
            self._say(f"预览（示例数据）共 {self.pdf_document.pageCount()} 页。")

        def failed(exc: BaseException) -> None:
            self._say(str(exc), error=True)

        run_in_background(work, parent=self, db=self.db, on_success=show, on_failure=failed,
                          on_finally=lambda: self.preview_button.setEnabled(True), progress="正在生成预览…")

    def save(self) -> int | None:
        try:
            with self.db.transaction() as s:
                row = documents.save_template(s, self.actor, self.kind, self.editor.toPlainText(),
                                              self.note_edit.text())
                version = row.version
        except KnownError as exc:
            self._say(str(exc), error=True)
            return None
        self.note_edit.clear()
        self.load_kind(self.kind)
        self._say(f"已保存为第 {version} 版，此后生成的文书使用该版本。")
        return version

    def rollback(self) -> int | None:
        chosen = self.selected_version()
        if chosen is None or chosen is self.versions[0]:
            return None
        try:
            with self.db.transaction() as s:
                version = documents.rollback_template(s, self.actor, self.kind, chosen.version).version
        except KnownError as exc:
            self._say(str(exc), error=True)
            return None
        self.load_kind(self.kind)
        self._say(f"已回退：第 {chosen.version} 版的文字保存为第 {version} 版。")
        return version

    def done(self, result: int) -> None:
        self.pdf_document.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        super().done(result)
