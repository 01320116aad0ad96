"""PostgreSQL's search documents (revision 0014, ``storage.search_pg``) follow every write, whoever makes it:
the ORM, a bulk insert of many rows in one statement, a delete, a case's deletion; and the search through
them gives the rows of the plain ``LIKE`` on the base columns (``use_index=False``), the reference."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from baihe_desk.models import Address, AddressKind, Case, Party, PartyKind, PartyRole
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common.case_query import count_cases, search_cases
from baihe_desk.storage import search_pg


@pytest.fixture
def pg(pg_server, udata):  # type: ignore[no-untyped-def]
    from baihe_desk.config import LocalSettings
    from baihe_desk.storage.startup import open_database

    url = pg_server.fresh_database()
    db = open_database(udata, LocalSettings(database_url=url))
    load_demo(db, cases=60, seed=8)
    yield db
    db.dispose()
    pg_server.drop(url)


def _found(db, query: str) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        assert search_pg.installed(s)
        by_documents = [r.id for r in search_cases(s, query)]
        assert by_documents == [r.id for r in search_cases(s, query, use_index=False)]
        assert count_cases(s, query) == count_cases(s, query, use_index=False) == len(by_documents)
        return by_documents


def test_the_documents_follow_every_write(pg):
    with pg.session() as s:
        case_id, party_id = s.execute(select(Party.case_id, Party.id).order_by(Party.id).limit(1)).one()
        assert s.scalar(text(f"SELECT count(*) FROM {search_pg.TABLE}")) == s.scalar(select(func.count()).select_from(Case))
    with pg.transaction() as s:  # the ORM
        s.get(Party, party_id).name = "冼堃喆"
    assert _found(pg, "堃喆") == [case_id] and _found(pg, "冼堃") == [case_id]
    with pg.transaction() as s:  # one statement, many rows (as the demo loader and a bundle check-in write)
        s.execute(insert(Party), [{"id": uuid.uuid4(), "case_id": case_id, "role": PartyRole.THIRD_PARTY,
                                   "kind": PartyKind.NATURAL, "name": f"鄂玥{n}", "sort_order": 90 + n} for n in range(3)])
        s.execute(insert(Address), [{"id": uuid.uuid4(), "party_id": party_id, "kind": AddressKind.SERVICE,
                                     "text": "池北区白山大街九十九号"}])
    assert _found(pg, "鄂玥") == [case_id] and _found(pg, "白山大街九十九") == [case_id]
    with pg.transaction() as s:
        s.execute(delete(Address).where(Address.text == "池北区白山大街九十九号"))
        s.execute(update(Party).where(Party.name.like("鄂玥%")).values(name="鄂某"))
    assert _found(pg, "白山大街九十九") == [] and _found(pg, "鄂玥") == [] and _found(pg, "鄂某") == [case_id]
    with pg.transaction() as s:
        s.execute(update(Case).where(Case.id == case_id).values(case_number="（2026）吉7502民初9999号"))
    assert _found(pg, "民初9999") == [case_id]
    with pg.transaction() as s:
        s.execute(delete(Case).where(Case.id == case_id))
    assert _found(pg, "冼堃喆") == []
    with pg.session() as s:
        assert s.scalar(text(f"SELECT count(*) FROM {search_pg.TABLE} WHERE case_id = :c"), {"c": case_id}) == 0


@pytest.mark.parametrize("few", [5000, 2])
def test_common_and_rare_strings_take_their_own_way_to_the_same_rows(pg, monkeypatch, few):
    """A string in most documents walks the list's order; a rare one is looked up in the trigram index (with
    ``few`` = 2: one rare among the newest documents but with more matches than that walks too): all give
    the reference's rows in every sort order and direction, also on a later page."""
    from baihe_desk.services.common import case_query_pg

    monkeypatch.setattr(case_query_pg, "FEW", few)
    with pg.session() as s:
        rare = s.scalar(select(Party.name).order_by(Party.id).limit(1))
        assert case_query_pg.common(s, "民") and not case_query_pg.common(s, rare)
        for query in ("民", rare, rare[:1], rare[:2], "%", "_"):
            for sort in ("received_on", "case_number", "cause_name", "stage", "receipt_number"):
                for descending in (True, False):
                    for offset in (0, 7):
                        mine = [r.id for r in search_cases(s, query, sort=sort, descending=descending, offset=offset,
                                                           limit=10)]
                        assert mine == [r.id for r in search_cases(s, query, sort=sort, descending=descending,
                                                                   offset=offset, limit=10, use_index=False)]
