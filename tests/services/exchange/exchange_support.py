"""Two desks for the bundle tests: each its own data folder, database, key file and administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import Role, User
from baihe_desk.models.exchange import Desk, DeskKind
from baihe_desk.services.admin import users as user_admin
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.exchange import identity
from baihe_desk.services.exchange.checkin import import_bundle
from baihe_desk.services.exchange.export import export_bundle
from baihe_desk.storage.keystore import Keystore
from baihe_desk.storage.startup import open_database

PASSWORD = "Bundle-desk-2026"
TODAY = date(2026, 11, 16)


@dataclass
class DeskSide:
    name: str
    paths: Paths
    db: object
    keystore: Keystore
    admin: User
    desk: Desk

    def user(self, username: str) -> User:
        from sqlalchemy import select

        with self.db.session() as s:  # type: ignore[attr-defined]
            return s.scalar(select(User).where(User.username == username))

    def activate(self, username: str) -> User:
        """The desk's administrator opens an account that arrived with a bundle (inactive, no password)."""
        u = self.user(username)
        with self.db.transaction() as s:  # type: ignore[attr-defined]
            user_admin.set_active(s, s.get(User, self.admin.id), u.id, True)
            user_admin.reset_password(s, s.get(User, self.admin.id), u.id, PASSWORD)
        return self.user(username)

    def export(self, actor: User, case_ids, to: DeskSide, **kw) -> bytes:  # type: ignore[no-untyped-def]
        kw.setdefault("today", TODAY)
        with self.db.transaction() as s:  # type: ignore[attr-defined]
            return export_bundle(s, s.get(User, actor.id), self.keystore, list(case_ids), to.desk.id,
                                 paths=self.paths, **kw).data

    def import_(self, actor: User, data: bytes, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("today", TODAY)
        with self.db.transaction() as s:  # type: ignore[attr-defined]
            return import_bundle(s, s.get(User, actor.id), self.keystore, data, paths=self.paths, **kw)


def make_side(name: str, kind: DeskKind, root: Path, *, db=None, paths: Paths | None = None,  # type: ignore[no-untyped-def]
              admin: User | None = None) -> DeskSide:
    """A desk: ``db``/``admin`` given (the court from the fixtures) or a fresh SQLite desk with its own admin."""
    paths = paths or Paths(root).ensure()
    if db is None:
        db = open_database(paths, LocalSettings())
    if admin is None:
        with db.transaction() as s:
            admin = User(username=f"{name}_admin", display_name=f"{name}管理员", role=Role.ADMIN,
                         password_hash=hash_password(PASSWORD))
            s.add(admin)
    keystore = Keystore(paths.root, mode="file")
    with db.transaction() as s:
        me = identity.ensure_identity(s, keystore, s.get(User, admin.id), name=name, kind=kind)
        desk = me.desk
    return DeskSide(name, paths, db, keystore, admin, desk)


def register(on: DeskSide, other: DeskSide) -> Desk:
    """``on``'s administrator registers ``other`` from its card, with the fingerprint read aloud."""
    with other.db.session() as s:  # type: ignore[attr-defined]
        card = identity.card(s.get(Desk, other.desk.id))
    info = identity.read_card(card)
    spoken = other.desk.fingerprint.replace(" ", "，")  # read aloud, written down with commas
    with on.db.transaction() as s:  # type: ignore[attr-defined]
        return identity.register_desk(s, s.get(User, on.admin.id), info, spoken)


def pair(a: DeskSide, b: DeskSide) -> None:
    register(a, b)
    register(b, a)


def add_case(db, receipt: str, *, defendants: tuple[str, ...] = ("王堃",), stage=None, judge=None,  # type: ignore[no-untyped-def]
             case_number: str | None = None):
    """A 金融借款合同纠纷 received 40 days before TODAY (fixed dates: no dependence on the real date)."""
    from decimal import Decimal

    from baihe_desk.models import Case, Party, PartyKind, PartyRole, Stage

    with db.transaction() as s:
        case = Case(receipt_number=receipt, received_on=TODAY - timedelta(days=40), cause_code="4.10.108.1",
                    cause_name="金融借款合同纠纷", claim_amount=Decimal("50000"), claims="请求判令被告偿还借款本金及利息",
                    facts="被告借款到期未还", stage=stage or Stage.RECEIVED, judge_id=judge.id if judge else None,
                    case_number=case_number)
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION,
                              name="吉林白河农村商业银行股份有限公司", sort_order=0)]
        case.parties += [Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=n, sort_order=i + 1,
                               id_number="220222198503140118", domicile="吉林省安图县二道白河镇白山大街8号")
                         for i, n in enumerate(defendants)]
        s.add(case)
    return case


def refer(db, users, case, org, mediator, *, start: date = TODAY - timedelta(days=15)):  # type: ignore[no-untyped-def]
    """Through the window at the court: recommendation, notice, consent, assignment (not yet accepted)."""
    from baihe_desk.models.mediation import MediationStatus
    from baihe_desk.services.mediation import referral

    clerk = users[Role.FILING_CLERK]
    with db.transaction() as s:
        m = referral.recommend(s, clerk, case.id, on=start)
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, start
        referral.record_choice(s, clerk, m.id, "agree", start)
        referral.assign(s, clerk, m.id, org.id, mediator.id, on=start + timedelta(days=1))
    return m
