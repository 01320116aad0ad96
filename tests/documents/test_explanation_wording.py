"""判后答疑笔录 wording: for a small-claims judgment, 再审 goes to the court that decided it (解释第四百二十四条:
"向原审人民法院申请再审"), not one level up; titles typed into a user's name are not doubled; a company is
never "当事人本人"; the judgment's number is not wrapped in a second pair of brackets."""

from __future__ import annotations

from datetime import date

from baihe_desk.models import Party, PartyKind, Procedure, User
from baihe_desk.models.explanation import Channel, JudgmentRecord, PartyDecision
from baihe_desk.services.explanation import tiers as et
from tests.documents.docs_helpers import compact
from tests.services.explanation.test_explanation_support import (
    CASE_NUMBER,
    TIER_TEXT,
    TODAY,
    build_org,
    judged,
)


def _record_text(db, org, *, party_id, on=TODAY, held=date(2026, 9, 28)):
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=party_id, channel=Channel.PHONE, questions="签名问题",
                              received_on=date(2026, 9, 25), on=on)
        tier_id = req.tiers[0].id
    with db.transaction() as s:
        et.record_tier(s, org.judge, tier_id, held_on=held, decision=PartyDecision.STILL_OBJECTS, on=on,
                       **TIER_TEXT)
    with db.session() as s:
        from baihe_desk.documents.render import build_document
        from baihe_desk.models import Case
        from baihe_desk.services.common.document_kinds import get_kind

        doc = build_document(s, get_kind("explanation-record"), s.get(Case, org.case_id), {"tier_id": tier_id})
        return compact(doc.plain_text())


def test_small_claims_retrial_goes_to_this_court_and_names_are_not_doubled(db, users):
    org = build_org(db, users, procedure=Procedure.SMALL_CLAIMS)
    with db.transaction() as s:
        s.get(User, org.judge.id).display_name = "承办法官 李堃"
    judged(db, org)
    with db.transaction() as s:
        for j in s.query(JudgmentRecord).all():
            j.document_number = CASE_NUMBER
    text = _record_text(db, org, party_id=org.defendant_id)
    assert "一审终审" in text
    assert "向本院申请再审" in text and "第四百二十四条" in text
    assert "上一级人民法院申请再审" not in text
    assert "李堃（承办法官）" in text and "承办法官承办法官" not in text and "承办法官李堃就" in text
    assert "（（" not in text and "））" not in text


def test_an_ordinary_judgment_retrial_goes_one_level_up_and_a_company_is_not_当事人本人(db, users):
    org = build_org(db, users, procedure=Procedure.SIMPLE)
    with db.transaction() as s:
        defendant = s.get(Party, org.defendant_id)
        defendant.kind, defendant.name = PartyKind.ORGANISATION, "白河林海商贸有限公司"
    judged(db, org)
    # after the appeal period: the retrial sentence is spoken
    text = _record_text(db, org, party_id=org.defendant_id, on=date(2026, 11, 2), held=date(2026, 11, 2))
    assert "申请人：白河林海商贸有限公司（当事人）" in text and "当事人本人" not in text
    assert "可以向上一级人民法院申请再审" in text and "第二百一十条" in text
    assert "也可以向本院申请再审" not in text  # not both sides citizens
