"""文书 page and exports: it names the case it shows; save-as suggests a Chinese, Windows-safe name with
the filter of the file's format; 打开 / 打开所在文件夹 after the export; Qt's own dialogs in Chinese; the
preview fits the screen, remembers its size and can print and save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from baihe_desk.models import Case, GeneratedDocument, Party, PartyKind, PartyRole, Role, Stage
from baihe_desk.ui.common.files import export_name, safe_file_name
from baihe_desk.ui.common.qt import QApplication, QCoreApplication, QMessageBox, QPushButton, Qt

pytest.importorskip("PySide6.QtPdfWidgets")

N101 = "（2026）吉7502民初101号"


def test_safe_names_for_windows():
    assert export_name(N101, "送达地址确认书", "pdf") == "（2026）吉7502民初101号-送达地址确认书.pdf"
    assert safe_file_name('a/b:c*d?"e"<f>|g.pdf') == "a／b：c＊d？＂e＂＜f＞｜g.pdf"
    assert safe_file_name("CON.docx") == "CON_.docx"
    assert safe_file_name("报告. ") == "报告"
    assert len(safe_file_name("长" * 300 + ".pdf")) <= 124


def test_qt_dialogs_speak_chinese(qapp):
    from baihe_desk.ui.common.widgets import install_chinese

    assert install_chinese(qapp)
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    assert QCoreApplication.translate("QFileDialog", "Files of type:") != "Files of type:"


@pytest.fixture
def case_with_documents(db, paths, users, court):
    from baihe_desk.services.common import documents

    with db.transaction() as s:
        case = Case(receipt_number="SJ-D-1", case_number=N101, received_on=date(2026, 11, 30),
                    cause_code="4.10.126", cause_name="物业服务合同纠纷", claim_amount=Decimal("6800"),
                    stage=Stage.FILED, claims="请求判令被告支付物业服务费", facts="拖欠")
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", sort_order=0),
                        Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="刘䶮", sort_order=1)]
        s.add(case)
        s.flush()
        documents.generate(s, users[Role.FILING_CLERK], "acceptance-notice", case.id, paths=paths)
    with db.session() as s:
        title = s.scalars(select(GeneratedDocument.title).where(GeneratedDocument.case_id == case.id)).first()
    return case.id, title


def test_documents_page_names_its_case_and_suggests_a_chinese_name(qtbot, db, paths, users, case_with_documents,
                                                                    tmp_path):
    from baihe_desk.ui.cases.documents_panel import DocumentsPanel

    case_id, title = case_with_documents
    panel = DocumentsPanel(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(panel)
    panel.show()
    assert "尚未选择案件" in panel.header.text()
    panel.set_case(case_id)
    assert N101 in panel.header.text() and "王堃" in panel.header.text()
    asked, opened = [], []
    panel.choose_save_path = lambda suggested, fmt: (asked.append((Path(suggested).name, fmt)),
                                                     str(tmp_path / Path(suggested).name))[1]
    panel.open_url = lambda url: opened.append(url.toLocalFile()) or True
    docx = [r.format for r in panel.model.rows].index("docx")
    panel.table.selectRow(docx)
    dest = panel.save_selected_as()
    assert asked == [(f"{N101}-{title}.docx", "docx")]
    assert dest == tmp_path / f"{N101}-{title}.docx" and dest.exists()
    box = panel.findChild(QMessageBox, "exportedBox")
    assert box is not None and str(dest) in box.text()
    qtbot.mouseClick(box.findChild(QPushButton, "exportFolder"), Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path)]
    # another case: its header, no message about the first case's file
    panel.set_case(None)
    assert "尚未选择案件" in panel.header.text() and panel.status.text() == ""


def test_preview_fits_the_screen_remembers_its_size_and_prints_and_saves(qtbot, db, paths, users,
                                                                        case_with_documents, tmp_path):
    from baihe_desk.ui.cases.documents_panel import DocumentsPanel
    from baihe_desk.ui.common import files

    case_id, title = case_with_documents
    panel = DocumentsPanel(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(panel)
    panel.show()
    panel.set_case(case_id)
    shown = []
    panel.exec_dialog = shown.append
    files.REMEMBERED["preview"] = None
    dialog = panel.preview_selected()
    free = QApplication.primaryScreen().availableGeometry()
    assert dialog.height() <= free.height() and dialog.width() <= free.width()
    assert dialog.print_button.isVisible() or dialog.print_button.isVisibleTo(dialog)
    printed = []
    dialog.exec_dialog = lambda d: printed.append(d.objectName()) or 0  # the clerk cancels the print dialog
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed == ["printDialog"]
    dialog.choose_save_path = lambda suggested: str(tmp_path / Path(suggested).name)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / f"{N101}-{title}.pdf").exists()
    box = dialog.findChild(QMessageBox, "exportedBox")
    assert box is not None
    box.close()
    dialog.resize(600, 500)
    dialog.done(0)
    again = panel.preview_selected()
    assert (again.width(), again.height()) == (600, 500)
    again.done(0)
