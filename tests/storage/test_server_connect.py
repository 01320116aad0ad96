"""连接院内服务器: the connection test against the real server the tests start, one calm message per failure,
and the password kept in the OS credential store (a keyring backend), never in the settings file."""

from __future__ import annotations

import json
import socket

import keyring
import pytest

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.storage import server_connect as sc
from baihe_desk.storage.startup import open_database


def _dbname(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database


def _socket_address(pg_server, database: str, user: str = "postgres") -> sc.ServerAddress:
    base = sc.ServerAddress.parse(pg_server.url(database))
    return sc.ServerAddress(host=base.host, database=database, user=user, port=base.port)


def test_a_migrated_database_connects(pg_server):
    url = pg_server.fresh_database()
    try:
        result = sc.probe(url)
        assert result.ok and result.reason == "ok" and "连接成功" in result.message
    finally:
        pg_server.drop(url)


def test_each_failure_has_its_own_calm_message(pg_server):
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    nobody = sc.probe(f"postgresql://baihe@127.0.0.1:{free_port}/baihe", timeout_s=2)
    assert (nobody.ok, nobody.reason) == (False, "unreachable") and "无法连接" in nobody.message

    missing = sc.probe(_socket_address(pg_server, "no_such_db").url())
    assert missing.reason == "no_database" and "没有这个数据库" in missing.message

    norole = sc.probe(_socket_address(pg_server, "postgres", user="nobody_here").url())
    assert norole.reason == "no_role" and "没有这个用户" in norole.message

    pg_server.execute("DROP DATABASE IF EXISTS empty_probe")
    pg_server.execute("CREATE DATABASE empty_probe TEMPLATE template0 ENCODING 'UTF8'")
    try:
        empty = sc.probe(_socket_address(pg_server, "empty_probe").url())
        assert empty.reason == "not_initialised" and "server init" in empty.message
    finally:
        pg_server.execute("DROP DATABASE IF EXISTS empty_probe WITH (FORCE)")

    url = pg_server.fresh_database()
    name = _dbname(url)
    try:
        pg_server.execute("UPDATE alembic_version SET version_num = '0005'", database=name)
        outdated = sc.probe(url)
        assert outdated.reason == "outdated" and "0005" in outdated.message
        pg_server.execute("UPDATE alembic_version SET version_num = '9999_future'", database=name)
        newer = sc.probe(url)
        assert newer.reason == "too_new" and "更新版本" in newer.message
    finally:
        pg_server.drop(url)


def test_a_wrong_password_is_named_as_such(pg_server):
    hba = pg_server.data_dir / "pgdata" / "pg_hba.conf"
    original = hba.read_text()
    pg_server.execute("DROP ROLE IF EXISTS pwtest")
    pg_server.execute("CREATE ROLE pwtest LOGIN PASSWORD 'Richtig-2026'")
    hba.write_text("local all pwtest scram-sha-256\n" + original)  # only this role must give a password
    pg_server.execute("SELECT pg_reload_conf()")
    try:
        address = _socket_address(pg_server, "postgres", user="pwtest")
        wrong = sc.probe(address.url("falsch"))
        assert wrong.reason == "auth" and "用户名或密码" in wrong.message
        assert sc.probe(address.url("Richtig-2026")).reason == "not_initialised"  # right password: it got in
    finally:
        hba.write_text(original)
        pg_server.execute("SELECT pg_reload_conf()")


def test_the_password_goes_to_the_credential_store_not_the_settings(memory_keyring, tmp_path, pg_server, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = pg_server.fresh_database()
    try:
        address = _socket_address(pg_server, _dbname(url))
        assert sc.store_password(address, "Geheim-Passwort-1")
        paths = Paths(tmp_path / "desk").ensure()
        LocalSettings(database_url=address.url()).save(paths)
        saved = paths.local_settings.read_text(encoding="utf-8")
        assert "Geheim" not in saved and json.loads(saved)["database_url"] == address.url()
        # at start the desk adds the stored password in memory only
        assert "Geheim-Passwort-1" in sc.with_stored_password(address.url())
        db = open_database(paths, LocalSettings(database_url=sc.with_stored_password(address.url())), migrate=False)
        db.dispose()
        sc.forget_password(address)
        assert sc.stored_password(address) is None and sc.with_stored_password(address.url()) == address.url()
    finally:
        pg_server.drop(url)


def test_without_a_credential_store_nothing_is_kept(monkeypatch):
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        address = sc.ServerAddress(host="10.0.0.5", database="baihe", user="baihe_desk_app")
        assert not sc.credential_store_available()
        assert sc.store_password(address, "x" * 12) is False and sc.stored_password(address) is None
    finally:
        keyring.set_keyring(before)


def test_addresses_round_trip_and_are_checked():
    a = sc.ServerAddress(host="10.0.0.5", database="baihe", user="baihe_desk_app", port=5433, sslmode="verify-full")
    assert a.url() == "postgresql://baihe_desk_app@10.0.0.5:5433/baihe?sslmode=verify-full"
    assert sc.ServerAddress.parse(a.url()) == a
    assert sc.ServerAddress.parse(a.url("p@ss:w/rd")) == a
    with pytest.raises(Exception, match="服务器地址"):
        sc.ServerAddress(host=" ", database="baihe", user="u").check()
    with pytest.raises(Exception, match="端口"):
        sc.ServerAddress(host="h", database="baihe", user="u", port=70000).check()
