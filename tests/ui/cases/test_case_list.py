"""案件列表: paging, search by name (汉字/拼音) and 收件号, sorting, the detail view."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Stage
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import intake
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput
from baihe_desk.ui.cases.case_detail import CaseDetailDialog
from baihe_desk.ui.cases.case_list import CaseListPage
from baihe_desk.ui.cases.table_model import COL_NUMBER, COL_PLAINTIFFS, COL_RECEIVED, PAGE, CaseTableModel
from baihe_desk.ui.common.qt import QModelIndex, Qt
from tests.ui.helpers import credit_code, id_number, key, type_text


def bulk_cases(db, n: int, *, start: date = date(2024, 1, 1)) -> None:
    """``n`` cases with one plaintiff and one defendant each, inserted directly (no service)."""
    cases, parties = [], []
    for i in range(n):
        cid = uuid.uuid4()
        cases.append(dict(id=cid, receipt_number=f"2024收{i + 1:05d}", cause_name="物业服务合同纠纷",
                          cause_code="x", stage=Stage.RECEIVED, received_on=start + timedelta(days=i % 300),
                          claim_amount=Decimal("1200.00") + i, claims="支付物业费"))
        parties.append(dict(id=uuid.uuid4(), case_id=cid, role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION,
                            sort_order=0, name="白河物业公司", name_pinyin="baihewuyegongsi bhwygs"))
        parties.append(dict(id=uuid.uuid4(), case_id=cid, role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL,
                            sort_order=1, name=f"业主{i}", name_pinyin=f"yezhu{i} yz{i}"))
    with db.transaction() as s:
        s.execute(insert(Case), cases)
        s.execute(insert(Party), parties)


@pytest.fixture
def wang_case(db, clerk):
    data = CaseInput(
        cause_name="民间借贷纠纷", claim_amount="50000", claims="请求判令被告偿还借款50000元。",
        facts="被告借款未还。", received_on=today_local(),
        parties=[
            PartyInput(role=PartyRole.PLAINTIFF, name="王堃", id_number=id_number(), domicile="吉林省安图县二道白河镇白山大街8号",
                       postcode="133613", phone="13943312345",
                       agents=[AgentInput(name="张律", organisation="吉林白河律师事务所", special_authority=True,
                                          authority_detail="代为承认、放弃诉讼请求")]),
            PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.ORGANISATION, name="白河林业物业服务有限公司",
                       credit_code=credit_code(), legal_rep_name="刘长青", legal_rep_title="总经理",
                       domicile="吉林省安图县二道白河镇林苑小区"),
        ],
    )
    with db.transaction() as s:
        case = intake.create_case(s, clerk, data, court_code="吉7502")
        return case.id, case.receipt_number


@pytest.fixture
def page(qtbot, db):
    p = CaseListPage(db)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    qtbot.waitUntil(lambda: p.model.loaded_once and not p.model.loading)
    return p


def wait_count(qtbot, page, n: int) -> None:
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {n} 件" and not page.model.loading, timeout=5000)


def test_model_fetches_in_pages(qtbot, db):
    bulk_cases(db, 450)
    model = CaseTableModel(db)
    model.refresh()
    qtbot.waitUntil(lambda: model.loaded_once and not model.loading)
    assert (model.rowCount(), model.total) == (PAGE, 450)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 450)
    assert not model.canFetchMore(QModelIndex())
    assert len({r.id for r in model.rows}) == 450  # no page fetched twice
    # newest first by default
    received = [r.received_on for r in model.rows]
    assert received == sorted(received, reverse=True)


def test_scrolling_to_the_bottom_fetches_more(qtbot, db):
    bulk_cases(db, 450)
    p = CaseListPage(db)
    qtbot.addWidget(p)
    p.resize(900, 500)
    p.show()
    wait_count(qtbot, p, 450)
    assert p.model.rowCount() == PAGE
    p.table.scrollToBottom()
    qtbot.waitUntil(lambda: p.model.rowCount() > PAGE)


def test_search_by_two_character_name_receipt_number_and_pinyin(qtbot, page, db, wang_case):
    bulk_cases(db, 30)
    page.refresh()
    wait_count(qtbot, page, 31)
    case_id, receipt = wang_case

    type_text(page.search, "王堃")
    wait_count(qtbot, page, 1)
    assert page.model.rows[0].id == case_id
    assert page.model.index(0, COL_PLAINTIFFS).data() == "王堃"

    page.search.clear()
    type_text(page.search, receipt)  # “收” is not ASCII
    wait_count(qtbot, page, 1)
    assert page.model.rows[0].number == receipt

    page.search.clear()
    qtbot.keyClicks(page.search, "wangkun")
    wait_count(qtbot, page, 1)

    page.search.clear()
    type_text(page.search, "林苑小区")  # an address
    wait_count(qtbot, page, 1)

    page.search.clear()
    type_text(page.search, "不存在的人")
    wait_count(qtbot, page, 0)
    page.search.clear()
    wait_count(qtbot, page, 31)


def test_sorting_by_header_click(qtbot, page, db):
    bulk_cases(db, 40)
    page.refresh()
    wait_count(qtbot, page, 40)
    header = page.table.horizontalHeader()
    header.sectionClicked.emit(COL_NUMBER)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.sort_column == COL_NUMBER)
    numbers = [r.number for r in page.model.rows]
    assert numbers == sorted(numbers)
    header.sectionClicked.emit(COL_NUMBER)  # again: descending
    qtbot.waitUntil(lambda: not page.model.loading and page.model.descending)
    assert [r.number for r in page.model.rows] == sorted(numbers, reverse=True)
    header.sectionClicked.emit(COL_PLAINTIFFS)  # not sortable: nothing changes
    assert page.model.sort_column == COL_NUMBER
    assert header.sortIndicatorSection() == COL_NUMBER
    header.sectionClicked.emit(COL_RECEIVED)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.sort_column == COL_RECEIVED)
    dates = [r.received_on for r in page.model.rows]
    assert dates == sorted(dates)


def test_enter_opens_the_case_detail(qtbot, page, wang_case):
    page.refresh()
    wait_count(qtbot, page, 1)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    key(page.table, Qt.Key.Key_Return)
    dlg = page.findChild(CaseDetailDialog)
    assert dlg is not None and dlg.isVisible()
    text = dlg.text()
    for expected in ("民间借贷纠纷", wang_case[1], "原告1：王堃", "身份证号", "吉林省安图县二道白河镇白山大街8号",
                     "133613", "委托诉讼代理人：张律", "特别授权（代为承认、放弃诉讼请求）",
                     "被告1：白河林业物业服务有限公司", "法定代表人", "刘长青（总经理）", "统一社会信用代码",
                     "请求判令被告偿还借款50000元。", "被告借款未还。", "50,000.00"):
        assert expected in text, expected
    dlg.close()


def test_down_arrow_in_search_moves_into_the_results(qtbot, page, wang_case):
    seen = []
    page.current_case_changed.connect(seen.append)
    page.refresh()
    wait_count(qtbot, page, 1)
    assert page.current_case_id() == wang_case[0] and seen[-1] == wang_case[0]
    page.focus_search()
    key(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.table.currentIndex().row() == 0
