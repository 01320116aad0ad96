"""离线修改规则 — what a desk of each kind may change on its offline copy, checked at check-in.

A bundle coming back to the court is refused whole (nothing merged) when it changes anything the sending
desk may not change offline. The rules follow the workflows:

- **诉非联动服务站** records the mediation: acceptance, sessions (调解记录), extensions with consent,
  appraisal periods, the outcome, the parties' 送达地址确认书, and documents it generated. It never files a
  case, never creates one, and never holds a number: the 民诉前调 / 诉前调确 / 诉前调书 / 民初 numbers stay as
  the court gave them (the court assigns the outcome's number at check-in). Of the case itself only the
  stage may go from 诉前调解中 to 已结案 (an agreement) with its closing date.
- **法官笔记本** drafts: 执行咨询函 drafts (sent only at the court, where the 执咨 number is drawn), the
  parties' details and addresses, service records, judgment and explanation records, trial-limit records
  and documents. It creates no case and changes no case number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from baihe_desk.models.exchange import DeskKind

NUMBER_FIELDS = {
    "case": {"case_number", "number_year", "number_type", "number_serial", "receipt_number"},
    "mediation_case": {"mediation_number", "number_year", "number_serial", "outcome_number",
                       "outcome_number_type", "filed_case_number", "filed_on"},
    "enforcement_consultation": {"number", "number_year", "number_serial"},
    "enforcement_advice": {"number", "number_year", "number_serial"},
}


@dataclass(frozen=True)
class TableRule:
    insert: bool = False
    update: bool = False
    delete: bool = False
    only_fields: frozenset[str] | None = None  # when set, an update may change only these


@dataclass
class Violation:
    table: str
    record_id: str
    message: str


@dataclass
class DeskRules:
    label: str
    tables: dict[str, TableRule] = field(default_factory=dict)

    def check(self, name: str, rid: str, action: str, incoming: dict[str, Any] | None,
              local: dict[str, Any] | None) -> Violation | None:
        from baihe_desk.services.exchange.preview import TABLE_LABELS, field_label

        what = TABLE_LABELS.get(name, (name, "条"))[0]
        rule = self.tables.get(name)
        verb = {"insert": "新增", "update": "修改", "delete": "删除"}[action]
        if rule is None or not getattr(rule, action):
            return Violation(name, rid, f"{self.label}不能离线{verb}{what}")
        if action == "update" and incoming is not None and local is not None:
            changed = {k for k in incoming if k not in ("created_at", "updated_at", "row_version")
                       and incoming.get(k) != local.get(k)}
            frozen = changed & NUMBER_FIELDS.get(name, set())
            if frozen:
                names = "、".join(sorted(field_label(k) for k in frozen))
                return Violation(name, rid, f"{self.label}不能离线改动{what}的编号（{names}），编号由法院分配")
            if rule.only_fields is not None and changed - rule.only_fields:
                extra = "、".join(sorted(field_label(k) for k in changed - rule.only_fields))
                return Violation(name, rid, f"{self.label}不能离线修改{what}的这些内容：{extra}")
        row = incoming or {}
        if action == "insert":
            numbered = [k for k in NUMBER_FIELDS.get(name, set()) if row.get(k) not in (None, "", 0)
                        and k not in ("filed_on",)]
            if numbered and name != "case":
                return Violation(name, rid, f"{self.label}离线新增的{what}不能带有编号（编号由法院分配）")
        return self._value_rules(name, rid, action, row, local)

    def _value_rules(self, name: str, rid: str, action: str, row: dict[str, Any],
                     local: dict[str, Any] | None) -> Violation | None:
        if name == "case" and action == "update" and local is not None and row.get("stage") != local.get("stage"):
            if (local.get("stage"), row.get("stage")) not in STAGE_MOVES.get(self.label, set()):
                return Violation(name, rid, f"{self.label}不能离线把案件阶段从“{local.get('stage')}”改为“{row.get('stage')}”"
                                            "（立案只能在法院办理）")
        if name == "enforcement_consultation" and action != "delete" and row.get("status") != "draft":
            return Violation(name, rid, f"{self.label}只能离线起草执行咨询函，发送须在法院办理（执咨编号由法院分配）")
        return None


_STATION_LABEL, _LAPTOP_LABEL = "诉非联动服务站", "法官笔记本"
STAGE_MOVES = {_STATION_LABEL: {("pre_mediation", "closed")}, _LAPTOP_LABEL: set()}

_ALL = TableRule(insert=True, update=True, delete=True)
_ADD_EDIT = TableRule(insert=True, update=True)

STATION = DeskRules(_STATION_LABEL, {
    "case": TableRule(update=True, only_fields=frozenset({"stage", "closed_on"})),
    "mediation_case": TableRule(update=True),
    "mediation_session": _ADD_EDIT,
    "mediation_extension": _ADD_EDIT,
    "mediation_suspension": _ADD_EDIT,
    "service_address": _ADD_EDIT,
    "address_verification": _ADD_EDIT,
    "generated_document": TableRule(insert=True),
})

LAPTOP = DeskRules(_LAPTOP_LABEL, {
    "party": TableRule(update=True),
    "address": _ADD_EDIT,
    "agent": _ADD_EDIT,
    "enforcement_consultation": _ALL,
    "enforcement_consultation_party": _ALL,
    "enforcement_consultation_term": _ALL,
    "service_address": _ADD_EDIT,
    "address_verification": _ADD_EDIT,
    "service_attempt": _ADD_EDIT,
    "judgment_record": _ADD_EDIT,
    "judgment_service": _ADD_EDIT,
    "explanation_request": _ADD_EDIT,
    "explanation_tier": _ADD_EDIT,
    "explanation_risk": _ADD_EDIT,
    "trial_limit_extension": _ADD_EDIT,
    "trial_limit_suspension": _ADD_EDIT,
    "generated_document": TableRule(insert=True),
})


def rules_for(sender_kind: DeskKind, receiver_kind: DeskKind) -> DeskRules | None:
    """The rules a bundle from ``sender_kind`` is held to; None = the court's own data (no limits)."""
    if sender_kind is DeskKind.STATION:
        return STATION
    if sender_kind is DeskKind.LAPTOP:
        return LAPTOP
    return None
