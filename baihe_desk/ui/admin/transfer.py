"""系统管理 › 导入导出 — a settings file to set up a second workstation the same way.

导出 writes the court profile, departments, settings and wording-template versions (never
passwords). 检查文件 shows what an import would change (or every problem in the file); 导入 checks
again and applies everything in one transaction, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import transfer
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import AdminTab, WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.layout import group, hbox, vbox
from baihe_desk.ui.common.qt import QLineEdit, QTextBrowser, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import buddy_label, button, named

FILTER = "设置文件 (*.json);;所有文件 (*)"


def _plan_text(plan: transfer.ImportPlan) -> str:
    lines = [f"法院：{plan.profile.get('name', '')}（法院代字 {plan.profile.get('code', '')}）",
             f"部门 {len(plan.departments)} 个：{'、'.join(d['name'] for d in plan.departments)}",
             f"设置 {len(plan.settings)} 项，文书模板 {len(plan.templates)} 种。"]
    if plan.skipped:
        lines += ["", "以下内容不会导入："] + [f"· {s}" for s in plan.skipped]
    return "\n".join(lines)


class TransferTab(AdminTab):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminTransferTab", "transferStatus", parent)
        self.paths = paths
        self.busy = False
        default = paths.root / f"白河设置-{desk_today():%Y%m%d}.json"
        self.export_path = named(QLineEdit(str(default)), "exportPath", "导出文件")
        self.export_browse = button("选择…", "exportBrowse", "选择导出文件", self._browse_export)
        self.export_button = button("导出设置(&E)", "exportSettings", "导出设置", self.export)
        self.import_path = named(QLineEdit(), "importPath", "导入文件")
        self.import_browse = button("选择…", "importBrowse", "选择导入文件", self._browse_import)
        self.check_button = button("检查文件", "checkImport", "检查导入文件", self.check)
        self.import_button = button("导入设置(&I)", "importSettings", "导入设置", self.import_)
        self.report = named(QTextBrowser(), "importReport", "导入结果")

        exp = group("导出（把本机的设置带到另一台电脑）", WrapLabel(
            "导出法院信息、部门（含庭长、分管院长的用户名）、各项设置和文书模板版本。"
            "不导出用户账号和密码：另一台电脑上的账号请在“部门与人员”中单独创建。"), hbox(
            buddy_label("文件(&F)：", self.export_path), (self.export_path, 1), self.export_browse, self.export_button))
        imp = group("导入（按另一台电脑导出的文件设置本机）", WrapLabel(
            "先“检查文件”：文件中的每一项都会先校验，有任何问题都不会改动本机。导入在一次操作中完成，每项改动都记入审计日志。"),
            hbox(buddy_label("文件(&L)：", self.import_path), (self.import_path, 1), self.import_browse, self.check_button,
                 self.import_button), (self.report, 1))
        vbox(exp, (imp, 1), self.status, parent=self)

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

    def _run(self, edit: QLineEdit, work: Callable[[Any, Path], Any], done: Callable[[Any], None], progress: str,
             *, write: bool = False) -> None:
        """``work(session, path)`` in the background for the file named in ``edit``, the buttons off meanwhile."""
        path = self._path(edit)
        if path is None:
            return
        self._set_busy(True)
        run_in_background(lambda s, _ctx: work(s, path), parent=self, db=self.db, write=write, on_success=done,
                          on_failure=self._failed, on_finally=lambda: self._set_busy(False), progress=progress)

    def export(self) -> None:
        user = self.user
        self._run(self.export_path, lambda s, path: transfer.export_file(s, user, path),
                  lambda p: self.status.ok(f"已导出到 {p}。"), "正在导出设置…", write=True)

    def check(self) -> None:
        def shown(plan: transfer.ImportPlan) -> None:
            self.report.setPlainText(_plan_text(plan))
            self.status.ok("文件检查通过，可以导入。")

        self._run(self.import_path, lambda s, path: transfer.plan_import(s, transfer.read_file(path)), shown,
                  "正在检查文件…")

    def import_(self) -> None:
        user = self.user

        def done(report: transfer.ImportReport) -> None:
            self.report.setPlainText(report.text())
            self.status.ok("导入完成。其他页面重新打开后使用新设置。")

        self._run(self.import_path, lambda s, path: transfer.import_file(s, user, path), done, "正在导入设置…", write=True)
