"""送达地址与送达 — service addresses (with source and verification), e-service consent, the service log.

- Addresses carry their source on the ladder of 法发〔2017〕19号 (see :class:`AddressSource`); e-service
  consent exists only on a signed 送达地址确认书 (民事诉讼法第九十条; 民诉法解释第一百三十六条).
- :func:`address_risks` flags 送达风险 before filing when a defendant has no verified address.
- :func:`record_attempt` refuses what the law forbids: 公告送达 in 简易程序 (民诉法解释第一百四十条),
  留置送达 of a 调解书 (解释第一百三十三条), 电子送达 without consent, 留置 without witness or photo/video.
- :func:`served_on` gives the legal service date of an attempt with its reasoning, including deemed
  service at a confirmed address (法院专递规定第十一条) and 公告 (30 days, 民事诉讼法第九十五条).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import Case, DomicileRegion, Party, PartyKind, PartyRole, Procedure, User
from baihe_desk.models.service_address import (
    FAILED_RESULTS,
    AddressSource,
    AddressVerification,
    ServedDocument,
    ServiceAddress,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.common import audit, validation
from baihe_desk.services.common.case_scope import require_case
from baihe_desk.services.common.lookup import get_or_not_found
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines.clocks import today_local  # the court's day, whatever the PC's zone
from baihe_desk.services.filing.service_date import (
    JS,
    POST_RULES,
)
from baihe_desk.services.filing.service_inputs import AttemptInput, ConfirmationInput

ADDRESS_PERM = Perm.ADDRESS_VERIFY
SERVICE_PERM = Perm.SERVICE_RECORD
S = AddressSource
_LADDER_DATED = (S.OTHER_PROCEEDINGS, S.CIVIL_ACTIVITY)  # must be within one year
_NATURAL_ONLY = (S.HOUSEHOLD, S.HABITUAL_RESIDENCE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ADDR_FIELDS = ["party_id", "source", "source_detail", "source_date", "text", "postcode", "phone", "recipient_name",
                "confirmation_signed", "confirmed_on", "e_service_consent", "e_mobile", "e_email", "e_wechat",
                "refusal_recorded", "active"]
E_CONSENT_REFUSED = ("电子送达须经受送达人同意，并在其签名确认的送达地址确认书中确认（民事诉讼法第九十条，"
                     "民诉法解释第一百三十六条）。请让当事人签署送达地址确认书并勾选同意电子送达后再登记手机号码、电子邮箱或微信号。")


@dataclass
class PartyRisk:
    party_id: uuid.UUID
    name: str
    reasons: list[str]
    hints: list[str]


@dataclass
class RiskReport:
    parties: list[PartyRisk]
    label: str = "送达风险"

    @property
    def flagged(self) -> bool:
        return bool(self.parties)

    def messages(self) -> list[str]:
        return [f"{self.label}：被告{p.name}——{'；'.join(p.reasons)}" for p in self.parties]


def _one_year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _validated(value: str, check, label: str) -> str:  # type: ignore[no-untyped-def]
    return check(value, field=label) if value and value.strip() else ""


def _text(text: str) -> str:
    text = validation.strip_control_chars(validation.normalize_text(text or ""))
    if not text:
        raise ValidationError("送达地址", "不能为空，请填写详细地址。")
    return _limited(text, "送达地址", 300)


def _limited(text: str, label: str, limit: int) -> str:
    """A cut address or signer would be served or recorded wrongly: refuse what does not fit, never cut it."""
    if len(text) > limit:
        raise ValidationError(label, f"不能超过{limit}个字，现在是{len(text)}个字")
    return text


def addresses_of(session: Session, party: Party, *, active_only: bool = True) -> list[ServiceAddress]:
    q = select(ServiceAddress).where(ServiceAddress.party_id == party.id)
    if active_only:
        q = q.where(ServiceAddress.active.is_(True))
    return sorted(session.scalars(q), key=lambda a: (a.source.rank, a.created_at))


def signed_confirmation(session: Session, party: Party) -> ServiceAddress | None:
    """The party's current signed 送达地址确认书, if any."""
    return next((a for a in addresses_of(session, party)
                 if a.source is S.CONFIRMATION and a.confirmation_signed), None)


def add_address(session: Session, actor: User, party: Party, source: AddressSource | str, text: str, *,
                postcode: str = "", phone: str = "", source_detail: str = "", source_date: date | None = None,
                refusal_recorded: bool = False, note: str = "", as_of: date | None = None,
                e_mobile: str = "", e_email: str = "", e_wechat: str = "") -> ServiceAddress:
    """Record an address from a source other than the 确认书 (use :func:`record_confirmation` for that)."""
    require(session, actor, ADDRESS_PERM)
    require_case(session, actor, party.case_id, perm=ADDRESS_PERM)
    source = AddressSource(source)
    if source is S.CONFIRMATION:
        raise KnownError("送达地址确认书请通过“登记送达地址确认书”录入，须有当事人签名、盖章或捺印。")
    if any(v.strip() for v in (e_mobile, e_email, e_wechat)):
        raise KnownError(E_CONSENT_REFUSED)
    if source in _NATURAL_ONLY and party.kind is not PartyKind.NATURAL:
        raise ValidationError("地址来源", f"“{source.label}”只适用于自然人；法人或其他组织请选“工商登记的住所地”。")
    if source is S.BUSINESS_REGISTRATION and party.kind is not PartyKind.ORGANISATION:
        raise ValidationError("地址来源", "“工商登记的住所地”只适用于法人或其他组织；自然人请选户籍登记住所或经常居住地。")
    as_of = as_of or today_local()
    if source in _LADDER_DATED:
        if source_date is None:
            raise ValidationError("地址来源日期", f"“{source.label}”须填写该诉讼、仲裁或民事活动的日期。")
        if source_date > as_of or source_date < _one_year_before(as_of):
            raise ValidationError("地址来源日期", "须在一年以内，超过一年的地址不能作为该来源使用。")
    addr = ServiceAddress(
        case_id=party.case_id, party_id=party.id, source=source, text=_text(text),
        postcode=_validated(postcode, validation.validate_postcode, "邮政编码"),
        phone=_validated(phone, validation.validate_phone, "联系电话"), source_detail=source_detail.strip()[:200],
        source_date=source_date, refusal_recorded=refusal_recorded, note=note.strip(), created_by_id=actor.id)
    session.add(addr)
    session.flush()
    audit.record(session, actor, "service_address.add", entity="service_address", entity_id=addr.id,
                 after=audit.snapshot(addr, _ADDR_FIELDS))
    return addr


def import_intake_addresses(session: Session, actor: User, case: Case) -> list[ServiceAddress]:
    """Turn the addresses written at 收件登记 into service-address records (idempotent).

    A plaintiff's own address in its complaint is 本案诉讼材料中载明的地址; a defendant's address given by
    the plaintiff is only 起诉状所列地址, to be verified.
    """
    out = []
    for party in case.parties:
        known = {a.text for a in addresses_of(session, party, active_only=False)}
        texts = [a.text for a in party.addresses] or ([party.domicile] if party.domicile else [])
        postcodes = {a.text: a.postcode for a in party.addresses}
        for t in dict.fromkeys(texts):
            if t and t not in known:
                source = S.OWN_FILING if party.role is PartyRole.PLAINTIFF else S.COMPLAINT
                out.append(add_address(session, actor, party, source, t, postcode=postcodes.get(t, ""),
                                       phone=party.phone if party.role is PartyRole.PLAINTIFF else "",
                                       source_detail="收件登记"))
    return out


def record_confirmation(session: Session, actor: User, party: Party, data: ConfirmationInput) -> ServiceAddress:
    """登记送达地址确认书; a new one replaces the previous (a change notified in writing)."""
    require(session, actor, ADDRESS_PERM)
    require_case(session, actor, party.case_id, perm=ADDRESS_PERM)
    if not data.signed:
        if data.e_service_consent or any(v.strip() for v in (data.e_mobile, data.e_email, data.e_wechat)):
            raise KnownError(E_CONSENT_REFUSED)
        raise KnownError("送达地址确认书须经当事人签名、盖章或捺印后方可登记。当事人拒绝填写或签署的，"
                         "请告知其不利后果并记入笔录，再按户籍登记住所或工商登记住所登记（法院专递规定第三条、第五条）。")
    if data.confirmed_on > today_local():
        raise ValidationError("确认日期", "不能晚于今天。")
    mobile = _validated(data.e_mobile, validation.validate_mobile, "电子送达手机号码")
    email = data.e_email.strip()
    if email and not _EMAIL.match(email):
        raise ValidationError("电子送达电子邮箱", "格式不正确。")
    wechat = data.e_wechat.strip()[:100]
    if data.e_service_consent and not (mobile or email or wechat):
        raise ValidationError("电子送达", "同意电子送达的，须填写手机号码、电子邮箱或微信号中的至少一项。")
    if not data.e_service_consent and (mobile or email or wechat):
        raise ValidationError("电子送达", "当事人未勾选同意电子送达，不能登记电子送达地址。")
    previous = signed_confirmation(session, party)
    addr = ServiceAddress(
        case_id=party.case_id, party_id=party.id, source=S.CONFIRMATION, text=_text(data.text),
        postcode=_validated(data.postcode, validation.validate_postcode, "邮政编码"),
        phone=_validated(data.phone, validation.validate_phone, "联系电话"),
        recipient_name=data.recipient_name.strip()[:50], recipient_relation=data.recipient_relation.strip()[:50],
        recipient_id_number=data.recipient_id_number.strip()[:18],
        recipient_phone=_validated(data.recipient_phone, validation.validate_phone, "代收人联系电话"),
        confirmation_signed=True, confirmed_on=data.confirmed_on,
        confirmed_by_name=data.confirmed_by_name.strip()[:50] or party.name, e_service_consent=data.e_service_consent,
        e_mobile=mobile, e_email=email, e_wechat=wechat, note=data.note.strip(), created_by_id=actor.id)
    session.add(addr)
    session.flush()
    if previous is not None:
        previous.active, previous.superseded_by_id = False, addr.id
    session.flush()
    audit.record(session, actor, "service_address.confirm", entity="service_address", entity_id=addr.id,
                 before=audit.snapshot(previous, _ADDR_FIELDS) if previous else None,
                 after=audit.snapshot(addr, _ADDR_FIELDS))
    return addr


def verify_address(session: Session, actor: User, address: ServiceAddress, method: VerificationMethod | str,
                   result: VerificationResult | str, verified_on: date, *, verifier_name: str = "",
                   note: str = "") -> AddressVerification:
    """Record how an address was checked (电话、户籍查询、企业信用信息公示系统、网格员、走访、邮寄回执)."""
    require(session, actor, ADDRESS_PERM)
    require_case(session, actor, address.case_id, perm=ADDRESS_PERM)
    method, result = VerificationMethod(method), VerificationResult(result)
    if verified_on > today_local():
        raise ValidationError("核实日期", "不能晚于今天。")
    party = get_or_not_found(session, Party, address.party_id, "该地址的当事人不存在或已被删除。")
    if method is VerificationMethod.ENTERPRISE_QUERY and party.kind is not PartyKind.ORGANISATION:
        raise ValidationError("核实方式", "企业信用信息公示系统只能核实法人或其他组织的登记住所。")
    if method is VerificationMethod.HOUSEHOLD_QUERY and party.kind is not PartyKind.NATURAL:
        raise ValidationError("核实方式", "户籍信息查询只适用于自然人。")
    row = AddressVerification(address_id=address.id, method=method, result=result, verified_on=verified_on,
                              verified_by_id=actor.id, verifier_name=verifier_name.strip()[:50], note=note.strip())
    address.verifications.append(row)
    session.flush()
    audit.record(session, actor, "service_address.verify", entity="service_address", entity_id=address.id,
                 after=audit.snapshot(row, ["method", "result", "verified_on", "verifier_name", "note"]))
    return row


def attempts_of(session: Session, party: Party) -> list[ServiceAttempt]:
    return list(session.scalars(select(ServiceAttempt).where(ServiceAttempt.party_id == party.id)
                                .order_by(ServiceAttempt.attempted_on, ServiceAttempt.created_at)))


def _address_state(address: ServiceAddress, attempts: list[ServiceAttempt]) -> tuple[bool, str]:
    """(usable, description) from the latest verification / service event at this address."""
    events: list[tuple[date, int, bool, str]] = []
    for v in address.verifications:
        events.append((v.verified_on, 0, v.result is VerificationResult.CONFIRMED,
                       f"{v.verified_on} {v.method.label}：{v.result.label}"))
    for a in attempts:
        if a.address_id == address.id and (a.result is ServiceResult.SIGNED or a.result.failed):
            events.append((a.signed_on or a.returned_on or a.attempted_on, 1, a.result is ServiceResult.SIGNED,
                           f"{a.attempted_on} {a.method.label}：{a.result.label}"))
    if events:
        last = max(events, key=lambda e: (e[0], e[1]))
        return last[2], last[3]
    if address.source is S.CONFIRMATION:
        return True, f"当事人已于{address.confirmed_on}签署送达地址确认书"
    return False, "尚未核实"


def address_risks(case: Case) -> RiskReport:
    """送达风险: defendants without a verified, usable address (a warning before filing, never a bar)."""
    session = object_session(case)
    assert session is not None
    out = []
    for party in (p for p in case.parties if p.role is PartyRole.DEFENDANT):
        addresses, attempts = addresses_of(session, party), attempts_of(session, party)
        states = [(a, *_address_state(a, attempts)) for a in addresses]
        if any(ok for _, ok, _ in states):
            continue
        reasons = [f"{a.source.label}“{a.text}”{desc}" for a, _, desc in states]
        if not addresses:
            reasons = ["起诉状所列地址尚未登记为送达地址，也未核实" if party.domicile else "未登记任何送达地址"]
        hints = (["可查询国家企业信用信息公示系统，核实工商登记的住所地"] if party.kind is PartyKind.ORGANISATION
                 else ["可通过户籍信息查询核实户籍登记住所，或请网格员核实经常居住地", "可电话联系被告，请其签署送达地址确认书"])
        out.append(PartyRisk(party.id, party.name, reasons, hints))
    return RiskReport(out)


def record_attempt(session: Session, actor: User, case: Case, party: Party, data: AttemptInput) -> ServiceAttempt:
    """Log one service attempt; refuses what the law does not allow (see module docstring)."""
    require(session, actor, SERVICE_PERM)
    m, r, doc = ServiceMethod(data.method), ServiceResult(data.result), ServedDocument(data.document)
    if party.case_id != case.id:
        raise KnownError("该当事人不属于本案。")
    if data.attempted_on > today_local():
        raise ValidationError("送达日期", "不能晚于今天。")
    address = session.get(ServiceAddress, data.address_id) if data.address_id else None
    if address is not None and address.party_id != party.id:
        raise KnownError("所选送达地址不是该当事人的地址。")
    allowed = {
        ServiceMethod.DIRECT: {ServiceResult.SIGNED, ServiceResult.REFUSED, ServiceResult.NO_SUCH_PERSON,
                               ServiceResult.ADDRESS_UNCLEAR},
        ServiceMethod.LEFT: {ServiceResult.LEFT_AT_RESIDENCE},
        ServiceMethod.ELECTRONIC: {ServiceResult.SENT},
        ServiceMethod.POST: {ServiceResult.SIGNED, *FAILED_RESULTS},
        ServiceMethod.ENTRUSTED: {ServiceResult.SIGNED, *FAILED_RESULTS},
        ServiceMethod.PUBLIC_NOTICE: {ServiceResult.PUBLISHED},
    }[m]
    if r not in allowed:
        raise ValidationError("送达结果", f"{m.label}不能登记为“{r.label}”。")
    if m is ServiceMethod.PUBLIC_NOTICE:
        if case.procedure in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS):
            raise KnownError(f"本案适用{case.procedure.label}，简易程序案件不适用公告送达（民诉法解释第一百四十条）。"
                             "受送达人下落不明或者无法以其他方式送达的，请先裁定将案件转为普通程序审理，再公告送达。")
        if not data.note.strip():
            raise ValidationError("公告原因和经过", "公告送达应当在案卷中记明原因和经过（民事诉讼法第九十五条第二款）。")
        if doc is ServedDocument.MEDIATION_DOCUMENT:
            raise KnownError("调解书经双方当事人签收后才发生法律效力（民事诉讼法第一百条第三款），不能公告送达。")
        if data.notice_days not in (30, 60):
            raise ValidationError("公告期", "为三十日；在中华人民共和国领域内没有住所的当事人为六十日。")
        region = party.domicile_region
        if region is DomicileRegion.FOREIGN and data.notice_days != 60:
            raise ValidationError("公告期", f"{party.name}在中华人民共和国领域内没有住所，公告期为六十日"
                                  "（民事诉讼法第二百八十三条第二款）。")
        if region is DomicileRegion.MAINLAND and data.notice_days != 30:
            raise ValidationError("公告期", f"{party.name}在境内有住所，公告期为三十日（民事诉讼法第九十五条）；"
                                  "在境内没有住所的，请先在当事人信息中注明。")
    if m is ServiceMethod.LEFT:
        if doc is ServedDocument.MEDIATION_DOCUMENT:
            raise KnownError("调解书应当直接送达当事人本人，不适用留置送达（民诉法解释第一百三十三条）；"
                             "当事人本人因故不能签收的，可由其指定的代收人签收。")
        if not (data.witnesses.strip() or data.media_record.strip()):
            raise ValidationError("留置送达", "须有基层组织或所在单位代表见证，或以拍照、录像记录送达过程（民事诉讼法第八十九条）。")
    if m is ServiceMethod.ELECTRONIC:
        conf = signed_confirmation(session, party)
        channel = {"mobile": conf.e_mobile, "email": conf.e_email, "wechat": conf.e_wechat}.get(data.e_channel) \
            if conf is not None and conf.e_service_consent else None
        if not channel:
            raise KnownError(E_CONSENT_REFUSED)
        address = conf
    if m is ServiceMethod.POST and not data.tracking_number.strip():
        raise ValidationError("法院专递单号", "邮寄送达须登记邮件单号。")
    if m is ServiceMethod.ENTRUSTED and not data.entrusted_court.strip():
        raise ValidationError("受委托法院", "委托送达须登记受委托的人民法院。")
    signed_on = data.signed_on or (data.attempted_on if r is ServiceResult.SIGNED and m is ServiceMethod.DIRECT
                                   else None)
    if r is ServiceResult.SIGNED and signed_on is None:
        raise ValidationError("签收日期", "请填写送达回证或回执上的签收日期。")
    if m is ServiceMethod.POST and r.failed and data.returned_on is None:
        raise ValidationError("退回日期", "邮件被退回的，请填写退回日期。")
    for label, d in (("签收日期", signed_on), ("退回日期", data.returned_on)):
        if d is not None and not data.attempted_on <= d <= today_local():
            raise ValidationError(label, "应在送达（寄出）日期与今天之间。")
    row = ServiceAttempt(
        case_id=case.id, party_id=party.id, address_id=address.id if address else None, method=m,
        document=doc, document_title=_limited(data.document_title.strip(), "文书名称", 200),
        attempted_on=data.attempted_on, result=r, signed_on=signed_on,
        signer=_limited(data.signer.strip(), "签收人", 100),
        returned_on=data.returned_on, tracking_number=_limited(data.tracking_number.strip(), "邮件单号", 60),
        witnesses=_limited(data.witnesses.strip(), "见证人", 200),
        media_record=_limited(data.media_record.strip(), "影像记录", 300),
        e_channel=data.e_channel, arrival_proved_on=data.arrival_proved_on,
        entrusted_court=_limited(data.entrusted_court.strip(), "受托法院", 100), notice_days=data.notice_days,
        receipt_ref=_limited(data.receipt_ref.strip(), "回执编号", 60), note=data.note.strip(), recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "service.attempt", entity="service_attempt", entity_id=row.id,
                 after=audit.snapshot(row, ["party_id", "address_id", "method", "document", "attempted_on", "result",
                                            "signed_on", "returned_on", "tracking_number", "receipt_ref"]))
    return row


def address_confirmation_data(session: Session, case: Case, party: Party) -> dict:
    """The data for a 送达地址确认书 (KIND address-confirmation): filled from the signed one, or a blank form
    prefilled from the best known address when none is signed yet (``signed`` False)."""
    conf = signed_confirmation(session, party)
    best = conf or next(iter(addresses_of(session, party)), None)
    natural = party.kind is PartyKind.NATURAL
    return {
        "case_number": case.case_number, "receipt_number": case.receipt_number, "cause_name": case.cause_name,
        "party_name": party.name, "party_role": party.role.label, "party_kind": party.kind.value,
        "id_type": "居民身份证" if natural else "统一社会信用代码",
        "id_number": party.id_number if natural else party.credit_code,
        "signed": conf is not None, "confirmed_on": conf.confirmed_on if conf else None,
        "confirmed_by_name": conf.confirmed_by_name if conf else "",
        "address": best.text if best else party.domicile, "postcode": best.postcode if best else "",
        "phone": (best.phone if best else "") or party.phone,
        "recipient": {k: getattr(conf, f"recipient_{k}") if conf else "" for k in ("name", "relation", "id_number", "phone")},
        "e_service_consent": bool(conf and conf.e_service_consent),
        "e_channels": {"mobile": conf.e_mobile, "email": conf.e_email, "wechat": conf.e_wechat} if conf else {},
        "basis": [f"{POST_RULES}第三条", f"{POST_RULES}第四条", f"{JS}第一百三十六条", f"{JS}第一百三十七条"],
    }
