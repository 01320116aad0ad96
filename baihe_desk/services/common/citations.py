"""法条引用 (citations): find "民诉法第一百二十二条", "解释第461条", "诉讼费用交纳办法第十三条", "第一百二十二条第一款",
"民事诉讼法第一百二十二条、第一百二十三条" in any text the desk shows, and resolve each to an article.

A reference without a law name belongs to the law named last before it in the same text ("《民事诉讼法》第一百二十
二条第二项、第一百二十四条第二项" → both CPL), else to ``default_law`` (the fee breakdown cites "第十五条" of
诉讼费用交纳办法; an article's own text says "本法"). A law the library does not bundle is recognised by its title
and the citation marked ``bundled=False`` (shown as 未收录, never as a link). Pure Python, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from baihe_desk.services.common.law_library import Article, LawLibrary, get_library, normalise_title
from baihe_desk.services.common.law_numerals import NUMERAL_CHARS, to_int

__all__ = ["Citation", "find_citations", "href_citation", "parse_href", "parse_query", "segments"]

N = f"[{NUMERAL_CHARS}]+"
ARTICLE = (rf"第(?P<art>{N})条(?:之(?P<sub>{N}))?(?:第(?P<para>{N})款)?"
           rf"(?:第[（(]?(?P<item>{N})[)）]?项)?(?:第(?P<mu>{N})目)?")
# names that only count right before 第…条 (they are ordinary words elsewhere)
SHORT_ONLY_BEFORE_ARTICLE = {"解释", "规定", "办法", "规则", "案由"}
SELF_REFERENCES = ("本法", "本解释", "本规定", "本办法", "本规则")
# a clause of a contract or an agreement (借款合同第十条) is no article of a law
NOT_A_LAW_BEFORE = re.compile(r"(合同|协议|章程|承诺书|借条|欠条|条款)$")
LAWLIKE_SUFFIX = re.compile(r"(法|法典|规定|解释|办法|规则|意见|通知|决定|标准|条例)$")


@dataclass(frozen=True)
class Citation:
    """One article reference: ``text[start:end]`` is the part to link (the law's name when attached)."""

    start: int
    end: int
    text: str
    law_key: str | None  # a bundled law; None when not bundled or no law could be told
    law_title: str  # as the text names it ("" when it names none)
    article: int
    paragraph: int | None = None  # 款
    item: int | None = None  # 项

    @property
    def bundled(self) -> bool:
        return self.law_key is not None

    @property
    def href(self) -> str:
        if not self.law_key:
            return ""
        where = (f"/p{self.paragraph}" if self.paragraph else "") + (f"/i{self.item}" if self.item else "")
        return f"law:{self.law_key}/{self.article}{where}"

    def resolve(self, library: LawLibrary | None = None, *, day: dt.date | None = None) -> Article:
        lib = library or get_library()
        if self.law_key is None:
            from baihe_desk.services.common.law_library import LawLibraryError

            what = f"《{self.law_title}》" if self.law_title else "未写明法规名称的引用"
            raise LawLibraryError(f"{what}未收入本工作台的法规库")
        return lib.article(self.law_key, self.article, day=day)


@lru_cache(maxsize=4)
def _pattern(lib: LawLibrary) -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for v in lib.versions:
        for name in (v.title, v.short, *v.aliases):
            names.setdefault(name, v.key)
            if "《" in name:  # titles that embed another title: also as 〈〉 inside 《》
                names.setdefault(name.replace("《", "〈").replace("》", "〉"), v.key)
    for title in lib.not_bundled:
        names.setdefault(title, "")
    free = sorted((n for n in names if n not in SHORT_ONLY_BEFORE_ARTICLE), key=len, reverse=True)
    short = sorted((n for n in names if n in SHORT_ONLY_BEFORE_ARTICLE), key=len, reverse=True)
    alternatives = [
        r"《(?P<bracket>[^《》]{1,80})》",
        "(?P<name>" + "|".join(re.escape(n) for n in free) + ")",
        "(?P<self>" + "|".join(SELF_REFERENCES) + rf")(?=第{N}条)",
        "(?<!司法)(?P<short>" + "|".join(re.escape(n) for n in short) + rf")(?=第{N}条)",  # 司法解释 is no name
        ARTICLE,
    ]
    return re.compile("|".join(alternatives)), names


def find_citations(text: str, *, default_law: str | None = None,
                   library: LawLibrary | None = None) -> list[Citation]:
    """Every article reference in ``text``, in order (see the module docstring for how a law is told)."""
    lib = library or get_library()
    pattern, names = _pattern(lib)
    default_key = lib.key_for(default_law) if default_law else None
    current: tuple[str | None, str] = (default_key, _title(lib, default_key))
    out: list[Citation] = []
    name_span: tuple[int, int] | None = None  # the last law name, while no article has followed it
    for m in pattern.finditer(text):
        if m.group("art") is None:
            law = _law_of(lib, names, m)
            if law is not None:
                current, name_span = law, m.span()
            elif m.group("self"):
                current, name_span = (default_key, _title(lib, default_key)), m.span()
            continue
        attached = name_span is not None and _attached(text[name_span[1]:m.start()])
        start = name_span[0] if attached and name_span else m.start()
        name_span = None
        number = to_int(m.group("art"))
        if number is None or m.group("sub"):  # 第X条之一: no such article in the bundled texts
            continue
        if not attached and NOT_A_LAW_BEFORE.search(text[max(0, m.start() - 4):m.start()]):
            continue
        out.append(Citation(start, m.end(), text[start:m.end()], current[0], current[1], number,
                            _opt(m.group("para")), _opt(m.group("item"))))
    return out


def _law_of(lib: LawLibrary, names: dict[str, str], m: re.Match[str]) -> tuple[str | None, str] | None:
    if m.group("bracket") is not None:
        title = normalise_title(m.group("bracket"))
        key = lib.key_for(title)
        if key is not None:
            return key, _title(lib, key)
        if lib.is_not_bundled(title) or LAWLIKE_SUFFIX.search(title):
            return None, title
        return None  # a document's title (《送达地址确认书》), not a law
    name = m.group("name") or m.group("short")
    if name:
        key = names.get(name) or None
        return key, (_title(lib, key) if key else normalise_title(name))
    return None


def _attached(gap: str) -> bool:
    """Does the law's name run on into the article, at most with a parenthetical (（2020）, （法发〔2017〕19号）)?"""
    return re.fullmatch(r"(（[^（）]{0,30}）)?", gap) is not None


def _title(lib: LawLibrary, key: str | None) -> str:
    return lib.versions_of(key)[-1].title if key else ""


def _opt(s: str | None) -> int | None:
    return to_int(s) if s else None


def segments(text: str, *, default_law: str | None = None,
             library: LawLibrary | None = None) -> list[str | Citation]:
    """``text`` cut into plain pieces and citations, in order (for turning citations into links)."""
    out: list[str | Citation] = []
    pos = 0
    for c in find_citations(text, default_law=default_law, library=library):
        if c.start > pos:
            out.append(text[pos:c.start])
        out.append(c)
        pos = c.end
    if pos < len(text):
        out.append(text[pos:])
    return out


def parse_href(href: str) -> tuple[str, int] | None:
    """'law:cpl/122' or 'law:cpl/122/p1/i2' (第一款第（二）项) → ('cpl', 122)."""
    m = re.fullmatch(r"law:([\w-]+)/(\d+)(?:/p\d+)?(?:/i\d+)?", href.strip())
    return (m.group(1), int(m.group(2))) if m else None


def href_citation(href: str) -> Citation | None:
    """The citation a ``law:`` link stands for (its 款 and 项 included)."""
    target = parse_href(href)
    if target is None:
        return None
    para = re.search(r"/p(\d+)", href)
    item = re.search(r"/i(\d+)", href)
    return Citation(0, 0, "", target[0], "", target[1], int(para.group(1)) if para else None,
                    int(item.group(1)) if item else None)


def parse_query(query: str, *, current_law: str | None = None,
                library: LawLibrary | None = None) -> tuple[str, int] | None:
    """A search box's text as an article: '民诉法 122', '解释第461条', '一百二十二', '第十三条' (in
    ``current_law``), 'cpl/122'. None when it is not an article number (then it is a word search)."""
    lib = library or get_library()
    q = query.strip()
    if (h := parse_href("law:" + q)) is not None:
        return h
    m = re.fullmatch(rf"(.*?)[\s　]*(?:第)?({N})(?:条)?", q)
    if not m or to_int(m.group(2)) is None:
        return None
    name = m.group(1).strip()
    key = lib.key_for(name) if name else (lib.key_for(current_law) if current_law else None)
    if key is None:
        return None
    return key, to_int(m.group(2))  # type: ignore[return-value]
