"""Document kinds by their stable KIND names (used by the CLI, the services and stored records).

``mediation-notice`` now; later ``correction-notice``, ``address-confirmation``,
``enforcement-consultation``, ``enforcement-advice``, ``explanation-record``.
"""

from __future__ import annotations

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.errors import KnownError
from baihe_desk.services.enforcement.documents import ENFORCEMENT_ADVICE, ENFORCEMENT_CONSULTATION
from baihe_desk.services.explanation.record import EXPLANATION_RECORD
from baihe_desk.services.filing.documents import ADDRESS_CONFIRMATION, CORRECTION_NOTICE
from baihe_desk.services.mediation.notice import MEDIATION_NOTICE
from baihe_desk.services.statistics.documents import MONTHLY_ANALYSIS, WEEKLY_BULLETIN

KINDS: dict[str, DocumentKind] = {
    MEDIATION_NOTICE.kind: MEDIATION_NOTICE,
    EXPLANATION_RECORD.kind: EXPLANATION_RECORD,
    CORRECTION_NOTICE.kind: CORRECTION_NOTICE,
    ADDRESS_CONFIRMATION.kind: ADDRESS_CONFIRMATION,
    ENFORCEMENT_CONSULTATION.kind: ENFORCEMENT_CONSULTATION,
    ENFORCEMENT_ADVICE.kind: ENFORCEMENT_ADVICE,
    WEEKLY_BULLETIN.kind: WEEKLY_BULLETIN,
    MONTHLY_ANALYSIS.kind: MONTHLY_ANALYSIS,
}


def get_kind(kind: str) -> DocumentKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise KnownError(f"没有这种文书：{kind}。可用：{'、'.join(KINDS)}。") from None
