"""备份与恢复 dialog: list, back up now, restore with confirmation and the restart notice — driven as an
administrator would; a restore gives back identical data."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.storage.backup import backup_database, list_backups
from baihe_desk.ui.admin.backup_dialog import BackupDialog
from baihe_desk.ui.common.qt import QApplication, QMessageBox, QPushButton, Qt
from tests.reliability.factories import assert_same_data, make_case


def _dialog(qtbot, db, paths, user):  # type: ignore[no-untyped-def]
    dlg = BackupDialog(db, paths, user)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _box(qtbot, name: str) -> QMessageBox:
    found: list[QMessageBox] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
                    and w.objectName() == name and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=15_000)
    return found[0]


def _click(qtbot, box: QMessageBox, name: str) -> None:
    qtbot.mouseClick(box.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_lists_backs_up_and_restores_with_confirmation(qtbot, settle, db, paths, users, tmp_path):
    admin = users[Role.ADMIN]
    make_case(db, users[Role.FILING_CLERK], 1)
    backup_database(db, paths, reason="startup")  # an older version's kind of backup is still listed
    backup_database(db, paths, reason="daily")
    dlg = _dialog(qtbot, db, paths, admin)
    assert dlg.model.rowCount() == 2 and {r.label for r in dlg.model.rows} == {"启动时", "每日"}
    assert dlg.backup_button.isEnabled() and dlg.restore_button.isEnabled()

    qtbot.mouseClick(dlg.backup_button, Qt.MouseButton.LeftButton)  # 立即备份
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3, timeout=15_000)
    manual = dlg.selected()
    assert manual is not None and manual.name.endswith("-manual.sqlite3") and "已备份" in dlg.status.text()
    with db.session() as s:
        assert s.scalars(select(AuditRecord).where(AuditRecord.action == "database.backup")).one()
    snapshot = tmp_path / "snapshot.sqlite3"
    snapshot.write_bytes(manual.read_bytes())

    later = make_case(db, users[Role.FILING_CLERK], 2)  # work after the backup
    # 取消 leaves everything as it was
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    _click(qtbot, _box(qtbot, "restoreConfirm"), "restoreConfirmNo")
    with db.session() as s:
        assert s.get(Case, later) is not None
    # 恢复
    restart = []
    dlg.restart_required.connect(lambda: restart.append(True))
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    confirm = _box(qtbot, "restoreConfirm")
    assert "恢复前" in confirm.text() and "程序将关闭" in confirm.text()
    assert confirm.defaultButton().objectName() == "restoreConfirmNo"  # Enter does not destroy anything
    _click(qtbot, confirm, "restoreConfirmYes")
    done = _box(qtbot, "restoreDone")
    assert "重新打开" in done.text() and not dlg.backup_button.isEnabled()
    assert not restart
    _click(qtbot, done, "messageBoxOk")
    qtbot.waitUntil(lambda: bool(restart))
    assert_same_data(paths.database, snapshot)
    assert any(b.reason == "before-restore" for b in list_backups(paths))


def test_a_broken_file_is_refused_calmly_and_nothing_changes(qtbot, settle, db, paths, users, tmp_path,
                                                             monkeypatch):
    make_case(db, users[Role.FILING_CLERK], 1)
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    dlg = _dialog(qtbot, db, paths, users[Role.ADMIN])
    monkeypatch.setattr(dlg, "ask_file", lambda: bad)
    before = paths.database.read_bytes()
    qtbot.mouseClick(dlg.file_button, Qt.MouseButton.LeftButton)
    confirm = _box(qtbot, "restoreConfirm")
    assert "not-a-backup.sqlite3" in confirm.text()
    _click(qtbot, confirm, "restoreConfirmYes")
    error = _box(qtbot, "messageBox")
    assert "不是有效的数据库备份" in error.text()
    assert paths.database.read_bytes() == before
    _click(qtbot, error, "messageBoxOk")
    assert dlg.backup_button.isEnabled()  # still usable


def test_other_roles_see_the_list_but_cannot_back_up_or_restore(qtbot, settle, db, paths, users):
    backup_database(db, paths, reason="manual")
    dlg = _dialog(qtbot, db, paths, users[Role.JUDGE])
    assert dlg.model.rowCount() == 1
    assert not dlg.backup_button.isEnabled() and not dlg.restore_button.isEnabled()
    assert not dlg.file_button.isEnabled() and "管理员" in dlg.status.text()
    assert dlg.ask_restore(dlg.selected()) is None
