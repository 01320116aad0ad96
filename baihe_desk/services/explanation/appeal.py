"""判后答疑 (1/4) — the judgment or ruling of a case, its service per party and the appeal deadlines.

The law (2023 民事诉讼法 numbering):

- 第一百七十一条: appeal against a first-instance **判决 within 15 days**, against a **裁定 within 10 days**;
  第二百八十六条: **30 days** for both if the party has no domicile in the PRC (解释第五百三十六条: per party;
  港澳台 parties by reference, 解释第五百四十九条 — ``Party.domicile_region``, :mod:`deadlines.party_periods`),
  from service of the document (``services.periods.statutory_deadline('appeal_judgment'|'appeal_ruling')``,
  which applies 第八十五条: the service day is not counted, a last day on a rest day moves on).
- 第一百五十七条第二款: only 不予受理、管辖权异议、驳回起诉 rulings may be appealed.
- 第一百六十五条 (小额诉讼) and 民诉法解释第二百七十一条: a small-claims judgment is final
  (一审终审); 解释第二百七十六条、第二百七十七条: a small-claims ruling on 管辖异议 or 驳回起诉 takes effect
  when made.
- 民诉法解释第二百四十四条: when the document cannot be served on both sides at once, each side's period
  runs from its own receipt — so every party has its own deadline.
- 民诉法解释第三百一十八条: an oral wish to appeal is not an appeal; a written 上诉状 is needed within the
  period. Caveat: the 2022 解释 cites the 民事诉讼法 by its **2021** numbering; art. 318 itself names no
  CPL article (its "法定上诉期间" is CPL art. 171, the same number in 2021 and 2023).

The tiers of the explanation are in :mod:`explanation_tiers`, the risk flag in
:mod:`explanation_risk`, the statistics in :mod:`explanation_stats`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, PermissionDenied, ValidationError
from baihe_desk.models import Case, DomicileRegion, Party, PartyRole, Procedure, Setting, Stage, User
from baihe_desk.models.explanation import (
    DecisionKind,
    ExplanationRequest,
    ExplanationTier,
    JudgmentRecord,
    JudgmentService,
    RulingType,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.case_scope import require_case_team
from baihe_desk.services.common.lookup import get_case
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines import periods
from baihe_desk.services.deadlines.holidays import EXTRA_SETTING_KEY, HolidayTable, table_with_extra
from baihe_desk.services.deadlines.party_periods import party_deadline, period_days, period_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
CPL = "《中华人民共和国民事诉讼法》"
JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"

NUMBERING_NOTE = (
    "该解释（2022年修正）引用民事诉讼法条文时使用2021年修正本的条文序号；该解释第三百一十八条所称“法定上诉期间”"
    "即现行民事诉讼法第一百七十一条（2021年、2023年修正本序号相同）。"
)
REMINDER_NOT_EXTENDED = "判后答疑不影响当事人的上诉权利，也不延长上诉期限。"
REMINDER_ORAL = (
    f"口头表示上诉的，不视为提起上诉：必须在法定上诉期间内递交书面上诉状，未递交的视为未提起上诉"
    f"（{JS}第三百一十八条）。"
)

THIRD_PARTY_NOTE = f"无独立请求权的第三人被判决承担民事责任的，才有权提起上诉（{JS}第八十二条），请核对。"

__all__ = [
    "AppealStatus", "appeal_status", "appealability", "judgment_of", "record_judgment", "set_service",
    "service_dates_from_log", "today",
]


def today() -> date:
    return datetime.now(SHANGHAI).date()


def setting(session: Session, key: str, default):  # type: ignore[no-untyped-def]
    row = session.get(Setting, key)
    return default if row is None or row.value is None else row.value


def holiday_table(session: Session) -> HolidayTable:
    return table_with_extra(setting(session, EXTRA_SETTING_KEY, None))


def deny(session: Session, actor: User, action: str, message: str, *, entity: str, entity_id, after) -> None:  # type: ignore[no-untyped-def]
    """A named-person refusal: audited and committed (so it survives the rollback), then raised."""
    audit.record(session, actor, action, entity=entity, entity_id=entity_id,
                 after={**after, "refused": True, "reason": message})
    session.commit()
    raise PermissionDenied(message)


def judgment_of(session: Session, case_id: uuid.UUID) -> JudgmentRecord | None:
    return session.scalar(select(JudgmentRecord).where(JudgmentRecord.case_id == case_id))


# -- appealability and deadlines -------------------------------------------------------------------


@dataclass(frozen=True)
class Appealability:
    appealable: bool
    period_key: str | None  # appeal_judgment / appeal_ruling
    days: int | None
    reason: str  # why (Chinese, with the article)


def appealability(kind: DecisionKind, ruling_type: RulingType | None, procedure: Procedure | None,
                  region: DomicileRegion | None = None) -> Appealability:
    """Whether the decision can be appealed and in how many days, for a party domiciled in ``region``
    (30 days for a party with no domicile in the PRC, 第二百八十六条; 港澳台 by 解释第五百四十九条)."""
    rule = _appealability(kind, ruling_type, procedure)
    if not rule.appealable or rule.period_key is None or not (region and DomicileRegion(region).without_domicile):
        return rule
    what = "判决" if kind is DecisionKind.JUDGMENT else f"{ruling_type.label if ruling_type else ''}裁定"
    who = ("在中华人民共和国领域内没有住所的当事人" if region is DomicileRegion.FOREIGN
           else f"港澳台地区当事人参照涉外程序（{JS}第五百四十九条）")
    return Appealability(True, period_key(rule.period_key, region), period_days(rule.period_key, region),
                         f"对第一审{what}可以上诉；{who}，上诉期限三十日（{CPL}第二百八十六条）")


def _appealability(kind: DecisionKind, ruling_type: RulingType | None, procedure: Procedure | None) -> Appealability:
    small = procedure is Procedure.SMALL_CLAIMS
    if kind is DecisionKind.JUDGMENT:
        if small:
            return Appealability(False, None, None,
                                 f"小额诉讼案件实行一审终审，判决不准上诉（{CPL}第一百六十五条；{JS}第二百七十一条）")
        return Appealability(True, "appeal_judgment", 15, f"对第一审判决可以上诉，上诉期限十五日（{CPL}第一百七十一条第一款）")
    if ruling_type is None:
        raise ValidationError("裁定种类", "请选择裁定种类（不予受理、管辖权异议、驳回起诉或其他）")
    if ruling_type is RulingType.OTHER:
        return Appealability(False, None, None, f"该裁定不属于可以上诉的裁定（{CPL}第一百五十七条第二款）")
    if small and ruling_type in (RulingType.JURISDICTION, RulingType.DISMISSAL):
        art = "第二百七十六条" if ruling_type is RulingType.JURISDICTION else "第二百七十七条"
        return Appealability(False, None, None, f"小额诉讼案件中的{ruling_type.label}裁定一经作出即生效（{JS}{art}）")
    return Appealability(True, "appeal_ruling", 10,
                         f"{ruling_type.label}裁定可以上诉（{CPL}第一百五十七条第二款），上诉期限十日（第一百七十一条第二款）")


@dataclass
class AppealStatus:
    """One party's appeal period as of ``on``."""

    party_id: uuid.UUID
    party_name: str
    party_role: str
    state: str  # not_appealable / not_served / running / expired
    served_on: date | None = None
    due: date | None = None
    days_left: int | None = None  # calendar days from ``on`` to ``due`` (0 on the last day)
    steps: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    reason: str = ""
    reminders: list[str] = field(default_factory=list)
    period_note: str = ""  # e.g. 境内没有住所：三十日（第二百八十六条）, for a party outside the 15/10-day rule

    @property
    def text(self) -> str:
        """The countdown as shown in every tier: 上诉期至… 尚余 N 日 / 已届满 / 不准上诉 / 尚未送达."""
        if self.state == "not_appealable":
            return f"依法不准上诉：{self.reason}"
        if self.state == "not_served":
            return "裁判文书尚未登记向该当事人送达的日期，上诉期自其收到之日起计算"
        assert self.due is not None
        due = f"{self.due.year}年{self.due.month}月{self.due.day}日"
        if self.state == "expired":
            return f"上诉期已于{due}届满"
        if self.days_left == 0:
            return f"今日（{due}）为上诉期的最后一日"
        return f"上诉期至{due}届满，尚余 {self.days_left} 日"


def appeal_status(session: Session, judgment: JudgmentRecord, party: Party, on: date,
                  *, table: HolidayTable | None = None) -> AppealStatus:
    """The appeal deadline of ``party`` (from its own service, 解释第二百四十四条) as of ``on``."""
    case = session.get(Case, judgment.case_id)
    rule = appealability(judgment.kind, judgment.ruling_type, case.procedure if case else None,
                         party.domicile_region)
    st = AppealStatus(party.id, party.name, party.role.label, "not_appealable", reason=rule.reason)
    service = next((s for s in judgment.services if s.party_id == party.id), None)
    if service is not None:
        st.served_on = service.served_on
    if not rule.appealable or rule.period_key is None:  # an appealable decision always names its period
        return st
    st.reminders = [REMINDER_NOT_EXTENDED, REMINDER_ORAL]
    if party.domicile_region is DomicileRegion.FOREIGN:
        st.period_note = "境内没有住所：三十日（民事诉讼法第二百八十六条）"
    elif party.domicile_region is DomicileRegion.HK_MO_TW:
        st.period_note = "港澳台：参照涉外程序三十日（民诉法解释第五百四十九条）"
    if service is None:
        st.state = "not_served"
        return st
    deadline = party_deadline(rule.period_key, service.served_on, party.domicile_region,
                              table=table or holiday_table(session))
    st.due, st.steps, st.basis, st.warnings = deadline.due, deadline.steps, deadline.basis, deadline.warnings
    if party.role is PartyRole.THIRD_PARTY:
        st.warnings = (*st.warnings, THIRD_PARTY_NOTE)
    st.days_left = periods.days_left(deadline.due, on)
    st.state = "running" if st.days_left >= 0 else "expired"
    return st


def party_statuses(session: Session, case_id: uuid.UUID, on: date) -> list[AppealStatus]:
    """Every party's appeal status (empty if no judgment is recorded)."""
    judgment = judgment_of(session, case_id)
    if judgment is None:
        return []
    case = get_case(session, case_id)
    table = holiday_table(session)
    return [appeal_status(session, judgment, p, on, table=table) for p in case.parties]


# -- recording the judgment and its service ---------------------------------------------------------


def _no_future(d: date | None, field_label: str, on: date) -> date:
    if not isinstance(d, date):
        raise ValidationError(field_label, "请填写日期")
    if d > on:
        raise ValidationError(field_label, f"不能晚于今天（{on.isoformat()}）")
    return d


def record_judgment(session: Session, actor: User | None, case_id: uuid.UUID, *, kind: DecisionKind,
                    pronounced_on: date, ruling_type: RulingType | None = None, document_number: str = "",
                    summary: str = "", on: date | None = None) -> JudgmentRecord:
    """登记 (or correct) the judgment or ruling of a case. Its kind cannot change once a tier is recorded."""
    actor = require(session, actor, Perm.JUDGMENT_RECORD)
    on = on or today()
    case = get_case(session, case_id)
    require_case_team(session, actor, case, "登记本案的裁判")
    kind = DecisionKind(kind)
    ruling_type = RulingType(ruling_type) if kind is DecisionKind.RULING and ruling_type else None
    appealability(kind, ruling_type, case.procedure)  # validates the ruling type
    _no_future(pronounced_on, "宣判日期", on)
    if case.filed_on and pronounced_on < case.filed_on:
        raise ValidationError("宣判日期", f"不能早于立案日期（{case.filed_on.isoformat()}）")
    row = judgment_of(session, case_id)
    before = audit.snapshot(row) if row else None
    if row is not None and (row.kind, row.ruling_type) != (kind, ruling_type):
        recorded = session.scalar(select(ExplanationTier.id).join(ExplanationRequest).where(
            ExplanationRequest.judgment_id == row.id, ExplanationTier.recorded_at.is_not(None)).limit(1))
        if recorded is not None:
            raise KnownError("已有答疑记录依据本裁判文书的上诉期作出，不能再更改文书种类。如确有错误，请联系管理员。")
    if row is not None:
        early = [s for s in row.services if s.served_on < pronounced_on]
        if early:
            raise ValidationError("宣判日期", "不能晚于已登记的送达日期")
    if row is None:
        row = JudgmentRecord(case_id=case.id, kind=kind, pronounced_on=pronounced_on, recorded_by_id=actor.id)
        session.add(row)
    row.kind, row.ruling_type, row.pronounced_on = kind, ruling_type, pronounced_on
    row.document_number = (document_number or case.case_number or "").strip()
    row.summary = (summary or "").strip()
    session.flush()
    audit.record(session, actor, "judgment.record", entity="judgment_record", entity_id=row.id,
                 before=before, after=audit.snapshot(row))
    if case.stage in (Stage.FILED, Stage.IN_TRIAL):
        old = case.stage
        case.stage = Stage.JUDGED
        audit.record(session, actor, "case.stage", entity="case", entity_id=case.id,
                     before={"stage": old.value}, after={"stage": Stage.JUDGED.value, "by": "judgment.record"})
    return row


def set_service(session: Session, actor: User | None, case_id: uuid.UUID, party_id: uuid.UUID, served_on: date,
                *, source: str = "", on: date | None = None) -> JudgmentService:
    """登记 (or correct) the date the judgment/ruling was served on one party."""
    actor = require(session, actor, Perm.JUDGMENT_RECORD)
    on = on or today()
    require_case_team(session, actor, get_case(session, case_id), "登记本案裁判的送达")
    judgment = judgment_of(session, case_id)
    if judgment is None:
        raise KnownError("请先登记本案的判决或裁定（种类、宣判日期），再登记送达日期。")
    party = session.get(Party, party_id)
    if party is None or party.case_id != case_id:
        raise ValidationError("当事人", "不是本案的当事人")
    _no_future(served_on, "送达日期", on)
    if served_on < judgment.pronounced_on:
        raise ValidationError("送达日期", f"不能早于宣判日期（{judgment.pronounced_on.isoformat()}）")
    row = next((s for s in judgment.services if s.party_id == party_id), None)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = JudgmentService(judgment_id=judgment.id, party_id=party_id, served_on=served_on, recorded_by_id=actor.id)
        judgment.services.append(row)
    row.served_on, row.source = served_on, (source or "").strip()
    session.flush()
    status = appeal_status(session, judgment, party, on)
    audit.record(session, actor, "judgment.service", entity="judgment_service", entity_id=row.id, before=before,
                 after={**audit.snapshot(row), "appeal_due": status.due, "appeal_state": status.state})
    return row


def service_dates_from_log(session: Session, case_id: uuid.UUID) -> dict[uuid.UUID, tuple[date, str]]:
    """Service dates of the judgment/ruling found in the service log (送达记录), per party:
    ``{party_id: (date, explanation)}`` — a suggestion the clerk confirms with :func:`set_service`."""
    from baihe_desk.models import ServedDocument, ServiceAttempt
    from baihe_desk.services.filing.service_date import served_on

    judgment = judgment_of(session, case_id)
    if judgment is None:
        return {}
    wanted = ServedDocument.JUDGMENT if judgment.kind is DecisionKind.JUDGMENT else ServedDocument.RULING
    out: dict[uuid.UUID, tuple[date, str]] = {}
    attempts = session.scalars(select(ServiceAttempt).where(ServiceAttempt.case_id == case_id,
                                                            ServiceAttempt.document == wanted)
                               .order_by(ServiceAttempt.attempted_on))
    for attempt in attempts:
        result = served_on(attempt)
        if result.served and result.on is not None and attempt.party_id not in out:
            out[attempt.party_id] = (result.on, result.reasoning)
    return out
