"""审计记录导出 — the viewer's rows as a PDF (through the document engine: the court's TrueType fonts,
embedded as subsets and every character checked, on a landscape A4 page), an XLSX workbook (openpyxl) or a
CSV table (for programs; ``baihe-desk audit export``).

PDF and XLSX carry who exported, when, the filter and the count; a database that ``demo`` loaded says 演示数据.
The file is written beside its final name and renamed into place, so a full disk leaves no partial file.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError
from baihe_desk.services.admin.audit_page import AuditPage

FORMATS = ("pdf", "xlsx", "csv")
HEADERS = ("序号", "时间", "用户", "类别", "操作", "对象", "对象编号", "内容（已脱敏）")
PDF_WIDTHS = (0.045, 0.135, 0.08, 0.08, 0.13, 0.09, 0.16, 0.28)


@dataclass(frozen=True)
class ExportMeta:
    exported_by: str
    exported_at: datetime


def check_format(fmt: str) -> str:
    fmt = (fmt or "").lower().strip().lstrip(".")
    if fmt not in FORMATS:
        raise KnownError(f"不支持的导出格式：{fmt}（可用 pdf、xlsx、csv）。")
    return fmt


def _cells(row: Any) -> list[str]:
    return [str(row.seq), row.at_text, row.username, row.label, row.action, row.entity, row.entity_id, row.detail]


def _heading_lines(page: AuditPage, meta: ExportMeta, demo: bool) -> list[str]:
    lines = [f"筛选条件：{page.filter.describe()}",
             f"共 {page.total} 条记录（按序号从新到旧）；导出人：{meta.exported_by}；"
             f"导出时间：{meta.exported_at.strftime('%Y-%m-%d %H:%M')}",
             *page.notes]
    if demo:
        lines.insert(0, "【演示数据 — 非正式记录】")
    return lines


def _is_demo(session: Session) -> bool:
    from baihe_desk.services.common.demo_mark import is_demo_database

    return is_demo_database(session)


def _court_name(session: Session) -> str:
    from sqlalchemy import select

    from baihe_desk.models import CourtProfile

    name = session.scalar(select(CourtProfile.name).order_by(CourtProfile.created_at).limit(1))
    return name or "白河工作台"


def pdf_bytes(session: Session, page: AuditPage, meta: ExportMeta, *, paths: Any = None) -> bytes:
    from baihe_desk.documents.model import Document, Para, Span, Table
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.render import font_plan
    from baihe_desk.documents.typography import PageSetup
    from baihe_desk.services.common.documents import fonts_dirs

    # landscape A4, 9 pt text on a 9 pt grid (no letter spacing); the title fits the 13.4 pt line pitch
    landscape = PageSetup(page_width_mm=297.0, page_height_mm=210.0, top_mm=20.0, bottom_mm=20.0, left_mm=15.0,
                          right_mm=15.0, lines_per_page=36, chars_per_line=84, title_pt=12.0, body_pt=9.0,
                          page_number_pt=9.0, page_number_gap_mm=6.0)
    title = f"审计记录（{page.case_label}）" if page.case_label else "审计记录"
    blocks: list[Any] = [Para([Span(line)], "plain") for line in _heading_lines(page, meta, _is_demo(session))]
    rows = [[[Span(h)] for h in HEADERS]] + [[[Span(c)] for c in _cells(r)] for r in page.rows]
    blocks.append(Table(rows=rows, col_widths=list(PDF_WIDTHS), header_rows=1))
    doc = Document(kind="audit-log", title=title, court_name=[Span(_court_name(session))], number=[],
                   blocks=blocks, author=meta.exported_by, generated_at=meta.exported_at)
    return render_pdf(doc, font_plan(session, fonts_dirs(paths)), page=landscape, page_numbers="center")


def xlsx_bytes(session: Session, page: AuditPage, meta: ExportMeta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审计记录"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in page.rows:
        cells: list[Any] = _cells(r)
        cells[0] = r.seq
        cells[1] = r.at.replace(tzinfo=None)  # Excel has no time zones: the court's local time
        ws.append(cells)
    for col, width in zip("ABCDEFGH", (8, 20, 12, 14, 24, 18, 38, 80), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd hh:mm:ss"
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    info = wb.create_sheet("导出说明")
    info.append(["法院", _court_name(session)])
    for line in _heading_lines(page, meta, _is_demo(session)):
        key, _, value = line.partition("：")
        info.append([key, value] if value else [line])
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 100
    wb.properties.creator = meta.exported_by
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(page: AuditPage) -> bytes:
    """The table alone (UTF-8 with a BOM, so that Excel on Windows reads the Chinese): one header row, then a
    row per record, for a program to read; who exported it, when and with which filter are in its
    ``audit.export`` record. A cell that a spreadsheet would take for a formula (= + - @) starts with '."""
    import csv

    def cell(text: str) -> str:
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(HEADERS)
    for r in page.rows:
        out.writerow([cell(c) for c in _cells(r)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write(session: Session, page: AuditPage, meta: ExportMeta, out: Path, fmt: str, *, paths: Any = None) -> Path:
    """Render and write ``out`` (replacing a file the user chose to overwrite); on a full disk or a refused
    folder a calm message, and neither a partial file nor the temporary one is left."""
    fmt = check_format(fmt)
    out = Path(out)
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    if fmt == "csv":
        data = csv_bytes(page)
    else:
        data = pdf_bytes(session, page, meta, paths=paths) if fmt == "pdf" else xlsx_bytes(session, page, meta)
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:  # the desk account's only, like the backups (issue 17)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"无法写入导出文件 {out}：{exc.strerror or exc}。请检查磁盘空间或换一个文件夹；"
                         "没有留下不完整的文件。") from exc
    return out
