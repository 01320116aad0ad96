"""``baihe-desk bundle …`` from a terminal: two desks with their own data folders, behind a login."""

from __future__ import annotations

from datetime import date

import pytest

from baihe_desk.cli import main
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import Case, Party, PartyKind, PartyRole, Role, Stage, User
from baihe_desk.services.common.auth import hash_password
from baihe_desk.storage.startup import open_database
from tests.fake_today import travel_to

PASSWORD = "Bundle-desk-2026"


@pytest.fixture(autouse=True)
def _in_december_2026():
    """The case here is lent until 2026-12-20 (a due day must not be past): these tests run on a fixed day
    before it, never on the real (or a --fake-today) calendar day."""
    with travel_to(date(2026, 12, 5)):
        yield


def _desk(root, users: dict[str, Role], case: bool = False) -> None:  # type: ignore[no-untyped-def]
    db = open_database(Paths(root).ensure(), LocalSettings())
    with db.transaction() as s:
        made = {}
        for name, role in users.items():
            made[name] = User(username=name, display_name=name, role=role, password_hash=hash_password(PASSWORD))
            s.add(made[name])
        if case:
            c = Case(receipt_number="2026收00061", case_number="（2026）吉7502民初61号", received_on=date(2026, 10, 8),
                     cause_name="民间借贷纠纷", stage=Stage.IN_TRIAL)
            c.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃")]
            s.add(c)
            s.flush()
            c.judge_id = made["faguan"].id
    db.dispose()


def run(root, user: str, *args: str) -> int:  # type: ignore[no-untyped-def]
    return main(["--data-dir", str(root), "bundle", "--user", user, *args])


def test_lend_to_a_laptop_inspect_and_import_from_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", PASSWORD)
    court, laptop = tmp_path / "court", tmp_path / "laptop"
    _desk(court, {"admin": Role.ADMIN, "faguan": Role.JUDGE}, case=True)
    _desk(laptop, {"bjb": Role.ADMIN})
    assert run(court, "faguan", "identity", "--name", "法院") == 1  # only the administrator makes it
    assert "只有管理员" in capsys.readouterr().err
    assert run(court, "admin", "identity", "--name", "白河林区法院", "--card-out", str(tmp_path / "c.card")) == 0
    court_fp = capsys.readouterr().out.split("指纹：")[1].split("\n")[0]
    assert run(laptop, "bjb", "identity", "--name", "刘法官笔记本", "--kind", "laptop",
               "--card-out", str(tmp_path / "l.card")) == 0
    laptop_fp = capsys.readouterr().out.split("指纹：")[1].split("\n")[0]
    assert run(court, "admin", "register", str(tmp_path / "l.card"), "--fingerprint", court_fp) == 1
    assert "与身份卡的公钥不符" in capsys.readouterr().err
    assert run(court, "admin", "register", str(tmp_path / "l.card"), "--fingerprint", laptop_fp) == 0
    assert run(laptop, "bjb", "register", str(tmp_path / "c.card"), "--fingerprint", court_fp.replace(" ", "-")) == 0
    capsys.readouterr()

    out = tmp_path / "b.baihe"
    assert run(court, "faguan", "export", "--cases", "（2026）吉7502民初61号", "--to", laptop_fp[:9], "--out", str(out),
               "--due", "2026-12-20") == 0
    assert "已借出 1 件案件给“刘法官笔记本”，应于 2026-12-20 前归还" in capsys.readouterr().out
    assert run(court, "faguan", "inspect", str(out)) == 0
    shown = capsys.readouterr().out
    assert "签名者：已登记的工作台“白河林区法院”，签名有效" in shown and "王堃" not in shown
    assert "王堃".encode() not in out.read_bytes()  # personal data only inside the sealed part
    assert run(laptop, "bjb", "import", str(out), "--dry-run") == 0
    assert "将要导入：新增案件 1 件，新增当事人 1 名" in capsys.readouterr().out
    assert run(laptop, "bjb", "import", str(out)) == 0
    assert run(laptop, "bjb", "import", str(out)) == 1
    assert "不能重复导入" in capsys.readouterr().err
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", "wrong")
    assert run(laptop, "bjb", "desks") == 1
    assert "用户名或密码不正确" in capsys.readouterr().err


def test_encrypt_an_existing_laptop_desk_and_its_backups(tmp_path, capsys, monkeypatch):
    from baihe_desk.storage import encrypted
    from baihe_desk.storage.backup import list_backups

    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", PASSWORD)
    laptop = tmp_path / "laptop"
    _desk(laptop, {"bjb": Role.ADMIN, "faguan": Role.JUDGE}, case=True)
    assert main(["--data-dir", str(laptop), "backup", "--user", "bjb"]) == 0  # a plain backup with the case in it
    paths = Paths(laptop)
    assert list_backups(paths) and not encrypted.is_encrypted(paths.database)
    assert run(laptop, "faguan", "encrypt-db") == 1
    assert "只有管理员" in capsys.readouterr().err
    assert run(laptop, "bjb", "encrypt-db") == 0
    assert "已加密" in capsys.readouterr().out
    files = [paths.database, *(b.path for b in list_backups(paths))]
    assert len(files) >= 2 and all(encrypted.is_encrypted(f) for f in files)
    assert all("王堃".encode() not in f.read_bytes() for f in files)
    assert LocalSettings.load(paths).database_url == encrypted.MARKER
    assert main(["--data-dir", str(laptop), "cases", "--user", "bjb"]) == 0  # the desk opens it with the key
    assert "（2026）吉7502民初61号" in capsys.readouterr().out
    assert run(laptop, "bjb", "encrypt-db") == 1
    assert "已经加密" in capsys.readouterr().err
