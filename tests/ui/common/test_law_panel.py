"""法条面板, as a clerk uses it: F1 on a checklist item, on a clock and on a fee step opens the article the item
cites; a link in the clock's and the fee's explanation opens it too; the search box finds by number (汉字 or
digits) and by words; the version box shows an older text. The expected articles are the law's, not the code's:
a simple-procedure trial limit is 民事诉讼法第一百六十四条, halving after mediation is 诉讼费用交纳办法第十五条,
the plaintiff's standing is 民事诉讼法第一百二十二条."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from baihe_desk.services.common import law_library
from baihe_desk.ui.common.law_panel import LawPanel, law_panel_for
from baihe_desk.ui.filing.checklist import ChecklistPanel
from baihe_desk.ui.filing.procedure import FeePanel
from baihe_desk.ui.filing.state import SheetItem
from tests.ui.helpers import commit_text, key


def _activate(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    """Show ``widget`` as the active window (F1 is a window shortcut: it works in the window in front)."""
    widget.show()
    with qtbot.waitActive(widget, timeout=5000):
        widget.activateWindow()


def _panel(widget) -> LawPanel:  # type: ignore[no-untyped-def]
    panel = widget.window().findChild(LawPanel, "lawPanel")
    assert panel is not None, "the law panel did not open"
    return panel


def _shown(panel: LawPanel) -> tuple[str, int]:
    a = panel.current_article()
    assert a is not None
    return a.law_key, a.number


def _item(item_id: str, question: str, basis: tuple[str, ...]) -> SheetItem:
    return SheetItem(item_id, "起诉条件", question, "缺陷", "补正", basis, "correction", "补正", False, None, "",
                     False, "", False, None)


def test_f1_on_a_checklist_item_opens_its_article(qtbot):
    window = QMainWindow()  # as in the desk: the checklist in the main window, the law panel docks beside it
    qtbot.addWidget(window)
    panel = ChecklistPanel()
    window.setCentralWidget(panel)
    panel.set_sheet([
        _item("standing", "原告是否与本案有直接利害关系", ("《中华人民共和国民事诉讼法》第一百二十二条第一项",)),
        _item("post", "是否填写送达地址确认书", ("《最高人民法院关于以法院专递方式邮寄送达民事诉讼文书的若干规定》第三条",)),
    ], editable=True, keep_row=False)
    _activate(qtbot, window)
    panel.select(0)
    panel.table.setFocus()
    key(panel.table, Qt.Key.Key_F1)
    law = _panel(panel)
    assert law.parentWidget().objectName() == "lawDock" and panel.table.hasFocus()
    assert _shown(law) == ("cpl", 122)
    assert "第（一）项" in law.title.text() and "有明确的被告" in law.view.toPlainText()
    key(panel.table, Qt.Key.Key_Down)
    key(panel.table, Qt.Key.Key_F1)
    assert _shown(law) == ("court-post", 3)
    assert "法院专递" in law.source.text()
    # the 依据 line under the item is a link too
    assert "law:court-post/3" in panel.detail.text()


def test_f1_and_links_in_the_fee_breakdown(qtbot):
    fee = FeePanel()
    qtbot.addWidget(fee)
    _activate(qtbot, fee)
    fee.kind.setCurrentIndex(fee.kind.findData("property"))
    commit_text(fee.amount, "50000")
    QTest.mouseClick(fee.mediated, Qt.MouseButton.LeftButton)
    html = fee.steps.toHtml()
    assert "law:litigation-fees/13" in html and "law:litigation-fees/15" in html
    # F1 with the cursor in the halving step: 第十五条 (调解结案减半)
    doc = fee.steps.document()
    block = next(b for b in _blocks(doc) if "减半交纳" in b.text())
    cursor = QTextCursor(block)
    fee.steps.setTextCursor(cursor)
    fee.steps.setFocus()
    key(fee.steps, Qt.Key.Key_F1)
    law = _panel(fee)
    assert _shown(law) == ("litigation-fees", 15)
    assert "以调解方式结案或者当事人申请撤诉的，减半交纳案件受理费" in law.view.toPlainText()
    # clicking the first step's 依据 link opens 第十三条 (the property-case scale)
    first = next(b for b in _blocks(doc) if "第十三条" in b.text())
    pos = first.text().index("第十三条")
    c = QTextCursor(first)
    c.setPosition(first.position() + pos + 1)
    rect = fee.steps.cursorRect(c)
    QTest.mouseClick(fee.steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _shown(law) == ("litigation-fees", 13), timeout=3000)


def _blocks(doc):  # type: ignore[no-untyped-def]
    b = doc.begin()
    while b.isValid():
        yield b
        b = b.next()


def _world_module():  # type: ignore[no-untyped-def]
    from tests.ui.deadlines.test_queue_trial_limit import _world_module as world

    return world()


def test_f1_on_a_clock_and_a_link_in_its_explanation(qtbot, db, users, paths):
    from baihe_desk.models import Procedure, Role, Stage
    from baihe_desk.services.deadlines import clocks
    from baihe_desk.ui.deadlines.queue_page import QueuePage

    w = _world_module()
    world = w.build_world(db, users)
    judge = world.users[Role.JUDGE]
    filed = clocks.today_local() - timedelta(days=40)
    with db.transaction() as s:
        w.add_case(s, received_on=filed, stage=Stage.IN_TRIAL, filed_on=filed, procedure=Procedure.SIMPLE,
                   judge_id=judge.id)
    page = QueuePage(db, paths, judge)
    qtbot.addWidget(page)
    _activate(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.table.setFocus()
    key(page.table, Qt.Key.Key_F1)
    law = _panel(page)
    assert _shown(law) == ("cpl", 164)  # 简易程序：立案之日起三个月内审结
    assert "三个月内审结" in law.view.toPlainText()
    html = page.detail.toHtml()
    assert "law:civil-code/202" in html  # months are counted by 民法典第二百零二条
    page.detail.anchorClicked.emit(_url("law:civil-code/202"))
    assert _shown(law) == ("civil-code", 202)
    assert "law:cpl/85/p2" in html  # the filing day is not counted: 第八十五条第二款
    page.detail.anchorClicked.emit(_url("law:cpl/85/p2"))
    assert _shown(law) == ("cpl", 85) and "第二款" in law.title.text()


def _url(href: str):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl

    return QUrl(href)


def test_search_box_by_number_and_words_and_neighbours(qtbot):
    host = FeePanel()
    qtbot.addWidget(host)
    law = law_panel_for(host)
    law.show_article("cpl", 122)
    assert "第一百二十一条" in law.view.toPlainText() and "第一百二十三条" in law.view.toPlainText()
    commit_text(law.query, "一百二十六")
    key(law.query, Qt.Key.Key_Return)
    assert _shown(law) == ("cpl", 126)
    law.query.clear()
    commit_text(law.query, "解释461")
    key(law.query, Qt.Key.Key_Return)
    assert _shown(law) == ("cpl-interpretation", 461)
    law.query.clear()
    commit_text(law.query, "小额诉讼 审结")
    key(law.query, Qt.Key.Key_Return)
    assert law.results.isVisible() or law.results.count() > 0
    texts = [law.results.item(i).text() for i in range(law.results.count())]
    assert any(t.startswith("民诉法解释") or t.startswith("民事诉讼法") for t in texts)
    law.show_article("cpl", 168)
    QTest.mouseClick(law.prev_button, Qt.MouseButton.LeftButton)
    assert _shown(law) == ("cpl", 167)
    QApplication.processEvents()


def test_the_version_box_shows_an_added_older_text(qtbot, tmp_path):
    text = tmp_path / "old.md"
    text.write_text("<!-- INFO END -->\n第一百二十二条 旧文本的起诉条件。\n", encoding="utf-8")
    data = tmp_path / "data"
    law_library.add_version(data, "民诉法", text, version="2099年修正（测试）", effective=dt.date(2099, 1, 1),
                            source="测试")
    lib = law_library.LawLibrary.load(data / "law")
    panel = LawPanel(library=lib)
    qtbot.addWidget(panel)
    panel.show_article("cpl", 122)
    assert "起诉必须符合下列条件" in panel.view.toPlainText()  # today: the 2023 text
    assert panel.version.count() == 2
    panel.version.setCurrentIndex(panel.version.findData("2099年修正（测试）"))
    panel.version.activated.emit(panel.version.currentIndex())
    assert "旧文本的起诉条件" in panel.view.toPlainText()


def test_the_document_preview_lists_the_articles_it_cites(qtbot, tmp_path):
    from baihe_desk.documents.fonts import font_index
    from baihe_desk.documents.model import Document, Para, Span
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.preflight import FontPlan
    from baihe_desk.documents.settings import font_chains
    from baihe_desk.ui.cases.documents_panel import PdfPreviewDialog

    body = ("根据《最高人民法院关于人民法院登记立案若干问题的规定》第七条第一款的规定，现一次性书面告知你在指定期限内补正；"
            "对不予受理的裁定不服的，可以依法提起上诉（《中华人民共和国民事诉讼法》第一百二十六条）。")
    doc = Document(kind="test", title="补正通知书", court_name=[Span("吉林省白河林区基层法院")], number=[],
                   blocks=[Para([Span(body)])])
    path = tmp_path / "notice.pdf"
    path.write_bytes(render_pdf(doc, FontPlan.resolve(font_index(), font_chains(None))))
    dialog = PdfPreviewDialog(path, "补正通知书")
    qtbot.addWidget(dialog)
    label = dialog.citations
    assert "law:case-registration/7" in label.text() and "law:cpl/126" in label.text()
    label.linkActivated.emit("law:case-registration/7")
    law = _panel(dialog)
    assert _shown(law) == ("case-registration", 7)
    dialog.done(0)


def test_references_inside_an_older_text_are_not_linked_to_the_current_numbering(qtbot):
    """民诉法解释 (2022) cites 民事诉讼法 by its 2021 numbers (its 第二百三十四条 is today's 第二百三十八条): no link
    may lead to the wrong article; a reference within the same law (本法第一百二十二条) is linked."""
    panel = LawPanel()
    qtbot.addWidget(panel)
    panel.show_article("cpl-interpretation", 462)
    html = panel.view.toHtml()
    assert "民事诉讼法第二百三十四条" in panel.view.toPlainText() and "law:cpl/234" not in html
    assert "条文序号按2022年施行时的文本" in panel.view.toPlainText()
    panel.show_article("cpl", 126)
    assert "law:cpl/122" in panel.view.toHtml() and "条文序号按" not in panel.view.toPlainText()


def test_a_citation_broken_across_a_line_and_a_page_is_still_listed(qtbot):
    from baihe_desk.ui.common.law_panel import pdf_citations_label

    class Sel:
        def __init__(self, text: str):
            self._text = text

        def text(self) -> str:
            return self._text

    class Pdf:  # what QPdfDocument.getAllText gives for the 诉前调解告知书 (seen in the desk's own PDF)
        pages = ["依照《最高人民法院关于人民法院特邀调解的规定》第二十— 2 —\r\n",
                 "七条的规定……依照《中华人民共和国民事诉讼法》第二百零五条、第\r\n二百零六条的规定"]

        def pageCount(self) -> int:  # noqa: N802
            return len(self.pages)

        def getAllText(self, i: int) -> Sel:  # noqa: N802
            return Sel(self.pages[i])

    label = pdf_citations_label(Pdf())
    qtbot.addWidget(label)
    for href in ("law:invited-mediation/27", "law:cpl/205", "law:cpl/206"):
        assert href in label.text()


def test_f1_on_every_item_of_the_shipped_checklist(qtbot):
    """Every item of resources/checklists/complaint-review.toml: F1 opens the first article its 依据 names."""
    import tomllib

    from baihe_desk.services.common.citations import find_citations
    from tests.services.common.citation_corpus import RESOURCES

    data = tomllib.loads((RESOURCES / "checklists" / "complaint-review.toml").read_text(encoding="utf-8"))
    items = [_item(it["id"], it["question"], tuple(it["basis"])) for it in data["item"]]
    assert len(items) >= 20
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = ChecklistPanel()
    window.setCentralWidget(panel)
    panel.set_sheet(items, editable=True, keep_row=False)
    _activate(qtbot, window)
    seen = set()
    for row in range(panel.model.rowCount()):
        panel.select(row)
        panel.table.setFocus()
        key(panel.table, Qt.Key.Key_F1)
        it = panel.current_item()
        first = find_citations(it.basis[0])[0]
        assert _shown(_panel(panel)) == (first.law_key, first.article), it.item_id
        seen.add(first.law_key)
    assert {"cpl", "case-registration", "court-post"} <= seen


def test_f1_on_every_fee_step_of_every_kind(qtbot):
    """Each step of the fee breakdown, for every kind of fee: the cursor on the step, F1 opens its 依据."""
    from baihe_desk.services.common.citations import find_citations
    from baihe_desk.services.filing.fees import calculate_fee

    window = QMainWindow()  # as in the desk: the fee panel in the main window, the law panel docked beside it
    qtbot.addWidget(window)
    fee = FeePanel()
    window.setCentralWidget(fee)
    _activate(qtbot, window)
    checked, shown = 0, set()
    for i in range(fee.kind.count()):
        fee.kind.setCurrentIndex(i)
        fee.amount.clear()
        commit_text(fee.amount, "320000")
        try:
            steps = calculate_fee(fee.kind.currentData(), "320000").steps
        except Exception:  # a kind without an amount
            fee.amount.clear()
            steps = calculate_fee(fee.kind.currentData(), None).steps
        blocks = [b for b in _blocks(fee.steps.document()) if b.text().strip()]
        for st in steps:
            cites = find_citations(st.basis, default_law="诉讼费用交纳办法")
            if not cites:
                continue
            block = next(b for b in blocks if st.text in b.text() and st.basis in b.text())  # the step
            fee.steps.setTextCursor(QTextCursor(block))
            fee.steps.setFocus()
            key(fee.steps, Qt.Key.Key_F1)
            assert _shown(_panel(fee)) == (cites[0].law_key, cites[0].article), (fee.kind.currentText(), st.basis)
            checked += 1
            shown.add(cites[0].article)
    assert checked >= 20 and {13, 14} <= shown


def test_f1_on_the_filing_clock_opens_the_seven_day_rule(qtbot, db, users, paths):
    """A complaint received and not yet decided: the clerk's queue shows the 七日立案期限, whose article is
    民事诉讼法第一百二十六条 (应当在七日内立案)."""
    from baihe_desk.models import Role, Stage
    from baihe_desk.services.deadlines import clocks
    from baihe_desk.ui.deadlines.queue_page import QueuePage

    w = _world_module()
    world = w.build_world(db, users)
    clerk = world.users[Role.FILING_CLERK]
    with db.transaction() as s:
        w.add_case(s, received_on=clocks.today_local() - timedelta(days=3), stage=Stage.RECEIVED,
                   created_by_id=clerk.id, department_id=world.filing)
    page = QueuePage(db, paths, clerk)
    qtbot.addWidget(page)
    _activate(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 1, timeout=15_000)
    row = next(r for r in range(page.model.rowCount()) if "立案" in page.model.index(r, 1).data())
    page.table.setCurrentIndex(page.model.index(row, 0))
    page.table.setFocus()
    key(page.table, Qt.Key.Key_F1)
    law = _panel(page)
    assert _shown(law) == ("cpl", 126) and "应当在七日内立案" in law.view.toPlainText()


def test_a_case_decided_under_an_older_text_opens_that_text(qtbot, tmp_path):
    """After an administrator adds a newer 民事诉讼法 (in force 2027-01-01), a judgment of 2026 still opens the
    2023 text of 第一百七十一条; one of 2027 opens the new one."""
    from baihe_desk.ui.common.law_panel import open_citation

    text = tmp_path / "cpl-2027.md"
    text.write_text("<!-- INFO END -->\n第一百七十一条 新文本的上诉期限。\n", encoding="utf-8")
    data = tmp_path / "data"
    law_library.add_version(data, "民诉法", text, version="2027年修正（测试）", effective=dt.date(2027, 1, 1),
                            source="测试")
    law_library.use_data_dir(data)
    try:
        host = QMainWindow()
        qtbot.addWidget(host)
        cite = ["《中华人民共和国民事诉讼法》第一百七十一条第一款"]
        law = open_citation(host, cite, day=lambda: dt.date(2026, 12, 1))
        assert law is not None and "十五日内向上一级人民法院提起上诉" in law.view.toPlainText()
        assert law.version.currentData() == "2023年第五次修正"
        open_citation(host, cite, day=lambda: dt.date(2027, 3, 1))
        assert "新文本的上诉期限" in law.view.toPlainText() and law.version.currentData() == "2027年修正（测试）"
    finally:
        law_library.use_data_dir(None)
