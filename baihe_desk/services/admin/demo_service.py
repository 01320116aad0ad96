"""演示数据: 送达 through the services — the 起诉状副本 served on the defendants with a realistic mix of methods
(法院专递 signed, 直接送达, a returned letter followed by a visit and 留置送达, 电子送达 after a signed 送达地址
确认书, 公告送达 in an ordinary-procedure case whose defendant cannot be found), and the judgment served on
every party with its service date registered for the appeal countdown."""

from __future__ import annotations

from datetime import date, timedelta

from baihe_desk.models import Case, PartyRole, Procedure
from baihe_desk.models.review import ReviewOutcome
from baihe_desk.models.service_address import (
    ServedDocument,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.admin.demo_ctx import Ctx, assign_judge, new_case, review

MIX = ("post", "post", "direct", "returned_then_left", "electronic")  # the usual ways, in proportion


def _tracking(ctx: Ctx) -> str:
    return f"1{ctx.rng.randrange(10**11):011d}"


def serve_complaint(ctx: Ctx, case: Case, on: date, *, how: str = "") -> None:
    """起诉状副本、应诉通知书 served on each defendant at its confirmed address."""
    from baihe_desk.services.filing import service_address as sa
    from baihe_desk.services.filing.service_inputs import AttemptInput, ConfirmationInput

    clerk = ctx.u("lian")
    on = min(on, ctx.today)
    title = f"起诉状副本（{case.case_number}）"
    for party in (p for p in case.parties if p.role is PartyRole.DEFENDANT):
        way = how or ctx.rng.choice(MIX)
        address = next(iter(sa.addresses_of(ctx.s, party)), None)
        aid = address.id if address else None
        if way == "post":
            signed = min(on + timedelta(days=ctx.rng.randint(1, 4)), ctx.today)
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.POST, ServedDocument.COMPLAINT_COPY, on, ServiceResult.SIGNED, aid, title,
                signed_on=signed, signer="本人", tracking_number=_tracking(ctx), receipt_ref="法院专递回执"))
        elif way == "direct":
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.DIRECT, ServedDocument.COMPLAINT_COPY, on, ServiceResult.SIGNED, aid, title,
                signer="本人", receipt_ref="送达回证"))
        elif way == "returned_then_left":
            returned = min(on + timedelta(days=3), ctx.today)
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.POST, ServedDocument.COMPLAINT_COPY, on, ServiceResult.RETURNED, aid, title,
                returned_on=returned, tracking_number=_tracking(ctx), note="邮件退回：收件人拒绝签收"))
            if address is not None:
                sa.verify_address(ctx.s, clerk, address, VerificationMethod.GRID_WORKER, VerificationResult.CONFIRMED,
                                  returned, verifier_name="网格员 " + ctx.rng.choice(["张海", "刘彤", "金美善"]),
                                  note="被告仍在该地址居住")
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.LEFT, ServedDocument.COMPLAINT_COPY, returned, ServiceResult.LEFT_AT_RESIDENCE, aid,
                title, signer="被告拒绝签收", witnesses="社区网格员到场见证", media_record="执法记录仪录像已存卷"))
        elif way == "electronic":
            sa.record_confirmation(ctx.s, clerk, party, ConfirmationInput(
                text=party.domicile, confirmed_on=on, confirmed_by_name=party.name, phone=party.phone,
                e_service_consent=True, e_mobile=party.phone or "13904330000"))
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.ELECTRONIC, ServedDocument.COMPLAINT_COPY, on, ServiceResult.SENT, None, title,
                e_channel="mobile", note="短信送达系统显示发送成功"))
        elif way == "public_notice":
            assert case.procedure is Procedure.ORDINARY
            sa.record_attempt(ctx.s, clerk, case, party, AttemptInput(
                ServiceMethod.PUBLIC_NOTICE, ServedDocument.COMPLAINT_COPY, on, ServiceResult.PUBLISHED, aid, title,
                notice_days=30, note="被告下落不明，经户籍地走访、电话联系均无法送达，在人民法院报公告送达"))


def serve_judgment(ctx: Ctx, case: Case, on: date) -> None:
    """The judgment served on every party directly (送达回证), and its service date registered per party."""
    from baihe_desk.services.explanation.appeal import set_service
    from baihe_desk.services.filing import service_address as sa
    from baihe_desk.services.filing.service_inputs import AttemptInput

    judge = ctx.u("faguan")
    for i, party in enumerate(case.parties):
        day = min(on + timedelta(days=i), ctx.today)
        address = next(iter(sa.addresses_of(ctx.s, party)), None)
        sa.record_attempt(ctx.s, judge, case, party, AttemptInput(
            ServiceMethod.DIRECT, ServedDocument.JUDGMENT, day, ServiceResult.SIGNED, address.id if address else None,
            f"民事判决书（{case.case_number}）", signer="本人", receipt_ref="送达回证"))
        set_service(ctx.s, judge, case.id, party.id, day, source="送达回证", on=ctx.today)


def register(ctx: Ctx, received: date, filed: date, cause: str = "民间借贷纠纷", *, in_trial: bool = True,
             at_risk: bool | None = None, **kw) -> Case:  # type: ignore[no-untyped-def]
    """收件 → 立案审查 → 登记立案 (民初 number) → 分案, with the 起诉状副本 served on the defendants (not yet
    when their address is unconfirmed: 送达风险)."""
    from baihe_desk.services.filing import service_address as sa

    case = new_case(ctx, received, cause, at_risk=at_risk, **kw)
    review(ctx, case, filed, ReviewOutcome.REGISTERED)
    assign_judge(ctx, case, filed, in_trial=in_trial)
    if not sa.address_risks(case).flagged:
        serve_complaint(ctx, case, filed + timedelta(days=1))
    return case
