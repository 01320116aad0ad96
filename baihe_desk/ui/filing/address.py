"""送达地址 — per case and party: the address records with their source on the ladder, how each was
verified (method, date, who, result), the signed 送达地址确认书 with e-service consent, the 送达风险
flag with its reasons, and the service-attempts log with the legal service date (``served_on``).

``ServiceAddressPanel(db, paths, user)``; ``set_case(case_id)``. Opening a case turns the addresses
written at 收件登记 into service-address records (``import_intake_addresses``, idempotent).
The data is read in the background into plain snapshots (:mod:`baihe_desk.ui.filing.address_data`).
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.list_detail import LatestLoads, RowsModel, rows_table
from baihe_desk.ui.common.qt import (
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTableView,
    QtGui,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import button, named, text_label
from baihe_desk.ui.filing.address_data import AddressView, CaseAddresses, PartyAddresses, load_addresses, save
from baihe_desk.ui.filing.address_dialogs import (
    AddressDialog,
    AttemptDialog,
    ConfirmationDialog,
    VerifyDialog,
)

RED, GREY, AMBER, GREEN = "#b3261e", "#5f6368", "#8a5a00", "#1e6b34"


class TextRows(RowsModel):
    """Rows of ``(texts, tooltip, colour)``: the texts shown, the row's tooltip (else the cell's text) and
    its colour (none: the default)."""

    def set_texts(self, texts: list[tuple[str, ...]], tips: list[str], colors: list[str]) -> None:
        self.set_rows(zip(texts, tips, colors, strict=True))

    def cells(self, row: tuple) -> tuple[str, ...]:
        return row[0]

    def role_data(self, row: tuple, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row[1] or row[0][column]
        if role == Qt.ItemDataRole.ForegroundRole and row[2]:
            return QtGui.QBrush(QtGui.QColor(row[2]))
        return None


UNCHECKED = "尚未核实"  # service_address._address_state's text for an address nobody has checked


def _status(a: AddressView) -> str:
    return "可用" if a.usable else "未核实" if a.state == UNCHECKED else "不可用"


def _table(obj: str, name: str, model: TextRows, widths: dict[int, str], stretch: int) -> QTableView:
    return rows_table(model, obj, name, resize=QHeaderView.ResizeMode.Interactive, stretch_last=False, widths=widths,
                      stretch=(stretch,), wrap=False, tab_keys=False)


class ServiceAddressPanel(LatestLoads, QWidget):
    """``changed()`` after anything was recorded (the case list's 送达风险 column may refresh)."""

    changed = Signal()

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("serviceAddressPanel")
        self.db, self.paths, self.user = db, paths, user
        self.case_id: uuid.UUID | None = None
        self.data: CaseAddresses | None = None
        self.dialog: QWidget | None = None
        self.last_document = None  # (path, label) of the last generated 送达地址确认书

        self.risk = text_label(name="serviceRisk")
        self.parties = named(QListWidget(), "serviceParties", "当事人")
        self.parties.setFlow(QListWidget.Flow.LeftToRight)  # one row of parties above the tables
        self.parties.setWrapping(True)
        self.parties.setSpacing(4)
        self.parties.setFixedHeight(self.fontMetrics().height() + 22)
        self.parties.currentRowChanged.connect(lambda _r: self._show_party())
        self.address_model = TextRows(self, headers=("来源", "地址", "核实情况", "状态"))
        self.addresses = _table("serviceAddresses", "送达地址", self.address_model,
                                {0: "起诉状所列地址（待核实）", 2: "2026-11-26 网格员核实：查无此人", 3: "不可用"}, 1)
        self.addresses.selectionModel().currentRowChanged.connect(lambda *_: self._show_address())
        self.address_detail = text_label(name="addressDetail")
        self.attempt_model = TextRows(self, headers=("日期", "文书", "方式", "结果", "单号", "见证/影像", "法定送达日期"))
        self.attempts = _table("serviceAttempts", "送达记录", self.attempt_model,
                               {0: "2026-11-26", 1: "起诉状副本", 2: "邮寄送达（法院专递）", 3: "查无此人",
                                4: "1169912345678", 5: "见证人某某"}, 6)
        self.buttons = {key: button(text, obj, text.split("(")[0], slot) for key, text, obj, slot in (
            ("add", "添加地址(&A)…", "addAddress", self.add_address),
            ("verify", "登记核实(&V)…", "verifyAddress", self.verify_address),
            ("confirm", "登记送达地址确认书(&Q)…", "recordConfirmation", self.record_confirmation),
            ("generate", "生成送达地址确认书(&G)", "generateConfirmation", self.generate_confirmation),
            ("preview", "预览", "previewConfirmation", self.preview_confirmation),
            ("attempt", "登记送达(&E)…", "recordAttempt", self.record_attempt))}
        self.status = text_label(name="serviceStatus")
        *row1, attempt = self.buttons.values()
        right = vbox(QLabel("送达地址（按来源顺序）："), (self.addresses, 2), self.address_detail, hbox(*row1, STRETCH),
                     QLabel("送达记录："), (self.attempts, 2), hbox(attempt, STRETCH))
        vbox(self.risk, self.parties, (right, 1), self.status, margins=0, parent=self)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------
    def set_case(self, case_id: uuid.UUID | None) -> None:
        if case_id != self.case_id:
            self.status.clear()
            self.last_document = None
        self.case_id = case_id
        self.reload()

    def reload(self, *, select_party: uuid.UUID | None = None) -> None:
        case_id, user = self.case_id, self.user
        keep = select_party or self.current_party_id()
        if case_id is None:
            self.forget_loads()
            self._loaded(None, None)
            self.loads += 1
            return
        write = allowed(user, Perm.ADDRESS_VERIFY)
        self.load_latest(lambda s, _c: load_addresses(s, user, case_id, import_intake=write),
                         lambda data: self._loaded(data, keep), write=write)

    def _loaded(self, data: CaseAddresses | None, keep: uuid.UUID | None) -> None:
        self.data = data
        self.parties.blockSignals(True)
        self.parties.clear()
        for p in data.parties if data else []:
            item = QListWidgetItem(("⚠ " if p.risk else "") + f"{p.role_label} {p.name}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, ("送达风险 " if p.risk else "") + f"{p.role_label}{p.name}")
            if p.risk:
                item.setForeground(QtGui.QBrush(QtGui.QColor(RED)))
            self.parties.addItem(item)
        self.parties.blockSignals(False)
        ids = [p.id for p in data.parties] if data else []
        self.parties.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        self._show_risk()
        self._show_party()

    def _show_risk(self) -> None:
        flagged = [p for p in self.data.parties if p.risk] if self.data else []
        if not flagged:
            self.risk.setText("" if self.data is None else
                              f"<span style='color:{GREEN}'>被告送达地址均已核实，无送达风险。</span>")
            return
        lines = [f"<b style='color:{RED}'>⚠ 送达风险</b>"]
        for p in flagged:
            lines.append(f"<span style='color:{RED}'>被告{escape(p.name)}：{escape('；'.join(p.risk))}</span>")
            lines.append(f"<span style='color:{GREY}'>建议：{escape('；'.join(p.hints))}</span>")
        self.risk.setText("<br>".join(lines))

    # -- selection -----------------------------------------------------------------------------
    def current_party(self) -> PartyAddresses | None:
        row = self.parties.currentRow()
        return self.data.parties[row] if self.data and 0 <= row < len(self.data.parties) else None

    def current_party_id(self) -> uuid.UUID | None:
        p = self.current_party()
        return p.id if p else None

    def current_address(self) -> AddressView | None:
        p, row = self.current_party(), self.addresses.currentIndex().row()
        return p.addresses[row] if p and 0 <= row < len(p.addresses) else None

    def _show_party(self) -> None:
        p = self.current_party()
        addrs = p.addresses if p else []
        self.address_model.set_texts(
            [(a.source_label, a.text, a.last_check, _status(a)) for a in addrs], [a.state for a in addrs],
            [GREEN if a.usable else AMBER if a.state == UNCHECKED else RED for a in addrs])
        atts = p.attempts if p else []
        self.attempt_model.set_texts(
            [(t.attempted_on, t.document, t.method, t.result, t.tracking, t.evidence, t.served_text)
             for t in atts], [t.reasoning + (f"　送达回证：{t.receipt}" if t.receipt else "") for t in atts],
            [GREEN if t.served else RED for t in atts])
        if addrs:
            self.addresses.setCurrentIndex(self.address_model.index(0, 0))
        self._show_address()

    def _show_address(self) -> None:
        a = self.current_address()
        if a is None:
            self.address_detail.setText("")
        else:
            checks = "；".join(a.verifications) or "尚无核实记录"
            extra = f"　{escape(a.confirmation)}" if a.confirmation else ""
            contact = "　".join(x for x in (a.postcode and f"邮编 {a.postcode}", a.phone and f"电话 {a.phone}") if x)
            self.address_detail.setText(f"<span style='color:{GREY}'>{escape(a.text)}　{escape(contact)}<br>"
                                        f"{escape(a.state)}。核实记录：{escape(checks)}{extra}</span>")
        self._update_buttons()

    def _update_buttons(self) -> None:
        p, a = self.current_party(), self.current_address()
        may_verify, may_serve = allowed(self.user, Perm.ADDRESS_VERIFY), allowed(self.user, Perm.SERVICE_RECORD)
        for key in ("add", "confirm"):
            self.buttons[key].setEnabled(p is not None and may_verify)
        self.buttons["verify"].setEnabled(a is not None and may_verify)
        self.buttons["generate"].setEnabled(p is not None and allowed(self.user, Perm.DOCUMENT_GENERATE))
        self.buttons["preview"].setEnabled(self.last_document is not None)
        self.buttons["attempt"].setEnabled(p is not None and may_serve)

    # -- actions -------------------------------------------------------------------------------
    def _open(self, dialog, action: str, **extra: Any) -> Any:  # type: ignore[no-untyped-def]
        p = self.current_party()
        case_id, party_id, user = self.case_id, p.id, self.user

        def submit(values: dict[str, Any], done) -> None:  # type: ignore[no-untyped-def]
            def ok(message: str) -> None:
                done("")
                self.status.setText(message)
                self.reload(select_party=party_id)
                self.changed.emit()

            run_in_background(lambda s, _c: save(s, user, action, case_id, party_id, values, **extra), parent=dialog,
                              db=self.db, write=True, on_success=ok,
                              on_failure=lambda exc: done(getattr(exc, "message", str(exc))))

        dialog.on_submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_address(self) -> Any:
        p = self.current_party()
        return self._open(AddressDialog(f"{p.role_label}{p.name}", p.kind, self), "add") if p else None

    def verify_address(self) -> Any:
        p, a = self.current_party(), self.current_address()
        if p is None or a is None:
            return None
        return self._open(VerifyDialog(f"{a.source_label}：{a.text}", p.kind, self), "verify", address_id=a.id)

    def record_confirmation(self) -> Any:
        p = self.current_party()
        if p is None:
            return None
        best = p.addresses[0] if p.addresses else None
        prefill = {"text": best.text, "postcode": best.postcode, "phone": best.phone} if best else {}
        return self._open(ConfirmationDialog(f"{p.role_label}{p.name}", prefill, self), "confirm")

    def record_attempt(self) -> Any:
        p = self.current_party()
        if p is None or self.data is None:
            return None
        dialog = AttemptDialog(f"{p.role_label}{p.name}", [(f"{a.source_label}：{a.text}", a.id) for a in p.addresses],
                               p.e_channels, self.data.procedure, self)
        return self._open(dialog, "attempt")

    def generate_confirmation(self) -> None:
        from baihe_desk.ui.filing.outcome import generate_pdf

        p = self.current_party()
        if p is None or self.case_id is None:
            return
        db, user, paths, case_id, party_id = self.db, self.user, self.paths, self.case_id, p.id

        def done(result) -> None:  # type: ignore[no-untyped-def]
            self.last_document = result
            self.status.setText(f"已生成{p.role_label}{p.name}的{result[1]}（PDF 和 Word）。")
            self._update_buttons()

        run_in_background(lambda _c: generate_pdf(db, user, paths, "address-confirmation", case_id,
                                                  {"party_id": party_id}),
                          parent=self, on_success=done, progress="正在生成送达地址确认书…")

    def preview_confirmation(self) -> None:
        from baihe_desk.ui.cases.documents_panel import open_pdf_preview

        if self.last_document is not None:
            open_pdf_preview(self, *self.last_document)
