"""Documents: every kind to PDF and DOCX in process beside bare reportlab / python-docx with the same
text and font (the floors), LibreOffice DOCX→PDF when installed, and a batch of mediation notices.

The bare floors follow ``tests/bench/bench_documents.py`` (platypus Paragraphs with wordWrap='CJK';
python-docx paragraphs with the East Asian font on Normal): the least either library needs for the
same words, without the court layout (title block, seal position, page numbers, glyph preflight).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from baihe_desk.bench.report import Report, Target, median, timed


def _paragraphs(doc) -> list[str]:  # type: ignore[no-untyped-def]
    from baihe_desk.documents.model import Para, Table, text_of

    out = []
    for block in doc.flow():
        if isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend("　".join(text_of(c) for c in row) for row in block.rows)
    return out


def bare_reportlab(texts: list[str], font_name: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName=font_name, fontSize=16, leading=28.95, wordWrap="CJK", firstLineIndent=32)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                      rightMargin=26 * mm).build([Paragraph(escape(t), style) for t in texts])
    return buf.getvalue()


def bare_docx(texts: list[str], family: str) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), family)
    for t in texts:
        document.add_paragraph(t)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def kinds(report: Report, runs: int) -> bytes | None:
    """Each document kind; returns the mediation notice's DOCX (for LibreOffice)."""
    from baihe_desk.documents.docx_renderer import render_docx
    from baihe_desk.documents.pdf_flow import register_face
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.render import compose_document, font_plan
    from baihe_desk.documents.templates import load_template
    from baihe_desk.services.common.document_kinds import KINDS

    plan = font_plan(None)
    first = next(iter(KINDS.values()))
    doc = compose_document(first, load_template(first.resource_text(), first.placeholders, kind=first.kind),
                           first.sample_values())
    report.metric("document_first_pdf_cold", timed(lambda: render_pdf(doc, font_plan(None)))[0],
                  extra="first render in the process: fonts loaded and parsed")
    body = plan.chains["body"]
    font_name, family = register_face(body.primary), body.docx_family
    notice_docx = None
    target = Target(1.5, ratio=True, text="≤ 1.5× floor")
    for name, kind in KINDS.items():
        try:
            doc = compose_document(kind, load_template(kind.resource_text(), kind.placeholders, kind=kind.kind),
                                   kind.sample_values())
        except Exception as exc:  # noqa: BLE001 - report the kind, keep measuring the others
            report.metric(f"document_{name}_pdf", None, extra=f"cannot compose the sample: {exc}")
            continue
        _one_kind(report, name, doc, runs, font_name, family, target)
        if name == "mediation-notice":
            notice_docx = render_docx(doc, font_plan(None))
    return notice_docx


def _one_kind(report: Report, name: str, doc, runs: int, font_name: str, family: str,  # type: ignore[no-untyped-def]
              target: Target) -> None:
    from baihe_desk.documents.docx_renderer import render_docx
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.render import font_plan

    texts = _paragraphs(doc)
    # floor and ours alternate, run by run: a change of load during the section hits both alike
    floor_pdf, pdf, floor_docx, docx_times = [], [], [], []
    for _ in range(runs):
        floor_pdf.append(timed(lambda: bare_reportlab(texts, font_name))[0])
        pdf.append(timed(lambda: render_pdf(doc, font_plan(None)))[0])
        floor_docx.append(timed(lambda: bare_docx(texts, family))[0])
        docx_times.append(timed(lambda: render_docx(doc, font_plan(None)))[0])
    report.metric(f"floor_reportlab_{name}", median(floor_pdf), extra=f"median of {runs}, alternating with ours")
    report.metric(f"document_{name}_pdf", median(pdf), floor=f"floor_reportlab_{name}", target=target,
                  extra=f"median of {runs}")
    report.metric(f"floor_python_docx_{name}", median(floor_docx), extra=f"median of {runs}, alternating with ours")
    report.metric(f"document_{name}_docx", median(docx_times), floor=f"floor_python_docx_{name}",
                  target=target, extra=f"median of {runs}")


def libreoffice(report: Report, docx_bytes: bytes | None, runs: int) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or docx_bytes is None or runs <= 0:
        report.metric("libreoffice_docx_to_pdf", None, extra="soffice not installed" if not soffice else "skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "notice.docx"
        src.write_bytes(docx_bytes)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                   "--outdir", tmp, str(src)]
        subprocess.run(command, capture_output=True, check=True, timeout=300)  # first start makes the profile
        walls = [timed(lambda: subprocess.run(command, capture_output=True, check=True, timeout=300))[0]
                 for _ in range(runs)]
    report.metric("libreoffice_docx_to_pdf", median(walls), floor="document_mediation-notice_pdf",
                  extra=f"mediation notice, a new soffice process each, median of {runs}")


def batch(report: Report, count: int, workers: int | None) -> None:
    """``count`` 送达地址确认书 (PDF + DOCX, recorded) in a fresh database, then a cancelled batch (a kind every
    case has: 诉前调解告知书 exists only before filing)."""
    from sqlalchemy import select

    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.models import Case, Role, User
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.services.common import document_batch
    from baihe_desk.storage.startup import open_database

    n = workers or document_batch.default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "data").ensure()
        db = open_database(paths, LocalSettings(), backup=False)
        try:
            load_demo(db, cases=count, seed=99)
            with db.session() as s:
                ids = list(s.scalars(select(Case.id).order_by(Case.receipt_number)))[:count]
                clerk = s.scalar(select(User).where(User.role == Role.FILING_CLERK))
            updates: list[tuple[float, int]] = []
            start = time.perf_counter()

            def progress(done: int, total: int) -> None:
                updates.append((time.perf_counter() - start, done))

            result = document_batch.render_batch(db, clerk, "address-confirmation", ids, paths=paths, workers=n,
                                                 progress=progress)
            wall = (time.perf_counter() - start) * 1000
            gaps = [b[0] - a[0] for a, b in zip(updates, updates[1:], strict=False)]
            report.metric(f"batch_{count}_mediation_notices", wall / 1000, "s", target=Target(60.0, text="≤ 60 s"),
                          extra=f"PDF+DOCX, recorded; {result.done} done, {len(result.failed)} failed, {n} worker "
                                f"processes; {len(updates)} progress updates, longest gap "
                                f"{max(gaps, default=0) * 1000:.0f} ms")
            floor = report.values.get("floor_reportlab_mediation-notice", 0) + \
                report.values.get("floor_python_docx_mediation-notice", 0)
            if floor:
                report.metric(f"floor_batch_{count}", floor * count / n / 1000, "s",
                              extra=f"{count} × (bare reportlab + bare python-docx) ÷ {n} processes")
            asked: list[float] = []

            def cancel_at(done: int, total: int) -> bool:
                if done >= count // 10 and not asked:
                    asked.append(time.perf_counter())
                return not asked

            result = document_batch.render_batch(db, clerk, "address-confirmation", ids, paths=paths, workers=n,
                                                 progress=cancel_at)
            latency = (time.perf_counter() - asked[0]) * 1000 if asked else None
            report.metric("batch_cancel_latency", latency,
                          extra=f"cancelled after {count // 10}; {result.done} recorded before it stopped")
        finally:
            db.dispose()
