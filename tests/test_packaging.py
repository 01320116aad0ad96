"""What can be checked here of the Windows delivery without Windows: the frozen folder's selection
rules, the installer script, the version resource, the Windows workflow and the pinned versions.

The build itself and its smoke test run in ``.ci/run`` (``packaging/smoke.py``); the installer is
compiled and installed on the Windows runner only (``.github/workflows/windows-desk.yml``).
"""

from __future__ import annotations

import configparser
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

import baihe_desk

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

from check_windows_wheels import PURE_PYTHON_SDISTS, pins, windows_wheel  # noqa: E402
from frozen_filter import keep_binary, keep_data  # noqa: E402
from version_info import version_info_text  # noqa: E402

WINDOWS_311 = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "python_version": "3.11",
               "python_full_version": "3.11.9", "platform_machine": "AMD64", "implementation_name": "cpython",
               "platform_python_implementation": "CPython", "extra": ""}


# -- the frozen folder's selection ----------------------------------------------------------------

@pytest.mark.parametrize(("dest", "kept"), [
    # Windows layout (PySide6\plugins, PySide6\translations, Qt6*.dll beside PySide6's modules)
    (r"PySide6\plugins\platforms\qwindows.dll", True),
    (r"PySide6\plugins\platforms\qoffscreen.dll", True),
    (r"PySide6\plugins\platforms\qdirect2d.dll", True),
    (r"PySide6\plugins\styles\qmodernwindowsstyle.dll", True),
    (r"PySide6\plugins\imageformats\qjpeg.dll", True),
    (r"PySide6\plugins\printsupport\windowsprintersupport.dll", True),
    (r"PySide6\plugins\tls\qschannelbackend.dll", False),
    (r"PySide6\plugins\networkinformation\qnetworklistmanager.dll", False),
    (r"PySide6\plugins\platforminputcontexts\qtvirtualkeyboardplugin.dll", False),
    (r"PySide6\plugins\generic\qtuiotouchplugin.dll", False),
    (r"PySide6\Qt6Pdf.dll", True),
    (r"PySide6\Qt6PdfWidgets.dll", True),
    (r"PySide6\Qt6PrintSupport.dll", True),
    (r"PySide6\Qt6Quick.dll", False),
    (r"PySide6\Qt6Qml.dll", False),
    (r"PySide6\Qt6VirtualKeyboard.dll", False),
    # Linux layout (PySide6/Qt/plugins, PySide6/Qt/lib)
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
    ("PySide6/Qt/lib/libQt6QmlModels.so.6", False),
    ("libQt6Quick.so.6", False),  # the symbolic link beside the frozen executable
    ("python311.dll", True),
    ("psycopg_binary.libs/libpq-1b9f3d9c.so.5.17", True),
])
def test_frozen_folder_keeps_what_the_desk_uses(dest, kept):
    assert keep_binary(dest) is kept


@pytest.mark.parametrize(("dest", "kept"), [
    (r"PySide6\translations\qtbase_zh_CN.qm", True),
    (r"PySide6\translations\qt_zh_CN.qm", True),
    (r"PySide6\translations\qtbase_de.qm", False),
    (r"PySide6\translations\qtwebengine_zh_CN.qm", False),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/Qt/translations/qt_help_zh_CN.qm", False),
    ("baihe_desk/resources/fonts.toml", True),
    ("baihe_desk/storage/migrations/versions/0001_initial_schema.py", True),
    ("baihe_desk/storage/migrations/versions/__pycache__/x.pyc", False),
    ("docx/templates/default.docx", True),
])
def test_frozen_folder_keeps_the_chinese_translations_and_the_desk_data(dest, kept):
    assert keep_data(dest) is kept


# -- the installer --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def iss() -> tuple[str, dict[str, list[str]]]:
    raw = (PACKAGING / "baihe-desk.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads the Chinese texts as UTF-8 only with a BOM"
    text = raw.decode("utf-8-sig")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1).lower()
            continue
        sections.setdefault(current, []).append(line)
    return text, sections


def _setup(sections) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string("[s]\n" + "\n".join(sections["setup"]))
    return dict(parser["s"])


def _entries(sections, name) -> list[dict[str, str]]:
    out = []
    for line in sections.get(name, []):
        out.append({k.strip(): v.strip().strip('"') for k, v in
                    (part.split(":", 1) for part in line.split(";") if ":" in part)})
    return out


def test_installer_is_per_user_without_admin_rights(iss):
    setup = _setup(iss[1])
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["PrivilegesRequiredOverridesAllowed"] == "commandline"  # /ALLUSERS for the court's IT
    assert setup["DefaultDirName"].startswith("{autopf}")  # per user: %LOCALAPPDATA%\Programs
    assert setup["MinVersion"] == "10.0.17763"  # Windows 10 1809, what Qt 6 needs
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])  # fixed: an update replaces, never duplicates
    assert setup["CloseApplications"] == "yes"


def test_installer_version_comes_from_the_executable_built_from_the_package(iss):
    text, sections = iss
    setup = _setup(sections)
    assert setup["AppVersion"] == setup["VersionInfoVersion"] == "{#AppVersion}"
    assert '#define AppVersion GetStringFileInfo(DistDir + "\\" + AppExe, "ProductVersion")' in text
    # The spec writes the version resource from baihe_desk.__version__ (read with this pattern).
    spec = (PACKAGING / "baihe-desk.spec").read_text(encoding="utf-8")
    pattern = re.search(r"re\.search\(r'([^']+)'", spec).group(1)
    init = (ROOT / "baihe_desk" / "__init__.py").read_text(encoding="utf-8")
    assert re.search(pattern, init, re.MULTILINE).group(1) == baihe_desk.__version__

    made: dict[str, object] = {}

    def record(kind):  # type: ignore[no-untyped-def]
        def build(*args, **kwargs):  # type: ignore[no-untyped-def]
            made.setdefault(kind, []).append((args, kwargs))  # type: ignore[union-attr]
            return (kind, args, kwargs)
        return build

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct"]
    eval(version_info_text("1.2.3", "baihe-desk.exe", "白河工作台"), {n: record(n) for n in names})  # noqa: S307
    strings = dict(args for args, _ in made["StringStruct"])  # type: ignore[misc]
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.2.3"
    assert strings["OriginalFilename"] == "baihe-desk.exe" and strings["FileDescription"] == "白河工作台"
    assert made["FixedFileInfo"][0][1]["filevers"] == (1, 2, 3, 0)  # type: ignore[index]
    assert made["StringTable"][0][0][0] == "080404b0"  # type: ignore[index]  # simplified Chinese, Unicode


def test_installer_shortcuts_and_files(iss):
    _text, sections = iss
    icons = _entries(sections, "icons")
    start = [i for i in icons if i["Name"].startswith("{autoprograms}")]
    desk = [i for i in icons if i["Name"].startswith("{autodesktop}")]
    assert start and desk and all(i["Filename"] == "{app}\\{#AppExe}" for i in start + desk)
    assert desk[0].get("Tasks") == "desktopicon" and "Tasks" not in start[0]
    assert [t["Name"] for t in _entries(sections, "tasks")] == ["desktopicon"]
    [files] = _entries(sections, "files")
    assert files["Source"] == "{#DistDir}\\*" and "recursesubdirs" in files["Flags"]


def test_uninstaller_and_update_keep_the_data_folder(iss):
    text, sections = iss
    for section in ("uninstalldelete", "installdelete"):
        for entry in _entries(sections, section):
            assert entry["Name"].startswith("{app}\\"), entry  # only the program's own folder
    assert "{localappdata}\\BaiheDesk" not in "".join(sections.get("uninstalldelete", []))
    assert "数据" in text and "保留" in text  # the uninstaller tells where the data stayed
    # The data folder is not below the program folder (platformdirs: %LOCALAPPDATA%\BaiheDesk).
    assert _setup(sections)["DefaultDirName"] == "{autopf}\\BaiheDesk"


def test_silent_mode_is_documented(iss):
    text, _ = iss
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for switch in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER", "/ALLUSERS", "unins000.exe"):
        assert switch in text and switch in readme, switch


# -- the Windows workflow -------------------------------------------------------------------------

def test_windows_workflow_builds_compiles_and_smoke_tests():
    flow = (ROOT / ".github" / "workflows" / "windows-desk.yml").read_text(encoding="utf-8")
    assert re.search(r"runs-on:\s*windows-", flow)
    assert re.search(r'python-version:\s*"3\.11"', flow)
    order = [flow.index(step) for step in (
        r"tools\bootstrap.py build", r"packaging\smoke.py --dist dist\baihe-desk", r"packaging\baihe-desk.iss",
        "/VERYSILENT", "/CURRENTUSER", r"packaging\smoke.py --dist $app", "unins000.exe")]
    assert order == sorted(order)
    assert "PIP_CONSTRAINT: packaging/windows-constraints.txt" in flow


# -- pinned versions ------------------------------------------------------------------------------

def test_every_runtime_dependency_is_pinned_for_windows():
    pinned = {name.lower().replace("_", "-"): version for name, version in pins(PACKAGING / "windows-constraints.txt")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for line in [*project["dependencies"], "pyinstaller>=6.0"]:
        req = Requirement(line)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(WINDOWS_311):
            continue
        name = req.name.lower().replace("_", "-")
        assert name in pinned, f"{req.name} is not pinned in windows-constraints.txt"
        assert req.specifier.contains(pinned[name], prereleases=True), f"{name}=={pinned[name]} vs {req}"
        for extra in req.extras:  # psycopg[binary] → psycopg-binary
            assert f"{name}-{extra}" in pinned


def test_windows_wheel_tags():
    assert windows_wheel(["x-1.0.tar.gz", "x-1.0-cp311-cp311-win_amd64.whl"]) == "x-1.0-cp311-cp311-win_amd64.whl"
    assert windows_wheel(["pyside6_essentials-6.11.3-cp310-abi3-win_amd64.whl"])
    assert windows_wheel(["pyinstaller-6.22.3-py3-none-win_amd64.whl"])
    assert windows_wheel(["alembic-1.20.1-py3-none-any.whl"])
    assert windows_wheel(["x-1.0.tar.gz", "x-1.0-cp311-cp311-manylinux_2_28_x86_64.whl"]) is None
    assert windows_wheel(["x-1.0-cp312-cp312-win_amd64.whl", "x-1.0-cp311-cp311-win32.whl"]) is None
    assert windows_wheel(["x-1.0-cp312-abi3-win_amd64.whl"]) is None  # abi3 from 3.12 on: not for 3.11


def test_frozen_executable_declares_long_paths():
    """PyInstaller's manifest makes the executables longPathAware: with Windows' LongPathsEnabled policy
    (the README tells the court's IT) paths over 260 characters work in the frozen desk."""
    import PyInstaller

    source = (Path(PyInstaller.__file__).parent / "utils" / "win32" / "winmanifest.py").read_text(encoding="utf-8")
    assert re.search(r"<longPathAware[^>]*>true</longPathAware>", source)


# -- the smoke test's own checks can fail ---------------------------------------------------------

def test_smoke_checks_see_a_font_that_is_not_embedded_and_an_east_asian_font(tmp_path):
    import docx
    from docx.oxml.ns import qn
    from reportlab.pdfgen import canvas
    from smoke import docx_facts, pdf_facts, pdffonts_embedded

    pdf = tmp_path / "standard-font.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Mediation notice")
    c.save()
    text, fonts = pdf_facts(pdf)
    assert "Mediation notice" in text and fonts == {"/Helvetica": False}
    poppler = pdffonts_embedded(pdf)
    assert poppler is None or poppler == {"Helvetica": False}

    path = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("诉前调解告知书")
    document.save(str(path))
    assert docx_facts(path) == ("诉前调解告知书", set())  # w:lang w:eastAsia="…" is not a font
    run = document.paragraphs[0].runs[0]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    document.save(str(path))
    assert docx_facts(path) == ("诉前调解告知书", {"仿宋_GB2312"})


def test_source_only_dependencies_are_pure_python():
    """A pin allowed without a Windows wheel must build without a compiler: no extension module in it."""
    import importlib.metadata

    for name in PURE_PYTHON_SDISTS:
        files = [str(f) for f in importlib.metadata.files(name) or []]
        assert files and not [f for f in files if f.endswith((".so", ".pyd", ".dll", ".c"))], name
