"""Every kind's DOCX, opened by LibreOffice (the court fonts aliased to open faces), breaks pages where the PDF
does: the same number of pages and the 落款 on the same page; in both, the 落款 is never alone on its page,
no page ends with a heading, and no picture (the reports' charts) lies over a table border, text or another
picture.

All DOCX files go through ONE soffice call (LibreOffice starts slowly). Pages are read with pdftotext.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.documents import every_kind
from tests.documents.pdf_boxes import pictures_overlapping, words_overlapping_pictures

ALIASES = Path("/work/shared/tools/fontconfig-court-aliases.conf")
DATE = re.compile(r"二〇[〇一二三四五六七八九]{2}年[一二三四五六七八九十]+月[一二三四五六七八九十]+日")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
HEADING = re.compile(r"^[一二三四五六七八九十]+、\S{1,24}$")
SIGNATURE = re.compile(r"签名|捺印")
COURT = "吉林省白河林区基层法院"


def page_texts(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines (layout order), page numbers left out."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    out = []
    for n in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        out.append([ln.strip() for ln in text.splitlines() if ln.strip() and not PAGE_NUMBER.match(ln.strip())])
    return out


def closing_page(pages: list[list[str]]) -> int:
    """The page (1-based) of the 落款: the last date in Chinese numerals, else (forms) the last signature line."""
    for pattern in (DATE, SIGNATURE):
        hits = [i + 1 for i, lines in enumerate(pages) if any(pattern.search(re.sub(r"\s", "", ln)) for ln in lines)]
        if hits:
            return hits[-1]
    raise AssertionError("no 落款 found")


def convert_all(docx_files: list[Path], out: Path) -> None:
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    env = {**os.environ, "FONTCONFIG_FILE": str(ALIASES)}
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, docx_files)], env=env, capture_output=True, timeout=600,
                       check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler (pdftotext) are needed to lay out the DOCX")
def test_docx_through_libreoffice_breaks_pages_where_the_pdf_does(db, users, paths, tmp_path):
    world = every_kind.build(db, users)
    files = every_kind.render_all(db, world, tmp_path / "out", paths)
    assert set(files) == {*every_kind.CASE_KINDS, *every_kind.REPORT_KINDS}
    lo = tmp_path / "lo"
    convert_all([f["docx"] for f in files.values()], lo)
    seen = {}
    for kind, f in files.items():
        ours = page_texts(f["pdf"])
        office = page_texts(lo / (f["docx"].stem + ".pdf"))
        seen[kind] = (len(ours), closing_page(ours), len(office), closing_page(office))
        for pages in (ours, office):
            page = closing_page(pages)
            for lines in pages:
                assert not HEADING.match(re.sub(r"\s", "", lines[-1])), f"{kind}: a page ends with a heading"
            if DATE.search("".join(pages[page - 1]).replace(" ", "")):
                lines = [re.sub(r"\s", "", ln) for ln in pages[page - 1]]
                court_at = max((i for i, ln in enumerate(lines) if ln.endswith(COURT) or ln.startswith(COURT)), default=-1)
                assert court_at > 0, f"{kind}: the 落款 is alone on page {page}: {lines}"
        for pdf in (f["pdf"], lo / (f["docx"].stem + ".pdf")):
            assert not pictures_overlapping(str(pdf)), f"{kind}: a picture over a border or another picture in {pdf.name}"
            assert not words_overlapping_pictures(str(pdf)), f"{kind}: text under a picture in {pdf.name}"
    mismatched = {k: v for k, v in seen.items() if (v[0], v[1]) != (v[2], v[3])}
    assert not mismatched, f"(PDF pages, 落款 page, LibreOffice pages, 落款 page): {mismatched}"
