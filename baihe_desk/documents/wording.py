"""Which wording template a document uses (模板版本): the newest saved version, else the shipped one.

Versions saved by an administrator are rows of ``wording_template``; their numbers continue after
the shipped template's ``version``, so "mediation-notice@2" is the first edit of a template shipped
as version 1. Every generated document records the source it used ("mediation-notice@2" or
"resource:1").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.documents.templates import LoadedTemplate, TemplateError, load_template, set_version
from baihe_desk.models import User
from baihe_desk.models.template import WordingTemplate

_cache: dict[tuple[str, str, str], LoadedTemplate] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class TemplateVersion:
    kind: str
    version: int
    source: str  # "mediation-notice@3" or "resource:1"
    body: str
    created_at: datetime | None = None
    created_by: str = ""
    note: str = ""

    @property
    def shipped(self) -> bool:
        return self.source.startswith("resource:")

    @property
    def label(self) -> str:
        if self.shipped:
            return f"第 {self.version} 版（出厂）"
        when = self.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.created_at else ""
        return f"第 {self.version} 版 {when} {self.created_by}".strip()


def resource_version(kind: DocumentKind) -> TemplateVersion:
    text = kind.resource_text()
    tpl = load(kind, text, "")
    return TemplateVersion(kind.kind, tpl.version, f"resource:{tpl.version}", text, note="随软件提供的模板")


def versions(session: Session, kind: DocumentKind) -> list[TemplateVersion]:
    """All versions of a template, newest first; the shipped one last."""
    rows = session.execute(
        select(WordingTemplate, User.display_name)
        .outerjoin(User, User.id == WordingTemplate.created_by_id)
        .where(WordingTemplate.kind == kind.kind)
        .order_by(WordingTemplate.version.desc())
    ).all()
    out = [TemplateVersion(kind.kind, row.version, f"{kind.kind}@{row.version}", row.body, row.created_at,
                           name or "", row.note) for row, name in rows]
    out.append(resource_version(kind))
    return out


def load(kind: DocumentKind, text: str, source: str) -> LoadedTemplate:
    """Load (and cache) a template text for ``kind``; raises TemplateError."""
    key = (kind.kind, source, text)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    tpl = load_template(text, kind.placeholders, kind=kind.kind, source=source)
    with _cache_lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = tpl
    return tpl


def current(session: Session, kind: DocumentKind) -> LoadedTemplate:
    """The template in force: the newest saved version, else the shipped one."""
    row = session.scalars(
        select(WordingTemplate).where(WordingTemplate.kind == kind.kind)
        .order_by(WordingTemplate.version.desc()).limit(1)
    ).first()
    if row is None:
        return load(kind, kind.resource_text(), "")
    source = f"{kind.kind}@{row.version}"
    try:
        return load(kind, row.body, source)
    except TemplateError as exc:
        raise TemplateError(f"当前使用的「{kind.title}」模板（第 {row.version} 版）无法使用：{exc.message}"
                            "请管理员在「文书模板」中修改或回退到可用的版本。") from exc


def next_version(session: Session, kind: DocumentKind) -> int:
    newest = session.scalar(select(func.max(WordingTemplate.version)).where(WordingTemplate.kind == kind.kind))
    return max(newest or 0, resource_version(kind).version) + 1


def add_version(session: Session, actor: User | None, kind: DocumentKind, body: str, note: str = "") -> WordingTemplate:
    """Check ``body`` and store it as the next version (its ``version =`` line set to that number)."""
    number = next_version(session, kind)
    text = set_version(body.replace("\r\n", "\n"), number)
    load(kind, text, f"{kind.kind}@{number}")  # raises TemplateError before anything is stored
    row = WordingTemplate(kind=kind.kind, version=number, body=text, note=note.strip(),
                          created_by_id=actor.id if actor else None)
    session.add(row)
    session.flush()
    return row
