"""Document kinds by their stable KIND names (used by the CLI, the services and stored records).

``mediation-notice`` now; later ``correction-notice``, ``address-confirmation``,
``enforcement-consultation``, ``enforcement-advice``, ``explanation-record``.
"""

from __future__ import annotations

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.documents.explanation_record import EXPLANATION_RECORD
from baihe_desk.documents.mediation_notice import MEDIATION_NOTICE
from baihe_desk.errors import KnownError

KINDS: dict[str, DocumentKind] = {
    MEDIATION_NOTICE.kind: MEDIATION_NOTICE,
    EXPLANATION_RECORD.kind: EXPLANATION_RECORD,
}


def get_kind(kind: str) -> DocumentKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise KnownError(f"没有这种文书：{kind}。可用：{'、'.join(KINDS)}。") from None
