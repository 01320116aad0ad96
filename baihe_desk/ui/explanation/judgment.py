"""判后答疑 page, tab 裁判与上诉期: the judgment or ruling, its service date per party and every party's
appeal countdown (民事诉讼法第一百七十一条; each from its own service, 民诉法解释第二百四十四条)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from baihe_desk.models.explanation import RULING_LABELS, DecisionKind, RulingType
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.ui.common.forms import qdate_to_date, to_qdate
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named
from baihe_desk.ui.explanation.data import CaseView

if TYPE_CHECKING:
    from baihe_desk.ui.explanation.page import ExplanationPage

STATE_LABELS = {"running": "上诉期内", "expired": "上诉期已届满", "not_appealable": "不准上诉", "not_served": "尚未送达"}


class CountdownModel(QAbstractTableModel):
    """当事人 | 诉讼地位 | 送达日期 | 上诉期届满日 | 剩余天数 | 状态 (tooltip: how the date was computed)."""

    HEADERS = ("当事人", "诉讼地位", "送达日期", "上诉期届满日", "剩余天数", "状态")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[ex.AppealStatus] = []

    def set_rows(self, rows: list[ex.AppealStatus]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        st = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([*st.steps, *st.warnings, *st.basis, *st.reminders]) or st.text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        days = ""
        if st.state == "running":
            days = "今日届满" if st.days_left == 0 else f"{st.days_left} 日"
        return (st.party_name, st.party_role, st.served_on.isoformat() if st.served_on else "未登记",
                st.due.isoformat() if st.due else "—", days, STATE_LABELS.get(st.state, st.state))[index.column()]


class JudgmentPanel(QWidget):
    def __init__(self, page: ExplanationPage):
        super().__init__(page)
        self.page = page
        self.setObjectName("judgmentPanel")
        may_record = allowed(page.user, Perm.JUDGMENT_RECORD)

        self.kind = named(QComboBox(), "judgmentKind", "裁判文书种类")
        for k in DecisionKind:
            self.kind.addItem(k.document_title, k.value)
        self.ruling_type = named(QComboBox(), "rulingType", "裁定种类",
                                 tip="民事诉讼法第一百五十七条：只有不予受理、管辖权异议、驳回起诉的裁定可以上诉")
        for r in RulingType:
            self.ruling_type.addItem(RULING_LABELS[r], r.value)
        self.pronounced = named(QDateEdit(), "pronouncedOn", "宣判日期")
        self.pronounced.setCalendarPopup(True)
        self.pronounced.setDisplayFormat("yyyy-MM-dd")
        self.document_number = named(QLineEdit(), "documentNumber", "文书字号", tip="留空则使用本案案号")
        self.summary = named(QPlainTextEdit(), "judgmentSummary", "裁判主文摘要")
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(60)
        self.save_button = named(QPushButton("保存裁判信息"), "saveJudgment", "保存裁判信息")
        self.rule = QLabel("")
        self.rule.setObjectName("appealabilityText")
        self.rule.setWordWrap(True)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.save_button.clicked.connect(self.save_judgment)

        form = QFormLayout()
        form.addRow(buddy_label("文书种类(&K)：", self.kind), self.kind)
        form.addRow(buddy_label("裁定种类：", self.ruling_type), self.ruling_type)
        form.addRow(buddy_label("宣判日期(&P)：", self.pronounced), self.pronounced)
        form.addRow(buddy_label("文书字号：", self.document_number), self.document_number)
        form.addRow(buddy_label("裁判主文摘要：", self.summary), self.summary)
        box = QGroupBox("裁判文书")
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.rule, 1)
        inner.addLayout(row)

        self.model = CountdownModel(self)
        self.table = named(QTableView(), "appealCountdowns", "各方当事人上诉期")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(110)
        self.service_party = named(QComboBox(), "serviceParty", "送达的当事人")
        self.served_on = named(QDateEdit(), "servedOn", "送达日期")
        self.served_on.setCalendarPopup(True)
        self.served_on.setDisplayFormat("yyyy-MM-dd")
        self.service_source = named(QLineEdit(), "serviceSource", "送达依据", tip="如：送达回证、邮寄回执、电子送达记录")
        self.service_button = named(QPushButton("登记送达日期"), "saveService", "登记送达日期")
        self.from_log_button = named(QPushButton("从送达记录带入"), "serviceFromLog", "从送达记录带入送达日期")
        self.service_button.clicked.connect(self.save_service)
        self.from_log_button.clicked.connect(self.fill_from_log)
        self.service_party.currentIndexChanged.connect(lambda _i: self._party_changed())
        srow = QHBoxLayout()
        srow.addWidget(buddy_label("当事人(&A)：", self.service_party))
        srow.addWidget(self.service_party, 1)
        srow.addWidget(buddy_label("送达日期(&S)：", self.served_on))
        srow.addWidget(self.served_on)
        srow.addWidget(self.service_source, 1)
        srow.addWidget(self.service_button)
        srow.addWidget(self.from_log_button)
        note = QLabel("上诉期自各方当事人各自收到裁判文书之日起计算（民诉法解释第二百四十四条），送达当日不计入，"
                      "届满日遇法定休假日顺延（民事诉讼法第八十五条）。" + ex.REMINDER_NOT_EXTENDED)
        note.setWordWrap(True)
        box2 = QGroupBox("送达与上诉期")
        inner2 = QVBoxLayout(box2)
        inner2.addWidget(self.table)
        inner2.addLayout(srow)
        inner2.addWidget(note)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(box2, 1)
        for w in (self.kind, self.ruling_type, self.pronounced, self.document_number, self.summary, self.save_button,
                  self.service_party, self.served_on, self.service_source, self.service_button, self.from_log_button):
            w.setEnabled(may_record)
        self.may_record = may_record

    def _kind_changed(self) -> None:
        ruling = self.kind.currentData() == DecisionKind.RULING.value
        self.ruling_type.setEnabled(self.may_record and ruling)
        if not ruling:
            self.ruling_type.setCurrentIndex(-1)  # a judgment has no 裁定种类; a ruling must choose one

    def set_view(self, view: CaseView | None) -> None:
        self.view = view
        today = self.page.today()
        self.pronounced.setDate(to_qdate(today))
        self.served_on.setDate(to_qdate(today))
        self.setEnabled(view is not None)
        if view is None:
            self.model.set_rows([])
            return
        j = view.judgment
        if j is not None:
            self.kind.setCurrentIndex(self.kind.findData(j.kind.value))
            if j.ruling_type is not None:
                self.ruling_type.setCurrentIndex(self.ruling_type.findData(j.ruling_type.value))
            self.pronounced.setDate(to_qdate(j.pronounced_on))
            self.document_number.setText(j.document_number)
            self.summary.setPlainText(j.summary)
        self.rule.setText(j.rule_text if j else "尚未登记本案的判决或裁定。")
        self._kind_changed()
        current = self.service_party.currentData()
        self.service_party.clear()
        for pid, name, role in view.parties:
            self.service_party.addItem(f"{role} {name}", pid)
        if current is not None and self.service_party.findData(current) >= 0:
            self.service_party.setCurrentIndex(self.service_party.findData(current))
        self.model.set_rows(view.statuses)
        self.from_log_button.setEnabled(self.may_record and bool(view.log_dates))
        self._party_changed()

    def _party_changed(self) -> None:
        view, pid = getattr(self, "view", None), self.service_party.currentData()
        if view is None or pid is None:
            return
        st = next((s for s in view.statuses if s.party_id == pid), None)
        if st is not None and st.served_on is not None:
            self.served_on.setDate(to_qdate(st.served_on))

    def fill_from_log(self) -> None:
        view, pid = self.view, self.service_party.currentData()
        if view is None or pid not in view.log_dates:
            self.page.status.setText("送达记录中没有该当事人收到本裁判文书的记录。")
            return
        on, why = view.log_dates[pid]
        self.served_on.setDate(to_qdate(on))
        self.service_source.setText("送达记录")
        self.page.status.setText(f"已从送达记录带入：{why} 请核对后点「登记送达日期」。")

    def save_judgment(self) -> None:
        if self.view is None:
            return
        case_id, on = self.view.case_id, self.page.today()
        kind = DecisionKind(self.kind.currentData())
        data = self.ruling_type.currentData()
        ruling = RulingType(data) if kind is DecisionKind.RULING and data else None
        pronounced, number, summary = qdate_to_date(self.pronounced.date()), self.document_number.text(), \
            self.summary.toPlainText()

        def fn(session, actor):  # type: ignore[no-untyped-def]
            ex.record_judgment(session, actor, case_id, kind=kind, ruling_type=ruling, pronounced_on=pronounced,
                               document_number=number, summary=summary, on=on)

        self.page.run_write(fn, f"已保存裁判信息（{kind.document_title}，宣判日期 {pronounced.isoformat()}）。")

    def save_service(self) -> None:
        if self.view is None or self.service_party.currentData() is None:
            return
        case_id, on, pid = self.view.case_id, self.page.today(), self.service_party.currentData()
        served, source, label = qdate_to_date(self.served_on.date()), self.service_source.text(), \
            self.service_party.currentText()

        def fn(session, actor):  # type: ignore[no-untyped-def]
            ex.set_service(session, actor, case_id, pid, served, source=source, on=on)

        self.page.run_write(fn, f"已登记{label}的送达日期 {served.isoformat()}。")
