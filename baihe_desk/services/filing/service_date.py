"""送达日期 — whether a service attempt served the document, and on which day, with the legal basis.

:func:`served_on` applies the rules of 民事诉讼法 arts. 87–95 and the Interpretation (签收, 留置送达,
电子送达到达, 公告期满, 法院专递退回 to a confirmed address, direct service failing at a confirmed address)
to one recorded attempt. Pure: reads the attempt (and its case's procedure), writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import object_session

from baihe_desk.models import Case, Procedure
from baihe_desk.models.service_address import (
    AddressSource,
    ServiceAddress,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
)
from baihe_desk.services.deadlines.periods import period_end

CPL = "《中华人民共和国民事诉讼法》"


JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"


POST_RULES = "《最高人民法院关于以法院专递方式邮寄送达民事诉讼文书的若干规定》"


SIMPLE_RULES = "《最高人民法院关于适用简易程序审理民事案件的若干规定》"


@dataclass
class ServedOn:
    served: bool
    on: date | None
    deemed: bool  # 视为送达
    reasoning: str
    basis: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _binding(address: ServiceAddress | None) -> bool:
    """An address the party is bound by: its signed 确认书, a contract address, or a fallback after refusal."""
    if address is None:
        return False
    if address.source in (AddressSource.CONFIRMATION, AddressSource.CONTRACT):
        return True
    return address.refusal_recorded and address.source.rank <= 5


def served_on(attempt: ServiceAttempt) -> ServedOn:
    """The legal service date of ``attempt`` (None when it did not serve), with the reasoning."""
    m, r, a = attempt.method, attempt.result, attempt.address
    if r is ServiceResult.SIGNED:
        basis = {ServiceMethod.POST: [f"{CPL}第九十一条"], ServiceMethod.ENTRUSTED: [f"{JS}第一百三十四条"]}.get(
            m, [f"{CPL}第八十七条", f"{CPL}第八十八条"])
        who = f"（签收人：{attempt.signer}）" if attempt.signer else ""
        return ServedOn(True, attempt.signed_on, False, f"{m.label}，受送达人{who}于{attempt.signed_on}签收，签收日期为送达日期。", basis)
    if m is ServiceMethod.LEFT:
        how = f"见证人：{attempt.witnesses}" if attempt.witnesses else f"拍照、录像记录：{attempt.media_record}"
        return ServedOn(True, attempt.attempted_on, True, f"受送达人拒收，于{attempt.attempted_on}将文书留在其住所（{how}），视为送达。",
                        [f"{CPL}第八十九条", f"{JS}第一百三十条"])
    if m is ServiceMethod.ELECTRONIC:
        if attempt.arrival_proved_on:
            return ServedOn(True, attempt.arrival_proved_on, False, f"受送达人证明信息于{attempt.arrival_proved_on}到达其特定系统，以该日为送达日期。",
                            [f"{CPL}第九十条第二款", f"{JS}第一百三十五条第二款"])
        return ServedOn(True, attempt.attempted_on, False, f"电子送达，本院系统显示于{attempt.attempted_on}发送成功，以该日为送达日期。",
                        [f"{CPL}第九十条第二款", f"{JS}第一百三十五条第二款"])
    if m is ServiceMethod.PUBLIC_NOTICE:
        on, warnings = period_end(attempt.attempted_on, attempt.notice_days)
        return ServedOn(True, on, True, f"公告于{attempt.attempted_on}发出（以最后张贴或刊登日为准），经过{attempt.notice_days}日，"
                        f"于{on}视为送达。", [f"{CPL}第九十五条", f"{JS}第一百三十八条"], warnings)
    refused_self = r is ServiceResult.REFUSED and attempt.signer in ("本人", "受送达人本人", "指定代收人", "代收人")
    if m is ServiceMethod.POST and (_binding(a) or refused_self):
        why = "受送达人本人或其指定的代收人拒绝签收" if refused_self or a is None else f"按{a.source.label}“{a.text}”邮寄未能实际接收"
        return ServedOn(True, attempt.returned_on, True, f"{why}，文书于{attempt.returned_on}退回，退回之日视为送达之日。",
                        [f"{POST_RULES}第十一条"], ["受送达人能够证明自己在送达过程中没有过错的，不视为送达（同条第二款）。"])
    if m in (ServiceMethod.DIRECT, ServiceMethod.ENTRUSTED) and r.failed and r is not ServiceResult.REFUSED \
            and _binding(a):
        session = object_session(attempt)
        case = session.get(Case, attempt.case_id) if session is not None else None
        simple = case is not None and case.procedure in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS)
        basis = [f"{SIMPLE_RULES}第十条第二项"] if simple else ["《最高人民法院关于进一步加强民事送达工作的若干意见》（法发〔2017〕19号）"]
        warn = [] if simple else ["该意见原文未收入本系统法规库，请承办法官核对。"]
        return ServedOn(True, attempt.attempted_on, True, f"按当事人确认的地址直接送达未能接收（{r.label}），送达人当场在送达回证上"
                        f"记明情况之日（{attempt.attempted_on}）视为送达之日。", basis, warn)
    if r is ServiceResult.REFUSED:
        return ServedOn(False, None, False, "受送达人拒收。可依照民事诉讼法第八十九条留置送达（邀请见证人，或拍照、录像记录）。",
                        [f"{CPL}第八十九条"])
    where = "" if _binding(a) else f"该地址为{a.source.label if a else '未登记的地址'}，未经受送达人确认，不能视为送达。"
    return ServedOn(False, None, False, f"{m.label}未成功（{r.label}）。{where}请核实地址或改用其他送达方式；"
                    "受送达人下落不明或者用其他方式无法送达的，可以公告送达（简易程序除外）。",
                    [f"{CPL}第九十五条", f"{JS}第一百四十条"])
