"""Parts of the 执行咨询函 editor: the parties table (with known assets), the terms list with its form,
the attachments, the live list of enforceability warnings and a small banner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from baihe_desk.models import PartyKind
from baihe_desk.models.enforcement import TermKind
from baihe_desk.services.enforcement.draft import Attachment, PartyRow
from baihe_desk.services.enforcement.enforceability import GAP, Gap, TermData
from baihe_desk.ui.common.law_panel import install_f1
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    Qt,
    QtGui,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.enforcement.term_form import TermForm

ORG_HINTS = ("公司", "合作社", "银行", "厂", "中心", "店", "协会", "委员会", "局", "所", "社")
PARTY_COLUMNS = ["诉讼地位", "姓名或名称", "身份证号／统一社会信用代码", "住所", "已知财产情况"]
PARTY_KEYS = ["role_label", "name", "id_code", "domicile", "assets"]


def confirm(parent: QWidget, name: str, title: str, text: str, yes: tuple[str, str, Callable[[], object] | None],
            no: tuple[str, str, Callable[[], object] | None], *, warning: bool = False) -> QMessageBox:
    """A non-blocking question with two named buttons (``(text, objectName, slot)``); the safe one is
    the default."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    buttons = []
    for (label, object_name, slot), role in ((yes, QMessageBox.ButtonRole.AcceptRole),
                                             (no, QMessageBox.ButtonRole.RejectRole)):
        button = box.addButton(label, role)
        button.setObjectName(object_name)
        button.setAccessibleName(label)
        if slot is not None:
            button.clicked.connect(lambda *_a, f=slot: f())
        buttons.append(button)
    box.setDefaultButton(buttons[1])
    box.setEscapeButton(buttons[1])
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class Banner(QFrame):
    """A coloured line with a message and two buttons (恢复 / 丢弃)."""

    accepted = Signal()
    rejected = Signal()

    def __init__(self, name: str, yes: str, yes_name: str, no: str, no_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(f"QFrame#{name} {{ background: #fef7e0; border: 1px solid #f9ab00; border-radius: 4px; }}")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.yes = named(QPushButton(yes), yes_name, yes)
        self.no = named(QPushButton(no), no_name, no)
        self.yes.clicked.connect(self.accepted.emit)
        self.no.clicked.connect(self.rejected.emit)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        self.setVisible(False)

    def offer(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(True)


class PartiesTable(QGroupBox):
    """当事人及已知财产 — copied from the case; guarantors and 案外人 can be added."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("当事人及已知财产", parent)
        self.table = named(QtWidgets.QTableWidget(0, len(PARTY_COLUMNS)), "enfParties", "当事人及已知财产")
        self.table.setHorizontalHeaderLabels(PARTY_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 70)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(2, 170)
        self.table.setColumnWidth(3, 200)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        self.table.itemChanged.connect(lambda *_: self.changed.emit())
        self.add_button = named(QPushButton("添加担保人／案外人"), "enfAddParty", "添加担保人或案外人")
        self.remove_button = named(QPushButton("删除所选"), "enfRemoveParty", "删除所选当事人")
        self.add_button.clicked.connect(lambda: self.add_row(PartyRow(role_label="担保人")))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("双击单元格可修改；“已知财产情况”请写明财产种类、位置、登记信息等。"), 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._meta: list[tuple[PartyKind, object]] = []

    def set_rows(self, rows: list[PartyRow]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self._meta = []
        self.table.blockSignals(False)
        for r in rows:
            self.add_row(r, emit=False)

    def add_row(self, row: PartyRow, *, emit: bool = True) -> int:
        self.table.blockSignals(True)
        n = self.table.rowCount()
        self.table.insertRow(n)
        for col, key in enumerate(PARTY_KEYS):
            self.table.setItem(n, col, QtWidgets.QTableWidgetItem(getattr(row, key)))
        self._meta.append((row.kind, row.party_id))
        self.table.blockSignals(False)
        if emit:
            self.table.setCurrentCell(n, 1)
            self.changed.emit()
        return n

    def set_cell(self, row: int, key: str, text: str) -> None:
        self.table.item(row, PARTY_KEYS.index(key)).setText(text)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
            del self._meta[r]
        if rows:
            self.changed.emit()

    def rows(self) -> list[PartyRow]:
        out = []
        for r in range(self.table.rowCount()):
            values = {k: (self.table.item(r, c).text() if self.table.item(r, c) else "") for c, k in enumerate(PARTY_KEYS)}
            kind, party_id = self._meta[r]
            if party_id is None:
                kind = PartyKind.ORGANISATION if any(h in values["name"] for h in ORG_HINTS) else PartyKind.NATURAL
            out.append(PartyRow(kind=kind, party_id=party_id, **values))  # type: ignore[arg-type]
        return out


class TermsBox(QGroupBox):
    """拟定条款: the list of terms (第1项 …) and the form of the selected one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("拟定条款", parent)
        self._terms: list[TermData] = []
        self._current = -1
        self.list = named(QListWidget(), "enfTerms", "拟定条款列表")
        self.list.setMaximumWidth(230)
        self.add_button = named(QPushButton("添加条款"), "enfAddTerm", "添加条款")
        self.remove_button = named(QPushButton("删除条款"), "enfRemoveTerm", "删除所选条款")
        self.form = TermForm(self)
        self.form.setEnabled(False)
        self.add_button.clicked.connect(self.add_term)
        self.remove_button.clicked.connect(self.remove_current)
        self.list.currentRowChanged.connect(self._row_changed)
        self.form.changed.connect(self._form_changed)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.add_button)
        left.addWidget(self.remove_button)
        row = QHBoxLayout(self)
        row.addLayout(left)
        row.addWidget(self.form, 1)

    @staticmethod
    def _label(n: int, t: TermData) -> str:
        head = t.text.strip().replace("\n", " ")
        return f"第{n}项 {t.kind.label}" + (f"：{head[:14]}…" if len(head) > 14 else f"：{head}" if head else "")

    def set_terms(self, terms: list[TermData]) -> None:
        self._terms = list(terms)
        self._current = -1
        self.list.blockSignals(True)
        self.list.clear()
        for n, t in enumerate(self._terms, 1):
            self.list.addItem(QListWidgetItem(self._label(n, t)))
        self.list.blockSignals(False)
        self.form.setEnabled(bool(self._terms))
        if self._terms:
            self.select(0)
        else:  # a draft without terms: the form must not keep the previous draft's term (disabled, but shown)
            self.form.set_term(TermData(seq=1, kind=TermKind.MONEY))

    def select(self, index: int) -> None:
        if 0 <= index < len(self._terms):
            self.list.setCurrentRow(index)
            self._row_changed(index)

    def _row_changed(self, row: int) -> None:
        if row == self._current or not 0 <= row < len(self._terms):
            return
        self._current = row
        self.form.set_term(self._terms[row])

    def _form_changed(self) -> None:
        if 0 <= self._current < len(self._terms):
            self._terms[self._current] = self.form.term(self._current + 1)
            self.list.item(self._current).setText(self._label(self._current + 1, self._terms[self._current]))
            self.changed.emit()

    def add_term(self) -> None:
        self._terms.append(TermData(seq=len(self._terms) + 1, kind=TermKind.MONEY))
        self.list.addItem(QListWidgetItem(self._label(len(self._terms), self._terms[-1])))
        self.form.setEnabled(True)
        self.select(len(self._terms) - 1)
        self.form.field("text").setFocus()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._terms):
            return
        del self._terms[row]
        self.set_terms(self._terms)
        if self._terms:
            self.select(min(row, len(self._terms) - 1))
        self.changed.emit()

    def terms(self) -> list[TermData]:
        return [TermData(**{**t.__dict__, "seq": n}) for n, t in enumerate(self._terms, 1)]


class AttachmentsBox(QGroupBox):
    """附件 — one per line: ``名称｜位置或文件``; 选择文件… adds a line for a file."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("附件（每行一项：名称｜卷宗页码或文件）", parent)
        self.edit = named(QPlainTextEdit(), "enfAttachments", "附件")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("如：借条复印件｜卷宗第12页")
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 12)
        self.edit.textChanged.connect(self.changed.emit)
        self.pick = named(QPushButton("选择文件…"), "enfAddFile", "选择附件文件")
        self.pick.clicked.connect(self.pick_file)
        row = QHBoxLayout(self)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick, 0, Qt.AlignmentFlag.AlignTop)

    def pick_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择附件文件")
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        text = self.edit.toPlainText().rstrip("\n")
        self.edit.setPlainText((text + "\n" if text else "") + f"{path.stem}｜{path}")

    def set_items(self, items: list[Attachment]) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText("\n".join(f"{a.name}｜{a.ref}" if a.ref else a.name for a in items))
        self.edit.blockSignals(False)

    def items(self) -> list[Attachment]:
        out = []
        for line in self.edit.toPlainText().splitlines():
            name, _, ref = line.replace("|", "｜").partition("｜")
            if name.strip() or ref.strip():
                out.append(Attachment(name.strip(), ref.strip()))
        return out


class GapList(QWidget):
    """可执行性提示 — the checker's findings, live; Enter or double-click goes to the field."""

    activated_gap = Signal(object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.gaps: list[Gap] = []
        self.summary = QLabel()
        self.summary.setObjectName("enfGapSummary")
        self.summary.setStyleSheet("font-weight: bold;")
        self.list = named(QListWidget(), "enfGaps", "可执行性提示")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self.setFocusProxy(self.list)
        install_f1(self, lambda: self.gaps[row].basis if 0 <= (row := self.list.currentRow()) < len(self.gaps) else [])

    def show_gaps(self, gaps: list[Gap], text: str) -> None:
        self.gaps = list(gaps)
        n = sum(g.severity == GAP for g in gaps)
        self.summary.setText(f"可执行性检查：{text}" + ("（发送前请逐项核对，双击可定位到对应栏目）" if gaps else ""))
        self.summary.setStyleSheet(f"font-weight: bold; color: {'#b3261e' if n else '#8a5a00' if gaps else '#1e6e37'};")
        self.list.clear()
        self.list.setVisible(bool(gaps))  # no findings: the headline alone, the form below keeps the room
        policy = QSizePolicy.Policy.Preferred if gaps else QSizePolicy.Policy.Maximum
        self.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        for g in gaps:
            item = QListWidgetItem(f"{g.where()}【{g.severity_label}】{g.message}")
            item.setToolTip("依据：" + "\n".join(g.basis))
            item.setForeground(QtGui.QColor("#b3261e" if g.severity == GAP else "#8a5a00"))
            item.setData(Qt.ItemDataRole.UserRole, (g.term_seq, g.field))
            self.list.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        seq, fld = item.data(Qt.ItemDataRole.UserRole)
        self.activated_gap.emit(seq, fld)
