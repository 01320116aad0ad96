"""送达地址与送达记录的录入 — what the clerk enters for a 送达地址确认书 and for one service attempt.

Plain dataclasses the forms fill and :mod:`baihe_desk.services.filing.service_address` validates and stores.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from baihe_desk.models.service_address import (
    ServedDocument,
    ServiceMethod,
    ServiceResult,
)


@dataclass
class ConfirmationInput:
    """送达地址确认书 as signed by the party (or its agent)."""

    text: str
    confirmed_on: date
    signed: bool = True  # 签名、盖章或捺印
    confirmed_by_name: str = ""
    postcode: str = ""
    phone: str = ""
    recipient_name: str = ""
    recipient_relation: str = ""
    recipient_id_number: str = ""
    recipient_phone: str = ""
    e_service_consent: bool = False
    e_mobile: str = ""
    e_email: str = ""
    e_wechat: str = ""
    note: str = ""


@dataclass
class AttemptInput:
    method: ServiceMethod
    document: ServedDocument
    attempted_on: date
    result: ServiceResult
    address_id: uuid.UUID | None = None
    document_title: str = ""
    signed_on: date | None = None
    signer: str = ""  # who signed — or, for 拒收, who refused (本人 / 指定代收人 / 同住成年家属 …)
    returned_on: date | None = None
    tracking_number: str = ""
    witnesses: str = ""
    media_record: str = ""
    e_channel: str = ""  # mobile / email / wechat
    arrival_proved_on: date | None = None
    entrusted_court: str = ""
    notice_days: int = 30
    receipt_ref: str = ""
    note: str = ""
