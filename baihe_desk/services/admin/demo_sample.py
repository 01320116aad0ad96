"""演示数据 through the services: the representative sample of the demo (see ``demo``'s docstring).

Each scenario of :data:`demo_flows.SCENARIOS` makes one case the way the window, the mediator, the judge and
the enforcement bureau would: 收件登记 (``intake.create_case``), 送达地址 and 核实, 立案审查 rounds, then its
workflow's steps, each by the user whose work it is and each audited. The dates run back from an ``end``
day per scenario: about half of them (marked in :data:`demo_flows.SCENARIOS`) end in the current month of
``today`` (so the 统计分析 page opens on non-zero figures for every workflow), the others up to a few months back. Deterministic for a seed and a day.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.models import Case, Department, PartyKind, PartyRole, Procedure, Role, User
from baihe_desk.models.mediation import MediationOrganisation, Mediator
from baihe_desk.models.review import Answer, ReviewOutcome
from baihe_desk.models.service_address import AddressSource, VerificationMethod, VerificationResult
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.common import audit
from baihe_desk.storage.db import Database

# the roster's mediators: (username, name, organisation, specialties); tiaojie is one of the demo users
MEDIATORS = [
    ("tiaojie", "董秀兰", "董嫂说事点", "婚姻家庭、邻里纠纷、旅游纠纷"),
    ("tiaojie2", "王淑芬", "白河林区基层法院诉非联动服务站", "民间借贷、买卖合同、物业服务"),
    ("tiaojie3", "韩立新", "“法院+银行”金融纠纷调解室", "金融借款、信用卡"),
]


def sample_size(cases: int) -> int:
    """How many of ``cases`` are made through the services: a quarter, one per scenario at most."""
    from baihe_desk.services.admin.demo_flows import SCENARIOS

    return min(len(SCENARIOS), cases // 4)


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return user


def prepare(db: Database, *, seed: int, result) -> None:  # type: ignore[no-untyped-def]
    """The mediation roster (调解组织名册, from the court's defaults) and its mediators with their logins."""
    from baihe_desk.services.admin import users as user_svc
    from baihe_desk.services.admin.demo import demo_password
    from baihe_desk.services.mediation import roster

    with db.transaction() as s:
        admin = _user(s, "admin")
        roster.install_defaults(s, admin)
        station = s.scalar(select(Department).where(Department.name == "诉非联动服务站"))
        for username, name, org_name, specialties in MEDIATORS:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                password = demo_password(username, seed)
                user = user_svc.create_user(s, admin, username=username, display_name=name, role=Role.MEDIATOR,
                                            password=password, department_id=station.id if station else None,
                                            phone=dd.mobile(random.Random(username)))
                result.users.append((username, password, Role.MEDIATOR.label))
            if roster.mediator_of_user(s, user.id) is None:
                org = s.scalar(select(MediationOrganisation).where(MediationOrganisation.name == org_name))
                assert org is not None, org_name
                roster.add_mediator(s, admin, org.id, user.id, name=name, specialties=specialties)


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
            self.users[username] = _user(self.s, username)
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


def end_day(i: int, today: date, in_month: bool) -> date:
    """The last day of scenario ``i``: in today's month, or 1–15 weeks back."""
    if in_month:
        return today - timedelta(days=(i * 3) % today.day)
    return today - timedelta(days=7 + (i * 13) % 100)


def run(db: Database, paths: Paths, *, count: int, seed: int, today: date, court_code: str) -> int:
    """Run the first ``count`` scenarios, one transaction each; returns the number of cases made."""
    from baihe_desk.services.admin.demo_flows import SCENARIOS

    paths.ensure()
    for i, (_name, scenario, in_month) in enumerate(SCENARIOS[:count]):
        with db.transaction() as s:
            floor = today.replace(day=1) if in_month else date.min
            ctx = Ctx(s, paths, today, end_day(i, today, in_month), random.Random(f"{seed}-{i}"), court_code, floor)
            scenario(ctx)
    return count


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
    from baihe_desk.services.admin.demo_rows import RISK_SHARE
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
    rnd = cr.resubmit(ctx.s, clerk, case, on) if resubmit else cr.start_review(ctx.s, clerk, case, on)
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


def register(ctx: Ctx, received: date, filed: date, cause: str = "民间借贷纠纷", *, in_trial: bool = True,
             at_risk: bool | None = None, **kw) -> Case:  # type: ignore[no-untyped-def]
    """收件 → 立案审查 → 登记立案 (民初 number) → 分案, with the 起诉状副本 served on the defendants (not yet
    when their address is unconfirmed: 送达风险)."""
    from baihe_desk.services.admin.demo_service import serve_complaint
    from baihe_desk.services.filing import service_address as sa

    case = new_case(ctx, received, cause, at_risk=at_risk, **kw)
    review(ctx, case, filed, ReviewOutcome.REGISTERED)
    assign_judge(ctx, case, filed, in_trial=in_trial)
    if not sa.address_risks(case).flagged:
        serve_complaint(ctx, case, filed + timedelta(days=1))
    return case
