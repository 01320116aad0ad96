"""``baihe-desk server import-sqlite``: a single-PC database moved onto the server, checked on both sides."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select

from baihe_desk import cli
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import AuditRecord, Case, Department
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.admin.server_import import import_sqlite
from baihe_desk.services.common.case_query import count_cases
from baihe_desk.storage.startup import open_database

CASES = 250


@pytest.fixture(scope="module")
def desk_file(tmp_path_factory):
    paths = Paths(tmp_path_factory.mktemp("desk")).ensure()
    db = open_database(paths, LocalSettings())
    load_demo(db, cases=CASES, seed=3)
    with db.session() as s:
        expected = {
            "cases": s.scalar(select(func.count()).select_from(Case)),
            "audit": s.scalar(select(func.count()).select_from(AuditRecord)),
            "chiefs": sorted(str(d.chief_id) for d in s.scalars(select(Department)) if d.chief_id),
            "numbers": sorted(n for n in s.scalars(select(Case.case_number)) if n),
        }
    db.dispose()
    return paths.database, expected


def test_every_row_moves_and_both_sides_agree(desk_file, pg_server):
    path, expected = desk_file
    url = pg_server.fresh_database()
    try:
        result = import_sqlite(path, url)
        assert result.counts.equal and result.chain_source == result.chain_target == 0
        assert result.counts.target["case"] == CASES
        assert any("审计链：原文件完整，服务器完整" in line for line in result.lines)
        server = open_database(Paths(path.parent / "pg-side"), LocalSettings(database_url=url), migrate=False)
        try:
            with server.session() as s:
                assert s.scalar(select(func.count()).select_from(Case)) == expected["cases"]
                assert s.scalar(select(func.count()).select_from(AuditRecord)) == expected["audit"]
                # the department ↔ user cycle: the 庭长 links written after the users exist
                assert sorted(str(d.chief_id) for d in s.scalars(select(Department)) if d.chief_id) == expected["chiefs"]
                assert sorted(n for n in s.scalars(select(Case.case_number)) if n) == expected["numbers"]
                number = expected["numbers"][0]
                assert count_cases(s, number) == 1  # searchable on the server (trigram indexes)
        finally:
            server.dispose()
        with pytest.raises(KnownError, match="已有数据"):  # a second import into the same database
            import_sqlite(path, url)
    finally:
        pg_server.drop(url)


def test_an_uninitialised_server_database_is_refused(desk_file, pg_server):
    path, _ = desk_file
    pg_server.execute("DROP DATABASE IF EXISTS bare WITH (FORCE)")
    pg_server.execute("CREATE DATABASE bare TEMPLATE template0 ENCODING 'UTF8'")
    try:
        with pytest.raises(KnownError, match="server init"):
            import_sqlite(path, pg_server.url("bare"))
        with psycopg.connect(pg_server.url("bare").replace("+psycopg", ""), autocommit=True) as con:
            assert con.execute("SELECT count(*) FROM pg_tables WHERE schemaname='public'").fetchone()[0] == 0
    finally:
        pg_server.execute("DROP DATABASE IF EXISTS bare WITH (FORCE)")


def test_the_command_prints_matching_counts(desk_file, pg_server, capsys, monkeypatch):
    path, _ = desk_file
    url = pg_server.fresh_database()
    try:
        # the whole file goes to the server: a desk administrator of the file must log in
        assert cli.main(["server", "import-sqlite", str(path), url.replace("+psycopg", "")]) == 1
        assert "--user" in capsys.readouterr().err
        monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe3-admin")  # the demo's printed password (seed 3)
        assert cli.main(["server", "import-sqlite", "--user", "admin", str(path), url.replace("+psycopg", "")]) == 0
        out = capsys.readouterr().out
        assert "case" in out and "一致" in out and "服务器完整" in out
    finally:
        pg_server.drop(url)
