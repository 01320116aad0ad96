"""演示数据 through the services: the representative sample of the demo (see ``demo``'s docstring).

Each scenario of :data:`demo_flows.SCENARIOS` makes one case the way the window, the mediator, the judge and
the enforcement bureau would: 收件登记 (``intake.create_case``), 送达地址 and 核实, 立案审查 rounds, then its
workflow's steps, each by the user whose work it is and each audited. The dates run back from an ``end``
day per scenario: about half of them (marked in :data:`demo_flows.SCENARIOS`) end in the current month of
``today`` (so the 统计分析 page opens on non-zero figures for every workflow), the others up to a few months back. Deterministic for a seed and a day.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from baihe_desk.config import Paths
from baihe_desk.models import Department, Role, User
from baihe_desk.models.mediation import MediationOrganisation
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.admin.demo_ctx import Ctx, user_named
from baihe_desk.services.admin.demo_flows import SCENARIOS
from baihe_desk.storage.db import Database

# the roster's mediators: (username, name, organisation, specialties); tiaojie is one of the demo users
MEDIATORS = [
    ("tiaojie", "董秀兰", "董嫂说事点", "婚姻家庭、邻里纠纷、旅游纠纷"),
    ("tiaojie2", "王淑芬", "白河林区基层法院诉非联动服务站", "民间借贷、买卖合同、物业服务"),
    ("tiaojie3", "韩立新", "“法院+银行”金融纠纷调解室", "金融借款、信用卡"),
]


def sample_size(cases: int) -> int:
    """How many of ``cases`` are made through the services: a quarter, one per scenario at most."""
    return min(len(SCENARIOS), cases // 4)


def prepare(db: Database, *, seed: int, result, password: Callable[[str, int], str]) -> None:  # type: ignore[no-untyped-def]
    """The mediation roster (调解组织名册, from the court's defaults) and its mediators with their logins
    (``password(username, seed)`` as for the other demo users)."""
    from baihe_desk.services.common import audit
    from baihe_desk.services.common.auth import hash_password
    from baihe_desk.services.mediation import roster

    with db.transaction() as s:
        admin = user_named(s, "admin")
        roster.install_defaults(s, admin)
        station = s.scalar(select(Department).where(Department.name == "诉非联动服务站"))
        for username, name, org_name, specialties in MEDIATORS:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                # like the other demo accounts: a printed password that works in this demo database only
                # (it contains the user name, which the password policy refuses for real accounts)
                initial = password(username, seed)
                user = User(username=username, display_name=name, role=Role.MEDIATOR,
                            department_id=station.id if station else None, phone=dd.mobile(random.Random(username)),
                            password_hash=hash_password(initial))
                s.add(user)
                s.flush()
                audit.record(s, admin, "user.create", entity="user", entity_id=user.id,
                             after={"username": username, "role": Role.MEDIATOR.value, "demo": True})
                result.users.append((username, initial, Role.MEDIATOR.label))
            if roster.mediator_of_user(s, user.id) is None:
                org = s.scalar(select(MediationOrganisation).where(MediationOrganisation.name == org_name))
                assert org is not None, org_name
                roster.add_mediator(s, admin, org.id, user.id, name=name, specialties=specialties)


def end_day(i: int, today: date, in_month: bool) -> date:
    """The last day of scenario ``i``: in today's month and its last week (a case still waiting at the window is
    within its 7-day filing period), or 1–15 weeks back."""
    if in_month:
        return today - timedelta(days=(i * 3) % min(today.day, 7))
    return today - timedelta(days=7 + (i * 13) % 100)


def run(db: Database, paths: Paths, *, count: int, seed: int, today: date, court_code: str) -> int:
    """Run the first ``count`` scenarios, one transaction each; returns the number of cases made."""
    paths.ensure()
    chosen = [(end_day(i, today, in_month), i, scenario, in_month)
              for i, (_name, scenario, in_month) in enumerate(SCENARIOS[:count])]
    for end, i, scenario, in_month in sorted(chosen, key=lambda c: (c[0], c[1])):  # numbers follow the calendar
        with db.transaction() as s:
            floor = today.replace(day=1) if in_month else date.min
            scenario(Ctx(s, paths, today, end, random.Random(f"{seed}-{i}"), court_code, floor))
    return count
