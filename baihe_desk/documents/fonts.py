"""Font discovery (字体查找): which installed TrueType fonts the PDF renderer may embed.

The index scans the usual font folders with fontTools (the same code on Windows and Linux, no
``fc-list`` subprocess): ``%WINDIR%\\Fonts`` and the per-user ``%LOCALAPPDATA%\\Microsoft\\Windows\\
Fonts`` on Windows; ``/usr/share/fonts``, ``/usr/local/share/fonts``, ``~/.fonts`` and
``~/.local/share/fonts`` on Linux; plus any extra folders (the data folder's ``fonts/``, a
setting). For every face it records all family names (Chinese and English: 仿宋 and FangSong),
the full and PostScript names, whether its outlines are TrueType (``glyf``) and whether its licence
allows embedding. CFF/OpenType outlines (``OTTO``, e.g. Noto CJK) and fonts whose ``fsType``
forbids embedding are kept in the index but never chosen: reportlab can only embed TrueType
subsets, and the PDF must not depend on fonts of the reader's machine.

Reading a file costs a few milliseconds, so the index is cached as JSON keyed by path, size and
mtime; only new or changed files are read again. ``.ttc`` collections are indexed per subfont.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PureWindowsPath
from typing import Any

log = logging.getLogger(__name__)

CACHE_VERSION = 2
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
STYLED_WORDS = ("bold", "italic", "oblique", "black", "heavy", "粗", "斜")


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int  # subfont number inside a .ttc (0 for a single font)
    family: str  # the English (or first) family name
    names: tuple[str, ...]  # every family, full and PostScript name, in all languages
    style: str
    styled: bool  # bold or italic (a regular face of the same family is preferred)
    truetype: bool  # glyf outlines (reportlab can embed them)
    embeddable: bool  # OS/2 fsType allows embedding

    @property
    def usable(self) -> bool:
        return self.truetype and self.embeddable

    @property
    def key(self) -> str:
        return f"{self.path}#{self.index}"


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


def default_font_dirs(platform: str | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The system's and the user's font folders. On Windows: ``%WINDIR%\\Fonts`` and the per-user
    folder Windows 10 1809+ installs into when a clerk without admin rights clicks 安装
    (``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``; courts often get 仿宋_GB2312 / 方正小标宋简体 so)."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    home = Path.home()
    if platform == "win32":
        windir = environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        local = environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data_home = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", data_home / "fonts"]


FONTS_KEY = r"Software\Microsoft\Windows NT\CurrentVersion\Fonts"


def registered_font_files(winreg: Any = None) -> list[Path]:
    """Font files Windows has registered anywhere (HKLM and HKCU ``...\\CurrentVersion\\Fonts``): a font
    installed "as a shortcut" or by a deployment tool stays in its own folder. Relative names are
    below ``%WINDIR%\\Fonts`` (scanned anyway). Not Windows (no ``winreg``): []."""
    if winreg is None:
        try:
            import winreg  # type: ignore[no-redef]
        except ImportError:
            return []
    found: list[Path] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(hive, FONTS_KEY)
        except OSError:
            continue
        try:
            for i in range(winreg.QueryInfoKey(key)[1]):
                _name, value, _type = winreg.EnumValue(key, i)
                text = os.path.expandvars(str(value))
                if text.lower().endswith(FONT_SUFFIXES) and (os.path.isabs(text) or PureWindowsPath(text).is_absolute()):
                    found.append(Path(text))
        except OSError as exc:
            log.info("font registry not fully read: %s", exc)
        finally:
            winreg.CloseKey(key)
    return found


def default_cache_path() -> Path:
    from baihe_desk.config import cache_dir

    return cache_dir() / "font-index.json"


def _names(font) -> tuple[str, str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """(English family, English style, all names) from the name table."""
    family = style = ""
    names: list[str] = []
    table = font["name"]
    for rec in table.names:
        if rec.nameID not in (1, 2, 4, 6, 16, 17):
            continue
        try:
            text = rec.toUnicode().strip()
        except (UnicodeDecodeError, ValueError):
            continue
        if not text:
            continue
        english = rec.platformID == 3 and rec.langID == 0x409 or rec.platformID == 1 and rec.langID == 0
        if rec.nameID in (2, 17):
            if english and (not style or rec.nameID == 17):
                style = text
            continue
        if rec.nameID in (1, 16) and english and (not family or rec.nameID == 16):
            family = text
        if text not in names:
            names.append(text)
    return family or (names[0] if names else ""), style, tuple(names)


def _read_faces(path: Path) -> list[FontFace]:
    """Every face in one font file (several for a .ttc); [] when the file cannot be read."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    faces: list[FontFace] = []
    try:
        with open(path, "rb") as fh:
            tag = fh.read(4)
        count = len(TTCollection(str(path), lazy=True).fonts) if tag == b"ttcf" else 1
        for index in range(count):
            font = TTFont(str(path), fontNumber=index, lazy=True)
            try:
                family, style, names = _names(font)
                fs_type = font["OS/2"].fsType if "OS/2" in font else 0
                selection = font["OS/2"].fsSelection if "OS/2" in font else 0
                faces.append(FontFace(
                    path=str(path), index=index, family=family, names=names, style=style,
                    styled=bool(selection & 0b100001) or any(w in style.casefold() for w in STYLED_WORDS),
                    truetype="glyf" in font,
                    embeddable=not (fs_type == 0x0002 or fs_type & 0x0300),
                ))
            finally:
                font.close()
    except Exception as exc:  # noqa: BLE001 - a broken font file must not stop the index
        log.info("font file skipped: %s (%s)", path, exc)
    return faces


class FontIndex:
    """Installed faces by name; cmap coverage loaded on demand and kept in memory."""

    def __init__(self, faces: list[FontFace], coverage_cache: Path | None = None):
        self.faces = faces
        self.coverage_cache = coverage_cache  # font_coverage's JSON (None: read every face's cmap)
        self._by_name: dict[str, list[FontFace]] = {}
        for face in faces:
            if not face.usable:
                continue
            for name in face.names:
                self._by_name.setdefault(_norm(name), []).append(face)
        for found in self._by_name.values():
            found.sort(key=lambda f: (f.styled, not f.path.lower().endswith(".ttf"), f.index))
        self._coverage: dict[str, frozenset[int]] = {}
        self._lookups: dict[tuple[str, ...], ChainLookup] = {}
        self._lock = threading.Lock()

    def find(self, name: str) -> FontFace | None:
        """The usable (TrueType, embeddable) face with this family/full/PostScript name; regular first."""
        found = self._by_name.get(_norm(name))
        return found[0] if found else None

    def families(self) -> list[str]:
        return sorted({f.family for f in self.faces if f.usable})

    def coverage(self, face: FontFace) -> frozenset[int]:
        """The code points the face's cmap maps (fontTools ``getBestCmap``, incl. format 12)."""
        with self._lock:
            cov = self._coverage.get(face.key)
            if cov is None:
                from baihe_desk.documents import font_coverage

                cov = font_coverage.coverage(face, self.coverage_cache)
                self._coverage[face.key] = cov
            return cov

    def has(self, face: FontFace, char: str) -> bool:
        return ord(char) in self.coverage(face)

    def lookup(self, faces: list[FontFace]) -> ChainLookup:
        """The character → face memo of a font chain, shared by every render in the process."""
        key = tuple(f.key for f in faces)
        found = self._lookups.get(key)
        if found is None:
            with self._lock:
                found = self._lookups.setdefault(key, ChainLookup(self, tuple(faces)))
        return found

    @classmethod
    def scan(cls, dirs: list[Path], cache_path: Path | None = None, extra_files: Sequence[Path] = ()) -> FontIndex:
        cache = _load_cache(cache_path)
        seen: set[str] = set()
        files: dict[str, dict] = {}
        changed = False
        loose = [str(p) for p in extra_files if p.is_file()]
        for found in [*(_font_files(root) for root in dirs), loose]:
            for path in found:
                try:
                    real = os.path.realpath(path)
                    st = os.stat(real)
                except OSError:
                    continue
                if real in seen:
                    continue
                seen.add(real)
                entry = cache.get(real)
                if not entry or entry.get("size") != st.st_size or entry.get("mtime_ns") != st.st_mtime_ns:
                    entry = {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
                             "faces": [asdict(f) for f in _read_faces(Path(real))]}
                    changed = True
                files[real] = entry
        if cache_path is not None and (changed or set(files) != set(cache)):
            _save_cache(cache_path, files)
        faces = []
        for entry in files.values():
            for data in entry["faces"]:
                data = dict(data)
                data["names"] = tuple(data["names"])
                faces.append(FontFace(**data))
        from baihe_desk.documents.font_coverage import CACHE_NAME

        return cls(faces, cache_path.with_name(CACHE_NAME) if cache_path is not None else None)


class ChainLookup:
    """Which face of a chain draws each character, remembered (a cmap does not change while the
    index lives). ``primary_chars`` holds the characters the first face draws, so a run of them is
    recognised with one set operation instead of a lookup per character."""

    def __init__(self, index: FontIndex, faces: tuple[FontFace, ...]):
        self.index = index
        self.faces = faces
        self.primary_chars: set[str] = set()
        self._faces: dict[str, FontFace | None] = {}

    def face_for(self, char: str) -> FontFace | None:
        try:
            return self._faces[char]
        except KeyError:
            pass
        face = next((f for f in self.faces if ord(char) in self.index.coverage(f)), None)
        self._faces[char] = face  # a benign race: every thread computes the same answer
        if face is not None and face is self.faces[0]:
            self.primary_chars.add(char)
        return face


# The cmap subtable reportlab and fontTools' getBestCmap prefer, in this order.
def _font_files(root: Path):  # type: ignore[no-untyped-def]
    if not root.is_dir():
        return
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            if name.lower().endswith(FONT_SUFFIXES):
                yield os.path.join(dirpath, name)


def _load_cache(path: Path | None) -> dict[str, dict]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _save_cache(path: Path, files: dict[str, dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": files}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only cache folder only costs speed
        log.info("font index cache not written: %s", exc)


_indexes: dict[tuple[str, ...], FontIndex] = {}
_indexes_lock = threading.Lock()


def font_index(extra_dirs: list[Path] | tuple[Path, ...] = (), *, cache_path: Path | None = None,
               refresh: bool = False) -> FontIndex:
    """The process-wide index of the default font folders plus ``extra_dirs`` (scanned once)."""
    dirs = [*default_font_dirs(), *(Path(d) for d in extra_dirs)]
    key = tuple(str(d) for d in dirs)
    with _indexes_lock:
        index = None if refresh else _indexes.get(key)
        if index is None:
            if cache_path is None:
                try:
                    cache_path = default_cache_path()
                except Exception:  # noqa: BLE001 - no cache folder: scan without a cache
                    cache_path = None
            index = FontIndex.scan(dirs, cache_path, registered_font_files())
            _indexes[key] = index
        return index
