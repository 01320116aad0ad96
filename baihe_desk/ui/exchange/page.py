"""案件包 — the page: lent and borrowed cases with the export dialog, the import preview, and (for the
administrator) the registered desks."""

from __future__ import annotations

from baihe_desk.config import Paths
from baihe_desk.models import Role, User
from baihe_desk.services.exchange.export import lent_cases
from baihe_desk.services.exchange.preview import local_time
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, group, hbox, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QTabWidget, QWidget
from baihe_desk.ui.common.widgets import button, named

TAB_LOANS, TAB_IMPORT, TAB_DESKS = "借出与交回", "导入案件包", "工作台登记"


class LoansTab(QWidget):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bundleLoansTab")
        self.db, self.paths, self.user = db, paths, user
        self.table = text_table("bundleLoans", "借出或借入的案件", ("案号/收件号", "案由", "借出/借入", "工作台", "应归还", "借出时间"))
        self.export_button = button("导出案件包…", "openExportDialog", slot=self.open_export)
        self.refresh_button = button("刷新", "bundleLoansRefresh", slot=self.refresh)
        vbox(WrapLabel("法院借出案件给法官笔记本或诉非联动服务站时，案件标记为“已借出”，其他工作台仍可查看；"
                       "笔记本和服务站处理后导出案件包交回，法院导入（检入）后标记解除。"),
             group("当前借出或借入的案件", (self.table, 1)), hbox(self.export_button, STRETCH, self.refresh_button),
             parent=self)
        self.refresh()

    def refresh(self) -> None:
        def load(s, _ctx):  # type: ignore[no-untyped-def]
            return [(c.case_number or c.receipt_number, c.cause_name, "已借出" if m.direction == "out" else "借入（离线副本）",
                     d.name, m.due_on.isoformat() if m.due_on else "", local_time(m.checked_out_at.isoformat()))
                    for c, m, d in lent_cases(s)]

        run_in_background(load, parent=self, db=self.db, on_success=lambda rows: fill_table(self.table, rows))

    def open_export(self) -> None:
        from baihe_desk.ui.exchange.export_dialog import ExportDialog

        dialog = ExportDialog(self.db, self.paths, self.user, self)
        dialog.exec()
        self.refresh()


class BundlesPage(QWidget):
    """``BundlesPage(db, paths, user, parent)`` (the main window's page factory signature)."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bundlesPage")
        from baihe_desk.ui.exchange.import_view import ImportView

        self.tabs = named(QTabWidget(), "bundleTabs", "案件包分页")
        self.loans = LoansTab(db, paths, user)
        self.importer = ImportView(db, paths, user)
        self.tabs.addTab(self.loans, TAB_LOANS)
        self.tabs.addTab(self.importer, TAB_IMPORT)
        self.desks = None
        if user.role is Role.ADMIN:
            from baihe_desk.ui.exchange.desks import DesksTab

            self.desks = DesksTab(db, paths, user)
            self.tabs.addTab(self.desks, TAB_DESKS)
        vbox(self.tabs, margins=0, parent=self)

    def refresh(self) -> None:
        self.loans.refresh()
