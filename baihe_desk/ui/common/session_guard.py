"""What the window shows about the database it works on: 演示数据 in the title of a demo database."""

from __future__ import annotations

from baihe_desk import APP_TITLE
from baihe_desk.storage.db import Database


def window_title(db: Database, court_name: str, *, title: str | None = None) -> str:
    """``title`` (default: the app and the court), marked 【演示数据】 when ``db`` is a demo database."""
    from baihe_desk.services.common.demo_mark import DEMO_MARK, is_demo_database

    if title is None:
        title = f"{APP_TITLE} — {court_name}" if court_name else APP_TITLE
    with db.session() as s:
        demo = is_demo_database(s)
    return f"【{DEMO_MARK}】{title}（{DEMO_MARK}，非正式数据）" if demo else title
