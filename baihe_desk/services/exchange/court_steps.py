"""What the court does at check-in that an offline desk may not: numbers and filing; document files.

- An agreement recorded at the station (司法确认 / 调解书) comes back without its number: the court draws
  the **诉前调确** / **诉前调书** number here, from its own gap-free counter, in the check-in transaction.
- A mediation that failed at the station comes back 调解终结 but not filed: the court files it here (民初
  number, stage 已立案), exactly as the mediation service files it at the court
  (:func:`baihe_desk.services.mediation.outcome.file_case`).
- A generated document's file travels with its record when small; it is written under ``documents/``
  only if its SHA-256 matches the record, and never over an existing file.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import MediationCase, MediationOutcome, MediationStatus
from baihe_desk.services.common import audit

NUMBER_TYPES = {MediationOutcome.CONFIRMATION: "诉前调确", MediationOutcome.MEDIATION_DOCUMENT: "诉前调书"}


def assign_court_numbers(session: Session, actor: User, mediation_ids: set[str], *,
                         today: date | None = None) -> list[str]:
    from baihe_desk.services.mediation.outcome import OutcomeResult, file_case
    from baihe_desk.services.mediation.referral import get_case, new_number
    from baihe_desk.services.mediation.referral import today as local_today

    notes: list[str] = []
    t = today or local_today()
    for rid in sorted(mediation_ids):
        m = session.get(MediationCase, uuid.UUID(rid))
        if m is None:
            continue
        if m.status is MediationStatus.SUCCEEDED and m.outcome in NUMBER_TYPES and not m.outcome_number:
            type_code = NUMBER_TYPES[m.outcome]
            number = new_number(session, type_code, (m.outcome_on or t).year)
            m.outcome_number, m.outcome_number_type = number.format(), number.type_code
            session.flush()
            audit.record(session, actor, "mediation.outcome_number", entity="mediation_case", entity_id=m.id,
                         after={"number": m.outcome_number, "assigned_at": "check-in"})
            notes.append(f"已分配{type_code}号：{m.outcome_number}")
        elif m.status is MediationStatus.ENDED and not m.filed_case_number:
            case = get_case(session, m.case_id)
            result = OutcomeResult(mediation=m)
            file_case(session, case, t, result)
            m.filed_case_number, m.filed_on = case.case_number, case.filed_on
            session.flush()
            audit.record(session, actor, "mediation.filed_at_checkin", entity="mediation_case", entity_id=m.id,
                         after={"case_number": case.case_number, "filed_on": case.filed_on})
            notes.append(f"调解不成，已立案：{case.case_number}")
            notes.extend(result.warnings)
    return notes


def write_document_file(paths: Paths, row: dict[str, Any], data: bytes) -> str:
    """Write a travelled document file; returns a note when it was not written."""
    from baihe_desk.services.common.documents import write_new

    if hashlib.sha256(data).hexdigest() != row.get("sha256"):
        return f"文书“{row.get('title', '')}”的文件与记录的校验值不符，未保存文件。"
    target = (paths.documents / row["relpath"]).resolve()
    if paths.documents.resolve() not in target.parents:
        return f"文书“{row.get('title', '')}”的路径不在文书文件夹内，未保存文件。"
    if Path(target).exists():
        return ""
    write_new(target, data)
    return ""
