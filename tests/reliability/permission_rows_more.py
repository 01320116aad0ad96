"""权限矩阵 — rows for 执行咨询, 系统管理 (users, organisation, settings) and 审限登记.

As in the other row modules: ``setup`` meets the named-person rules for an allowed actor (the consultation
is the actor's own; the 承办法官 is the actor) and writes prerequisites in their own transactions.
"""

from __future__ import annotations

from decimal import Decimal

from baihe_desk.models import Case, Department, Procedure, Role, Stage, User
from baihe_desk.models.clock import ApproverLevel
from baihe_desk.models.clock import SuspensionKind as TrialPause
from baihe_desk.models.enforcement import Measure, TermKind, Verdict
from baihe_desk.services.admin import audit_log, organisation, settings
from baihe_desk.services.admin import transfer as settings_transfer
from baihe_desk.services.admin import users as admin_users
from baihe_desk.services.admin.audit_page import AuditFilter
from baihe_desk.services.admin.court import get_profile
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.common.permissions import Perm
from baihe_desk.services.deadlines import clocks_trial_records as trial
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.enforcement import advice
from baihe_desk.services.enforcement import consultation as consult
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData
from tests.reliability.permission_matrix import Row, World
from tests.reliability.permission_oracle import expected_for

P = Perm
TODAY = today_local()


# -- 执行咨询 ----------------------------------------------------------------------------------------------------

def _drafter(w: World, actor: User | None) -> User:
    """The actor when the oracle says he may draft (the consultation is then his), else the world's judge."""
    may_draft = isinstance(actor, User) and actor.active and actor.role in expected_for("enforcement_consultation.create").may
    return actor if may_draft else w.users[Role.JUDGE]


def consultation(w: World, actor: User | None, upto: str = "draft") -> object:
    """A 执行咨询函 drafted (and, by ``upto``, sent / replied to) by the actor when they may draft."""
    judge = _drafter(w, actor)
    cid = w.new_case()

    def work(s):  # type: ignore[no-untyped-def]
        c = consult.create(s, judge, cid)
        data = draft_of(c)
        data.terms = [TermData(kind=TermKind.MONEY, text="被告于2026年12月31日前偿还原告借款5万元。", obligors="李喆玥",
                               obligees="王堃", amount=Decimal("50000"), perform_manner="转账")]
        consult.save_draft(s, judge, c.id, data)
        if upto in ("sent", "replied"):
            consult.send(s, judge, c.id, acknowledge_gaps=True)
        if upto == "replied":
            reply = advice.prefill(consult.load(s, c.id))
            reply.items[0].verdict = Verdict.NEEDS_CHANGE
            reply.items[0].reason = "履行方式未写明收款账户。"
            reply.items[0].suggestion = "写明原告收款账户。"
            reply.answers = ["" for _ in reply.answers]
            advice.submit_reply(s, w.users[Role.ENFORCEMENT], c.id, reply)
        return c.id

    return w.write(work)


def _reply_data(s, cons_id):  # type: ignore[no-untyped-def]
    reply = advice.prefill(consult.load(s, cons_id))
    reply.items[0].verdict = Verdict.ENFORCEABLE
    reply.items.append(advice.ItemData(measure=Measure.PRESERVATION, amount=Decimal("50000"),
                                       suggestion=advice.DEFAULT_WORDING[Measure.PRESERVATION]))
    return reply


def _adopt_all(s, actor, cons_id):  # type: ignore[no-untyped-def]
    items = [i for i in consult.load(s, cons_id).advice.items if i.is_suggestion]
    return consult.record_adoption(s, actor, cons_id, {i.id: (True, "") for i in items}, adopted_all=True)


# -- 系统管理 ----------------------------------------------------------------------------------------------------

def department(w: World) -> object:
    n = w.seed()
    return w.write(lambda s: _add(s, Department(court_id=get_profile(s).id, name=f"人民法庭{n}", kind="tribunal")).id)


def _add(s, obj):  # type: ignore[no-untyped-def]
    s.add(obj)
    s.flush()
    return obj


# -- 审限 --------------------------------------------------------------------------------------------------------

def in_trial(w: World, actor: User | None) -> object:
    """A filed case in trial (普通程序) whose 承办法官 is the actor when the actor is a judge."""
    cid = w.new_case()
    judge_id = actor.id if actor is not None and actor.role is Role.JUDGE else w.user_id(Role.JUDGE)

    def work(s):  # type: ignore[no-untyped-def]
        case = s.get(Case, cid)
        assign_case_number(s, w.clerk, case, "民初", year=TODAY.year)
        case.filed_on, case.procedure, case.stage, case.judge_id = TODAY, Procedure.ORDINARY, Stage.IN_TRIAL, judge_id
        return cid

    return w.write(work)


def paused(w: World, actor: User | None) -> object:
    cid = in_trial(w, actor)
    return w.write(lambda s: trial.record_suspension(
        s, w.admin, cid, kind=TrialPause.APPRAISAL, started_on=TODAY, ended_on=None, approved_by_name="庭长",
        approved_on=TODAY, reason="委托司法鉴定").record.id)


def _pause(s, a, cid):  # type: ignore[no-untyped-def]
    return trial.record_suspension(s, a, cid, kind=TrialPause.APPRAISAL, started_on=TODAY, ended_on=None,
                                   approved_by_name="庭长", approved_on=TODAY, reason="委托司法鉴定")


ROWS: list[Row] = [
    # 执行咨询 (the drafting judge or assistant; the 执行局 replies)
    Row("enforcement_consultation.create", (P.CONSULT_DRAFT,), lambda w, a: w.new_case(),
        lambda s, a, cid: consult.create(s, a, cid)),
    Row("enforcement_consultation.save_draft", (P.CONSULT_DRAFT,), lambda w, a: consultation(w, a),
        lambda s, a, c: consult.save_draft(s, a, c, _changed(s, c))),
    Row("enforcement_consultation.discard", (P.CONSULT_DRAFT,), lambda w, a: consultation(w, a),
        lambda s, a, c: consult.discard(s, a, c)),
    Row("enforcement_consultation.send", (P.CONSULT_DRAFT,), lambda w, a: consultation(w, a),
        lambda s, a, c: consult.send(s, a, c, acknowledge_gaps=True)),
    Row("enforcement_advice.save_reply", (P.CONSULT_REPLY,), lambda w, a: consultation(w, a, "sent"),
        lambda s, a, c: advice.save_reply(s, a, c, _reply_data(s, c))),
    Row("enforcement_advice.submit_reply", (P.CONSULT_REPLY,), lambda w, a: consultation(w, a, "sent"),
        lambda s, a, c: advice.submit_reply(s, a, c, _reply_data(s, c))),
    Row("enforcement_consultation.record_adoption", (P.CONSULT_DRAFT,), lambda w, a: consultation(w, a, "replied"),
        lambda s, a, c: _adopt_all(s, a, c)),
    # 用户
    Row("admin_users.create_user", (P.USER_MANAGE,), lambda w, a: w.seed(),
        lambda s, a, n: admin_users.create_user(s, a, username=f"user{n}", display_name="新书记员", role=Role.CLERK,
                                                password="Matrix-5678")),
    Row("admin_users.update_user", (P.USER_MANAGE,), lambda w, a: w.new_user(),
        lambda s, a, uid: admin_users.update_user(s, a, uid, display_name="改名后的书记员")),
    Row("admin_users.set_active", (P.USER_MANAGE,), lambda w, a: w.new_user(),
        lambda s, a, uid: admin_users.set_active(s, a, uid, False)),
    Row("admin_users.reset_password", (P.USER_MANAGE,), lambda w, a: w.new_user(),
        lambda s, a, uid: admin_users.reset_password(s, a, uid, "Matrix-9012")),
    # 法院信息与组织机构 (actor None = first set-up, as the services document)
    Row("organisation.save_court_profile", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: organisation.save_court_profile(s, a, **{**organisation.profile_values(s),
                                                                 "phone": f"0433-{n:07d}"})),
    Row("organisation.add_department", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: organisation.add_department(s, a, f"派出法庭{n}", "tribunal")),
    Row("organisation.update_department", (P.SETTINGS_EDIT,), lambda w, a: department(w),
        lambda s, a, d: organisation.update_department(s, a, d, name=f"改名法庭{str(d)[:8]}")),
    Row("organisation.remove_department", (P.SETTINGS_EDIT,), lambda w, a: department(w),
        lambda s, a, d: organisation.remove_department(s, a, d)),
    Row("organisation.set_chief", (P.SETTINGS_EDIT,), lambda w, a: department(w),
        lambda s, a, d: organisation.set_chief(s, a, d, _uid(s, Role.DIVISION_CHIEF))),
    Row("organisation.set_overseer", (P.SETTINGS_EDIT,), lambda w, a: department(w),
        lambda s, a, d: organisation.set_overseer(s, a, d, _uid(s, Role.VICE_PRESIDENT))),
    # 设置
    Row("settings.set_many", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: settings.set_many(s, a, {"queues.near_due_days": 1 + n % 9})),
    Row("settings.reset", (P.SETTINGS_EDIT,),
        lambda w, a: w.write(lambda s: settings.set_many(s, w.admin, {"explanation.default_place": "诉讼服务中心"})),
        lambda s, a, _: settings.reset(s, a, "explanation.default_place")),
    Row("settings_transfer.import_data", (P.SETTINGS_TRANSFER,),
        lambda w, a: w.write(lambda s: settings_transfer.export_data(s)),
        lambda s, a, data: settings_transfer.import_data(s, a, _changed_export(data))),
    # 审限
    Row("clocks_trial_records.record_extension", (P.TRIAL_LIMIT_RECORD,), lambda w, a: in_trial(w, a),
        lambda s, a, cid: trial.record_extension(s, a, cid, months=3, approver_level=ApproverLevel.PRESIDENT,
                                                 approved_by_name="院长", approved_on=TODAY, reason="案情复杂")),
    Row("clocks_trial_records.record_suspension", (P.TRIAL_LIMIT_RECORD,), lambda w, a: in_trial(w, a),
        lambda s, a, cid: _pause(s, a, cid)),
    Row("clocks_trial_records.end_suspension", (P.TRIAL_LIMIT_RECORD,), lambda w, a: paused(w, a),
        lambda s, a, rid: trial.end_suspension(s, a, rid, TODAY)),
    Row("clocks_trial_records.void", (P.TRIAL_LIMIT_RECORD,), lambda w, a: paused(w, a),
        lambda s, a, rid: trial.void(s, a, rid, "登记错误")),
    # 审计记录 (the administrator; the viewing and the export are audited themselves)
    Row("audit_log.search", (P.AUDIT_VIEW,), lambda w, a: None,
        lambda s, a, _p: audit_log.search(s, a, AuditFilter(action="case."))),
    Row("audit_log.export", (P.AUDIT_VIEW,), lambda w, a: w.paths.root / "exports" / f"audit-{w.seed()}.xlsx",
        lambda s, a, out: audit_log.export(s, a, AuditFilter(action="case."), out, "xlsx")),
    Row("audit_log.verify", (P.AUDIT_VIEW,), lambda w, a: w,  # (its own sessions: the chain is read without a lock)
        lambda s, a, w: audit_log.verify(w.db, a), own_tx=True),
]


def _uid(s, role: Role):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return s.scalars(select(User.id).where(User.role == role, User.active.is_(True), User.username.like("x_%"))).first()


def _changed(s, cons_id):  # type: ignore[no-untyped-def]
    data = draft_of(consult.load(s, cons_id))
    data.questions = [*data.questions, f"第{len(data.questions) + 1}个问题：履行地点如何表述？"]
    return data


def _changed_export(data):  # type: ignore[no-untyped-def]
    out = dict(data)
    values = dict(out.get("settings") or {})
    values["queues.near_due_days"] = 7 if values.get("queues.near_due_days") != 7 else 6
    out["settings"] = values
    return out
