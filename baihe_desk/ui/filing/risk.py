"""送达风险 for a page of the case list — the same finding as ``service_address.address_risks``,
computed for many cases with four queries instead of several per defendant.

No Qt here (it runs on a worker thread). Only cases whose documents are still to be served are
checked (``RISK_STAGES``); a closed, rejected or withdrawn case shows no flag.
TODO(lead): this belongs next to ``address_risks`` in services/service_address.py (as
``risks_for_cases``); it lives here because the services were closed when the list column was added.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.models import Case, Party, PartyRole, Stage
from baihe_desk.models.service_address import ServiceAddress, ServiceAttempt
from baihe_desk.services.filing.service_address import _address_state  # noqa: PLC2701 - the one rule, reused

RISK_STAGES = (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION, Stage.FILED, Stage.IN_TRIAL, Stage.JUDGED)
LABEL = "送达风险"


def page_risks(session: Session, case_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """{case id: messages} for the cases in ``case_ids`` with a 送达风险 (others are absent)."""
    if not case_ids:
        return {}
    active = set(session.scalars(select(Case.id).where(Case.id.in_(case_ids), Case.stage.in_(RISK_STAGES))))
    if not active:
        return {}
    defendants = session.execute(
        select(Party.id, Party.case_id, Party.name, Party.kind, Party.domicile)
        .where(Party.case_id.in_(active), Party.role == PartyRole.DEFENDANT)
        .order_by(Party.case_id, Party.sort_order)).all()
    party_ids = [d.id for d in defendants]
    addresses: dict[uuid.UUID, list[ServiceAddress]] = defaultdict(list)
    for a in session.scalars(select(ServiceAddress).options(selectinload(ServiceAddress.verifications))
                             .where(ServiceAddress.party_id.in_(party_ids), ServiceAddress.active.is_(True))):
        addresses[a.party_id].append(a)
    attempts: dict[uuid.UUID, list[ServiceAttempt]] = defaultdict(list)
    for t in session.scalars(select(ServiceAttempt).where(ServiceAttempt.party_id.in_(party_ids))
                             .order_by(ServiceAttempt.attempted_on, ServiceAttempt.created_at)):
        attempts[t.party_id].append(t)
    out: dict[uuid.UUID, list[str]] = {}
    for d in defendants:
        mine = sorted(addresses.get(d.id, []), key=lambda a: (a.source.rank, a.created_at))
        states = [(a, *_address_state(a, attempts.get(d.id, []))) for a in mine]
        if any(ok for _, ok, _ in states):
            continue
        reasons = [f"{a.source.label}“{a.text}”{desc}" for a, _, desc in states]
        if not mine:
            reasons = ["起诉状所列地址尚未登记为送达地址，也未核实" if d.domicile else "未登记任何送达地址"]
        out.setdefault(d.case_id, []).append(f"{LABEL}：被告{d.name}——{'；'.join(reasons)}")
    return out
