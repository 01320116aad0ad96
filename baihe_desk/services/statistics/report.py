"""统计分析 — figures for a chosen week, month, quarter or year, for the whole court, by department and
by person; the basis of the 周通报 and the 月分析 (court-report: 周通报、月分析、季调度; 案件增幅同比下降).

Counting rules (also printed under the tables, :data:`NOTES`):

- 收件: complaints received (``Case.received_on``) in the period; 立案: 民初 cases filed (``filed_on``);
  结案: 民初 cases closed (``closed_on``). 同比: against the same period one year earlier.
- department of a case: its department, else its judge's department (else 未分案); person: the judge.
- 诉前调解: 进入调解 = mediation cases opened (民诉前调 numbered) in the period; 调解成功率 = agreements ÷
  mediations concluded in the period (as ``mediation_query.statistics`` counts them).
- 补正率: first-round reviews decided in the period that ended with 通知补正 ÷ all first-round decisions.
- 收件至立案: average days from receipt to filing of the cases filed in the period; 收件至首次成功送达:
  average days from receipt to the first successful service on a defendant (签收、留置、电子送达发送、
  公告期满 — the 公告 date as 发出日 + 公告期, without the rest-day move) of the cases filed in the period.
- 执行咨询 and 判后答疑: ``enforcement_queries.statistics`` and ``explanation_stats.statistics`` (sent / asked in
  the period); 服判息诉率 = requests ended with 服判息诉 ÷ requests ended.
- 超期: open items overdue as of the day of the statistics (立案期限、审限、调解期限、执行咨询回复);
  超审限结案: 民初 cases closed in the period after their trial limit (with recorded extensions and periods
  not counted); 逾期立案: cases filed in the period after the 7-day filing period.

The SQL is in :mod:`.parts`, the dataclasses in :mod:`.figures` (aggregates in the database: the court's file holds a million cases);
long runs report progress through ``progress(done, total, label)`` (the UI's background helper).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.statistics import parts
from baihe_desk.services.statistics.figures import (  # noqa: F401  (the report's public names)
    NOTES,
    PERIOD_KINDS,
    QUARTERS,
    DeptRow,
    MediatorRow,
    Period,
    PersonRow,
    Progress,
    Rate,
    Report,
    change_text,
    days_text,
    period_of,
)

STEPS = ("收案与结案", "超审限与逾期立案", "诉前调解", "立案审查与送达", "执行咨询", "判后答疑", "当前超期事项")


def compute(session: Session, period: Period, *, today: date | None = None,
            progress: Progress | None = None) -> Report:
    """The statistics of ``period`` (every figure described in the module docstring)."""
    from baihe_desk.services.deadlines.clocks import providers

    providers()  # every workflow's models imported (under the providers' lock) before the first query
    today = today or today_local()
    report = Report(period, period.year_before(), today, datetime.now().astimezone())
    steps = [parts.cases, parts.limits, parts.mediation, parts.filing_and_service, parts.consultations,
             parts.explanations, parts.overdue_now]
    for i, step in enumerate(steps):
        if progress is not None:
            progress(i, len(steps), f"正在统计：{STEPS[i]}…")
        step(session, report)
    if progress is not None:
        progress(len(steps), len(steps), "统计完成")
    return report
