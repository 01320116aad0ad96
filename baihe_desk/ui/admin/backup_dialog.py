"""备份与恢复 — the backups of the database: list them, back up now, restore one (with confirmation).

The table lists every backup in the data folder (newest first: time, kind, size, file). 立即备份 makes a
``manual`` backup; 恢复所选备份 / 从文件恢复 replace the database with a backup after a confirmation
that says what happens: the current database is first kept as a 恢复前 backup, the restored one gets an
audit record, and the program closes (``restart_required``) because every open view still holds data of
the old database. Only the administrator may back up and restore (Perm.BACKUP); for other users the
buttons are off — the services refuse anyway. Work runs in the background helper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin.backups import (
    ForeignBackup,
    RestoreResult,
    backup_now,
    foreign_backup,
    restore_database,
    retention_policy,
)
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.storage.backup import list_backups
from baihe_desk.storage.db import Database
from baihe_desk.ui.common import background
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import (
    QDialog,
    QLabel,
    QMessageBox,
    Qt,
    QtCore,
    QtGui,
    QtWidgets,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import button, message_box, show_known_error, text_label

COLUMNS = ["备份时间", "类型", "大小", "文件名"]


@dataclass(frozen=True)
class BackupRow:
    path: Path
    created: datetime
    label: str
    size: int


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


class BackupTableModel(RowsModel):
    """The backups as plain rows (a folder holds a few dozen at most)."""

    HEADERS = COLUMNS

    def load(self, paths: Paths) -> None:
        self.set_rows(BackupRow(b.path, b.created, b.label, b.size) for b in list_backups(paths))

    def cells(self, row: BackupRow) -> tuple[str, ...]:
        return (row.created.strftime("%Y-%m-%d %H:%M:%S"), row.label, _size(row.size), row.path.name)

    def role_data(self, row: BackupRow, column: int, role: int) -> Any:
        return row.path if role == Qt.ItemDataRole.UserRole else None


class BackupDialog(QDialog):
    """``BackupDialog(db, paths, user, parent=None, settings=None)``; ``restart_required`` after a restore."""

    restored = Signal(object)  # RestoreResult
    restart_required = Signal()

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None,
                 settings: LocalSettings | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.settings = settings or LocalSettings.load(paths)
        self.busy = False
        self.setObjectName("backupDialog")
        self.setWindowTitle("备份与恢复")
        policy = retention_policy(db)
        intro = QLabel(f"程序每天在启动数分钟后于后台以低优先级备份一次数据库（备份前检查磁盘剩余空间），"
                       f"保留最近 {policy.daily} 天每天一份、另保留最近 {policy.weekly} 周每周一份"
                       f"（可在“规则与期限 › 数据备份”中修改）；升级前、手动和恢复前的备份不会自动删除。\n"
                       f"备份文件夹：{paths.backups}")
        intro.setWordWrap(True)
        intro.setObjectName("backupIntro")
        self.model = BackupTableModel(self)
        self.table = rows_table(self.model, "backupTable", "备份列表")
        self.status = text_label(name="backupStatus")

        self.backup_button = button("立即备份(&B)", "backupNow", "立即备份", self.back_up)
        self.restore_button = button("恢复所选备份(&R)…", "backupRestore", "恢复所选备份",
                                     lambda: self.ask_restore(self.selected()))
        self.file_button = button("从文件恢复(&F)…", "backupRestoreFile", "从文件恢复", self.restore_from_file)
        self.folder_button = button("打开备份文件夹(&O)", "backupOpenFolder", "打开备份文件夹", self.open_folder)
        self.close_button = button("关闭", "backupClose", "关闭", self.reject)
        *actions, close = (self.backup_button, self.restore_button, self.file_button, self.folder_button,
                           self.close_button)
        for b in (*actions, close):
            b.setAutoDefault(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        vbox(intro, (self.table, 1), self.status, hbox(*actions, STRETCH, close), parent=self)
        self.may = bool(allowed(user, Perm.BACKUP))
        if not self.may:
            self.status.setText("只有管理员可以备份和恢复数据库。")
        self.refresh()
        self.resize(self.fontMetrics().horizontalAdvance("备") * 56, self.fontMetrics().height() * 26)
        self.table.setFocus()

    # -- list ------------------------------------------------------------------------------------
    def refresh(self, select: Path | None = None) -> None:
        self.model.load(self.paths)
        row = next((i for i, r in enumerate(self.model.rows) if r.path == select), 0 if self.model.rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].path if rows else None

    def _update_buttons(self) -> None:
        on = self.may and not self.busy
        self.backup_button.setEnabled(on)
        self.file_button.setEnabled(on)
        self.restore_button.setEnabled(on and self.selected() is not None)
        self.close_button.setEnabled(not self.busy)

    def _set_busy(self, on: bool, text: str = "") -> None:
        self.busy = on
        if text:
            self.status.setText(text)
        self._update_buttons()

    # -- back up ---------------------------------------------------------------------------------
    def back_up(self) -> None:
        if self.busy:
            return
        db, paths, user = self.db, self.paths, self.user
        self._set_busy(True, "正在备份…")
        run_in_background(lambda _ctx: backup_now(db, paths, user), parent=self, on_success=self._backed_up,
                          on_failure=self._failed, on_finally=lambda: self._set_busy(False), progress="正在备份…")

    def _backed_up(self, path: Path) -> None:
        self.refresh(select=path)
        self.status.setText(f"已备份：{path.name}")

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        if isinstance(exc, KnownError):
            show_known_error(self, exc)

    # -- restore ---------------------------------------------------------------------------------
    def ask_file(self) -> Path | None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择备份文件", str(self.paths.backups),
                                                        "数据库备份 (*.sqlite3);;所有文件 (*)")
        return Path(name) if name else None

    def restore_from_file(self) -> None:
        path = self.ask_file()
        if path is not None:
            self.ask_restore(path)

    def ask_restore(self, path: Path | None) -> QMessageBox | None:
        """The confirmation (non-blocking); 恢复 starts :meth:`restore`."""
        if path is None or self.busy or not self.may:
            return None
        try:
            foreign = foreign_backup(self.paths.database, path)
        except KnownError as exc:
            show_known_error(self, exc)
            return None
        if foreign is not None:
            dlg = self.court_dialog = CourtConfirmDialog(foreign, self)  # it is the confirmation itself
            dlg.accepted.connect(lambda: self.restore(path, dlg.typed()))
            dlg.open()
            return None
        row = next((r for r in self.model.rows if r.path == path), None)
        what = f"{row.created:%Y-%m-%d %H:%M:%S} 的备份（{row.label}）" if row else f"备份文件“{path.name}”"
        box = QMessageBox(QMessageBox.Icon.Warning, "恢复数据库",
                          f"将用{what}替换当前数据库。\n\n"
                          "该备份之后录入和修改的内容将不在恢复后的数据库中；当前数据库会先另存为一份“恢复前”备份，"
                          "需要时仍可找回。\n\n恢复完成后程序将关闭，请重新打开。确定恢复吗？",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("restoreConfirm")
        go = box.addButton("恢复", QMessageBox.ButtonRole.DestructiveRole)
        go.setObjectName("restoreConfirmYes")
        go.setAccessibleName("恢复")
        no = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        no.setObjectName("restoreConfirmNo")
        no.setAccessibleName("取消")
        box.setDefaultButton(no)  # a destructive step is never the Enter default
        box.setEscapeButton(no)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: self.restore(path) if b is go else None)
        box.open()
        return box

    def restore(self, path: Path, confirm_court: str | None = None) -> None:
        if self.busy:
            return
        if background.running():
            show_known_error(self, KnownError("还有操作正在进行，请等它完成后再恢复数据库。"))
            return
        db, paths, user, settings = self.db, self.paths, self.user, self.settings
        self._set_busy(True, "正在恢复…")
        run_in_background(lambda _ctx: restore_database(paths, path, settings=settings, actor=user, db=db,
                                                          confirm_court=confirm_court),
                          parent=self, on_success=self._restored, on_failure=self._failed,
                          on_finally=lambda: self._set_busy(False), progress="正在恢复数据库…")

    def _restored(self, result: RestoreResult) -> None:
        self.refresh()
        self.status.setText("数据库已恢复。请关闭程序后重新打开。")
        self.restored.emit(result)
        kept = f"恢复前的数据库已另存为“{result.safety_copy.name}”。\n\n" if result.safety_copy else ""
        box = message_box(self, "恢复完成", f"已从“{result.source.name}”恢复数据库。\n\n{kept}"
                          "程序需要重新启动：点击“确定”后程序将关闭，请重新打开。", icon=QMessageBox.Icon.Information)
        box.setObjectName("restoreDone")
        box.finished.connect(lambda *_: self.restart_required.emit())
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self.file_button.setEnabled(False)
        self.may = False  # the open database is gone: nothing more here until the restart

    def open_folder(self) -> None:
        self.paths.backups.mkdir(parents=True, exist_ok=True)
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(self.paths.backups)))

    def reject(self) -> None:
        if not self.busy:
            super().reject()


class CourtConfirmDialog(QDialog):
    """恢复另一法院（或另一数据库）的备份: the administrator retypes the court's name (the service checks it)."""

    def __init__(self, foreign: ForeignBackup, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreCourtConfirm")
        self.setWindowTitle("恢复另一法院的备份")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        note = text_label(f"{foreign.reason}。\n\n恢复后，本数据库的全部案件、用户和设置将被该备份替换"
                          f"（当前数据库会先另存为“恢复前”备份）。\n\n如确需恢复，请输入法院名称“{foreign.required}”：",
                          "restoreCourtNote")
        self.name = QtWidgets.QLineEdit()
        self.name.setObjectName("restoreCourtName")
        self.name.setAccessibleName("法院名称")
        self.ok = button("恢复", "restoreCourtYes", slot=self.accept)
        cancel = button("取消", "restoreCourtNo", slot=self.reject)
        self.ok.setAutoDefault(False)
        cancel.setDefault(True)  # a destructive step is never the Enter default
        vbox(note, self.name, hbox(STRETCH, self.ok, cancel), parent=self)

    def typed(self) -> str:
        return self.name.text()
