"""送达地址面板的数据 — plain snapshots for the service-address panel and the one ``save`` entry
that hands the dialogs' values to ``services.filing.service_address``. No Qt (runs on a worker thread).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, ValidationError
from baihe_desk.models import Case, Party, PartyKind, Procedure, User
from baihe_desk.models.service_address import ServiceAddress
from baihe_desk.services.filing import service_address as sa
from baihe_desk.services.filing.service_date import served_on


@dataclass(frozen=True)
class AddressView:
    id: uuid.UUID
    source_label: str
    text: str
    postcode: str
    phone: str
    usable: bool
    state: str  # the latest verification / service event, or 尚未核实
    last_check: str
    verifications: list[str]
    confirmation: str = ""  # for a 确认书: signed on, by, e-service consent and channels


@dataclass(frozen=True)
class AttemptView:
    attempted_on: str
    document: str
    method: str
    result: str
    tracking: str
    evidence: str
    receipt: str
    served: bool
    served_text: str  # 2026-11-05 / 2026-12-05（视为送达）/ 未送达
    reasoning: str


@dataclass
class PartyAddresses:
    id: uuid.UUID
    name: str
    role_label: str
    kind: PartyKind
    addresses: list[AddressView] = field(default_factory=list)
    attempts: list[AttemptView] = field(default_factory=list)
    e_channels: list[str] = field(default_factory=list)  # mobile / email / wechat consented on a signed 确认书
    risk: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


@dataclass
class CaseAddresses:
    case_id: uuid.UUID
    procedure: Procedure | None
    parties: list[PartyAddresses]


def _names(session: Session) -> dict[uuid.UUID, str]:
    return {uid: name for uid, name in session.execute(select(User.id, User.display_name))}


def _address_view(a: ServiceAddress, attempts, users: dict[uuid.UUID, str]) -> AddressView:  # type: ignore[no-untyped-def]
    usable, state = sa._address_state(a, attempts)  # noqa: SLF001 - the service's own rule
    checks = []
    for v in a.verifications:
        who = v.verifier_name or users.get(v.verified_by_id, "")
        checks.append(f"{v.verified_on} {v.method.label}：{v.result.label}" + (f"（{who}）" if who else "")
                      + (f"，{v.note}" if v.note else ""))
    confirmation = ""
    if a.confirmation_signed:
        chans = "、".join(x for x in (a.e_mobile and f"手机{a.e_mobile}", a.e_email and f"邮箱{a.e_email}",
                                       a.e_wechat and f"微信{a.e_wechat}") if x)
        confirmation = (f"送达地址确认书：{a.confirmed_on}由{a.confirmed_by_name}签署；"
                        + (f"同意电子送达（{chans}）" if a.e_service_consent else "不同意电子送达")
                        + (f"；指定代收人{a.recipient_name}" if a.recipient_name else ""))
    return AddressView(a.id, a.source.label, a.text, a.postcode, a.phone, usable, state,
                       checks[-1] if checks else ("已签署确认书" if a.confirmation_signed else "尚未核实"),
                       checks, confirmation)


def _attempt_view(t) -> AttemptView:  # type: ignore[no-untyped-def]
    s = served_on(t)
    served = f"{s.on}" + ("（视为送达）" if s.deemed else "") if s.served else "未送达"
    evidence = "；".join(x for x in (t.witnesses and f"见证人{t.witnesses}", t.media_record and f"影像{t.media_record}",
                                      t.signer and f"{t.signer}") if x)
    reasoning = s.reasoning + ("　依据：" + "；".join(s.basis) if s.basis else "") + \
        "".join(f"　注意：{w}" for w in s.warnings)
    return AttemptView(str(t.attempted_on), t.document_title or t.document.label, t.method.label, t.result.label,
                       t.tracking_number, evidence, t.receipt_ref, s.served, served, reasoning)


def load_addresses(session: Session, user: User, case_id: uuid.UUID, *, import_intake: bool) -> CaseAddresses:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在或已被删除。")
    if import_intake:
        sa.import_intake_addresses(session, user, case)
    users = _names(session)
    risks = {r.party_id: r for r in sa.address_risks(case).parties}
    out = CaseAddresses(case.id, case.procedure, [])
    for party in case.parties:
        attempts = sa.attempts_of(session, party)
        conf = sa.signed_confirmation(session, party)
        channels = [k for k, v in (("mobile", conf.e_mobile), ("email", conf.e_email), ("wechat", conf.e_wechat))
                    if v] if conf is not None and conf.e_service_consent else []
        risk = risks.get(party.id)
        out.parties.append(PartyAddresses(
            party.id, party.name, party.role.label, party.kind,
            [_address_view(a, attempts, users) for a in sa.addresses_of(session, party)],
            [_attempt_view(t) for t in attempts], channels,
            list(risk.reasons) if risk else [], list(risk.hints) if risk else []))
    return out


def _need(value: date | None, label: str) -> date:
    if value is None:
        raise ValidationError(label, "请填写日期。")
    return value


def save(session: Session, user: User, action: str, case_id: uuid.UUID, party_id: uuid.UUID,
         values: dict[str, Any], *, address_id: uuid.UUID | None = None) -> str:
    """Record one dialog's values through the service; returns the status line to show."""
    case, party = session.get(Case, case_id), session.get(Party, party_id)
    if case is None or party is None or party.case_id != case.id:
        raise NotFound("当事人不存在或已被删除。")
    who = f"{party.role.label}{party.name}"
    if action == "add":
        v = dict(values)
        a = sa.add_address(session, user, party, v.pop("source"), v.pop("text"), **v)
        return f"已为{who}添加地址（{a.source.label}）。"
    if action == "verify":
        address = session.get(ServiceAddress, address_id)
        if address is None or address.party_id != party.id:
            raise KnownError("所选地址不是该当事人的地址。")
        v = dict(values)
        row = sa.verify_address(session, user, address, v.pop("method"), v.pop("result"),
                                _need(v.pop("verified_on"), "核实日期"), **v)
        return f"已登记{who}的地址核实：{row.method.label}，{row.result.label}。"
    if action == "confirm":
        v = dict(values)
        v["confirmed_on"] = _need(v.get("confirmed_on"), "签署日期")
        sa.record_confirmation(session, user, party, sa.ConfirmationInput(**v))
        return f"已登记{who}签署的送达地址确认书。"
    if action == "attempt":
        v = dict(values)
        v["attempted_on"] = _need(v.get("attempted_on"), "送达日期")
        row = sa.record_attempt(session, user, case, party, sa.AttemptInput(**v))
        s = served_on(row)
        when = f"，送达日期 {s.on}" + ("（视为送达）" if s.deemed else "") if s.served else "，未送达"
        return f"已登记对{who}的{row.method.label}：{row.result.label}{when}。"
    raise KnownError(f"未知的操作：{action}")
