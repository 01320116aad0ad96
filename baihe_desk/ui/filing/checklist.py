"""立案审查清单 — the guided review: one row per applicable checklist item, the current item in detail
below, and the clerk's conclusion 符合 / 不符合 / 不适用 with a note.

Keyboard: in the list, 1 / 2 / 3 give 符合 / 不符合 / 不适用 (不符合 moves to the note, so the specifics
that go into the 补正通知书 can be typed; Enter then saves and moves on), Enter confirms the shown
conclusion (also a system prefill) and goes to the next item still open; Alt+1/2/3 choose in the
detail; Alt+N confirms and goes on. Saving is the page's job (``answer_requested``); the panel
shows the answer at once and the page sends the new sheet when the service has recorded it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from baihe_desk.services.filing.documents import merge_citations
from baihe_desk.ui.common.law_panel import connect_links, install_f1, linked_html
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import (
    QHeaderView,
    QKeyEvent,
    QLineEdit,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QtGui,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import button, named, text_label
from baihe_desk.ui.filing.state import SheetItem

ANSWER_LABELS = {"pass": "符合", "fail": "不符合", "na": "不适用"}
KEY_ANSWERS = {Qt.Key.Key_1: "pass", Qt.Key.Key_2: "fail", Qt.Key.Key_3: "na"}
RED, GREEN, GREY, AMBER = "#b3261e", "#1e6b34", "#5f6368", "#8a5a00"


def answer_text(item: SheetItem) -> str:
    if item.answer is None:
        return "未作结论"
    label = ANSWER_LABELS[item.answer]
    return f"{label}（预填待确认）" if item.prefilled else label


def fixed_text(item: SheetItem) -> str:
    if not item.previously_failed:
        return ""
    return {True: "已补正", False: "仍不符合"}.get(item.fixed, "待核对")  # type: ignore[arg-type]


class ChecklistModel(RowsModel):
    """The sheet's items (``items``); a saved answer replaces its row in place (``replace``)."""

    HEADERS = ("序号", "分组", "审查事项", "结论", "上轮补正", "说明")

    @property
    def items(self) -> list[SheetItem]:
        return self.rows

    def set_items(self, items: list[SheetItem]) -> None:
        self.set_rows(items)

    def replace(self, row: int, item: SheetItem) -> None:
        self.items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        it, col = self.items[index.row()], index.column()
        if role in self.TEXT_ROLES:
            return (str(index.row() + 1), it.group_label, it.question, answer_text(it), fixed_text(it), it.note)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (2, 5):
            return it.question if col == 2 else it.note
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 3:
                color = GREY if it.answer is None or it.prefilled else RED if it.answer == "fail" else GREEN
                return QtGui.QBrush(QtGui.QColor(color))
            if col == 4 and it.previously_failed:
                return QtGui.QBrush(QtGui.QColor(GREEN if it.fixed else RED if it.fixed is False else AMBER))
        if role == Qt.ItemDataRole.FontRole and col == 3 and it.answer is None:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None


class ChecklistTable(QTableView):
    """The list; digit keys and Enter are handed to the panel."""

    key_answer = Signal(str)
    confirm = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not mods and event.key() in KEY_ANSWERS:
            self.key_answer.emit(KEY_ANSWERS[event.key()])
            return
        if not mods and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm.emit()
            return
        super().keyPressEvent(event)


class ChecklistPanel(QWidget):
    """The sheet of the running review round. ``answer_requested(item_id, answer, note)``."""

    answer_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self.editable = False
        self.model = ChecklistModel(self)
        self.table = rows_table(self.model, "checklistTable", "审查清单", view=ChecklistTable(self), stretch_last=False,
                                resize=QHeaderView.ResizeMode.Interactive, wrap=False, tab_keys=False, pad=20,
                                widths={0: "序号", 1: "起诉状内容", 3: "符合（预填待确认）", 4: "上轮补正", 5: "说明说明"},
                                stretch=(2,))  # the question takes what is left
        self.table.setToolTip("1 符合　2 不符合　3 不适用　Enter 确认并下一项")
        self.table.key_answer.connect(self._key_answer)
        self.table.confirm.connect(self.confirm_current)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))

        self.progress = text_label(name="checklistProgress", wrap=False)
        self.question = text_label(name="itemQuestion", rich=True)
        self.detail = text_label(name="itemDetail", rich=True)
        self.buttons: dict[str, QPushButton] = {}
        for n, (value, label) in enumerate(ANSWER_LABELS.items(), start=1):
            b = button(f"{label}(&{n})", f"answer_{value}", label, lambda _c=False, v=value: self.choose(v),
                       tip=f"{label}（按 {n} 或 Alt+{n}）")
            b.setCheckable(True)
            self.buttons[value] = b
        self.note = named(QLineEdit(), "itemNote", "审查说明",
                          tip="不符合时写明具体情况（写入补正通知书），Enter 保存并下一项")
        self.note.setPlaceholderText("说明（不符合时写明具体情况，会写入补正通知书）")
        self.note.returnPressed.connect(self.confirm_current)
        self.next_button = button("确认并下一项(&N)", "confirmNext", "确认并下一项", self.confirm_current)
        vbox(self.progress, (self.table, 3), self.question, self.detail,
             hbox(*self.buttons.values(), (self.note, 1), self.next_button), margins=0, parent=self)
        self.setFocusProxy(self.table)
        connect_links(self.detail)  # 依据 links open the law panel; F1 opens the current item's article
        install_f1(self, lambda: [merge_citations(list(it.basis))] if (it := self.current_item()) else [])
        self._update_controls()

    # -- data ----------------------------------------------------------------------------------
    def set_sheet(self, items: list[SheetItem], *, editable: bool, keep_row: bool = True) -> None:
        current = self.current_row() if keep_row else -1
        self.editable = editable
        # after 补正 the round starts from the list the party was given: those items come first
        items = sorted(items, key=lambda it: not it.previously_failed)
        same = keep_row and [it.item_id for it in items] == [it.item_id for it in self.model.items]
        if same:  # the same sheet with saved answers: update in place, keep the selection and the typing
            for row, it in enumerate(items):
                if it != self.model.items[row]:
                    self.model.replace(row, it)
            self._show(current, keep_note=self.note.hasFocus())
        else:
            self.model.set_items(items)
            if items:
                first_open = next((i for i, it in enumerate(items) if it.answer is None or it.prefilled), 0)
                self.select(current if 0 <= current < len(items) else first_open)
            else:
                self._show(-1)
        self._update_progress()
        self._update_controls()

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def current_item(self) -> SheetItem | None:
        row = self.current_row()
        return self.model.items[row] if 0 <= row < len(self.model.items) else None

    def select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
            self._show(row)

    def _show(self, row: int, *, keep_note: bool = False) -> None:
        it = self.model.items[row] if 0 <= row < len(self.model.items) else None
        if it is None:
            self.question.setText("")
            self.detail.setText("")
            self.note.setText("")
            self._update_controls()
            return
        self.question.setText(f"<b>{row + 1}．{escape(it.question)}</b>")
        parts = [f"<span style='color:{GREY}'>依据：{linked_html(merge_citations(list(it.basis)))}</span>"]
        if it.previously_failed:
            parts.append(f"<span style='color:{AMBER}'>上轮通知补正：{escape(it.defect)}（{fixed_text(it)}）</span>")
        if it.explanation:
            tag = "系统预填" if it.prefilled else "提示"
            parts.append(f"<span style='color:{AMBER if it.prefilled else GREY}'>{tag}：{escape(it.explanation)}</span>")
        if it.answer == "fail":
            parts.append(f"<span style='color:{RED}'>不符合的后果：{escape(it.consequence_label)}。"
                         f"{escape(it.fix)}</span>")
        self.detail.setText("<br>".join(parts))
        if not keep_note:
            self.note.setText(it.note)
        self._update_controls()

    def _update_progress(self) -> None:
        items = self.model.items
        done = sum(1 for it in items if it.answer is not None and not it.prefilled)
        pre = sum(1 for it in items if it.answer is not None and it.prefilled)
        text = f"共 {len(items)} 项：已作结论 {done} 项" + (f"，系统预填待确认 {pre} 项" if pre else "") + \
            f"，未作结论 {sum(1 for it in items if it.answer is None)} 项。"
        prev = [it for it in items if it.previously_failed]
        if prev:
            fixed = sum(1 for it in prev if it.fixed)
            text += f"　上轮补正事项 {len(prev)} 项：已补正 {fixed} 项，" \
                    f"仍不符合 {sum(1 for it in prev if it.fixed is False)} 项，待核对 {sum(1 for it in prev if it.fixed is None)} 项。"
        self.progress.setText(text if items else "尚未开始审查。")

    def _update_controls(self) -> None:
        it = self.current_item()
        on = self.editable and it is not None
        for value, b in self.buttons.items():
            b.setEnabled(on and (value != "na" or bool(it and it.na_allowed)))
            b.setChecked(bool(it and it.answer == value))
        self.note.setEnabled(on)
        self.next_button.setEnabled(on)

    # -- answering -----------------------------------------------------------------------------
    def choose(self, value: str, *, advance: bool = False) -> None:
        """Record ``value`` for the current item (the page saves it)."""
        it = self.current_item()
        if not self.editable or it is None:
            return
        if value == "na" and not it.na_allowed:
            self.buttons["na"].setChecked(False)
            return
        self._apply(self.current_row(), it, value, self.note.text().strip())
        if value == "fail" and not self.note.text().strip():
            self.note.setFocus()  # the specifics go into the 补正通知书
        elif advance:
            self.next_open()

    def _key_answer(self, value: str) -> None:
        self.choose(value, advance=True)

    def confirm_current(self) -> None:
        """Enter: save the shown conclusion (with the note) and go to the next open item."""
        it = self.current_item()
        if not self.editable or it is None:
            return
        note = self.note.text().strip()
        if it.answer is not None and (it.prefilled or note != it.note):
            self._apply(self.current_row(), it, it.answer, note)
        self.next_open()
        self.table.setFocus()

    def _apply(self, row: int, it: SheetItem, value: str, note: str) -> None:
        from dataclasses import replace

        new = replace(it, answer=value, note=note, prefilled=False,
                      fixed=(value in ("pass", "na")) if it.previously_failed else it.fixed)
        self.model.replace(row, new)
        self._update_progress()
        self._show(row)
        self.answer_requested.emit(it.item_id, value, note)

    def next_open(self) -> None:
        items, row = self.model.items, self.current_row()
        order = list(range(row + 1, len(items))) + list(range(0, row + 1))
        nxt = next((i for i in order if items[i].answer is None or items[i].prefilled), None)
        self.select(nxt if nxt is not None else min(row + 1, len(items) - 1))
