"""One database with a case for every document kind, built through the services a clerk uses, and every kind
rendered to PDF and DOCX from it (the LibreOffice comparison and the wording tests use it).

- pre-filing (收件): 诉前调解告知书, 送达地址确认书 (a company as plaintiff: 你单位, 签名（盖章）);
- a review round ended with 通知补正: 补正通知书;
- registered (登记立案, 简易程序, 12,800 元): 受理案件通知书, 交纳诉讼费用通知书;
- a small-claims judgment with a recorded 判后答疑 tier: 判后答疑笔录;
- an enforcement consultation with gaps, and the bureau's reply: 执行咨询函, 执行建议;
- March 2026 statistics: 周通报 (2026-W10) and 月分析 (2026-03).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from baihe_desk.models import Case, PartyKind, PartyRole, Procedure, Role
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case

NOW = datetime(2026, 11, 26, 2, 0, 0, tzinfo=UTC)
RECEIVED = today_local() - timedelta(days=4)
CASE_KINDS = ("mediation-notice", "address-confirmation", "correction-notice", "acceptance-notice", "fee-notice",
              "explanation-record", "enforcement-consultation", "enforcement-advice")
REPORT_KINDS = ("weekly-bulletin", "monthly-analysis")


@dataclass
class World:
    refs: dict[str, str] = field(default_factory=dict)  # kind → 案号 / 收件号 of its case
    ids: dict[str, object] = field(default_factory=dict)
    actor: object = None  # who renders them (the window's clerk)


def _intake(db, clerk, *, company: bool = False, amount: str = "12800", cause: str = "民间借贷纠纷") -> Case:
    rng = random.Random(3)
    if company:
        plaintiff = PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION, name="白河林海商贸有限公司",
                               credit_code=dd.make_credit_code(rng, "222426"), legal_rep_name="孙立军", legal_rep_title="经理",
                               domicile="吉林省安图县二道白河镇长白山大街8号", phone="0433-5712345")
    else:
        plaintiff = PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃",
                               id_number=dd.make_id_number(rng, "222426", date(1986, 4, 12), male=True),
                               ethnicity="汉族", occupation="个体经营者", domicile="吉林省安图县二道白河镇白山大街1号",
                               phone="13943301234")
    data = CaseInput(cause_name=cause, claim_amount=amount, claims=f"请求判令被告偿还借款{amount}元",
                     facts="被告借款未还。", received_on=RECEIVED, parties=[
                         plaintiff,
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥",
                                    domicile="吉林省安图县松江镇1号")])
    with db.transaction() as s:
        return create_case(s, clerk, data, court_code="吉7502")


def _review(db, clerk, case_id, outcome: str, failures: dict[str, str]):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        for item, note in failures.items():
            cr.answer(s, clerk, review, item, "fail", note)
        for row in cr.review_sheet(s, review):
            if row.answer is None or row.prefilled:
                cr.answer(s, clerk, review, row.item.id, row.answer or "pass")
        cr.finish(s, clerk, review, outcome, decided_on=RECEIVED + timedelta(days=1))
        return s.get(Case, case_id)


def build(db, users) -> World:  # type: ignore[no-untyped-def]
    """Every kind's case in ``db`` (migrated, with the court and one user per role)."""
    from tests.documents.docs_helpers import add_case
    from tests.documents.test_enforcement_docs import make_consultation, reply
    from tests.services.deadlines.clock_world import build_world, march_data
    from tests.services.explanation.test_explanation_support import TIER_TEXT, TODAY, build_org, judged

    w = World()
    march_data(build_world(db, users))
    clerk = users[Role.FILING_CLERK]
    w.actor = clerk
    from baihe_desk.models import CaseNumberCounter

    with db.transaction() as s:  # past the numbers march_data wrote by hand
        s.add(CaseNumberCounter(court_code="吉7502", year=today_local().year, type_code="民初", last_serial=500))

    company = _intake(db, clerk, company=True)
    w.refs["mediation-notice"] = w.refs["address-confirmation"] = company.receipt_number
    w.ids["company_case"] = company.id

    corrected = _intake(db, clerk)
    _review(db, clerk, corrected.id, "correction", {"cond.defendant_identified": "被告李喆玥仅有姓名和乡镇地址。"})
    w.refs["correction-notice"] = corrected.receipt_number

    filed = _review(db, clerk, _intake(db, clerk).id, "registered", {})
    with db.transaction() as s:
        s.get(Case, filed.id).procedure = Procedure.SIMPLE
        s.get(Case, filed.id).judge_id = users[Role.JUDGE].id
    w.refs["acceptance-notice"] = w.refs["fee-notice"] = filed.case_number
    w.ids["filed_case"] = filed.id

    org = build_org(db, users, procedure=Procedure.SMALL_CLAIMS)
    judged(db, org)
    from baihe_desk.models.explanation import Channel, PartyDecision
    from baihe_desk.services.explanation import tiers as et

    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.PHONE,
                              questions="签名问题", received_on=date(2026, 9, 25), on=TODAY)
        tier_id = req.tiers[0].id
    with db.transaction() as s:
        et.record_tier(s, org.judge, tier_id, held_on=date(2026, 9, 28), decision=PartyDecision.STILL_OBJECTS,
                       on=TODAY, **TIER_TEXT)
    from tests.services.explanation.test_explanation_support import CASE_NUMBER

    w.refs["explanation-record"] = CASE_NUMBER
    w.ids["org"] = org

    enforcement_case = add_case(db, receipt="收2026-0901")
    consultation = make_consultation(db, users[Role.JUDGE], enforcement_case, gaps=True)
    reply(db, users[Role.ENFORCEMENT], consultation)
    w.refs["enforcement-consultation"] = w.refs["enforcement-advice"] = "收2026-0901"
    return w


def render_all(db, world: World, out: Path, paths=None, kinds=(*CASE_KINDS, *REPORT_KINDS)) -> dict[str, dict[str, Path]]:  # type: ignore[no-untyped-def]
    """Every kind in both formats into ``out``: kind → {"pdf": path, "docx": path}."""
    from baihe_desk.services.common import documents
    from baihe_desk.services.statistics import export as statistics_export
    from baihe_desk.services.statistics import report as statistics

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, Path]] = {}
    options = {"issued_on": date(2026, 11, 26), "now": NOW}
    with db.transaction() as s:
        for kind in kinds:
            if kind in REPORT_KINDS:
                period = statistics.period_of("week" if kind == "weekly-bulletin" else "month", date(2026, 3, 4))
                report = statistics.compute(s, period, today=date(2026, 4, 2))
                rendered = statistics_export.render_report(s, kind, report, paths=paths, issued_on=date(2026, 4, 2))
                files[kind] = {}
                for fmt, data in rendered.files.items():
                    path = out / f"{kind}.{fmt}"
                    path.write_bytes(data)
                    files[kind][fmt] = path
                continue
            kind_options = dict(options)
            if kind == "explanation-record":
                kind_options.pop("issued_on")
            paths_out = documents.render_to_dir(s, world.actor, kind, world.refs[kind], ["pdf", "docx"], out,
                                                options=kind_options)
            files[kind] = {p.suffix[1:]: p for p in paths_out}
    return files
