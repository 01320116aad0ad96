"""One case picker: half- or full-width brackets, the serial alone, 收件号, party name or pinyin initials,
a completion list; Ctrl+K opens it from anywhere and the chosen case opens on the current page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Role, Stage
from baihe_desk.services.common.case_picker import find_case_id, normalise_reference, pick_cases
from baihe_desk.services.filing.intake import name_search_key
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QDialog, Qt
from tests.ui.helpers import commit_text, key

N101 = "（2026）吉7502民初101号"
N1101 = "（2026）吉7502民初1101号"


def add(db, receipt: str, number: str | None, plaintiff: str, defendant: str, days: int) -> Case:
    with db.transaction() as s:
        case = Case(receipt_number=receipt, case_number=number, received_on=date(2026, 11, 30) - timedelta(days=days),
                    cause_code="9.24.201", cause_name="民间借贷纠纷", claim_amount=Decimal("12800"),
                    stage=Stage.FILED if number else Stage.RECEIVED, claims="还款", facts="借款未还")
        case.parties = [Party(role=role, kind=PartyKind.NATURAL, name=name, name_pinyin=name_search_key(name),
                              sort_order=i) for i, (role, name) in enumerate(((PartyRole.PLAINTIFF, plaintiff),
                                                                              (PartyRole.DEFENDANT, defendant)))]
        s.add(case)
    return case


@pytest.fixture
def cases(db, court):
    return {"101": add(db, "SJ2026-0101", N101, "王堃", "刘䶮", 3),
            "1101": add(db, "SJ2026-1101", N1101, "赵喆", "钱晓", 2),
            "open": add(db, "SJ2026-0207", None, "孙玥", "周建国", 1)}


def ids(rows) -> list:
    return [r.id for r in rows]


def test_what_may_be_typed(db, cases):
    assert normalise_reference(" (2026)吉7502民初101号 ") == N101
    assert normalise_reference("（２０２６）吉7502民初101号") == N101
    with db.session() as s:
        for typed in (N101, "(2026)吉7502民初101号", "〔2026〕吉7502民初101号", "民初101号", "101", "１０１"):
            assert find_case_id(s, typed) == cases["101"].id, typed
        assert ids(pick_cases(s, "101"))[0] == cases["101"].id  # the serial: 101 first, 1101 only after it
        assert find_case_id(s, "1101") == cases["1101"].id
        assert find_case_id(s, "SJ2026-0207") == cases["open"].id  # 收件号
        assert find_case_id(s, "孙玥") == cases["open"].id  # a party's name
        assert find_case_id(s, "wk") == cases["101"].id  # pinyin initials of 王堃
        assert find_case_id(s, "刘䶮") == cases["101"].id  # rare CJK
        with pytest.raises(Exception, match="没有找到案件"):
            find_case_id(s, "张三丰")
        with pytest.raises(Exception, match="对应多件案件"):
            find_case_id(s, "2026")  # every number has the year: the list, not a guess


def test_explanation_page_takes_half_width_brackets_and_the_completion_list(qtbot, db, paths, users, cases):
    from baihe_desk.ui.explanation.page import ExplanationPage

    page = ExplanationPage(db, paths, users[Role.JUDGE])
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitActive(page)
    # typed and Enter, half-width brackets: opens
    field = page.case_ref
    field.setFocus()
    qtbot.keyClicks(field, "(2026)")
    commit_text(field, "吉7502民初101号")
    key(field, Qt.Key.Key_Escape)
    key(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.case_id == cases["101"].id, timeout=5000)
    # the initials, then the list: the first match is current, Enter takes it
    field.clear()
    with qtbot.waitSignal(field.searched, timeout=5000):
        qtbot.keyClicks(field, "sy")  # 孙玥
    assert field.popup_visible()
    popup = field.completer_.popup()
    assert "SJ2026-0207" in popup.currentIndex().data()
    key(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.case_id == cases["open"].id, timeout=5000)
    assert background.wait_all(10_000)


def test_ctrl_k_opens_the_picker_from_anywhere(qtbot, db, paths, users, cases):
    from baihe_desk.ui.main_window import PAGE_EXPLANATION, MainWindow

    win = MainWindow(db, users[Role.JUDGE], paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.show_page(PAGE_EXPLANATION)
    win.activateWindow()
    qtbot.waitActive(win)
    page.case_ref.setFocus()
    qtbot.waitUntil(page.case_ref.hasFocus)
    key(page.case_ref, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = next((w for w in win.findChildren(QDialog) if w.objectName() == "casePickerDialog"), None)
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.field.searched, timeout=5000):
        qtbot.keyClicks(dialog.field, "101")
    key(dialog.field.completer_.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.case_id == cases["101"].id, timeout=5000)
    assert not dialog.isVisible()
    assert win.windowTitle().count("立案·调解工作台") == 1 and win.windowTitle().count("白河林区基层法院") == 1
    assert background.wait_all(10_000)


def test_enforcement_consultation_starts_from_half_width_brackets(qtbot, db, paths, users, cases):
    from sqlalchemy import select

    from baihe_desk.models import Base
    from baihe_desk.models.enforcement import EnforcementConsultation
    from baihe_desk.ui.enforcement.page import EnforcementConsultPage

    Base.metadata.create_all(db.engine)
    page = EnforcementConsultPage(db, paths, users[Role.JUDGE])
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.case_ref.setFocus()
    qtbot.keyClicks(page.case_ref, "(2026)")
    commit_text(page.case_ref, "吉7502民初101号")  # what a judge types: half-width brackets
    page.case_ref.completer_.popup().hide()
    key(page.case_ref, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editor.consultation_id is not None, timeout=10_000)
    assert background.wait_all(10_000)
    with db.session() as s:
        assert s.scalars(select(EnforcementConsultation.case_id)).all() == [cases["101"].id]
