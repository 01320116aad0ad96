"""文书 — generate court documents for a case, keep them as records, manage wording templates.

Generated files are records: each generation is a new version (``<kind>-v<N>.<ext>`` below
``documents/<year>/<收件号>/``), written with exclusive create so nothing is ever overwritten, and
stored with its SHA-256, size and the template version it used. The folder is named after the
收件号, which a case keeps for life (a 案号 comes later), so all of a case's documents stay together.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.documents import settings as doc_settings
from baihe_desk.documents import wording
from baihe_desk.documents.render import build_document, check_formats, font_plan, preview, render
from baihe_desk.documents.text import one_line, safe_filename
from baihe_desk.documents.wording import TemplateVersion
from baihe_desk.errors import ConflictError, KnownError, NotFound
from baihe_desk.models import Case, GeneratedDocument, User
from baihe_desk.models.template import WordingTemplate
from baihe_desk.services.common import audit
from baihe_desk.services.common.document_kinds import KINDS, get_kind
from baihe_desk.services.common.lookup import get_case
from baihe_desk.services.common.permissions import Perm, require

log = logging.getLogger(__name__)

__all__ = [
    "KINDS", "audit_rendered", "case_folder", "document_path", "file_status", "find_case", "generate",
    "list_documents", "preview_template", "record_generated", "record_generated_many", "render_to_dir",
    "rollback_template", "save_template", "template_versions", "write_numbered",
]


def fonts_dirs(paths: Paths | None) -> list[Path]:
    """The folders of fonts added on this desk (the data folder's ``fonts``), beside the shipped ones."""
    return [paths.root / "fonts"] if paths is not None else []


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; never replaces an existing file (O_EXCL), flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def case_folder(paths: Paths, case: Case) -> Path:
    return paths.documents / str(case.received_on.year) / safe_filename(case.receipt_number or str(case.id))


def document_path(paths: Paths, record: GeneratedDocument) -> Path:
    return paths.documents / record.relpath


def file_status(paths: Paths, record: GeneratedDocument) -> str:
    """"ok", "missing" or "changed" (the file's SHA-256 no longer matches the record)."""
    path = document_path(paths, record)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"
    return "ok" if digest == record.sha256 else "changed"


def list_documents(session: Session, case_id: uuid.UUID) -> list[GeneratedDocument]:
    """A case's generated documents, newest version first."""
    return list(session.scalars(
        select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
        .order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.version.desc(), GeneratedDocument.format)
    ))


def find_case(session: Session, ref: str) -> Case:
    """A case by 案号, 收件号 or id."""
    ref = one_line(ref)
    conditions = [Case.case_number == ref, Case.receipt_number == ref]
    try:
        conditions.append(Case.id == uuid.UUID(ref))
    except ValueError:
        pass
    case = session.scalars(select(Case).where(or_(*conditions))).first()
    if case is None:
        raise NotFound(f"没有找到案件：{ref}")
    return case


def generate(session: Session, actor: User | None, kind: str, case_id: uuid.UUID,
             formats: Iterable[str] = ("pdf", "docx"), *, paths: Paths,
             options: dict[str, Any] | None = None) -> list[GeneratedDocument]:
    """Generate ``kind`` for a case in each format as a new version; returns the new records.

    Call inside a write transaction (``db.transaction()``). ``options`` go to the document's
    builder (for the mediation notice: mediator_org, contact_name, contact_phone, limitation_note,
    mediation_days, issued_on).
    """
    require(session, actor, Perm.DOCUMENT_GENERATE)
    doc_kind = get_kind(kind)
    fmts = check_formats(formats)
    case = get_case(session, case_id)
    doc = build_document(session, doc_kind, case, options)
    rendered = render(doc, fmts, font_plan(session, fonts_dirs(paths)),
                      page_numbers=doc_settings.page_number_mode(session))

    fallbacks = [f"{f.char} U+{ord(f.char):04X} {f.field or '模板'} → {f.font}" for f in rendered.fallbacks]
    if fallbacks:
        log.info("document %s for %s uses fallback fonts: %s", kind, case.receipt_number, fallbacks[:20])
    try:
        return record_generated(session, actor, case, kind, rendered.files, paths=paths, title=doc.title,
                                template_version=doc.template_version, fallbacks=fallbacks,
                                font_note=rendered.font_note)
    except FileExistsError as exc:
        raise ConflictError("另一台电脑正在生成同一份文书，请稍后重试。") from exc
    except IntegrityError as exc:
        raise ConflictError("另一台电脑同时生成了同一份文书，请刷新后重试。") from exc


@dataclass
class Generated:
    """One case's rendered files, to be written as its next version of a kind and recorded."""
    case: Case
    files: dict[str, bytes]  # format → bytes
    title: str
    template_version: str | None
    fallbacks: list[str] = field(default_factory=list)
    font_note: str = ""


def record_generated(session: Session, actor: User | None, case: Case, kind: str, files: dict[str, bytes], *,
                     paths: Paths, title: str, template_version: str | None, fallbacks: list[str],
                     audit_extra: dict[str, Any] | None = None, font_note: str = "") -> list[GeneratedDocument]:
    """Write rendered ``files`` (format → bytes) as the case's next version of ``kind`` and record them.

    Each file is created exclusively and flushed to disk, then gets a ``GeneratedDocument`` (SHA-256,
    size, template version) and a ``document.generate`` audit record. Used by :func:`generate`; the batch
    records several cases at once with :func:`record_generated_many`. On any error the files written here
    are removed and the error is raised (the caller's transaction is rolled back).
    """
    item = Generated(case, files, title, template_version, fallbacks, font_note)
    return record_generated_many(session, actor, kind, [item], paths=paths, audit_extra=audit_extra)[0]


def record_generated_many(session: Session, actor: User | None, kind: str, items: list[Generated], *,
                          paths: Paths, audit_extra: dict[str, Any] | None = None) -> list[list[GeneratedDocument]]:
    """:func:`record_generated` for several cases in one go (the batch): one look-up of their latest
    versions, one flush and one audit append for all, the same files, records and audit entries as one by
    one. On any error every file written here is removed and the error is raised."""
    ids = [item.case.id for item in items]
    latest: dict[uuid.UUID, int] = {case_id: version for case_id, version in session.execute(
        select(GeneratedDocument.case_id, func.max(GeneratedDocument.version))
        .where(GeneratedDocument.case_id.in_(ids), GeneratedDocument.kind == kind)
        .group_by(GeneratedDocument.case_id)) if case_id is not None}
    written: list[Path] = []
    out: list[list[GeneratedDocument]] = []
    try:
        for item in items:
            records = _write_version(session, actor, case_id=item.case.id, kind=kind,
                                     folder=case_folder(paths, item.case), stem=kind, files=item.files,
                                     paths=paths, title=item.title, template_version=item.template_version,
                                     font_note=item.font_note, after=latest.get(item.case.id) or 0,
                                     written=written)
            if records:  # (a case twice in one call: its second files take the version after)
                latest[item.case.id] = records[0].version
            out.append(records)
        session.flush()
        audit.record_many(session, actor, "document.generate", [
            ("generated_document", record.id, None,
             {**audit.snapshot(record), "font_fallbacks": item.fallbacks[:50], **(audit_extra or {})})
            for item, records in zip(items, out, strict=True) for record in records])
    except BaseException:
        _remove(written)
        raise
    return out


def _write_version(session: Session, actor: User | None, *, case_id: uuid.UUID | None, kind: str, folder: Path,
                   stem: str, files: dict[str, bytes], paths: Paths, title: str, template_version: str | None,
                   font_note: str, after: int, written: list[Path]) -> list[GeneratedDocument]:
    """Write ``files`` as ``folder/<stem>-v<N>.<ext>`` with N the first version above ``after`` whose files
    are all free, and add (unflushed) a ``GeneratedDocument`` for each; each path written is appended to
    ``written`` as soon as it exists (the caller removes them on an error)."""
    version = after + 1
    while any((folder / f"{stem}-v{version}.{fmt}").exists() for fmt in files):
        version += 1  # a file without a record (an interrupted run): leave it, take the next number
    records: list[GeneratedDocument] = []
    for fmt, data in files.items():
        path = folder / f"{stem}-v{version}.{fmt}"
        write_new(path, data)
        written.append(path)
        record = GeneratedDocument(
            case_id=case_id, kind=kind, title=title, version=version, format=fmt,
            relpath=path.relative_to(paths.documents).as_posix(), sha256=hashlib.sha256(data).hexdigest(),
            size=len(data), template_version=template_version, created_by_id=actor.id if actor else None,
            font_note=font_note[:300] if fmt == "pdf" else "",  # the DOCX names the court's font
        )
        session.add(record)
        records.append(record)
    return records


def _remove(written: list[Path]) -> None:
    for path in written:
        try:
            path.unlink()
        except OSError:
            log.warning("could not remove %s after a failed generation", path)


@contextmanager
def new_version(session: Session, actor: User | None, *, case_id: uuid.UUID | None, kind: str, folder: Path,
                stem: str, files: dict[str, bytes], paths: Paths, title: str,
                template_version: str | None, font_note: str = "") -> Iterator[list[GeneratedDocument]]:
    """Write ``files`` (format → bytes) as ``folder/<stem>-v<N>.<ext>``, the next version of ``kind`` for the
    case (or, with ``case_id`` None, for the reports), and add a flushed ``GeneratedDocument`` for each file;
    ``font_note`` (the PDF's body is not 仿宋) goes on the PDF's record.

    The records are yielded for the caller's audit. On any error, here or in the caller's ``with`` block,
    the files written are removed and the error is raised (the caller's transaction is rolled back).
    """
    owner = GeneratedDocument.case_id.is_(None) if case_id is None else GeneratedDocument.case_id == case_id
    latest = session.scalar(select(func.max(GeneratedDocument.version))
                            .where(owner, GeneratedDocument.kind == kind)) or 0
    written: list[Path] = []
    try:
        records = _write_version(session, actor, case_id=case_id, kind=kind, folder=folder, stem=stem, files=files,
                                 paths=paths, title=title, template_version=template_version, font_note=font_note,
                                 after=latest, written=written)
        session.flush()
        yield records
    except BaseException:
        _remove(written)
        raise


def write_numbered(out_dir: Path, stem: str, files: dict[str, bytes]) -> list[Path]:
    """Write each ``format → bytes`` as ``out_dir/<stem>.<ext>`` (``-2``, ``-3`` … if taken; nothing is
    overwritten) and return the paths; on an error the files written here are removed and the error raised."""
    out: list[Path] = []
    try:
        for fmt, data in files.items():
            n = 1
            while True:
                path = Path(out_dir) / (f"{stem}.{fmt}" if n == 1 else f"{stem}-{n}.{fmt}")
                try:
                    write_new(path, data)
                    break
                except FileExistsError:
                    n += 1
            out.append(path)
    except BaseException:
        for path in out:
            path.unlink(missing_ok=True)
        raise
    return out


def audit_rendered(session: Session, actor: User, entity: str, entity_id: Any, kind: str, files: list[Path],
                   **details: Any) -> None:
    """The ``document.render`` record of files written outside the documents folder (no record is kept of
    them): what, by whom, where, and each file's SHA-256. If it cannot be written, the files are removed
    (no file without its record) and the error raised."""
    try:
        audit.record(session, actor, "document.render", entity=entity, entity_id=entity_id,
                     after={"kind": kind, **details, "files": [
                         {"path": str(p.resolve()), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                         for p in files]})
    except BaseException:
        for path in files:
            path.unlink(missing_ok=True)
        raise


def render_to_dir(session: Session, actor: User | None, kind: str, case_ref: str, formats: Iterable[str],
                  out_dir: Path, *, paths: Paths | None = None,
                  options: dict[str, Any] | None = None) -> list[Path]:
    """Headless rendering for the CLI (``baihe-desk render KIND --case 案号 --format … --out DIR``).

    Like :func:`generate`, only for a user who may generate documents (``Perm.DOCUMENT_GENERATE``) and may
    touch the case (a mediator: the cases of their mediations); a refusal is audited and writes nothing.
    Writes ``<kind>-<案号或收件号>.<ext>`` into ``out_dir`` (``-2``, ``-3`` … if taken; nothing is
    overwritten) and returns the paths. No document record is stored; the files are audited
    (``document.render``, with their SHA-256). Call inside a write transaction.
    """
    from baihe_desk.services.common.case_scope import require_case

    user = require(session, actor, Perm.DOCUMENT_GENERATE)
    doc_kind = get_kind(kind)
    case = find_case(session, case_ref)
    require_case(session, user, case.id, "生成该案文书")
    doc = build_document(session, doc_kind, case, options)
    rendered = render(doc, formats, font_plan(session, fonts_dirs(paths)),
                      page_numbers=doc_settings.page_number_mode(session))
    out = write_numbered(Path(out_dir), f"{kind}-{safe_filename(case.case_number or case.receipt_number)}",
                         rendered.files)
    audit_rendered(session, user, "case", case.id, kind, out)
    return out


# -- wording templates (文书模板) --------------------------------------------------------------------

def template_versions(session: Session, kind: str) -> list[TemplateVersion]:
    """Every version of the template of ``kind``, newest (the one in force) first."""
    return wording.versions(session, get_kind(kind))


def save_template(session: Session, actor: User | None, kind: str, body: str, note: str = "") -> WordingTemplate:
    """Check and store an edited template as a new version (admin). Raises TemplateError."""
    require(session, actor, Perm.TEMPLATE_EDIT)
    row = wording.add_version(session, actor, get_kind(kind), body, note)
    audit.record(session, actor, "template.save", entity="wording_template", entity_id=row.id,
                 after={"kind": kind, "version": row.version, "note": row.note,
                        "sha256": hashlib.sha256(row.body.encode("utf-8")).hexdigest()})
    return row


def rollback_template(session: Session, actor: User | None, kind: str, version: int) -> WordingTemplate:
    """回退: save the body of an older version again as the newest version."""
    require(session, actor, Perm.TEMPLATE_EDIT)
    old = next((v for v in wording.versions(session, get_kind(kind)) if v.version == version), None)
    if old is None:
        raise NotFound(f"没有第 {version} 版模板。")
    row = wording.add_version(session, actor, get_kind(kind), old.body, f"回退到第 {version} 版")
    audit.record(session, actor, "template.rollback", entity="wording_template", entity_id=row.id,
                 after={"kind": kind, "version": row.version, "from_version": version})
    return row


def preview_template(session: Session | None, kind: str, body: str, *, fmt: str = "pdf",
                     paths: Paths | None = None) -> bytes:
    """The template rendered with sample data (PDF by default), for the editor's 预览."""
    if fmt not in ("pdf", "docx"):
        raise KnownError(f"不支持的预览格式：{fmt}")
    return preview(session, get_kind(kind), body, fmt=fmt, extra_dirs=fonts_dirs(paths))
