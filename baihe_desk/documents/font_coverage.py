"""Which code points a face draws (its cmap), read once per font file and kept as ranges in a small JSON
cache beside the font index (``font-coverage.json``), keyed by the face and its file's size and mtime.

Reading a CJK face's cmap with fontTools costs 50–150 ms and ~20 MB of passing objects in every process
that makes a document (the desk, each batch worker); the cached ranges (a few hundred pairs) come back in
about a millisecond, and fontTools is not imported at all (issue 21: start of the batch's workers and the
desk's memory after one document). A changed or replaced file is read again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from itertools import chain
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)
CACHE_NAME = "font-coverage.json"
CACHE_VERSION = 1
CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
_lock = threading.Lock()


class FontFace(Protocol):
    """What this module reads of a ``fonts.FontFace`` (no import of ``fonts``, which imports this)."""

    @property
    def path(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def key(self) -> str: ...


def coverage(face: FontFace, cache_path: Path | None) -> frozenset[int]:
    """The face's code points: from the cache when its file is unchanged, else read (and cached)."""
    try:
        st = os.stat(face.path)
    except OSError:
        return read_coverage(face)
    stamp = [st.st_size, st.st_mtime_ns]
    if cache_path is not None:
        entry = _load(cache_path).get(face.key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            try:
                return frozenset(chain.from_iterable(range(a, b + 1) for a, b in entry["ranges"]))
            except (KeyError, TypeError, ValueError):
                pass  # a damaged entry: read the font again
    found = read_coverage(face)
    if cache_path is not None:
        with _lock:  # (processes may race: the last complete file wins, each entry is right)
            entries = _load(cache_path)
            entries[face.key] = {"stamp": stamp, "ranges": ranges(found)}
            _save(cache_path, entries)
    return found


def ranges(points: frozenset[int]) -> list[list[int]]:
    """Sorted code points as ``[first, last]`` runs."""
    out: list[list[int]] = []
    for cp in sorted(points):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def read_coverage(face: FontFace) -> frozenset[int]:
    """Code points of the preferred Unicode cmap subtable. Glyph names are not needed, so a synthetic
    glyph order spares fontTools decoding the ``post`` table (2–5× faster on CJK fonts)."""
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
        tables = {(t.platformID, t.platEncID): t for t in font["cmap"].tables if t.format != 14}
        for key in CMAP_PREFERENCE:
            if key in tables:
                return frozenset(tables[key].cmap.keys())
        return frozenset()
    finally:
        font.close()


def _load(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("faces"), dict):
        return {}
    return data["faces"]


def _save(path: Path, entries: dict[str, object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "faces": entries}), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only cache folder only costs speed
        log.info("font coverage cache not written: %s", exc)
