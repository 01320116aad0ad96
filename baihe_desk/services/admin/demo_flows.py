"""演示数据 scenarios (one case each, through the services): 立案审查 and 诉前调解 here, 执行咨询 and 判后答疑 in
``demo_flows_judge``; :data:`SCENARIOS` lists them all in the order the sample takes them (the most telling
first, so a small demo still shows every workflow). ``ctx.day(n)`` is ``n`` days before the scenario's end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from baihe_desk.models import Case, PartyRole, Procedure
from baihe_desk.models.mediation import MediationCase, MediationOutcome, PartyChoice, SuspensionKind
from baihe_desk.models.review import ReviewOutcome
from baihe_desk.services.admin import demo_flows_judge as j
from baihe_desk.services.admin.demo_ctx import Ctx, assign_judge, new_case, review
from baihe_desk.services.admin.demo_service import register, serve_complaint

# -- 立案审查 ------------------------------------------------------------------------------------------------------


def review_open(ctx: Ctx) -> None:
    """收件, 审查 begun (the system's proposals waiting for the clerk)."""
    from baihe_desk.services.filing import complaint_review as cr

    case = new_case(ctx, ctx.ev(1), "买卖合同纠纷")
    cr.start_review(ctx.s, ctx.u("lian"), case, case.received_on)


def received_at_risk(ctx: Ctx) -> None:
    """收件 today, the defendant's address not confirmed: 送达风险."""
    new_case(ctx, ctx.day(0), "房屋租赁合同纠纷", at_risk=True)


def correction(ctx: Ctx, cause: str = "民间借贷纠纷") -> None:
    """审查 → 通知补正 with its 补正通知书 (待补正)."""
    case = new_case(ctx, ctx.ev(2), cause)
    review(ctx, case, ctx.ev(0), ReviewOutcome.CORRECTION, fail="correction")


def correction_sale(ctx: Ctx) -> None:
    correction(ctx, "买卖合同纠纷")


def correction_then_filed(ctx: Ctx) -> None:
    """Round 1 补正, round 2 on the corrected materials → 登记立案."""
    case = new_case(ctx, ctx.day(24), "劳务合同纠纷")
    review(ctx, case, ctx.day(22), ReviewOutcome.CORRECTION, fail="correction")
    review(ctx, case, ctx.ev(2), ReviewOutcome.REGISTERED, resubmit=True)
    assign_judge(ctx, case, ctx.ev(2))
    serve_complaint(ctx, case, ctx.ev(1), how="electronic")


def rejected(ctx: Ctx) -> None:
    case = new_case(ctx, ctx.ev(4), "民间借贷纠纷")
    review(ctx, case, ctx.ev(0), ReviewOutcome.REJECTED, fail="reject")


def redirected(ctx: Ctx) -> None:
    case = new_case(ctx, ctx.ev(3), "买卖合同纠纷")
    review(ctx, case, ctx.ev(0), ReviewOutcome.REDIRECTED, fail="redirect")


def filed_post(ctx: Ctx) -> None:
    case = register(ctx, ctx.ev(3), ctx.ev(1), "物业服务合同纠纷", in_trial=False, at_risk=False)
    serve_complaint(ctx, case, ctx.ev(0), how="direct")


def filed_public_notice(ctx: Ctx) -> None:
    """普通程序: the defendant cannot be found, 公告送达."""
    case = register(ctx, ctx.day(45), ctx.day(43), "民间借贷纠纷", amount=380000, procedure=Procedure.ORDINARY,
                    at_risk=True)
    serve_complaint(ctx, case, ctx.day(40), how="public_notice")


# -- 诉前调解 ------------------------------------------------------------------------------------------------------

STEPS = ("recommend", "notice", "choice", "assign", "accept", "session", "outcome")
AGREEMENT = "双方确认被告于{d}前一次性给付原告{amt}元，原告放弃其余诉讼请求；案件受理费由原告负担。"
FAILED_NOTE = {
    MediationOutcome.FAILED: "双方对给付数额分歧较大，难以达成协议。",
    MediationOutcome.WITHDRAWN: "原告撤回调解申请，要求立案审理。",
    MediationOutcome.UNREACHABLE: "调解期限内多次电话联系被告均无人接听，上门亦未找到。",
    MediationOutcome.REFUSED: "被告明确表示不愿继续调解。",
    MediationOutcome.EXPIRED: "调解期限届满未达成协议，当事人未同意延长。",
}


def mediation(ctx: Ctx, stop: str, *, cause: str = "民间借贷纠纷", mediator: str = "tiaojie",
              outcome: MediationOutcome | None = None, refer: bool = True, choice: PartyChoice = PartyChoice.AGREE,
              suspension: bool = False, span: int = 8) -> MediationCase:
    """A case at the window taken through the 诉前调解 steps up to ``stop`` (the last one on the end day)."""
    from baihe_desk.services.mediation import outcome as out
    from baihe_desk.services.mediation import referral, station

    clerk, who = ctx.u("lian"), ctx.u(mediator)
    last = STEPS.index(stop)
    accept_days = 40 if outcome is MediationOutcome.EXPIRED else span
    days = {"recommend": accept_days + 4, "notice": accept_days + 4, "choice": accept_days + 3,
            "assign": accept_days + 1, "accept": accept_days, "session": max(accept_days - 3, 1), "outcome": 0}
    shift = days[stop]  # the last step lands on the end day
    pick = ctx.day if outcome is MediationOutcome.EXPIRED else ctx.ev  # 期限届满 needs its 30 days
    on = {k: pick(v - shift) for k, v in days.items()}
    case = new_case(ctx, on["recommend"], cause, org_defendant=cause in ("物业服务合同纠纷", "旅游合同纠纷"))
    reason = "双方当事人均表示愿意先行调解" if refer else "原告明确表示不同意调解，要求直接立案"
    m = referral.recommend(ctx.s, clerk, case.id, refer=refer, override_reason=reason, on=on["recommend"])
    if not refer or last < 1:
        return m
    referral.hand_out_notice(ctx.s, clerk, m.id, paths=ctx.paths, given_on=on["notice"])
    if last < 2:
        return m
    referral.record_choice(ctx.s, clerk, m.id, choice, on["choice"])
    if choice is PartyChoice.REFUSE or last < 3:
        return m
    org_id, mediator_id = ctx.mediator(mediator)
    referral.assign(ctx.s, clerk, m.id, org_id, mediator_id, on=on["assign"])
    if last < 4:
        return m
    station.accept(ctx.s, who, m.id, accepted_on=on["accept"], today_=ctx.today)
    if suspension:
        station.start_suspension(ctx.s, who, m.id, SuspensionKind.APPRAISAL, on["accept"] + timedelta(days=1),
                                 institution="延边正信司法鉴定中心", note="对原告的伤残等级进行鉴定", today_=ctx.today)
    if last < 5:
        return m
    if outcome is not MediationOutcome.UNREACHABLE:
        plaintiff, defendant = (next(p.name for p in case.parties if p.role is r)
                                for r in (PartyRole.PLAINTIFF, PartyRole.DEFENDANT))
        subject = cause.removesuffix("纠纷")
        place = m.organisation.name if m.organisation else "诉非联动服务站"
        station.add_session(ctx.s, who, m.id, station.SessionInput(
            held_on=on["session"], attendees=f"原告{plaintiff}、被告{defendant}、调解员{who.display_name}",
            place=place, agreed=f"双方对{subject}关系及其基本事实无异议",
            disputed="" if outcome and outcome.agreement else "给付数额和履行期限"), today_=ctx.today)
    if last < 6 or outcome is None:
        return m
    _outcome(ctx, m, case, outcome, on["outcome"], out, who)
    return m


def _outcome(ctx: Ctx, m: MediationCase, case: Case, outcome: MediationOutcome, day, out, who) -> None:  # type: ignore[no-untyped-def]
    amount = int((case.claim_amount or 10000) * 8 / 10)
    data = out.OutcomeInput(outcome=outcome, on=day, joint_application=outcome is MediationOutcome.CONFIRMATION)
    if outcome.agreement:
        data.agreement_text = AGREEMENT.format(d=f"{(day + timedelta(days=30)):%Y年%m月%d日}", amt=f"{amount:,}")
    else:
        data.undisputed_facts = f"原、被告之间存在{case.cause_name.removesuffix('纠纷')}关系的事实，双方均无异议。"
        data.note = FAILED_NOTE[outcome]
    out.record_outcome(ctx.s, who, m.id, data, today_=day)


def _m(stop: str, **kw) -> Callable[[Ctx], None]:  # type: ignore[no-untyped-def]
    def scenario(ctx: Ctx) -> None:
        mediation(ctx, stop, **kw)

    scenario.__name__ = f"mediation_{stop}_{kw.get('outcome', '')}"
    return scenario


MO = MediationOutcome


def _scenarios() -> list[tuple[str, Callable[[Ctx], None], bool]]:
    """(label, scenario, ends in the current month) — about half in the month, at least one per workflow."""
    return [
        ("补正", correction, True),
        ("调解中（董嫂说事点）", _m("session", cause="旅游合同纠纷"), True),
        ("执行咨询已发送", j.consult_sent, True),
        ("判后答疑第一级待答疑", j.explanation_open, True),
        ("调解成功·司法确认", _m("outcome", outcome=MO.CONFIRMATION), True),
        ("调解成功·调解书（银行）", _m("outcome", cause="金融借款合同纠纷", mediator="tiaojie3",
                                 outcome=MO.MEDIATION_DOCUMENT), False),
        ("执行建议已采纳", j.consult_adopted, True),
        ("判后答疑第二级服判息诉", j.explanation_tier2, True),
        ("当事人同意调解，待委派", _m("choice"), True),
        ("调解终结·分歧较大", _m("outcome", cause="买卖合同纠纷", mediator="tiaojie2", outcome=MO.FAILED), True),
        ("不予受理", rejected, True),
        ("判后答疑第三级仍有异议", j.explanation_tier3, True),
        ("补正后立案", correction_then_filed, True),
        ("已委派待签收", _m("assign", cause="物业服务合同纠纷"), False),
        ("执行建议已回复", j.consult_replied, True),
        ("已判决（小额诉讼）", j.judged_small_claims, False),
        ("已发放告知书", _m("notice"), True),
        ("调解成功·自行履行", _m("outcome", cause="物业服务合同纠纷", outcome=MO.SELF_PERFORMANCE), False),
        ("执行建议部分采纳", j.consult_partly, False),
        ("判后答疑第一级将上诉（信访风险）", j.explanation_will_appeal, False),
        ("收件·送达风险", received_at_risk, True),
        ("调解中·鉴定", _m("accept", cause="生命权、身体权、健康权纠纷", suspension=True), False),
        ("执行建议未采纳", j.consult_not_adopted, False),
        ("判后答疑待提请上一级", j.explanation_awaiting, False),
        ("审查中", review_open, True),
        ("补正（买卖合同）", correction_sale, False),
        ("告知另行处理", redirected, False),
        ("已建议待发告知书", _m("recommend"), True),
        ("当事人不同意调解", _m("choice", choice=PartyChoice.REFUSE), True),
        ("不引导诉前调解", _m("recommend", refer=False, cause="离婚纠纷"), True),
        ("调解终结·撤回", _m("outcome", mediator="tiaojie2", outcome=MO.WITHDRAWN), False),
        ("调解终结·无法联系", _m("outcome", cause="信用卡纠纷", mediator="tiaojie3", outcome=MO.UNREACHABLE), False),
        ("调解终结·拒绝", _m("outcome", cause="房屋租赁合同纠纷", outcome=MO.REFUSED), False),
        ("调解终结·期限届满", _m("outcome", mediator="tiaojie2", outcome=MO.EXPIRED), False),
        ("执行咨询草稿", j.consult_draft, False),
        ("已立案·法院专递", filed_post, True),
        ("公告送达", filed_public_notice, False),
        ("判后答疑答疑后终结", j.explanation_closed, False),
        ("已判决", j.judged, True),
    ]


SCENARIOS = _scenarios()
