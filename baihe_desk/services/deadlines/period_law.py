"""期间的法律依据 — the texts of 民事诉讼法第八十五条 the desk cites for every computed deadline, the result type
:class:`Deadline`, and the table of statutory periods (答辩期, 上诉期, 交纳受理费, 申请执行 …) as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CPL = "《中华人民共和国民事诉讼法》"


BASIS_START = f"{CPL}第八十五条第二款：期间以时、日、月、年计算。期间开始的时和日，不计算在期间内。"


BASIS_LAST_DAY = (
    f"{CPL}第八十五条第三款：期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期。"
)


BASIS_TRANSIT = f"{CPL}第八十五条第四款：期间不包括在途时间，诉讼文书在期满前交邮的，不算过期。"


BASIS_MONTHS = (
    "《中华人民共和国民法典》第二百零二条：按照年、月计算期间的，到期月的对应日为期间的最后一日；"
    "没有对应日的，月末日为期间的最后一日。"
)


BASIS_REST = "休息日指法定节假日和星期六、星期日；国务院调休安排上班的星期六、星期日为工作日。"


BASIS_WORKING = "按工作日计算的期间：起算日不计入，其后只计工作日，休息日不计入期间。"


@dataclass(frozen=True)
class Deadline:
    """A computed deadline (期间届满日) with its reasoning, legal basis and warnings."""

    start: date
    count: int
    unit: str  # "日", "个月", "年" or "个工作日"
    nominal: date  # the last day before any moving for rest days (名义届满日)
    due: date  # 期间届满的日期
    steps: tuple[str, ...]
    basis: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    label: str | None = None  # e.g. "对第一审判决提起上诉"


@dataclass(frozen=True)
class StatutoryPeriod:
    label: str
    count: int
    unit: str  # "days" | "months" | "years"
    basis: str
    note: str | None = None


STATUTORY_PERIODS: dict[str, StatutoryPeriod] = {
    "appeal_judgment": StatutoryPeriod(
        "对第一审判决提起上诉", 15, "days", f"{CPL}第一百七十一条第一款：自判决书送达之日起十五日内"
    ),
    "appeal_ruling": StatutoryPeriod(
        "对第一审裁定提起上诉", 10, "days", f"{CPL}第一百七十一条第二款：自裁定书送达之日起十日内"
    ),
    "appeal_no_domicile": StatutoryPeriod(
        "在中华人民共和国领域内没有住所的当事人提起上诉",
        30,
        "days",
        f"{CPL}第二百八十六条：在中华人民共和国领域内没有住所的当事人，不服第一审人民法院判决、裁定的，"
        "有权在判决书、裁定书送达之日起三十日内提起上诉",
    ),
    "answer_no_domicile": StatutoryPeriod(
        "在中华人民共和国领域内没有住所的被告提出答辩状",
        30,
        "days",
        f"{CPL}第二百八十五条：被告在中华人民共和国领域内没有住所的，人民法院应当……通知被告在收到起诉状副本后"
        "三十日内提出答辩状",
    ),
    "filing_decision": StatutoryPeriod(
        "立案或者裁定不予受理", 7, "days", f"{CPL}第一百二十六条：应当在七日内立案／作出裁定书"
    ),
    "answer": StatutoryPeriod(
        "被告提出答辩状", 15, "days", f"{CPL}第一百二十八条第一款：被告应当在收到之日起十五日内提出答辩状"
    ),
    "fee_payment": StatutoryPeriod(
        "交纳案件受理费", 7, "days", "《诉讼费用交纳办法》第二十二条第一款：自接到交纳诉讼费用通知次日起7日内"
    ),
    "enforcement_application": StatutoryPeriod(
        "申请执行",
        2,
        "years",
        f"{CPL}第二百五十条：申请执行的期间为二年",
        note="申请执行时效可以中止、中断（民事诉讼法第二百五十条第一款），本计算未考虑中止、中断，请人工核对",
    ),
}
