"""Court-wide document settings (文书设置), read from the ``setting`` table with shipped defaults.

Keys (values are JSON):

- ``documents.fonts.title`` / ``.body`` / ``.heading1`` / ``.heading2`` / ``.page_number`` /
  ``.fallback``: lists of font family names (defaults in ``resources/fonts.toml``);
- ``documents.fonts.dirs``: extra folders with font files (the data folder's ``fonts/`` is always
  searched);
- ``documents.page_numbers``: ``"odd-even"`` (GB/T 9704: odd pages right, even pages left, one
  character in) or ``"center"``;
- ``documents.mediation_notice.*``: see :mod:`baihe_desk.services.mediation.notice`.

A malformed value (wrong type) falls back to the default and is logged, so a bad setting never
stops a document.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.models.court import Setting

log = logging.getLogger(__name__)

FONT_ROLES = ("title", "body", "heading1", "heading2", "page_number")
FONT_ROLE_LABELS = {
    "title": "标题",
    "body": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "page_number": "页码",
    "fallback": "后备字体",
}
PAGE_NUMBER_MODES = ("odd-even", "center")


@cache
def default_fonts() -> dict[str, list[str]]:
    data = tomllib.loads(resources.files("baihe_desk.resources").joinpath("fonts.toml").read_text("utf-8"))
    return {role: list(data[role]) for role in (*FONT_ROLES, "fallback")}


_SNAPSHOT = "baihe_desk.documents.settings"  # session.info key of remember_settings' memo
_UNREAD, _NOT_STORED = object(), object()


def remember_settings(session: Session) -> None:
    """Read each setting at most once in ``session`` (a read-only session rendering many documents:
    a setting that is not stored would otherwise cost a query for every document)."""
    session.info[_SNAPSHOT] = {}


def remembered(session: Session, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept for the session after ``remember_settings`` (the batch's court profile and
    template in force: read once for a chunk of cases, not once per document); else computed each time."""
    memo = session.info.get(_SNAPSHOT)
    if memo is None:
        return compute()
    slot = ("remembered", key)
    if slot not in memo:
        memo[slot] = compute()
    return memo[slot]


def get_setting(session: Session | None, key: str, default: Any = None) -> Any:
    """The JSON value stored under ``key``, or ``default`` (also without a session)."""
    if session is None:
        return default
    memo = session.info.get(_SNAPSHOT)
    value = _UNREAD if memo is None else memo.get(key, _UNREAD)
    if value is _UNREAD:
        row = session.get(Setting, key)
        value = _NOT_STORED if row is None else row.value
        if memo is not None:
            memo[key] = value
    return default if value is _NOT_STORED else value


def _string_list(session: Session | None, key: str, default: list[str]) -> list[str]:
    value = get_setting(session, key, None)
    if value is None:
        return list(default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        log.warning("setting %s ignored (expected a list of names): %r", key, value)
        return list(default)
    return [v.strip() for v in value if v.strip()]


def font_chains(session: Session | None) -> dict[str, list[str]]:
    """Role → font family names in order of preference (including ``fallback``)."""
    defaults = default_fonts()
    return {role: _string_list(session, f"documents.fonts.{role}", defaults[role]) for role in defaults}


def font_dirs(session: Session | None) -> list[str]:
    return _string_list(session, "documents.fonts.dirs", [])


def page_number_mode(session: Session | None) -> str:
    mode = get_setting(session, "documents.page_numbers", "odd-even")
    return mode if mode in PAGE_NUMBER_MODES else "odd-even"
