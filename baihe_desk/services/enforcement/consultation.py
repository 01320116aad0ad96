"""执行咨询 — the judge's side: draft the 执行咨询函, check it, send it, record adoption of the 执行建议.

Flow (DOMAIN.md §7): :func:`create` from a case (its parties copied, with room for their known
assets) → :func:`save_draft` as the judge types (the editor autosaves; a no-change save writes
nothing) → :func:`send` (number, reply due date in working days, the checker's findings kept) → the
bureau answers (:mod:`baihe_desk.services.enforcement.advice`) → :func:`record_adoption` per
suggestion, which sets 已采纳 / 部分采纳 / 未采纳.

Who may do what: drafting and sending need ``Perm.CONSULT_DRAFT``; a draft is edited and sent only
by the user who created it; adoption is recorded only by the consulting judge (the sender). A
refusal of a named-person check is audited (``permission.denied``) like ``permissions.require``.

Court settings (``setting`` table; local practice, not national rules):

- ``enforcement.reply_working_days`` (default 10): working days the bureau has to reply. No national
  rule fixes it (the forward consultation is a local innovation); 10 working days ≈ the 15 days of
  the reverse-direction rule in 法发〔2018〕9号 (itself unconfirmed, DOMAIN.md §7).
- ``enforcement.consultation_code`` (default 执咨) and ``enforcement.advice_code`` (default 执建): the
  word in the internal serial numbers （2026）吉7502执咨1号 / （2026）吉7502执建1号 ([L] in DOCUMENTS.md §4).
- ``enforcement.bureau_name`` (default 本院执行局): the addressee of the 执行咨询函.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.errors import ConflictError, KnownError, NotFound, PermissionDenied, ValidationError
from baihe_desk.models import Case, Department, Setting, Stage, User, utcnow
from baihe_desk.models.enforcement import (
    ConsultationParty,
    ConsultationTerm,
    ConsultStatus,
    EnforcementAdvice,
    EnforcementConsultation,
    TermsKind,
)
from baihe_desk.services.common import audit
from baihe_desk.services.common.concurrency import bump, check_version
from baihe_desk.services.common.numbering import court_code_of, next_serial
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.deadlines.holidays import EXTRA_SETTING_KEY, HolidayTable, table_with_extra
from baihe_desk.services.deadlines.periods import add_working_days
from baihe_desk.services.enforcement.draft import (
    DraftData,
    draft_of,
    draft_texts,
    draft_to_json,
    gaps_of,
    normalized,
    validate,
)
from baihe_desk.services.enforcement.enforceability import CHECKER_VERSION, Gap, blocking
from baihe_desk.services.exchange.offline import is_borrowed

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPLY_DAYS_KEY, REPLY_DAYS_DEFAULT = "enforcement.reply_working_days", 10
CONSULT_CODE_KEY, CONSULT_CODE_DEFAULT = "enforcement.consultation_code", "执咨"
ADVICE_CODE_KEY, ADVICE_CODE_DEFAULT = "enforcement.advice_code", "执建"
BUREAU_KEY, BUREAU_DEFAULT = "enforcement.bureau_name", "本院执行局"
ENTITY = "enforcement_consultation"
REPLY_BASIS = ("执行局回复期限为本院工作规范（设置项 enforcement.reply_working_days），不是法定期间；"
               "执行咨询函无全国统一的回复期限规定")


class GapsOpen(KnownError):
    """Sending was asked while the checker still finds gaps; the caller confirms and sends again."""

    title = "可执行性检查"

    def __init__(self, gaps: list[Gap]):
        n = len(blocking(gaps))
        super().__init__(f"拟定条款仍有 {n} 处可能影响执行的缺陷。确认仍要发送的，执行局将同时看到这些提示。")
        self.gaps = gaps


# -- settings -------------------------------------------------------------------------------------

def setting(session: Session, key: str, default: Any) -> Any:
    row = session.get(Setting, key)
    return default if row is None or row.value is None else row.value


def reply_working_days(session: Session) -> int:
    value = setting(session, REPLY_DAYS_KEY, REPLY_DAYS_DEFAULT)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
        raise KnownError(f"设置“执行局回复期限（{REPLY_DAYS_KEY}）”有误：{value!r}，应为 1 至 60 的工作日数。"
                         "请管理员更正。")
    return value


def number_code(session: Session, key: str, default: str) -> str:
    code = setting(session, key, default)
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 6:
        raise KnownError(f"设置“{key}”（编号用字）有误：{code!r}，应为 1 至 6 个字。请管理员更正。")
    return code.strip()


def holiday_table(session: Session) -> HolidayTable:
    return table_with_extra(setting(session, EXTRA_SETTING_KEY, None))


def today_local() -> date:
    return datetime.now(SHANGHAI).date()


def assign_number(session: Session, key: str, default: str, year: int) -> tuple[str, int]:
    """The next internal serial （年）法院代字+用字+编号号 (gap-free, in the caller's transaction)."""
    code = number_code(session, key, default)
    court_code = court_code_of(session)
    serial = next_serial(session, court_code=court_code, year=year, type_code=code)
    return f"（{year}）{court_code}{code}{serial}号", serial


# -- checks ---------------------------------------------------------------------------------------

def load(session: Session, consultation_id: uuid.UUID) -> EnforcementConsultation:
    c = session.scalar(
        select(EnforcementConsultation).where(EnforcementConsultation.id == consultation_id).options(
            selectinload(EnforcementConsultation.parties), selectinload(EnforcementConsultation.terms),
            selectinload(EnforcementConsultation.advice).selectinload(EnforcementAdvice.items))
    )
    if c is None:
        raise NotFound("未找到该执行咨询函，可能已被删除。")
    return c


def only(session: Session, actor: User, c: EnforcementConsultation, user_id: uuid.UUID | None, what: str) -> None:
    """Refuse (audited, committed like ``permissions.require``) unless ``actor`` is ``user_id``."""
    if user_id is not None and actor.id == user_id:
        return
    audit.record(session, actor, "permission.denied", entity=ENTITY, entity_id=c.id,
                 after={"permission": what, "required_user_id": str(user_id) if user_id else None})
    session.commit()
    raise PermissionDenied(f"{actor.display_name}（{actor.role.label}）不能{what}。")


# -- the judge's steps --------------------------------------------------------------------------------

def _stage_note(case: Case) -> str:
    return {Stage.PRE_MEDIATION: "诉前调解中，拟达成调解协议", Stage.FILED: "已立案，审理中",
            Stage.IN_TRIAL: "审理中"}.get(case.stage, "")


def create(session: Session, actor: User, case_id: uuid.UUID, *,
           terms_kind: TermsKind = TermsKind.SETTLEMENT) -> EnforcementConsultation:
    """A new draft 执行咨询函 for ``case_id`` with the case's parties copied (known assets to fill in)."""
    require(session, actor, Perm.CONSULT_DRAFT)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("未找到该案件，可能已被删除。")
    dept = session.get(Department, actor.department_id) if actor.department_id else None
    c = EnforcementConsultation(case_id=case.id, terms_kind=terms_kind, stage_note=_stage_note(case),
                                from_department=dept.name if dept else "", contact_phone=actor.phone,
                                created_by_id=actor.id, questions=[], attachments=[])
    c.parties = [ConsultationParty(sort_order=i, party_id=p.id, role_label=p.role.label, kind=p.kind, name=p.name,
                                   id_code=p.id_number or p.credit_code, domicile=p.domicile)
                 for i, p in enumerate(case.parties)]
    session.add(c)
    session.flush()
    audit.record(session, actor, "enforcement.consult.create", entity=ENTITY, entity_id=c.id,
                 after={"case_id": case.id, **draft_to_json(draft_of(c))})
    return c


def _apply(c: EnforcementConsultation, d: DraftData) -> None:
    c.terms_kind, c.stage_note = d.terms_kind, d.stage_note
    c.from_department, c.contact_phone = d.from_department, d.contact_phone
    c.questions = list(d.questions)
    c.attachments = [{"name": a.name, "ref": a.ref} for a in d.attachments]
    c.parties = [ConsultationParty(sort_order=i, party_id=p.party_id, role_label=p.role_label, kind=p.kind,
                                   name=p.name, id_code=p.id_code, domicile=p.domicile, assets=p.assets)
                 for i, p in enumerate(d.parties)]
    terms = []
    for t in d.terms:
        cols = {k: v for k, v in t.__dict__.items() if k != "instalments"}
        terms.append(ConsultationTerm(
            **cols, instalments=[{"due": i.due.isoformat() if i.due else None,
                                  "amount": str(i.amount) if i.amount is not None else None} for i in t.instalments]))
    c.terms = terms


def save_draft(session: Session, actor: User, consultation_id: uuid.UUID, data: DraftData, *,
               expected_version: int | None = None) -> bool:
    """Store what the editor holds (autosave). Returns False when nothing changed (nothing written).

    ``expected_version``: the draft's ``row_version`` the editor showed (the same judge may have the draft
    open at two desks); a draft saved since raises :class:`EditConflict` with both versions of its text."""
    require(session, actor, Perm.CONSULT_DRAFT)
    c = load(session, consultation_id)
    if c.status is not ConsultStatus.DRAFT:
        raise ConflictError(f"该执行咨询函已{c.status.label}，不能再修改。")
    only(session, actor, c, c.created_by_id, "修改他人起草的执行咨询函")
    validate(data)
    data = normalized(data)
    stored = draft_of(c)
    if draft_to_json(data) == draft_to_json(stored):
        return False  # nothing would be written, so nothing can be overwritten
    check_version(session, c, expected_version, what="执行咨询函草稿", audit_entity=ENTITY,
                  texts=draft_texts(data, stored))
    _apply(c, data)
    bump(c)  # parties and terms are child rows: their change counts as a change of the draft
    session.flush()
    audit.record(session, actor, "enforcement.consult.save", entity=ENTITY, entity_id=c.id,
                 after=draft_to_json(draft_of(c)))
    return True


def discard(session: Session, actor: User, consultation_id: uuid.UUID) -> None:
    """Delete a draft that was never sent (its content stays in the audit trail)."""
    require(session, actor, Perm.CONSULT_DRAFT)
    c = load(session, consultation_id)
    if c.status is not ConsultStatus.DRAFT:
        raise ConflictError("已发送的执行咨询函不能删除。")
    only(session, actor, c, c.created_by_id, "删除他人起草的执行咨询函")
    audit.record(session, actor, "enforcement.consult.discard", entity=ENTITY, entity_id=c.id,
                 before={"case_id": c.case_id, **draft_to_json(draft_of(c))})
    session.delete(c)


def send(session: Session, actor: User, consultation_id: uuid.UUID, *, acknowledge_gaps: bool = False,
         today: date | None = None) -> EnforcementConsultation:
    """已发送: number it, set the reply due date (working days, court setting), keep the checker's findings.

    Raises :class:`GapsOpen` while the checker finds gaps, unless ``acknowledge_gaps``."""
    require(session, actor, Perm.CONSULT_DRAFT)
    c = load(session, consultation_id)
    if c.status is not ConsultStatus.DRAFT:
        raise ConflictError(f"该执行咨询函已{c.status.label}。")
    only(session, actor, c, c.created_by_id, "发送他人起草的执行咨询函")
    if is_borrowed(session, c.case_id):
        raise KnownError("本案为从法院借出的离线副本：执行咨询函可以离线起草，须交回法院后再发送（执咨编号由法院分配）。")
    if not c.terms:
        raise ValidationError("拟定条款", "请至少填写一项拟定的判项或调解条款后再发送", key="terms")
    gaps = gaps_of(c)
    if blocking(gaps) and not acknowledge_gaps:
        raise GapsOpen(gaps)
    sent_on = today or today_local()
    days = reply_working_days(session)
    due = add_working_days(sent_on, days, table=holiday_table(session), label="执行局回复期限", basis=REPLY_BASIS)
    c.number, c.number_serial = assign_number(session, CONSULT_CODE_KEY, CONSULT_CODE_DEFAULT, sent_on.year)
    c.number_year = sent_on.year
    c.status, c.sent_by_id, c.sent_at, c.sent_on = ConsultStatus.SENT, actor.id, utcnow(), sent_on
    c.reply_days, c.reply_due = days, due.due
    c.due_steps = [*due.steps, *due.warnings]
    c.gaps_at_send, c.checker_version = [g.as_dict() for g in gaps], CHECKER_VERSION
    session.flush()
    audit.record(session, actor, "enforcement.consult.send", entity=ENTITY, entity_id=c.id,
                 before={"status": "draft"},
                 after={"status": c.status.value, "number": c.number, "sent_on": sent_on, "reply_days": days,
                        "reply_due": due.due, "gaps_acknowledged": [g.as_dict() for g in blocking(gaps)]})
    return c


def record_adoption(session: Session, actor: User, consultation_id: uuid.UUID,
                    decisions: dict[uuid.UUID, tuple[bool, str]], note: str = "", *,
                    adopted_all: bool | None = None) -> ConsultStatus:
    """采纳情况: ``decisions`` = item id → (adopted, note) for every suggestion of the 执行建议.

    已采纳 when all are adopted, 未采纳 when none, else 部分采纳. A reply without suggestions needs
    ``adopted_all``. Anything not adopted needs a reason (the overall ``note`` or the item's note)."""
    require(session, actor, Perm.CONSULT_DRAFT)
    c = load(session, consultation_id)
    if c.status in (ConsultStatus.DRAFT, ConsultStatus.SENT) or c.advice is None:
        raise ConflictError("执行局尚未回复，不能记录采纳情况。")
    only(session, actor, c, c.consulting_user_id, "记录采纳情况（只有咨询法官本人可以记录）")
    items = [i for i in c.advice.items if i.is_suggestion]
    unknown = set(decisions) - {i.id for i in items}
    if unknown:
        raise ValidationError("采纳情况", "含有不属于本执行建议的条目，请刷新后重试", key="adoption")
    missing = [i for i in items if i.id not in decisions]
    if missing:
        raise ValidationError("采纳情况", f"请对每一条建议选择是否采纳（还有 {len(missing)} 条未选择）", key="adoption")
    if items:
        flags = [decisions[i.id][0] for i in items]
        status = (ConsultStatus.ADOPTED if all(flags) else
                  ConsultStatus.NOT_ADOPTED if not any(flags) else ConsultStatus.PARTLY_ADOPTED)
    elif adopted_all is None:
        raise ValidationError("采纳情况", "请选择是否采纳执行建议", key="adoption")
    else:
        status = ConsultStatus.ADOPTED if adopted_all else ConsultStatus.NOT_ADOPTED
    rejected = [i for i in items if not decisions[i.id][0]]
    if (status is not ConsultStatus.ADOPTED and not note.strip()
            and not (rejected and all(decisions[i.id][1].strip() for i in rejected))):
        raise ValidationError("未采纳的理由", "有建议未采纳的，请简要说明理由", key="adoption_note")
    before = {"status": c.status.value, "note": c.adoption_note,
              "items": {str(i.id): i.adopted for i in items}}
    for i in items:
        i.adopted, i.adoption_note = decisions[i.id][0], decisions[i.id][1].strip()
    c.status, c.adoption_note = status, note.strip()
    c.adoption_by_id, c.adoption_at = actor.id, utcnow()
    session.flush()
    audit.record(session, actor, "enforcement.consult.adoption", entity=ENTITY, entity_id=c.id, before=before,
                 after={"status": status.value, "note": c.adoption_note,
                        "items": {str(i.id): {"adopted": i.adopted, "note": i.adoption_note} for i in items}})
    return status

