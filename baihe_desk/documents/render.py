"""From a case to document bytes: build the model once, render it to PDF and/or DOCX.

No database writes here (the services record generated documents); reportlab and python-docx are
imported only when a format is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.documents import settings as doc_settings
from baihe_desk.documents import wording
from baihe_desk.documents.builder import DocumentKind, court_profile
from baihe_desk.documents.fonts import font_index
from baihe_desk.documents.model import Document
from baihe_desk.documents.preflight import Fallback, FontPlan
from baihe_desk.documents.templates import LoadedTemplate, compose, field_values, load_template
from baihe_desk.errors import KnownError
from baihe_desk.models import Case

FORMATS = ("pdf", "docx")


@dataclass
class Rendered:
    document: Document
    files: dict[str, bytes]  # format → bytes, in the order asked
    fallbacks: list[Fallback] = field(default_factory=list)  # characters drawn by a fallback font
    font_note: str = ""  # the PDF body is not a 仿宋 face (FontPlan.body_font_note), else ""


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for fmt in formats:
        fmt = fmt.lower().strip()
        if fmt == "both":
            out.extend(FORMATS)
        elif fmt in FORMATS:
            out.append(fmt)
        else:
            raise KnownError(f"不支持的文书格式：{fmt}（可用 pdf、docx）。")
    if not out:
        raise KnownError("请至少选择一种文书格式（pdf 或 docx）。")
    return tuple(dict.fromkeys(out))


def font_plan(session: Session | None, extra_dirs: Iterable[Path] = ()) -> FontPlan:
    """The font chains of the court's settings, resolved against the installed fonts."""
    dirs = [*(Path(d) for d in doc_settings.font_dirs(session)), *extra_dirs]
    return FontPlan.resolve(font_index(tuple(dirs)), doc_settings.font_chains(session))


def compose_document(kind: DocumentKind, template: LoadedTemplate, values: dict[str, Any]) -> Document:
    complete = kind.complete(values)
    return compose(template, field_values(complete, kind.placeholders), court_name=str(complete["court_name"]))


def build_document(session: Session, kind: DocumentKind, case: Case, options: dict[str, Any] | None = None) -> Document:
    """The document model of ``kind`` for ``case`` with the template in force."""
    court = doc_settings.remembered(session, "court_profile", lambda: court_profile(session))
    values = kind.values(session, case, court, dict(options or {}))
    template = doc_settings.remembered(session, f"template:{kind.kind}", lambda: wording.current(session, kind))
    doc = compose_document(kind, template, values)
    now = (options or {}).get("now")  # the injected clock (tests, batch runs): the files' created time
    if isinstance(now, datetime):
        doc.generated_at = now
    return mark_if_demo(session, doc)


DEMO_SETTING = "demo.database"  # services.common.demo_mark.DEMO_KEY (documents may not import services)


def mark_if_demo(session: Session, doc: Document) -> Document:
    """A database that ``demo`` loaded marks every document 演示数据 (issue 17): never mistaken for a real one."""
    from baihe_desk.documents.model import Para, Span
    from baihe_desk.models import Setting

    row = session.get(Setting, DEMO_SETTING)
    if row is not None and row.value:
        doc.blocks.insert(0, Para([Span("【演示数据 — 非正式文书，不得送达或使用】")]))
    return doc


def render(doc: Document, formats: Iterable[str], plan: FontPlan, *, page_numbers: str = "odd-even") -> Rendered:
    files: dict[str, bytes] = {}
    for fmt in check_formats(formats):
        if fmt == "pdf":
            from baihe_desk.documents.pdf_renderer import render_pdf

            files[fmt] = render_pdf(doc, plan, page_numbers=page_numbers)
        else:
            from baihe_desk.documents.docx_renderer import render_docx

            files[fmt] = render_docx(doc, plan, page_numbers=page_numbers)
    return Rendered(doc, files, list(plan.fallbacks), plan.body_font_note() if "pdf" in files else "")


def preview(session: Session | None, kind: DocumentKind, body: str, *, fmt: str = "pdf",
            extra_dirs: Iterable[Path] = ()) -> bytes:
    """A template text rendered with sample data (the template editor's 预览). Raises TemplateError."""
    template = load_template(body, kind.placeholders, kind=kind.kind, source="preview")
    doc = compose_document(kind, template, kind.sample_values())
    plan = font_plan(session, extra_dirs)
    return render(doc, [fmt], plan, page_numbers=doc_settings.page_number_mode(session)).files[fmt]
