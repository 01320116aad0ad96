"""The explicit version check of the 执行咨询函 draft and the 执行建议 (SQLite and PostgreSQL): a save from a
screen that showed an older version is refused with both texts and writes nothing; a change of child rows
only (a party's 已知财产, a suggestion) counts as a change; an unchanged save is never a conflict."""

from __future__ import annotations

from datetime import date

import pytest

from baihe_desk.models import Base, Case, Party, PartyKind, PartyRole, Role, User
from baihe_desk.models.enforcement import Verdict
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.common.concurrency import EditConflict
from baihe_desk.services.enforcement import advice as advice_svc
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.advice import AdviceData, ItemData
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData


@pytest.fixture
def draft(udb, uusers):
    Base.metadata.create_all(udb.engine)
    judge = uusers[Role.JUDGE]
    with udb.transaction() as s:
        case = Case(receipt_number="2026收00088", case_number="（2026）吉7502民初88号", received_on=date(2026, 3, 2),
                    cause_name="民间借贷纠纷")
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃"),
                        Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥", sort_order=1)]
        s.add(case)
        s.flush()
        c = svc.create(s, judge, case.id)
        return c.id, c.row_version


def _data(udb, cid):
    with udb.session() as s:
        c = svc.load(s, cid)
        return draft_of(c), c.row_version


def test_a_stale_draft_save_is_refused_with_both_texts_and_writes_nothing(udb, uusers, draft):
    judge = uusers[Role.JUDGE]
    cid, shown = draft
    office, _ = _data(udb, cid)
    office.parties[1].assets = "白河镇住房一套"  # a child row only
    with udb.transaction() as s:
        assert svc.save_draft(s, judge, cid, office, expected_version=shown) is True
    stored, version = _data(udb, cid)
    assert version == shown + 1 and stored.parties[1].assets == "白河镇住房一套"

    courtroom, _ = _data(udb, cid)
    courtroom.parties[1].assets = ""  # the courtroom screen, loaded before the office's save …
    courtroom.stage_note = "审理中，拟判决"
    courtroom.questions = ["担保期间如何表述？"]
    with udb.transaction() as s, pytest.raises(EditConflict) as refused:
        svc.save_draft(s, judge, cid, courtroom, expected_version=shown)
    texts = {t.label: (t.mine, t.theirs) for t in refused.value.texts}
    assert texts == {"审理阶段": ("审理中，拟判决", office.stage_note),
                     "已知财产情况": ("", "李喆玥：白河镇住房一套"),
                     "请求研究的问题": ("担保期间如何表述？", "")}
    assert f"该执行咨询函草稿已被 {judge.display_name} 于" in refused.value.message
    assert _data(udb, cid) == (stored, version)  # nothing of the refused save

    with udb.transaction() as s:  # unchanged data from the old screen: nothing to overwrite, no conflict
        assert svc.save_draft(s, judge, cid, stored, expected_version=shown) is False
    with udb.transaction() as s:  # on the version it now shows, the courtroom saves
        assert svc.save_draft(s, judge, cid, courtroom, expected_version=version) is True
    assert _data(udb, cid)[0].questions == ["担保期间如何表述？"]


def test_a_second_officers_first_reply_does_not_overwrite_the_first(udb, uusers, draft):
    judge, officer = uusers[Role.JUDGE], uusers[Role.ENFORCEMENT]
    cid, _ = draft
    data, _ = _data(udb, cid)
    data.terms = [TermData(text="被告李喆玥于2026年12月31日前偿还原告王堃借款120000元。", obligors="李喆玥",
                           obligees="王堃", perform_by="2026年12月31日前", perform_manner="转账")]
    with udb.transaction() as s:
        svc.save_draft(s, judge, cid, data)
        svc.send(s, judge, cid, acknowledge_gaps=True, today=date(2026, 12, 1))
        zhou = User(username="zhou_enf", display_name="周执行", role=Role.ENFORCEMENT,
                    password_hash=hash_password("Baihe-test-2025"))
        s.add(zhou)
    first = AdviceData(items=[ItemData(term_seq=1, verdict=Verdict.ENFORCEABLE)], property_clues="住房一套")
    with udb.transaction() as s:  # both screens showed no reply (version 0); the first officer saves
        assert advice_svc.save_reply(s, officer, cid, first, expected_version=0) is True
    second = AdviceData(items=[ItemData(term_seq=1, verdict=Verdict.NEEDS_CHANGE, reason="履行方式不明确")],
                        property_clues="存款")
    with udb.transaction() as s, pytest.raises(EditConflict) as refused:
        advice_svc.save_reply(s, zhou, cid, second, expected_version=0)
    texts = {t.label: (t.mine, t.theirs) for t in refused.value.texts}
    assert texts["财产线索"] == ("存款", "住房一套")
    assert texts["意见和建议"] == (f"第1项（{Verdict.NEEDS_CHANGE.label}）：履行方式不明确", f"第1项（{Verdict.ENFORCEABLE.label}）")
    with udb.transaction() as s, pytest.raises(EditConflict):  # submitting it is refused the same way
        advice_svc.submit_reply(s, zhou, cid, second, expected_version=0, today=date(2026, 12, 2))
    with udb.session() as s:
        advice = svc.load(s, cid).advice
        assert (advice.property_clues, advice.items[0].verdict, advice.submitted_at) == ("住房一套", Verdict.ENFORCEABLE,
                                                                                       None)
        version = advice.row_version
    with udb.transaction() as s:  # a child row only (the verdict) is a change of the reply: it counts
        first.items[0].verdict = Verdict.NEEDS_CHANGE
        first.items[0].reason = "履行方式不明确"
        assert advice_svc.save_reply(s, officer, cid, first, expected_version=version) is True
    with udb.session() as s:
        assert svc.load(s, cid).advice.row_version == version + 1
