"""当事人住所地与期间 — the periods that depend on where a party has its domicile.

民事诉讼法 (2023 numbering):

- 第一百二十八条 / 第一百七十一条: a party with a domicile in the PRC answers within 15 days and appeals a
  判决 within 15 days, a 裁定 within 10 days.
- 第二百八十五条: a defendant **with no domicile in the PRC** answers within **30 days** of receiving the
  complaint copy; 第二百八十六条: such a party appeals a 判决 **or** 裁定 within **30 days** of service.
- 民诉法解释第五百三十六条: each party's appeal period follows its own domicile (171 or 286 — the 解释 cites
  the 2021 numbering, 第二百七十六条 there = 第二百八十六条 now); the decision takes effect when every
  party's period has run out.
- 民诉法解释第五百四十九条: cases involving 香港、澳门、台湾 "可以参照适用" the foreign-related special rules;
  the desk applies the 30-day periods to such a party and says that this follows the court's 参照适用.

The party's attribute is ``Party.domicile_region`` (:class:`baihe_desk.models.DomicileRegion`). Every clock,
countdown and document that states an answer or appeal period asks :func:`period_key` / :func:`party_deadline`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from baihe_desk.models import DomicileRegion
from baihe_desk.services.deadlines.holidays import HolidayTable
from baihe_desk.services.deadlines.period_law import STATUTORY_PERIODS, Deadline
from baihe_desk.services.deadlines.periods import statutory_deadline

__all__ = ["APPEAL_ARTICLE", "BASIS_549", "appeal_article", "party_deadline", "period_days", "period_key"]

JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
BASIS_549 = (f"{JS}第五百四十九条：人民法院审理涉及香港、澳门特别行政区和台湾地区的民事诉讼案件，"
             "可以参照适用涉外民事诉讼程序的特别规定。")
NOTE_549 = "该当事人为港澳台地区当事人，按参照适用涉外程序的三十日期间计算（解释第五百四十九条），请承办法官确认"
_NO_DOMICILE = {"appeal_judgment": "appeal_no_domicile", "appeal_ruling": "appeal_no_domicile",
                "answer": "answer_no_domicile"}
APPEAL_ARTICLE = {False: "第一百七十一条", True: "第二百八十六条"}


def period_key(base: str, region: DomicileRegion | None) -> str:
    """The statutory period that applies to a party: ``appeal_judgment`` → ``appeal_no_domicile`` etc."""
    if region is not None and DomicileRegion(region).without_domicile:
        return _NO_DOMICILE.get(base, base)
    return base


def period_days(base: str, region: DomicileRegion | None) -> int:
    return STATUTORY_PERIODS[period_key(base, region)].count


def appeal_article(region: DomicileRegion | None) -> str:
    """The CPL article that sets this party's appeal period (第一百七十一条 or 第二百八十六条)."""
    return APPEAL_ARTICLE[region is not None and DomicileRegion(region).without_domicile]


def party_deadline(base: str, start: date, region: DomicileRegion | None, *,
                   table: HolidayTable | None = None) -> Deadline:
    """The party's deadline of period ``base`` from ``start`` (its own service date), with the basis of
    第二百八十五条/第二百八十六条 and, for 港澳台, 解释第五百四十九条 and a note to confirm."""
    deadline = statutory_deadline(period_key(base, region), start, table=table)
    if region is not None and DomicileRegion(region) is DomicileRegion.HK_MO_TW:
        deadline = replace(deadline, basis=(*deadline.basis, BASIS_549), warnings=(*deadline.warnings, NOTE_549))
    return deadline
