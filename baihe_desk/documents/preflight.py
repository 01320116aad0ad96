"""Glyph preflight (字形预检): every character is checked against the chosen font's cmap.

A GB2312 font such as 仿宋_GB2312 has no 堃, 喆 or 玥; Word and many PDF tools then draw an empty
box or silently take another font. Before rendering, each character of each text run is looked up
(fontTools cmap, format 4 and 12) in the role's font chain: the configured families in order, then
the common fallback list. The first face that has the character draws it (the PDF renderer puts
such runs in that font); a character no installed font has stops the render with
:class:`MissingGlyph`, naming the character, its code point and the field it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from baihe_desk.documents.fonts import FontFace, FontIndex
from baihe_desk.documents.model import Document
from baihe_desk.documents.settings import FONT_ROLE_LABELS, FONT_ROLES
from baihe_desk.documents.typography import STYLE_FONT_ROLE
from baihe_desk.errors import KnownError

UNCHECKED = frozenset("\n")
PAGE_NUMBER_SAMPLE = "— 0123456789 —"


class MissingGlyph(KnownError):
    title = "缺少字体"

    def __init__(self, char: str, field_label: str, role: str, tried: list[str]):
        where = f"「{field_label[:30]}」" if field_label else "文书模板的固定文字"
        # an invisible character (a C1 control, a format character) is named by its code point only
        # (a character newer than this Python's Unicode table, e.g. CJK Ext-I, is shown: a font may have it)
        invisible = unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Zs")
        shown = f"U+{ord(char):04X}（不可见字符）" if invisible else f"“{char}”（U+{ord(char):04X}）"
        fonts = "、".join(tried[:3]) + (f" 等 {len(tried)} 种" if len(tried) > 3 else "") if tried else "（无）"
        super().__init__(  # at most about 200 characters: a message box, not a page
            f"{where}中的字符{shown}在本机已安装的字体中都没有，无法生成文书。"
            f"已查找{FONT_ROLE_LABELS.get(role, role)}字体：{fonts}。"
            "请安装含有该字的字体（如 SimSun-ExtB、花园明朝），或请管理员在文书字体设置中加入该字体。"
        )
        self.char = char
        self.codepoint = f"U+{ord(char):04X}"
        self.field = field_label
        self.role = role


class NoUsableFont(KnownError):
    title = "缺少字体"


@dataclass
class FontChain:
    role: str
    configured: list[str]  # family names as configured (the DOCX names the first installed one)
    faces: list[FontFace]  # installed usable faces: configured ones first, then the fallback

    @property
    def primary(self) -> FontFace:
        return self.faces[0]

    @property
    def docx_family(self) -> str:
        """The family written into the DOCX: the court's first configured one (仿宋_GB2312), installed here
        or not: the file names the court's font, not the fallback this machine drew the PDF with."""
        return self.configured[0] if self.configured else self.primary.family


@dataclass(frozen=True)
class Fallback:
    char: str
    field: str
    role: str
    font: str  # family that draws it


@dataclass
class FontPlan:
    """The font chains of one render, and the segmentation of text into per-font runs."""

    index: FontIndex
    chains: dict[str, FontChain]
    fallbacks: list[Fallback] = field(default_factory=list)
    used: set[FontFace] = field(default_factory=set)  # faces that draw something (the PDF embeds them)
    _seen: set[Fallback] = field(default_factory=set, repr=False)

    @classmethod
    def resolve(cls, index: FontIndex, families: dict[str, list[str]]) -> FontPlan:
        fallback = families.get("fallback", [])
        chains = {}
        for role in FONT_ROLES:
            wanted = families.get(role, [])
            faces: list[FontFace] = []
            for name in [*wanted, *fallback]:
                face = index.find(name)
                if face is not None and face not in faces:
                    faces.append(face)
            if not faces:
                raise NoUsableFont(
                    f"本机没有可用于文书{FONT_ROLE_LABELS[role]}的字体（需要可嵌入的 TrueType 字体）。"
                    f"已配置：{'、'.join([*wanted, *fallback]) or '（无）'}。请安装仿宋、宋体等字体，"
                    "或请管理员修改文书字体设置。"
                )
            chains[role] = FontChain(role, list(wanted), faces)
        return cls(index, chains)

    def body_font_note(self) -> str:
        """"" when the PDF's body is drawn in a 仿宋 face; otherwise what the desk tells the clerk (once on
        screen) and writes on the document's record: the court style wants 仿宋 (GB/T 9704)."""
        face = self.chains["body"].primary
        if any("仿宋" in n or "fangsong" in n.casefold().replace(" ", "") for n in face.names):
            return ""
        wanted = self.chains["body"].configured[0] if self.chains["body"].configured else "仿宋_GB2312"
        shown = next((n for n in face.names if any("\u4e00" <= c <= "\u9fff" for c in n)), face.family)
        return (f"本机没有仿宋字体，PDF 正文改用“{shown}”；Word 文件仍写明“{wanted}”，在装有该字体的电脑上按仿宋显示。"
                f"请安装仿宋_GB2312 或仿宋字体后重新生成。")

    def face_for(self, role: str, char: str) -> FontFace | None:
        return self.index.lookup(self.chains[role].faces).face_for(char)

    def segment(self, text: str, role: str, field_label: str = "") -> list[tuple[str, FontFace]]:
        """Split ``text`` into runs, each drawn by the first face of the chain that has its characters."""
        chain = self.chains[role]
        lookup = self.index.lookup(chain.faces)
        if not text:
            return []
        if lookup.primary_chars.issuperset(text) or UNCHECKED.issuperset(text):
            # the usual case: every character in the first face (line breaks follow it)
            self.used.add(chain.primary)
            return [(text, chain.primary)]
        runs: list[tuple[str, FontFace]] = []
        current: FontFace | None = None
        buf: list[str] = []
        for ch in text:
            if ch in UNCHECKED:
                face = current or chain.primary
            else:
                found = lookup.face_for(ch)
                if found is None:
                    raise MissingGlyph(ch, field_label, role, [f.family for f in chain.faces])
                face = found
                if face is not chain.primary:
                    fb = Fallback(ch, field_label, role, face.family)
                    if fb not in self._seen:
                        self._seen.add(fb)
                        self.fallbacks.append(fb)
            if face is not current:
                self.used.add(face)
                if buf:
                    runs.append(("".join(buf), current))  # type: ignore[arg-type]
                    buf = []
                current = face
            buf.append(ch)
        if buf:
            runs.append(("".join(buf), current))  # type: ignore[arg-type]
        return runs

    def check(self, doc: Document) -> list[Fallback]:
        """Preflight a whole document (both renderers call it). Raises :class:`MissingGlyph`."""
        self.fallbacks, self._seen, self.used = [], set(), set()
        for style, span in doc.runs():
            self.segment(span.text, STYLE_FONT_ROLE.get(style, "body"), span.field)
        self.segment(PAGE_NUMBER_SAMPLE, "page_number", "页码")
        return self.fallbacks
