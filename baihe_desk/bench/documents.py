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


_floor_font: list[tuple[str, str]] = []


def _bare_chunk(texts: list[str], count: int) -> int:
    """Worker process of the batch floor: ``count`` × (bare reportlab + bare python-docx), the body font
    registered once per process (as the desk's workers load theirs once)."""
    if not _floor_font:
        from baihe_desk.documents.pdf_flow import register_face
        from baihe_desk.documents.render import font_plan

        body = font_plan(None).chains["body"]
        _floor_font.append((register_face(body.primary), body.docx_family))
    font_name, family = _floor_font[0]
    for _ in range(count):
        bare_reportlab(texts, font_name)
        bare_docx(texts, family)
    return count


def bare_batch(count: int, workers: int, chunk: int) -> tuple[float, float]:
    """The batch floor, measured: ``count`` 送达地址确认书 texts rendered by the bare libraries in ``workers``
    spawned processes, ``chunk`` at a time, as the desk's batch does (pool start included); (wall s, first ms)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from baihe_desk.documents.render import compose_document
    from baihe_desk.documents.templates import load_template
    from baihe_desk.services.common.document_kinds import KINDS

    kind = KINDS["address-confirmation"]
    doc = compose_document(kind, load_template(kind.resource_text(), kind.placeholders, kind=kind.kind),
                           kind.sample_values())
    texts = _paragraphs(doc)
    start = time.perf_counter()
    first = None
    sizes = [min(chunk, count - i) for i in range(0, count, chunk)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = set()
        while sizes or running:
            while sizes and len(running) < 2 * workers:
                running.add(pool.submit(_bare_chunk, texts, sizes.pop()))
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                f.result()
            first = first if first is not None else (time.perf_counter() - start) * 1000
    return time.perf_counter() - start, first or 0.0


def batch(report: Report, count: int, workers: int | None) -> None:
    """``count`` 送达地址确认书 (PDF + DOCX, recorded) in a fresh database beside the bare libraries rendering
    the same kind's text in the same number of spawned processes (measured just before), then a cancelled
    batch (a kind every case has: 诉前调解告知书 exists only before filing). The longest gap is between
    updates; the wait for the first (the workers starting) is printed beside the total."""
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
            floor_wall, floor_first = bare_batch(count, n, document_batch.CHUNK)
            report.metric(f"floor_batch_{count}", floor_wall, "s",
                          extra=f"{count} × (bare reportlab + bare python-docx), the same kind's text, {n} spawned "
                                f"processes, {document_batch.CHUNK} a task, pool start included; first chunk back "
                                f"at {floor_first:.0f} ms")
            ideal = report.values.get("floor_reportlab_address-confirmation", 0) + \
                report.values.get("floor_python_docx_address-confirmation", 0)
            if ideal:
                report.metric(f"floor_batch_{count}_ideal", ideal * count / n / 1000, "s",
                              extra=f"{count} × the single-process floors ÷ {n}: reachable only on idle cores")
            updates: list[tuple[float, int]] = [(0.0, 0)]
            start = time.perf_counter()

            def progress(done: int, total: int) -> None:
                updates.append((time.perf_counter() - start, done))

            result = document_batch.render_batch(db, clerk, "address-confirmation", ids, paths=paths, workers=n,
                                                 progress=progress)
            wall = (time.perf_counter() - start) * 1000
            gaps = [b[0] - a[0] for a, b in zip(updates[1:], updates[2:], strict=False)]
            report.metric(f"batch_{count}_address_confirmations", wall / 1000, "s", floor=f"floor_batch_{count}",
                          target=Target(1.2, ratio=True, text="≤ 1.2× floor"),
                          extra=f"PDF+DOCX, recorded; {result.done} done, {len(result.failed)} failed, {n} worker "
                                f"processes; {len(updates) - 1} progress updates, first at "
                                f"{updates[1][0] * 1000 if len(updates) > 1 else 0:.0f} ms")
            report.metric("batch_progress_longest_gap", max(gaps, default=0) * 1000,
                          target=Target(500, text="≤ 500 ms"),
                          extra="between two progress updates (the first arrives once the workers have started)")
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


def desk_path(report: Report, runs: int) -> None:
    """One 诉前调解告知书 through the desk's own path, end to end: ``documents.generate`` in a write
    transaction (case lookup, model, fonts, both files written and flushed to disk, records and audit,
    commit), as the case page's 生成 runs it, beside the bare libraries rendering the same text, the two
    interleaved; then where the desk's time goes (the same case, the same process)."""
    from sqlalchemy import select

    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.documents import settings as doc_settings
    from baihe_desk.documents.pdf_flow import register_face
    from baihe_desk.documents.render import build_document, font_plan, render
    from baihe_desk.errors import KnownError
    from baihe_desk.models import Case, Role, User
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.services.admin.demo_cases import case_for_kind
    from baihe_desk.services.common import documents as service
    from baihe_desk.services.common.document_kinds import get_kind
    from baihe_desk.storage.startup import open_database

    kind = get_kind("mediation-notice")
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "data").ensure()
        db = open_database(paths, LocalSettings(), backup=False)
        try:
            load_demo(db, cases=200, seed=7, paths=paths)  # the sample through the services: every workflow
            with db.session() as s:
                clerk = s.scalar(select(User).where(User.role == Role.FILING_CLERK))
                try:  # a case before filing, with mediation suggested: the notice's case
                    case_id = service.find_case(s, case_for_kind(s, kind.kind)).id
                except KnownError as exc:
                    report.metric("document_desk_path", None, extra=str(exc))
                    return

            def generate() -> None:
                with db.transaction() as s:
                    service.generate(s, clerk, kind.kind, case_id, paths=paths)

            first = timed(generate)[0]
            with db.session() as s:
                doc = build_document(s, kind, s.get(Case, case_id), None)
            texts = _paragraphs(doc)
            body = font_plan(None).chains["body"]
            font_name, family = register_face(body.primary), body.docx_family
            desk, floor = [], []
            for _ in range(runs):
                floor.append(timed(lambda: (bare_reportlab(texts, font_name), bare_docx(texts, family)))[0])
                desk.append(timed(generate)[0])
            parts: dict[str, list[float]] = {"build": [], "render": []}
            for _ in range(runs):
                with db.session() as s:
                    doc_settings.remember_settings(s)
                    plan, numbers = font_plan(s, service.fonts_dirs(paths)), doc_settings.page_number_mode(s)
                    start = time.perf_counter()
                    built = build_document(s, kind, s.get(Case, case_id), None)
                    parts["build"].append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    render(built, ("pdf", "docx"), plan, page_numbers=numbers)
                    parts["render"].append((time.perf_counter() - start) * 1000)
            report.metric("floor_document_bare_pair", median(floor),
                          extra=f"bare reportlab + bare python-docx, the same notice's {len(texts)} paragraphs, "
                                f"median of {runs} (interleaved with the desk's)")
            rest = median(desk) - median(parts["build"]) - median(parts["render"])
            report.metric("document_desk_path", median(desk), floor="floor_document_bare_pair",
                          target=Target(1.3, ratio=True, text="≤ 1.3× floor"),
                          extra=f"诉前调解告知书, generate → PDF + DOCX written, recorded, committed; median of {runs} "
                                f"(the first call {first:.0f} ms); of it: case and model "
                                f"{median(parts['build']):.1f} ms, both renderers {median(parts['render']):.1f} ms, "
                                f"files flushed to disk + records + audit + commit {rest:.1f} ms")
        finally:
            db.dispose()
