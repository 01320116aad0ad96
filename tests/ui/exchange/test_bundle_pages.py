"""The 案件包 pages driven as a clerk, a judge and an administrator would: register a desk by its
fingerprint, export with the dialog, check a returning bundle, decide its conflict, import."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from baihe_desk.models import Party, Role, Stage
from baihe_desk.models.exchange import Desk, DeskKind
from baihe_desk.services.exchange import identity
from baihe_desk.services.exchange.export import checkout_mark
from baihe_desk.ui.common.qt import QPushButton, Qt, QTimer
from tests.services.exchange.exchange_support import TODAY, add_case, make_side, register
from tests.ui.helpers import commit_text

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def desks(db, paths, users, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")  # the pages' keystore: never the real OS credential store
    court = make_side("白河林区法院", DeskKind.COURT, paths.root, db=db, paths=paths, admin=users[Role.ADMIN])
    laptop = make_side("刘法官笔记本", DeskKind.LAPTOP, tmp_path / "laptop")
    register(laptop, court)
    yield court, laptop
    laptop.db.dispose()


def test_admin_registers_a_desk_only_with_the_fingerprint_read_aloud(qtbot, desks, users, tmp_path):
    from baihe_desk.ui.exchange.desks import DesksTab

    court, laptop = desks
    card = tmp_path / "laptop.baihe-desk"
    with laptop.db.session() as s:
        card.write_bytes(identity.card(s.get(Desk, laptop.desk.id)))
    tab = DesksTab(court.db, court.paths, users[Role.ADMIN])
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: court.desk.fingerprint in tab.own.text(), timeout=10_000)
    commit_text(tab.card_path, str(card) + "x")  # a mistyped path: said calmly, no crash
    commit_text(tab.spoken, laptop.desk.fingerprint)
    qtbot.mouseClick(tab.register_button, LEFT)
    qtbot.waitUntil(lambda: "无法读取身份卡" in tab.status.text(), timeout=10_000)
    tab.card_path.clear()
    tab.spoken.clear()
    commit_text(tab.card_path, str(card))
    wrong = laptop.desk.fingerprint[:-1] + ("1" if laptop.desk.fingerprint[-1] != "1" else "2")
    commit_text(tab.spoken, wrong)
    qtbot.mouseClick(tab.register_button, LEFT)
    qtbot.waitUntil(lambda: "不符" in tab.status.text(), timeout=10_000)
    assert tab.table.rowCount() == 0
    tab.spoken.clear()
    commit_text(tab.spoken, laptop.desk.fingerprint)
    qtbot.mouseClick(tab.register_button, LEFT)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)
    assert tab.table.item(0, 2).text() == laptop.desk.fingerprint and tab.table.item(0, 3).text() == "有效"
    with court.db.session() as s:
        assert s.get(Desk, laptop.desk.id).active


def test_export_dialog_then_import_preview_and_conflict_screen(qtbot, desks, users, tmp_path):
    from baihe_desk.ui.exchange.export_dialog import ExportDialog
    from baihe_desk.ui.exchange.import_view import ConflictDialog, ImportView

    court, laptop = desks
    register(court, laptop)
    judge = users[Role.JUDGE]
    case = add_case(court.db, "2026收00041", stage=Stage.IN_TRIAL, judge=judge, case_number="（2026）吉7502民初41号")
    # the judge lends the case to the laptop with the export dialog
    dialog = ExportDialog(court.db, court.paths, judge, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.desk.count() == 1, timeout=10_000)
    qtbot.mouseClick(dialog.find_button, LEFT)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 1).text() == "（2026）吉7502民初41号"
    qtbot.mouseClick(dialog.ok, LEFT)
    assert "请至少勾选" in dialog.status.text()
    dialog.check_row(0)
    out = tmp_path / "to-laptop.baihe"
    dialog.out.setText(str(out))
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=15_000)
    due = TODAY + timedelta(days=30)
    assert out.is_file() and f"应于 {due.isoformat()} 前归还" in dialog.status.text()
    with court.db.session() as s:
        assert checkout_mark(s, case.id).startswith("已借出：刘法官笔记本")
    from baihe_desk.ui.cases.case_detail import load_case_html

    assert f"已借出：刘法官笔记本（应于 {due.isoformat()} 归还）" in load_case_html(court.db, case.id)[1]  # others see it

    # offline on the laptop and meanwhile at the court: the same party's phone changed on both sides
    laptop.import_(laptop.admin, out.read_bytes())
    with court.db.session() as s:
        party_id = s.scalars(select(Party.id).where(Party.case_id == case.id, Party.name == "王堃")).one()
    with laptop.db.transaction() as s:
        s.get(Party, party_id).phone = "13904330222"
    with court.db.transaction() as s:
        s.get(Party, party_id).phone = "13904330111"
    back = tmp_path / "back.baihe"
    back.write_bytes(laptop.export(laptop.activate(judge.username), [case.id], court))

    view = ImportView(court.db, court.paths, judge)
    qtbot.addWidget(view)
    commit_text(view.path, str(back))
    qtbot.mouseClick(view.check_button, LEFT)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=15_000)
    assert view.summary.text() == "将要导入：冲突 1 处待决定。"
    assert "签名者：已登记的工作台“刘法官笔记本”，签名有效" in view.signer.toPlainText()
    assert view.changes.item(0, 2).text() == "冲突：双方都修改了（电话）"
    assert not view.import_button.isEnabled() and view.conflict_button.isEnabled()

    def decide() -> None:
        dlg = view.findChild(ConflictDialog)
        assert "本机“13904330111” / 对方“13904330222”" in dlg.table.item(0, 2).text()
        dlg.choices[0].setCurrentIndex(2)  # 采用对方的内容
        qtbot.mouseClick(dlg.findChild(QPushButton, "conflictOk"), LEFT)

    QTimer.singleShot(200, decide)
    qtbot.mouseClick(view.conflict_button, LEFT)
    assert view.import_button.isEnabled()
    qtbot.mouseClick(view.import_button, LEFT)
    qtbot.waitUntil(lambda: view.status.text().startswith("已导入"), timeout=15_000)
    with court.db.session() as s:
        assert s.get(Party, party_id).phone == "13904330222"
        assert checkout_mark(s, case.id) == ""
