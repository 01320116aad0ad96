"""DOCX renderer (python-docx): the same document model as the PDF, editable in Word / WPS.

Text runs keep the configured family of their style (Word falls back on its own for a character
the font lacks); the glyph preflight still runs first, so a character no installed font has stops
the render with the same ``MissingGlyph`` message as the PDF, and ``plan.fallbacks`` tells which
characters Word will draw in another font.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime

from baihe_desk.documents.model import Document, Image, PageBreak, Para, Table
from baihe_desk.documents.preflight import FontPlan
from baihe_desk.documents.typography import COURT_PAGE, TWIPS_PER_PT, PageSetup
from baihe_desk.models.base import utcnow

BORDER = {"val": "single", "sz": "6", "space": "0", "color": "000000"}  # 0.75 pt


def _families(plan: FontPlan) -> dict[str, str]:
    return {role: chain.docx_family for role, chain in plan.chains.items()}


# The styled, empty base document (styles, page, footers) of each font/page/page-number setting, as
# package bytes: styling python-docx's default template costs more than the whole bare document, so
# it is done once per process and each render opens a fresh copy of the result.
_base_packages: dict[tuple, bytes] = {}
_base_lock = threading.Lock()


def _chains(plan: FontPlan) -> dict[str, list[str]]:
    return {role: list(chain.configured) for role, chain in plan.chains.items()}


def _base_package(families: dict[str, str], page: PageSetup, page_numbers: str,
                  chains: dict[str, list[str]] | None = None) -> bytes:
    chains = chains or {}
    key = (tuple(sorted(families.items())), tuple((r, tuple(c)) for r, c in sorted(chains.items())), page,
           page_numbers)
    with _base_lock:
        blob = _base_packages.get(key)
        if blob is None:
            blob = _styled_base(families, page, page_numbers, chains)
            if len(_base_packages) >= 16:  # settings changed many times in one session
                _base_packages.clear()
            _base_packages[key] = blob
        return blob


def _styled_base(families: dict[str, str], page: PageSetup, page_numbers: str,
                 chains: dict[str, list[str]]) -> bytes:
    import docx

    from baihe_desk.documents.docx_package import clean_package
    from baihe_desk.documents.docx_styles import setup_footers, setup_page, setup_styles

    document = docx.Document()
    setup_styles(document, families, page)
    section = document.sections[0]
    setup_page(section, page)
    setup_footers(document, section, page, page_numbers)
    clean_package(document, chains, families)
    body = document._body._body
    for p in list(body.iterchildren()):  # the template's empty first paragraph
        if p.tag.endswith("}p"):
            body.remove(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def set_style(p, style_id: str) -> None:  # type: ignore[no-untyped-def]
    """``<w:pStyle w:val=style_id/>`` as the first child of the paragraph's ``w:pPr`` (made if missing).

    The style id is set directly: python-docx's name lookup scans every style per paragraph, and
    even its ``p.style = id`` setter searches the schema order for each child it adds."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p.pPr
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    found = ppr.find(qn("w:pStyle"))
    if found is None:
        found = OxmlElement("w:pStyle")
        ppr.insert(0, found)
    found.set(qn("w:val"), style_id)


def _table(document, table: Table, page: PageSetup, style_id: str) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    n_cols = max(len(r) for r in table.rows)
    out = document.add_table(rows=len(table.rows), cols=n_cols)
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    total = round(page.text_width_pt * TWIPS_PER_PT)
    widths = [round(f * total) for f in table.col_widths]
    tbl_pr = out._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in BORDER.items():
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    # schema order: … jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    after = next((el for el in tbl_pr if el.tag in {qn(t) for t in ("w:shd", "w:tblLayout", "w:tblCellMar",
                                                                   "w:tblLook")}), None)
    if after is not None:
        after.addprevious(borders)
    else:
        tbl_pr.append(borders)
    for col, width in zip(out.columns, widths, strict=False):
        col.width = Twips(width)
    cells = out._cells  # python-docx's cell(r, c) rebuilds this grid on every call
    for r, row in enumerate(table.rows):
        min_lines = table.row_min_lines[r] if r < len(table.row_min_lines) else 0
        if min_lines:
            out.rows[r].height = Twips(min_lines * page.line_pitch_twips + 120)
        if r < table.header_rows:  # repeated as the heading row on every page (w:tblHeader)
            out.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for c in range(n_cols):
            cell = cells[r * n_cols + c]
            cell.width = Twips(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            set_style(p._p, style_id)
            for span in row[c] if c < len(row) else []:
                p.add_run(span.text)


def _image(p, img: Image, page: PageSetup) -> None:  # type: ignore[no-untyped-def]
    """A centred inline picture in its own paragraph; the paragraph leaves the fixed line pitch (which would
    clip it) and keeps a quarter line of space above and below."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    width, height = img.size(page.text_width_pt)
    limit = page.text_height_pt - page.leading_pt
    if height > limit:
        width, height = width * limit / height, limit
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    # a quarter line clear of its neighbours, as in the PDF: flush against a table, the picture's white
    # ground painted over the table's bottom border in LibreOffice and WPS
    fmt.space_before = fmt.space_after = Pt(page.leading_pt / 4)
    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:rPr")
    run = p.add_run()
    shape = run.add_picture(io.BytesIO(img.data), width=Pt(width), height=Pt(height))
    if img.alt:
        shape._inline.docPr.set("descr", img.alt)


def render_docx(doc: Document, plan: FontPlan, *, page: PageSetup = COURT_PAGE,
                page_numbers: str = "odd-even", now: datetime | None = None) -> bytes:
    """The document as DOCX bytes. Raises ``MissingGlyph`` (KnownError) like the PDF renderer.

    ``now`` (default: the clock) is the created and modified time in the core properties."""
    import docx
    from docx.shared import Twips

    from baihe_desk.documents.docx_package import set_core_properties
    from baihe_desk.documents.docx_styles import MODEL_STYLE_IDS

    plan.check(doc)
    document = docx.Document(io.BytesIO(_base_package(_families(plan), page, page_numbers, _chains(plan))))

    def paragraph(style: str):  # type: ignore[no-untyped-def]
        p = document.add_paragraph()
        set_style(p._p, MODEL_STYLE_IDS.get(style, MODEL_STYLE_IDS["body"]))
        return p

    break_before = False
    for block in doc.flow():
        if isinstance(block, PageBreak):
            break_before = True
        elif isinstance(block, Para):
            p = paragraph(block.style)
            for span in block.spans:
                p.add_run(span.text)
            fmt = p.paragraph_format
            if block.keep_with_next:
                fmt.keep_with_next = True
            if block.right_indent_chars:
                fmt.right_indent = Twips(round(block.right_indent_chars * page.char_pitch_pt * TWIPS_PER_PT))
            if break_before:
                fmt.page_break_before = True
                break_before = False
        elif isinstance(block, Table):
            if break_before:
                paragraph("plain").paragraph_format.page_break_before = True
                break_before = False
            _table(document, block, page, MODEL_STYLE_IDS["table"])
        elif isinstance(block, Image):
            p = paragraph("center")
            _image(p, block, page)
            if break_before:
                p.paragraph_format.page_break_before = True
                break_before = False

    set_core_properties(document, title=doc.title, author=doc.author or "".join(s.text for s in doc.court_name),
                        subject=" ".join([doc.title, "".join(s.text for s in doc.number)]).strip(),
                        comments=f"{doc.kind} {doc.template_version}".strip(), now=now or doc.generated_at or utcnow())
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
