"""导出案件包 — pick cases, the receiving desk, the due date and the file; the court marks them 已借出."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.common.case_query import search_cases
from baihe_desk.services.exchange import identity
from baihe_desk.services.exchange.bundle_file import SUFFIX
from baihe_desk.services.exchange.export import DEFAULT_LOAN_DAYS, checkout_mark, export_bundle
from baihe_desk.storage.db import Database
from baihe_desk.storage.keystore import Keystore
from baihe_desk.ui.admin.widgets import StatusLine
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.layout import dialog_buttons, hbox, vbox
from baihe_desk.ui.common.list_detail import text_table
from baihe_desk.ui.common.qt import (
    QDate,
    QDateEdit,
    QDialog,
    QLineEdit,
    Qt,
    QTableWidgetItem,
    QtWidgets,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named

FILTER = f"白河案件包 (*{SUFFIX});;所有文件 (*)"
HEADERS = ("选", "案号/收件号", "案由", "原告", "被告", "阶段", "借出情况")


class ExportDialog(QDialog):
    """``ExportDialog(db, paths, user)``; ``exported`` holds the file written (None until then)."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None, *,
                 today: date | None = None):
        super().__init__(parent)
        self.setObjectName("exportBundleDialog")
        self.setWindowTitle("导出案件包")
        self.db, self.paths, self.user = db, paths, user
        self.keystore = Keystore(paths.root)
        self.today = today or desk_today()
        self.exported: Path | None = None
        self.case_ids: list = []
        self.search = named(QLineEdit(), "bundleCaseSearch", "查找案件", tip="案号、收件号、当事人姓名")
        self.search.returnPressed.connect(self.find)
        self.find_button = button("查找(&S)", "bundleCaseFind", slot=self.find)
        self.table = text_table("bundleCases", "可导出的案件（勾选要导出的）", HEADERS, single=False)
        self.desk = combo("bundleDesk", "接收的工作台")
        self.due = named(QDateEdit(), "bundleDue", "应归还日期")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        d = self.today + timedelta(days=DEFAULT_LOAN_DAYS)
        self.due.setDate(QDate(d.year, d.month, d.day))
        self.out = named(QLineEdit(str(paths.root / f"案件包-{self.today:%Y%m%d}{SUFFIX}")), "bundleOut", "保存为")
        self.browse = button("选择…", "bundleOutBrowse", "选择保存位置", self._browse)
        self.status = StatusLine("bundleExportStatus")
        box, self.ok, _cancel = dialog_buttons(self, ("导出(&E)", "bundleExport", "导出案件包"),
                                               ("关闭", "bundleExportClose", "关闭"), on_accept=self.export)
        vbox(hbox(buddy_label("案件(&F)：", self.search), (self.search, 1), self.find_button), (self.table, 1),
             hbox(buddy_label("接收的工作台(&T)：", self.desk), (self.desk, 1),
                  buddy_label("应归还日期(&D)：", self.due), self.due),
             hbox(buddy_label("保存为(&O)：", self.out), (self.out, 1), self.browse), self.status, box, parent=self)
        # Enter in the search box searches; exporting takes the button (or Alt+E), never a stray Enter
        self.ok.setDefault(False)
        self.ok.setAutoDefault(False)
        self.find_button.setAutoDefault(False)
        self.resize(980, 620)
        self._load_desks()

    def _load_desks(self) -> None:
        def load(s, _ctx):  # type: ignore[no-untyped-def]
            return [(f"{d.name}（{d.kind.label}，指纹 {d.fingerprint}）", d.id)
                    for d in identity.desks(s) if d.active and not d.is_self]

        def show(items) -> None:  # type: ignore[no-untyped-def]
            for text, data in items:
                self.desk.addItem(text, data)
            if not items:
                self.status.error("还没有登记其他工作台：请管理员先在“工作台登记”中登记接收方。")

        run_in_background(load, parent=self, db=self.db, on_success=show, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.error(str(exc))

    def find(self) -> None:
        text = self.search.text().strip()

        user = self.user

        def load(s, _ctx):  # type: ignore[no-untyped-def]
            from baihe_desk.services.common.case_scope import may_touch_case

            rows = search_cases(s, text, limit=100)  # a mediator lists only the cases assigned to them
            return [(r, checkout_mark(s, r.id)) for r in rows if may_touch_case(s, user, r.id)]

        run_in_background(load, parent=self, db=self.db, on_success=self._show, on_failure=self._failed)

    def _show(self, rows) -> None:  # type: ignore[no-untyped-def]
        self.case_ids = [r.id for r, _m in rows]
        self.table.setRowCount(len(rows))
        for i, (r, mark) in enumerate(rows):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            check.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(i, 0, check)
            for c, text in enumerate((r.number, r.cause_name, r.plaintiffs, r.defendants, r.stage.label, mark), 1):
                self.table.setItem(i, c, QTableWidgetItem(text))
        self.status.ok(f"找到 {len(rows)} 件。勾选要导出的案件。")

    def checked(self) -> list:
        return [cid for i, cid in enumerate(self.case_ids)
                if self.table.item(i, 0) and self.table.item(i, 0).checkState() == Qt.CheckState.Checked]

    def check_row(self, row: int) -> None:
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "保存案件包", self.out.text(), FILTER)
        if path:
            self.out.setText(path)

    def export(self) -> None:
        ids, desk_id = self.checked(), self.desk.currentData()
        out = Path(self.out.text().strip())
        if not ids:
            self.status.error("请至少勾选一件案件。")
            return
        if desk_id is None:
            self.status.error("请选择接收的工作台。")
            return
        if out.exists():
            self.status.error(f"文件 {out} 已存在，请换一个文件名（案件包不覆盖已有文件）。")
            return
        q = self.due.date()
        due = date(q.year(), q.month(), q.day())
        user, keystore, paths, today = self.user, self.keystore, self.paths, self.today

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            result = export_bundle(s, user, keystore, ids, desk_id, due_on=due, paths=paths, today=today)
            try:
                with open(out, "xb") as fh:
                    fh.write(result.data)
            except OSError as exc:
                raise KnownError(f"无法写入 {out}：{exc.strerror or exc}") from exc
            return result.summary

        def done(summary: str) -> None:
            self.exported = out
            self.status.ok(f"{summary}案件包已保存到 {out}。")
            self.ok.setEnabled(False)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=self._failed,
                          progress="正在生成案件包…")
