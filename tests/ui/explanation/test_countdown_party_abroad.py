"""判后答疑 page: the countdown of a party with no domicile in the PRC (30 days, 民事诉讼法第二百八十六条), into a
year whose holidays are only inferred (2027), next to a domestic party's 15 days.

Worked dates: served Wed 2026-12-02. Domestic: 15 days → Thu 2026-12-17. Abroad: 30 days → Fri 2027-01-01,
元旦 (inferred: no 2027 notice yet), then Sat and Sun → Mon 2027-01-04 (without the inference it said 01-01).
"""

from __future__ import annotations

import re
from datetime import date

from baihe_desk.models import DomicileRegion, Party
from baihe_desk.models.explanation import DecisionKind
from baihe_desk.services.explanation import appeal as ex
from tests.services.explanation.test_explanation_support import build_org
from tests.ui.explanation.test_explanation_page import countdown_rows, open_page

SERVED = date(2026, 12, 2)
TODAY = date(2026, 12, 5)


def test_countdown_of_a_party_abroad(qtbot, db, paths, users):
    org = build_org(db, users)
    with db.transaction() as s:
        s.get(Party, org.defendant_id).domicile_region = DomicileRegion.FOREIGN
        ex.record_judgment(s, org.judge, org.case_id, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 12, 1),
                           on=TODAY)
        for pid in (org.plaintiff_id, org.defendant_id):
            ex.set_service(s, org.clerk, org.case_id, pid, SERVED, on=TODAY)
    page = open_page(qtbot, db, paths, org.judge, TODAY, case_id=org.case_id)
    plaintiff, defendant = countdown_rows(page)
    assert plaintiff == ("王堃", "原告", "2026-12-02", "2026-12-17", "12 日", "上诉期内")
    assert defendant == ("刘䶮", "被告", "2026-12-02", "2027-01-04", "30 日",
                         "上诉期内 · 境内没有住所：三十日（民事诉讼法第二百八十六条） · 节假日按放假办法推算，待国务院通知")
    shown = re.sub(r"<[^>]+>", "", page.judgment.rule.text())  # the article is a link to the law panel
    assert "没有住所的当事人为三十日（第二百八十六条）" in shown
    tip = page.judgment.model.index(1, 5).data(0x03)  # Qt.ToolTipRole
    assert "2027-01-01 为法定休假日（元旦）" in tip and "第二百八十六条" in tip
