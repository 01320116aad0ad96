"""Rows for the demo data (演示数据): cases with their parties and addresses, as plain tuples — the
*bulk* of the demo (the history and the open cases that have no workflow records yet); the cases in the
workflow stages come from ``demo_sample`` through the services.

Open bulk cases (收件待审查, 已立案, 审理中) also get their defendants' 送达地址 with the 核实 record a
clerk would have made: about one case in five (``RISK_SHARE``) keeps a defendant without a verified address
(a 起诉状 address that the 户籍 query did not confirm), so the 送达风险 flag marks the exception.

``RowMaker`` produces rows fast: values already in the database's storage format (for SQLite: the
UUID as 32 hex digits, dates as ISO text, enums by member name, money as text — each derived from
SQLAlchemy's own bind processors where it matters, and checked by a test), dates precomputed and
sorted so numbers follow the calendar, pinyin cached per character. Deterministic for a seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect

from baihe_desk.models import Address, AddressKind, Case, Party, PartyKind, PartyRole, Procedure, Stage
from baihe_desk.models.service_address import (
    AddressSource,
    AddressVerification,
    ServiceAddress,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.filing import causes

CASE_COLS = ("id", "receipt_number", "cause_code", "cause_name", "cause_catalogue", "procedure", "stage",
             "claim_amount", "claims", "facts", "received_on", "filed_on", "closed_on", "case_number",
             "number_year", "number_type", "number_serial", "judge_id", "created_by_id", "created_at",
             "updated_at", "row_version", "department_id")
PARTY_COLS = ("id", "case_id", "role", "kind", "sort_order", "name", "sex", "birth_date", "ethnicity",
              "occupation", "work_unit", "id_number", "credit_code", "legal_rep_name", "legal_rep_title",
              "legal_rep_is_principal", "domicile", "phone", "name_pinyin", "created_at", "updated_at")
ADDRESS_COLS = ("id", "party_id", "kind", "text", "postcode", "source", "sort_order", "created_at", "updated_at")
SERVICE_ADDRESS_COLS = ("id", "case_id", "party_id", "source", "text", "phone", "created_by_id", "created_at",
                        "updated_at")
VERIFICATION_COLS = ("id", "address_id", "method", "verified_on", "verified_by_id", "result", "note", "created_at",
                     "updated_at")
TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "case": (Case.__table__, CASE_COLS),  # type: ignore[dict-item]
    "party": (Party.__table__, PARTY_COLS),  # type: ignore[dict-item]
    "address": (Address.__table__, ADDRESS_COLS),  # type: ignore[dict-item]
    "service_address": (ServiceAddress.__table__, SERVICE_ADDRESS_COLS),  # type: ignore[dict-item]
    "address_verification": (AddressVerification.__table__, VERIFICATION_COLS),  # type: ignore[dict-item]
}
TABLE_NAMES = tuple(TABLES)
MODELS = (Case, Party, Address, ServiceAddress, AddressVerification)
OPEN_STAGES = frozenset({Stage.RECEIVED, Stage.FILED, Stage.IN_TRIAL})  # bulk stages whose defendants get served
RISK_SHARE = 0.2  # open cases left with a defendant whose address is not verified (送达风险)
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)
RECENT_DAYS = 200
BIRTH_FIRST, BIRTH_LAST = date(1945, 1, 1).toordinal(), date(2004, 12, 31).toordinal()
ORG_DEFENDANT_CAUSES = ("物业服务合同纠纷", "旅游合同纠纷")
ORG_PLAINTIFF_CAUSES = ("金融借款合同纠纷", "信用卡纠纷", "物业服务合同纠纷")


def _processor(table: Table, column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """The column's bind processing; datetimes then as the text sqlite3's adapter would store."""
    column_type = table.c[column].type
    proc = column_type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)

    def to_storage(value: Any) -> Any:
        value = proc(value)
        if isinstance(value, datetime):
            return value.isoformat(" ")
        return value.isoformat() if isinstance(value, date) else value

    return to_storage


class PinyinKeys:
    """``name_pinyin`` values: whole-name pinyin (as intake) for organisations, cached per name;
    per-character pinyin for person names (fast, and the surname reading is the usual one)."""

    def __init__(self) -> None:
        self._chars: dict[str, tuple[str, str]] = {}
        self._names: dict[str, str] = {}

    def char(self, ch: str) -> tuple[str, str]:
        hit = self._chars.get(ch)
        if hit is None:
            from pypinyin import Style, lazy_pinyin

            hit = ("".join(lazy_pinyin(ch, errors="ignore")).lower(),
                   "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")).lower())
            self._chars[ch] = hit
        return hit

    def person(self, name: str) -> str:
        parts = [self.char(c) for c in name]
        return ("".join(p[0] for p in parts) + " " + "".join(p[1] for p in parts))[:400]

    def organisation(self, name: str) -> str:
        hit = self._names.get(name)
        if hit is None:
            from baihe_desk.services.filing.intake import name_search_key

            hit = self._names[name] = name_search_key(name)
        return hit


class RowMaker:
    """Makes batches of (case rows, party rows, address rows) for ``total`` cases over ten years."""

    def __init__(self, rng: random.Random, dialect: Dialect, *, court_code: str, user_ids: dict[str, Any],
                 counters: dict[tuple[int, str], int], causes: list[tuple[Any, str]],
                 stages_by_age: list[tuple[int, list[tuple[Stage, int]]]], today: date, now: datetime,
                 total: int):
        self.rng = rng
        self.native = dialect.name == "sqlite"  # produce SQLite storage values (else Python values)
        self.court_code = court_code
        self.counters = counters
        self.causes = causes
        self.stage_pools = [(age, [st for st, w in pool for _ in range(w)]) for age, pool in stages_by_age]
        self.today = today.toordinal()
        self.pinyin = PinyinKeys()
        self._days: dict[int, tuple[Any, int]] = {}
        self.extras: dict[str, tuple[list[str], tuple[Any, ...]]] = {}
        for name, (table, cols) in TABLES.items():
            extra = [c for c in table.columns if c.name not in cols]
            self.extras[name] = ([c.name for c in extra], tuple(self._default(table, c, dialect) for c in extra))
        conv = (lambda table, col: _processor(TABLES[table][0], col, dialect)) if self.native else \
            (lambda table, col: lambda v: v)
        self.stage = {s: conv("case", "stage")(s) for s in Stage}
        self.procedure = {p: conv("case", "procedure")(p) for p in Procedure}
        self.role = {r: conv("party", "role")(r) for r in PartyRole}
        self.kind = {k: conv("party", "kind")(k) for k in PartyKind}
        self.domicile_kind = conv("address", "kind")(AddressKind.DOMICILE)
        self.sources = {s: conv("service_address", "source")(s) for s in AddressSource}
        self.methods = {m: conv("address_verification", "method")(m) for m in VerificationMethod}
        self.results = {r: conv("address_verification", "result")(r) for r in VerificationResult}
        self.now = conv("case", "created_at")(now)
        self.false = conv("party", "legal_rep_is_principal")(False)
        self.uuid = (lambda n: f"{n:032x}") if self.native else (lambda n: uuid.UUID(int=n))
        self.money = (lambda n: f"{n}.00") if self.native else (lambda n: Decimal(n).quantize(Decimal("0.01")))
        self.clerk = self.to_uuid(user_ids["lian"])
        self.judge = self.to_uuid(user_ids["faguan"])
        self.received = self._received_days(total, date(today.year - 10, 1, 1).toordinal())
        self.next_case = 0
        self._served: list[tuple] = []  # 送达地址 rows of the batch being made
        self._verified: list[tuple] = []  # their 核实 rows

    def _default(self, table: Table, column: Any, dialect: Dialect) -> Any:
        default = column.default
        if default is None:
            return None
        value = default.arg(None) if callable(default.arg) else default.arg
        return _processor(table, column.name, dialect)(value) if self.native else value

    def to_uuid(self, value: Any) -> Any:
        return value.hex if self.native else value

    def _received_days(self, total: int, first: int) -> list[int]:
        """Receipt dates, sorted: uniform over ten years, small loads weighted to the last months."""
        rng, today = self.rng, self.today
        recent = min(0.5, 100 / max(total, 1))
        days = [rng.randint(today - RECENT_DAYS, today) if rng.random() < recent else rng.randint(first, today)
                for _ in range(total)]
        days.sort()
        return days

    def day(self, ordinal: int) -> tuple[Any, int]:
        """(storage value, year) of a day number."""
        hit = self._days.get(ordinal)
        if hit is None:
            d = date.fromordinal(ordinal)
            hit = self._days[ordinal] = (d.isoformat() if self.native else d, d.year)
        return hit

    def insert_sql(self, table: str) -> str:
        cols = list(TABLES[table][1]) + self.extras[table][0]
        names = ", ".join(f'"{c}"' for c in cols)
        return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})'

    def as_python(self, table: str, row: tuple[Any, ...]) -> dict[str, Any]:
        return dict(zip(list(TABLES[table][1]) + self.extras[table][0], row, strict=True))

    def new_id(self) -> Any:
        return self.uuid(self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET)

    def _serial(self, year: int, type_code: str) -> int:
        key = (year, type_code)
        self.counters[key] = serial = self.counters.get(key, 0) + 1
        return serial

    def batch(self, n: int) -> tuple[list[tuple], ...]:
        """One list of rows per table of :data:`TABLE_NAMES` (case, party, address, 送达地址, 核实)."""
        cases: list[tuple] = []
        parties: list[tuple] = []
        addresses: list[tuple] = []
        self._served, self._verified = [], []
        extra_c, extra_p, extra_a = (self.extras[t][1] for t in ("case", "party", "address"))
        for _ in range(n):
            cases.append(self._case(parties, addresses, extra_p, extra_a) + extra_c)
        return cases, parties, addresses, self._served, self._verified

    def _service_addresses(self, case_id: Any, received: int, defendants: list[tuple[Any, bool, str, str]]) -> None:
        """送达地址 of an open case's defendants, as the window records them: the 户籍/工商登记 address
        confirmed by a query a few days after receipt; in a ``RISK_SHARE`` of cases the first defendant
        has only the 起诉状 address, which the 户籍 query did not confirm (查无此人)."""
        rng = self.rng
        at_risk = rng.random() < RISK_SHARE
        extra_s, extra_v = self.extras["service_address"][1], self.extras["address_verification"][1]
        for i, (pid, is_org, addr, phone) in enumerate(defendants):
            risky = at_risk and i == 0
            source = AddressSource.COMPLAINT if risky else \
                AddressSource.BUSINESS_REGISTRATION if is_org else AddressSource.HOUSEHOLD
            method = VerificationMethod.ENTERPRISE_QUERY if is_org else VerificationMethod.HOUSEHOLD_QUERY
            result = VerificationResult.NOT_FOUND if risky else VerificationResult.CONFIRMED
            sid = self.new_id()
            self._served.append((sid, case_id, pid, self.sources[source], addr, phone, self.clerk, self.now,
                                 self.now) + extra_s)
            day = self.day(min(self.today, received + rng.randint(0, 3)))[0]
            note = "户籍信息中无此人" if risky else ""
            self._verified.append((self.new_id(), sid, self.methods[method], day, self.clerk, self.results[result],
                                   note, self.now, self.now) + extra_v)

    def _case(self, parties: list[tuple], addresses: list[tuple], extra_p: tuple, extra_a: tuple) -> tuple:
        rng = self.rng
        received = self.received[self.next_case]
        self.next_case += 1
        age = self.today - received
        stage = rng.choice(next(pool for limit, pool in self.stage_pools if age <= limit))
        cause, claim_tmpl = rng.choice(self.causes)
        amount = None if cause.name in ("离婚纠纷", "相邻关系纠纷") else \
            rng.choice([rng.randint(800, 50000), rng.randint(50000, 500000)])
        received_value, year = self.day(received)
        case_id = self.new_id()
        case_number = number_type = number_serial = number_year = procedure = judge = filed = closed = None
        if stage not in (Stage.RECEIVED, Stage.CORRECTION, Stage.REJECTED):
            number_type = "民诉前调" if stage is Stage.PRE_MEDIATION else "民初"
            number_serial = self._serial(year, number_type)
            number_year = year
            case_number = f"（{year}）{self.court_code}{number_type}{number_serial}号"
            if number_type == "民初":
                filed = self.day(min(self.today, received + rng.randint(0, 7)))[0]
                proc = Procedure.SMALL_CLAIMS if amount and amount < 40000 else \
                    rng.choice([Procedure.SIMPLE, Procedure.SIMPLE, Procedure.ORDINARY])
                procedure, judge = self.procedure[proc], self.judge
        if stage in (Stage.CLOSED, Stage.WITHDRAWN):
            closed = self.day(received + rng.randint(min(20, age), min(400, age)))[0]
        amt = f"{amount:,}.00" if amount else ""
        row = (case_id, f"{year}收{self._serial(year, '收件'):05d}", cause.code, cause.name,
               causes.CATALOGUE_VERSION if year >= 2026 else "2020", procedure, self.stage[stage],
               None if amount is None else self.money(amount), claim_tmpl.format(amt=amt),
               "原、被告之间因" + cause.name.removesuffix("纠纷") + "发生争议，协商未果。",
               received_value, filed, closed, case_number, number_year, number_type, number_serial, judge,
               self.clerk, self.now, self.now, 1, None)
        defendants = self._parties(case_id, cause.name, parties, addresses, extra_p, extra_a)
        if stage in OPEN_STAGES:
            self._service_addresses(case_id, received, defendants)
        return row

    def _parties(self, case_id: Any, cause_name: str, parties: list[tuple], addresses: list[tuple],
                 extra_p: tuple, extra_a: tuple) -> list[tuple[Any, bool, str, str]]:
        """Adds the rows; returns the defendants as (party id, is organisation, address, phone)."""
        rng = self.rng
        defendants = []
        org_defendant = cause_name in ORG_DEFENDANT_CAUSES or rng.random() < 0.2
        org_plaintiff = cause_name in ORG_PLAINTIFF_CAUSES
        if cause_name == "物业服务合同纠纷":
            org_defendant = False
        roles = [(PartyRole.PLAINTIFF, org_plaintiff), (PartyRole.DEFENDANT, org_defendant)]
        if rng.random() < 0.25:
            roles.append((PartyRole.DEFENDANT, False))
        if rng.random() < 0.05:
            roles.append((PartyRole.THIRD_PARTY, rng.random() < 0.5))
        now, false = self.now, self.false
        for order, (role, is_org) in enumerate(roles):
            region = rng.choice(dd.REGIONS)
            addr = dd.address(rng, region)
            pid = self.new_id()
            phone = dd.mobile(rng)
            if is_org:
                name = dd.org_name(rng, region[2])
                row = (pid, case_id, self.role[role], self.kind[PartyKind.ORGANISATION], order, name, "", None, "",
                       "", "", "", dd.make_credit_code(rng, region[0]), dd.person_name(rng),
                       rng.choice(dd.REP_TITLES), false, addr, phone, self.pinyin.organisation(name), now, now)
            else:
                name = dd.person_name(rng)
                male = rng.random() < 0.5
                birth = rng.randint(BIRTH_FIRST, BIRTH_LAST)
                id_number = dd.make_id_number(rng, region[0], date.fromordinal(birth), male) \
                    if rng.random() < 0.9 else ""
                row = (pid, case_id, self.role[role], self.kind[PartyKind.NATURAL], order, name,
                       "男" if male else "女", self.day(birth)[0], rng.choice(dd.ETHNICITIES),
                       rng.choice(dd.OCCUPATIONS), "", id_number, "", "", "", false, addr, phone,
                       self.pinyin.person(name), now, now)
            parties.append(row + extra_p)
            addresses.append((self.new_id(), pid, self.domicile_kind, addr, "", "起诉状", 0, now, now) + extra_a)
            if role is PartyRole.DEFENDANT:
                defendants.append((pid, is_org, addr, phone))
        return defendants
