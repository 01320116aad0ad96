"""法规库 (the offline law library): the statutes the desk cites, by law and version, split into articles.

The bundled texts live in ``resources/law/`` (``library.toml`` names each version with its effective date
and source); an administrator's newer versions live in the data folder's ``law/`` with the same layout and
are added by ``add_version`` (``baihe-desk law add``). Every version stays: ``version_on(key, day)`` picks
the one in force on a day, so a case decided under an older text still reads that text.

Loaded lazily (the texts are parsed the first time an article is asked for) and pure Python: no Qt, no
database, so the CLI's ``law`` command opens no case data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from baihe_desk.errors import KnownError
from baihe_desk.services.common.law_numerals import NUMERAL_CHARS, to_chinese, to_int

__all__ = [
    "Article", "LawLibrary", "LawVersion", "LawLibraryError", "add_version", "get_library", "parse_articles",
    "use_data_dir",
]

ARTICLE_LINE = re.compile(rf"^第([{NUMERAL_CHARS}]+)条[\s　]*(.*)$")
USER_MANIFEST = "library.toml"


class LawLibraryError(KnownError):
    """A law, version or article the library does not have, or a bad new version."""


@dataclass(frozen=True)
class Article:
    law_key: str
    version: str
    number: int
    heading: str  # the chapter/section it stands under ("" when none)
    paragraphs: tuple[str, ...]
    catalogue: bool = False  # an entry of the 案由 catalogue (numbered by serial, not 第X条)

    @property
    def label(self) -> str:
        return f"案由第{self.number}号" if self.catalogue else f"第{to_chinese(self.number)}条"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class LawVersion:
    key: str
    title: str
    short: str
    aliases: tuple[str, ...]
    version: str
    effective: dt.date
    source: str
    path: Path
    excerpt: bool = False
    catalogue: bool = False
    bundled: bool = True
    _articles: dict[int, Article] | None = field(default=None, repr=False)

    @property
    def articles(self) -> dict[int, Article]:
        if self._articles is None:
            text = self.path.read_text(encoding="utf-8")
            self._articles = (_catalogue_articles(self, text) if self.catalogue
                              else parse_articles(text, self.key, self.version))
        return self._articles

    @property
    def bracketed(self) -> str:
        """《title》 with a title inside the title in 〈〉, as court documents write it."""
        return "《" + self.title.replace("《", "〈").replace("》", "〉") + "》"

    @property
    def numbers(self) -> list[int]:
        return sorted(self.articles)


def parse_articles(text: str, key: str = "", version: str = "") -> dict[int, Article]:
    """Split a law text into articles: ``第X条`` at a line's start opens one, a ``#`` heading closes it.

    Lines before ``<!-- INFO END -->`` (title, dates of adoption) are skipped when the marker is there.
    """
    if "<!-- INFO END -->" in text:
        text = text.split("<!-- INFO END -->", 1)[1]
    out: dict[int, Article] = {}
    heading, number = "", None
    paras: list[str] = []
    stack: list[tuple[int, str]] = []

    def close() -> None:
        if number is not None:
            out[number] = Article(key, version, number, heading_of_article, tuple(paras))

    heading_of_article = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            close()
            number, paras = None, []
            level = len(line) - len(line.lstrip("#"))
            stack = [h for h in stack if h[0] < level] + [(level, _heading(line.lstrip("#")))]
            heading = "　".join(h[1] for h in stack if h[0] > 1)  # level 1 is the law's own title
            continue
        m = ARTICLE_LINE.match(line)
        if m and to_int(m.group(1)) is not None:
            close()
            number, heading_of_article = to_int(m.group(1)), heading
            paras = [m.group(2).strip()] if m.group(2).strip() else []
            continue
        if number is not None:
            paras.append(line)
    close()
    return out


def _heading(text: str) -> str:
    """'第二章 管 辖' → '第二章 管辖' (the space after the number stays, decorative ones go)."""
    m = re.match(r"\s*(第\S+?[编章节])\s*(.*)$", text)
    if m is None:
        return re.sub(r"[\s　]+", "", text)
    return m.group(1) + " " + re.sub(r"[\s　]+", "", m.group(2))


def _catalogue_articles(v: LawVersion, text: str) -> dict[int, Article]:
    """案由: each level-3 cause is an "article" numbered by its official serial, with its level-4 causes."""
    rows = json.loads(text)
    by_code = {r["code"]: r for r in rows}
    children: dict[str, list[str]] = {}
    for r in rows:
        if r["level"] == 4:
            children.setdefault(r["parent"], []).append(r["name"])
    out: dict[int, Article] = {}
    for r in rows:
        if r["level"] != 3:
            continue
        level2 = by_code.get(r["parent"], {})
        part = by_code.get(level2.get("parent", ""), {})
        heading = "　".join(x for x in (part.get("name", ""), level2.get("name", "")) if x)
        paras = [f"{r['number']}. {r['name']}"] + [f"（{i}）{name}" for i, name in
                                                  enumerate(children.get(r["code"], []), 1)]
        out[int(r["number"])] = Article(v.key, v.version, int(r["number"]), heading, tuple(paras), catalogue=True)
    return out


def _read_manifest(path: Path, base: Path, *, bundled: bool) -> tuple[list[LawVersion], list[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    versions = []
    for kind in ("law", "catalogue"):
        for e in data.get(kind, []):
            effective = e["effective"]
            if isinstance(effective, str):
                effective = dt.date.fromisoformat(effective)
            versions.append(LawVersion(
                e["key"], e["title"], e.get("short", e["title"]), tuple(e.get("aliases", ())), e["version"],
                effective, e.get("source", ""), (base / e["file"]).resolve(), bool(e.get("excerpt", False)),
                kind == "catalogue", bundled))
    return versions, list(data.get("not_bundled", {}).get("titles", []))


class LawLibrary:
    """All versions of all laws; names and aliases resolve to a law key."""

    def __init__(self, versions: list[LawVersion], not_bundled: Iterable[str] = ()):
        self.versions = versions
        self.not_bundled = tuple(not_bundled)
        self.by_key: dict[str, list[LawVersion]] = {}
        for v in versions:
            self.by_key.setdefault(v.key, []).append(v)
        for vs in self.by_key.values():
            vs.sort(key=lambda v: v.effective)
        self.names: dict[str, str] = {}  # normalised name → key
        for key, vs in self.by_key.items():
            for v in vs:
                for name in (v.title, v.short, *v.aliases, key):
                    self.names.setdefault(normalise_title(name), key)

    @classmethod
    def load(cls, user_dir: Path | None = None) -> LawLibrary:
        root = resources.files("baihe_desk.resources") / "law"
        base = Path(str(root))
        versions, not_bundled = _read_manifest(base / "library.toml", base, bundled=True)
        if user_dir is not None and (user_dir / USER_MANIFEST).is_file():
            extra, _ = _read_manifest(user_dir / USER_MANIFEST, user_dir, bundled=False)
            versions += extra
        return cls(versions, not_bundled)

    # -- names -----------------------------------------------------------------------------------
    def key_for(self, name: str) -> str | None:
        """'民诉法' / '《中华人民共和国民事诉讼法》' / 'cpl' → 'cpl'; unknown → None."""
        return name if name in self.by_key else self.names.get(normalise_title(name))

    def is_not_bundled(self, title: str) -> bool:
        t = normalise_title(title)
        return any(normalise_title(n) == t for n in self.not_bundled)

    def keys(self) -> list[str]:
        return list(self.by_key)

    # -- versions --------------------------------------------------------------------------------
    def versions_of(self, key: str) -> list[LawVersion]:
        if key not in self.by_key:
            raise LawLibraryError(f"法规库中没有“{key}”")
        return list(self.by_key[key])

    def version_on(self, key: str, day: dt.date | None = None) -> LawVersion:
        """The version in force on ``day`` (default today); before the first one, the first one."""
        vs = self.versions_of(key)
        day = day or dt.date.today()
        in_force = [v for v in vs if v.effective <= day]
        return in_force[-1] if in_force else vs[0]

    def version(self, key: str, version: str | None = None, day: dt.date | None = None) -> LawVersion:
        if version is None:
            return self.version_on(key, day)
        for v in self.versions_of(key):
            if v.version == version:
                return v
        raise LawLibraryError(f"法规库中没有{self.versions_of(key)[0].short}的“{version}”版本")

    # -- articles --------------------------------------------------------------------------------
    def article(self, name_or_key: str, number: int | str, *, version: str | None = None,
                day: dt.date | None = None) -> Article:
        key = self.key_for(name_or_key)
        if key is None:
            raise LawLibraryError(f"法规库中没有“{name_or_key}”")
        n = number if isinstance(number, int) else to_int(str(number).removeprefix("第").removesuffix("条"))
        if n is None:
            raise LawLibraryError(f"条文序号“{number}”无法识别")
        v = self.version(key, version, day)
        if n not in v.articles:
            what = "（本库只收录节录的条文）" if v.excerpt else ""
            raise LawLibraryError(f"《{v.title}》（{v.version}）没有第{to_chinese(n)}条{what}")
        return v.articles[n]

    def neighbours(self, article: Article, span: int = 1) -> tuple[list[Article], list[Article]]:
        """The ``span`` articles before and after ``article`` in its version (an excerpt's neighbours)."""
        v = self.version(article.law_key, article.version)
        nums = v.numbers
        i = nums.index(article.number)
        return ([v.articles[n] for n in nums[max(0, i - span):i]],
                [v.articles[n] for n in nums[i + 1:i + 1 + span]])

    def search(self, words: str, *, key: str | None = None, day: dt.date | None = None,
               limit: int = 50) -> list[Article]:
        """Articles containing every word (split on spaces) of ``words``, in the versions in force on ``day``."""
        terms = [w for w in re.split(r"[\s　]+", words.strip()) if w]
        if not terms:
            return []
        hits: list[Article] = []
        for k in ([key] if key else self.keys()):
            v = self.version_on(k, day)
            for n in v.numbers:
                a = v.articles[n]
                body = a.text + a.heading
                if all(t in body for t in terms):
                    hits.append(a)
                    if len(hits) >= limit:
                        return hits
        return hits


def normalise_title(name: str) -> str:
    """Drop 《》〈〉 and spaces: 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》 ≡ its plain title."""
    return re.sub(r"[《》〈〉<>\s　]", "", name)


# -- the one library of this process ------------------------------------------------------------------
_USER_DIR: Path | None = None
_LIBRARY: LawLibrary | None = None


def use_data_dir(data_dir: Path | None) -> None:
    """Tell the library where the data folder is (its ``law/`` holds versions an administrator added)."""
    global _USER_DIR, _LIBRARY
    new = None if data_dir is None else Path(data_dir) / "law"
    if new != _USER_DIR:
        _USER_DIR, _LIBRARY = new, None


def get_library() -> LawLibrary:
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = LawLibrary.load(_USER_DIR)
    return _LIBRARY


def add_version(data_dir: Path, law: str, text_file: Path, *, version: str, effective: dt.date,
                source: str) -> LawVersion:
    """Add a newer (or older) version of a bundled law from a text file; the versions already there stay.

    The text must split into articles; the version name must be new for that law; the source must be named.
    """
    lib = LawLibrary.load(data_dir / "law")
    key = lib.key_for(law)
    if key is None:
        raise LawLibraryError(f"法规库中没有“{law}”，只能为已收录的法规增加新版本")
    if not source.strip():
        raise LawLibraryError("请写明新版本的来源（公布机关、文号或网址）")
    if any(v.version == version for v in lib.versions_of(key)):
        raise LawLibraryError(f"“{version}”版本已经存在")
    if any(v.effective == effective for v in lib.versions_of(key)):
        raise LawLibraryError(f"已有一个{effective.isoformat()}起施行的版本")
    text = Path(text_file).read_text(encoding="utf-8")
    articles = parse_articles(text, key, version)
    if not articles:
        raise LawLibraryError("文本中没有找到“第X条”开头的条文，请检查文件（每条另起一行）")
    first = lib.versions_of(key)[-1]
    user_dir = data_dir / "law"
    (user_dir / "texts").mkdir(parents=True, exist_ok=True)
    target = user_dir / "texts" / f"{key}-{effective.isoformat()}.md"
    shutil.copyfile(text_file, target)
    manifest = user_dir / USER_MANIFEST
    old = manifest.read_text(encoding="utf-8") if manifest.is_file() else "# 管理员增加的法规版本\n"
    entry = (f"\n[[law]]\nkey = {_toml(key)}\ntitle = {_toml(first.title)}\nshort = {_toml(first.short)}\n"
             f"aliases = [{', '.join(_toml(a) for a in first.aliases)}]\nversion = {_toml(version)}\n"
             f"effective = {effective.isoformat()}\nsource = {_toml(source.strip())}\n"
             f"file = {_toml('texts/' + target.name)}\n")
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(old + entry, encoding="utf-8")
    tmp.replace(manifest)
    if _USER_DIR == user_dir:
        global _LIBRARY
        _LIBRARY = None  # the next look-up reads the new version too
    return LawLibrary.load(user_dir).version(key, version)


def _toml(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string
