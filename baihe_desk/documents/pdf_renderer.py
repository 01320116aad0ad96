"""PDF renderer (reportlab platypus): the document model on court pages, fonts embedded.

Every face is an embedded TrueType subset registered from the font index (never a CID font the
reader must supply). Before anything is laid out, the glyph preflight runs over the whole document
and decides per character which face draws it.
"""

from __future__ import annotations

import io
import threading

from baihe_desk.documents.model import Document, Image, PageBreak, Para, Table, text_of
from baihe_desk.documents.preflight import FontPlan, NoUsableFont
from baihe_desk.documents.settings import FONT_ROLE_LABELS
from baihe_desk.documents.typography import COURT_PAGE, MM, STYLE_FONT_ROLE, PageSetup

CREATOR = "Baihe Desk 白河林区基层法院 立案·调解工作台"
# reportlab keeps per-document subset state inside the shared, process-wide TTFont objects: one PDF at
# a time (a preview in the editor and a generation in the panel may otherwise overlap).
_render_lock = threading.Lock()


def _embed_used_faces(plan: FontPlan, doc: Document) -> dict[str, str]:
    """Preflight the document, then register the faces it uses with reportlab (face key → font name).

    A face reportlab cannot load is dropped from every chain and the preflight runs again, so its
    characters move to the next face of the chain.
    """
    from baihe_desk.documents.pdf_flow import register_face

    while True:
        plan.check(doc)
        plan.used.add(plan.chains["body"].primary)  # the canvas' initial font and the tables' font
        names: dict[str, str] = {}
        failed = set()
        for face in plan.used:
            name = register_face(face)
            if name is None:
                failed.add(face)
            else:
                names[face.key] = name
        if not failed:
            return names
        for role, chain in plan.chains.items():
            chain.faces = [f for f in chain.faces if f not in failed]
            if not chain.faces:
                raise NoUsableFont(f"本机的{FONT_ROLE_LABELS[role]}字体都无法嵌入 PDF，请安装 TrueType 格式的中文字体。")


class _Layout:
    def __init__(self, plan: FontPlan, names: dict[str, str], page: PageSetup):
        self.plan = plan
        self.names = names
        self.page = page

    def runs(self, spans, role: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        out: list[tuple[str, str]] = []
        for span in spans:
            for text, face in self.plan.segment(span.text, role, span.field):
                out.append((text, self.names[face.key]))
        return out

    def para(self, p: Para, *, cell: bool = False):  # type: ignore[no-untyped-def]
        from baihe_desk.documents.pdf_flow import CJKParagraph

        page = self.page
        role = STYLE_FONT_ROLE.get(p.style, "body")
        size = page.title_pt if p.style in ("court", "title") else page.body_pt
        char_space = 0.0 if p.style in ("court", "title") or cell else page.body_char_space_pt
        align = {"court": "center", "title": "center", "center": "center", "subtitle": "center",
                 "number": "right", "right": "right"}.get(p.style, "justify")
        indent = 2 * page.char_pitch_pt if p.style in ("body", "heading1", "heading2") and not cell else 0.0
        return CJKParagraph(self.runs(p.spans, role), size, page.leading_pt, align=align, first_indent=indent,
                            right_indent=p.right_indent_chars * page.char_pitch_pt, char_space=char_space,
                            keep_with_next=p.keep_with_next, widow_control=not cell)

    def table(self, t: Table):  # type: ignore[no-untyped-def]
        from reportlab.platypus import Table as RLTable
        from reportlab.platypus import TableStyle

        width = self.page.text_width_pt
        data = [[[self.para(Para(cell, "plain"), cell=True)] for cell in row] for row in t.rows]
        widths = [f * width for f in t.col_widths]
        heights: list[float | None] = [None] * len(t.rows)
        for r, lines in enumerate(t.row_min_lines[: len(t.rows)]):
            if lines:  # a minimum (room for a signature); a row whose wrapped text needs more grows with it
                content = max((cell[0].wrap(w - 10, 1e6)[1] for cell, w in zip(data[r], widths, strict=False)),
                              default=0.0)
                if content <= lines * self.page.leading_pt:
                    heights[r] = lines * self.page.leading_pt + 6
        table = RLTable(data, colWidths=widths, rowHeights=heights,
                        splitInRow=0 if t.header_rows else 1, hAlign="CENTER",
                        repeatRows=min(t.header_rows, len(t.rows) - 1))
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.names[self.plan.chains["body"].primary.key], self.page.body_pt),
            ("GRID", (0, 0), (-1, -1), 0.75, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 1),  # about Word's: no cell margin above or below the pitch
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return table

    def image(self, img: Image):  # type: ignore[no-untyped-def]
        """A centred picture, scaled to fit the text width and, at most, the page height."""
        from reportlab.platypus import Image as RLImage

        width, height = img.size(self.page.text_width_pt)
        limit = self.page.text_height_pt - self.page.leading_pt
        if height > limit:
            width, height = width * limit / height, limit
        out = RLImage(io.BytesIO(img.data), width=width, height=height)
        out.hAlign = "CENTER"
        out.spaceBefore = out.spaceAfter = self.page.leading_pt / 4  # clear of a table's border above
        return out

    def page_number(self, canvas, number: int, mode: str) -> None:  # type: ignore[no-untyped-def]
        from reportlab.pdfbase.pdfmetrics import stringWidth

        page = self.page
        size = page.page_number_pt
        runs = [(t, self.names[f.key]) for t, f in self.plan.segment(f"— {number} —", "page_number", "页码")]
        width = sum(stringWidth(t, font, size) for t, font in runs)
        left, right = page.left_mm * MM, (page.page_width_mm - page.right_mm) * MM
        if mode == "center":
            x = (left + right - width) / 2
        elif number % 2:
            x = right - size - width  # odd page: right, one character in
        else:
            x = left + size  # even page: left, one character in
        text = canvas.beginText(x, page.page_number_baseline_pt)
        for t, font in runs:
            text.setFont(font, size)
            text.textOut(t)
        canvas.drawText(text)


def render_pdf(doc: Document, plan: FontPlan, *, page: PageSetup = COURT_PAGE,
               page_numbers: str = "odd-even") -> bytes:
    """The document as PDF bytes. Raises ``MissingGlyph`` / ``NoUsableFont`` (KnownError)."""
    with _render_lock:
        return _render(doc, plan, page, page_numbers)


def _render(doc: Document, plan: FontPlan, page: PageSetup, page_numbers: str) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
    from reportlab.platypus import PageBreak as RLPageBreak

    names = _embed_used_faces(plan, doc)
    layout = _Layout(plan, names, page)
    story = []
    for block in doc.flow():
        if isinstance(block, Para):
            story.append(layout.para(block))
        elif isinstance(block, Table):
            story.append(layout.table(block))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(block, Image):
            story.append(layout.image(block))

    from baihe_desk.documents.pdf_keep import keep_groups

    story = keep_groups(story, page.text_height_pt)
    buf = io.BytesIO()
    size = (page.page_width_mm * MM, page.page_height_mm * MM)
    frame = Frame(page.left_mm * MM, page.bottom_mm * MM, page.text_width_pt, page.text_height_pt,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    template = BaseDocTemplate(
        buf, pagesize=size, title=doc.title, author=doc.author or text_of(doc.court_name),
        subject=f"{doc.title} {text_of(doc.number)}".strip(), creator=CREATOR, producer=CREATOR,
        leftMargin=page.left_mm * MM, rightMargin=page.right_mm * MM, topMargin=page.top_mm * MM,
        bottomMargin=page.bottom_mm * MM, lang="zh-CN",
        initialFontName=names[plan.chains["body"].primary.key], initialFontSize=page.body_pt,
    )
    template.addPageTemplates([PageTemplate(
        id="court", frames=[frame], pagesize=size,
        onPage=lambda canvas, _doc: layout.page_number(canvas, canvas.getPageNumber(), page_numbers),
    )])
    from reportlab.platypus.doctemplate import LayoutError

    try:
        template.build(story)
    except LayoutError as exc:  # a table row taller than a page (a very long entry in one cell)
        from baihe_desk.errors import KnownError

        raise KnownError(f"《{doc.title[:30]}》中有一栏文字过长，超过一页，无法排版。"
                         "请缩短该栏内容（如地址、说明）后重新生成。") from exc
    return buf.getvalue()
