"""SQLAlchemy 2.0 typed models, one module per aggregate. Importing this registers all tables."""

from baihe_desk.models.audit import AuditRecord
from baihe_desk.models.base import Base, Money, UTCDateTime, new_id, utcnow
from baihe_desk.models.case import (
    Address,
    AddressKind,
    Agent,
    Case,
    CaseNumberCounter,
    DomicileRegion,
    Party,
    PartyKind,
    PartyRole,
    Procedure,
    Stage,
)
from baihe_desk.models.court import CourtProfile, Department, Setting
from baihe_desk.models.document import GeneratedDocument
from baihe_desk.models.review import Answer, ComplaintReview, ReviewAnswer, ReviewOutcome
from baihe_desk.models.service_address import (
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
from baihe_desk.models.template import WordingTemplate

# Workflow aggregates: imported so their tables register; use their modules for the classes.
from baihe_desk.models import clock, enforcement, exchange, explanation, mediation  # noqa: E402,F401  isort: skip
from baihe_desk.models.user import ROLE_LABELS, Role, User

__all__ = [
    "Answer", "ComplaintReview", "ReviewAnswer", "ReviewOutcome", "AddressSource", "AddressVerification",
    "ServedDocument", "ServiceAddress", "ServiceAttempt", "ServiceMethod", "ServiceResult", "VerificationMethod",
    "VerificationResult", "WordingTemplate",
    "Address", "AddressKind", "Agent", "AuditRecord", "Base", "Case", "CaseNumberCounter", "CourtProfile",
    "Department", "GeneratedDocument", "Money", "DomicileRegion", "Party", "PartyKind", "PartyRole", "Procedure", "ROLE_LABELS",
    "Role", "Setting", "Stage", "UTCDateTime", "User", "new_id", "utcnow",
]
