"""批量生成文书 — one document kind for many cases (e.g. 诉前调解告知书 for a day's 1,000 cases).

The documents are rendered in worker processes (rendering is CPU work in Python: threads would
share one core), each with its own read-only database session per chunk of cases; the calling
process writes each case's files and records them with ``services.documents.record_generated_many``,
the same code as ``generate`` (a new version, files created exclusively, SHA-256, the template
version, the audit record), a few cases per write transaction, so a long batch never holds the
write lock while it renders. A write transaction takes eight cases, or fewer once 0.1 s has passed
since the last one (the workers send two cases at a time). ``progress(done, total)`` is called after each
case's files are written and its records added (committed with its transaction a moment later; a failed
commit ends the batch with its error), so the count moves with every case even on a busy PC;
``cancelled()`` (or ``progress`` returning False) stops the batch: cases already rendered are recorded,
the rest are not started.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, User
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.storage.db import Database

log = logging.getLogger(__name__)
CHUNK = 2  # cases per worker task (small: progress arrives with each chunk)
RECORD_EVERY = 8  # cases per write transaction (and per progress report) ...
PROGRESS_EVERY = 0.1  # ... or fewer, once this many seconds have passed since the last report


@dataclass
class RenderedCase:
    case_id: uuid.UUID
    title: str = ""
    template_version: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    font_note: str = ""
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
    """Generate ``kind`` for every case in ``case_ids`` (PDF and DOCX by default), all of one day: today's
    (read here once and given to the workers, whose own clock may differ)."""
    from baihe_desk.documents.builder import today
    from baihe_desk.documents.render import check_formats
    from baihe_desk.services.common.document_kinds import get_kind

    with db.transaction() as s:  # a refusal is audited
        require(s, actor, Perm.DOCUMENT_GENERATE)
    get_kind(kind)
    fmts = check_formats(formats)
    result = BatchResult(total=len(case_ids))
    chunks = [list(case_ids[i:i + CHUNK]) for i in range(0, len(case_ids), CHUNK)]
    pending: list[RenderedCase] = []

    last = [time.monotonic()]

    def due() -> bool:
        return len(pending) >= RECORD_EVERY or (bool(pending) and time.monotonic() - last[0] >= PROGRESS_EVERY)

    def stop() -> bool:
        return bool(cancelled and cancelled())

    def flush() -> bool:
        """Record what is rendered, reporting each case; False when the user cancels (what is rendered
        is still recorded)."""
        go = True
        if pending:
            with db.transaction() as s:
                cases = _load_cases(s, [item.case_id for item in pending if not item.error], parties=False)
                ready = [item for item in pending if not item.error and item.case_id in cases]
                recorded = dict(zip((item.case_id for item in ready), _record(s, actor, kind, ready, cases, paths),
                                    strict=True))
                for item in pending:
                    if item.error:
                        result.failed.append((item.case_id, item.error))
                    else:
                        result.records += recorded.get(item.case_id, [])
                        result.done += 1
                    if progress is not None and progress(result.done + len(result.failed), result.total) is False:
                        go = False
            pending.clear()
            last[0] = time.monotonic()
        return go and not stop()

    args = (kind, fmts, options or {}, str(paths.root), today())
    n = workers or default_workers()
    if n <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            if stop():
                break
            pending += _render_with(db, *args, chunk)
            if due() and not flush():
                break
        flush()
    else:
        context = multiprocessing.get_context("spawn")  # never fork a process that may run Qt threads
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            queue = list(reversed(chunks))
            running: set[Future] = set()
            while queue or running:
                # one chunk waiting per busy worker, so none idles while this process records
                while queue and len(running) < 2 * n:
                    running.add(pool.submit(_render_chunk, db.url, *args, queue.pop()))
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    if not future.cancelled():
                        pending += future.result()
                if ((due() or not running) and not flush()) or stop():
                    queue.clear()  # what is being rendered now is still recorded below
                    running = {f for f in running if not f.cancel()}  # chunks not started are dropped
            flush()
    result.cancelled = result.done + len(result.failed) < result.total
    return result


_worker_db: dict[str, Database] = {}


_worker_setup: dict[str, tuple[Any, str]] = {}  # url → (font plan, page-number mode), for this batch's pool


def _render_chunk(url: str, kind: str, fmts: tuple[str, ...], options: dict[str, Any], root: str, day: date,
                  case_ids: list[uuid.UUID]) -> list[RenderedCase]:
    """Worker process: one Database per process, kept for the following chunks, and the font plan and
    page-number mode of the court's settings read with the first chunk (the pool lives for one batch)."""
    db = _worker_db.get(url) or _worker_db.setdefault(url, Database(url))
    return _render_with(db, kind, fmts, options, root, day, case_ids, setup=_worker_setup.get(url),
                        keep=functools.partial(_worker_setup.__setitem__, url))


def _render_with(db: Database, kind: str, fmts: tuple[str, ...], options: dict[str, Any], root: str, day: date,
                 case_ids: list[uuid.UUID], *, setup: tuple[Any, str] | None = None,
                 keep: Callable[[tuple[Any, str]], None] | None = None) -> list[RenderedCase]:
    """Build and render the documents of ``case_ids`` (reads only).

    One read transaction per chunk: the settings, the font plan and the cases with their parties
    and addresses are read once for the chunk (the plan once per worker with ``setup``/``keep``), not
    once per case. (Each render resets the plan's preflight state, so one plan serves every document.)
    """
    from baihe_desk.documents import settings as doc_settings
    from baihe_desk.documents.builder import on_day
    from baihe_desk.documents.render import build_document, font_plan, render
    from baihe_desk.services.common.document_kinds import get_kind

    doc_kind = get_kind(kind)
    out = []
    with db.session() as s, on_day(day):  # the batch's day, not this process's clock
        doc_settings.remember_settings(s)  # read-only: each setting is read once per chunk
        if setup is None:
            setup = (font_plan(s, [Path(root) / "fonts"]), doc_settings.page_number_mode(s))
            if keep is not None:
                keep(setup)
        plan, page_numbers = setup
        cases = _load_cases(s, case_ids)
        for case_id in case_ids:
            item = RenderedCase(case_id)
            case = cases.get(case_id)
            try:
                if case is None:
                    raise KnownError("案件不存在或已被删除。")
                doc = build_document(s, doc_kind, case, options)
                rendered = render(doc, fmts, plan, page_numbers=page_numbers)
            except KnownError as exc:
                item.error = exc.message
            else:
                item.title, item.template_version, item.files = doc.title, doc.template_version, rendered.files
                item.fallbacks = [f"{f.char} U+{ord(f.char):04X} {f.field or '模板'} → {f.font}"
                                  for f in rendered.fallbacks]
                item.font_note = rendered.font_note
            out.append(item)
    return out


def _load_cases(session: Session, case_ids: list[uuid.UUID], *, parties: bool = True) -> dict[uuid.UUID, Case]:
    """The cases (with their parties and the parties' addresses) in one round of queries."""
    from sqlalchemy.orm import selectinload

    from baihe_desk.models import Party

    query = select(Case).where(Case.id.in_(case_ids))
    if parties:
        query = query.options(selectinload(Case.parties).selectinload(Party.addresses))
    return {case.id: case for case in session.scalars(query)}


def _record(session: Session, actor: User | None, kind: str, items: list[RenderedCase], cases: dict[uuid.UUID, Case],
            paths: Paths) -> list[list[uuid.UUID]]:
    """Write the cases' files as new versions and record them, all in one go
    (``documents.record_generated_many``); a case deleted since it was rendered is in ``items`` only if
    it is in ``cases``."""
    from baihe_desk.services.common.documents import Generated, record_generated_many

    batch = [Generated(cases[item.case_id], item.files, item.title, item.template_version, item.fallbacks,
                       item.font_note) for item in items]
    records = record_generated_many(session, actor, kind, batch, paths=paths, audit_extra={"batch": True})
    return [[r.id for r in group] for group in records]
