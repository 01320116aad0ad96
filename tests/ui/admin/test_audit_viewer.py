"""系统管理 › 审计记录 and 案件详情 › 本案审计记录, driven as an administrator and a judge would: filters typed,
exports clicked; then the files are read back (PDF text and embedded fonts, XLSX cells) and the audit rows
of the viewing and the exports are checked."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from baihe_desk.models import AuditRecord, Case, Role, User
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.ui.admin.page import AdminPage
from baihe_desk.ui.cases.case_detail import CaseDetailDialog
from baihe_desk.ui.common.qt import Qt
from tests.reliability.factories import make_case
from tests.ui.helpers import key, type_text


@pytest.fixture
def cases(db, users):
    clerk = users[Role.FILING_CLERK]
    a, b = make_case(db, clerk, 11), make_case(db, clerk, 12)
    with db.transaction() as s:
        number = str(assign_case_number(s, clerk, s.get(Case, a), "民初", year=2025))
        s.get(Case, a).judge_id = users[Role.JUDGE].id
    return a, b, number


def _audits(db, action: str) -> list[AuditRecord]:
    with db.session() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_admin_filters_and_exports_pdf_and_xlsx(qtbot, db, users, paths, cases, tmp_path):
    a, b, number = cases
    admin = users[Role.ADMIN]
    page = AdminPage(db, paths, admin)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    viewer = page.tab("审计记录")
    everything = viewer.page.total
    assert everything > 5 and viewer.model.rowCount() == everything

    type_text(viewer.case, number)
    key(viewer.case, Qt.Key.Key_Return)
    assert viewer.page.case_label == number
    shown = [viewer.model.row(i) for i in range(viewer.model.rowCount())]
    assert shown and {r.action for r in shown} >= {"case.create"}
    assert str(b) not in {r.entity_id for r in shown}
    assert number in viewer.status.text()

    type_text(viewer.action, "case.create")
    _click(qtbot, viewer.search_button)
    assert [viewer.model.row(i).action for i in range(viewer.model.rowCount())] == ["case.create"]
    day = viewer.model.row(0).at_text[:10]
    type_text(viewer.date_from, day)
    type_text(viewer.date_to, day)
    _click(qtbot, viewer.search_button)
    assert viewer.model.rowCount() == 1
    viewer.date_from.clear()
    type_text(viewer.date_from, "2099-01-01")
    viewer.date_to.clear()
    _click(qtbot, viewer.search_button)
    assert viewer.model.rowCount() == 0 and "共 0 条" in viewer.status.text()
    viewer.date_from.clear()
    viewer.action.setEditText("")
    type_text(viewer.username, users[Role.FILING_CLERK].username)
    _click(qtbot, viewer.search_button)
    rows = [viewer.model.row(i) for i in range(viewer.model.rowCount())]
    assert rows and {r.username for r in rows} == {users[Role.FILING_CLERK].username}
    views = _audits(db, "audit.view")
    assert views[-1].after["filter"] == {"case": number, "username": users[Role.FILING_CLERK].username,
                                         "action": "", "date_from": None, "date_to": None}

    chosen = {"pdf": tmp_path / "out" / "审计.pdf", "xlsx": tmp_path / "out" / "审计.xlsx"}
    viewer.choose_save_path = lambda suggested, fmt: str(chosen[fmt])
    _click(qtbot, viewer.pdf_button)  # written in the background: the page stays usable
    qtbot.waitUntil(lambda: len(viewer.exported) == 1 and viewer.pdf_button.isEnabled(), timeout=30_000)
    _click(qtbot, viewer.xlsx_button)
    qtbot.waitUntil(lambda: len(viewer.exported) == 2, timeout=30_000)
    assert viewer.exported == [chosen["pdf"], chosen["xlsx"]]

    reader = PdfReader(chosen["pdf"])
    text = "".join(p.extract_text() for p in reader.pages)
    assert "审计记录" in text and number in text and "测试立案" not in text  # names by username only
    for r in rows:
        assert r.action in text
    fonts = [f for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         for f in fonts if "/DescendantFonts" in f.get_object())

    book = load_workbook(chosen["xlsx"])
    sheet = book["审计记录"]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:5] == ("序号", "时间", "用户", "类别", "操作")
    assert [(c[0], c[2], c[4]) for c in cells[1:]] == [(r.seq, r.username, r.action) for r in rows]
    assert any(number in str(c) for row in book["导出说明"].iter_rows(values_only=True) for c in row)

    exports = _audits(db, "audit.export")
    assert [e.after["format"] for e in exports] == ["pdf", "xlsx"]
    for e, fmt in zip(exports, ("pdf", "xlsx"), strict=True):
        assert e.username == admin.username and e.after["rows"] == len(rows)
        assert e.after["sha256"] == hashlib.sha256(chosen[fmt].read_bytes()).hexdigest()
    assert not list((tmp_path / "out").glob("*.partial"))


def test_a_judge_opens_the_history_of_own_case_and_not_of_another(qtbot, db, users, paths, cases, tmp_path):
    a, b, number = cases
    judge = users[Role.JUDGE]
    dlg = CaseDetailDialog(db, a, user=judge, paths=paths)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.history_button.isVisible()
    _click(qtbot, dlg.history_button)
    viewer = dlg.history.viewer
    rows = [viewer.model.row(i) for i in range(viewer.model.rowCount())]
    assert rows and "case.create" in {r.action for r in rows} and str(b) not in {r.entity_id for r in rows}
    assert not viewer.case.isVisible()  # one case only: no case filter
    viewer.choose_save_path = lambda suggested, fmt: str(tmp_path / "本案.xlsx")
    _click(qtbot, viewer.xlsx_button)
    qtbot.waitUntil(lambda: viewer.exported == [tmp_path / "本案.xlsx"], timeout=30_000)
    assert _audits(db, "audit.case_history")[-1].entity_id == str(a)
    assert _audits(db, "audit.export")[-1].after["filter"]["case"] == number

    with db.transaction() as s:
        other = User(username="t_judge2", display_name="另一庭法官", role=Role.JUDGE, password_hash=hash_password("x"))
        s.add(other)
    other_dlg = CaseDetailDialog(db, a, user=other, paths=paths)
    qtbot.addWidget(other_dlg)
    other_dlg.show()
    assert not other_dlg.history_button.isVisible()
    mediator_dlg = CaseDetailDialog(db, a, user=users[Role.MEDIATOR], paths=paths)
    qtbot.addWidget(mediator_dlg)
    mediator_dlg.show()
    assert not mediator_dlg.history_button.isVisible()


def test_the_admin_page_of_a_non_admin_has_no_audit_viewer(qtbot, db, users, paths):
    page = AdminPage(db, paths, users[Role.JUDGE])
    qtbot.addWidget(page)
    assert "审计记录" not in page.factories
