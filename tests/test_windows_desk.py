"""The Windows court PC, with faked paths: court fonts in ``C:\\Windows\\Fonts`` and in the per-user font
folder, the data folder in ``%LOCALAPPDATA%\\BaiheDesk``, the portable mode of a judge's USB stick, long
paths with Chinese user names.

The fonts are made here with fontTools under the names the Windows fonts carry (SimSun/宋体 in a .ttc
with NSimSun, FangSong/仿宋, SimHei/黑体, KaiTi/楷体, FangSong_GB2312/仿宋_GB2312 and
FZXiaoBiaoSong-B05S/方正小标宋简体); which one draws which part of a document follows the court's
typography (GB/T 9704: title 小标宋, body 仿宋_GB2312, level-1 headings 黑体, level-2 楷体, page
numbers 宋体), not the code.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path, PureWindowsPath

import pytest

from baihe_desk import config
from baihe_desk.documents.fonts import FontIndex, default_font_dirs, registered_font_files
from baihe_desk.documents.model import Document, Para, Span
from baihe_desk.documents.preflight import FontPlan
from baihe_desk.documents.settings import font_chains
from baihe_desk.errors import KnownError

USER = "张三（立案庭）"
TEXT = "吉林省白河林区基层法院诉前调解告知书一二王堃当事人：（）、，。—0123456789 "

SYSTEM_FONTS = {  # file → [(English family, Chinese family, PostScript name)], as Windows ships them
    "simsun.ttc": [("SimSun", "宋体", "SimSun"), ("NSimSun", "新宋体", "NSimSun")],
    "simfang.ttf": [("FangSong", "仿宋", "FangSong")],
    "simhei.ttf": [("SimHei", "黑体", "SimHei")],
    "simkai.ttf": [("KaiTi", "楷体", "KaiTi")],
}
USER_FONTS = {  # installed by a clerk without admin rights (Windows 10 1809+: per user)
    "仿宋_GB2312.ttf": [("FangSong_GB2312", "仿宋_GB2312", "FangSong_GB2312")],
    "FZXBSJW.TTF": [("FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXBSJW--GB1-0")],
}


def _font(en: str, zh: str, ps: str):  # type: ignore[no-untyped-def]
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = sorted(set(TEXT))
    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((800, 700)), pen.lineTo((800, 0)), pen.closePath()
    square = pen.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    fb.setupGlyf({n: square for n in names})
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": en, "styleName": "Regular", "psName": ps, "fullName": en,
                       "uniqueFontIdentifier": ps}, mac=False)
    for name_id in (1, 4):  # the Chinese family and full name, as Windows' fonts carry them (zh-CN, 0x804)
        fb.font["name"].setName(zh, name_id, 3, 1, 0x804)
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsType=0)
    fb.setupPost()
    return fb.font


def _install(folder: Path, fonts: dict[str, list[tuple[str, str, str]]]) -> None:
    from fontTools.ttLib.ttCollection import TTCollection

    folder.mkdir(parents=True, exist_ok=True)
    for filename, faces in fonts.items():
        if len(faces) == 1:
            _font(*faces[0]).save(str(folder / filename))
        else:
            collection = TTCollection()
            collection.fonts = [_font(*face) for face in faces]
            collection.save(str(folder / filename))


@pytest.fixture
def windows_pc(tmp_path):
    """A fake C:\\Windows and a fake C:\\Users\\张三（立案庭）\\AppData\\Local, as environment variables."""
    windir = tmp_path / "C" / "Windows"
    local = tmp_path / "C" / "Users" / USER / "AppData" / "Local"
    _install(windir / "Fonts", SYSTEM_FONTS)
    return {"WINDIR": str(windir), "LOCALAPPDATA": str(local)}


def _plan(environ: dict[str, str]) -> FontPlan:
    dirs = default_font_dirs("win32", environ)
    return FontPlan.resolve(FontIndex.scan(dirs), font_chains(None))


def _doc() -> Document:
    return Document(kind="test", title="诉前调解告知书", court_name=[Span("吉林省白河林区基层法院")], number=[],
                    blocks=[Para([Span("一、当事人")], "heading1"), Para([Span("（一）王堃")], "heading2"),
                            Para([Span("当事人：王堃")])])


def test_windows_font_folders_are_the_system_and_the_per_user_folder(windows_pc):
    dirs = default_font_dirs("win32", windows_pc)
    assert dirs == [Path(windows_pc["WINDIR"]) / "Fonts",
                    Path(windows_pc["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts"]
    # Without %WINDIR% (a stripped environment) the system root or C:\Windows is used.
    assert default_font_dirs("win32", {"SystemRoot": r"D:\WINNT"}) == [Path(r"D:\WINNT") / "Fonts"]
    assert PureWindowsPath(default_font_dirs("win32", {})[0]) == PureWindowsPath(r"C:\Windows\Fonts")


def test_windows_own_fonts_give_the_court_typography_without_the_gb2312_fonts(windows_pc):
    plan = _plan(windows_pc)
    primary = {role: chain.primary.family for role, chain in plan.chains.items()}
    assert primary["title"] == "SimSun" and plan.chains["title"].primary.index == 0  # not NSimSun
    assert primary["body"] == "FangSong"
    assert primary["heading1"] == "SimHei"
    assert primary["heading2"] == "KaiTi"
    assert primary["page_number"] == "SimSun"
    # The PDF embeds the face this PC has, under its own names (the Chinese ones were read) …
    expected = {"title": {"宋体", "SimSun"}, "body": {"仿宋", "FangSong"}, "heading1": {"黑体", "SimHei"},
                "heading2": {"楷体", "KaiTi"}, "page_number": {"宋体", "SimSun"}}
    for role, names in expected.items():
        assert names <= set(plan.chains[role].primary.names), role
        # … while the DOCX names the court's font setting, so WPS/Word on the court's PCs use their own
        # 仿宋_GB2312 / 方正小标宋简体 (issue 18), not the fallback found on the machine that rendered it
        assert plan.chains[role].docx_family == plan.chains[role].configured[0], role


def test_court_fonts_installed_per_user_are_found_and_embedded(windows_pc, tmp_path):
    from pypdf import PdfReader

    from baihe_desk.documents.render import render

    _install(Path(windows_pc["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts", USER_FONTS)
    plan = _plan(windows_pc)
    assert plan.chains["title"].primary.family == "FZXiaoBiaoSong-B05S"
    assert plan.chains["body"].primary.family == "FangSong_GB2312"
    assert plan.chains["title"].docx_family in {"方正小标宋简体", "FZXiaoBiaoSong-B05S"}
    assert plan.chains["body"].docx_family in {"仿宋_GB2312", "FangSong_GB2312"}

    files = render(_doc(), ["pdf", "docx"], plan).files
    reader = PdfReader(io.BytesIO(files["pdf"]))
    fonts = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        fonts[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in desc.get_object()
    assert fonts.get("FZXBSJW--GB1-0") is True and fonts.get("FangSong_GB2312") is True, fonts
    assert fonts.get("SimHei") is True and fonts.get("KaiTi") is True, fonts
    assert all(fonts.values()), fonts
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as zf:
        xml = zf.read("word/styles.xml").decode() + zf.read("word/document.xml").decode()
    assert f'w:eastAsia="{plan.chains["title"].docx_family}"' in xml
    assert f'w:eastAsia="{plan.chains["body"].docx_family}"' in xml


class FakeWinreg:
    """The part of ``winreg`` the font lookup uses, over a dict {hive: {value name: data}}."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"

    def __init__(self, hives: dict[str, dict[str, str]]):
        self.hives = hives
        self.opened: list[tuple[str, str]] = []

    def OpenKey(self, hive, key):  # noqa: N802 - winreg's names
        self.opened.append((hive, key))
        if hive not in self.hives:
            raise FileNotFoundError(key)
        return list(self.hives[hive].items())

    def QueryInfoKey(self, key):  # noqa: N802
        return (0, len(key), 0)

    def EnumValue(self, key, i):  # noqa: N802
        return (key[i][0], key[i][1], 1)

    def CloseKey(self, key):  # noqa: N802
        pass


def test_fonts_registered_outside_the_font_folders_are_found(windows_pc, tmp_path):
    elsewhere = tmp_path / "D" / "字体库"
    _install(elsewhere, USER_FONTS)
    reg = FakeWinreg({
        "HKLM": {"SimSun & NSimSun (TrueType)": "simsun.ttc",  # relative: in %WINDIR%\Fonts, scanned anyway
                 "方正小标宋简体 (TrueType)": str(elsewhere / "FZXBSJW.TTF")},
        "HKCU": {"仿宋_GB2312 (TrueType)": str(elsewhere / "仿宋_GB2312.ttf"), "Some bitmap": "x.fon"},
    })
    files = registered_font_files(reg)
    assert sorted(p.name for p in files) == ["FZXBSJW.TTF", "仿宋_GB2312.ttf"]
    assert {h for h, _ in reg.opened} == {"HKLM", "HKCU"}
    index = FontIndex.scan(default_font_dirs("win32", windows_pc), extra_files=files)
    plan = FontPlan.resolve(index, font_chains(None))
    assert plan.chains["title"].primary.family == "FZXiaoBiaoSong-B05S"
    assert plan.chains["body"].primary.family == "FangSong_GB2312"
    assert registered_font_files() == [] or sys.platform == "win32"  # no winreg here: nothing


# -- the data folder ------------------------------------------------------------------------------

@pytest.fixture
def on_windows(monkeypatch):
    """platformdirs' Windows rules with %LOCALAPPDATA% = C:\\Users\\张三（立案庭）\\AppData\\Local."""
    import platformdirs
    import platformdirs.windows

    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", rf"C:\Users\{USER}\AppData\Local")
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", rf"C:\Users\{USER}\AppData\Roaming")
    monkeypatch.delenv(config.ENV_DATA, raising=False)


def test_data_folder_is_local_appdata_baihedesk(on_windows):
    assert PureWindowsPath(config.resolve_data_dir()) == PureWindowsPath(rf"C:\Users\{USER}\AppData\Local\BaiheDesk")
    # Not the roaming profile (copied over the network at logon) and no "author" folder level.
    assert "Roaming" not in str(config.default_data_dir())
    assert PureWindowsPath(config.cache_dir()) == PureWindowsPath(
        rf"C:\Users\{USER}\AppData\Local\BaiheDesk\Cache")


@pytest.fixture
def usb_stick(tmp_path, monkeypatch):
    program = tmp_path / "U盘 (E)" / "白河工作台"
    program.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program / "baihe-desk.exe"))
    monkeypatch.delenv(config.ENV_DATA, raising=False)
    return program


def test_portable_marker_puts_the_data_beside_the_program(usb_stick, on_windows, monkeypatch, tmp_path):
    assert PureWindowsPath(config.resolve_data_dir()).parts[-2:] == ("Local", "BaiheDesk")  # no marker yet
    (usb_stick / config.PORTABLE_MARKER).write_text("便携模式\n", encoding="utf-8")
    assert config.resolve_data_dir() == usb_stick / "BaiheDesk-data"
    assert config.cache_dir() == usb_stick / "BaiheDesk-data" / "cache"  # nothing left on the PC
    # The marker speaks for this copy of the program: it wins over the PC's BAIHE_DESK_DATA …
    monkeypatch.setenv(config.ENV_DATA, str(tmp_path / "pc-data"))
    assert config.resolve_data_dir() == usb_stick / "BaiheDesk-data"
    # … but an explicit --data-dir still wins.
    assert config.resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()


def test_marker_is_ignored_outside_a_frozen_desk(tmp_path, monkeypatch):
    (tmp_path / config.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python.exe"))
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert config.portable_data_dir() is None
    assert config.portable_data_dir(tmp_path) == tmp_path / "BaiheDesk-data"


def _long_paths_enabled() -> bool:
    import winreg  # type: ignore[import-not-found]

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\FileSystem") as key:
            return winreg.QueryValueEx(key, "LongPathsEnabled")[0] == 1
    except OSError:
        return False


@pytest.mark.slow
def test_long_paths_with_chinese_names_work_end_to_end(tmp_path):
    """A deep data folder with Chinese names (database, migrations, demo data, a backup) and documents
    exported below it to paths over 260 characters (Windows' old MAX_PATH; the frozen desk's manifest
    declares longPathAware, Windows needs the LongPathsEnabled policy). SQLite itself limits the
    database's own path (512 bytes of UTF-8 here, MAX_PATH on Windows): beyond that the desk refuses
    calmly (startup.translate_db_error)."""
    from sqlalchemy import select

    from baihe_desk.models import User
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.common.documents import render_to_dir
    from baihe_desk.storage.backup import backup_database
    from baihe_desk.storage.startup import open_database

    if sys.platform == "win32" and not _long_paths_enabled():
        pytest.skip("this Windows has no LongPathsEnabled policy (the README tells the court's IT to set it)")
    root = tmp_path / USER / "AppData" / "Local"
    while len(str(root)) < 150:  # deep, but the database's own path stays within SQLite's limits
        root = root / "白河林区基层法院立案庭"
    paths = config.Paths(root / "BaiheDesk").ensure()
    db = open_database(paths, config.LocalSettings())
    try:
        load_demo(db, cases=3, seed=7)
        out_dir = paths.root / "导出 文书"
        while len(str(out_dir)) < 280:
            out_dir = out_dir / "二〇二六年十一月立案调解文书归档"
        with db.transaction() as s:
            clerk = s.scalars(select(User).where(User.username == "lian")).one()
            ref = search_cases(s, "", limit=1)[0].number
            for kind in ("mediation-notice", "acceptance-notice", "address-confirmation"):  # whatever its stage allows
                try:
                    out = render_to_dir(s, clerk, kind, ref, ["both"], out_dir, paths=paths)
                    break
                except KnownError:
                    continue
        assert sorted(p.suffix for p in out) == [".docx", ".pdf"]
        assert all(p.stat().st_size > 1000 and len(str(p)) > 260 for p in out)
        backup = backup_database(db, paths, reason="manual")
        assert backup.exists() and backup.is_relative_to(paths.backups)
    finally:
        db.dispose()
