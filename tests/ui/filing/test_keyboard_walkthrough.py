"""A clerk's case by keyboard alone, with real key events: intake of a two-party complaint → 立案审查 →
登记立案 → 送达地址确认书. Every key that is not typed content (Tab, Enter, shortcuts, the checklist's
answer keys) is counted and printed; the count must stay at or under 60. The review stays deliberate:
every checklist item the data does not answer takes its own key."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from sqlalchemy import select

from baihe_desk.models import Case, GeneratedDocument, Role, Stage
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QApplication, QMessageBox, Qt, QTimer
from tests.ui.helpers import commit_text, id_number

pytest.importorskip("PySide6.QtPdfWidgets")

BUDGET = 60
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


class Keyboard:
    """Presses keys on whatever has the focus (as a real keyboard does) and counts them."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    def target(self):
        return QApplication.activePopupWidget() or QApplication.focusWidget()

    def press(self, key: Qt.Key, modifier=NONE, times: int = 1, why: str = "") -> None:
        for _ in range(times):
            w = self.target()
            assert w is not None, f"no focus for {why or key}"
            self.count += 1
            self.log.append(f"{why or key.name}@{w.objectName() or type(w).__name__}")
            QTest.keyClick(w, key, modifier)
            QApplication.processEvents()

    def type(self, text: str) -> None:
        """Typed content (not counted): ASCII as key clicks, Chinese as the input method commits it."""
        w = QApplication.focusWidget()
        if text.isascii():
            QTest.keyClicks(w, text)
        else:
            commit_text(w, text)
        QApplication.processEvents()

    def answer_next_question(self, key: Qt.Key = Qt.Key.Key_Return) -> None:
        """The next modal question (登记立案？) is answered with ``key`` when it appears (counted)."""
        def poll() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.isVisible():
                self.count += 1
                self.log.append(f"{key.name}@question")
                QTest.keyClick(box, key)
                return
            QTimer.singleShot(20, poll)
        QTimer.singleShot(20, poll)


def test_intake_review_filing_and_address_confirmation_by_keyboard(qtbot, db, users, paths, court, capsys):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401
    from baihe_desk.models import Base
    from baihe_desk.ui.main_window import PAGE_FILING, MainWindow

    Base.metadata.create_all(db.engine)
    win = MainWindow(db, users[Role.FILING_CLERK], paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitActive(win)
    qtbot.waitUntil(lambda: win.case_list.model.loaded_once and not win.case_list.model.loading)
    kb = Keyboard(qtbot)

    # -- 收件登记 --------------------------------------------------------------------------------------------
    kb.press(Qt.Key.Key_N, CTRL, why="Ctrl+N")
    form = win.intake
    assert form.cause.hasFocus()
    kb.type("mjjd")
    qtbot.waitUntil(form.cause.popup_visible)
    kb.press(Qt.Key.Key_Return, why="pick 案由")
    assert form.cause.text() == "民间借贷纠纷"
    kb.press(Qt.Key.Key_Return, why="next")  # → 程序 (待定)
    kb.press(Qt.Key.Key_Return, why="next")  # → 标的额
    kb.type("12800")
    kb.press(Qt.Key.Key_Return, why="next")  # → 收件日期 (today)
    kb.press(Qt.Key.Key_Return, why="next")  # → 诉讼请求
    kb.type("请求判令被告偿还借款12800元")
    kb.press(Qt.Key.Key_Tab, why="next")  # → 事实和理由
    kb.type("被告借款未还。")
    kb.press(Qt.Key.Key_Tab, why="next")  # → 原告1 类型
    plaintiff, defendant = form.parties.editors
    kb.press(Qt.Key.Key_Return, why="next")  # → 原告1 住所地 (境内; decides the 30-day periods)
    kb.press(Qt.Key.Key_Return, why="next")  # → 原告1 姓名
    assert plaintiff.field("name").hasFocus(), (kb.log, QApplication.focusWidget().objectName(), QApplication.focusWidget().accessibleName())
    kb.type("王堃")
    kb.press(Qt.Key.Key_Return, why="next")  # → 身份证号
    kb.type(id_number())
    while not plaintiff.field("domicile").hasFocus():
        kb.press(Qt.Key.Key_Return, why="skip to 住所")
    kb.type("吉林省安图县二道白河镇白山大街1号")
    while not defendant.field("name").hasFocus():
        kb.press(Qt.Key.Key_Tab, why="to 被告1")
    kb.type("李喆玥")
    while not defendant.field("domicile").hasFocus():
        kb.press(Qt.Key.Key_Return, why="skip to 住所")
    kb.type("吉林省安图县松江镇1号")
    kb.press(Qt.Key.Key_S, CTRL, why="Ctrl+S")
    qtbot.waitUntil(lambda: not form.saving, timeout=10_000)
    assert background.wait_all(10_000)
    with db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.cause_name == "民间借贷纠纷" and [p.name for p in case.parties] == ["王堃", "李喆玥"]
        case_id = case.id
    intake_keys = kb.count

    # -- 立案审查 -------------------------------------------------------------------------------------------
    row = list(win.pages).index(PAGE_FILING) + 1
    kb.press(getattr(Qt.Key, f"Key_{row}"), CTRL, why=f"Ctrl+{row}")
    page = win.filing
    kb.press(Qt.Key.Key_K, CTRL, why="Ctrl+K")
    kb.type("王堃")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=15_000)  # the completion list comes from a background query
    kb.press(Qt.Key.Key_Return, why="pick the case")
    qtbot.waitUntil(lambda: page.view is not None and page.view.case_id == case_id, timeout=5000)
    assert background.wait_all(10_000)
    kb.press(Qt.Key.Key_S, ALT, why="开始立案审查")
    qtbot.waitUntil(lambda: page.view.review_open and page.checklist.model.rowCount() > 10, timeout=5000)
    qtbot.waitUntil(lambda: not page.saving and not page.pending and background.running() == 0, timeout=10_000)
    table = page.checklist.table
    if not table.hasFocus():
        kb.press(Qt.Key.Key_Tab, why="to the checklist")  # (counted if the page does not put the cursor there)
    for _ in range(80):
        items = page.checklist.model.items
        todo = [i for i, it in enumerate(items) if it.answer is None or it.prefilled]
        if not todo:
            break
        assert table.currentIndex().row() == todo[0], (todo[0], table.currentIndex().row(), kb.log[-3:])
        kb.press(Qt.Key.Key_Return if items[todo[0]].prefilled else Qt.Key.Key_1, why="checklist")
        qtbot.waitUntil(lambda: not page.saving and not page.pending, timeout=10_000)
    review_keys = kb.count - intake_keys

    kb.answer_next_question()  # 登记立案并分配民初案号？ 是 is the default
    kb.press(Qt.Key.Key_R, ALT, why="登记立案")
    qtbot.waitUntil(lambda: stage(db, case_id) is Stage.FILED, timeout=10_000)
    assert background.wait_all(10_000)

    # -- 送达地址确认书 ---------------------------------------------------------------------------------------
    while page.tabs.currentWidget() is not page.addresses:
        kb.press(Qt.Key.Key_Tab, CTRL, why="Ctrl+Tab")
    kb.press(Qt.Key.Key_G, ALT, why="生成送达地址确认书")
    assert background.wait_all(20_000)
    qtbot.waitUntil(lambda: page.addresses.last_document is not None, timeout=10_000)
    with db.session() as s:
        kinds = set(s.scalars(select(GeneratedDocument.kind).where(GeneratedDocument.case_id == case_id)))
        number = s.get(Case, case_id).case_number
    assert "address-confirmation" in kinds and f"（{today_local().year}）吉7502民初" in number

    with capsys.disabled():
        print(f"\n键盘操作计数（不含输入的内容）：共 {kb.count} 次 — 收件登记 {intake_keys}，立案审查 {review_keys}，"
              f"登记立案与送达地址确认书 {kb.count - intake_keys - review_keys}")
        print("  " + " ".join(kb.log))
    assert kb.count <= BUDGET, kb.log


def stage(db, case_id):
    with db.session() as s:
        return s.get(Case, case_id).stage
