"""系统管理 — the administrator's page: 法院信息, 部门与人员, 规则与期限, 节假日, 文书字体, 文书模板, 导入导出,
审计记录.

Only the administrator sees it (MainWindow adds it for ``Perm.SETTINGS_EDIT``); the services check the
permission again on every change. A tab is built the first time it is shown (the font scan and the
template editor cost time). Other workflows add their own tab with :meth:`AdminPage.add_tab` — e.g.
the mediation rosters: ``page.add_tab("调解名册", lambda: RosterTab(db, user))``.
"""

from __future__ import annotations

from collections.abc import Callable

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.qt import QLabel, QtWidgets, QVBoxLayout, QWidget
from baihe_desk.ui.common.widgets import named

TAB_COURT, TAB_PEOPLE, TAB_RULES, TAB_HOLIDAYS = "法院信息", "部门与人员", "规则与期限", "节假日"
TAB_FONTS, TAB_TEMPLATES, TAB_TRANSFER = "文书字体", "文书模板", "导入导出"
TAB_AUDIT = "审计记录"


class AdminPage(QWidget):
    """``AdminPage(db, paths, user)``; ``user`` is the logged-in (detached) administrator."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminPage")
        self.db, self.paths, self.user = db, paths, user
        self.factories: dict[str, Callable[[], QWidget]] = {}
        self.built: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = named(QtWidgets.QTabWidget(), "adminTabs", "系统管理分页")
        if not allowed(user, Perm.SETTINGS_EDIT):
            self.denied = QLabel("系统管理仅限管理员使用。如需修改法院信息、用户或设置，请联系本院管理员。")
            self.denied.setObjectName("adminDenied")
            self.denied.setWordWrap(True)
            layout.addWidget(self.denied)
            layout.addStretch(1)
            return
        layout.addWidget(self.tabs)
        from baihe_desk.ui.admin.court import CourtTab
        from baihe_desk.ui.admin.fonts import FontsTab
        from baihe_desk.ui.admin.holidays import HolidaysTab
        from baihe_desk.ui.admin.people import PeopleTab
        from baihe_desk.ui.admin.rules import RulesTab
        from baihe_desk.ui.admin.templates import TemplatesTab
        from baihe_desk.ui.admin.transfer import TransferTab

        self.add_tab(TAB_COURT, lambda: CourtTab(db, user))
        self.add_tab(TAB_PEOPLE, lambda: PeopleTab(db, user))
        self.add_tab(TAB_RULES, lambda: RulesTab(db, user))
        self.add_tab(TAB_HOLIDAYS, lambda: HolidaysTab(db, user))
        self.add_tab(TAB_FONTS, lambda: FontsTab(db, paths, user))
        self.add_tab(TAB_TEMPLATES, lambda: TemplatesTab(db, paths, user))
        self.add_tab(TAB_TRANSFER, lambda: TransferTab(db, paths, user))
        if allowed(user, Perm.AUDIT_VIEW):
            from baihe_desk.ui.admin.audit_viewer import AuditViewer

            self.add_tab(TAB_AUDIT, lambda: AuditViewer(db, paths, user))
        self.tabs.currentChanged.connect(self._shown)
        self._shown(self.tabs.currentIndex())

    def add_tab(self, title: str, factory: Callable[[], QWidget], *, before: str | None = None) -> int:
        """Add a tab built by ``factory()`` the first time it is shown; returns its index."""
        if title in self.factories:
            raise ValueError(f"tab {title!r} exists")
        self.factories[title] = factory
        holder = QWidget()
        holder.setObjectName(f"adminTabHolder_{len(self.factories)}")
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        if before is not None and before in titles:
            return self.tabs.insertTab(titles.index(before), holder, title)
        return self.tabs.addTab(holder, title)

    def _shown(self, index: int) -> None:
        if index < 0:
            return
        title = self.tabs.tabText(index)
        widget = self.built.get(title)
        if widget is None:
            widget = self.factories[title]()
            self.built[title] = widget
            self.tabs.widget(index).layout().addWidget(widget)
            widget.show()
        elif hasattr(widget, "refresh"):
            widget.refresh()  # lists (people, holiday years) may have changed elsewhere

    def tab(self, title: str) -> QWidget:
        """Show the tab ``title`` and return its content widget (built on first use)."""
        index = [self.tabs.tabText(i) for i in range(self.tabs.count())].index(title)
        if self.tabs.currentIndex() != index:
            self.tabs.setCurrentIndex(index)  # builds or refreshes it (currentChanged)
        elif title not in self.built:
            self._shown(index)
        return self.built[title]
