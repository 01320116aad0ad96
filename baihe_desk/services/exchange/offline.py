"""离线副本 — whether a case on this desk is a copy borrowed from the court (laptop, station).

On such a copy the court's numbers are not drawn: a 诉前调确 / 诉前调书 number, the 民初 number of a case
filed after a failed mediation and the 执咨 number of a sent 执行咨询函 are assigned by the court when the
bundle comes back (services/exchange/checkin.py). The workflow services ask :func:`is_borrowed` first.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models.exchange import CaseCheckout

DEFERRED_NOTE = "本案为从法院借出的离线副本：编号由法院在案件包检入时分配。"


def is_borrowed(session: Session, case_id: uuid.UUID) -> bool:
    """True while ``case_id`` is held here as a copy borrowed from another desk (not yet returned)."""
    return session.scalar(select(CaseCheckout.id).where(
        CaseCheckout.case_id == case_id, CaseCheckout.direction == "in",
        CaseCheckout.returned_at.is_(None)).limit(1)) is not None
