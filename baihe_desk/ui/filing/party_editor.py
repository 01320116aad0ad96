"""当事人 editor — one plaintiff, defendant or third party: natural person or organisation, plus agents.

Field keys are those of ``intake.PartyInput`` (``name``, ``id_number``, ``credit_code`` …), so a
service error ``party{i}.{key}`` or ``party{i}.agent{j}.{key}`` lands next to its field. Leaving the
身份证号 field checks the number quietly and fills 出生日期 and 性别 from it.
"""

from __future__ import annotations

from datetime import date

from baihe_desk.errors import ValidationError
from baihe_desk.models import DomicileRegion, PartyKind, PartyRole
from baihe_desk.services.common import validation
from baihe_desk.services.filing.intake import PartyInput
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.forms import FieldGrid, OptionalDateEdit, enter_advances
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.qt import QComboBox, QGroupBox, QLabel, QLineEdit, QPushButton, Qt, QWidget, Signal
from baihe_desk.ui.common.widgets import buddy_label, named
from baihe_desk.ui.filing.agent_editor import AgentEditor

NATURAL, ORG = PartyKind.NATURAL, PartyKind.ORGANISATION
REGION_TEXT = {DomicileRegion.MAINLAND: "境内", DomicileRegion.FOREIGN: "境外（在中国境内没有住所）",
               DomicileRegion.HK_MO_TW: "港澳台（参照涉外程序）"}
BOTH = (NATURAL, ORG)
ETHNICITIES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 "
    "毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 "
    "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

# key, label, kinds, grid row, grid column (0 or 1), column span (1 or 2)
FIELDS: list[tuple[str, str, tuple[PartyKind, ...], int, int, int]] = [
    ("name", "姓名", BOTH, 0, 0, 1),
    ("id_number", "身份证号", (NATURAL,), 0, 1, 1),
    ("credit_code", "统一社会信用代码", (ORG,), 0, 1, 1),
    ("sex", "性别", (NATURAL,), 1, 0, 1),
    ("birth_date", "出生日期", (NATURAL,), 1, 1, 1),
    ("ethnicity", "民族", (NATURAL,), 2, 0, 1),
    ("occupation", "职业", (NATURAL,), 2, 1, 1),
    ("work_unit", "工作单位", (NATURAL,), 3, 0, 2),
    ("legal_rep_name", "法定代表人", (ORG,), 4, 0, 1),
    ("legal_rep_title", "职务", (ORG,), 4, 1, 1),
    ("domicile", "住所", BOTH, 5, 0, 2),
    ("postcode", "邮编", BOTH, 6, 0, 1),
    ("phone", "联系电话", BOTH, 6, 1, 1),
]
LABELS = {k: label for k, label, *_ in FIELDS}


class PartyEditor(FieldGrid, QGroupBox):
    """One party of the case (原告/被告/第三人)."""

    remove_requested = Signal(QWidget)

    def __init__(self, role: PartyRole, parent: QWidget | None = None):
        super().__init__(parent)
        self.role = role
        self.setObjectName("partyEditor")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(NATURAL.label, NATURAL.value)
        self.kind_combo.addItem(ORG.label, ORG.value)
        self.region_combo = QComboBox()  # 住所地: decides the 30-day periods of 民事诉讼法第二百八十五条、第二百八十六条
        for region in DomicileRegion:
            self.region_combo.addItem(REGION_TEXT[region], region.value)
        self.rep_kind = QComboBox()
        self.rep_kind.addItems(["法定代表人", "主要负责人"])
        self.init_fields()
        for key, label, _kinds, *_pos in FIELDS:
            self.add_field(key, self._make_input(key), self.rep_kind if key == "legal_rep_name" else label + "：")
        self.add_agent_button = QPushButton("添加代理人")
        self.remove_button = QPushButton("删除此当事人")
        self.agents: list[AgentEditor] = []
        self.agent_area = vbox(margins=0)
        head = hbox(buddy_label("类型：", self.kind_combo), self.kind_combo,
                    buddy_label("住所地：", self.region_combo), self.region_combo, STRETCH, self.add_agent_button,
                    self.remove_button)
        grid = self.field_grid((key, row, col, span) for key, _label, _kinds, row, col, span in FIELDS)
        grid.setVerticalSpacing(4)
        vbox(head, grid, self.agent_area, parent=self)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._apply_kind())
        self.inputs["id_number"].editingFinished.connect(self.check_id_number)
        self.inputs["id_number"].textEdited.connect(self._id_typed)
        self.add_agent_button.clicked.connect(lambda: self.add_agent(focus=True))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        enter_advances(self.kind_combo, self.region_combo, self.rep_kind, self.inputs["ethnicity"].lineEdit(),
                       *self.inputs.values())
        self.set_index(0, 1)
        self._apply_kind()

    def _make_input(self, key: str) -> QWidget:
        if key == "sex":
            w: QWidget = QComboBox()
            w.addItems(["", "男", "女"])
        elif key == "birth_date":
            w = OptionalDateEdit(maximum=desk_today())
        elif key == "ethnicity":
            w = QComboBox()
            w.setEditable(True)
            w.addItems([""] + ETHNICITIES)
            w.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        else:
            w = QLineEdit()
            if key == "id_number":
                w.setMaxLength(22)
                w.setPlaceholderText("18位，末位可为X")
            elif key == "credit_code":
                w.setMaxLength(22)
                w.setPlaceholderText("18位")
            elif key == "postcode":
                w.setMaxLength(6)
            kind = {"id_number": "id", "credit_code": "id", "postcode": "digits", "phone": "phone"}.get(key)
            if kind:
                digits_field(w, kind)  # no IME in the way; full-width digits made half-width
        return w

    # -- identity ---------------------------------------------------------------------------------
    @property
    def kind(self) -> PartyKind:
        return PartyKind(self.kind_combo.currentData())

    def set_kind(self, kind: PartyKind) -> None:
        self.kind_combo.setCurrentIndex(0 if kind is NATURAL else 1)

    def set_index(self, i: int, n_in_role: int = 1) -> None:
        """Position ``i`` in the form (error keys ``party{i}.…``) and number within its role (原告1)."""
        self.index = i
        self.number = n_in_role
        self.who = f"{self.role.label}{n_in_role}"
        self.setTitle(self.who)
        self.setAccessibleName(self.who)
        named(self.kind_combo, "party_kind", f"{self.who} 类型")
        named(self.rep_kind, "party_rep_kind", f"{self.who} 法定代表人或主要负责人")
        named(self.region_combo, "party_domicile_region", f"{self.who} 住所地（境内、境外或港澳台）")
        for key, w in self.inputs.items():
            named(w, f"party_{key}", f"{self.who} {self._label(key)}")
        named(self.add_agent_button, "party_add_agent", f"为{self.who}添加代理人")
        named(self.remove_button, "party_remove", f"删除{self.who}")
        for j, a in enumerate(self.agents):
            a.set_index(j, self.who)

    def _label(self, key: str) -> str:
        if key == "name":
            return "姓名" if self.kind is NATURAL else "名称"
        if key == "legal_rep_name":
            return self.rep_kind.currentText()
        return LABELS[key]

    def _apply_kind(self) -> None:
        kind = self.kind
        for key, _label, kinds, *_pos in FIELDS:
            shown = kind in kinds
            self.labels[key].setVisible(shown)
            self.boxes[key].setVisible(shown)
        name_label = self.labels["name"]
        assert isinstance(name_label, QLabel)
        name_label.setText("姓名：" if kind is NATURAL else "名称：")
        self.set_index(self.index, self.number)

    def focus_widgets(self) -> list[QWidget]:
        """Visible inputs in tab order (head, fields, agents)."""
        order = [self.kind_combo, self.region_combo]
        for key, *_rest in FIELDS:
            if key == "legal_rep_name":
                order.append(self.rep_kind)
            order.append(self.inputs[key])
        order += [self.add_agent_button, self.remove_button]
        for a in self.agents:
            order += a.focus_widgets()
        return order

    # -- 身份证号 on focus-out -----------------------------------------------------------------------
    def _id_typed(self, text: str) -> None:
        """A complete, valid number fills 性别 and 出生日期 at once, and Tab/Enter then pass them by (the
        number answered them); any other text gives them back their Tab stop."""
        if len(text.strip()) >= 18:
            self.check_id_number(quiet=True)
        else:
            self._derived(False)

    def _derived(self, on: bool) -> None:
        policy = Qt.FocusPolicy.ClickFocus if on else Qt.FocusPolicy.StrongFocus
        for key in ("sex", "birth_date"):
            self.inputs[key].setFocusPolicy(policy)

    def check_id_number(self, quiet: bool = False) -> None:
        text = self.text("id_number")
        if not text.strip() or self.kind is not NATURAL:
            self._derived(False)
            return
        try:
            info = validation.validate_id_number(text, field="身份证号")
        except ValidationError as exc:
            self._derived(False)
            if not quiet:
                self.boxes["id_number"].set_error(exc.reason)
            return
        self.boxes["id_number"].clear_error()
        id_edit = self.inputs["id_number"]
        assert isinstance(id_edit, QLineEdit)
        if id_edit.text() != info.number:
            id_edit.setText(info.number)
        birth = self.inputs["birth_date"]
        assert isinstance(birth, OptionalDateEdit)
        birth.set_value(info.birth_date)
        sex = self.inputs["sex"]
        assert isinstance(sex, QComboBox)
        sex.setCurrentText(info.sex)
        self._derived(True)

    # -- agents -----------------------------------------------------------------------------------
    def add_agent(self, *, focus: bool = False) -> AgentEditor:
        agent = AgentEditor(self)
        agent.remove_requested.connect(self.remove_agent)
        self.agents.append(agent)
        self.agent_area.addWidget(agent)
        self.set_index(self.index, self.number)
        self.window_changed()
        if focus:
            agent.field("name").setFocus()
        return agent

    def remove_agent(self, agent: QWidget) -> None:
        if agent in self.agents:
            self.agents.remove(agent)  # type: ignore[arg-type]
            agent.setParent(None)
            agent.deleteLater()
            self.set_index(self.index, self.number)
            self.window_changed()
            self.add_agent_button.setFocus()

    def window_changed(self) -> None:
        """Hook: the form re-chains the tab order when agents come and go."""
        form = self.parent()
        while form is not None and not hasattr(form, "update_tab_order"):
            form = form.parent()
        if form is not None:
            form.update_tab_order()

    # -- values -----------------------------------------------------------------------------------
    def value(self) -> PartyInput:
        """What the clerk typed, as the intake service's input (only the fields of this kind)."""
        birth = self.inputs["birth_date"]
        assert isinstance(birth, OptionalDateEdit)
        natural = self.kind is NATURAL
        t = self.text
        return PartyInput(
            role=self.role, kind=self.kind, name=t("name"),
            sex=t("sex") if natural else "", birth_date=birth.value() if natural else None,
            ethnicity=t("ethnicity") if natural else "", occupation=t("occupation") if natural else "",
            work_unit=t("work_unit") if natural else "", id_number=t("id_number") if natural else "",
            credit_code="" if natural else t("credit_code"),
            legal_rep_name="" if natural else t("legal_rep_name"),
            legal_rep_title="" if natural else t("legal_rep_title"),
            legal_rep_is_principal=not natural and self.rep_kind.currentIndex() == 1,
            domicile=t("domicile"), postcode=t("postcode"), phone=t("phone"),
            domicile_region=DomicileRegion(self.region_combo.currentData()),
            agents=[a.value() for a in self.agents],
        )

    def to_dict(self) -> dict:
        """Everything typed (both kinds' fields), for the draft file."""
        birth = self.inputs["birth_date"]
        assert isinstance(birth, OptionalDateEdit)
        d = {key: self.text(key) for key in self.inputs if key != "birth_date"}
        bd = birth.value()
        d.update(role=self.role.value, kind=self.kind.value, birth_date=bd.isoformat() if bd else "",
                 domicile_region=self.region_combo.currentData(),
                 rep_principal=self.rep_kind.currentIndex() == 1, agents=[a.to_dict() for a in self.agents])
        return d

    def load(self, data: dict) -> None:
        self.set_kind(PartyKind(data.get("kind", NATURAL.value)))
        self.rep_kind.setCurrentIndex(1 if data.get("rep_principal") else 0)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(data.get("domicile_region"))))
        for key, w in self.inputs.items():
            if key == "birth_date":
                assert isinstance(w, OptionalDateEdit)
                raw = data.get("birth_date") or ""
                w.set_value(date.fromisoformat(raw) if raw else None)
            elif isinstance(w, QComboBox):
                w.setCurrentText(str(data.get(key) or ""))
            else:
                assert isinstance(w, QLineEdit)
                w.setText(str(data.get(key) or ""))
        for a in data.get("agents") or []:
            self.add_agent().load(a)

    def is_blank(self) -> bool:
        return not any(self.text(k).strip() for k in self.inputs if k not in ("birth_date", "sex")) \
            and not self.agents

    # -- errors -----------------------------------------------------------------------------------
    def set_error(self, key: str, text: str) -> QWidget | None:
        """Show an error for ``key`` (``id_number`` or ``agent0.phone``); returns the field, if any."""
        if key.startswith("agent"):
            head, _, sub = key.partition(".")
            j = int(head.removeprefix("agent") or -1)
            if 0 <= j < len(self.agents) and self.agents[j].set_error(sub, text):
                return self.agents[j].field(sub)
            return None
        return self.set_field_error(key, text)

    def clear_errors(self) -> None:
        super().clear_errors()
        for a in self.agents:
            a.clear_errors()
