"""案件列表 with a large result: random-access paging (rowCount = total, pages fetched on demand),
jumping to the end, sorting, and a search whose count arrives after its first page."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Stage
from baihe_desk.services.common import case_query
from baihe_desk.ui.cases import table_model as case_table_model
from baihe_desk.ui.cases.case_list import CaseListPage
from baihe_desk.ui.cases.table_model import COL_NUMBER, COL_RECEIVED, LOADING_TEXT, CaseTableModel
from baihe_desk.ui.common.qt import Qt
from tests.ui.helpers import key, type_text

N = 1000


@pytest.fixture
def many(db):
    cases, parties = [], []
    for i in range(N):
        cid = uuid.uuid4()
        cases.append(dict(id=cid, receipt_number=f"2024收{i + 1:05d}", cause_name="物业服务合同纠纷", cause_code="x",
                          stage=Stage.RECEIVED, received_on=date(2020, 1, 1) + timedelta(days=(i * 7) % 1500),
                          claims="支付物业费"))
        parties.append(dict(id=uuid.uuid4(), case_id=cid, role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL,
                            sort_order=0, name=f"业主{i}", name_pinyin=f"yezhu{i} yz{i}"))
    with db.transaction() as s:
        s.execute(insert(Case), cases)
        s.execute(insert(Party), parties)
    with db.session() as s:
        return [r.id for r in case_query.search_cases(s, limit=N)]


def load_all(qtbot, model: CaseTableModel) -> list:
    for row in range(0, model.rowCount(), model.page_size):
        model.data(model.index(row, COL_NUMBER))
        qtbot.waitUntil(lambda row=row: model.row_at(row) is not None, timeout=5000)
    return [model.row_at(i).id for i in range(model.rowCount())]


def test_large_result_is_random_access_and_pages_equal_the_service(qtbot, db, many):
    model = CaseTableModel(db, page_size=50, random_access_from=100)
    model.refresh()
    qtbot.waitUntil(lambda: model.counted and not model.loading)
    assert model.random_access and model.rowCount() == model.total == N
    assert model.row_at(N - 1) is None  # not fetched yet
    assert model.data(model.index(N - 1, COL_NUMBER)) == LOADING_TEXT  # …and now asked for
    qtbot.waitUntil(lambda: model.row_at(N - 1) is not None)
    assert model.row_at(N - 1).id == many[-1]
    assert len(model.pages) == 2  # the first page and the last: nothing in between was read
    assert load_all(qtbot, model) == many


def test_fast_scrolling_fetches_the_newest_wishes_only(qtbot, db, many):
    model = CaseTableModel(db, page_size=50, random_access_from=100)
    model.refresh()
    qtbot.waitUntil(lambda: model.counted and not model.loading)
    for page in range(1, 20):  # a drag across the list: every page is painted once
        model.data(model.index(page * 50, COL_NUMBER))
    assert len(model.in_flight) <= case_table_model.MAX_IN_FLIGHT
    assert len(model.wanted) <= case_table_model.MAX_WANTED
    qtbot.waitUntil(lambda: not model.in_flight and not model.wanted)
    assert 19 in model.pages  # where the drag ended
    assert len(model.pages) <= 1 + case_table_model.MAX_IN_FLIGHT + case_table_model.MAX_WANTED


def test_page_jumps_to_the_end_and_sorts(qtbot, db, many, monkeypatch):
    monkeypatch.setattr(case_table_model, "RANDOM_ACCESS_FROM", 300)
    page = CaseListPage(db)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {N} 件" and not page.model.loading, timeout=5000)
    assert page.model.random_access
    page.table.setFocus()
    key(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.table.currentIndex().row() == N - 1
    qtbot.waitUntil(lambda: page.model.index(N - 1, COL_NUMBER).data() not in (None, LOADING_TEXT))
    assert page.current_case_id() is None or page.current_case_id() == many[-1]
    assert page.model.row_at(N - 1).id == many[-1]
    page.table.horizontalHeader().sectionClicked.emit(COL_RECEIVED)  # ascending by date
    qtbot.waitUntil(lambda: not page.model.loading and not page.model.descending and page.model.counted)
    assert page.model.random_access and page.model.rowCount() == N
    assert page.model.row_at(0).id == many[-1]  # the oldest first now


def test_search_shows_rows_then_the_count(qtbot, db, many, monkeypatch):
    monkeypatch.setattr(case_table_model, "RANDOM_ACCESS_FROM", 300)
    page = CaseListPage(db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.counted and not page.model.loading, timeout=5000)
    labels = []
    page.model.modelReset.connect(lambda: labels.append((page.count_label.text(), page.model.rowCount())))
    type_text(page.search, "业主")
    qtbot.waitUntil(lambda: page.model.search_text == "业主", timeout=5000)
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {N} 件" and not page.model.loading, timeout=5000)
    assert labels[0] == ("正在统计件数…", case_table_model.PAGE)  # the rows were shown while the count ran
    assert page.model.random_access
    page.search.clear()
    type_text(page.search, "业主99")  # 99 and 990–999
    qtbot.waitUntil(lambda: page.model.search_text == "业主99", timeout=5000)
    qtbot.waitUntil(lambda: page.count_label.text() == "共 11 件" and not page.model.loading, timeout=5000)
    assert not page.model.random_access and page.model.rowCount() == 11


def test_panels_follow_a_current_row_that_arrives_later(qtbot, db, many, monkeypatch):
    monkeypatch.setattr(case_table_model, "RANDOM_ACCESS_FROM", 300)
    page = CaseListPage(db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.counted and page.model.random_access and not page.model.loading, timeout=5000)
    followed = []
    page.current_case_changed.connect(followed.append)
    page.table.setFocus()
    key(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: many[-1] in followed, timeout=5000)  # None first (not loaded), then the case
    assert followed[0] is None


def test_a_painted_cell_gets_every_role_in_one_call_equal_to_data(qtbot, db, many):
    """multiData (what Qt 6's delegates call while painting) answers exactly what data() answers."""
    from baihe_desk.ui.cases.table_model import COL_AMOUNT, COL_RISK
    from baihe_desk.ui.common.qt import QtCore

    model = CaseTableModel(db, page_size=50, random_access_from=100)
    model.refresh()
    qtbot.waitUntil(lambda: model.counted and not model.loading)
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.UserRole,
             Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.FontRole]
    model.risks[model.row_at(0).id] = ["被告仅有户籍地址"]
    cells = [(0, c) for c in range(model.columnCount())] + [(3, COL_AMOUNT), (0, COL_RISK), (N - 1, COL_NUMBER)]
    # one item per role, reused from cell to cell as Qt's delegate does: nothing may carry over
    items = {role: QtCore.QModelRoleData(int(role)) for role in roles}
    for r, c in cells + cells[::-1]:
        index = model.index(r, c)
        for role in roles:
            item = items[role]
            model.multiData(index, QtCore.QModelRoleDataSpan(item))
            expected = model.data(index, role)
            got = item.data()
            if expected is None:
                assert got is None, (r, c, role, got)
            else:
                assert got == expected, (r, c, role, got, expected)
