"""Court page typography (公文版式), shared by the PDF and DOCX renderers.

GB/T 9704-2012 and the 人民法院 document style (DOMAIN.md §9): A4, top margin 37 mm, left 28 mm,
so a 版心 of 156 × 225 mm (bottom 35 mm, right 26 mm); body 三号 (16 pt) 仿宋, 22 lines of 28
characters; court name and document name 二号 (22 pt) 小标宋; page numbers 四号 (14 pt) 宋体 as
"— 1 —", 7 mm below the 版心.

The numbers check out like this: 28 characters × 16 pt = 448 pt = 158.0 mm, 2 mm wider than the
156 mm 版心 (442.2 pt), so the characters must sit 0.21 pt closer: a grid pitch of 15.79 pt. The
DOCX section declares that grid (``linesAndChars``, ``w:charSpace`` = (15.79 − 16) × 4096 ≈ −848,
so Word's page setup shows 22 × 28), but LibreOffice gives a 16 pt character two cells of a
15.79 pt grid, which doubles the spacing. So the body styles do not snap to the character grid;
they carry a character spacing of −0.25 pt instead (Word expresses 1/20 pt; −0.20 would still
leave 28 × 15.8 pt = 442.4 pt > 442.2 pt), and the PDF renderer uses the same −0.25 pt: 28
characters fit and the 29th does not, in Word, WPS, LibreOffice and the PDF alike. The line pitch is 225 mm / 22 = 579.8 twips, rounded *down* to 579 twips
(28.95 pt): with 580 Word would fit only 21 lines (22 × 580 > 12 756 twips). Both renderers use
the rounded 28.95 pt so that the two outputs break lines and pages alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    return round(mm * MM * TWIPS_PER_PT)


@dataclass(frozen=True)
class PageSetup:
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    top_mm: float = 37.0
    bottom_mm: float = 35.0
    left_mm: float = 28.0
    right_mm: float = 26.0
    lines_per_page: int = 22
    chars_per_line: int = 28
    title_pt: float = 22.0  # 二号
    body_pt: float = 16.0  # 三号
    page_number_pt: float = 14.0  # 四号
    page_number_gap_mm: float = 7.0  # below the 版心

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.left_mm - self.right_mm

    @property
    def text_height_mm(self) -> float:
        return self.page_height_mm - self.top_mm - self.bottom_mm

    @property
    def text_width_pt(self) -> float:
        return self.text_width_mm * MM

    @property
    def text_height_pt(self) -> float:
        return self.text_height_mm * MM

    @property
    def line_pitch_twips(self) -> int:
        """Fixed line pitch, rounded down so that ``lines_per_page`` lines fit in Word."""
        return int(self.text_height_mm * MM * TWIPS_PER_PT / self.lines_per_page)

    @property
    def leading_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @property
    def char_pitch_pt(self) -> float:
        return self.text_width_pt / self.chars_per_line

    @property
    def docx_char_spacing(self) -> int:
        """Body character spacing in twentieths of a point (``w:spacing/@w:val``): the grid pitch
        difference rounded down, so that exactly 28 characters fit (−5 = −0.25 pt)."""
        return math.floor((self.char_pitch_pt - self.body_pt) * TWIPS_PER_PT)

    @property
    def body_char_space_pt(self) -> float:
        """Extra advance per body character (negative: a little tighter) so 28 fit on a line."""
        return self.docx_char_spacing / TWIPS_PER_PT

    @property
    def docx_char_space(self) -> int:
        """``w:docGrid/@w:charSpace``: pitch difference from the Normal font size, in 1/4096 pt."""
        return round((self.char_pitch_pt - self.body_pt) * 4096)

    @property
    def page_number_baseline_pt(self) -> float:
        """Baseline of "— 1 —": the top of the digits 7 mm below the 版心 (cap height ≈ 0.8 em)."""
        return (self.bottom_mm - self.page_number_gap_mm) * MM - 0.8 * self.page_number_pt


COURT_PAGE = PageSetup()

# Block styles of the document model, and the font role each one uses.
STYLE_FONT_ROLE = {
    "court": "title",
    "title": "title",
    "number": "body",
    "body": "body",
    "plain": "body",
    "center": "body",
    "right": "body",
    "heading1": "heading1",
    "heading2": "heading2",
    "subtitle": "heading1",
    "table": "body",
}
