"""Charts of the 周通报 and 月分析 as PNG pictures for the document engine (no Qt: the services stay
headless, so the CLI and a background export draw the same picture).

Drawn with Pillow (already installed as reportlab's dependency — no new package), in the documents' body
font chain, character by character through the glyph preflight (a 生僻字 in a judge's name is drawn by
the fallback face that has it, never as a box). Grouped vertical bars with the value over each bar, a
light grid, a legend, category labels wrapped under the axis.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from baihe_desk.documents.preflight import FontPlan

BLUE, GREY, RED, GREEN = "#2f5597", "#a6a6a6", "#c0392b", "#548235"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    color: str = BLUE


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # values are fractions shown as %
    unit: str = "件"


@dataclass
class _Fonts:
    plan: FontPlan
    cache: dict = field(default_factory=dict)

    def font(self, face, size: int):  # type: ignore[no-untyped-def]
        from PIL import ImageFont

        key = (face.key, size)
        if key not in self.cache:
            self.cache[key] = ImageFont.truetype(face.path, size, index=face.index)
        return self.cache[key]

    def runs(self, text: str, size: int):  # type: ignore[no-untyped-def]
        return [(t, self.font(face, size)) for t, face in self.plan.segment(text, "body", "图表")]

    def width(self, text: str, size: int) -> float:
        return sum(f.getlength(t) for t, f in self.runs(text, size))

    def draw(self, draw, x: float, y: float, text: str, size: int, *, fill="#000000", anchor="l") -> None:  # type: ignore[no-untyped-def]
        """Draw ``text`` with its top at ``y``; ``anchor`` l / m / r on ``x``."""
        w = self.width(text, size)
        x = x - w / 2 if anchor == "m" else x - w if anchor == "r" else x
        for t, f in self.runs(text, size):
            draw.text((x, y), t, font=f, fill=fill)
            x += f.getlength(t)


def nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step): 5 round steps covering ``value``."""
    if value <= 0:
        return 5.0, 1.0
    raw = value / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return step * math.ceil(value / step), step


def _wrap(fonts: _Fonts, text: str, size: int, width: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and fonts.width(cur + ch, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return [*lines, cur] if cur else lines


def value_text(value: float | None, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if value != int(value) else str(int(value))


def value_axis(chart: BarChart) -> tuple[float, float]:
    """(axis maximum, tick step). A rate is read against the whole 0–100 %, whatever this period's highest
    value, so a 25 % bar never looks full; counts get round steps of at least 1."""
    if chart.percent:
        return 1.0, 0.2
    values = [v for s in chart.series for v in s.values if v is not None]
    axis_max, step = nice_max(float(math.ceil(max(values, default=0))))
    step = max(step, 1.0)
    return max(axis_max, step), step


def render_png(chart: BarChart, plan: FontPlan, *, width: int = 1200, height: int = 720) -> bytes:
    """The chart as PNG bytes."""
    from PIL import Image, ImageDraw

    fonts = _Fonts(plan)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    title_pt, text_pt, small_pt = 40, 32, 28
    fonts.draw(d, width / 2, 24, chart.title, title_pt, anchor="m")
    # legend
    x = width / 2 - sum(fonts.width(s.name, text_pt) + 80 for s in chart.series) / 2
    for s in chart.series:
        d.rectangle([x, 86, x + 32, 114], fill=s.color)
        fonts.draw(d, x + 42, 82, s.name, text_pt)
        x += fonts.width(s.name, text_pt) + 80
    n = max(len(chart.categories), 1)
    group = (width - 170) / n
    label_lines = max((len(_wrap(fonts, c, text_pt, group - 8)[:3]) for c in chart.categories), default=1)
    left, right, top, bottom = 130, width - 40, 150, height - 40 - label_lines * (text_pt + 8)
    axis_max, step = value_axis(chart)
    # grid and y labels
    ticks = int(round(axis_max / step))
    for i in range(ticks + 1):
        y = bottom - (bottom - top) * i / ticks
        d.line([left, y, right, y], fill="#d9d9d9" if i else "#404040", width=2)
        tick = f"{step * i * 100:.0f}%" if chart.percent else value_text(step * i, False)
        fonts.draw(d, left - 14, y - small_pt * 0.6, tick, small_pt, anchor="r", fill="#404040")
    if not chart.percent:
        fonts.draw(d, left - 14, top - 56, f"（{chart.unit}）", small_pt, anchor="r", fill="#404040")
    bar = group * 0.7 / max(len(chart.series), 1)
    for ci, cat in enumerate(chart.categories):
        gx = left + group * ci + group * 0.15
        for si, s in enumerate(chart.series):
            v = s.values[ci] if ci < len(s.values) else None
            x0 = gx + bar * si
            h = 0 if v is None or axis_max == 0 else (bottom - top) * min(v, axis_max) / axis_max
            if h > 0:
                d.rectangle([x0 + 3, bottom - h, x0 + bar - 3, bottom - 1], fill=s.color)
            label = value_text(v, chart.percent)
            size = small_pt if fonts.width(label, small_pt) <= bar + 10 else small_pt - 6
            fonts.draw(d, x0 + bar / 2, bottom - h - size - 8, label, size, anchor="m")
        for li, line in enumerate(_wrap(fonts, cat, text_pt, group - 8)[:3]):
            fonts.draw(d, left + group * ci + group / 2, bottom + 14 + li * (text_pt + 8), line, text_pt, anchor="m")
    out = io.BytesIO()
    # fast zlib level: optimize=True spent ~75 ms a chart (two per report) for a few KiB (issue 21: export ≤ 1 s)
    img.save(out, "PNG", compress_level=1)
    return out.getvalue()
