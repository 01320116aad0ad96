"""演示数据库标记 — a database that ``demo`` loaded is marked, so the desk can say so everywhere
(演示数据 in the window title and on every document), and the demo accounts' printed passwords are
usable only there. ``demo_refusal`` keeps ``demo`` away from a real court's database."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Role, Setting, User

DEMO_KEY = "demo.database"
DEMO_MARK = "演示数据"


def is_demo_database(session: Session) -> bool:
    row = session.get(Setting, DEMO_KEY)
    return bool(row is not None and row.value)


def mark_demo(session: Session) -> None:
    if session.get(Setting, DEMO_KEY) is None:
        session.add(Setting(key=DEMO_KEY, value=True, note="由演示数据载入程序创建的数据库"))
        session.flush()


def demo_refusal(session: Session, *, allow_first_admin: bool = False) -> str | None:
    """Why ``demo`` must not load into this database, or None. A demo database may grow; any other
    database must have no case and no user (``allow_first_admin``: except the one administrator the
    first start has just created, when the clerk chose demo data there)."""
    if is_demo_database(session):
        return None
    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    if cases:
        return (f"该数据库已有 {cases} 件案件，不是演示数据库。演示数据只能载入新建的空数据库："
                "请用 --data-dir 指定一个新的数据文件夹。")
    users = list(session.scalars(select(User)))
    if allow_first_admin and len(users) == 1 and users[0].role is Role.ADMIN:
        users = []
    if users:
        return (f"该数据库已有 {len(users)} 个用户账号，不是演示数据库。演示数据只能载入新建的空数据库："
                "请用 --data-dir 指定一个新的数据文件夹。")
    return None
