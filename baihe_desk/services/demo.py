"""演示数据 — a court profile, one user per role, and realistic cases in every stage.

Written with bulk inserts so large volumes (for benchmarks) load in minutes. Case numbers are
drawn from the same counters as real ones, so later real numbers continue without gaps.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from baihe_desk.models import (
    Address,
    AddressKind,
    Case,
    CaseNumberCounter,
    Department,
    Party,
    PartyKind,
    PartyRole,
    Procedure,
    Role,
    Stage,
    User,
)
from baihe_desk.services import audit, causes, court
from baihe_desk.services import demo_data as dd
from baihe_desk.services.auth import hash_password
from baihe_desk.services.intake import name_search_key
from baihe_desk.storage.db import Database

COURT = dict(
    name="吉林省白河林区基层法院", short_name="白河林区法院", code="吉7502",  # 代字: set yours in 系统管理
    address="吉林省延边朝鲜族自治州安图县二道白河镇白山大街", postcode="133613",
    phone="0433-5710000", filing_phone="0433-5710001", seal_text="吉林省白河林区基层法院",
)
DEMO_USERS = [
    ("lian", "立案窗口 孙玥", Role.FILING_CLERK, "立案庭"),
    ("zhuli", "法官助理 赵喆", Role.JUDGE_ASSISTANT, "民事审判庭"),
    ("shuji", "书记员 钱晓", Role.CLERK, "民事审判庭"),
    ("faguan", "法官 李堃", Role.JUDGE, "民事审判庭"),
    ("tingzhang", "庭长 周建国", Role.DIVISION_CHIEF, "民事审判庭"),
    ("yuanzhang", "分管院长 吴德华", Role.VICE_PRESIDENT, "院领导"),
    ("zhixing", "执行局 郑刚", Role.ENFORCEMENT, "执行局"),
    ("tiaojie", "调解员 董秀兰", Role.MEDIATOR, "诉非联动服务站"),
    ("admin", "管理员", Role.ADMIN, "立案庭"),
]
COMMON_CAUSES = [
    ("民间借贷纠纷", 18, "请求判令被告偿还借款本金{amt}元及利息"),
    ("物业服务合同纠纷", 12, "请求判令被告支付物业服务费{amt}元"),
    ("机动车交通事故责任纠纷", 10, "请求判令被告赔偿医疗费、误工费等各项损失共计{amt}元"),
    ("买卖合同纠纷", 10, "请求判令被告支付货款{amt}元及逾期付款损失"),
    ("金融借款合同纠纷", 8, "请求判令被告偿还借款本金{amt}元及利息、罚息"),
    ("信用卡纠纷", 6, "请求判令被告偿还信用卡透支本金{amt}元及利息"),
    ("离婚纠纷", 8, "请求判令原、被告离婚，依法分割夫妻共同财产"),
    ("劳务合同纠纷", 6, "请求判令被告支付劳务报酬{amt}元"),
    ("相邻关系纠纷", 4, "请求判令被告排除妨碍，恢复通行"),
    ("房屋租赁合同纠纷", 6, "请求判令被告支付租金{amt}元"),
    ("生命权、身体权、健康权纠纷", 5, "请求判令被告赔偿各项损失{amt}元"),
    ("旅游合同纠纷", 4, "请求判令被告退还旅游费用{amt}元"),
]
STAGE_WEIGHTS = [
    (Stage.RECEIVED, 6), (Stage.CORRECTION, 4), (Stage.PRE_MEDIATION, 10), (Stage.FILED, 8), (Stage.IN_TRIAL, 12),
    (Stage.JUDGED, 6), (Stage.CLOSED, 48), (Stage.REJECTED, 3), (Stage.WITHDRAWN, 3),
]
BATCH = 5000


@dataclass
class DemoResult:
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role label)
    cases: int = 0


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Case)) or 0) == 0


def demo_password(username: str, seed: int) -> str:
    return f"Baihe{seed}-{username}"


def _ensure_court_and_users(db: Database, seed: int, result: DemoResult) -> tuple[str, dict[str, uuid.UUID]]:
    with db.transaction() as s:
        profile = court.get_profile(s) or court.save_profile(s, None, **COURT)
        depts = {d.name: d for d in profile.departments}
        for i, (name, kind) in enumerate(court.DEMO_DEPARTMENTS):
            if name not in depts:
                depts[name] = Department(court=profile, name=name, kind=kind, sort_order=i)
                s.add(depts[name])
        s.flush()
        ids: dict[str, uuid.UUID] = {}
        for username, display, role, dept in DEMO_USERS:
            user = s.scalar(select(User).where(User.username == username))
            password = demo_password(username, seed)
            if user is None:
                user = User(username=username, display_name=display, role=role, department_id=depts[dept].id,
                            password_hash=hash_password(password))
                s.add(user)
                s.flush()
                result.users.append((username, password, role.label))
            ids[username] = user.id
        trial = depts["民事审判庭"]
        trial.chief_id = ids["tingzhang"]
        trial.overseer_id = ids["yuanzhang"]
        return profile.code, ids


def load_demo(db: Database, *, cases: int = 200, seed: int = 1,
              progress: Callable[[int, int], bool | None] | None = None) -> DemoResult:
    """Load demo data. ``progress(done, total)`` may return False to cancel between batches."""
    rng = random.Random(seed)
    result = DemoResult()
    court_code, user_ids = _ensure_court_and_users(db, seed, result)
    cat = {c.name: c for c in causes.selectable()}
    cause_pool = [(cat[n], tmpl) for n, w, tmpl in COMMON_CAUSES for _ in range(w) if n in cat]
    stage_pool = [st for st, w in STAGE_WEIGHTS for _ in range(w)]
    today = date.today()
    start = date(today.year - 10, 1, 1)
    with db.session() as s:
        counters = {(c.year, c.type_code): c.last_serial for c in s.scalars(
            select(CaseNumberCounter).where(CaseNumberCounter.court_code == court_code))}
    now = datetime.now(UTC)
    done = 0
    while done < cases:
        n = min(BATCH, cases - done)
        case_rows, party_rows, addr_rows = [], [], []
        for _ in range(n):
            case_rows.append(_case_row(rng, cause_pool, stage_pool, start, today, counters, court_code,
                                       user_ids, now, party_rows, addr_rows))
        with db.transaction() as s:
            s.execute(insert(Case), case_rows)
            s.execute(insert(Party), party_rows)
            s.execute(insert(Address), addr_rows)
        done += n
        if progress is not None and progress(done, cases) is False:
            break
    with db.transaction() as s:
        for (year, type_code), last in counters.items():
            row = s.get(CaseNumberCounter, (court_code, year, type_code))
            if row is None:
                s.add(CaseNumberCounter(court_code=court_code, year=year, type_code=type_code, last_serial=last))
            else:
                row.last_serial = max(row.last_serial, last)
        audit.record(s, None, "demo.load", entity="case", after={"cases": done, "seed": seed})
    result.cases = done
    return result


def _next(counters: dict[tuple[int, str], int], year: int, type_code: str) -> int:
    counters[(year, type_code)] = counters.get((year, type_code), 0) + 1
    return counters[(year, type_code)]


def _case_row(rng, cause_pool, stage_pool, start, today, counters, court_code, user_ids, now,  # type: ignore[no-untyped-def]
              party_rows, addr_rows) -> dict:
    cause, claim_tmpl = rng.choice(cause_pool)
    stage = rng.choice(stage_pool)
    received = dd.random_date(rng, start, today)
    if stage in (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION):
        received = dd.random_date(rng, today - timedelta(days=60), today)  # not yet filed: recent
    elif stage in (Stage.FILED, Stage.IN_TRIAL, Stage.JUDGED):
        received = dd.random_date(rng, today - timedelta(days=200), today - timedelta(days=8))
    amount = Decimal(rng.choice([rng.randint(800, 50000), rng.randint(50000, 500000)])).quantize(Decimal("0.01"))
    if cause.name in ("离婚纠纷", "相邻关系纠纷"):
        amount = None
    year = received.year
    case_id = uuid.uuid4()
    row = dict(
        id=case_id, receipt_number=f"{year}收{_next(counters, year, '收件'):05d}", cause_code=cause.code,
        cause_name=cause.name, cause_catalogue=causes.CATALOGUE_VERSION if year >= 2026 else "2020",
        procedure=None, stage=stage, claim_amount=amount,
        claims=claim_tmpl.format(amt=f"{amount:,}" if amount else ""), facts="原、被告之间因" + cause.name.removesuffix("纠纷") + "发生争议，协商未果。",
        received_on=received, filed_on=None, closed_on=None, case_number=None, number_year=None, number_type=None,
        number_serial=None, judge_id=None, created_by_id=user_ids["lian"], created_at=now, updated_at=now,
        row_version=1, department_id=None,
    )
    type_code = {Stage.PRE_MEDIATION: "民诉前调"}.get(stage, "民初")
    if stage not in (Stage.RECEIVED, Stage.CORRECTION, Stage.REJECTED):
        serial = _next(counters, year, type_code)
        row.update(case_number=f"（{year}）{court_code}{type_code}{serial}号", number_year=year,
                   number_type=type_code, number_serial=serial)
        if type_code == "民初":
            row.update(filed_on=min(today, received + timedelta(days=rng.randint(0, 7))),
                       procedure=Procedure.SMALL_CLAIMS if amount and amount < 40000 else
                       rng.choice([Procedure.SIMPLE, Procedure.SIMPLE, Procedure.ORDINARY]),
                       judge_id=user_ids["faguan"])
    if stage in (Stage.CLOSED, Stage.WITHDRAWN):
        row["closed_on"] = min(today, received + timedelta(days=rng.randint(20, 400)))
    _parties(rng, case_id, cause.name, now, party_rows, addr_rows)
    return row


def _parties(rng, case_id, cause_name, now, party_rows, addr_rows) -> None:  # type: ignore[no-untyped-def]
    org_defendant = cause_name in ("物业服务合同纠纷", "旅游合同纠纷") or rng.random() < 0.2
    org_plaintiff = cause_name in ("金融借款合同纠纷", "信用卡纠纷", "物业服务合同纠纷")
    if cause_name == "物业服务合同纠纷":
        org_defendant = False
    roles = [(PartyRole.PLAINTIFF, org_plaintiff), (PartyRole.DEFENDANT, org_defendant)]
    if rng.random() < 0.25:
        roles.append((PartyRole.DEFENDANT, False))
    if rng.random() < 0.05:
        roles.append((PartyRole.THIRD_PARTY, rng.random() < 0.5))
    for order, (role, is_org) in enumerate(roles):
        region = rng.choice(dd.REGIONS)
        addr = dd.address(rng, region)
        pid = uuid.uuid4()
        base = dict(id=pid, case_id=case_id, role=role, sort_order=order, domicile=addr, phone=dd.mobile(rng),
                    created_at=now, updated_at=now, sex="", birth_date=None, ethnicity="", occupation="",
                    work_unit="", id_number="", credit_code="", legal_rep_name="", legal_rep_title="",
                    legal_rep_is_principal=False)
        if is_org:
            name = dd.org_name(rng, region[2])
            base.update(kind=PartyKind.ORGANISATION, name=name, credit_code=dd.make_credit_code(rng, region[0]),
                        legal_rep_name=dd.person_name(rng), legal_rep_title=rng.choice(dd.REP_TITLES))
        else:
            name = dd.person_name(rng)
            male = rng.random() < 0.5
            birth = dd.random_date(rng, date(1945, 1, 1), date(2004, 12, 31))
            base.update(kind=PartyKind.NATURAL, name=name, sex="男" if male else "女", birth_date=birth,
                        ethnicity=rng.choice(dd.ETHNICITIES), occupation=rng.choice(dd.OCCUPATIONS),
                        id_number=dd.make_id_number(rng, region[0], birth, male) if rng.random() < 0.9 else "")
        base["name_pinyin"] = name_search_key(name)
        party_rows.append(base)
        addr_rows.append(dict(id=uuid.uuid4(), party_id=pid, kind=AddressKind.DOMICILE, text=addr, postcode="",
                              source="起诉状", sort_order=0, created_at=now, updated_at=now))
