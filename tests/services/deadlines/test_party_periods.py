"""Parties with no domicile in the PRC: 30 days to answer (民事诉讼法第二百八十五条) and to appeal a judgment
or a ruling (第二百八十六条), per party (解释第五百三十六条); 港澳台 by reference (解释第五百四十九条).

Worked dates (2026 State Council table; counted by hand):
- served Thu 2026-09-24, 30 days → day 30 = Sat 2026-10-24 (not a 调休 day) → Mon 2026-10-26;
  the domestic plaintiff served Sun 09-20 keeps 15 days → 10-05 (国庆) → 10-08.
- complaint copy signed Mon 2026-11-02: 15 days → Tue 11-17; 30 days → Wed 12-02.
- served Thu 2026-12-17, 30 days → Sat 2027-01-16 → Mon 2027-01-18 (2027 inferred, nothing else in the way).
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from baihe_desk.models import DomicileRegion, Party, PartyKind, PartyRole, Role
from baihe_desk.models.explanation import Channel, PartyDecision, RulingType
from baihe_desk.models.service_address import ServedDocument, ServiceAttempt, ServiceMethod, ServiceResult
from baihe_desk.services.deadlines.clocks import ClockScope, case_clocks, holiday_table
from baihe_desk.services.deadlines.clocks_answer import answer_clocks
from baihe_desk.services.deadlines.party_periods import party_deadline
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.services.explanation import tiers as et
from baihe_desk.services.filing.intake import create_case
from tests.documents.docs_helpers import compact, pdf_text
from tests.fake_today import travel_to
from tests.services.explanation.test_explanation_support import TIER_TEXT, TODAY, build_org, judged
from tests.services.filing.test_intake import _input

D = date.fromisoformat
FOREIGN, HK, MAINLAND = DomicileRegion.FOREIGN, DomicileRegion.HK_MO_TW, DomicileRegion.MAINLAND


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The data here are dated (up to date(2026, 12, 5)) and the desk refuses a date later than today, so these tests run
    on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    with travel_to(date(2026, 12, 5)):
        yield



@pytest.mark.parametrize("base", ["appeal_judgment", "appeal_ruling"])
def test_thirty_days_to_appeal_a_judgment_or_a_ruling(base):
    dl = party_deadline(base, D("2026-09-24"), FOREIGN)
    assert (dl.count, dl.nominal, dl.due) == (30, D("2026-10-24"), D("2026-10-26"))
    assert any("第二百八十六条" in b for b in dl.basis)
    domestic = party_deadline(base, D("2026-09-24"), MAINLAND)
    assert domestic.count == (15 if base == "appeal_judgment" else 10)
    assert any("第一百七十一条" in b for b in domestic.basis)


def test_thirty_days_to_answer():
    assert party_deadline("answer", D("2026-11-02"), MAINLAND).due == D("2026-11-17")
    dl = party_deadline("answer", D("2026-11-02"), FOREIGN)
    assert dl.due == D("2026-12-02") and any("第二百八十五条" in b for b in dl.basis)


def test_hong_kong_macao_taiwan_by_reference():
    dl = party_deadline("appeal_judgment", D("2026-12-17"), HK)
    assert (dl.nominal, dl.due) == (D("2027-01-16"), D("2027-01-18"))
    assert any("第五百四十九条" in b for b in dl.basis)
    assert any("参照适用" in w or "第五百四十九条" in w for w in dl.warnings)


@pytest.fixture
def org(db, users):
    return build_org(db, users)


def _abroad(db, party_id, region=FOREIGN):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        s.get(Party, party_id).domicile_region = region


def test_each_party_counts_by_its_own_domicile(db, org):
    _abroad(db, org.defendant_id)
    judged(db, org)  # served: plaintiff 09-20, defendant 09-24
    with db.session() as s:
        plaintiff, defendant = ex.party_statuses(s, org.case_id, TODAY)
        clocks = {c.party: c for c in case_clocks(s, org.case_id, today=TODAY) if c.kind == "appeal"}
    assert plaintiff.due == D("2026-10-08")
    assert (defendant.due, defendant.days_left) == (D("2026-10-26"), 26)
    assert "第二百八十六条" in defendant.reason and "三十日" in defendant.reason
    assert defendant.text == "上诉期至2026年10月26日届满，尚余 26 日"
    assert clocks["被告刘䶮"].due == D("2026-10-26") and clocks["原告王堃"].due == D("2026-10-08")


def test_a_ruling_for_a_party_abroad_is_thirty_days_too(db, org):
    _abroad(db, org.defendant_id)
    judged(db, org, kind="ruling", ruling_type=RulingType.DISMISSAL)
    with db.session() as s:
        plaintiff, defendant = ex.party_statuses(s, org.case_id, TODAY)
    assert plaintiff.due == D("2026-09-30")  # 10 days
    assert defendant.due == D("2026-10-26")  # 30 days


def test_the_explanation_record_states_article_286_and_thirty_days(db, org, paths):
    _abroad(db, org.defendant_id)
    judged(db, org)
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.PHONE,
                              questions="签名问题", received_on=D("2026-09-25"), on=TODAY)
        et.record_tier(s, org.judge, req.tiers[0].id, held_on=TODAY, decision=PartyDecision.ACCEPTS, on=TODAY,
                       **TIER_TEXT)
        pdf, docx = et.generate_record(s, org.clerk, req.tiers[0].id, paths=paths)
    text = compact(pdf_text((paths.documents / pdf.relpath).read_bytes()))
    assert "第二百八十六条的规定" in text and "送达之日起三十日内提起上诉" in text
    assert "上诉期至2026年10月26日届满" in text and "第一百七十一条的规定" not in text
    from docx import Document

    doc = Document(io.BytesIO((paths.documents / docx.relpath).read_bytes()))
    assert "第二百八十六条" in compact("\n".join(p.text for p in doc.paragraphs))


def _serve_complaint(db, org, on):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        s.add(ServiceAttempt(case_id=org.case_id, party_id=org.defendant_id, method=ServiceMethod.DIRECT,
                             document=ServedDocument.COMPLAINT_COPY, attempted_on=on, result=ServiceResult.SIGNED,
                             signed_on=on, signer="本人"))


@pytest.mark.parametrize("region, due, left", [(MAINLAND, "2026-11-17", 7), (FOREIGN, "2026-12-02", 22)])
def test_answer_clock_of_the_defendant(db, org, region, due, left):
    _abroad(db, org.defendant_id, region)
    _serve_complaint(db, org, D("2026-11-02"))
    today = D("2026-11-10")
    with db.session() as s:
        everything = answer_clocks(s, ClockScope(today, holiday_table(s)))  # the queues' path (case in trial)
        (clock,) = [c for c in case_clocks(s, org.case_id, today=today) if c.kind == "answer"]
    assert [c.due for c in everything] == [D(due)]
    assert (clock.due, clock.days_left, clock.party, clock.duty) == (D(due), left, "被告刘䶮", False)
    assert any(("第二百八十五条" if region is FOREIGN else "第一百二十八条") in b for b in clock.basis)


def test_intake_stores_the_domicile_region(udb, uusers):
    data = _input()
    data.parties[1].domicile_region = HK
    with udb.transaction() as s:
        case = create_case(s, uusers[Role.FILING_CLERK], data, court_code="吉7502")
        case_id = case.id
    with udb.session() as s:
        from baihe_desk.models import Case

        plaintiff, defendant = s.get(Case, case_id).parties
        from baihe_desk.ui.cases.case_detail import case_html  # the case's detail page says it too

        html = case_html(s.get(Case, case_id))
    assert plaintiff.domicile_region is MAINLAND and defendant.domicile_region is HK
    assert html.count("住所地") == 1 and "参照涉外程序）：答辩期、上诉期三十日" in html
    assert (plaintiff.kind, defendant.role) == (PartyKind.NATURAL, PartyRole.DEFENDANT)


def test_public_notice_period_follows_the_domicile(db, org, users):
    """民事诉讼法第九十五条 30 days; 第二百八十三条第二款 60 days for a party with no domicile in the PRC.
    Notice posted Mon 2026-11-02: 60 days → Fri 2027-01-01 (元旦, inferred 2027) → deemed served Mon 2027-01-04."""
    from baihe_desk.errors import ValidationError
    from baihe_desk.models import Case, Procedure
    from baihe_desk.services.filing import service_address as sa
    from baihe_desk.services.filing.service_date import served_on

    def notice(days):  # type: ignore[no-untyped-def]
        return sa.AttemptInput(method=ServiceMethod.PUBLIC_NOTICE, document=ServedDocument.SUMMONS,
                               attempted_on=D("2026-11-02"), result=ServiceResult.PUBLISHED, notice_days=days,
                               note="经外交途径送达未果")

    _abroad(db, org.defendant_id)
    with db.transaction() as s:
        case = s.get(Case, org.case_id)
        case.procedure = Procedure.ORDINARY
        defendant, plaintiff = s.get(Party, org.defendant_id), s.get(Party, org.plaintiff_id)
        with pytest.raises(ValidationError, match="六十日.*第二百八十三条第二款"):
            sa.record_attempt(s, users[Role.CLERK], case, defendant, notice(30))
        with pytest.raises(ValidationError, match="三十日.*第九十五条"):
            sa.record_attempt(s, users[Role.CLERK], case, plaintiff, notice(60))
        attempt = sa.record_attempt(s, users[Role.CLERK], case, defendant, notice(60))
        assert served_on(attempt).on == D("2027-01-04")


def test_a_party_abroad_rules_out_small_claims(udb, uusers):
    """民事诉讼法第一百六十六条第二项: no 小额诉讼 for a 涉外 case (解释第五百二十条第二项) — 30,000 yuan would be
    small claims at the default threshold (43,611), but not with a defendant abroad."""
    from baihe_desk.models import Case, Procedure
    from baihe_desk.services.filing import procedure as pr

    data = _input()
    data.claim_amount = "30000"
    data.parties[1].domicile_region = FOREIGN
    with udb.transaction() as s:
        case = create_case(s, uusers[Role.FILING_CLERK], data, court_code="吉7502")
        sug = pr.suggest_for_case(s, case, foreign_related=False)  # the clerk's tick cannot undo the domicile
        assert sug.procedure is not Procedure.SMALL_CLAIMS
        assert Procedure.SMALL_CLAIMS not in sug.allowed
        assert any("涉外案件" in why and "第一百六十六条第二项" in why for why in sug.excluded["small_claims"])
        s.get(Case, case.id).parties[1].domicile_region = MAINLAND
        assert pr.suggest_for_case(s, case).procedure is Procedure.SMALL_CLAIMS
