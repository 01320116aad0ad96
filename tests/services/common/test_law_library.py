"""法规库: the bundled texts split into the articles the statutes have, look-up by names and numerals, neighbours,
word search, and a newer version added by an administrator while the old one stays."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from baihe_desk.services.common.law_library import LawLibrary, LawLibraryError, add_version, parse_articles
from baihe_desk.services.common.law_numerals import to_chinese, to_int
from tests.fake_today import child_env


@pytest.fixture(scope="module")
def lib() -> LawLibrary:
    return LawLibrary.load(None)


# Article counts of the official texts (民事诉讼法 2023: 306 条; 民诉法解释 2022: 550 条; 交纳办法: 56 条 …)
OFFICIAL_COUNTS = {
    "民事诉讼法": 306, "民诉法解释": 550, "诉讼费用交纳办法": 56, "登记立案规定": 20, "特邀调解规定": 30,
    "在线调解规则": 30, "法院专递规定": 12, "民事调解工作规定": 20, "简易程序规定": 34, "司法确认规定": 13,
}


@pytest.mark.parametrize(("name", "count"), OFFICIAL_COUNTS.items())
def test_each_full_text_has_every_article_in_order(lib, name, count):
    v = lib.version_on(lib.key_for(name), dt.date(2026, 12, 1))
    assert v.numbers == list(range(1, count + 1))
    assert v.source and v.version and v.effective <= dt.date(2026, 12, 1)
    assert all(a.paragraphs for a in v.articles.values())


def test_known_articles_read_as_the_statutes_say(lib):
    a = lib.article("民诉法", 122)
    assert a.paragraphs[0] == "起诉必须符合下列条件："
    assert a.paragraphs[2] == "（二）有明确的被告；" and len(a.paragraphs) == 5
    assert a.heading.endswith("第一节 起诉和受理")
    assert lib.article("解释", "四百六十一").paragraphs[1] == "（一）权利义务主体明确；"
    assert lib.article("诉讼费用交纳办法", "第十五条").text == "以调解方式结案或者当事人申请撤诉的，减半交纳案件受理费。"
    assert lib.article("民法典", 202).text.startswith("按照年、月计算期间的，到期月的对应日为期间的最后一日")
    assert [lib.article("民法典", n).number for n in (201, 202, 203, 204)] == [201, 202, 203, 204]
    assert "元旦" in lib.article("放假办法", 2).text


def test_names_aliases_and_full_titles_find_the_same_law(lib):
    for name in ("民诉法", "民事诉讼法", "《中华人民共和国民事诉讼法》", "cpl"):
        assert lib.key_for(name) == "cpl"
    for name in ("解释", "民诉法解释", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"):
        assert lib.key_for(name) == "cpl-interpretation"
    assert lib.key_for("法院专递规定") == lib.key_for("最高人民法院关于以法院专递方式邮寄送达民事诉讼文书的若干规定")
    assert lib.key_for("民法") is None


def test_catalogue_of_causes_reads_by_official_serial(lib):
    a = lib.article("案由规定", 199)
    assert "数据权属纠纷" in a.paragraphs[0] and a.heading.startswith("数据、网络虚拟财产纠纷")
    assert a.label == "案由第199号"
    assert lib.version_on("civil-causes").numbers == list(range(1, 515))


def test_missing_articles_and_laws_say_so_in_chinese(lib):
    with pytest.raises(LawLibraryError, match="没有第三百零七条"):
        lib.article("民诉法", 307)
    with pytest.raises(LawLibraryError, match="节录"):
        lib.article("民法典", 100)
    with pytest.raises(LawLibraryError, match="没有“刑法”"):
        lib.article("刑法", 1)


def test_neighbours_and_search(lib):
    before, after = lib.neighbours(lib.article("民诉法", 122))
    assert [a.number for a in before] == [121] and [a.number for a in after] == [123]
    before, after = lib.neighbours(lib.article("民法典", 204))  # an excerpt: the next bundled one
    assert [a.number for a in before] == [203] and [a.number for a in after] == [667]
    hits = lib.search("减半交纳 案件受理费", key="litigation-fees")
    assert {a.number for a in hits} >= {15, 16}
    assert all("减半交纳" in a.text and "案件受理费" in a.text for a in hits)
    assert lib.search("   ") == []


def test_numerals_round_trip_as_statutes_number():
    assert [to_chinese(n) for n in (10, 12, 101, 110, 122, 210, 306)] == \
        ["十", "十二", "一百零一", "一百一十", "一百二十二", "二百一十", "三百零六"]
    assert to_int("461") == 461 and to_int("４６１") == 461 and to_int("两百") == 200 and to_int("条") is None
    assert all(to_int(to_chinese(n)) == n for n in range(1, 2000))


NEW_CPL = """# 中华人民共和国民事诉讼法（测试用新版本）
<!-- INFO END -->
## 第一编 总则
第一条 新版本第一条。
第一百二十二条 起诉必须符合下列条件（新版本）：
（一）原告是与本案有直接利害关系的公民、法人和其他组织；
"""


def test_an_added_version_applies_from_its_day_and_the_old_one_stays(tmp_path):
    text = tmp_path / "new.md"
    text.write_text(NEW_CPL, encoding="utf-8")
    data = tmp_path / "data"
    v = add_version(data, "民诉法", text, version="2027年修正（测试）", effective=dt.date(2027, 1, 1), source="测试文号")
    assert v.numbers == [1, 122] and not v.bundled
    lib = LawLibrary.load(data / "law")
    assert "新版本" in lib.article("民诉法", 122, day=dt.date(2027, 3, 1)).text
    old = lib.article("民诉法", 122, day=dt.date(2026, 12, 31))
    assert old.version == "2023年第五次修正" and "新版本" not in old.text
    assert lib.article("民诉法", 122, version="2023年第五次修正").text == old.text
    with pytest.raises(LawLibraryError, match="已经存在"):
        add_version(data, "民诉法", text, version="2027年修正（测试）", effective=dt.date(2028, 1, 1), source="x")
    empty = tmp_path / "empty.md"
    empty.write_text("没有条文", encoding="utf-8")
    with pytest.raises(LawLibraryError, match="没有找到"):
        add_version(data, "民诉法", empty, version="空", effective=dt.date(2029, 1, 1), source="x")
    with pytest.raises(LawLibraryError, match="来源"):
        add_version(data, "民诉法", text, version="无来源", effective=dt.date(2029, 1, 1), source=" ")


def test_parse_articles_keeps_paragraphs_and_headings():
    arts = parse_articles("标题\n<!-- INFO END -->\n## 第一章 总 则\n第一条　甲。\n\n乙。\n## 第二章 其他\n第二条 丙。\n")
    assert arts[1].paragraphs == ("甲。", "乙。") and arts[1].heading == "第一章 总则"
    assert arts[2].heading == "第二章 其他"


def _cli(*args: str, data) -> subprocess.CompletedProcess[str]:
    code = ("import sys; from baihe_desk.cli import main; rc = main(sys.argv[1:]); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'PySide6')]; "
            "print('IMPORTED', bad); raise SystemExit(rc)")
    return subprocess.run([sys.executable, "-c", code, "--data-dir", str(data), "law", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60, env=child_env())


def test_cli_prints_the_article_without_login_or_database(tmp_path):
    data = tmp_path / "data"
    r = _cli("民诉法", "122", data=data)
    assert r.returncode == 0, r.stderr
    assert "第一百二十二条　起诉必须符合下列条件：" in r.stdout and "（二）有明确的被告；" in r.stdout
    assert "《中华人民共和国民事诉讼法》（2023年第五次修正，2024-01-01起施行）" in r.stdout
    assert "IMPORTED []" in r.stdout  # no SQLAlchemy, no Alembic, no Qt
    assert not data.exists()  # it opened no database and made no data folder
    r = _cli("解释", "第四百六十一条", data=data)
    assert "权利义务主体明确" in r.stdout
    r = _cli("民诉法", "999", data=data)
    assert r.returncode == 1 and "没有第九百九十九条" in r.stderr


def test_cli_search_list_and_add(tmp_path):
    data = tmp_path / "data"
    r = _cli("--search", "减半交纳", "案件受理费", "--law", "交纳办法", data=data)
    assert r.returncode == 0 and "诉讼费用交纳办法第十五条" in r.stdout and "诉讼费用交纳办法第十六条" in r.stdout
    r = _cli("--list", data=data)
    assert "民诉法解释" in r.stdout and "2022-04-10起施行" in r.stdout and "来源：" in r.stdout
    text = tmp_path / "fees.md"
    text.write_text("<!-- INFO END -->\n第十五条 新文本。\n", encoding="utf-8")
    r = _cli("--add", str(text), "--law", "交纳办法", "--version-name", "2030年（测试）", "--effective", "2030-01-01",
             "--source", "测试", data=data)
    assert r.returncode == 0 and "原有版本保留" in r.stdout and "新版本只有 1 条" in r.stdout
    assert "新文本" in _cli("交纳办法", "15", "--on", "2030-02-01", data=data).stdout
    assert "减半交纳案件受理费" in _cli("交纳办法", "15", "--on", "2029-12-31", data=data).stdout
