"""The two 执行咨询 pages forget the previous consultation (the stale-panel test of the other pages, for the
judge's draft editor and adoption box and the bureau's 执行建议 editor): the user types into every field of
consultation A, opens B, and no field, table cell or choice still holds what was typed for A."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baihe_desk.models import Base, Case, Party, PartyKind, PartyRole, Role
from baihe_desk.models.enforcement import Verdict
from baihe_desk.services.enforcement import advice as advice_svc
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.advice import AdviceData, ItemData
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData
from baihe_desk.ui.common.qt import QApplication, QLineEdit, Qt
from tests.ui.common.test_stale_panels import MARK, fill_every_field, marked, settle, show
from tests.ui.helpers import commit_text, key
from tests.ui.mediation.test_mediation_support import click_row

pytest.importorskip("PySide6.QtPdfWidgets")


@pytest.fixture
def two_drafts(db, court, users):
    """Two cases, each with a draft 执行咨询函 by the judge; A has a term and questions, B has none."""
    Base.metadata.create_all(db.engine)
    judge = users[Role.JUDGE]
    ids = []
    with db.transaction() as s:
        for serial, (plaintiff, defendant) in ((88, ("王堃", "李喆玥")), (89, ("赵喆", "刘䶮"))):
            case = Case(receipt_number=f"2026收000{serial}", case_number=f"（2026）吉7502民初{serial}号",
                        received_on=date(2026, 3, 2), cause_name="民间借贷纠纷")
            case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name=plaintiff),
                            Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=defendant, sort_order=1)]
            s.add(case)
            s.flush()
            ids.append(svc.create(s, judge, case.id).id)
        a = svc.load(s, ids[0])
        data = draft_of(a)
        data.terms = [TermData(text="被告李喆玥于2026年12月31日前偿还原告王堃借款120000元。", obligors="李喆玥",
                               obligees="王堃", amount=Decimal("120000"), perform_by="2026年12月31日前",
                               perform_manner="转账")]
        data.questions = ["是否需要加速到期条款？", "担保期间如何表述？"]
        svc.save_draft(s, judge, ids[0], data)
        b = svc.load(s, ids[1])
        data_b = draft_of(b)
        data_b.questions = ["履行地点如何写？"]
        svc.save_draft(s, judge, ids[1], data_b)
    return ids


def _terms(c) -> list[TermData]:
    return [TermData(text=f"被告于2026年12月31日前偿还原告借款{20000 * (n + 1)}元。", obligors="被告", obligees="原告",
                     amount=Decimal(20000 * (n + 1)), perform_by="2026年12月31日前", perform_manner="转账")
            for n in range(1)]


def _send_both(db, judge, ids) -> None:
    with db.transaction() as s:
        for cid in ids:
            c = svc.load(s, cid)
            if not c.terms:
                data = draft_of(c)
                data.terms = _terms(c)
                svc.save_draft(s, judge, cid, data)
            svc.send(s, judge, cid, acknowledge_gaps=True, today=date(2026, 12, 1))


def _cells_with_mark(table) -> list[tuple[int, int]]:
    return [(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())
            if table.item(r, c) is not None and MARK in table.item(r, c).text()]


def _open(qtbot, page, cid) -> None:
    click_row(qtbot, page.table, [r.id for r in page.model.rows].index(cid))
    settle()


def test_consultation_editor_forgets_the_previous_draft(qtbot, db, paths, users, two_drafts):
    from baihe_desk.ui.enforcement.page import EDITOR, EnforcementConsultPage

    a, b = two_drafts
    page = show(qtbot, EnforcementConsultPage(db, paths, users[Role.JUDGE]))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    editor = page.editor
    _open(qtbot, page, a)
    qtbot.waitUntil(lambda: editor.consultation_id == a and editor.isEnabled())
    assert page.stack.currentIndex() == EDITOR
    editor.save_timer.setInterval(60_000)  # A's typing stays on screen only (the worst case for B)
    typed = fill_every_field(editor)
    assert {"enfStageNote", "enfDepartment", "enfPhone", "enfQuestions"} <= set(typed), typed
    assert len(typed) >= 10, typed  # the term's fields too (A has a term, its form is enabled)
    table = editor.parties.table  # a party's 已知财产 typed into the table, as the judge does
    table.setCurrentCell(1, 4)
    table.editItem(table.item(1, 4))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit)
                    and QApplication.focusWidget().parent() is table.viewport())
    cell = QApplication.focusWidget()
    commit_text(cell, MARK)
    key(cell, Qt.Key.Key_Return)
    assert _cells_with_mark(table) == [(1, 4)]

    _open(qtbot, page, b)
    qtbot.waitUntil(lambda: editor.consultation_id == b)
    settle()
    assert marked(editor) == []
    assert _cells_with_mark(table) == []
    assert [table.item(r, 3).text() for r in range(table.rowCount())] == ["", ""]  # B's parties, not A's
    assert editor.terms.list.count() == 0 and editor.terms.terms() == []  # B has no term: A's term form is gone
    assert editor.questions.toPlainText() == "履行地点如何写？"
    assert not editor.banner.isVisible()


def test_reply_editor_forgets_the_previous_consultation(qtbot, db, paths, users, two_drafts):
    from baihe_desk.ui.enforcement.queue import EnforcementQueuePage

    a, b = two_drafts
    _send_both(db, users[Role.JUDGE], (a, b))
    page = show(qtbot, EnforcementQueuePage(db, paths, users[Role.ENFORCEMENT]))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    reply = page.reply
    _open(qtbot, page, a)
    qtbot.waitUntil(lambda: reply.ctx is not None and reply.ctx.id == a and page.reply_scroll.isVisible())
    reply.timer.setInterval(60_000)
    reply.measure_kind.setCurrentIndex(0)
    qtbot.mouseClick(reply.add_measure_button, Qt.MouseButton.LeftButton)
    _seq, verdict, _reason, _suggestion = reply.term_rows[0]
    verdict.setCurrentIndex(verdict.findData(Verdict.NOT_ENFORCEABLE.value))
    qtbot.wait(50)  # the rows built for A are shown by the event loop (Qt shows new layout children late)
    typed = fill_every_field(reply)
    assert {"enfClues", "enfRisks", "enfReplyPhone", "enfAnswer0", "enfAnswer1", "enfReason0",
            "enfSuggestion0"} <= set(typed), typed
    assert len(reply.measures) == 1

    _open(qtbot, page, b)
    qtbot.waitUntil(lambda: reply.ctx is not None and reply.ctx.id == b)
    settle()
    assert marked(page) == []
    assert len(reply.answers) == 1 and len(reply.measures) == 0  # B's one question; A's measure is not B's
    assert [row[1].currentData() for row in reply.term_rows] != [Verdict.NOT_ENFORCEABLE.value]
    assert "履行地点如何写？" in page.text.toPlainText()


def test_adoption_box_forgets_the_previous_reply(qtbot, db, paths, users, two_drafts):
    from baihe_desk.ui.enforcement.page import VIEWER, EnforcementConsultPage

    a, b = two_drafts
    judge, officer = users[Role.JUDGE], users[Role.ENFORCEMENT]
    _send_both(db, judge, (a, b))
    with db.transaction() as s:  # A: one suggestion to decide on; B: a plain 可以执行 (decided as a whole)
        advice_svc.submit_reply(s, officer, a, AdviceData(
            items=[ItemData(term_seq=1, verdict=Verdict.NEEDS_CHANGE, reason="履行期限宜写明具体日期。",
                            suggestion="于2026年12月31日前")], answers=["需要。", "自最后一期届满起六个月。"]),
            today=date(2026, 12, 2))
        advice_svc.submit_reply(s, officer, b, AdviceData(
            items=[ItemData(term_seq=1, verdict=Verdict.ENFORCEABLE)], answers=["写明被告住所地。"]),
            today=date(2026, 12, 2))
    page = show(qtbot, EnforcementConsultPage(db, paths, judge))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    viewer = page.viewer
    _open(qtbot, page, a)
    qtbot.waitUntil(lambda: viewer.view is not None and viewer.view.id == a and len(viewer.adoption.rows) == 1)
    assert page.stack.currentIndex() == VIEWER
    viewer.adoption.rows[0][1].setCurrentIndex(2)  # 不采纳
    typed = fill_every_field(viewer)
    assert {"enfAdoptNote0", "enfAdoptionNote"} <= set(typed), typed

    _open(qtbot, page, b)
    qtbot.waitUntil(lambda: viewer.view is not None and viewer.view.id == b)
    settle()
    assert marked(viewer) == [] and viewer.adoption.rows == []
    assert viewer.adoption.overall.isVisibleTo(viewer) and viewer.adoption.overall.currentData() is None

    viewer.adoption.overall.setCurrentIndex(1)  # the judge picks 采纳 for B, does not record it, goes to A
    _open(qtbot, page, a)
    qtbot.waitUntil(lambda: viewer.view is not None and viewer.view.id == a)
    _open(qtbot, page, b)
    qtbot.waitUntil(lambda: viewer.view is not None and viewer.view.id == b)
    settle()
    assert viewer.adoption.overall.currentText() == "请选择"  # unrecorded choice gone, not carried over
