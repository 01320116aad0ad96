"""Alembic environment, shipped inside the package (no alembic.ini needed at run time).

``storage.migrate`` builds the Config programmatically and passes an open connection in
``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

import baihe_desk.models  # noqa: F401  (registers every table)
from baihe_desk.models import Base
from baihe_desk.storage.migrate import include_name

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        from baihe_desk.errors import KnownError

        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise KnownError("数据库迁移没有收到数据库连接，也没有配置数据库地址（sqlalchemy.url）。")
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - offline SQL generation is not used
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
