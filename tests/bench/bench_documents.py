"""Benchmark: the 诉前调解告知书 to PDF and to DOCX, in process (not a pytest test).

    PYTHONPATH=. python tests/bench/bench_documents.py [--runs 20] [--lo-runs 5]

Prints ``name: value unit`` lines: the median of ``--runs`` renders of our two renderers, beside bare
reportlab (platypus Paragraph, wordWrap='CJK', the same fonts and text) and bare python-docx (the
same paragraphs, East Asian font set on Normal only), the first (cold) render that loads the fonts,
the whole ``generate`` service call (database, files, audit), and LibreOffice headless DOCX→PDF
when ``soffice`` is installed.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sample_document():  # type: ignore[no-untyped-def]
    from baihe_desk.documents.registry import get_kind
    from baihe_desk.documents.render import compose_document
    from baihe_desk.documents.templates import load_template

    kind = get_kind("mediation-notice")
    template = load_template(kind.resource_text(), kind.placeholders, kind=kind.kind)
    return compose_document(kind, template, kind.sample_values())


def paragraphs(doc) -> list[str]:  # type: ignore[no-untyped-def]
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

    style = ParagraphStyle("body", fontName=font_name, fontSize=16, leading=28.95, wordWrap="CJK",
                           firstLineIndent=32)
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
    for text in texts:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def bench_generate(runs: int) -> float:
    import baihe_desk.models.template  # noqa: F401
    from baihe_desk.config import Paths
    from baihe_desk.models import Base, Case, CourtProfile, Party, PartyKind, PartyRole, Role, User
    from baihe_desk.services import documents
    from baihe_desk.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database("sqlite:///" + str(Path(tmp) / "b.sqlite3"))
        Base.metadata.create_all(db.engine)
        with db.transaction() as s:
            s.add(CourtProfile(name="吉林省白河林区基层法院", code="吉7502", filing_phone="0433-5550123"))
            user = User(username="bench", display_name="基准", role=Role.FILING_CLERK, password_hash="x")
            case = Case(receipt_number="收2026-0001", received_on=date(2026, 11, 20), cause_name="民间借贷纠纷")
            case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃"),
                            Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥", sort_order=1)]
            s.add_all([user, case])
        paths = Paths(Path(tmp) / "data").ensure()

        def once() -> None:
            with db.transaction() as s:
                documents.generate(s, user, "mediation-notice", case.id, paths=paths)

        result = median_ms(once, runs)
        db.dispose()
        return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lo-runs", type=int, default=5)
    args = parser.parse_args()

    from baihe_desk.documents.docx_renderer import render_docx
    from baihe_desk.documents.pdf_flow import register_face
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.render import font_plan

    doc = sample_document()
    start = time.perf_counter()
    pdf = render_pdf(doc, font_plan(None))
    print(f"notice_pdf_cold: {(time.perf_counter() - start) * 1000:.1f} ms")
    docx_bytes = render_docx(doc, font_plan(None))
    print(f"notice_pdf: {median_ms(lambda: render_pdf(doc, font_plan(None)), args.runs):.1f} ms")
    print(f"notice_docx: {median_ms(lambda: render_docx(doc, font_plan(None)), args.runs):.1f} ms")
    print(f"notice_pdf_size: {len(pdf) / 1024:.0f} KiB")
    print(f"notice_docx_size: {len(docx_bytes) / 1024:.0f} KiB")

    plan = font_plan(None)
    body = plan.chains["body"].primary
    font_name = register_face(body)
    texts = paragraphs(doc)
    print(f"bare_reportlab_pdf: {median_ms(lambda: bare_reportlab(texts, font_name), args.runs):.1f} ms")
    print(f"bare_python_docx: {median_ms(lambda: bare_docx(texts, plan.chains['body'].docx_family), args.runs):.1f} ms")
    print(f"generate_service_pdf_docx: {bench_generate(max(args.runs // 2, 3)):.1f} ms")

    soffice = shutil.which("soffice")
    if soffice and args.lo_runs > 0:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "notice.docx"
            src.write_bytes(docx_bytes)
            profile = f"-env:UserInstallation=file://{tmp}/lo-profile"
            command = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)]
            subprocess.run(command, capture_output=True, check=True, timeout=300)  # first start: profile
            lo = median_ms(lambda: subprocess.run(command, capture_output=True, check=True, timeout=300),
                           args.lo_runs)
            print(f"libreoffice_docx_to_pdf: {lo:.1f} ms (median of {args.lo_runs}, a new soffice process each)")
    else:
        print("libreoffice_docx_to_pdf: n/a (" + ("soffice not installed" if not soffice else "--lo-runs 0") + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
