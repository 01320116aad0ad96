"""DOCX page setup and styles for court documents (python-docx plus a little raw WordprocessingML).

- Styles: the default template's theme fonts (``w:asciiTheme``, ``w:eastAsiaTheme``, …) are
  removed everywhere in ``styles.xml``; ``docDefaults``, ``Normal`` and every style the renderer
  uses name their fonts explicitly (``w:ascii``, ``w:hAnsi``, ``w:eastAsia``, ``w:cs``) and carry
  ``w:lang w:eastAsia="zh-CN"``, so Word never substitutes a Japanese or Latin theme font.
  The Word-2010-only ``stylesWithEffects.xml`` part (a second copy with theme fonts) is dropped.
- Page: A4, margins 37/35/28/26 mm, a ``linesAndChars`` document grid of 22 lines × 28 characters
  (``w:linePitch`` 579, ``w:charSpace`` ≈ −848) and an exact line spacing of the same pitch.
- Footer: "— PAGE —" in 四号宋体, odd pages right and even pages left (one character in), or
  centred.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from baihe_desk.documents.typography import TWIPS_PER_PT, PageSetup, mm_to_twips

THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))

# style id → (name, font role, size attribute of PageSetup, alignment, first-line indent in chars,
# body grid spacing). No style snaps to the character grid (see typography.py): the body styles get
# the grid's character spacing instead, titles and table cells keep the font's natural advance.
STYLES = {
    "BHCourt": ("BH 法院名称", "title", "title_pt", "center", 0, False),
    "BHTitle": ("BH 文书名称", "title", "title_pt", "center", 0, False),
    "BHNumber": ("BH 案号", "body", "body_pt", "right", 0, True),
    "BHBody": ("BH 正文", "body", "body_pt", "both", 2, True),
    "BHPlain": ("BH 顶格", "body", "body_pt", "both", 0, True),
    "BHCenter": ("BH 居中", "body", "body_pt", "center", 0, True),
    "BHRight": ("BH 居右", "body", "body_pt", "right", 0, True),
    "BHHeading1": ("BH 一级标题", "heading1", "body_pt", "both", 2, True),
    "BHHeading2": ("BH 二级标题", "heading2", "body_pt", "both", 2, True),
    "BHSubtitle": ("BH 小标题", "heading1", "body_pt", "center", 0, True),
    "BHTable": ("BH 表格", "body", "body_pt", "left", 0, False),
    "BHFooter": ("BH 页码", "page_number", "page_number_pt", "right", 0, False),
}
MODEL_STYLE_IDS = {
    "court": "BHCourt", "title": "BHTitle", "number": "BHNumber", "body": "BHBody", "plain": "BHPlain",
    "center": "BHCenter", "right": "BHRight", "heading1": "BHHeading1", "heading2": "BHHeading2",
    "subtitle": "BHSubtitle", "table": "BHTable",
}


def _child(parent, tag: str):  # type: ignore[no-untyped-def]
    """The first child ``tag`` of ``parent``, created (appended) if missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def set_run_fonts(rpr, family: str, size_pt: float | None = None,  # type: ignore[no-untyped-def]
                  spacing: int = 0) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(attr, None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), family)
    fonts.set(qn("w:hint"), "eastAsia")
    char_spacing = rpr.find(qn("w:spacing"))
    if spacing:
        _child(rpr, "w:spacing").set(qn("w:val"), str(spacing))
    elif char_spacing is not None:
        rpr.remove(char_spacing)
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        _child(rpr, "w:sz").set(qn("w:val"), half_points)
        _child(rpr, "w:szCs").set(qn("w:val"), half_points)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_ppr(ppr, *, align: str, first_chars: int, page: PageSetup) -> None:  # type: ignore[no-untyped-def]
    spacing = _child(ppr, "w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(page.line_pitch_twips))
    spacing.set(qn("w:lineRule"), "exact")
    ind = _child(ppr, "w:ind")
    first = round(first_chars * page.char_pitch_pt * TWIPS_PER_PT)
    ind.set(qn("w:firstLineChars"), str(first_chars * 100))
    ind.set(qn("w:firstLine"), str(first))
    _child(ppr, "w:jc").set(qn("w:val"), align)
    _child(ppr, "w:snapToGrid").set(qn("w:val"), "0")
    _child(ppr, "w:widowControl").set(qn("w:val"), "1")  # two lines each side of a break, as the PDF
    _child(ppr, "w:kinsoku").set(qn("w:val"), "1")
    _child(ppr, "w:overflowPunct").set(qn("w:val"), "1")


def _reorder_ppr(ppr) -> None:  # type: ignore[no-untyped-def]
    """Children of w:pPr must follow the schema order (Word refuses some files otherwise)."""
    order = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:kinsoku",
             "w:overflowPunct", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr"]
    rank = {qn(t): i for i, t in enumerate(order)}
    children = sorted(ppr, key=lambda el: rank.get(el.tag, len(order)))
    for el in children:
        ppr.remove(el)
        ppr.append(el)


def _reorder_rpr(rpr) -> None:  # type: ignore[no-untyped-def]
    order = ["w:rStyle", "w:rFonts", "w:b", "w:i", "w:spacing", "w:sz", "w:szCs", "w:u", "w:lang"]
    rank = {qn(t): i for i, t in enumerate(order)}
    children = sorted(rpr, key=lambda el: rank.get(el.tag, len(order)))
    for el in children:
        rpr.remove(el)
        rpr.append(el)


def setup_styles(document, families: dict[str, str], page: PageSetup) -> None:  # type: ignore[no-untyped-def]
    """Explicit fonts and zh-CN in docDefaults, Normal and the BH styles; no theme fonts anywhere."""
    styles_el = document.styles.element
    for fonts in styles_el.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            fonts.attrib.pop(attr, None)
    body = families["body"]
    defaults = _child(_child(_child(styles_el.find(qn("w:docDefaults")), "w:rPrDefault"), "w:rPr"), "w:rFonts")
    rpr_default = defaults.getparent()
    set_run_fonts(rpr_default, body, page.body_pt)
    _reorder_rpr(rpr_default)

    normal = document.styles["Normal"]
    set_run_fonts(normal.element.get_or_add_rPr(), body, page.body_pt)
    _reorder_rpr(normal.element.get_or_add_rPr())
    _set_ppr(normal.element.get_or_add_pPr(), align="both", first_chars=0, page=page)
    _reorder_ppr(normal.element.get_or_add_pPr())

    for style_id, (name, role, size_attr, align, first_chars, grid_spacing) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = normal
        style.quick_style = True
        rpr = style.element.get_or_add_rPr()
        set_run_fonts(rpr, families[role], getattr(page, size_attr),
                      page.docx_char_spacing if grid_spacing else 0)
        _reorder_rpr(rpr)
        ppr = style.element.get_or_add_pPr()
        _set_ppr(ppr, align=align, first_chars=first_chars, page=page)
        _reorder_ppr(ppr)

    # the Word 2010 duplicate of styles.xml still names theme fonts: drop it
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")


def setup_page(section, page: PageSetup) -> None:  # type: ignore[no-untyped-def]
    """A4, court margins and the 22 × 28 document grid, written as exact twips."""
    sect = section._sectPr
    pg_sz = _child(sect, "w:pgSz")
    pg_sz.set(qn("w:w"), str(mm_to_twips(page.page_width_mm)))
    pg_sz.set(qn("w:h"), str(mm_to_twips(page.page_height_mm)))
    pg_sz.attrib.pop(qn("w:orient"), None)
    mar = _child(sect, "w:pgMar")
    footer_mm = page.page_number_baseline_pt / (72 / 25.4) - 0.2 * page.page_number_pt / (72 / 25.4)
    for attr, mm in (("top", page.top_mm), ("bottom", page.bottom_mm), ("left", page.left_mm),
                     ("right", page.right_mm), ("header", 15.0), ("footer", footer_mm), ("gutter", 0.0)):
        mar.set(qn(f"w:{attr}"), str(mm_to_twips(mm)))
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(page.line_pitch_twips))
    grid.set(qn("w:charSpace"), str(page.docx_char_space))


def _page_field(paragraph) -> None:  # type: ignore[no-untyped-def]
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def setup_footers(document, section, page: PageSetup, mode: str) -> None:  # type: ignore[no-untyped-def]
    """Page numbers "— N —": odd right / even left (one character in), or centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    one_char = Pt(page.page_number_pt)

    def fill(footer, align, *, left: bool) -> None:  # type: ignore[no-untyped-def]
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.style = document.styles["BH 页码"]
        p.alignment = align
        if align != WD_ALIGN_PARAGRAPH.CENTER:
            setattr(p.paragraph_format, "left_indent" if left else "right_indent", one_char)
        _page_field(p)

    if mode == "center":
        fill(section.footer, WD_ALIGN_PARAGRAPH.CENTER, left=False)
        return
    document.settings.odd_and_even_pages_header_footer = True
    fill(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, left=False)
    fill(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, left=True)
