"""When the PDF's body is not drawn in a 仿宋 face, the document's record says so and the desk shows it once
per session on screen; a 仿宋 body gives no note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.documents.fonts import FontFace
from baihe_desk.documents.preflight import FontChain, FontPlan
from baihe_desk.models import GeneratedDocument
from tests.documents.docs_helpers import font_installed, generate

FANGSONG_HERE = any(font_installed(n) for n in ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312"))


def _face(family: str, *names: str) -> FontFace:
    return FontFace(path=f"/fonts/{family}.ttf", index=0, family=family, names=(family, *names), style="Regular",
                    styled=False, truetype=True, embeddable=True)


def test_the_note_depends_on_the_body_face_only():
    fangsong = FontPlan(None, {"body": FontChain("body", ["仿宋_GB2312"], [_face("FangSong", "仿宋")])})  # type: ignore[arg-type]
    assert fangsong.body_font_note() == ""
    ming = FontPlan(None, {"body": FontChain("body", ["仿宋_GB2312", "AR PL UMing CN"],  # type: ignore[arg-type]
                                             [_face("AR PL UMing CN", "文鼎ＰＬ细上海宋")])})
    note = ming.body_font_note()
    assert "本机没有仿宋字体" in note and "文鼎ＰＬ细上海宋" in note and "仿宋_GB2312" in note


@pytest.mark.skipif(FANGSONG_HERE, reason="this machine has a 仿宋 face: there is nothing to note")
def test_the_pdf_record_carries_the_note_and_the_docx_does_not(ddb, clerk, case_id, dpaths):
    generate(ddb, clerk, case_id, dpaths)
    with ddb.session() as s:
        notes = {r.format: r.font_note for r in s.scalars(select(GeneratedDocument))}
    assert "本机没有仿宋字体" in notes["pdf"] and notes["docx"] == ""


@pytest.mark.skipif(FANGSONG_HERE, reason="this machine has a 仿宋 face: there is nothing to note")
def test_the_panel_says_it_once_per_session(qtbot, ddb, dpaths, clerk, case_id):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from baihe_desk.ui.cases.documents_panel import DocumentsPanel
    from baihe_desk.ui.common import background, font_notice

    font_notice.reset_for_tests()
    panel = DocumentsPanel(ddb, dpaths, clerk)
    qtbot.addWidget(panel)
    panel.set_case(case_id)
    for rows in (2, 4):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=rows: panel.model.rowCount() == n, timeout=30_000)
    assert background.wait_all(30_000)
    boxes = [b for b in panel.findChildren(QMessageBox) if "仿宋" in b.text()]
    assert len(boxes) == 1 and "本机没有仿宋字体" in boxes[0].text()
    assert "本机没有仿宋字体" in panel.status.text()
    for box in boxes:
        box.close()
