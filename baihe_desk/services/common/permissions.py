"""权限 — which role may do what. The services decide; the UI only hides what a role cannot do.

A refusal is itself audited (``permission.denied``): ``require`` writes the record and commits it
before raising, so the refusal survives the caller's rollback. Services call ``require`` first,
before changing anything, so that commit carries nothing else.
"""

from __future__ import annotations

import enum
from typing import Final, overload

from sqlalchemy.orm import Session

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import Role, User
from baihe_desk.services.common.actor import Actor, SystemActor


class Perm(enum.StrEnum):
    CASE_CREATE = "case.create"  # 收件登记（新建案件）
    CASE_EDIT = "case.edit"
    CASE_VIEW = "case.view"
    CASE_NUMBER_ASSIGN = "case.number_assign"  # 分配案号
    DOCUMENT_GENERATE = "document.generate"
    TEMPLATE_EDIT = "template.edit"
    USER_MANAGE = "user.manage"
    SETTINGS_EDIT = "settings.edit"
    BACKUP = "backup.run"
    CASE_REVIEW = "case.review"  # 立案审查
    PROCEDURE_SET = "case.procedure"  # 确定审理程序
    ADDRESS_VERIFY = "address.verify"  # 核实送达地址
    SERVICE_RECORD = "service.record"  # 登记送达
    MEDIATION_REFER = "mediation.refer"  # 引导诉前调解、发放告知书、登记当事人意见
    MEDIATION_ASSIGN = "mediation.assign"  # 委派调解组织与调解员
    MEDIATION_RECORD = "mediation.record"  # 调解员：接收、调解记录、延长、结果
    ROSTER_MANAGE = "roster.manage"  # 调解组织与调解员名册
    CONSULT_DRAFT = "enforcement.consult_draft"  # 起草执行咨询函
    CONSULT_REPLY = "enforcement.consult_reply"  # 执行局回复执行建议
    JUDGMENT_RECORD = "judgment.record"  # 登记裁判文书与送达日期
    EXPLANATION_REQUEST = "explanation.request"  # 登记判后答疑申请
    EXPLANATION_TIER = "explanation.tier"  # 主持一级答疑（服务层再核对指定人员）
    RISK_FLAG = "explanation.risk"  # 信访风险与领导包案
    TRIAL_LIMIT_RECORD = "trial.limit_record"  # 登记审限延长、扣除（服务层再核对承办人）
    AUDIT_VIEW = "audit.view"  # 查阅与导出审计记录（本案的审判团队另可查阅本案记录，见 audit_log）
    REPORT_EXPORT = "statistics.export"  # 导出周通报、月分析（统计分析页的使用者）
    SETTINGS_TRANSFER = "settings.transfer"  # 设置文件的导出与导入（管理员本人，系统不能）


_ALL_STAFF = set(Role)
ROLE_PERMS: dict[Perm, set[Role]] = {
    Perm.CASE_CREATE: {Role.FILING_CLERK, Role.ADMIN},
    Perm.CASE_EDIT: {Role.FILING_CLERK, Role.JUDGE_ASSISTANT, Role.CLERK, Role.JUDGE, Role.ADMIN},
    Perm.CASE_VIEW: _ALL_STAFF,
    Perm.CASE_NUMBER_ASSIGN: {Role.FILING_CLERK, Role.ADMIN},
    Perm.DOCUMENT_GENERATE: {
        Role.FILING_CLERK, Role.JUDGE_ASSISTANT, Role.CLERK, Role.JUDGE, Role.DIVISION_CHIEF,
        Role.VICE_PRESIDENT, Role.ENFORCEMENT, Role.MEDIATOR, Role.ADMIN,
    },
    Perm.TEMPLATE_EDIT: {Role.ADMIN},
    Perm.USER_MANAGE: {Role.ADMIN},
    Perm.SETTINGS_EDIT: {Role.ADMIN},
    Perm.BACKUP: {Role.ADMIN},
    Perm.CASE_REVIEW: {Role.FILING_CLERK, Role.ADMIN},
    Perm.PROCEDURE_SET: {Role.FILING_CLERK, Role.JUDGE, Role.DIVISION_CHIEF, Role.ADMIN},
    Perm.ADDRESS_VERIFY: {
        Role.FILING_CLERK, Role.JUDGE_ASSISTANT, Role.CLERK, Role.JUDGE, Role.MEDIATOR, Role.ADMIN,
    },
    Perm.SERVICE_RECORD: {Role.FILING_CLERK, Role.JUDGE_ASSISTANT, Role.CLERK, Role.JUDGE, Role.ADMIN},
    Perm.MEDIATION_REFER: {Role.FILING_CLERK, Role.ADMIN},
    Perm.MEDIATION_ASSIGN: {Role.FILING_CLERK, Role.ADMIN},
    Perm.MEDIATION_RECORD: {Role.MEDIATOR, Role.ADMIN},
    Perm.ROSTER_MANAGE: {Role.ADMIN},
    Perm.CONSULT_DRAFT: {Role.JUDGE, Role.JUDGE_ASSISTANT},
    Perm.CONSULT_REPLY: {Role.ENFORCEMENT},
    Perm.JUDGMENT_RECORD: {Role.JUDGE, Role.JUDGE_ASSISTANT, Role.CLERK},
    Perm.EXPLANATION_REQUEST: {Role.FILING_CLERK, Role.CLERK, Role.JUDGE_ASSISTANT, Role.JUDGE},
    Perm.EXPLANATION_TIER: {Role.JUDGE, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT},
    Perm.RISK_FLAG: {Role.JUDGE, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT},
    Perm.TRIAL_LIMIT_RECORD: {
        Role.JUDGE, Role.JUDGE_ASSISTANT, Role.CLERK, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT, Role.ADMIN,
    },
    Perm.AUDIT_VIEW: {Role.ADMIN},
    # the statistics page's users (ui/main_window.py shows it to exactly these roles)
    Perm.SETTINGS_TRANSFER: {Role.ADMIN},
    Perm.REPORT_EXPORT: {Role.FILING_CLERK, Role.JUDGE, Role.DIVISION_CHIEF, Role.VICE_PRESIDENT, Role.ADMIN},
}

PERM_LABELS: dict[Perm, str] = {
    Perm.CASE_CREATE: "新建案件",
    Perm.CASE_EDIT: "修改案件",
    Perm.CASE_VIEW: "查看案件",
    Perm.CASE_NUMBER_ASSIGN: "分配案号",
    Perm.DOCUMENT_GENERATE: "生成文书",
    Perm.TEMPLATE_EDIT: "修改文书模板",
    Perm.USER_MANAGE: "管理用户",
    Perm.SETTINGS_EDIT: "修改设置",
    Perm.BACKUP: "备份与恢复",
    Perm.CASE_REVIEW: "立案审查",
    Perm.PROCEDURE_SET: "确定审理程序",
    Perm.ADDRESS_VERIFY: "核实送达地址",
    Perm.SERVICE_RECORD: "登记送达",
    Perm.MEDIATION_REFER: "引导诉前调解",
    Perm.MEDIATION_ASSIGN: "委派调解",
    Perm.MEDIATION_RECORD: "记录调解",
    Perm.ROSTER_MANAGE: "管理调解名册",
    Perm.CONSULT_DRAFT: "起草执行咨询函",
    Perm.CONSULT_REPLY: "回复执行建议",
    Perm.JUDGMENT_RECORD: "登记裁判与送达",
    Perm.EXPLANATION_REQUEST: "登记判后答疑申请",
    Perm.EXPLANATION_TIER: "主持判后答疑",
    Perm.RISK_FLAG: "标记信访风险",
    Perm.TRIAL_LIMIT_RECORD: "登记审限延长与扣除",
    Perm.AUDIT_VIEW: "查阅审计记录",
    Perm.REPORT_EXPORT: "导出统计报告",
    Perm.SETTINGS_TRANSFER: "导入导出设置文件",
}


# what the desk itself (``actor.SYSTEM``) may do: the court profile, departments, settings
SYSTEM_PERMS: Final = frozenset({Perm.SETTINGS_EDIT})


def allowed(actor: Actor | None, perm: Perm) -> bool:
    if isinstance(actor, SystemActor):
        return perm in SYSTEM_PERMS
    return actor is not None and actor.active and actor.role in ROLE_PERMS[perm]


@overload
def require(session: Session, actor: User | None, perm: Perm) -> User: ...
@overload
def require(session: Session, actor: Actor | None, perm: Perm) -> Actor: ...
def require(session: Session, actor: Actor | None, perm: Perm) -> Actor:
    """Raise PermissionDenied (and audit the refusal) unless ``actor`` may do ``perm``."""
    if allowed(actor, perm):
        assert actor is not None
        return actor
    from baihe_desk.services.common import audit

    if isinstance(actor, SystemActor):
        who = "系统"
    else:
        who = f"{actor.display_name}（{actor.role.label}）" if actor else "未登录用户"
    audit.record(session, actor, "permission.denied", entity="permission", entity_id=perm.value,
                 after={"permission": perm.value})
    session.commit()
    raise PermissionDenied(f"{who}无权{PERM_LABELS[perm]}。")
