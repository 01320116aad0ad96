"""批量生成文书 — one document kind for many cases (e.g. 诉前调解告知书 for a day's 1,000 cases).

The documents are rendered in worker processes (rendering is CPU work in Python: threads would
share one core), each with its own read-only database session; the calling process writes each
case's files and records exactly as ``services.documents.generate`` does (a new version, files
created exclusively, SHA-256, the template version, the audit record), a few cases per write
transaction, so a long batch never holds the write lock while it renders. ``progress(done, total)``
is called after every recorded case; ``cancelled()`` (or ``progress`` returning False) stops the
batch: cases already rendered are recorded, the rest are not started.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, GeneratedDocument, User
from baihe_desk.services import audit
from baihe_desk.services.permissions import Perm, require
from baihe_desk.storage.db import Database

log = logging.getLogger(__name__)
CHUNK = 4  # cases per worker task
RECORD_EVERY = 8  # cases per write transaction (and per progress report)


@dataclass
class RenderedCase:
    case_id: uuid.UUID
    title: str = ""
    template_version: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    error: str = ""  # a KnownError's message (the case is skipped)


@dataclass
class BatchResult:
    total: int
    done: int = 0  # cases whose documents were written and recorded
    records: list[uuid.UUID] = field(default_factory=list)  # GeneratedDocument ids
    failed: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    cancelled: bool = False


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def render_batch(db: Database, actor: User | None, kind: str, case_ids: Sequence[uuid.UUID], *, paths: Paths,
                 formats: Iterable[str] = ("pdf", "docx"), options: dict[str, Any] | None = None,
                 workers: int | None = None, progress: Callable[[int, int], bool | None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Generate ``kind`` for every case in ``case_ids`` (PDF and DOCX by default)."""
    from baihe_desk.documents.registry import get_kind
    from baihe_desk.documents.render import check_formats

    with db.transaction() as s:  # a refusal is audited
        require(s, actor, Perm.DOCUMENT_GENERATE)
    get_kind(kind)
    fmts = check_formats(formats)
    result = BatchResult(total=len(case_ids))
    chunks = [list(case_ids[i:i + CHUNK]) for i in range(0, len(case_ids), CHUNK)]
    pending: list[RenderedCase] = []

    def stop() -> bool:
        return bool(cancelled and cancelled())

    def flush() -> bool:
        """Record what is rendered; False when the user cancels."""
        if pending:
            with db.transaction() as s:
                for item in pending:
                    if item.error:
                        result.failed.append((item.case_id, item.error))
                        continue
                    result.records += _record(s, actor, kind, item, paths)
                    result.done += 1
            pending.clear()
            if progress is not None and progress(result.done + len(result.failed), result.total) is False:
                return False
        return not stop()

    args = (kind, fmts, options or {}, str(paths.root))
    n = workers or default_workers()
    if n <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            if stop():
                break
            pending += _render_with(db, *args, chunk)
            if len(pending) >= RECORD_EVERY and not flush():
                break
        flush()
    else:
        context = multiprocessing.get_context("spawn")  # never fork a process that may run Qt threads
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            queue = list(reversed(chunks))
            running: set[Future] = set()
            while queue or running:
                while queue and len(running) <= n:  # one task waiting per busy worker: cancel stops soon
                    running.add(pool.submit(_render_chunk, db.url, *args, queue.pop()))
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending += future.result()
                if ((len(pending) >= RECORD_EVERY or not running) and not flush()) or stop():
                    queue.clear()  # what is being rendered now is still recorded below
            flush()
    result.cancelled = result.done + len(result.failed) < result.total
    return result


_worker_db: dict[str, Database] = {}


def _render_chunk(url: str, kind: str, fmts: tuple[str, ...], options: dict[str, Any], root: str,
                  case_ids: list[uuid.UUID]) -> list[RenderedCase]:
    """Worker process: one Database per process, kept for the following chunks."""
    db = _worker_db.get(url) or _worker_db.setdefault(url, Database(url))
    return _render_with(db, kind, fmts, options, root, case_ids)


def _render_with(db: Database, kind: str, fmts: tuple[str, ...], options: dict[str, Any], root: str,
                 case_ids: list[uuid.UUID]) -> list[RenderedCase]:
    """Build and render the documents of ``case_ids`` (reads only)."""
    from baihe_desk.documents import settings as doc_settings
    from baihe_desk.documents.registry import get_kind
    from baihe_desk.documents.render import build_document, font_plan, render

    doc_kind = get_kind(kind)
    out = []
    with db.session() as s:
        page_numbers = doc_settings.page_number_mode(s)
        for case_id in case_ids:
            item = RenderedCase(case_id)
            case = s.get(Case, case_id)
            try:
                if case is None:
                    raise KnownError("案件不存在或已被删除。")
                doc = build_document(s, doc_kind, case, options)
                rendered = render(doc, fmts, font_plan(s, [Path(root) / "fonts"]), page_numbers=page_numbers)
            except KnownError as exc:
                item.error = exc.message
            else:
                item.title, item.template_version, item.files = doc.title, doc.template_version, rendered.files
                item.fallbacks = [f"{f.char} U+{ord(f.char):04X} {f.field or '模板'} → {f.font}"
                                  for f in rendered.fallbacks]
            out.append(item)
    return out


def _record(session: Session, actor: User | None, kind: str, item: RenderedCase, paths: Paths) -> list[uuid.UUID]:
    """Write one case's files as a new version and record them (as ``documents.generate`` does)."""
    from baihe_desk.services.documents import case_folder

    case = session.get(Case, item.case_id)
    if case is None:
        return []
    version = (session.scalar(select(func.max(GeneratedDocument.version))
                              .where(GeneratedDocument.case_id == case.id, GeneratedDocument.kind == kind)) or 0) + 1
    folder = case_folder(paths, case)
    while any((folder / f"{kind}-v{version}.{fmt}").exists() for fmt in item.files):
        version += 1
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    written: list[Path] = []
    try:
        for fmt, data in item.files.items():
            path = folder / f"{kind}-v{version}.{fmt}"
            with open(path, "xb") as fh:  # never overwrite
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            written.append(path)
            record = GeneratedDocument(
                case_id=case.id, kind=kind, title=item.title, version=version, format=fmt,
                relpath=path.relative_to(paths.documents).as_posix(), sha256=hashlib.sha256(data).hexdigest(),
                size=len(data), template_version=item.template_version, created_by_id=actor.id if actor else None)
            session.add(record)
            records.append(record)
        session.flush()
        for record in records:
            audit.record(session, actor, "document.generate", entity="generated_document", entity_id=record.id,
                         after={**audit.snapshot(record), "font_fallbacks": item.fallbacks[:50], "batch": True})
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return [r.id for r in records]
