"""Every document kind of the desk, registered with the document engine (文书类型一览).

Import ``KINDS`` and ``get_kind`` from here, not from :mod:`baihe_desk.documents.registry`: importing this
module is what fills the registry. The order is the order the template editor lists them in.
"""

from __future__ import annotations

from baihe_desk.documents.registry import KINDS, get_kind, register
from baihe_desk.services.enforcement.documents import ENFORCEMENT_ADVICE, ENFORCEMENT_CONSULTATION
from baihe_desk.services.explanation.record import EXPLANATION_RECORD
from baihe_desk.services.filing.documents import ADDRESS_CONFIRMATION, CORRECTION_NOTICE
from baihe_desk.services.filing.notices import ACCEPTANCE_NOTICE, FEE_NOTICE
from baihe_desk.services.mediation.notice import MEDIATION_NOTICE
from baihe_desk.services.statistics.documents import MONTHLY_ANALYSIS, WEEKLY_BULLETIN

register(MEDIATION_NOTICE, EXPLANATION_RECORD, CORRECTION_NOTICE, ADDRESS_CONFIRMATION, ACCEPTANCE_NOTICE,
         FEE_NOTICE, ENFORCEMENT_CONSULTATION, ENFORCEMENT_ADVICE, WEEKLY_BULLETIN, MONTHLY_ANALYSIS)

__all__ = ["KINDS", "get_kind"]
