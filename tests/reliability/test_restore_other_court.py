"""Issue 17: a backup of another court, or of another database that merely carries the same court name,
replaces the court's data only after the administrator retypes the court's name — in the service, the
window (备份与恢复 › 从文件恢复) and the command line (``--confirm-court``). A refusal touches nothing and
is audited; the database's own backups restore as before, without the question."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from baihe_desk import cli
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import AuditRecord, Case, CourtProfile, Role
from baihe_desk.services.admin import court as court_service
from baihe_desk.services.admin.backups import CourtConfirmationNeeded, restore_database
from baihe_desk.storage.backup import backup_database
from baihe_desk.storage.startup import open_database
from baihe_desk.ui.admin.backup_dialog import BackupDialog, CourtConfirmDialog
from baihe_desk.ui.common.qt import QApplication, Qt
from tests.conftest import PASSWORD
from tests.reliability.factories import make_case
from tests.ui.helpers import type_text

OTHER = "吉林省长白朝鲜族自治县人民法院"
OURS = "吉林省白河林区基层法院"


def _foreign_backup(tmp_path: Path, name: str) -> Path:
    """A backup made by another installation whose court is ``name``."""
    other_paths = Paths(tmp_path / f"other-{len(list(tmp_path.glob('other-*')))}").ensure()
    other = open_database(other_paths, LocalSettings(), backup=False)
    with other.transaction() as s:
        from baihe_desk.services.common.actor import SYSTEM

        court_service.save_profile(s, SYSTEM, name=name, code="吉0626")  # that installation's first start
    out = backup_database(other, other_paths, reason="manual")
    other.dispose()
    return out


def _audits(db, action: str) -> list[AuditRecord]:
    with db.session() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def _court(paths: Paths) -> str:
    db = open_database(paths, LocalSettings(), backup=False)
    try:
        with db.session() as s:
            return s.scalar(select(CourtProfile.name))
    finally:
        db.dispose()


@pytest.mark.parametrize("name, reason", [(OTHER, "另一法院"), (OURS, "另一个数据库")])
def test_another_courts_backup_needs_the_name_retyped(db, paths, users, tmp_path, name, reason):
    admin = users[Role.ADMIN]
    make_case(db, users[Role.FILING_CLERK], 1)
    foreign = _foreign_backup(tmp_path, name)
    for typed in (None, "白河林区法院", "吉林省某县人民法院"):
        with pytest.raises(CourtConfirmationNeeded) as info:
            restore_database(paths, foreign, actor=admin, db=db, confirm_court=typed)
        assert reason in info.value.message and f"“{name}”" in info.value.message
        assert ("名称不符" in info.value.message) == bool(typed)
    with db.session() as s:  # still our court and our case (the refusals only added their audit records)
        assert s.scalar(select(CourtProfile.name)) == OURS and s.scalar(select(func.count()).select_from(Case)) == 1
    assert not list(paths.backups.glob("*before-restore*"))  # nothing was replaced
    refused = _audits(db, "database.restore_refused")
    assert len(refused) == 3 and all(r.username == admin.username and reason in r.after["reason"] for r in refused)

    result = restore_database(paths, foreign, actor=admin, db=db, confirm_court=f" {name} ")  # spaces forgiven
    assert result.safety_copy is not None and result.safety_copy.exists()
    assert _court(paths) == name
    restored = open_database(paths, LocalSettings(), backup=False)
    try:
        done = _audits(restored, "database.restore")[-1]
        assert reason in done.after["other_court"] and done.username == admin.username
    finally:
        restored.dispose()


def test_own_backup_restores_without_the_question(db, paths, users):
    make_case(db, users[Role.FILING_CLERK], 1)
    own = backup_database(db, paths, reason="manual")
    make_case(db, users[Role.FILING_CLERK], 2)
    restore_database(paths, own, actor=users[Role.ADMIN], db=db)
    assert _court(paths) == OURS


def test_command_line_needs_confirm_court(db, paths, users, tmp_path, capsys, monkeypatch):
    foreign = _foreign_backup(tmp_path, OTHER)
    db.dispose()
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", PASSWORD)
    args = ["--data-dir", str(paths.root), "restore", "--user", users[Role.ADMIN].username, str(foreign)]
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    assert "另一法院" in out + err and "--confirm-court" not in out  # the message asks for the name
    assert _court(paths) == OURS
    assert cli.main([*args, "--confirm-court", "白河"]) == 1
    assert _court(paths) == OURS
    assert cli.main([*args, "--confirm-court", OTHER]) == 0
    assert _court(paths) == OTHER


def test_window_asks_for_the_court_name(qtbot, settle, db, paths, users, tmp_path):
    foreign = _foreign_backup(tmp_path, OTHER)
    dlg = BackupDialog(db, paths, users[Role.ADMIN])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.ask_file = lambda: foreign
    restarted: list[bool] = []
    dlg.restart_required.connect(lambda: restarted.append(True))
    qtbot.mouseClick(dlg.file_button, Qt.MouseButton.LeftButton)  # 从文件恢复
    ask = dlg.court_dialog
    assert isinstance(ask, CourtConfirmDialog) and ask.isVisible() and OTHER in ask.findChild(
        type(dlg.status), "restoreCourtNote").text()
    type_text(ask.name, "长白县法院")  # the wrong name: the service refuses, nothing replaced
    qtbot.mouseClick(ask.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=15_000)
    boxes = [w for w in QApplication.topLevelWidgets() if w.isVisible() and "名称不符" in getattr(w, "text", str)()]
    assert boxes, "the refusal is shown"
    for b in boxes:
        b.close()
    assert _court(paths) == OURS

    qtbot.mouseClick(dlg.file_button, Qt.MouseButton.LeftButton)
    ask = dlg.court_dialog
    type_text(ask.name, OTHER)
    qtbot.mouseClick(ask.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已恢复" in dlg.status.text(), timeout=15_000)
    assert _court(paths) == OTHER
