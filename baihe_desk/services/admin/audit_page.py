"""审计记录的一页 — what the audit viewer shows and exports: the filter (筛选条件), the rows and the page.

Plain data in its own module, so that :mod:`audit_log` (which fills a page) and :mod:`audit_export` (which
writes one to PDF or XLSX) both name it without importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from baihe_desk.services.common import audit


@dataclass(frozen=True)
class AuditFilter:
    """筛选条件: ``case`` 案号/收件号/案件编号; ``username`` exact; ``action`` exact or a prefix ending in ".";
    days inclusive, in the court's time."""

    case: str = ""
    username: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = [f"案件 {self.case}" if self.case.strip() else "",
                 f"用户 {self.username}" if self.username.strip() else "",
                 f"操作 {self.action}" if self.action.strip() else "",
                 f"自 {self.date_from.isoformat()}" if self.date_from else "",
                 f"至 {self.date_to.isoformat()}" if self.date_to else ""]
        return "，".join(p for p in parts if p) or "全部记录"

    def as_json(self) -> dict[str, Any]:
        return audit.jsonable(asdict(self))


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime  # Asia/Shanghai
    username: str
    action: str
    label: str
    entity: str
    entity_id: str
    detail: str  # the masked details, short

    @property
    def at_text(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class AuditPage:
    rows: list[AuditRow]
    total: int
    filter: AuditFilter
    case_label: str = ""  # the case the rows are about (its 案号 or 收件号), if one
    notes: list[str] = field(default_factory=list)
