"""The case list says 共约 N 件 while the exact count of a common short search is on its way (issue 21)."""

from __future__ import annotations

import threading

from baihe_desk.ui.cases import table_model as case_table_model
from baihe_desk.ui.cases.case_list import CaseListPage
from tests.ui.cases.test_case_list_paging import N, many  # noqa: F401 - the fixture: N cases of 业主i
from tests.ui.helpers import type_text


def test_the_estimate_shows_first_then_the_exact_count(qtbot, db, many, monkeypatch):  # noqa: F811
    release = threading.Event()
    real_count = case_table_model.count_cases

    def slow_count(session, text=None, **kw):  # the exact count of a search waits for the test
        if text:
            assert release.wait(20)
        return real_count(session, text, **kw)

    monkeypatch.setattr(case_table_model, "count_cases", slow_count)
    page = CaseListPage(db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.counted and not page.model.loading, timeout=5000)
    type_text(page.search, "业")  # in every case (业主i): counting it reads every document
    qtbot.waitUntil(lambda: page.model.search_text == "业" and page.model.estimate is not None, timeout=5000)
    assert page.count_label.text() == f"共约 {N} 件（正在精确统计…）"
    assert page.model.loading  # still counting
    release.set()
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {N} 件" and not page.model.loading, timeout=5000)
    page.search.clear()
    type_text(page.search, "业主99")  # 3+ characters: no estimate, the exact count at once
    qtbot.waitUntil(lambda: page.count_label.text() == "共 11 件" and not page.model.loading, timeout=5000)
    assert page.model.estimate is None
