"""演示数据 scenarios for the judges' workflows, through the services: 执行咨询 (the judge's 执行咨询函, the
bureau's 执行建议, the judge's 采纳) and the judgment with its service dates and 判后答疑 at each tier
(承办法官 → 庭长 → 分管院长), with one 信访风险 flag and its 包案 leader."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from baihe_desk.models import Case, PartyRole, Procedure
from baihe_desk.models.enforcement import Measure, TermKind, TermsKind, Verdict
from baihe_desk.models.explanation import Channel, DecisionKind, ExplanationRequest, PartyDecision
from baihe_desk.services.admin.demo_ctx import Ctx
from baihe_desk.services.admin.demo_service import register, serve_judgment

# -- 执行咨询 ------------------------------------------------------------------------------------------------------


def _party(case: Case, role: PartyRole) -> str:
    return next(p.name for p in case.parties if p.role is role)


def _consultation(ctx: Ctx, stop: str, adoption: tuple[bool, bool] = (True, True)) -> None:
    """An in-trial case; the judge drafts a 执行咨询函 about the settlement terms (one term paid in
    instalments, a guarantor), then — up to ``stop`` — sends it, the bureau replies, the judge records 采纳."""
    from baihe_desk.models import PartyKind
    from baihe_desk.services.enforcement import advice as adv
    from baihe_desk.services.enforcement import consultation as svc
    from baihe_desk.services.enforcement.draft import PartyRow, draft_of
    from baihe_desk.services.enforcement.enforceability import Instalment, TermData

    judge, officer = ctx.u("faguan"), ctx.u("zhixing")
    sent_on, replied_on = ctx.ev(4 if stop != "sent" else 0), ctx.ev(2 if stop != "replied" else 0)
    case = register(ctx, ctx.day(40), ctx.day(38), "民间借贷纠纷", amount=ctx.rng.randint(6, 30) * 10000)
    plaintiff, defendant = _party(case, PartyRole.PLAINTIFF), _party(case, PartyRole.DEFENDANT)
    amount = Decimal(int(case.claim_amount or 60000))
    c = svc.create(ctx.s, judge, case.id, terms_kind=TermsKind.SETTLEMENT)
    data = draft_of(c)
    data.stage_note = "调解中，拟出具调解书"
    data.parties[1].assets = "工资收入；名下住房一套（二道白河镇）"
    data.parties.append(PartyRow("白河林海商贸有限公司", "担保人", PartyKind.ORGANISATION, "91222426MA0Y3B5K7X",
                                 assets="名下货车一辆"))
    half = (amount / 2).quantize(Decimal("0.01"))
    first = ctx.today + timedelta(days=60)
    data.terms = [TermData(
        kind=TermKind.MONEY, text=f"被告{defendant}分两期偿还原告{plaintiff}借款本金{amount}元。", obligors=defendant,
        obligees=plaintiff, amount=amount, perform_manner="转账支付至原告指定账户", guarantor="白河林海商贸有限公司",
        guarantee_mode="joint", guarantee_scope="本金及实现债权的费用",
        acceleration=f"任何一期未按期足额履行的，原告{plaintiff}有权就全部未付款项一并申请执行。",
        instalments=[Instalment(first, half), Instalment(date(first.year + 1, first.month, 1), amount - half)])]
    data.questions = ["担保人的责任期间如何表述？"]
    svc.save_draft(ctx.s, judge, c.id, data)
    if stop == "draft":
        return
    svc.send(ctx.s, judge, c.id, acknowledge_gaps=True, today=sent_on)
    if stop == "sent":
        return
    reply = adv.prefill(c)
    for item in reply.items:
        item.verdict = Verdict.ENFORCEABLE
    reply.items += [
        adv.ItemData(measure=Measure.PRESERVATION, suggestion="建议原告申请诉讼保全，查封被告名下住房。",
                     amount=amount),
        adv.ItemData(measure=Measure.SECURITY, suggestion="建议担保人提供其名下货车的登记信息，写明担保期间为两年。")]
    reply.answers = ["写明“保证期间为主债务履行期限届满之日起六个月”。"]
    reply.property_clues = "被告名下住房一套（不动产登记已查询）；工资账户在白河农村商业银行。"
    adv.submit_reply(ctx.s, officer, c.id, reply, today=replied_on)
    if stop == "replied":
        return
    items = [i for i in c.advice.items if i.is_suggestion] if c.advice else []
    decisions = {i.id: (flag, "" if flag else "原告不同意提供保全担保") for i, flag in zip(items, adoption, strict=True)}
    svc.record_adoption(ctx.s, judge, c.id, decisions, "" if all(adoption) else "部分建议与当事人意愿不符")


def consult_draft(ctx: Ctx) -> None:
    _consultation(ctx, "draft")


def consult_sent(ctx: Ctx) -> None:
    _consultation(ctx, "sent")


def consult_replied(ctx: Ctx) -> None:
    _consultation(ctx, "replied")


def consult_adopted(ctx: Ctx) -> None:
    _consultation(ctx, "adopted")


def consult_partly(ctx: Ctx) -> None:
    _consultation(ctx, "adopted", (True, False))


def consult_not_adopted(ctx: Ctx) -> None:
    _consultation(ctx, "adopted", (False, False))


# -- 判决与判后答疑 --------------------------------------------------------------------------------------------------

TIER_TEXT: dict[str, Any] = dict(  # (Any: record_tier also takes a non-text keyword)
    start_time="09:00", end_time="09:50", clerk_name="钱晓",
    questions="借条上的签名不是我签的，为什么认定借款成立？",
    answers="原告提交了借条原件和银行转账记录，转账金额、时间与借条一致；你方在举证期限内未申请笔迹鉴定。",
    legal_points="《中华人民共和国民法典》第六百七十五条；《最高人民法院关于民事诉讼证据的若干规定》第三十一条。",
)
PLACES = {1: "本院诉讼服务中心答疑室", 2: "民事审判庭庭长办公室", 3: "本院接待室"}
RESPONSES = {PartyDecision.ACCEPTS: "听明白了，服从判决。", PartyDecision.WILL_APPEAL: "我还是不服，准备上诉。",
             PartyDecision.STILL_OBJECTS: "仍然认为判决不公。"}


def judge_case(ctx: Ctx, *, pronounced: int = 14, served: int = 12, procedure: Procedure = Procedure.SIMPLE,
               amount: int | None = None) -> Case:
    """A case filed about four months before the end, judged ``pronounced`` days before it and served."""
    from baihe_desk.services.explanation.appeal import record_judgment

    case = register(ctx, ctx.day(pronounced + 110), ctx.day(pronounced + 108), "民间借贷纠纷", procedure=procedure,
                    amount=amount)
    record_judgment(ctx.s, ctx.u("faguan"), case.id, kind=DecisionKind.JUDGMENT, pronounced_on=ctx.day(pronounced),
                    summary="被告于判决生效之日起十日内偿还原告借款本金及利息。", on=ctx.today)
    serve_judgment(ctx, case, ctx.day(served))
    return case


def judged(ctx: Ctx) -> None:
    judge_case(ctx, pronounced=3, served=1)


def judged_small_claims(ctx: Ctx) -> None:
    """小额诉讼: 一审终审; the party asks anyway and accepts (再审 would go to this court)."""
    case = judge_case(ctx, pronounced=9, served=8, procedure=Procedure.SMALL_CLAIMS, amount=12000)
    _explanation(ctx, case, [PartyDecision.ACCEPTS], asked=5)


def _explanation(ctx: Ctx, case: Case, decisions: list[PartyDecision], *, asked: int = 6) -> ExplanationRequest:
    """判后答疑 requested by the defendant ``asked`` days before the end; one tier per decision, each held by
    the person it is assigned to, one or two days apart; the last one on the end day."""
    from baihe_desk.services.explanation import tiers as et

    clerk = ctx.u("lian")
    defendant = next(p for p in case.parties if p.role is PartyRole.DEFENDANT)
    req = et.open_request(ctx.s, clerk, case.id, party_id=defendant.id, channel=Channel.WINDOW,
                          questions=TIER_TEXT["questions"], received_on=ctx.ev(asked), categories=["证据采信"],
                          on=ctx.ev(asked))
    holders = {1: "faguan", 2: "tingzhang", 3: "yuanzhang"}
    for n, decision in enumerate(decisions, start=1):
        held = ctx.ev(2 * (len(decisions) - n))
        if n > 1:
            et.escalate(ctx.s, clerk, req.id, on=held)
        tier = et.current_tier(req)
        assert tier is not None
        et.record_tier(ctx.s, ctx.u(holders[n]), tier.id, held_on=held, place=PLACES[n],
                       attendees=f"被告{defendant.name}（身份已核实）", party_response=RESPONSES[decision],
                       decision=decision, on=ctx.today, **TIER_TEXT)
    return req


def explanation_open(ctx: Ctx) -> None:
    """申请登记 on the end day; tier 1 waits for the judge."""
    from baihe_desk.services.explanation import tiers as et

    case = judge_case(ctx, pronounced=6, served=4)
    defendant = next(p for p in case.parties if p.role is PartyRole.DEFENDANT)
    et.open_request(ctx.s, ctx.u("lian"), case.id, party_id=defendant.id, channel=Channel.PHONE,
                    questions="利息为什么从起诉之日起算？", received_on=ctx.ev(0), categories=["裁判主文含义"],
                    on=ctx.ev(0))


def explanation_tier2(ctx: Ctx) -> None:
    _explanation(ctx, judge_case(ctx), [PartyDecision.STILL_OBJECTS, PartyDecision.ACCEPTS])


def explanation_tier3(ctx: Ctx) -> None:
    _explanation(ctx, judge_case(ctx), [PartyDecision.STILL_OBJECTS] * 3)


def explanation_awaiting(ctx: Ctx) -> None:
    _explanation(ctx, judge_case(ctx), [PartyDecision.STILL_OBJECTS])


def explanation_closed(ctx: Ctx) -> None:
    """Tier 1 still objects; the party does not ask for tier 2 — closed."""
    from baihe_desk.services.explanation import tiers as et

    req = _explanation(ctx, judge_case(ctx), [PartyDecision.STILL_OBJECTS])
    et.close_request(ctx.s, ctx.u("lian"), req.id, note="当事人表示不再申请上一级答疑。", on=ctx.day(0))


def explanation_will_appeal(ctx: Ctx) -> None:
    """The party will appeal and says it will petition: 信访风险, taken by the 分管院长 (领导包案)."""
    from baihe_desk.services.explanation import risk

    case = judge_case(ctx)
    req = _explanation(ctx, case, [PartyDecision.WILL_APPEAL])
    reasons = risk.reason_options(ctx.s)[:1]
    risk.flag_risk(ctx.s, ctx.u("faguan"), case.id, reasons=reasons, leader_id=ctx.u("yuanzhang").id,
                   note="当事人情绪激动，表示要到上级机关反映。", request_id=req.id, on=ctx.day(0))
