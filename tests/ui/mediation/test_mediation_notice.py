"""The 诉前调解告知书 handed out from the 诉前调解 page is the document ``baihe-desk render mediation-notice``
gives for the same case and template version (compared as extracted PDF text)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from baihe_desk import cli
from baihe_desk.documents import wording
from baihe_desk.models import GeneratedDocument, Role
from baihe_desk.models.mediation import MediationCase, OrganisationKind
from baihe_desk.services.common import documents
from baihe_desk.services.common.document_kinds import get_kind
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.ui.common import background
from baihe_desk.ui.mediation.referral import MediationReferralPage
from tests.ui.mediation.test_mediation_support import add_case, click, click_row, create_tables, roster

pytest.importorskip("PySide6.QtPdfWidgets")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", "\n".join(ln for ln in text.splitlines() if not PAGE_NUMBER.fullmatch(ln.strip())))


def settle() -> None:
    assert background.wait_all(30_000)


def _hand_out(qtbot, page, receipt: str) -> None:  # type: ignore[no-untyped-def]
    settle()
    click_row(qtbot, page.table, [r.receipt_number for r in page.model.rows].index(receipt))
    settle()
    for button, text in ((page.recommend_button, "引导诉前调解"), (page.hand_out_button, "已生成")):
        click(qtbot, button)
        qtbot.waitUntil(lambda t=text: t in page.status.text(), timeout=30_000)
        settle()


def _ui_pdf(db, paths, case_id) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        m = s.scalars(select(MediationCase).where(MediationCase.case_id == case_id)).one()
        doc = s.get(GeneratedDocument, m.notice_document_id)
        return (paths.documents / doc.relpath).read_bytes(), doc.template_version


def test_notice_from_the_page_matches_the_cli_render(qtbot, db, paths, users, tmp_path, monkeypatch, password):
    create_tables(db)
    roster(db, users)
    case = add_case(db, "2026收00107", defendants=("王堃", "李喆玥"))
    page = MediationReferralPage(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(page)
    page.show()
    _hand_out(qtbot, page, "2026收00107")
    ui_bytes, ui_version = _ui_pdf(db, paths, case.id)

    out = tmp_path / "cli"
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", password)
    assert cli.main(["render", "mediation-notice", "--user", users[Role.FILING_CLERK].username, "--case",
                     "2026收00107", "--format", "pdf", "--out", str(out)]) == 0
    cli_files = list(out.glob("*.pdf"))
    assert len(cli_files) == 1
    with db.session() as s:
        assert wording.current(s, get_kind("mediation-notice")).source == ui_version  # same template version
    ui_text, cli_text = pdf_text(ui_bytes), pdf_text(cli_files[0].read_bytes())
    assert "诉前调解告知书" in ui_text and "王堃" in ui_text and "2026收00107" in ui_text
    assert ui_text == cli_text


def test_reissued_notice_names_the_assigned_mediator(qtbot, db, paths, users, tmp_path):
    """After assignment the page's notice names the organisation, mediator and phone (from the mediation
    record); ``render_to_dir`` gives the same text when given the same options (the CLI passes none yet)."""
    create_tables(db)
    orgs, first, _second = roster(db, users)
    case = add_case(db, "2026收00108")
    page = MediationReferralPage(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(page)
    page.show()
    _hand_out(qtbot, page, "2026收00108")
    clerk = users[Role.FILING_CLERK]
    with db.transaction() as s:
        m = s.scalars(select(MediationCase).where(MediationCase.case_id == case.id)).one()
        mediation.record_choice(s, clerk, m.id, "agree", mediation.today())
        mediation.assign(s, clerk, m.id, orgs[OrganisationKind.STATION].id, first.id)
    page.refresh()
    settle()
    click(qtbot, page.hand_out_button)
    qtbot.waitUntil(lambda: "第 2 版" in page.status.text(), timeout=30_000)
    settle()
    ui_bytes, _version = _ui_pdf(db, paths, case.id)
    with db.transaction() as s:
        m = s.scalars(select(MediationCase).where(MediationCase.case_id == case.id)).one()
        options = mediation.notice_options(s, m)
        [path] = documents.render_to_dir(s, clerk, "mediation-notice", "2026收00108", ["pdf"], tmp_path / "svc",
                                         paths=paths, options=options)
    ui_text = pdf_text(ui_bytes)
    assert "诉非联动服务站" in ui_text and "董秀兰" in ui_text and "13904330001" in ui_text
    assert ui_text == pdf_text(path.read_bytes())
