"""The desk's keystore: OS credential store where there is one, a file only the account can read otherwise."""

from __future__ import annotations

import os
import stat

import pytest

from baihe_desk.storage.keystore import Keystore, KeystoreError


def test_file_fallback_keeps_secrets_per_data_folder_readable_by_the_owner_only(tmp_path):
    a, b = Keystore(tmp_path / "a", mode="file"), Keystore(tmp_path / "b", mode="file")
    assert not a.uses_credential_store and "密钥文件" in a.backend_label()
    assert a.get("desk-identity") is None
    secret = a.get_or_create("desk-identity", 48)
    assert len(secret) == 48 and a.get_or_create("desk-identity") == secret  # made once
    assert b.get("desk-identity") is None  # another data folder, another desk
    path = tmp_path / "a" / "keys" / "desk-identity.key"
    assert path.read_text() == secret.hex()
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    a.delete("desk-identity")
    assert a.get("desk-identity") is None


def test_damaged_key_file_is_a_calm_error(tmp_path):
    ks = Keystore(tmp_path, mode="file")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "x.key").write_text("not hex")
    with pytest.raises(KeystoreError, match="已损坏"):
        ks.get("x")


def test_keyring_backend_is_used_when_one_is_available(tmp_path, monkeypatch, memory_keyring):
    monkeypatch.delenv("BAIHE_DESK_KEYSTORE", raising=False)
    ks = Keystore(tmp_path)
    assert ks.uses_credential_store and "系统凭据存储" in ks.backend_label()
    ks.set("desk-identity", b"\x01\x02")
    assert ks.get("desk-identity") == b"\x01\x02"
    assert not (tmp_path / "keys").exists()  # nothing in the data folder
    [(service, user)] = memory_keyring.items
    assert service == "BaiheDesk" and user.startswith("desk-identity@")


def test_forcing_the_credential_store_without_one_says_so(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeystoreError, match="没有可用的系统凭据存储"):
            Keystore(tmp_path, mode="keyring")
        assert not Keystore(tmp_path).uses_credential_store
    finally:
        keyring.set_keyring(previous)


def test_passwords_live_in_the_credential_store_only(tmp_path, monkeypatch, memory_keyring):
    """The server password (storage.server_connect) goes through the same door: kept in the OS store, never
    in a file — with the file keystore forced, or a null backend, nothing is kept at all."""
    import keyring
    from keyring.backends import null

    from baihe_desk.storage.keystore import Passwords

    monkeypatch.delenv("BAIHE_DESK_KEYSTORE", raising=False)
    pw = Passwords("BaiheDesk 院内数据库服务器")
    assert pw.available and pw.set("10.0.0.5:5432/baihe", "desk", "Server-Pass-1")
    assert memory_keyring.items == {("BaiheDesk 院内数据库服务器 10.0.0.5:5432/baihe", "desk"): "Server-Pass-1"}
    assert pw.get("10.0.0.5:5432/baihe", "desk") == "Server-Pass-1" and pw.get("10.0.0.6:5432/baihe", "desk") is None
    pw.delete("10.0.0.5:5432/baihe", "desk")
    assert pw.get("10.0.0.5:5432/baihe", "desk") is None
    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")
    assert not pw.available and pw.set("h:1/d", "u", "x" * 12) is False
    assert not list(tmp_path.rglob("*")) and memory_keyring.items == {}
    monkeypatch.delenv("BAIHE_DESK_KEYSTORE")
    before = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())  # stores nothing and says nothing: must count as no store
    try:
        assert not pw.available and pw.set("h:1/d", "u", "x" * 12) is False
    finally:
        keyring.set_keyring(before)
