"""Court → judge's laptop → court with a 执行咨询函 drafted offline and sent at the court; the bundles that
must be refused (one byte changed, unknown signer, another recipient, replayed, revoked desk) change
nothing; an edit on both sides is a conflict for a person, never an overwrite."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from baihe_desk.errors import KnownError
from baihe_desk.models import AuditRecord, Base, Case, Party, Role, Stage
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation, TermKind
from baihe_desk.models.exchange import DeskKind
from baihe_desk.services.enforcement import consultation as consult
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData
from baihe_desk.services.exchange import identity
from baihe_desk.services.exchange.bundle_file import BundleRefused
from baihe_desk.services.exchange.export import checkout_mark
from tests.services.exchange.exchange_support import TODAY, add_case, make_side, pair, register

CASE_NUMBER = "（2026）吉7502民初88号"


@pytest.fixture
def court_and_laptop(udb, uusers, udata, tmp_path):
    court = make_side("白河林区法院", DeskKind.COURT, udata.root, db=udb, paths=udata, admin=uusers[Role.ADMIN])
    laptop = make_side("刘法官笔记本", DeskKind.LAPTOP, tmp_path / "laptop")
    pair(court, laptop)
    yield court, laptop, uusers
    laptop.db.dispose()


def _draft(s, judge, case_id):  # type: ignore[no-untyped-def]
    c = consult.create(s, judge, case_id)
    data = draft_of(c)
    data.terms = [TermData(kind=TermKind.MONEY, text="被告王堃于2027年3月31日前偿还原告借款本金50000元。", obligors="王堃",
                           obligees="吉林白河农村商业银行股份有限公司", amount=Decimal("50000"),
                           perform_by="2027年3月31日前", perform_manner="转账")]
    data.questions = ["给付期限的表述能否直接执行？"]
    consult.save_draft(s, judge, c.id, data)
    return c.id


def business_state(db) -> dict:  # type: ignore[no-untyped-def]
    """Every business row's content (all tables but the audit trail), to prove nothing changed."""
    from baihe_desk.services.exchange import records

    out = {}
    with db.session() as s:
        for t in Base.metadata.sorted_tables:
            if t.name != "audit_record":
                out[t.name] = sorted(records.version(records.row_json(t, r)) for r in s.execute(select(t)).all())
    return out


def test_court_laptop_court_with_a_consultation_drafted_offline_then_sent(court_and_laptop):
    court, laptop, users = court_and_laptop
    judge = users[Role.JUDGE]
    case = add_case(court.db, "2026收00031", stage=Stage.IN_TRIAL, judge=judge, case_number=CASE_NUMBER)
    with court.db.transaction() as s:  # the judge's 庭 with its 庭长 travels as reference data
        from baihe_desk.models import CourtProfile, Department, User

        dept = Department(court_id=s.scalars(select(CourtProfile.id)).first(), name="民事审判庭",
                          chief_id=users[Role.DIVISION_CHIEF].id)
        s.add(dept)
        s.flush()
        s.get(User, judge.id).department_id = dept.id
        s.get(Case, case.id).department_id = dept.id
    laptop.import_(laptop.admin, court.export(judge, [case.id], laptop, due_on=TODAY + timedelta(days=7)))
    judge_there = laptop.activate(judge.username)
    with laptop.db.transaction() as s:
        cid = _draft(s, judge_there, case.id)
        with pytest.raises(KnownError, match="须交回法院后再发送"):
            consult.send(s, judge_there, cid, acknowledge_gaps=True, today=TODAY)
    own = add_case(laptop.db, "2026收09998")  # the laptop lends nothing of its own: only the court lends
    with pytest.raises(KnownError, match="只有法院的工作台可以借出案件"):
        laptop.export(laptop.admin, [own.id], court)
    back = laptop.export(judge_there, [case.id], court)
    with laptop.db.session() as s:
        assert checkout_mark(s, case.id) == ""  # returned from the laptop's side too
    result = court.import_(judge, back)
    assert result.plan.text == "新增执行咨询函 1 件，新增咨询函当事人 2 名，新增咨询函拟定条款 1 项。"
    with court.db.transaction() as s:
        c = consult.send(s, judge, cid, acknowledge_gaps=True, today=TODAY)
        assert (c.status, c.number) == (ConsultStatus.SENT, "（2026）吉7502执咨1号")
        assert [t.amount for t in c.terms] == [Decimal("50000.00")]
    with court.db.session() as s:
        assert s.scalar(select(func.count()).select_from(EnforcementConsultation)) == 1


def test_tampered_unknown_misaddressed_replayed_and_revoked_bundles_change_nothing(court_and_laptop, tmp_path):
    court, laptop, users = court_and_laptop
    judge = users[Role.JUDGE]
    case = add_case(court.db, "2026收00032", stage=Stage.IN_TRIAL, judge=judge, case_number=CASE_NUMBER)
    laptop.import_(laptop.admin, court.export(judge, [case.id], laptop))
    judge_there = laptop.activate(judge.username)
    with laptop.db.transaction() as s:
        _draft(s, judge_there, case.id)
    good = laptop.export(judge_there, [case.id], court)
    before = business_state(court.db)

    def refused(data: bytes, message: str) -> None:
        with pytest.raises(BundleRefused, match=message):
            court.import_(judge, data)
        assert business_state(court.db) == before

    # one byte changed in the sealed payload (the manifest and its signature untouched)
    env = json.loads(good)
    sealed = bytearray(base64.b64decode(env["payload"]))
    sealed[len(sealed) // 2] ^= 0x01
    env["payload"] = base64.b64encode(bytes(sealed)).decode()
    refused(json.dumps(env).encode(), "签名后被改动")
    # one byte changed in the signed manifest
    refused(good.replace(b'"sequence": 1', b'"sequence": 7'), "签名无效")
    # one raw byte of the file flipped
    raw = bytearray(good)
    raw[len(raw) // 3] ^= 0x20
    with pytest.raises(BundleRefused):
        court.import_(judge, bytes(raw))
    assert business_state(court.db) == before
    # signed by a desk the court never registered (it claims to be a court desk and sends its own case)
    stranger = make_side("来历不明的工作台", DeskKind.COURT, tmp_path / "stranger")
    register(stranger, court)
    own = add_case(stranger.db, "2026收09999")
    refused(stranger.export(stranger.admin, [own.id], court), "未在本工作台登记")
    # addressed to another desk in the manifest: the signature no longer holds
    station = make_side("服务站", DeskKind.STATION, tmp_path / "station")
    refused(_misaddressed(good, station), "签名无效")
    # the good bundle goes in once; played again it is refused
    court.import_(judge, good)
    after_first = business_state(court.db)
    with pytest.raises(BundleRefused, match="处理过"):
        court.import_(judge, good)
    assert business_state(court.db) == after_first
    # a revoked desk's bundles are refused
    with court.db.transaction() as s:
        identity.revoke_desk(s, s.get(type(users[Role.ADMIN]), users[Role.ADMIN].id), laptop.desk.id, "笔记本丢失")
    revoked = business_state(court.db)
    with pytest.raises(BundleRefused, match="已于 .* 被撤销"):
        court.import_(judge, good)
    assert business_state(court.db) == revoked
    with court.db.session() as s:
        reasons = [a.after["reason"] for a in s.scalars(select(AuditRecord).where(AuditRecord.action == "bundle.refused"))]
    assert len(reasons) == 7 and all(r.endswith("未导入任何内容。") for r in reasons)
    stranger.db.dispose()
    station.db.dispose()


def _misaddressed(good: bytes, station) -> bytes:  # type: ignore[no-untyped-def]
    """The laptop's bundle re-addressed to the station in its manifest (the signature then fails)."""
    env = json.loads(good)
    env["manifest"]["recipient"]["public_key"] = station.desk.public_key
    return json.dumps(env).encode()


def test_a_bundle_for_another_desk_is_refused(court_and_laptop, tmp_path):
    court, laptop, users = court_and_laptop
    station = make_side("服务站", DeskKind.STATION, tmp_path / "station")
    pair(court, station)
    register(station, laptop)
    case = add_case(court.db, "2026收00034", stage=Stage.PRE_MEDIATION)
    for_laptop = court.export(users[Role.FILING_CLERK], [case.id], laptop)
    with pytest.raises(BundleRefused, match="是发给“刘法官笔记本”"):
        station.import_(station.admin, for_laptop)
    with station.db.session() as s:
        assert s.get(Case, case.id) is None
    station.db.dispose()


def test_an_edit_on_both_sides_is_a_conflict_for_a_person(court_and_laptop):
    court, laptop, users = court_and_laptop
    judge = users[Role.JUDGE]
    case = add_case(court.db, "2026收00033", stage=Stage.IN_TRIAL, judge=judge, case_number=CASE_NUMBER)
    laptop.import_(laptop.admin, court.export(judge, [case.id], laptop))
    with court.db.session() as s:
        party_id = s.scalars(select(Party.id).where(Party.case_id == case.id, Party.name == "王堃")).one()
    with court.db.transaction() as s:
        s.get(Party, party_id).phone = "13904330111"  # the court's clerk, meanwhile
    with laptop.db.transaction() as s:
        s.get(Party, party_id).phone = "13904330222"  # the judge, offline
    back = laptop.export(laptop.activate(judge.username), [case.id], court)
    dry = court.import_(judge, back, dry_run=True)
    [conflict] = dry.plan.conflicts
    assert conflict.kind == "both_changed" and [(f.label, f.ours, f.theirs) for f in conflict.fields] == [
        ("电话", "13904330111", "13904330222")]
    assert "双方都修改了（电话）" in conflict.describe()
    with pytest.raises(KnownError, match="1 处冲突没有决定"):
        court.import_(judge, back)
    with court.db.session() as s:
        assert s.get(Party, party_id).phone == "13904330111"  # never overwritten
    court.import_(judge, back, decisions={conflict.key: "ours"})
    with court.db.session() as s:
        assert s.get(Party, party_id).phone == "13904330111"
        decided = s.scalars(select(AuditRecord).where(AuditRecord.action == "bundle.conflict_decided")).one()
        assert decided.after["decision"] == "ours" and decided.entity_id == str(party_id)


def test_a_draft_discarded_offline_is_deleted_at_check_in(court_and_laptop):
    court, laptop, users = court_and_laptop
    judge = users[Role.JUDGE]
    case = add_case(court.db, "2026收00035", stage=Stage.IN_TRIAL, judge=judge, case_number=CASE_NUMBER)
    with court.db.transaction() as s:
        cid = _draft(s, judge, case.id)  # drafted at the court, then lent with the case
    laptop.import_(laptop.admin, court.export(judge, [case.id], laptop))
    judge_there = laptop.activate(judge.username)
    with laptop.db.transaction() as s:
        consult.discard(s, judge_there, cid)
    result = court.import_(judge, laptop.export(judge_there, [case.id], court))
    assert result.plan.text == "删除执行咨询函 1 件，删除咨询函当事人 2 名，删除咨询函拟定条款 1 项。"
    with court.db.session() as s:
        assert s.get(EnforcementConsultation, cid) is None
