"""reportlab building blocks for court pages: embedded TrueType faces and a CJK paragraph.

:class:`CJKParagraph` is a small platypus flowable that lays Chinese text on the court grid: a
fixed line pitch, an optional character spacing (so that 28 三号 characters fill the 156 mm
line), the line-breaking rules of :mod:`baihe_desk.documents.linebreak`, full justification by
spreading the spare width over the gaps between characters (never inside a run of digits or a
____ line, and at most 0.3 em per gap) (reportlab's ``Paragraph`` cannot justify
Chinese, it only widens spaces), per-character fonts from the glyph preflight, and page splitting
line by line. Text is drawn as plain text operators, so there is no markup to escape; user text
never passes through reportlab's paragraph parser.

Only this module and :mod:`pdf_renderer` import reportlab, and only when a PDF is rendered.
"""

from __future__ import annotations

import hashlib
import mmap
import re
import threading

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable

from baihe_desk.documents.fonts import FontFace
from baihe_desk.documents.linebreak import Line, break_lines, is_word_char


def _utf16_hex(match: re.Match[str]) -> str:
    code = int(match.group(2), 16)
    return f"{match.group(1)} <{chr(code).encode('utf-16-be').hex().upper()}>"


def _install_to_unicode_fix() -> None:
    """reportlab writes a ToUnicode entry for a character beyond the BMP (Ext-B: 𠇔 U+201D4) as
    ``<201D4>``, which PDF readers reject, so copying or searching the name fails. Rewrite such
    entries as UTF-16 surrogate pairs (``<D840DDD4>``); the glyphs themselves were always right."""
    if getattr(ttfonts.makeToUnicodeCMap, "_baihe_fixed", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def make_cmap(fontname, subset):  # type: ignore[no-untyped-def]
        return re.sub(r"(<[0-9A-F]{2}>) <([0-9A-F]{5,6})>", _utf16_hex, original(fontname, subset))

    make_cmap._baihe_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_cmap


_install_to_unicode_fix()

ASCENT = 0.88  # the CJK em box is centred in the line: baseline 0.88 em below the box top
WIDOW_LINES = 2  # lines a paragraph keeps together at a page break, before and after it
MAX_STRETCH = 0.3  # justify only if no gap grows by more than 0.3 em (else the line stays ragged)
_registered: dict[str, str | None] = {}
_lock = threading.Lock()


class _MappedFile:
    """A font file handed to reportlab mapped into memory instead of read: reportlab keeps the whole file
    (a CJK face's collection is 17–21 MB) for later subsets, but a subset touches only the tables and the
    glyphs it needs, so only those pages are ever loaded, and the page cache shares them between the desk
    and its batch workers (issue 21: the desk's memory after one document). On Windows the file stays
    open, so a font of the data folder cannot be deleted while the desk runs."""

    def __init__(self, path: str) -> None:
        self.name = path

    def read(self) -> mmap.mmap:
        with open(self.name, "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


class _TableSlices:
    """A table of a mapped font as slices of the mapping: ``makeSubset`` slices ``glyf`` glyph by glyph,
    so a subset copies the glyphs it embeds, not the whole 10–17 MB table."""

    def __init__(self, data: mmap.mmap, start: int, length: int) -> None:
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> bytes:
        begin, end, _ = key.indices(self.length)
        return self.data[self.start + begin:self.start + end]


def _keep_tables(font: TTFont) -> None:
    """Let the face hand out each font table once: reportlab's ``get_table`` slices a fresh copy out
    of the font file for every subset of every PDF. Tables are immutable bytes, so one copy serves them
    all; ``glyf`` of a mapped font is handed out as slices of the mapping (:class:`_TableSlices`)."""
    face = getattr(font, "face", None)
    original = getattr(face, "get_table", None)
    if face is None or original is None:
        return
    tables: dict[str, bytes | _TableSlices] = {}

    def get_table(tag: str) -> bytes | _TableSlices:
        data = tables.get(tag)
        if data is None:
            mapped = getattr(face, "_ttf_data", None)
            if tag == "glyf" and isinstance(mapped, mmap.mmap):
                data = _TableSlices(mapped, *face.get_table_pos(tag))
            else:
                data = original(tag)
            tables[tag] = data
        return data

    face.get_table = get_table


def register_face(face: FontFace) -> str | None:
    """Register ``face`` with reportlab (once per process); its font name, or None if unusable."""
    with _lock:
        if face.key in _registered:
            return _registered[face.key]
        name = "BH" + hashlib.sha1(face.key.encode("utf-8")).hexdigest()[:12]
        try:
            font = TTFont(name, _MappedFile(face.path), subfontIndex=face.index)
            _keep_tables(font)
            pdfmetrics.registerFont(font)
        except Exception:  # noqa: BLE001 - a font reportlab cannot parse is skipped like a CFF one
            import logging

            logging.getLogger(__name__).warning("font not usable for PDF: %s", face.key, exc_info=True)
            _registered[face.key] = None
            return None
        _registered[face.key] = name
        return name


_advances: dict[tuple[str, float], dict[str, float]] = {}


def _widths(chars: str, fonts: list[str], size: float, char_space: float) -> list[float]:
    """Each character's advance plus ``char_space`` ("\\n": 0); advances are remembered per font and
    size, so a document does not measure the same character again and again."""
    out: list[float] = []
    table: dict[str, float] = {}
    table_font = None
    for c, f in zip(chars, fonts, strict=True):
        if c == "\n":
            out.append(0.0)
            continue
        if f != table_font:
            table_font = f
            table = _advances.get((f, size)) or _advances.setdefault((f, size), {})
        w = table.get(c)
        if w is None:
            w = table[c] = pdfmetrics.stringWidth(c, f, size)
        out.append(w + char_space)
    return out


class CJKParagraph(Flowable):
    """Chinese text on a fixed line pitch. ``runs``: (text, reportlab font name) pairs."""

    def __init__(self, runs: list[tuple[str, str]], size: float, leading: float, *, align: str = "justify",
                 first_indent: float = 0.0, left_indent: float = 0.0, right_indent: float = 0.0,
                 char_space: float = 0.0, keep_with_next: bool = False, justify_last: bool = False,
                 widow_control: bool = True, _chars: str | None = None, _fonts: list[str] | None = None):
        super().__init__()
        if _chars is None:
            fonts: list[str] = []
            for text, font in runs:
                fonts.extend([font] * len(text))
            _chars, _fonts = "".join(t for t, _ in runs), fonts
        self.chars = _chars
        self.fonts = _fonts or []
        self.size = size
        self.leading = leading
        self.align = align
        self.first_indent = first_indent
        self.left_indent = left_indent
        self.right_indent = right_indent
        self.char_space = char_space
        self.keepWithNext = keep_with_next
        self.justify_last = justify_last
        self.widow_control = widow_control  # off inside a table cell (reportlab splits rows line by line)
        self.widths = _widths(self.chars, self.fonts, size, char_space)
        self._lines: list[Line] = []
        self._for_width: float | None = None

    # -- layout -----------------------------------------------------------------------------------
    def _layout(self, avail_width: float) -> list[Line]:
        if self._for_width != avail_width:
            width = avail_width - self.left_indent - self.right_indent
            self._lines = break_lines(self.chars, self.widths, width, first_indent=self.first_indent)
            self._for_width = avail_width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = len(self._layout(availWidth)) * self.leading
        return availWidth, self.height

    def _part(self, start: int, end: int, *, first: bool, justify_last: bool) -> CJKParagraph:
        return CJKParagraph([], self.size, self.leading, align=self.align,
                            first_indent=self.first_indent if first else 0.0, left_indent=self.left_indent,
                            right_indent=self.right_indent, char_space=self.char_space,
                            keep_with_next=self.keepWithNext and not first, justify_last=justify_last,
                            widow_control=self.widow_control, _chars=self.chars[start:end],
                            _fonts=self.fonts[start:end])

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.leading)
        if fit >= len(lines):
            # nothing to split (it fits): platypus wants [] or two parts — a table cell indexes parts[1]
            return []
        if self.widow_control:
            # widow and orphan control as Word's (w:widowControl): at least two lines on each side of the break
            fit = min(fit, len(lines) - WIDOW_LINES)
            if fit < WIDOW_LINES:
                return []
        elif fit <= 0:
            return []
        cut = lines[fit].start
        return [self._part(0, cut, first=True, justify_last=not lines[fit - 1].hard),
                self._part(cut, len(self.chars), first=False, justify_last=self.justify_last)]

    # -- drawing ----------------------------------------------------------------------------------
    def _clusters(self, start: int, end: int) -> list[tuple[int, int]]:
        """Units that justification may space apart: single CJK characters, and whole runs of
        ASCII letters/digits/``_-./@`` (a phone number or a ____ line stays in one piece)."""
        out: list[tuple[int, int]] = []
        i = start
        while i < end:
            j = i + 1
            if is_word_char(self.chars[i]):
                while j < end and is_word_char(self.chars[j]):
                    j += 1
            out.append((i, j))
            i = j
        return out

    def _draw_run(self, text, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
        run_start = start
        for i in range(start + 1, end + 1):
            if i == end or self.fonts[i] != self.fonts[run_start]:
                text.setFont(self.fonts[run_start], self.size)
                text.textOut(self.chars[run_start:i])
                run_start = i

    def _draw_spread(self, text, clusters: list[tuple[int, int]], stretch: float) -> None:  # type: ignore[no-untyped-def]
        """A justified line: ``stretch`` goes into the character spacing (Tc) after the last
        character of each cluster, so the line is a few text runs rather than one per character;
        the glyphs land where an explicit position per cluster would put them."""
        spread = self.char_space + stretch
        start, end = clusters[0][0], clusters[-1][1]
        spacing = [spread] * (end - start)
        for a, b in clusters:
            for i in range(a, b - 1):  # inside an ASCII run: the ordinary spacing
                spacing[i - start] = self.char_space
        font, tc = None, self.char_space
        run_start = start
        for i in range(start + 1, end + 1):
            if i < end and self.fonts[i] == self.fonts[run_start] and spacing[i - start] == spacing[run_start - start]:
                continue
            if self.fonts[run_start] != font:
                font = self.fonts[run_start]
                text.setFont(font, self.size)
            if spacing[run_start - start] != tc:
                tc = spacing[run_start - start]
                text.setCharSpace(tc)
            text.textOut(self.chars[run_start:i])
            run_start = i

    def draw(self) -> None:
        canv = self.canv
        lines = self._layout(self.width)
        full = self.width - self.left_indent - self.right_indent
        top = len(lines) * self.leading
        for k, line in enumerate(lines):
            indent = self.first_indent if k == 0 else 0.0
            avail = full - indent
            if line.end <= line.start:
                continue
            natural = sum(self.widths[line.start:line.end])
            x = self.left_indent + indent
            clusters: list[tuple[int, int]] = []
            stretch = 0.0
            if self.align == "justify":
                last = k == len(lines) - 1
                extra = avail - natural
                if not line.hard and not (last and not self.justify_last) and extra > 0:
                    clusters = self._clusters(line.start, line.end)
                    gaps = len(clusters) - 1
                    if gaps > 0 and extra / gaps <= MAX_STRETCH * self.size:
                        stretch = extra / gaps
            elif self.align == "center":
                x += (avail - natural + self.char_space) / 2
            elif self.align == "right":
                x += avail - natural + self.char_space
            baseline = top - k * self.leading - (self.leading - self.size) / 2 - ASCENT * self.size
            text = canv.beginText(x, baseline)
            text.setCharSpace(self.char_space)
            if stretch:
                self._draw_spread(text, clusters, stretch)
            else:
                self._draw_run(text, line.start, line.end)
            canv.drawText(text)
