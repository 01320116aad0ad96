"""Notices speak to the party as it is: 你 to a person, 你单位 to a company; 签名（捺印） for a person and
签名（盖章） for a company; 申请人 / 被申请人 before 登记立案 and 原告 / 被告 after; and the 诉前调解告知书 only
exists before filing."""

from __future__ import annotations

import re

import pytest

from baihe_desk.errors import KnownError
from baihe_desk.models import Case, PartyRole, Role
from baihe_desk.services.common.document_kinds import get_kind
from tests.documents import every_kind
from tests.documents.docs_helpers import compact


def _text(db, kind, case_id, **options) -> str:
    from baihe_desk.documents.render import build_document

    with db.session() as s:
        return compact(build_document(s, get_kind(kind), s.get(Case, case_id), options).plain_text())


def _party(db, case_id, role):
    with db.session() as s:
        return next(p.id for p in s.get(Case, case_id).parties if p.role is role)


def test_a_company_before_filing_is_你单位_申请人_and_signs_with_its_seal(db, users):
    clerk = users[Role.FILING_CLERK]
    case = every_kind._intake(db, clerk, company=True)
    notice = _text(db, "mediation-notice", case.id)
    assert "白河林海商贸有限公司：" in notice and "你单位诉李喆玥民间借贷纠纷一案" in notice
    assert not re.search("你(?!单位)", notice), "a bare 你 to a company"
    assert "签名（盖章）" in notice and "签名或者盖章后交回本院" in notice and "捺印" not in notice.split("诉前调解意见回执")[1]
    form = _text(db, "address-confirmation", case.id)
    assert "白河林海商贸有限公司（申请人）" in form and "统一社会信用代码" in form
    assert "本单位已阅读" in form and "本人（本单位）" not in form and "受送达人签名（盖章）" in form
    assert "当事人本人" not in notice + form
    other = _text(db, "address-confirmation", case.id, party_id=_party(db, case.id, PartyRole.DEFENDANT))
    assert "李喆玥（被申请人）" in other and "受送达人签名（捺印）" in other and "本人已阅读" in other

    every_kind._review(db, clerk, case.id, "correction", {"cond.defendant_identified": "被告仅有姓名。"})
    correction = _text(db, "correction-notice", case.id)
    assert "你单位诉李喆玥" in correction and not re.search("你(?!单位)", correction)
    assert "受送达人签名（盖章）" in correction


def test_a_person_is_你_and_signs_or_fingerprints(db, users):
    case = every_kind._intake(db, users[Role.FILING_CLERK])
    notice = _text(db, "mediation-notice", case.id)
    assert "王堃：" in notice and "你诉李喆玥民间借贷纠纷一案" in notice
    assert "你单位" not in notice and "你（你单位）" not in notice
    assert "签名（捺印）" in notice and "签名或者捺印后交回本院" in notice


def test_after_filing_原告_被告_and_no_mediation_notice(db, users):
    clerk = users[Role.FILING_CLERK]
    case = every_kind._review(db, clerk, every_kind._intake(db, clerk).id, "registered", {})
    assert "王堃（原告）" in _text(db, "address-confirmation", case.id)
    defendant = _party(db, case.id, PartyRole.DEFENDANT)
    assert "李喆玥（被告）" in _text(db, "address-confirmation", case.id, party_id=defendant)
    with pytest.raises(KnownError, match=r"本案已登记立案（案号：（\d{4}）吉7502民初\d+号），不能生成诉前调解告知书.*登记立案前"):
        _text(db, "mediation-notice", case.id)
