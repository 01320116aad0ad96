"""诉讼代理人 editor — one agent of one party, inside the party editor."""

from __future__ import annotations

from baihe_desk.services.filing.intake import AgentInput
from baihe_desk.ui.common.forms import FieldGrid, enter_advances
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.qt import QCheckBox, QComboBox, QFrame, QLineEdit, QPushButton, QWidget, Signal
from baihe_desk.ui.common.widgets import named, text_label

AGENT_TYPES = ["律师", "基层法律服务工作者", "近亲属", "工作人员", "社区、单位或社会团体推荐的公民"]
DEFAULT_SPECIAL = "代为承认、放弃、变更诉讼请求，进行和解，提起反诉或者上诉"

# (key, label, kind of widget)
AGENT_FIELDS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("agent_type", "类别"),
    ("organisation", "单位"),
    ("license_number", "执业证号"),
    ("id_number", "身份证号"),
    ("phone", "联系电话"),
]


class AgentEditor(FieldGrid, QFrame):
    """委托诉讼代理人 of a party: 姓名, 类别, 单位, 执业证号, 身份证号, 电话, 特别授权 + 授权范围."""

    remove_requested = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agentEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = text_label(name="agentTitle", wrap=False)
        self.init_fields()
        for key, label in AGENT_FIELDS:
            if key == "agent_type":
                w: QWidget = QComboBox()
                w.setEditable(True)
                w.addItems(AGENT_TYPES)
            else:
                w = QLineEdit()
                if key in ("license_number", "id_number", "phone"):
                    digits_field(w, "phone" if key == "phone" else "id")
            self.add_field(key, w, label + "：")
        self.special = QCheckBox("特别授权")
        self.authority = QLineEdit()
        self.authority.setPlaceholderText(DEFAULT_SPECIAL)
        self.authority.setEnabled(False)
        self.special.toggled.connect(self._special_toggled)
        self.remove_button = QPushButton("删除代理人")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

        grid = self.field_grid((key, *divmod(i, 2), 1) for i, (key, _label) in enumerate(AGENT_FIELDS))
        r = len(AGENT_FIELDS) // 2
        grid.addWidget(self.special, r, 0)
        grid.addWidget(self.authority, r, 1, 1, 3)
        layout = vbox(hbox(self.title, STRETCH, self.remove_button), grid, parent=self)
        layout.setContentsMargins(8, 6, 8, 6)
        enter_advances(*[w for k, w in self.inputs.items() if k != "agent_type"],
                       self.inputs["agent_type"].lineEdit(), self.special, self.authority)
        self.set_index(0, "")

    def _special_toggled(self, on: bool) -> None:
        self.authority.setEnabled(on)
        if on and not self.authority.text():
            self.authority.setText(DEFAULT_SPECIAL)

    def set_index(self, j: int, owner: str) -> None:
        """Number the agent (``owner`` like 原告1) and refresh its names for tests and screen readers."""
        who = f"{owner}的代理人{j + 1}"
        self.title.setText(f"委托诉讼代理人{j + 1}")
        self.setAccessibleName(who)
        for key, label in AGENT_FIELDS:
            named(self.inputs[key], f"agent_{key}", f"{who} {label}")
        named(self.special, "agent_special", f"{who} 特别授权")
        named(self.authority, "agent_authority", f"{who} 授权范围")
        named(self.remove_button, "agent_remove", f"删除{who}")

    def focus_widgets(self) -> list[QWidget]:
        return [self.inputs[k] for k, _ in AGENT_FIELDS] + [self.special, self.authority, self.remove_button]

    def value(self) -> AgentInput:
        t = {k: self.text(k) for k in self.inputs}
        return AgentInput(name=t["name"], agent_type=t["agent_type"], id_number=t["id_number"],
                          phone=t["phone"], organisation=t["organisation"], license_number=t["license_number"],
                          special_authority=self.special.isChecked(),
                          authority_detail=self.authority.text() if self.special.isChecked() else "")

    def to_dict(self) -> dict:
        a = self.value()
        return {**a.__dict__, "authority_detail": self.authority.text()}

    def load(self, data: dict) -> None:
        for key, w in self.inputs.items():
            text = str(data.get(key) or "")
            if isinstance(w, QComboBox):
                w.setCurrentText(text or AGENT_TYPES[0])
            else:
                w.setText(text)
        self.special.setChecked(bool(data.get("special_authority")))
        self.authority.setText(str(data.get("authority_detail") or ""))

    def is_blank(self) -> bool:
        return not any(w.text().strip() for k, w in self.inputs.items() if isinstance(w, QLineEdit))

    def set_error(self, key: str, text: str) -> bool:
        return self.set_field_error(key, text) is not None
