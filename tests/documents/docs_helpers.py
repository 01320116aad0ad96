"""Helpers shared by the document tests (imported by name: tests/documents is on sys.path)."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

ISSUED = date(2026, 11, 26)
COURT = "吉林省白河林区基层法院"
RECEIPT = "收2026-0001"


def add_case(db, *, receipt=RECEIPT, plaintiff="王堃", defendants=("李喆玥", "刘䶮"), cause="民间借贷纠纷",
             case_number=None, address=None) -> uuid.UUID:
    from baihe_desk.models import Address, AddressKind, Case, Party, PartyKind, PartyRole

    with db.transaction() as s:
        case = Case(receipt_number=receipt, received_on=date(2026, 11, 20), cause_name=cause,
                    case_number=case_number)
        parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name=plaintiff, sort_order=0)]
        if address:
            parties[0].addresses = [Address(kind=AddressKind.DOMICILE, text=address)]
        parties += [Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=n, sort_order=i + 1)
                    for i, n in enumerate(defendants)]
        case.parties = parties
        s.add(case)
    return case.id


def generate(db, actor, case_id, paths, formats=("pdf", "docx"), **options):
    from baihe_desk.services.common import documents

    options.setdefault("issued_on", ISSUED)
    with db.transaction() as s:
        return documents.generate(s, actor, "mediation-notice", case_id, formats, paths=paths, options=options)


PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def pdf_text(data: bytes, *, page_numbers: bool = False) -> str:
    """The PDF's text, page after page; the "— N —" page numbers left out unless asked for."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if page_numbers:
        return text
    return "\n".join(ln for ln in text.splitlines() if not PAGE_NUMBER.fullmatch(ln.strip()))


def compact(text: str) -> str:
    """Text without whitespace (PDF extraction may split a line anywhere)."""
    return re.sub(r"\s+", "", text)


def font_installed(name: str) -> bool:
    from baihe_desk.documents.fonts import font_index

    return font_index().find(name) is not None
