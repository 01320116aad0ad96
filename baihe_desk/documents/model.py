"""The document model (文书模型): built once, rendered by both the DOCX and the PDF renderer.

A document is a title block (法院名称 + 文书名称, two centred lines), the number line (案号, or
收件号 before filing; right-aligned), an optional addressee line ("王堃："), blocks (paragraphs,
headings 一、/（一）, tables with tick boxes □同意 □不同意 and signature lines, page breaks), the
attachments list (附件), the 落款 (court name, date in Chinese numerals, seal position （院印）) and
optional blocks after the 落款 (for example a 当事人意见回执 on its own page).

Text is kept as :class:`Span` runs that remember which field they came from, so the glyph
preflight can name the field of a character no font has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Span:
    text: str
    field: str = ""  # Chinese label of the field the text came from; "" = the template's own wording


def text_of(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


@dataclass
class Para:
    """A paragraph. ``body``: first line indented two characters, justified; ``plain``: no indent;
    ``heading1`` 一、 (黑体) and ``heading2`` （一） (楷体) are indented like body text;
    ``subtitle``: a centred heading (黑体); ``center`` / ``right``: aligned body text."""

    spans: list[Span]
    style: str = "body"
    keep_with_next: bool = False
    right_indent_chars: float = 0.0

    @property
    def text(self) -> str:
        return text_of(self.spans)


HEADING_STYLES = ("heading1", "heading2", "subtitle")  # always kept with the paragraph after them


@dataclass
class Table:
    """A bordered table (forms: labels, tick boxes, signature and date cells)."""

    rows: list[list[list[Span]]]
    col_widths: list[float]  # fractions of the text width, summing to 1
    row_min_lines: list[int] = field(default_factory=list)  # minimum height per row, in body lines
    header_rows: int = 0  # rows repeated at the top of each page the table continues on (a data table)


@dataclass
class PageBreak:
    pass


@dataclass
class Image:
    """A picture (PNG), centred, ``width_fraction`` of the text width, its height from its aspect ratio
    (a chart in a report). ``alt`` describes it (DOCX alternative text, PDF readers' search stays on the
    document text: the figures a chart shows are also given in words or a table)."""

    data: bytes
    width_fraction: float = 1.0
    alt: str = ""

    @property
    def pixels(self) -> tuple[int, int]:
        """(width, height) from the PNG header."""
        if self.data[:8] != b"\x89PNG\r\n\x1a\n" or self.data[12:16] != b"IHDR":
            raise ValueError("Image.data must be a PNG")
        return int.from_bytes(self.data[16:20], "big"), int.from_bytes(self.data[20:24], "big")

    def size(self, text_width: float) -> tuple[float, float]:
        """(width, height) in the unit of ``text_width``."""
        w, h = self.pixels
        width = text_width * max(0.05, min(self.width_fraction, 1.0))
        return width, width * h / w


Block = Para | Table | PageBreak | Image


@dataclass
class Closing:
    """落款: court name centred over the date; the date 空4字 from the right; the seal position."""

    court_name: list[Span]
    date_text: str  # 二〇二六年十一月二十六日
    seal: str = "（院印）"
    right_space_chars: float = 4.0

    def lines(self) -> list[Para]:
        date_len = len(self.date_text)

        def centred_over_date(spans: list[Span]) -> Para:
            indent = self.right_space_chars + (date_len - len(text_of(spans))) / 2
            return Para(spans, "right", keep_with_next=True, right_indent_chars=max(indent, 0.0))

        out = [centred_over_date(self.court_name),
               Para([Span(self.date_text)], "right", keep_with_next=bool(self.seal),
                    right_indent_chars=self.right_space_chars)]
        if self.seal:
            out.append(centred_over_date([Span(self.seal)]))
        return out


@dataclass
class Document:
    kind: str  # stable KIND name, e.g. mediation-notice
    title: str  # 文书名称, e.g. 诉前调解告知书
    court_name: list[Span]
    number: list[Span]  # 案号 / 收件号 line ([] = none)
    blocks: list[Block]
    addressee: list[Span] | None = None
    attachments: list[list[Span]] = field(default_factory=list)
    closing: Closing | None = None
    after: list[Block] = field(default_factory=list)  # after the 落款 (e.g. a reply slip)
    template_version: str = ""
    author: str = ""  # PDF/DOCX metadata
    generated_at: datetime | None = None  # created/modified in the metadata (None: the clock at render time)

    def header_paras(self) -> list[Para]:
        out = [Para(self.court_name, "court", keep_with_next=True),
               Para([Span(self.title)], "title", keep_with_next=True)]
        if self.number:
            out.append(Para(self.number, "number", keep_with_next=True))
        if self.addressee:
            out.append(Para(self.addressee, "plain", keep_with_next=True))
        return out

    def attachment_paras(self) -> list[Para]:
        if not self.attachments:
            return []
        if len(self.attachments) == 1:
            return [Para([Span("附件：")] + self.attachments[0], "body")]
        out = []
        for i, spans in enumerate(self.attachments, 1):
            lead = "附件：" if i == 1 else "\u3000\u3000\u3000"
            out.append(Para([Span(f"{lead}{i}．")] + spans, "body"))
        return out

    def flow(self) -> list[Block]:
        """Every block in reading order, as both renderers lay it out: headings kept with what follows, one
        empty line before the attachments, two before the 落款 (room for the seal), all kept with the 落款
        on one page."""
        out: list[Block] = [*self.header_paras(),
                            *(Para(b.spans, b.style, True, b.right_indent_chars)
                              if isinstance(b, Para) and b.style in HEADING_STYLES and not b.keep_with_next else b
                              for b in self.blocks)]
        if self.attachments:
            out.append(Para([], "plain", keep_with_next=self.closing is not None))
            out.extend(Para(p.spans, p.style, keep_with_next=self.closing is not None)
                       for p in self.attachment_paras())
        if self.closing:
            out.extend(Para([], "plain", keep_with_next=True) for _ in range(2))
            out.extend(self.closing.lines())
        out.extend(self.after)
        return out

    def runs(self) -> Iterator[tuple[str, Span]]:
        """(paragraph style, span) for every piece of text: what the preflight checks."""
        for block in self.flow():
            if isinstance(block, Para):
                for span in block.spans:
                    yield block.style, span
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        for span in cell:
                            yield "table", span

    def plain_text(self) -> str:
        """All text in reading order, one line per paragraph or table row (for tests and search)."""
        lines = []
        for block in self.flow():
            if isinstance(block, Para):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend("\t".join(text_of(c) for c in row) for row in block.rows)
        return "\n".join(lines)
