"""不计入期间的天数 — how many days a span that "is not counted" (鉴定、评估、公告、和解 …) takes out of a period.

One rule for every clock that deducts such spans: the 审理期限 (民诉法解释第二百四十三条: "公告期间、鉴定期间……
不应计算在内") and the 诉前调解期限 (在线调解规则第二十六条: "鉴定评估期限不计入调解期限"). Before this module the
mediation clock counted both ends of a span and the trial-limit clock only one, so the same 鉴定 from 03-02 to
03-05 took 4 days out of one and 3 out of the other.

The rule, and why: a span recorded from its first day (the 鉴定 is commissioned, the 公告 issued) to its last
day (the opinion received) is itself a 期间, and 民事诉讼法第八十五条第二款 says "期间开始的时和日，不计算在
期间内". So the first day is not part of the span — the case was handled that day and it stays counted in the
period — and the last day is (until the opinion arrives that day the case waits). A span therefore takes
**last − first** days out: 03-02 → 03-05 takes 3 days (03-03, 03-04, 03-05); a 鉴定 commissioned and answered the
same day takes none. Overlapping spans count each day once (the union of the half-open spans (first, last]).
An open span (no last day yet) runs to ``today`` and pauses the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

__all__ = ["days_not_counted"]


def days_not_counted(spans: Iterable[tuple[date, date | None]], today: date) -> tuple[int, bool]:
    """(days taken out of the period, whether a span is still open): the union of the spans (first, last]."""
    spans = list(spans)
    cut = sorted((s, e if e is not None else max(today, s)) for s, e in spans)
    total, current = 0, None  # current: the merged span (first, last] being extended
    for s, e in cut:
        if e <= s:
            continue
        if current is None or s > current[1]:
            if current is not None:
                total += (current[1] - current[0]).days
            current = (s, e)
        else:
            current = (current[0], max(current[1], e))
    if current is not None:
        total += (current[1] - current[0]).days
    return total, any(e is None for _, e in spans)
