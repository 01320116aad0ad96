"""拟定条款表单 — one draft 判项 / settlement term as structured fields (the 执行咨询函 editor's right side).

Fields follow what an enforceable term must state (解释第四百六十一条; 法发〔2018〕9号's clarity list):
who performs for whom, the amount and the interest basis / rate / start / end, the instalments (one
line each: ``2026-12-31 40000``) and the acceleration clause, the guarantor and the guarantee mode,
the object, the act to perform, the performance time and manner. Fields that do not apply to the
term's kind are hidden. ``changed`` fires on every edit; ``term()`` reads the fields back, and
``problems()`` lists the inputs that cannot be read (an amount like "12万").
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from baihe_desk.models.enforcement import GUARANTEE_LABELS, LIABILITY_LABELS, TERM_KIND_LABELS, TermKind
from baihe_desk.services.enforcement.enforceability import Instalment, TermData, money_problem, parse_money
from baihe_desk.ui.common.forms import FieldBox, enter_advances
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named

INSTALMENT_LINE = re.compile(
    r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*(?:前)?[\s,，:：]*([0-9][0-9,，.]*)\s*元?\s*$")

# key → (label, kinds it applies to (None = all), multi-line)
FIELDS: list[tuple[str, str, tuple[TermKind, ...] | None, bool]] = [
    ("text", "条款全文", None, True),
    ("obligors", "义务人", None, False),
    ("obligees", "权利人", None, False),
    ("liability", "多人责任形式", None, False),
    ("liability_wording", "责任表述或份额", None, False),
    ("amount", "给付金额（元）", (TermKind.MONEY,), False),
    ("has_interest", "计付利息", (TermKind.MONEY,), False),
    ("interest_basis", "利息计算基数", (TermKind.MONEY,), False),
    ("interest_rate", "利率", (TermKind.MONEY,), False),
    ("interest_start", "利息起算日", (TermKind.MONEY,), False),
    ("interest_end", "利息截止日", (TermKind.MONEY,), False),
    ("object_desc", "标的物", (TermKind.DELIVERY,), True),
    ("act_content", "履行内容和标准", (TermKind.CONTINUE, TermKind.ACT, TermKind.OTHER), True),
    ("instalments", "分期（每行一期）", (TermKind.MONEY, TermKind.DELIVERY, TermKind.OTHER), True),
    ("acceleration", "加速到期条款", (TermKind.MONEY, TermKind.DELIVERY, TermKind.OTHER), True),
    ("guarantor", "担保人", None, False),
    ("guarantee_mode", "保证方式", None, False),
    ("guarantee_scope", "担保范围和期间", None, False),
    ("perform_by", "履行期限", None, False),
    ("perform_manner", "履行方式", None, False),
]
PLACEHOLDERS = {
    "text": "拟写入调解书（判决书）的表述，如：被告李某于2027年12月31日前分三期偿还原告王某借款本金12万元……",
    "obligors": "姓名或名称，多人以“、”分隔", "obligees": "姓名或名称",
    "liability_wording": "按份的写明各自数额", "amount": "如 120000",
    "interest_basis": "如：以未偿还本金为基数", "interest_rate": "如：按年利率3.65%",
    "interest_start": "如：自2026年1月1日起", "interest_end": "如：至实际清偿之日止",
    "object_desc": "名称、数量、规格型号或识别特征", "act_content": "继续履行（为一定行为）的具体内容、标准、地点",
    "instalments": "每行一期：日期 金额，如\n2026-12-31 40000\n2027-12-31 40000",
    "acceleration": "如：任何一期未按期足额履行的，原告有权就全部未付款项一并申请执行",
    "guarantor": "担保人姓名或名称", "guarantee_scope": "如：本金、利息及实现债权的费用；保证期间……",
    "perform_by": "如：2026年12月31日前 / 本调解书生效之日起十日内", "perform_manner": "如：转账至原告指定账户",
}


def format_instalments(items: list[Instalment]) -> str:
    return "\n".join(f"{i.due.isoformat() if i.due else ''} {'' if i.amount is None else f'{i.amount:f}'}".strip()
                     for i in items)


def parse_instalments(text: str) -> tuple[list[Instalment], list[int]]:
    """(instalments, numbers of the lines that could not be read)."""
    out, bad = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = INSTALMENT_LINE.match(line)
        if m is None:
            bad.append(n)
            continue
        try:
            due = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            bad.append(n)
            continue
        if money_problem(m.group(4)):  # "123,45" is not 12345
            bad.append(n)
            continue
        out.append(Instalment(due, parse_money(m.group(4))))
    return out, bad


class TermForm(QWidget):
    """The fields of one term. ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("enfTermForm")
        self._loading = False
        self.kind = named(QComboBox(), "enfTermKind", "条款类型")
        for kind, label in TERM_KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.widgets: dict[str, QWidget] = {}
        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        kind_label = QLabel("条款类型：")
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, self.kind)
        for key, label, _kinds, multi in FIELDS:
            widget = self._make(key, label, multi)
            self.widgets[key] = widget
            self.boxes[key] = FieldBox(widget)
            self.labels[key] = QLabel(f"{label}：")
            self.labels[key].setBuddy(widget)
            form.addRow(self.labels[key], self.boxes[key])
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        enter_advances(self.kind, *(w for w in self.widgets.values() if isinstance(w, (QLineEdit, QComboBox))))

    def _make(self, key: str, label: str, multi: bool) -> QWidget:
        name = "enfTerm" + "".join(p.title() for p in key.split("_"))
        if key == "has_interest":
            box = named(QCheckBox("本项计付利息（违约金）"), name, label)
            box.toggled.connect(self._edited)
            return box
        if key in ("liability", "guarantee_mode"):
            combo = named(QComboBox(), name, label)
            for value, text in (LIABILITY_LABELS if key == "liability" else GUARANTEE_LABELS).items():
                combo.addItem(text if value else "（未写明）", value)
            combo.currentIndexChanged.connect(self._edited)
            return combo
        if multi:
            edit = named(QPlainTextEdit(), name, label)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(PLACEHOLDERS.get(key, ""))
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * (3 if key != "text" else 4) + 12)
            edit.textChanged.connect(self._edited)
            return edit
        line = named(QLineEdit(), name, label)
        if key == "amount":  # no IME predictions; ４００００ typed in full width becomes 40000
            digits_field(line, "amount")
        line.setPlaceholderText(PLACEHOLDERS.get(key, ""))
        line.textChanged.connect(self._edited)
        return line

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _kind_changed(self, *_args: object) -> None:
        kind = self.current_kind()
        for key, _label, kinds, _multi in FIELDS:
            visible = kinds is None or kind in kinds
            self.labels[key].setVisible(visible)
            self.boxes[key].setVisible(visible)
        self._edited()

    def current_kind(self) -> TermKind:
        return TermKind(self.kind.currentData() or "money")

    def field(self, key: str) -> QWidget:
        return self.kind if key == "kind" else self.widgets[key]

    # -- values ------------------------------------------------------------------------------------
    def _text(self, key: str) -> str:
        w = self.widgets[key]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return str(w.currentData() or "")
        assert isinstance(w, QLineEdit)
        return w.text()

    def problems(self) -> dict[str, str]:
        """Inputs that cannot be read: key → Chinese message."""
        out = {}
        amount = self._text("amount").strip()
        problem = money_problem(amount, "给付金额") if amount else None
        if problem:
            out["amount"] = problem
        _items, bad = parse_instalments(self._text("instalments"))
        if bad:
            out["instalments"] = f"第{'、'.join(map(str, bad))}行无法识别，每行应为“日期 金额”，如 2026-12-31 40000"
        return out

    def term(self, seq: int = 1) -> TermData:
        kind = self.current_kind()
        kinds = {key: kinds for key, _l, kinds, _m in FIELDS}

        def text(key: str) -> str:
            applies = kinds[key] is None or kind in kinds[key]  # hidden fields do not count
            return self._text(key) if applies else ""

        instalments, _bad = parse_instalments(text("instalments"))
        amount = parse_money(text("amount")) if kind is TermKind.MONEY else None
        has_interest = kind is TermKind.MONEY and self.widgets["has_interest"].isChecked()  # type: ignore[attr-defined]
        return TermData(
            seq=seq, kind=kind, text=text("text"), obligors=text("obligors"), obligees=text("obligees"),
            liability=text("liability"), liability_wording=text("liability_wording"), amount=amount,
            has_interest=has_interest, interest_basis=text("interest_basis") if has_interest else "",
            interest_rate=text("interest_rate") if has_interest else "",
            interest_start=text("interest_start") if has_interest else "",
            interest_end=text("interest_end") if has_interest else "", instalments=instalments,
            acceleration=text("acceleration"), guarantor=text("guarantor"), guarantee_mode=text("guarantee_mode"),
            guarantee_scope=text("guarantee_scope"), object_desc=text("object_desc"),
            act_content=text("act_content"), perform_by=text("perform_by"), perform_manner=text("perform_manner"),
        )

    def set_term(self, t: TermData) -> None:
        self._loading = True
        try:
            self.kind.setCurrentIndex(max(self.kind.findData(t.kind.value), 0))
            for key, _label, _kinds, _multi in FIELDS:
                w = self.widgets[key]
                if key == "has_interest":
                    w.setChecked(t.has_interest)  # type: ignore[attr-defined]
                elif isinstance(w, QComboBox):
                    w.setCurrentIndex(max(w.findData(getattr(t, key)), 0))
                elif key == "amount":
                    w.setText("" if t.amount is None else f"{t.amount.normalize():f}")  # type: ignore[attr-defined]
                elif key == "instalments":
                    w.setPlainText(format_instalments(t.instalments))  # type: ignore[attr-defined]
                elif isinstance(w, QPlainTextEdit):
                    w.setPlainText(getattr(t, key))
                else:
                    w.setText(getattr(t, key))  # type: ignore[attr-defined]
            for box in self.boxes.values():
                box.clear_error()
        finally:
            self._loading = False
        self._kind_changed()

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, box in self.boxes.items():
            if key in problems:
                box.set_error(problems[key])
            else:
                box.clear_error()


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
