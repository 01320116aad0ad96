"""演示数据: what a scenario of the sample works with (:class:`Ctx`) and the window's first steps through the
services — 收件登记 with the defendants' 送达地址 and 核实, 立案审查 rounds (with the 补正通知书 handed out), 分案."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.models import Case, PartyKind, PartyRole, Procedure, User
from baihe_desk.models.mediation import Mediator
from baihe_desk.models.review import Answer, ReviewOutcome
from baihe_desk.models.service_address import AddressSource, VerificationMethod, VerificationResult
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.admin.demo_rows import RISK_SHARE
from baihe_desk.services.common import audit


def user_named(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return user


@dataclass
class Ctx:
    """What a scenario works with: the session, the people, the folders, the day it ends and a random source."""

    s: Session
    paths: Paths
    today: date
    end: date
    rng: random.Random
    court_code: str
    floor: date = date.min  # in-month scenarios: the first of today's month (see :meth:`ev`)
    users: dict[str, User] = field(default_factory=dict)

    def u(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = user_named(self.s, username)
        return self.users[username]

    def day(self, days_before_end: int) -> date:
        """A day of the case's history (receipt, filing, judgment): ``n`` days before the end."""
        return self.end - timedelta(days=days_before_end)

    def ev(self, days_before_end: int) -> date:
        """A day of a counted event (审查决定, 调解, 咨询, 答疑申请): like :meth:`day`, but an in-month scenario
        keeps it in the month (early in a month several steps fall on its first day), so the statistics of
        the current month count every workflow."""
        return max(self.day(days_before_end), self.floor)

    def mediator(self, username: str) -> tuple[uuid.UUID, uuid.UUID]:
        """(organisation id, mediator id) of a roster mediator."""
        m = self.s.scalar(select(Mediator).where(Mediator.user_id == self.u(username).id))
        assert m is not None
        return m.organisation_id, m.id


# -- 收件登记 ------------------------------------------------------------------------------------------------------

CLAIMS = {
    "民间借贷纠纷": "请求判令被告偿还借款本金{amt}元及利息",
    "物业服务合同纠纷": "请求判令被告支付物业服务费{amt}元",
    "买卖合同纠纷": "请求判令被告支付货款{amt}元及逾期付款损失",
    "金融借款合同纠纷": "请求判令被告偿还借款本金{amt}元及利息、罚息",
    "信用卡纠纷": "请求判令被告偿还信用卡透支本金{amt}元及利息",
    "旅游合同纠纷": "请求判令被告退还旅游费用{amt}元",
    "劳务合同纠纷": "请求判令被告支付劳务报酬{amt}元",
    "房屋租赁合同纠纷": "请求判令被告支付租金{amt}元",
    "机动车交通事故责任纠纷": "请求判令被告赔偿医疗费、误工费等各项损失共计{amt}元",
}
BANK_CAUSES = ("金融借款合同纠纷", "信用卡纠纷")


def _person(ctx: Ctx, role: PartyRole):  # type: ignore[no-untyped-def]
    from baihe_desk.services.filing.intake import PartyInput

    rng = ctx.rng
    region = rng.choice(dd.REGIONS)
    male = rng.random() < 0.5
    birth = dd.random_date(rng, date(1955, 1, 1), date(2000, 12, 31))
    return PartyInput(role=role, kind=PartyKind.NATURAL, name=dd.person_name(rng), sex="男" if male else "女",
                      birth_date=birth, ethnicity=rng.choice(dd.ETHNICITIES), occupation=rng.choice(dd.OCCUPATIONS),
                      id_number=dd.make_id_number(rng, region[0], birth, male), domicile=dd.address(rng, region),
                      phone=dd.mobile(rng))


def _organisation(ctx: Ctx, role: PartyRole, name: str = ""):  # type: ignore[no-untyped-def]
    from baihe_desk.services.filing.intake import PartyInput

    rng = ctx.rng
    region = rng.choice(dd.REGIONS)
    return PartyInput(role=role, kind=PartyKind.ORGANISATION, name=name or dd.org_name(rng, region[2]),
                      credit_code=dd.make_credit_code(rng, region[0]), legal_rep_name=dd.person_name(rng),
                      legal_rep_title=rng.choice(dd.REP_TITLES), domicile=dd.address(rng, region), phone=dd.mobile(rng))


def new_case(ctx: Ctx, received: date, cause: str = "民间借贷纠纷", *, amount: int | None = None,
             procedure: Procedure | None = Procedure.SIMPLE, org_defendant: bool = False,
             at_risk: bool | None = None) -> Case:
    """收件登记 by the window, with the defendants' 送达地址 recorded and checked (``at_risk``: not confirmed;
    by default one case in five, as in the bulk)."""
    from baihe_desk.services.filing.intake import CaseInput, create_case

    rng = ctx.rng
    at_risk = rng.random() < RISK_SHARE if at_risk is None else at_risk
    amount = amount if amount is not None else rng.choice([rng.randint(3, 45) * 1000, rng.randint(50, 400) * 1000])
    plaintiff = _organisation(ctx, PartyRole.PLAINTIFF, "白河农村商业银行股份有限公司") if cause in BANK_CAUSES \
        else _person(ctx, PartyRole.PLAINTIFF)
    defendant = _organisation(ctx, PartyRole.DEFENDANT) if org_defendant else _person(ctx, PartyRole.DEFENDANT)
    claims = CLAIMS.get(cause, "请求判令被告赔偿损失{amt}元").format(amt=f"{amount:,}")
    data = CaseInput(cause_name=cause, procedure=procedure, claim_amount=Decimal(amount), claims=claims,
                     facts=f"原、被告之间因{cause.removesuffix('纠纷')}发生争议，经多次协商未果，故诉至法院。",
                     received_on=received, parties=[plaintiff, defendant])
    case = create_case(ctx.s, ctx.u("lian"), data, court_code=ctx.court_code)
    addresses(ctx, case, received, at_risk=at_risk)
    return case


def addresses(ctx: Ctx, case: Case, on: date, *, at_risk: bool = False) -> None:
    """The defendants' 送达地址: 户籍 / 工商登记 confirmed by a query; ``at_risk``: the 起诉状 address, not found."""
    from baihe_desk.services.filing import service_address as sa

    clerk = ctx.u("lian")
    for party in (p for p in case.parties if p.role is PartyRole.DEFENDANT):
        org = party.kind is PartyKind.ORGANISATION
        if at_risk:
            row = sa.add_address(ctx.s, clerk, party, AddressSource.COMPLAINT, party.domicile, as_of=on)
            sa.verify_address(ctx.s, clerk, row, VerificationMethod.PHONE, VerificationResult.UNREACHABLE, on,
                              note="所留电话无人接听")
            continue
        source = AddressSource.BUSINESS_REGISTRATION if org else AddressSource.HOUSEHOLD
        row = sa.add_address(ctx.s, clerk, party, source, party.domicile, as_of=on)
        method = VerificationMethod.ENTERPRISE_QUERY if org else VerificationMethod.HOUSEHOLD_QUERY
        sa.verify_address(ctx.s, clerk, row, method, VerificationResult.CONFIRMED, on)


# -- 立案审查 ------------------------------------------------------------------------------------------------------

FAIL_ITEMS = {  # the item a demo review finds wanting, by the outcome it leads to, with the clerk's note
    "correction": [("comp.evidence", "未提交借条、转账凭证等证据原件或复印件"),
                   ("mat.copies", "未按被告人数提交起诉状副本")],
    "redirect": [("s127.arbitration", "双方合同约定争议提交延边仲裁委员会仲裁")],
    "reject": [("s127.duplicate", "原告曾就同一纠纷起诉，本院已作出生效判决")],
}


def review(ctx: Ctx, case: Case, on: date, outcome: ReviewOutcome, *, fail: str = "", resubmit: bool = False):  # type: ignore[no-untyped-def]
    """One round of 立案审查 by the window: every item answered (符合, or 不适用 where the system proposes it),
    ``fail`` the consequence whose first applicable item is 不符合; then :func:`finish` with ``outcome``."""
    from baihe_desk.services.filing import complaint_review as cr

    clerk = ctx.u("lian")
    # the 7-day period runs from the materials: the complaint's receipt, or the corrected materials (that day)
    rnd = cr.resubmit(ctx.s, clerk, case, on) if resubmit else cr.start_review(ctx.s, clerk, case, case.received_on)
    sheet = cr.review_sheet(ctx.s, rnd)
    wanted = dict(FAIL_ITEMS.get(fail, []))
    failing = next((r.item.id for r in sheet if r.item.id in wanted), None)
    if fail and failing is None:
        failing = next(r.item.id for r in sheet if r.item.consequence == fail)
    for row in sheet:
        if row.item.id == failing:
            cr.answer(ctx.s, clerk, rnd, row.item.id, Answer.FAIL, wanted.get(row.item.id, ""))
        else:
            keep = row.answer if row.answer in (Answer.PASS, Answer.NA) else Answer.PASS
            cr.answer(ctx.s, clerk, rnd, row.item.id, keep)
    result = cr.finish(ctx.s, clerk, rnd, outcome, decided_on=on, party_insists=outcome is ReviewOutcome.REJECTED
                       and fail == "redirect")
    if outcome is ReviewOutcome.CORRECTION:
        generate(ctx, "correction-notice", case, {"review_id": str(rnd.id)})
    return result


def generate(ctx: Ctx, kind: str, case: Case, options: dict | None = None) -> None:
    from baihe_desk.services.common import documents

    documents.generate(ctx.s, ctx.u("lian"), kind, case.id, ("pdf", "docx"), paths=ctx.paths, options=options)


def assign_judge(ctx: Ctx, case: Case, on: date, *, in_trial: bool = True) -> None:
    """分案: the case goes to the civil division's judge (the desk has no 分案 service yet: the demo records it
    as the case-list import does, audited as ``case.assign``) and, once the parties are served, 审理中."""
    from baihe_desk.models import Stage

    judge = ctx.u("faguan")
    before = audit.snapshot(case, ["judge_id", "department_id", "stage"])
    case.judge_id, case.department_id = judge.id, judge.department_id
    if in_trial:
        case.stage = Stage.IN_TRIAL
    ctx.s.flush()
    audit.record(ctx.s, ctx.u("admin"), "case.assign", entity="case", entity_id=case.id, before=before,
                 after={**audit.snapshot(case, ["judge_id", "department_id", "stage"]), "on": on, "by": "demo"})
