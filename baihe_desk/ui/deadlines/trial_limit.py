"""登记延长审限 / 扣除审限 — a dialog over one case's trial limit: the limit as computed now (with how it was
counted), the records so far (voided ones marked), and two forms. Nothing changes the limit silently:
every record names who approved it, when, on what basis; a mistaken one is voided with a reason."""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.models.clock import SUSPENSION_LABELS, ApproverLevel, SuspensionKind
from baihe_desk.services.deadlines import clocks, clocks_trial, clocks_trial_records
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.forms import date_field, qdate_to_date
from baihe_desk.ui.common.layout import STRETCH, dialog_buttons, form, hbox, vbox
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QtWidgets,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import buddy_label, button, combo, message_box, named, show_known_error


def _date_edit(name: str, label: str) -> QDateEdit:
    return date_field(name, label, clocks.today_local(), maximum=clocks.today_local())


class TrialLimitDialog(QDialog):
    changed = Signal()

    def __init__(self, db: Database, user: User, case_id: uuid.UUID, case_ref: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.user, self.case_id = db, user, case_id
        self.setObjectName("trialLimitDialog")
        self.setWindowTitle(f"审理期限 — {case_ref}")
        self.records: list = []
        self.current = named(QtWidgets.QTextBrowser(), "trialLimitCurrent", "当前审理期限及计算过程")
        self.record_list = named(QtWidgets.QListWidget(), "trialLimitRecords", "已登记的延长和扣除")
        self.end_button = button("登记扣除期间结束…", "trialLimitEnd", "登记所选扣除期间已结束", self.end_selected)
        self.void_button = button("作废所选记录…", "trialLimitVoid", "作废所选的延长或扣除记录", self.void_selected)
        self.tabs = named(QTabWidget(), "trialLimitTabs", "登记类别")
        self.tabs.addTab(self._extension_form(), "延长审限")
        self.tabs.addTab(self._suspension_form(), "扣除审限")
        close, _none, _close = dialog_buttons(self, None, ("关闭", "trialLimitClose", "关闭"))
        vbox((self.current, 3), QLabel("已登记："), (self.record_list, 1),
             hbox(self.end_button, self.void_button, STRETCH), self.tabs, close, parent=self)
        self.record_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.resize(760, 680)
        self.reload()

    # -- forms ------------------------------------------------------------------------------------
    def _extension_form(self) -> QWidget:
        w = QWidget()
        self.months = named(QtWidgets.QSpinBox(), "extMonths", "延长月数")
        self.months.setRange(1, 12)
        self.months.setSuffix(" 个月")
        self.level = combo("extLevel", "批准机关", [(lv.label, lv.value) for lv in ApproverLevel])
        self.ext_name = named(QLineEdit(), "extApprover", "批准人")
        self.ext_name.setPlaceholderText("院长姓名，或上级人民法院名称")
        self.ext_on = _date_edit("extApprovedOn", "批准日期")
        self.ext_ref = named(QLineEdit(), "extRef", "审批表编号或批复文号")
        self.ext_reason = named(QPlainTextEdit(), "extReason", "延长理由（特殊情况）")
        self.ext_reason.setMaximumHeight(60)
        self.ext_save = button("登记延长(&E)", "extSave", "登记延长审限", self.save_extension)
        form(("延长期限(&M)：", self.months), ("批准机关：", self.level), ("批准人(&A)：", self.ext_name),
             ("批准日期：", self.ext_on), ("审批文号：", self.ext_ref), ("延长理由(&R)：", self.ext_reason),
             ("", self.ext_save), parent=w)
        return w

    def _suspension_form(self) -> QWidget:
        w = QWidget()
        self.kind = combo("suspKind", "不计入审限的期间类别", [(SUSPENSION_LABELS[k], k.value) for k in SuspensionKind])
        self.start = _date_edit("suspStart", "起始日期")
        self.open_ended = named(QCheckBox("尚未结束"), "suspOpen", "该期间尚未结束")
        self.end = _date_edit("suspEnd", "结束日期")
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.susp_name = named(QLineEdit(), "suspApprover", "批准人")
        self.susp_on = _date_edit("suspApprovedOn", "批准日期")
        self.susp_reason = named(QLineEdit(), "suspReason", "事由")
        self.susp_reason.setPlaceholderText("如：委托××司法鉴定所鉴定")
        self.susp_basis = named(QLineEdit(), "suspBasis", "其他法律依据")
        self.susp_basis.setPlaceholderText("类别为“其他”时必填")
        self.susp_save = button("登记扣除(&S)", "suspSave", "登记扣除审限", self.save_suspension)
        form(("类别(&K)：", self.kind), ("起始日期：", self.start), ("结束日期：", hbox(self.end, self.open_ended), self.end),
             ("批准人：", self.susp_name), ("批准日期：", self.susp_on), ("事由：", self.susp_reason),
             ("法律依据：", self.susp_basis), ("", self.susp_save), parent=w)
        return w

    # -- data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        case_id = self.case_id

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            from baihe_desk.models import Case

            case = session.get(Case, case_id)
            if case is None:
                raise KnownError("案件不存在或已被删除。")
            tl = clocks_trial.trial_limit_of(session, case, today=clocks.today_local(),
                                             table=clocks.holiday_table(session))
            exts, susps = clocks_trial_records.records(session, case_id)
            rows = [(e.id, e.active, False, f"延长 {e.months} 个月：{e.approver_level.label}（{e.approved_by_name}）于 "
                     f"{e.approved_on} 批准{('，' + e.approval_ref) if e.approval_ref else ''}；理由：{e.reason}"
                     + ("" if e.active else f"（已作废：{e.void_reason}）")) for e in exts]
            rows += [(s.id, s.active, s.active and s.ended_on is None,
                      f"扣除 {s.kind.label}：{s.started_on} 至 {s.ended_on or '（尚未结束）'}，{s.approved_by_name} 于 "
                      f"{s.approved_on} 批准；{s.reason}" + ("" if s.active else f"（已作废：{s.void_reason}）"))
                     for s in susps]
            return tl, rows

        run_in_background(work, parent=self, db=self.db, on_success=self._show)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        tl, rows = result
        if tl is None:
            self.current.setHtml("<p>该案件尚未立案或尚未确定审理程序。</p>")
        else:
            items = "".join(f"<li>{escape(s)}</li>" for s in tl.steps)
            notes = "".join(f"<li>{escape(w)}</li>" for w in (*tl.warnings, *tl.hints))
            self.current.setHtml(f"<p><b>{escape(tl.text)}</b></p><ol>{items}</ol>"
                                 + (f"<ul style='color:#9a5b00'>{notes}</ul>" if notes else ""))
        self.records = rows
        self.record_list.clear()
        for _id, active, _open, text in rows:
            self.record_list.addItem(text if active else f"〔已作废〕{text}")
        self._update_buttons()

    def _selected(self):  # type: ignore[no-untyped-def]
        row = self.record_list.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def _update_buttons(self) -> None:
        sel = self._selected()
        self.void_button.setEnabled(sel is not None and sel[1])
        self.end_button.setEnabled(sel is not None and sel[2])

    def _write(self, fn, done_text: str) -> None:  # type: ignore[no-untyped-def]
        def finished(result) -> None:  # type: ignore[no-untyped-def]
            warnings = getattr(result, "warnings", [])
            after = getattr(result, "after", None)
            text = done_text + (f"审限届满日：{after.due}。" if after is not None else "")
            message_box(self, "已登记", "\n".join([text, *warnings]),
                        icon=QMessageBox.Icon.Warning if warnings else QMessageBox.Icon.Information)
            self.changed.emit()
            self.reload()

        run_in_background(fn, parent=self, db=self.db, write=True, on_success=finished,
                          on_failure=lambda exc: show_known_error(self, exc))

    def save_extension(self) -> None:
        user, case_id = self.user, self.case_id
        args = dict(months=self.months.value(), approver_level=self.level.currentData(),
                    approved_by_name=self.ext_name.text(), approved_on=qdate_to_date(self.ext_on.date()),
                    reason=self.ext_reason.toPlainText(), approval_ref=self.ext_ref.text())
        self._write(lambda s, _c: clocks_trial_records.record_extension(s, user, case_id, **args), "已登记延长审限。")

    def save_suspension(self) -> None:
        user, case_id = self.user, self.case_id
        end: date | None = None if self.open_ended.isChecked() else qdate_to_date(self.end.date())
        args = dict(kind=self.kind.currentData(), started_on=qdate_to_date(self.start.date()), ended_on=end,
                    approved_by_name=self.susp_name.text(), approved_on=qdate_to_date(self.susp_on.date()),
                    reason=self.susp_reason.text(), basis=self.susp_basis.text())
        self._write(lambda s, _c: clocks_trial_records.record_suspension(s, user, case_id, **args), "已登记扣除审限。")

    def end_selected(self) -> None:
        sel = self._selected()
        if sel is None:
            return
        on, ok = _ask_date(self, "扣除期间结束", "结束日期（如收到鉴定意见之日）：")
        if ok:
            user = self.user
            self._write(lambda s, _c: clocks_trial_records.end_suspension(s, user, sel[0], on), "已登记扣除期间结束。")

    def void_selected(self) -> None:
        sel = self._selected()
        if sel is None:
            return
        reason, ok = QtWidgets.QInputDialog.getText(self, "作废记录", "作废原因（如：录入错误）：")
        if ok:
            user = self.user
            self._write(lambda s, _c: clocks_trial_records.void(s, user, sel[0], reason), "已作废该记录。")


def _ask_date(parent: QWidget, title: str, label: str) -> tuple[date, bool]:
    dlg = QDialog(parent)
    dlg.setObjectName("askDateDialog")
    dlg.setWindowTitle(title)
    edit = _date_edit("askDate", label)
    buttons, _ok, _cancel = dialog_buttons(dlg, ("确定", "askDateOk", "确定"), ("取消", "askDateCancel", "取消"))
    vbox(buddy_label(label, edit), edit, buttons, parent=dlg)
    ok = dlg.exec() == QDialog.DialogCode.Accepted
    return qdate_to_date(edit.date()), ok
