"""法条引用: the parser on the forms the desk writes, and over EVERY citation the desk can show (code, checklists,
wording templates, mediation rules, fee schedule and the fee calculator's steps): each resolves to an article of
the bundled version, every summary after "：" is about the article it cites, every quoted fragment is verbatim."""

from __future__ import annotations

import re
from functools import cache

import pytest

from baihe_desk.services.common.citations import find_citations, parse_href, parse_query, segments
from baihe_desk.services.common.law_library import get_library
from tests.services.common.citation_corpus import all_desk_texts

# A bare 第X条 (no law named in the text) is allowed only where the desk shows it beside that law: the fee
# calculator speaks of 诉讼费用交纳办法, the clocks of the 民事诉讼法, the appeal rules' labels go after 民诉法解释.
BARE_DEFAULTS = {
    "baihe_desk/services/filing/fees.py": "诉讼费用交纳办法",
    "baihe_desk/services/deadlines/clocks_trial.py": "民事诉讼法",
    "baihe_desk/services/deadlines/periods.py": "民事诉讼法",
    "baihe_desk/services/explanation/appeal.py": "民诉法解释",
    # the appeal article of a party, 第一百七十一条 or 第二百八十六条, filled into 《民事诉讼法》…
    "baihe_desk/services/deadlines/party_periods.py": "民事诉讼法",
    "baihe_desk/services/explanation/record.py": "民事诉讼法",
    "baihe_desk/ui/explanation/data.py": "民事诉讼法",
    "resources/templates/explanation-record.toml": "民事诉讼法",
}


def cites(text: str, **kw):  # type: ignore[no-untyped-def]
    return [(c.law_key, c.article, c.paragraph, c.item, c.text) for c in find_citations(text, **kw)]


def test_the_forms_the_desk_writes():
    assert cites("民诉法第一百二十二条") == [("cpl", 122, None, None, "民诉法第一百二十二条")]
    assert cites("解释第461条") == [("cpl-interpretation", 461, None, None, "解释第461条")]
    assert cites("诉讼费用交纳办法第十三条")[0][:2] == ("litigation-fees", 13)
    assert cites("第一百二十二条第一款") == [(None, 122, 1, None, "第一百二十二条第一款")]
    assert cites("第一百二十二条第一款", default_law="民诉法")[0][:3] == ("cpl", 122, 1)
    assert cites("民事诉讼法第一百二十二条、第一百二十三条") == [
        ("cpl", 122, None, None, "民事诉讼法第一百二十二条"), ("cpl", 123, None, None, "第一百二十三条")]


def test_a_later_law_takes_over_and_parentheticals_stay_attached():
    text = ("《中华人民共和国民事诉讼法》第一百二十二条第二项、第一百二十四条第二项；"
            "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百零九条")
    assert [(k, a, i) for k, a, _p, i, _t in cites(text)] == [
        ("cpl", 122, 2), ("cpl", 124, 2), ("cpl-interpretation", 209, None)]
    assert cites(text)[2][4].startswith("《最高人民法院")  # the title is part of the link
    c = find_citations("《最高人民法院关于进一步完善委派调解机制的指导意见》（2020）第二条：物业")[0]
    assert c.law_key is None and c.law_title.endswith("指导意见") and c.text.endswith("（2020）第二条")
    assert cites("《诉讼费用交纳办法》第十三条第（二）项第1目")[0][:4] == ("litigation-fees", 13, None, 2)
    assert cites("民诉法解释第四百六十一条第一款第（一）项")[0][:4] == ("cpl-interpretation", 461, 1, 1)


def test_what_is_not_an_article_of_a_law():
    assert cites("如：借款合同第十条；（2025）吉7502民初88号") == []
    assert cites("国务院令第481号，第一审程序") == []
    assert cites("该司法解释第五条")[0][0] is None  # 司法解释 names no law (解释 alone is 民诉法解释)
    assert cites("见《送达地址确认书》第三条")[0][0] is None  # a document's own clause, never linked
    assert cites("依据本法第二百零二条", default_law="民法典")[0][:2] == ("civil-code", 202)


def test_segments_and_hrefs():
    parts = segments("依照民诉法第一百二十二条的规定。")
    assert parts[0] == "依照" and parts[2] == "的规定。" and parts[1].href == "law:cpl/122"
    assert parse_href("law:cpl-interpretation/461") == ("cpl-interpretation", 461)
    assert parse_href("http://x/1") is None


def test_search_box_queries():
    assert parse_query("民诉法 122") == ("cpl", 122)
    assert parse_query("解释第461条") == ("cpl-interpretation", 461)
    assert parse_query("一百二十二", current_law="cpl") == ("cpl", 122)
    assert parse_query("第十五条", current_law="诉讼费用交纳办法") == ("litigation-fees", 15)
    assert parse_query("减半交纳") is None and parse_query("122") is None


DESK_TEXTS = all_desk_texts()


def test_the_corpus_reaches_every_source():
    origins = {t.origin.split(":")[0].split(".")[0] for t in DESK_TEXTS}
    for must in ("resources/checklists/complaint-review", "resources/templates/correction-notice",
                 "resources/fees", "resources/mediation/mediation-rules",
                 "baihe_desk/services/deadlines/clocks_trial", "baihe_desk/services/enforcement/enforceability",
                 "baihe_desk/services/explanation/tiers", "baihe_desk/services/filing/fees", "calculate_fee(property, 5000)",
                 "statutory_deadline(appeal_judgment", "trial limit(SIMPLE"):
        assert any(o.startswith(must) for o in origins), must
    assert sum(len(find_citations(t.text, default_law=t.default_law)) for t in DESK_TEXTS) > 400


def _default_for(origin: str) -> str | None:
    return BARE_DEFAULTS.get(origin.split(":")[0])


def test_every_citation_the_desk_shows_resolves_to_a_bundled_article():
    lib = get_library()
    problems = []
    for t in DESK_TEXTS:
        for c in find_citations(t.text, default_law=t.default_law or _default_for(t.origin)):
            if c.law_key is not None:
                v = lib.version_on(c.law_key)
                if c.article not in v.articles:
                    problems.append(f"{t.origin}: {c.text} — 《{v.title}》{v.version}没有此条")
            elif c.law_title:
                if not lib.is_not_bundled(c.law_title):
                    problems.append(f"{t.origin}: {c.text} — 法规库不认识《{c.law_title}》")
            else:
                problems.append(f"{t.origin}: {c.text} — 没有写明法规（{t.text[:60]}）")
    assert problems == []


def _norm(s: str) -> str:
    return re.sub(r"[\s　，。；：、,.;:（）()“”\"'《》〈〉…]", "", s)


@cache
def _bigrams(s: str) -> frozenset[str]:
    s = _norm(s)
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def _summaries():  # type: ignore[no-untyped-def]
    for t in DESK_TEXTS:
        for c in find_citations(t.text, default_law=t.default_law or _default_for(t.origin)):
            rest = t.text[c.end:]
            if c.law_key and rest.startswith("："):
                yield t, c, re.sub(r"[）)]$", "", rest[1:])


def test_every_summary_after_a_citation_is_about_the_article_it_cites():
    """"…第一百六十八条：适用小额诉讼的程序审理案件…": of all articles of that law, the cited one must share the most
    words (character pairs) with the summary — a wrong number (164 for 168) fails."""
    lib = get_library()
    found, problems = 0, []
    for t, c, summary in _summaries():
        found += 1
        pairs = _bigrams(summary)
        articles = lib.version_on(c.law_key).articles
        score = {n: len(pairs & _bigrams(a.text)) for n, a in articles.items()}
        best = max(score.values())
        if score[c.article] < best or score[c.article] < 0.6 * len(pairs):
            better = [n for n, s in score.items() if s == best]
            problems.append(f"{t.origin}: {c.text}：{summary[:30]}… fits 第{better}条 better")
    assert found >= 30 and problems == []


def test_the_summary_check_catches_a_wrong_number():
    lib = get_library()
    summary = "适用小额诉讼的程序审理案件，应当在立案之日起两个月内审结。"
    pairs = _bigrams(summary)
    score = {n: len(pairs & _bigrams(a.text)) for n, a in lib.version_on("cpl").articles.items()}
    assert max(score, key=score.get) == 168 and score[164] < score[168]  # type: ignore[arg-type]


def _quotes(texts):  # type: ignore[no-untyped-def]
    for t in texts:
        for c in find_citations(t.text, default_law=t.default_law or _default_for(t.origin)):
            m = re.match(r"(?:所称|规定的|规定|的规定|：|（)*“([^”]+)”", t.text[c.end:])
            if m and c.law_key:
                yield t, c, m.group(1), _norm(m.group(1)) in _norm(c.resolve().text)


def test_every_quoted_fragment_is_verbatim():
    """…第七条（“在指定期限内补正”）, …第三百一十八条所称“法定上诉期间”: the words in quotation marks are the law's."""
    quotes = list(_quotes(DESK_TEXTS))
    assert len(quotes) >= 2
    assert [f"{t.origin}: {c.text}“{q}”" for t, c, q, ok in quotes if not ok] == []


def test_the_quote_check_catches_a_misquote():
    from tests.services.common.citation_corpus import DeskText

    texts = [DeskText("x", "登记立案规定第七条（“在十五日内补正”）"), DeskText("y", "登记立案规定第七条（“在指定期限内补正”）")]
    assert [ok for _t, _c, _q, ok in _quotes(texts)] == [False, True]


@pytest.mark.parametrize("path", ["resources/checklists/complaint-review.toml"])
def test_every_checklist_item_names_at_least_one_resolvable_article(path):
    import tomllib

    from tests.services.common.citation_corpus import ROOT

    data = tomllib.loads((ROOT / path).read_text(encoding="utf-8"))
    items = [it for it in data["items"]] if "items" in data else [it for g in data.values() if isinstance(g, list)
                                                                  for it in g if isinstance(it, dict)]
    assert items
    for it in items:
        resolved = [c for b in it.get("basis", []) for c in find_citations(b) if c.law_key]
        assert resolved and all(c.resolve() for c in resolved), it.get("id")
