"""批量生成文书: every case gets its recorded, hashed documents; progress is reported; cancel stops
the batch after what is already rendered; a case the builder refuses is reported, not fatal. (送达地址确认书:
a kind every stage of a case has; 诉前调解告知书 exists only before filing.)"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import delete, func, select

from baihe_desk.models import AuditRecord, Case, GeneratedDocument, Party, PartyRole, Role, Stage
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common import document_batch


@pytest.fixture
def cases(udb, uusers):
    load_demo(udb, cases=40, seed=21)
    with udb.session() as s:
        return list(s.scalars(select(Case.id).where(Case.stage == Stage.CLOSED).order_by(Case.receipt_number)))[:12]


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_records_every_case(udb, uusers, udata, cases, workers):
    seen = []
    result = document_batch.render_batch(udb, uusers[Role.FILING_CLERK], "address-confirmation", cases, paths=udata,
                                         workers=workers, progress=lambda done, total: seen.append((done, total)))
    assert (result.done, result.failed, result.cancelled) == (len(cases), [], False)
    assert seen[-1] == (len(cases), len(cases)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    with udb.session() as s:
        records = s.scalars(select(GeneratedDocument).where(GeneratedDocument.id.in_(result.records))).all()
        assert sorted((r.case_id, r.format) for r in records) == sorted((c, f) for c in cases for f in ("pdf", "docx"))
        for r in records:
            data = (udata.documents / r.relpath).read_bytes()
            assert hashlib.sha256(data).hexdigest() == r.sha256 and r.version == 1
        assert data[:2] in (b"%P", b"PK")
        audits = s.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "document.generate"))
        assert audits == len(records)


def test_cancel_and_a_refused_case(udb, uusers, udata, cases, monkeypatch):
    monkeypatch.setattr(document_batch, "RECORD_EVERY", 2)
    with udb.transaction() as s:  # a case without a plaintiff: the form has no one to address
        s.execute(delete(Party).where(Party.case_id == cases[0], Party.role == PartyRole.PLAINTIFF))
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < 4

    result = document_batch.render_batch(udb, uusers[Role.FILING_CLERK], "address-confirmation", cases, paths=udata,
                                         workers=1, progress=progress)
    assert result.cancelled and 4 <= result.done + len(result.failed) < len(cases)
    assert [c for c, _ in result.failed] == [cases[0]] and result.failed[0][1]
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(GeneratedDocument)) == 2 * result.done


def test_batch_needs_the_permission(udb, uusers, udata, cases):
    from baihe_desk.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_batch.render_batch(udb, None, "address-confirmation", cases, paths=udata)
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(GeneratedDocument)) == 0


def test_cancel_with_worker_processes_records_only_what_was_rendered(udb, uusers, udata, cases, monkeypatch):
    monkeypatch.setattr(document_batch, "CHUNK", 1)
    monkeypatch.setattr(document_batch, "RECORD_EVERY", 1)
    result = document_batch.render_batch(udb, uusers[Role.FILING_CLERK], "address-confirmation", cases, paths=udata,
                                         workers=2, progress=lambda done, total: False)
    assert result.cancelled and 1 <= result.done < len(cases) and result.failed == []
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(GeneratedDocument)) == 2 * result.done
    assert len([p for p in udata.documents.rglob("*") if p.is_file()]) == 2 * result.done  # no file without a record


@pytest.mark.parametrize(("every", "committed"), [(0.0, [0, 0, 4, 4, 8, 8, 12, 12, 16, 16, 20, 20]),
                                                  (3600.0, [0] * 12)])
def test_progress_moves_with_every_case_and_time_cuts_the_transactions(db, users, paths, monkeypatch, every,
                                                                         committed):
    """The count moves with every case (a busy PC must not leave it standing for a whole transaction);
    a transaction takes RECORD_EVERY cases, or what is rendered once PROGRESS_EVERY has passed (two cases
    a chunk here). ``committed``: the records another connection sees when each case is reported."""
    load_demo(db, cases=30, seed=21)
    with db.session() as s:
        ids = list(s.scalars(select(Case.id).order_by(Case.receipt_number)))[:12]
    monkeypatch.setattr(document_batch, "CHUNK", 2)
    monkeypatch.setattr(document_batch, "RECORD_EVERY", 100)
    monkeypatch.setattr(document_batch, "PROGRESS_EVERY", every)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        with db.session() as s:
            seen.append((done, s.scalar(select(func.count()).select_from(GeneratedDocument)) or 0))

    result = document_batch.render_batch(db, users[Role.FILING_CLERK], "address-confirmation", ids, paths=paths,
                                         workers=1, progress=progress)
    assert result.done == 12 and seen == list(zip(range(1, 13), committed, strict=True))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(GeneratedDocument)) == 24


def test_a_second_batch_takes_each_case_s_next_free_version(udb, uusers, udata, cases):
    """Cases recorded together still get their own next version: v2 after a first batch, v2 beside a file
    left without a record (a run killed between writing and committing), v1 for a case never done; the
    state snapshot of the rows written together matches each row (check finds nothing edited)."""
    from baihe_desk.services.common import documents, state_hash

    clerk = uusers[Role.FILING_CLERK]
    document_batch.render_batch(udb, clerk, "address-confirmation", cases[:3], paths=udata, workers=1)
    with udb.session() as s:
        folder = documents.case_folder(udata, s.get(Case, cases[3]))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "address-confirmation-v1.pdf").write_bytes(b"%PDF-stray")
    result = document_batch.render_batch(udb, clerk, "address-confirmation", cases[:5], paths=udata, workers=1)
    assert result.done == 5
    with udb.session() as s:
        versions = {(r.case_id, r.format): r.version for r in
                    s.scalars(select(GeneratedDocument).where(GeneratedDocument.id.in_(result.records)))}
        assert versions == {(c, f): v for c, v in zip(cases[:5], (2, 2, 2, 2, 1), strict=True) for f in ("pdf", "docx")}
        assert state_hash.find_edited_rows(s) == []
    assert (folder / "address-confirmation-v1.pdf").read_bytes() == b"%PDF-stray"
