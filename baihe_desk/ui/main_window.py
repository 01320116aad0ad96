"""主窗口 — navigation on the left (only workflows that exist and the user's role may use), the pages on the
right, the logged-in user in the status bar. Other workflows join with ``add_page(name, widget)`` (e.g. 文书)."""

from __future__ import annotations

from baihe_desk import APP_TITLE, __version__
from baihe_desk.config import Paths
from baihe_desk.models import Role, User
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.layout import PageStack, fit_screen
from baihe_desk.ui.common.qt import (
    QAction,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSize,
    Qt,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.session_guard import window_title
from baihe_desk.ui.common.widgets import message_box, named
from baihe_desk.ui.desk_extras import install_desk_extras

PAGE_CASES = "案件列表"
PAGE_INTAKE = "收件登记"
PAGE_DOCUMENTS = "文书"
PAGE_DASHBOARD = "工作台"
PAGE_QUEUE = "我的待办"
PAGE_STATISTICS = "统计分析"
PAGE_FILING = "立案审查"
PAGE_CONSULT = "执行咨询"
PAGE_CONSULT_QUEUE = "执行咨询收件"
PAGE_MEDIATION_REFERRAL = "诉前调解"
PAGE_MEDIATION_STATION = "调解工作台"
PAGE_EXPLANATION = "判后答疑"
PAGE_ROSTER = "调解名册"
PAGE_ADMIN, PAGE_BUNDLES = "系统管理", "案件包"


class MainWindow(QMainWindow):
    """The desk. ``MainWindow(db, user, paths, court_name=...)``; ``user`` is detached from sessions."""

    closed = Signal()  # the window accepted its close: quit, or log out (app.main ends the session on it)

    def __init__(self, db: Database, user: User, paths: Paths, parent: QWidget | None = None, *,
                 court_name: str | None = None):
        super().__init__(parent)
        self.db = db
        self.user = user
        self.paths = paths
        self.court_name = court_name if court_name is not None else self._load_court_name()
        self.pages: dict[str, QWidget] = {}
        self._factories: dict[str, object] = {}  # pages not built yet (add_lazy_page)
        self.setObjectName("mainWindow")
        self.setWindowTitle(window_title(db, self.court_name))  # 【演示数据】 for a demo database

        self.nav = named(QListWidget(), "navigation", "功能导航")
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("收件登记收件登记") + 32)  # the pages get the rest
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        self.stack = PageStack()
        self.stack.setObjectName("pages")
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.nav)
        row.addWidget(fit_screen(self.stack), 1)  # a page wider or taller than the screen scrolls
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._page_selected)

        from baihe_desk.ui.cases.case_list import CaseListPage

        self.case_list = CaseListPage(db, self, user=user, paths=paths)
        # Mediators (station, bank, 董嫂说事点) work outside the court: they see only their own cases,
        # on the 调解工作台, never the court's whole case list.
        self.case_list_visible = user.role is not Role.MEDIATOR
        if self.case_list_visible:
            self.add_page(PAGE_CASES, self.case_list)
        else:
            self.case_list.hide()
        if allowed(user, Perm.CASE_CREATE):
            self.add_lazy_page(PAGE_INTAKE, MainWindow._build_intake)
        self._add_workflow_pages()

        self._build_menus()
        self._build_status_bar()
        self.resize(1280, 820)
        self.show_page(next(iter(self.pages)))
        install_desk_extras(self)  # Ctrl+K case picker, wheel guard, remembered sizes

    def _add_workflow_pages(self) -> None:
        """Pages of the workflows, each shown only to the roles that may use it. Each is built the
        first time it is shown (``page(name)``): a page's module, widgets and first query cost
        nothing at start, and no page loads data in the background while the window first paints."""
        u = self.user
        for name, module, cls in ((PAGE_DASHBOARD, "deadlines.dashboard", "DashboardPage"),
                                  (PAGE_QUEUE, "deadlines.queue_page", "QueuePage")):
            self.add_lazy_page(name, self._opener_page(module, cls))
        if allowed(u, Perm.CASE_REVIEW):
            self.add_lazy_page(PAGE_FILING, MainWindow._build_filing)
        if self.case_list_visible:
            self.add_lazy_page(PAGE_DOCUMENTS, MainWindow._build_documents,
                               tip="在“案件列表”中选中案件后，生成、预览、打印该案文书")
        if allowed(u, Perm.MEDIATION_REFER):
            self.add_lazy_page(PAGE_MEDIATION_REFERRAL, self._plain_page("mediation.referral", "MediationReferralPage"))
        if allowed(u, Perm.MEDIATION_RECORD):
            self.add_lazy_page(PAGE_MEDIATION_STATION, self._plain_page("mediation.workbench", "MediationWorkbenchPage"))
        if any(allowed(u, p) for p in (Perm.JUDGMENT_RECORD, Perm.EXPLANATION_REQUEST, Perm.EXPLANATION_TIER,
                                       Perm.RISK_FLAG)):
            self.add_lazy_page(PAGE_EXPLANATION, self._plain_page("explanation.page", "ExplanationPage"))
        if allowed(u, Perm.CONSULT_DRAFT):
            self.add_lazy_page(PAGE_CONSULT, self._plain_page("enforcement.page", "EnforcementConsultPage"))
        if allowed(u, Perm.CONSULT_REPLY):
            self.add_lazy_page(PAGE_CONSULT_QUEUE, self._plain_page("enforcement.queue", "EnforcementQueuePage"))
        if allowed(u, Perm.ROSTER_MANAGE):
            self.add_lazy_page(PAGE_ROSTER, self._plain_page("mediation.roster", "MediationRosterPage"))
        if u.role in (Role.DIVISION_CHIEF, Role.VICE_PRESIDENT, Role.ADMIN, Role.JUDGE, Role.FILING_CLERK):
            self.add_lazy_page(PAGE_STATISTICS, self._plain_page("statistics.page", "StatisticsPage"))
        if u.role in (Role.FILING_CLERK, Role.ADMIN, Role.JUDGE, Role.JUDGE_ASSISTANT, Role.MEDIATOR):
            self.add_lazy_page(PAGE_BUNDLES, self._plain_page("exchange.page", "BundlesPage"))
        if allowed(u, Perm.SETTINGS_EDIT):
            self.add_lazy_page(PAGE_ADMIN, self._plain_page("admin.page", "AdminPage"))

    # Factories take the window as their argument instead of holding it: a closure over ``self``
    # kept in ``self._factories`` would make a reference cycle through the window's wrapper, and the
    # cyclic garbage collector freeing a Qt wrapper while background loads run crashed the process.
    @staticmethod
    def _plain_page(module: str, cls: str):  # type: ignore[no-untyped-def]
        def build(win: MainWindow) -> QWidget:
            from importlib import import_module

            page_class = getattr(import_module(f"baihe_desk.ui.{module}"), cls)
            return page_class(win.db, win.paths, win.user, win)
        return build

    @staticmethod
    def _opener_page(module: str, cls: str):  # type: ignore[no-untyped-def]
        plain = MainWindow._plain_page(module, cls)

        def build(win: MainWindow) -> QWidget:
            page = plain(win)
            page.open_requested.connect(win.open_case_at)
            return page
        return build

    def _build_intake(self) -> QWidget:
        from baihe_desk.ui.filing.intake_form import IntakeForm

        intake = IntakeForm(self.db, self.user, self.paths, self)
        intake.saved.connect(lambda *_: self.case_list.refresh())
        return intake

    def _optional_page(self, name: str) -> QWidget | None:
        """The page (built now if needed), or None when this user's window has no such page."""
        return self.page(name) if name in self.pages else None

    # the pages other code reaches directly; None when this user's window has no such page
    intake = property(lambda self: self._optional_page(PAGE_INTAKE))  # 收件登记
    filing = property(lambda self: self._optional_page(PAGE_FILING))  # 立案审查
    documents = property(lambda self: self._optional_page(PAGE_DOCUMENTS))  # 文书

    def _built(self, name: str) -> QWidget | None:
        return self.pages[name] if name in self.pages and name not in self._factories else None

    def _build_filing(self) -> QWidget:
        from baihe_desk.ui.filing.review import FilingReviewPage

        filing = FilingReviewPage(self.db, self.paths, self.user, self)
        filing.attach_case_list(self.case_list)
        filing.case_changed.connect(lambda *_: self.case_list.refresh())
        filing.mediation_referred.connect(lambda *_: self._refresh_built(PAGE_MEDIATION_REFERRAL))
        return filing

    def _build_documents(self) -> QWidget:
        from baihe_desk.ui.cases.documents_panel import DocumentsPanel

        documents = DocumentsPanel(self.db, self.paths, self.user, self)
        documents.set_case(self.case_list.current_case_id())
        self.case_list.current_case_changed.connect(documents.set_case)
        return documents

    def _refresh_built(self, name: str) -> None:
        """Refresh a page if it was built (an unbuilt one reads fresh data when it is)."""
        page = self._built(name)
        if page is not None:
            self._refresh_page(page)

    # step key of a clock (services.deadlines.queues.STEP_LABELS) → the page where that step is done
    STEP_PAGES = {
        "filing": PAGE_FILING, "service": PAGE_FILING, "mediation.accept": PAGE_MEDIATION_STATION,
        "mediation.period": PAGE_MEDIATION_STATION, "mediation": PAGE_MEDIATION_REFERRAL,
        "enforcement.reply": PAGE_CONSULT_QUEUE, "enforcement": PAGE_CONSULT, "explanation": PAGE_EXPLANATION,
        "appeal": PAGE_EXPLANATION,
    }

    def open_case_at(self, case_id, step: str) -> None:  # type: ignore[no-untyped-def]
        """Open a case at the page of its pending step (from 我的待办 / 工作台); else its detail."""
        for prefix in (step, step.split(".")[0]):
            name = self.STEP_PAGES.get(prefix)
            if name and name in self.pages:
                page = self.show_page(name)
                opener = getattr(page, "open_case", None)
                if callable(opener):
                    opener(case_id)
                return
        if self.case_list_visible:
            self.case_list.open_case(case_id)

    @staticmethod
    def _refresh_page(page: QWidget) -> None:
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def show_backups(self) -> None:
        from baihe_desk.ui.admin.backup_dialog import BackupDialog
        from baihe_desk.ui.common.qt import QApplication

        dialog = BackupDialog(self.db, self.paths, self.user, self)
        dialog.restart_required.connect(QApplication.instance().quit)  # the old database is closed
        dialog.open()

    def open_template_editor(self) -> None:
        from baihe_desk.ui.admin.template_editor import TemplateEditorDialog

        dialog = TemplateEditorDialog(self.db, self.paths, self.user, self)
        dialog.open()

    def _load_court_name(self) -> str:
        try:
            from baihe_desk.services.admin.court import get_profile

            with self.db.session() as session:
                profile = get_profile(session)
                return profile.name if profile else ""
        except ImportError:  # pragma: no cover - the court service ships with the app
            return ""

    # -- pages -----------------------------------------------------------------------------------
    def add_page(self, name: str, widget: QWidget, *, tip: str = "") -> int:
        """Add a workflow page under ``name`` (Chinese label shown in the navigation); returns its row."""
        if name in self.pages:
            raise ValueError(f"page {name!r} exists")
        self.pages[name] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, name)
        if tip:
            item.setToolTip(tip)
        item.setSizeHint(QSize(0, self.fontMetrics().height() + 16))
        self.nav.addItem(item)
        return self.nav.count() - 1

    def add_lazy_page(self, name: str, factory, *, tip: str = "") -> int:  # type: ignore[no-untyped-def]
        """Like ``add_page``; ``factory(window)`` makes the page the first time it is shown."""
        placeholder = QWidget()
        placeholder.setObjectName(f"pendingPage{self.nav.count()}")
        row = self.add_page(name, placeholder, tip=tip)
        self._factories[name] = factory
        return row

    def page(self, name: str) -> QWidget:
        """The page called ``name``, built now if it was not yet."""
        factory = self._factories.pop(name, None)
        if factory is not None:
            placeholder = self.pages[name]
            index = self.stack.indexOf(placeholder)
            current = self.stack.currentIndex()
            widget = factory(self)
            self.pages[name] = widget
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            if current == index:
                self.stack.setCurrentIndex(index)
        return self.pages[name]

    def show_page(self, name: str) -> QWidget:
        widget = self.page(name)
        self.nav.setCurrentRow(list(self.pages).index(name))
        return widget

    def current_page_name(self) -> str:
        return list(self.pages)[self.nav.currentRow()] if self.nav.currentRow() >= 0 else ""

    def _page_selected(self, row: int) -> None:
        if 0 <= row < self.stack.count():
            self.page(list(self.pages)[row])
            self.stack.setCurrentIndex(row)

    # -- actions ---------------------------------------------------------------------------------
    def find_case(self) -> None:
        if not self.case_list_visible:
            return
        self.show_page(PAGE_CASES)
        self.case_list.focus_search()

    def new_intake(self) -> None:
        if self.intake is None:
            return
        self.show_page(PAGE_INTAKE)
        self.intake.cause.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _action(self, text: str, object_name: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        act.setObjectName(object_name)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.setObjectName("menuFile")
        self.act_new = self._action("新建收件登记(&N)", "actionNewIntake", self.new_intake, "Ctrl+N")
        self.act_new.setEnabled(PAGE_INTAKE in self.pages)
        self.act_find = self._action("查找案件(&S)", "actionFindCase", self.find_case, "Ctrl+F")
        self.act_backup = self._action("备份与恢复(&B)…", "actionBackup", self.show_backups)
        self.act_quit = self._action("退出(&X)", "actionQuit", self.close, "Ctrl+Q")
        if PAGE_INTAKE in self.pages:
            file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_find)
        file_menu.addAction(self.act_backup)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        if allowed(self.user, Perm.TEMPLATE_EDIT):
            admin_menu = bar.addMenu("系统(&Y)")
            admin_menu.setObjectName("menuAdmin")
            self.act_templates = self._action("文书模板(&T)…", "actionTemplates", self.open_template_editor)
            admin_menu.addAction(self.act_templates)
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.setObjectName("menuHelp")
        self.act_about = self._action("关于(&A)", "actionAbout", self.show_about)
        help_menu.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.user_label = QLabel(f"当前用户：{self.user.display_name}（{self.user.role.label}）")
        self.user_label.setObjectName("statusUser")
        bar.addPermanentWidget(self.user_label)
        if self.court_name:
            court = QLabel(self.court_name)
            court.setObjectName("statusCourt")
            bar.addWidget(court)

    def watch_backup(self, job) -> None:  # type: ignore[no-untyped-def]
        """Say in the status bar what the daily background backup (``storage.startup.StartupBackup``) did."""
        from baihe_desk.ui.common.qt import QTimer

        timer, said = QTimer(self), []
        timer.setObjectName("backupWatch")

        def poll() -> None:
            if job.running:  # waiting for its time (some minutes after the start), or copying
                if job.copying and not said:  # said once
                    said.append(self.statusBar().showMessage("正在后台备份数据库…（可照常工作）"))
                return
            timer.stop()
            if job.error is not None:
                self.statusBar().showMessage(f"今日备份未完成：{getattr(job.error, 'message', job.error)}"
                                             "。可在“文件 → 备份与恢复”中手动备份。")
            elif job.result is not None:
                self.statusBar().showMessage(f"数据库已备份：{job.result.name}", 15_000)

        timer.timeout.connect(poll)
        timer.start(1000)
        poll()

    def show_about(self) -> QMessageBox:
        text = (f"{APP_TITLE}\n版本 {__version__}\n\n{self.court_name}\n\n"
                f"数据文件夹：{self.paths.root}")
        return message_box(self, "关于", text, icon=QMessageBox.Icon.Information)

    def closeEvent(self, event: QCloseEvent) -> None:
        intake = self._built(PAGE_INTAKE)  # a form never opened holds nothing to keep
        if intake is not None:
            try:
                if intake.save_draft() is not None:
                    self.statusBar().showMessage("未保存的收件登记已存为草稿，下次打开时可恢复。")
            except OSError:
                pass
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
