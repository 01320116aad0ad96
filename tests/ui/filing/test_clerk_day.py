"""A filing clerk's first minutes, end to end: log in through the dialog, register a complaint with a
natural-person plaintiff and an organisation defendant typed in Chinese, find it again by a
two-character name search, and check what the database and the audit trail hold."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import AuditRecord, Case, PartyKind
from baihe_desk.ui.common.qt import QDialog, Qt
from baihe_desk.ui.login import LoginDialog
from baihe_desk.ui.main_window import PAGE_CASES, MainWindow
from tests.ui.filing.test_intake_form import DEFENDANT_CODE, PLAINTIFF_ID, fill_case
from tests.ui.helpers import key, type_text


def test_log_in_register_and_find_by_two_characters(qtbot, db, users, password, paths):
    dlg = LoginDialog(db, court_name="吉林省白河林区基层法院")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setFocus()
    qtbot.keyClicks(dlg.username, "t_filing_clerk")
    key(dlg.username, Qt.Key.Key_Return)
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    user = dlg.user

    win = MainWindow(db, user, paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.case_list.model.loaded_once and not win.case_list.model.loading)
    assert win.case_list.model.total == 0

    win.new_intake()
    fill_case(qtbot, win.intake)  # 王堃 (ID number) v. 白河林业物业服务有限公司 (credit code), typed as Chinese
    qtbot.mouseClick(win.intake.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.case_list.model.total == 1, timeout=10_000)

    win.show_page(PAGE_CASES)
    type_text(win.case_list.search, "王堃")
    qtbot.waitUntil(lambda: not win.case_list.model.loading and win.case_list.model.total == 1, timeout=10_000)
    row = win.case_list.model.rows[0]
    assert row.plaintiffs == "王堃" and row.defendants == "白河林业物业服务有限公司"
    win.case_list.search.clear()
    type_text(win.case_list.search, "李四")
    qtbot.waitUntil(lambda: not win.case_list.model.loading and win.case_list.model.total == 0, timeout=10_000)

    with db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.id == row.id and case.created_by_id == user.id
        plaintiff, defendant = case.parties
        assert (plaintiff.kind, plaintiff.name, plaintiff.id_number) == (PartyKind.NATURAL, "王堃", PLAINTIFF_ID)
        assert (defendant.kind, defendant.credit_code) == (PartyKind.ORGANISATION, DEFENDANT_CODE)
        actions = [(r.action, r.username) for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))
                   if r.action != "state.snapshot"]  # (the transaction's state hashes follow its records)
        assert ("auth.login", "t_filing_clerk") in actions
        assert actions[-1] == ("case.create", "t_filing_clerk")
