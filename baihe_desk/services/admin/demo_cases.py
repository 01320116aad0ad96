"""Which demo case shows a document kind (``baihe-desk render KIND --case …`` after ``baihe-desk demo``).

A document is about a case at a certain point of its workflow: the 诉前调解告知书 before filing, the 补正通知书
after a review ended with 补正, the 执行建议 once the bureau replied … :func:`case_for_kind` names a case of
the demo data at that point (its 案号, else 收件号), for the README, the tests and a court trying the desk.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError
from baihe_desk.models import Case, Stage
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.models.explanation import ExplanationRequest, ExplanationTier
from baihe_desk.models.mediation import MediationCase, MediationStatus
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServiceAddress


def _queries() -> dict[str, Select]:
    return {
        # before filing (收件 / 审查): the window hands the notice out with its recommendation
        "mediation-notice": select(Case).join(MediationCase, MediationCase.case_id == Case.id).where(
            Case.stage == Stage.RECEIVED, MediationCase.status.in_([MediationStatus.SUGGESTED,
                                                                   MediationStatus.NOTICE_GIVEN])),
        "correction-notice": select(Case).join(ComplaintReview, ComplaintReview.case_id == Case.id).where(
            Case.stage == Stage.CORRECTION, ComplaintReview.outcome == ReviewOutcome.CORRECTION),
        "address-confirmation": select(Case).join(ServiceAddress, ServiceAddress.case_id == Case.id).where(
            ServiceAddress.confirmation_signed.is_(True)),
        "enforcement-consultation": select(Case).join(EnforcementConsultation).where(
            EnforcementConsultation.status == ConsultStatus.SENT),
        "enforcement-advice": select(Case).join(EnforcementConsultation).where(
            EnforcementConsultation.status.in_([ConsultStatus.ADOPTED, ConsultStatus.PARTLY_ADOPTED])),
        "explanation-record": select(Case).join(ExplanationRequest, ExplanationRequest.case_id == Case.id)
        .join(ExplanationTier).where(ExplanationTier.recorded_at.is_not(None), ExplanationTier.tier_no >= 2),
    }


# any other kind of a case (受理案件通知书, 交纳诉讼费用通知书 …): a case filed with a 民初 number
FILED = select(Case).where(Case.stage.in_([Stage.FILED, Stage.IN_TRIAL]), Case.number_type == "民初")


def case_for_kind(session: Session, kind: str) -> str:
    """The 案号 (or 收件号) of a demo case that ``kind`` renders for; KnownError when there is none."""
    query = _queries().get(kind, FILED)
    case = session.scalars(query.order_by(Case.received_on.desc(), Case.receipt_number).limit(1)).first()
    if case is None:
        raise KnownError(f"演示数据中没有适合生成“{kind}”的案件。")
    return case.case_number or case.receipt_number
