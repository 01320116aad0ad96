"""导入案件包 — the preview (who signed it, what will change), the conflict screen, then the merge.

检查 verifies the bundle and shows what it would change without writing anything; a record changed on
both sides since the check-out is listed on the conflict screen, where a person keeps this desk's version
or takes the other's, record by record. 导入 is possible only when every conflict is decided; it merges
everything in one transaction (the service checks the bundle again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.exchange.bundle_file import SUFFIX
from baihe_desk.services.exchange.checkin import ImportResult, import_bundle
from baihe_desk.services.exchange.preview import TABLE_LABELS, summary_text
from baihe_desk.services.exchange.verify import inspect
from baihe_desk.storage.db import Database
from baihe_desk.storage.keystore import Keystore
from baihe_desk.ui.admin.widgets import StatusLine, WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, dialog_buttons, group, hbox, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QComboBox, QDialog, QLabel, QLineEdit, QTextBrowser, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import buddy_label, button, named

FILTER = f"白河案件包 (*{SUFFIX});;所有文件 (*)"
ACTIONS = {"insert": "新增", "update": "更新", "delete": "删除"}
CHOICES = (("请选择…", None), ("保留本机的内容", "ours"), ("采用对方的内容", "theirs"))


def _value(v: Any) -> str:
    if v is None or v == "":
        return "（空）"
    return str(v) if not isinstance(v, (list, dict)) else ", ".join(map(str, v)) if isinstance(v, list) else str(v)


class ConflictDialog(QDialog):
    """One row per conflict: the case, the record, each differing field with both values, and the choice."""

    def __init__(self, result: ImportResult, decisions: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bundleConflictDialog")
        self.setWindowTitle("处理冲突 — 双方都修改过的记录")
        self.conflicts = result.plan.conflicts
        self.table = text_table("bundleConflicts", "冲突记录", ("案件", "记录", "不同之处（本机 → 对方）", "决定"),
                                stretch_last=False)
        fill_table(self.table, [(c.case_label, c.what, (f"⚠ 只能保留本机：{c.blocked}\n" if c.blocked else "") + ("\n".join(
            f"{f.label}：本机“{_value(f.ours)}” / 对方“{_value(f.theirs)}”" for f in c.fields) or c.describe()), "")
            for c in self.conflicts])
        self.choices: list[QComboBox] = []
        for i, c in enumerate(self.conflicts):
            box = named(QComboBox(), f"conflictChoice{i}", f"第{i + 1}处冲突的决定")
            for text, data in CHOICES:
                box.addItem(text, data)
            if c.blocked:  # the other desk may not write this version: 采用对方 is not offered
                box.model().item(2).setEnabled(False)
            if c.key in decisions:
                box.setCurrentIndex([d for _t, d in CHOICES].index(decisions[c.key]))
            self.table.setCellWidget(i, 3, box)
            self.choices.append(box)
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.status = StatusLine("conflictStatus")
        box, _ok, _cancel = dialog_buttons(self, ("确定", "conflictOk", "确定决定"), ("取消", "conflictCancel", "取消"),
                                           on_accept=self._accept)
        vbox(WrapLabel("下面的记录在借出后，本机和对方都修改过。系统不会自动覆盖任何一方：请逐条决定保留本机的内容，"
                       "还是采用对方的内容。决定会记入审计日志。"), (self.table, 1), self.status, box, parent=self)
        self.resize(1180, 640)

    def decisions(self) -> dict[str, str]:
        return {c.key: b.currentData() for c, b in zip(self.conflicts, self.choices, strict=True) if b.currentData()}

    def _accept(self) -> None:
        if len(self.decisions()) < len(self.conflicts):
            self.status.error("还有冲突没有决定。")
            return
        self.accept()


class ImportView(QWidget):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bundleImportView")
        self.db, self.paths, self.user = db, paths, user
        self.keystore = Keystore(paths.root)
        self.preview: ImportResult | None = None
        self.decisions: dict[str, str] = {}
        self.path = named(QLineEdit(), "bundleImportPath", "案件包文件")
        self.browse = button("选择…", "bundleImportBrowse", "选择案件包", self._browse)
        self.check_button = button("检查(&K)", "bundleCheck", "检查案件包", self.check)
        self.signer = named(QTextBrowser(), "bundleManifest", "案件包清单与签名")
        self.signer.setFixedHeight(self.signer.fontMetrics().lineSpacing() * 10 + 12)
        self.summary = named(QLabel(""), "bundleSummary", "将要导入的变化")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.changes = text_table("bundleChanges", "变化明细", ("案件", "记录", "变化"))
        self.conflict_button = button("处理冲突…", "bundleConflicts", "处理冲突", self.resolve)
        self.import_button = button("导入(&I)", "bundleImport", "导入案件包", self.import_)
        self.status = StatusLine("bundleImportStatus")
        vbox(hbox(buddy_label("案件包(&B)：", self.path), (self.path, 1), self.browse, self.check_button),
             group("清单与签名（导入前核验：签名、接收方、校验值、序号）", self.signer),
             (group("导入预览", self.summary, (self.changes, 1), hbox(self.conflict_button, STRETCH, self.import_button)), 1),
             self.status, parent=self)
        self._buttons()

    def _buttons(self) -> None:
        p = self.preview
        self.conflict_button.setEnabled(bool(p and p.plan.conflicts))
        self.import_button.setEnabled(bool(p) and len(self.decisions) == len(p.plan.conflicts) if p else False)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择案件包", str(self.paths.root), FILTER)
        if path:
            self.path.setText(path)
            self.check()

    def _data(self) -> bytes | None:
        text = self.path.text().strip()
        if not text:
            self.status.error("请先选择案件包文件。")
            return None
        try:
            return Path(text).read_bytes()
        except OSError as exc:
            self.status.error(f"无法读取 {text}：{exc.strerror or exc}")
            return None

    def _failed(self, exc: BaseException) -> None:
        self.preview, self.decisions = None, {}
        self.summary.setText("")
        self.changes.setRowCount(0)
        self.status.error(str(exc))
        self._buttons()

    def check(self) -> None:
        data = self._data()
        if data is None:
            return
        user, keystore = self.user, self.keystore

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            lines = inspect(s, data).lines
            return lines, import_bundle(s, user, keystore, data, dry_run=True)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=self._show, on_failure=self._failed,
                          progress="正在核验案件包…")

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        lines, preview = result
        self.preview, self.decisions = preview, {}
        self.signer.setPlainText("\n".join(lines))
        plan = preview.plan
        self.summary.setText(f"将要导入：{plan.text}")
        labels = {cid: row.get("case_number") or row.get("receipt_number") for cid, row in plan.opened.rows.get("case", {}).items()}
        order = list(TABLE_LABELS)
        changes = sorted(plan.changes, key=lambda c: (labels.get(c.case_id, ""), order.index(c.table) if c.table in order else 99))
        rows = [(labels.get(c.case_id, ""), TABLE_LABELS.get(c.table, (c.table, ""))[0], ACTIONS[c.action])
                for c in changes]
        rows += [(c.case_label, c.what, "冲突：" + c.describe().split("：", 1)[1]) for c in plan.conflicts]
        fill_table(self.changes, rows)
        if plan.conflicts:
            self.status.error(f"签名有效。有 {len(plan.conflicts)} 处冲突需要决定后才能导入（点“处理冲突…”）。")
        else:
            self.status.ok("签名有效，内容完整，可以导入。")
        self._buttons()

    def resolve(self) -> None:
        if self.preview is None:
            return
        dialog = ConflictDialog(self.preview, self.decisions, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.decisions = dialog.decisions()
            self.status.ok(f"已决定 {len(self.decisions)} 处冲突，可以导入。")
        self._buttons()

    def import_(self) -> None:
        data = self._data()
        if data is None or self.preview is None:
            return
        user, keystore, paths, decisions = self.user, self.keystore, self.paths, dict(self.decisions)

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            return import_bundle(s, user, keystore, data, decisions=decisions, paths=paths)

        def done(result: ImportResult) -> None:
            self.preview, self.decisions = None, {}
            notes = "；".join(result.notes)
            plan = result.plan
            decided = f"冲突 {len(plan.conflicts)} 处已按决定处理。" if plan.conflicts else ""
            self.status.ok(f"已导入：{summary_text(plan.changes, 0, len(plan.references))}{decided}"
                           + (f" {notes}" if notes else ""))
            self._buttons()

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=self._failed,
                          progress="正在导入案件包…")
