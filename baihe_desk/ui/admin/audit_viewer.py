"""审计记录 — the administrator's audit viewer (系统管理 › 审计记录) and a case's own history (案件详情 ›
本案审计记录, for the case's judge and team). Thin: the filter goes to ``services.admin.audit_log``,
which checks the permission, audits the viewing and writes the exports."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import audit_log
from baihe_desk.services.admin.audit_page import AuditFilter, AuditPage
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.date_input import DateInput
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import QComboBox, QDialog, QLabel, QLineEdit, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import button, named, show_known_error

FILTERS = {"pdf": "PDF 文件 (*.pdf)", "xlsx": "Excel 工作簿 (*.xlsx)"}


def _editable(name: str, accessible: str, items: list[str]) -> QComboBox:
    box = named(QComboBox(), name, accessible)
    box.setEditable(True)
    box.addItems(["", *items])
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    named(box.lineEdit(), f"{name}Text", accessible)  # the typed text is what a screen reader reads
    return box


class AuditViewer(QWidget):
    """``AuditViewer(db, paths, user)``: the whole trail (管理员); with ``case_id``: that case's history."""

    def __init__(self, db: Database, paths: Paths, user: User, *, case_id: uuid.UUID | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("auditViewer")
        self.db, self.paths, self.user, self.case_id = db, paths, user, case_id
        self.page: AuditPage | None = None
        self.exported: list[Path] = []
        self.choose_save_path = self._ask_save_path  # replaced in tests
        self.case = named(QLineEdit(), "auditCase", "案号、收件号或案件编号")
        self.case.setPlaceholderText("案号、收件号或案件编号（留空：全部案件）")
        users: list[str] = []
        actions: list[str] = []
        if case_id is None:
            try:
                with db.session() as s:
                    users, actions = audit_log.known_usernames(s, user), audit_log.known_actions(s, user)
            except KnownError:
                pass  # a refusal shows when the user searches
        self.username = _editable("auditUser", "用户名", users)
        self.action = _editable("auditAction", "操作（以“.”结尾为一类，如 case.）", actions)
        self.date_from = named(DateInput(optional=True), "auditFrom", "开始日期")
        self.date_to = named(DateInput(optional=True), "auditTo", "结束日期")
        self.search_button = button("查询(&Q)", "auditSearch", slot=self.search)
        self.clear_button = button("清除条件", "auditClear", slot=self.clear)
        self.pdf_button = button("导出 PDF", "auditExportPdf", slot=lambda: self.export("pdf"))
        self.xlsx_button = button("导出 Excel", "auditExportXlsx", slot=lambda: self.export("xlsx"))
        self.model = RowsModel(self, tooltips=True, columns=[
            ("序号", lambda r: r.seq), ("时间", lambda r: r.at_text), ("用户", lambda r: r.username),
            ("类别", lambda r: r.label), ("操作", lambda r: r.action), ("对象", lambda r: r.entity),
            ("对象编号", lambda r: r.entity_id), ("内容（已脱敏）", lambda r: r.detail)])
        self.table = rows_table(self.model, "auditTable", "审计记录列表", tab_keys=False, alternating=True,
                                wrap=False)
        self.status = named(QLabel(""), "auditStatus", "查询结果")
        self.status.setWordWrap(True)
        rows: list[Any] = []
        if case_id is None:
            rows.append(("案件", self.case))
        rows += [("用户", self.username), ("操作", self.action),
                 ("日期", hbox(self.date_from, QLabel("至"), self.date_to, STRETCH))]
        vbox(form(*rows), hbox(self.search_button, self.clear_button, STRETCH, self.pdf_button, self.xlsx_button),
             (self.table, 1), self.status, parent=self)
        for w in (self.case, self.username.lineEdit(), self.action.lineEdit()):
            w.returnPressed.connect(self.search)
        self.search()

    # -- the filter ---------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        self.date_from.commit()
        self.date_to.commit()
        return AuditFilter(case=self.case.text().strip() if self.case_id is None else "",
                           username=self.username.currentText().strip(), action=self.action.currentText().strip(),
                           date_from=self.date_from.value(), date_to=self.date_to.value())

    def clear(self) -> None:
        self.case.clear()
        self.username.setCurrentIndex(0)
        self.username.setEditText("")
        self.action.setCurrentIndex(0)
        self.action.setEditText("")
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self.search()

    def search(self) -> None:
        flt = self.current_filter()
        try:
            with self.db.transaction() as s:  # the viewing is audited
                if self.case_id is not None:
                    page = audit_log.case_history(s, self.user, self.case_id, flt=flt)
                else:
                    page = audit_log.search(s, self.user, flt)
        except KnownError as exc:
            self.page = None
            self.model.set_rows([])
            self.status.setText(exc.message)
            return
        self.page = page
        self.model.set_rows(page.rows)
        shown = f"（显示最新的 {len(page.rows)} 条；导出包含全部，最多 {audit_log.EXPORT_MAX} 条）" \
            if page.total > len(page.rows) else ""
        about = f"案件 {page.case_label}：" if page.case_label else ""
        self.status.setText(f"{about}共 {page.total} 条记录{shown}。")

    # -- export -------------------------------------------------------------------------------------
    def _ask_save_path(self, suggested: Path, fmt: str) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出审计记录", str(suggested), FILTERS[fmt])
        return path

    def export(self, fmt: str) -> None:
        """Ask where, then render and write in the background (a large trail takes seconds); audited."""
        from baihe_desk.ui.common.background import run_in_background
        from baihe_desk.ui.common.files import safe_file_name

        flt = self.current_filter()
        label = (self.page.case_label if self.page else "") or "全部"
        chosen = self.choose_save_path(Path.home() / safe_file_name(f"审计记录-{label}.{fmt}"), fmt)
        if not chosen:
            return
        user, paths, case_id = self.user, self.paths, self.case_id
        self._busy(True)
        self.status.setText("正在导出…")
        run_in_background(lambda s, _ctx: audit_log.export(s, user, flt, Path(chosen), fmt, paths=paths,
                                                           case_id=case_id),
                          parent=self, db=self.db, write=True, on_success=self._exported,
                          on_failure=self._export_failed, on_finally=lambda: self._busy(False),
                          progress="正在导出审计记录…")

    def _busy(self, on: bool) -> None:
        for b in (self.pdf_button, self.xlsx_button, self.search_button):
            b.setEnabled(not on)

    def _exported(self, out: Path) -> None:
        self.exported.append(out)
        self.status.setText(f"已导出到 {out}")

    def _export_failed(self, exc: BaseException) -> None:
        self.status.setText("导出未完成。")
        if isinstance(exc, KnownError):
            show_known_error(self, exc)


class CaseHistoryDialog(QDialog):
    """本案审计记录 — opened from a case's detail window."""

    def __init__(self, db: Database, paths: Paths, user: User, case_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseHistoryDialog")
        self.setWindowTitle("本案审计记录")
        self.viewer = AuditViewer(db, paths, user, case_id=case_id, parent=self)
        close = button("关闭", "caseHistoryClose", slot=self.close)
        vbox((self.viewer, 1), hbox(STRETCH, close), parent=self)
        self.resize(1100, 640)
