"""Keep with next, the way Word does it, so the PDF breaks pages where the DOCX does.

reportlab's ``keepWithNext`` keeps a heading with the *whole* next flowable (a ``KeepTogether``): a heading
before a seven-line paragraph moves to the next page with all of it, while Word (and LibreOffice, WPS)
keep the heading only with the start of that paragraph — its first two lines under widow control — and
break the paragraph. :func:`keep_groups` replaces each run of keep-with-next paragraphs and the flowable
after it by a :class:`KeepStart` that asks for just that much room; the 落款 (court name, date, seal, all
kept with the next) and the closing 特此通知 thereby stay on one page with the seal line.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Image, Table

from baihe_desk.documents.pdf_flow import WIDOW_LINES, CJKParagraph


def _first_part_height(flowable, width: float, height: float) -> float:  # type: ignore[no-untyped-def]
    """The least of ``flowable`` Word keeps on the page of the paragraph before it."""
    if isinstance(flowable, CJKParagraph):
        lines = len(flowable._layout(width))
        keep = lines if lines < 2 * WIDOW_LINES else WIDOW_LINES
        return keep * flowable.leading
    _, full = flowable.wrap(width, height)
    if isinstance(flowable, Table):
        heights = getattr(flowable, "_rowHeights", None) or [full]
        return sum(heights[: max(1, flowable.repeatRows or 0) + (1 if flowable.repeatRows else 0)])
    return full + flowable.getSpaceBefore()


class KeepStart(Flowable):
    """``group`` (keep-with-next paragraphs, never split) on the same page as the start of ``following``."""

    def __init__(self, group: list[Flowable], following: Flowable, frame_height: float):
        super().__init__()
        self.group = group
        self.following = following
        self.frame_height = frame_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # never drawn as a whole: claim more room than there is, so the frame always asks to split
        self.width = availWidth
        self.height = availHeight + 1.0
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        need = sum(f.wrap(availWidth, availHeight)[1] for f in self.group)
        need += _first_part_height(self.following, availWidth, availHeight)
        at_top = availHeight >= self.frame_height - 0.5
        if need > availHeight + 1e-6 and not at_top:
            return []  # the frame moves the whole group to the next page
        return [*self.group, self.following]

    def draw(self) -> None:  # pragma: no cover - wrap() never lets the frame draw it
        raise AssertionError("KeepStart is always split")


def keep_groups(story: list[Flowable], frame_height: float) -> list[Flowable]:
    """The story with each run of ``keepWithNext`` flowables bound to the start of the flowable after it."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        f = story[i]
        if not getattr(f, "keepWithNext", False):
            out.append(f)
            i += 1
            continue
        j = i
        while j < len(story) and getattr(story[j], "keepWithNext", False):
            story[j].keepWithNext = False
            j += 1
        group = story[i:j]
        if j < len(story) and isinstance(story[j], (CJKParagraph, Table, Image)):
            out.append(KeepStart(group, story[j], frame_height))
            i = j + 1
        else:  # nothing after it (the 落款 at the end, or before a page break): the run stays together
            out.append(KeepStart(group[:-1], group[-1], frame_height) if len(group) > 1 else group[0])
            i = j
    return out
