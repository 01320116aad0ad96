"""Issue 17, personal data: no ID number or phone number in audit details or crash reports (masked),
and a failed login for an unknown name stores none of the typed text."""

from __future__ import annotations

import json

from sqlalchemy import select

from baihe_desk.models import AuditRecord, PartyKind, PartyRole, Role
from baihe_desk.services.common import audit, auth
from baihe_desk.services.common.masking import mask_text
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case

ID = "220102199001011239"  # 18 characters with a valid GB 11643 check digit
MOBILE = "13904331234"


def test_masking_examples():
    assert mask_text(ID) == "2201**********1239"
    assert mask_text("22010219900101123X") == "2201**********123X"
    assert mask_text(f"电话{MOBILE}") == "电话139****1234"
    assert mask_text("0433-5712345") == "0433-****345"
    # not personal numbers: left alone
    for text in ("（2026）吉7502民初123号", "2026收00107", "150000.00", "3e" + "1" * 60 + "af"):
        assert mask_text(text) == text


def test_case_creation_audit_holds_no_id_or_phone_number(udb, uusers):
    plaintiff = PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="张三", id_number=ID,
                           phone=MOBILE, domicile="吉林省安图县二道白河镇")
    defendant = PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李四",
                           domicile="吉林省安图县二道白河镇")
    with udb.transaction() as s:
        case = create_case(s, uusers[Role.FILING_CLERK], CaseInput(
            cause_name="民间借贷纠纷", claim_amount="5000", claims="请求判令被告偿还借款", facts="借款未还。",
            parties=[plaintiff, defendant]), court_code="吉7502")
        assert case.parties[0].id_number == ID  # the record itself keeps it
    with udb.session() as s:
        trail = json.dumps([[r.before, r.after] for r in s.scalars(select(AuditRecord))], ensure_ascii=False)
    assert ID not in trail and MOBILE not in trail
    assert "2201**********1239" in trail
    with udb.session() as s:
        assert not audit.verify_chain(s)


def test_a_password_typed_as_the_user_name_is_not_stored(udb, uusers):
    typed = "Geheim-2026-pw"
    try:
        with udb.transaction() as s:
            auth.login(s, typed, "")
    except Exception:  # noqa: BLE001 - the refusal itself is tested elsewhere
        pass
    with udb.session() as s:
        rows = list(s.scalars(select(AuditRecord).where(AuditRecord.action == "auth.login_failed")))
    assert rows and typed not in json.dumps([[r.entity_id, r.username, r.after] for r in rows], ensure_ascii=False)


def test_crash_report_masks_personal_numbers(qapp=None):
    import pytest

    pytest.importorskip("PySide6")
    from baihe_desk.ui.common.crash import format_report

    try:
        raise RuntimeError(f"UNIQUE constraint failed: party.id_number [parameters: ('{ID}', '{MOBILE}')]")
    except RuntimeError as exc:
        report = format_report(type(exc), exc, exc.__traceback__)
    assert ID not in report and MOBILE not in report and "2201**********1239" in report
