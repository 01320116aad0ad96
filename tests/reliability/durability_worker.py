"""耐久测试（子进程端）— commits through the real services, each acknowledged to the parent before it goes on.

Run as ``python -m tests.reliability.durability_worker URL DATA_DIR SEED SYNC`` with the power-cut shim
preloaded (tests/reliability/power_cut_shim.c). After ``db.transaction()`` returns, the child writes one
line ``A <kind> <id>`` to stdout and flushes it: from then on the desk has told its user "saved", so the
commit must survive a power cut at any later moment. Kinds: ``intake`` (a case, maybe with addresses
and a 民初 number), ``number`` (登记立案 of an earlier case), ``review`` (a 立案审查 decision: 补正),
``document`` (the 诉前调解告知书 handed out: generated-document records and files, with the referral,
assignment and acceptance), ``outcome`` (调解不成 recorded: the mediation ends and the case is filed).

``SYNC``: ``app`` keeps the desk's own setting (synchronous=FULL); ``OFF`` forces synchronous=OFF after
it, to show that the test catches a desk that does not wait for the disk. Automatic checkpoints are off in
the child so that the main database file is only ever written by the parent between rounds (the shim
models the log, not the main file).
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, select

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, Role, Stage, User
from baihe_desk.models.mediation import MediationCase, MediationOutcome, MediationStatus, Mediator
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing.intake import create_case
from baihe_desk.services.filing.service_address import import_intake_addresses
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import station
from baihe_desk.services.mediation.outcome import OutcomeInput, record_outcome
from baihe_desk.storage.db import Database
from tests.reliability.crash_worker import COURT_CODE
from tests.reliability.factories import case_input

TODAY = today_local()


def ack(kind: str, ident: object) -> None:
    sys.stdout.write(f"A {kind} {ident}\n")
    sys.stdout.flush()


class Child:
    def __init__(self, url: str, data_dir: str, seed: int, sync: str):
        self.db = Database(url)

        @event.listens_for(self.db.engine, "connect")
        def _harness(dbapi_conn, _record):  # type: ignore[no-untyped-def]  # runs after the desk's own hook
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA wal_autocheckpoint=0")
            if sync != "app":
                cur.execute(f"PRAGMA synchronous={sync}")
            cur.close()

        self.paths = Paths(Path(data_dir)).ensure()
        self.rng = random.Random(seed)
        self.seed = seed
        with self.db.session() as s:
            self.clerk = s.scalars(select(User).where(User.role == Role.FILING_CLERK)).first()
            self.mediator_user = s.scalars(select(User).where(User.role == Role.MEDIATOR)).first()
            mediator = s.scalars(select(Mediator)).first()
            self.org_id, self.mediator_id = mediator.organisation_id, mediator.id
        self.n = 0

    def intake(self) -> None:
        self.n += 1
        data = case_input(self.seed * 1000 + self.n, received_on=TODAY - timedelta(days=10))
        numbered, addresses = self.rng.random() < 0.4, self.rng.random() < 0.5
        with self.db.transaction() as s:
            case = create_case(s, self.clerk, data, court_code=COURT_CODE)
            if addresses:
                import_intake_addresses(s, self.clerk, case)
            if numbered:
                assign_case_number(s, self.clerk, case, "民初", year=case.received_on.year)
            case_id = case.id
        ack("intake", case_id)

    def _open_case(self, s) -> Case | None:  # type: ignore[no-untyped-def]
        return s.scalars(select(Case).where(Case.case_number.is_(None), Case.stage == Stage.RECEIVED,
                                            ~Case.id.in_(select(MediationCase.case_id)))
                         .order_by(Case.receipt_number).limit(1).offset(self.rng.randrange(3))).first()

    def number(self) -> None:
        with self.db.transaction() as s:
            case = self._open_case(s)
            if case is None:
                return
            assign_case_number(s, self.clerk, case, "民初", year=case.received_on.year)
            case_id = case.id
        ack("number", case_id)

    def review(self) -> None:
        with self.db.transaction() as s:
            case = self._open_case(s)
            if case is None:
                return
            review = cr.start_review(s, self.clerk, case, case.received_on)
            cr.answer(s, self.clerk, review, "cond.defendant_identified", "fail", "被告住所不明，无法区别")
            for row in cr.review_sheet(s, review):
                if row.answer is None or row.prefilled:
                    cr.answer(s, self.clerk, review, row.item.id, row.answer or "pass")
            cr.finish(s, self.clerk, review, "correction", decided_on=TODAY)
            review_id = review.id
        ack("review", review_id)

    def document(self) -> None:
        with self.db.transaction() as s:
            case = self._open_case(s)
            if case is None:
                return
            d = TODAY - timedelta(days=5)
            m = mediation.recommend(s, self.clerk, case.id, refer=True, on=d,
                                    override_reason="双方当事人均表示愿意调解")
            docs = mediation.hand_out_notice(s, self.clerk, m.id, paths=self.paths, given_on=d)
            mediation.record_choice(s, self.clerk, m.id, "agree", d)
            mediation.assign(s, self.clerk, m.id, self.org_id, self.mediator_id, on=d)
            station.accept(s, self.mediator_user, m.id, accepted_on=d + timedelta(days=1))
            ids = ",".join(str(doc.id) for doc in docs)
        ack("document", ids)

    def outcome(self) -> None:
        with self.db.transaction() as s:
            m = s.scalars(select(MediationCase).where(MediationCase.status == MediationStatus.IN_PROGRESS)
                          .limit(1)).first()
            if m is None:
                return
            record_outcome(s, self.mediator_user, m.id, OutcomeInput(
                MediationOutcome.REFUSED, TODAY, undisputed_facts="借款事实无争议", note="被告不同意调解"), today_=TODAY)
            mediation_id = m.id
        ack("outcome", mediation_id)


KINDS = {"intake": 30, "number": 15, "review": 20, "document": 15, "outcome": 20}


def main(url: str, data_dir: str, seed: int, sync: str) -> None:
    child = Child(url, data_dir, seed, sync)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    names, weights = list(KINDS), list(KINDS.values())
    while True:
        kind = child.rng.choices(names, weights)[0]
        try:
            getattr(child, kind)()
        except KnownError as e:  # a refusal of the services is not a crash; it writes nothing
            sys.stderr.write(f"refused {kind}: {e}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
