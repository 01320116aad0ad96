"""系统管理 › 导入导出 — a settings file to set up a second workstation the same way.

导出 writes the court profile, departments, settings and wording-template versions (never
passwords). 检查文件 shows what an import would change (or every problem in the file); 导入 checks
again and applies everything in one transaction, or nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import transfer
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import StatusLine, WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named

FILTER = "设置文件 (*.json);;所有文件 (*)"


def _plan_text(plan: transfer.ImportPlan) -> str:
    lines = [f"法院：{plan.profile.get('name', '')}（法院代字 {plan.profile.get('code', '')}）",
             f"部门 {len(plan.departments)} 个：{'、'.join(d['name'] for d in plan.departments)}",
             f"设置 {len(plan.settings)} 项，文书模板 {len(plan.templates)} 种。"]
    if plan.skipped:
        lines += ["", "以下内容不会导入："] + [f"· {s}" for s in plan.skipped]
    return "\n".join(lines)


class TransferTab(QWidget):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminTransferTab")
        self.db, self.paths, self.user = db, paths, user
        self.busy = False
        default = paths.root / f"白河设置-{date.today():%Y%m%d}.json"
        self.export_path = named(QLineEdit(str(default)), "exportPath", "导出文件")
        self.export_browse = named(QPushButton("选择…"), "exportBrowse", "选择导出文件")
        self.export_button = named(QPushButton("导出设置(&E)"), "exportSettings", "导出设置")
        self.import_path = named(QLineEdit(), "importPath", "导入文件")
        self.import_browse = named(QPushButton("选择…"), "importBrowse", "选择导入文件")
        self.check_button = named(QPushButton("检查文件"), "checkImport", "检查导入文件")
        self.import_button = named(QPushButton("导入设置(&I)"), "importSettings", "导入设置")
        self.report = named(QTextBrowser(), "importReport", "导入结果")
        self.status = StatusLine("transferStatus")

        exp = QGroupBox("导出（把本机的设置带到另一台电脑）")
        ev = QVBoxLayout(exp)
        note = WrapLabel("导出法院信息、部门（含庭长、分管院长的用户名）、各项设置和文书模板版本。"
                      "不导出用户账号和密码：另一台电脑上的账号请在“部门与人员”中单独创建。")
        ev.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(buddy_label("文件(&F)：", self.export_path))
        row.addWidget(self.export_path, 1)
        row.addWidget(self.export_browse)
        row.addWidget(self.export_button)
        ev.addLayout(row)
        imp = QGroupBox("导入（按另一台电脑导出的文件设置本机）")
        iv = QVBoxLayout(imp)
        note = WrapLabel("先“检查文件”：文件中的每一项都会先校验，有任何问题都不会改动本机。"
                      "导入在一次操作中完成，每项改动都记入审计日志。")
        iv.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(buddy_label("文件(&L)：", self.import_path))
        row.addWidget(self.import_path, 1)
        row.addWidget(self.import_browse)
        row.addWidget(self.check_button)
        row.addWidget(self.import_button)
        iv.addLayout(row)
        iv.addWidget(self.report, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(exp)
        layout.addWidget(imp, 1)
        layout.addWidget(self.status)

        self.export_browse.clicked.connect(self._browse_export)
        self.import_browse.clicked.connect(self._browse_import)
        self.export_button.clicked.connect(self.export)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.import_)

    def _browse_export(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出设置", self.export_path.text(), FILTER)
        if path:
            self.export_path.setText(path)

    def _browse_import(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "导入设置", str(self.paths.root), FILTER)
        if path:
            self.import_path.setText(path)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for b in (self.export_button, self.check_button, self.import_button):
            b.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self.status.error(str(exc))
        if isinstance(exc, KnownError):
            self.report.setPlainText(exc.message.replace("；", "\n"))

    def _path(self, edit: QLineEdit) -> Path | None:
        text = edit.text().strip()
        if not text:
            self.status.error("请先填写或选择文件。")
            return None
        return Path(text)

    def export(self) -> None:
        path = self._path(self.export_path)
        if path is None:
            return
        user = self.user
        self._set_busy(True)
        run_in_background(lambda s, _ctx: transfer.export_file(s, user, path), parent=self, db=self.db, write=True,
                          on_success=lambda p: self.status.ok(f"已导出到 {p}。"), on_failure=self._failed,
                          on_finally=lambda: self._set_busy(False), progress="正在导出设置…")

    def check(self) -> None:
        path = self._path(self.import_path)
        if path is None:
            return
        self._set_busy(True)

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return transfer.plan_import(session, transfer.read_file(path))

        def shown(plan: transfer.ImportPlan) -> None:
            self.report.setPlainText(_plan_text(plan))
            self.status.ok("文件检查通过，可以导入。")

        run_in_background(work, parent=self, db=self.db, on_success=shown, on_failure=self._failed,
                          on_finally=lambda: self._set_busy(False), progress="正在检查文件…")

    def import_(self) -> None:
        path = self._path(self.import_path)
        if path is None:
            return
        user = self.user
        self._set_busy(True)

        def done(report: transfer.ImportReport) -> None:
            self.report.setPlainText(report.text())
            self.status.ok("导入完成。其他页面重新打开后使用新设置。")

        run_in_background(lambda s, _ctx: transfer.import_file(s, user, path), parent=self, db=self.db,
                          write=True, on_success=done, on_failure=self._failed,
                          on_finally=lambda: self._set_busy(False), progress="正在导入设置…")
