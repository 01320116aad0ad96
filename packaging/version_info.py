"""The Windows version resource of the frozen executables (Explorer → 属性 → 详细信息), made from
``baihe_desk.__version__`` at build time by ``baihe-desk.spec``; the installer reads the version back
from it (``GetStringFileInfo`` in ``baihe-desk.iss``), so the version is written in one place only."""

from __future__ import annotations

PUBLISHER = "吉林省白河林区基层法院"
PRODUCT = "白河林区基层法院 立案·调解工作台"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int("".join(ch for ch in part if ch.isdigit()) or 0) for part in version.split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_info_text(version: str, exe_name: str, description: str) -> str:
    """PyInstaller's ``--version-file`` format (a ``VSVersionInfo`` expression), simplified Chinese (0x0804)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": PUBLISHER, "FileDescription": description, "FileVersion": version,
        "InternalName": exe_name.removesuffix(".exe"), "LegalCopyright": f"© {PUBLISHER}",
        "OriginalFilename": exe_name, "ProductName": PRODUCT, "ProductVersion": version,
    }
    table = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
          {table}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
