"""共约 N 件 (issue 21): a common 1–2 character search, whose exact count reads every search document, gets a
quick estimate first; the estimate is close to the exact count, which a plain LIKE scan gives independently."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import insert

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Stage
from baihe_desk.services.common import case_query

N = 3000


def _fill(db, share: float, seed: int = 5) -> None:
    """N cases over four years; a share of the defendants are called 甲…, the others 乙…."""
    rng = random.Random(seed)
    cases, parties = [], []
    for i in range(N):
        cid = uuid.uuid4()
        cases.append(dict(id=cid, receipt_number=f"2024收{i + 1:05d}", cause_name="民间借贷纠纷", cause_code="x",
                          stage=Stage.RECEIVED, received_on=date(2021, 1, 1) + timedelta(days=rng.randrange(1460)),
                          claims="还款"))
        name = ("甲" if rng.random() < share else "乙") + f"某{i}"
        parties.append(dict(id=uuid.uuid4(), case_id=cid, role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL,
                            sort_order=0, name=name, name_pinyin=f"x{i}"))
    with db.transaction() as s:
        s.execute(insert(Case), cases)
        s.execute(insert(Party), parties)


def test_common_short_search_is_estimated_close_to_the_exact_count(udb_sqlite):
    _fill(udb_sqlite, share=0.3)
    with udb_sqlite.session() as s:
        exact = case_query.count_cases(s, "甲", use_index=False)  # the LIKE scan: the oracle
        estimate = case_query.estimate_count(s, "甲")
        assert 0.2 * N < exact < 0.4 * N
        assert estimate is not None and abs(estimate - exact) <= 0.2 * exact
        assert case_query.estimate_count(s, "收") == N  # in every 收件号
        assert case_query.estimate_count(s, "甲某1") is None  # 3+ characters: the exact count is quick
        assert case_query.estimate_count(s, "") is None


def test_rare_short_search_needs_no_estimate(udb_sqlite):
    _fill(udb_sqlite, share=0.001)
    with udb_sqlite.session() as s:
        assert case_query.estimate_count(s, "甲") is None  # looked up in the index: the exact count is quick
        assert case_query.count_cases(s, "甲") == case_query.count_cases(s, "甲", use_index=False)


def test_a_server_database_has_no_estimate(udb):
    with udb.session() as s:
        if udb.sqlite_path is None:
            assert case_query.estimate_count(s, "甲") is None
