"""The words of a check-in preview: "新增调解记录 2 条，更新执行咨询函 1 件…", and conflict fields."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TABLE_LABELS: dict[str, tuple[str, str]] = {
    "case": ("案件", "件"), "party": ("当事人", "名"), "address": ("地址", "条"), "agent": ("诉讼代理人", "名"),
    "complaint_review": ("立案审查", "次"), "review_answer": ("审查项", "条"),
    "service_address": ("送达地址", "条"), "address_verification": ("地址核实记录", "条"),
    "service_attempt": ("送达记录", "条"),
    "mediation_case": ("诉前调解案件", "件"), "mediation_session": ("调解记录", "条"),
    "mediation_extension": ("延长调解期限记录", "条"), "mediation_suspension": ("鉴定评估期间", "条"),
    "enforcement_consultation": ("执行咨询函", "件"), "enforcement_consultation_party": ("咨询函当事人", "名"),
    "enforcement_consultation_term": ("咨询函拟定条款", "项"), "enforcement_advice": ("执行建议", "件"),
    "enforcement_advice_item": ("执行建议事项", "条"),
    "judgment_record": ("裁判文书登记", "件"), "judgment_service": ("裁判文书送达", "条"),
    "explanation_request": ("判后答疑申请", "件"), "explanation_tier": ("答疑记录", "条"),
    "explanation_risk": ("信访风险标记", "条"),
    "trial_limit_extension": ("延长审限", "条"), "trial_limit_suspension": ("扣除审限", "条"),
    "generated_document": ("文书", "份"),
    "court_profile": ("法院信息", "条"), "department": ("部门", "个"), "app_user": ("人员账号", "个"),
    "mediation_organisation": ("调解组织", "个"), "mediator": ("调解员", "名"),
}

FIELD_LABELS = {
    "stage": "阶段", "closed_on": "结案日期", "status": "状态", "claims": "诉讼请求", "facts": "事实和理由",
    "name": "姓名/名称", "phone": "电话", "domicile": "住所", "text": "内容", "agreed": "达成一致的事项",
    "disputed": "争议事项", "note": "备注", "attendees": "到场人员", "held_on": "调解日期", "place": "地点",
    "outcome": "调解结果", "outcome_on": "结果日期", "agreement_text": "调解协议内容", "questions": "咨询问题",
    "stage_note": "审理阶段", "contact_phone": "联系电话", "amount": "金额", "obligors": "义务人",
    "perform_by": "履行期限", "id_number": "身份证号", "accepted_on": "签收日期", "due_on": "期限届满日",
    "case_number": "案号", "number_type": "案号类型", "number_serial": "案号序号", "number_year": "案号年度",
    "filed_on": "立案日期", "closed_at": "结束时间", "fee_kind": "费用类别", "fee_full": "受理费全额",
    "fee_total": "应交费用", "fee_steps": "费用计算步骤", "filed_case_number": "立案案号", "outcome_by_id": "结果记录人",
    "period_days": "调解期限（天）", "undisputed_facts": "无争议事实", "outcome_note": "结果说明",
    "outcome_number": "诉前调确/调书号", "mediator_id": "调解员", "organisation_id": "调解组织",
}


def local_time(text: str) -> str:
    """An ISO time (UTC) as the court reads it: Asia/Shanghai, to the minute."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        return datetime.fromisoformat(text).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(text)

ACTION_WORDS = {"insert": "新增", "update": "更新", "delete": "删除", "conflict": "冲突"}


@dataclass
class Change:
    table: str
    record_id: str
    action: str  # insert / update / delete
    case_id: str = ""


@dataclass
class ConflictField:
    field: str
    label: str
    ours: Any  # this desk's value now
    theirs: Any  # the bundle's value


@dataclass
class Conflict:
    table: str
    record_id: str
    case_id: str
    case_label: str
    kind: str  # both_changed / deleted_here / deleted_there
    fields: list[ConflictField] = field(default_factory=list)
    blocked: str = ""  # why the other desk's version may not be taken (only ours can be kept)

    @property
    def key(self) -> str:
        return f"{self.table}:{self.record_id}"

    @property
    def what(self) -> str:
        return TABLE_LABELS.get(self.table, (self.table, "条"))[0]

    def describe(self) -> str:
        if self.kind == "deleted_here":
            return f"{self.case_label} 的{self.what}：本机已删除，对方作了修改"
        if self.kind == "deleted_there":
            return f"{self.case_label} 的{self.what}：对方已删除，本机作了修改"
        names = "、".join(f.label for f in self.fields) or "内容"
        return f"{self.case_label} 的{self.what}：双方都修改了（{names}）"


def summary_text(changes: list[Change], conflicts: int = 0, references: int = 0) -> str:
    """新增调解记录 2 条，更新执行咨询函 1 件 … (case tables in their order; reference rows last)."""
    counts = Counter((c.action, c.table) for c in changes)
    order = list(TABLE_LABELS)
    parts = []
    for action in ("insert", "update", "delete"):
        for name in sorted({t for a, t in counts if a == action}, key=lambda t: order.index(t) if t in order else 99):
            label, unit = TABLE_LABELS.get(name, (name, "条"))
            parts.append(f"{ACTION_WORDS[action]}{label} {counts[(action, name)]} {unit}")
    if references:
        parts.append(f"补充人员与名册信息 {references} 条")
    if conflicts:
        parts.append(f"冲突 {conflicts} 处待决定")
    return "，".join(parts) + "。" if parts else "没有需要导入的变化。"


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)
