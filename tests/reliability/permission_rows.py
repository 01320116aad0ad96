"""权限矩阵 — rows for the foundation, filing-window and document services (one ``Row`` per service).

``Row(service, perms, setup, call)``: ``setup(w, actor)`` prepares fresh prerequisites in their own
transactions and returns what ``call(session, actor, prepared)`` needs. Helpers for prerequisites that
several rows share are the ``_…`` functions below (or methods of ``World``).
"""

from __future__ import annotations

from baihe_desk.models import Case, Party, PartyRole, Role, User
from baihe_desk.models.review import Answer, ReviewOutcome
from baihe_desk.models.service_address import (
    AddressSource,
    ServedDocument,
    ServiceAddress,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.admin import court
from baihe_desk.services.admin.backups import backup_now, restore_database
from baihe_desk.services.common import auth, numbering
from baihe_desk.services.common import documents as docs
from baihe_desk.services.common.permissions import Perm
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing import intake, procedure
from baihe_desk.services.filing import service_address as sa
from baihe_desk.storage.backup import backup_database
from tests.reliability.factories import COURT_CODE
from tests.reliability.permission_matrix import Row, World

P = Perm
TODAY = today_local()


def _party(s, case_id, role=PartyRole.DEFENDANT) -> Party:  # type: ignore[no-untyped-def]
    return next(p for p in s.get(Case, case_id).parties if p.role is role)


def _review(w: World, *, answered: bool = False):  # type: ignore[no-untyped-def]
    """(case id, review id) of a started review; ``answered``: every item confirmed 符合."""
    cid = w.new_case()

    def work(s):  # type: ignore[no-untyped-def]
        review = cr.start_review(s, w.clerk, s.get(Case, cid), TODAY)
        if answered:
            for row in cr.review_sheet(s, review):
                cr.answer(s, w.clerk, review, row.item.id, row.answer or Answer.PASS)
        return cid, review.id

    return w.write(work)


def _failing_review(w: World):  # type: ignore[no-untyped-def]
    """A review whose answers allow 补正 (one correction item failed)."""
    cid = w.new_case()

    def work(s):  # type: ignore[no-untyped-def]
        review = cr.start_review(s, w.clerk, s.get(Case, cid), TODAY)
        failed = False
        for row in cr.review_sheet(s, review):
            value = row.answer or Answer.PASS
            if not failed and row.item.consequence == "correction":
                value, failed = Answer.FAIL, True
            cr.answer(s, w.clerk, review, row.item.id, value)
        assert failed
        return cid, review.id

    return w.write(work)


def _corrected(w: World):  # type: ignore[no-untyped-def]
    """A case sent back for 补正 (its review finished with CORRECTION)."""
    ids = _failing_review(w)
    w.write(lambda s: cr.finish(s, w.clerk, _review_obj(s, ids), ReviewOutcome.CORRECTION))
    return ids


def _address(w: World) -> tuple:
    cid = w.new_case()
    return w.write(lambda s: (cid, sa.add_address(s, w.clerk, _party(s, cid), AddressSource.COMPLAINT,
                                                  "吉林省安图县二道白河镇池北大街8号").id))


def _review_obj(s, ids):  # type: ignore[no-untyped-def]
    from baihe_desk.models.review import ComplaintReview

    return s.get(ComplaintReview, ids[1])


def _fresh_backup(w: World):  # type: ignore[no-untyped-def]
    """A backup of the world as it is now (restoring it changes nothing but adds the restore record)."""
    return w, w.paths, backup_database(w.db, w.paths, reason="manual")


def _restore(w: World, actor, backup):  # type: ignore[no-untyped-def]
    """Restore, then open the restored file: the old handle refuses to go on once its file was replaced."""
    from baihe_desk.config import LocalSettings
    from baihe_desk.storage.startup import open_database

    try:
        return restore_database(w.paths, backup, actor=actor, db=w.db)
    finally:
        if w.db.sqlite_path is not None and w.db.sqlite_path.exists():
            w.db = open_database(w.paths, LocalSettings(), backup=False)


# a mediator reaches only the cases of their assigned mediations (issue 17): these rows' cases are not theirs

ROWS: list[Row] = [
    # 收件登记 / 案号 / 审理程序
    Row("intake.create_case", (P.CASE_CREATE,), lambda w, a: w.case_input(),
        lambda s, a, data: intake.create_case(s, a, data, court_code=COURT_CODE)),
    Row("numbering.assign_case_number", (P.CASE_NUMBER_ASSIGN,), lambda w, a: w.new_case(),
        lambda s, a, cid: numbering.assign_case_number(s, a, s.get(Case, cid), "民初", year=2025)),
    Row("procedure.set_procedure", (P.PROCEDURE_SET,), lambda w, a: w.new_case(),
        lambda s, a, cid: procedure.set_procedure(
            s, a, s.get(Case, cid), procedure.suggest_for_case(s, s.get(Case, cid)).procedure)),
    # 用户与法院信息
    Row("auth.create_user", (P.USER_MANAGE,), lambda w, a: w.seed(),
        lambda s, a, n: auth.create_user(s, a, username=f"new{n}", display_name="新用户", role=Role.CLERK,
                                         password="Matrix-5678")),
    Row("auth.reset_password", (P.USER_MANAGE,), lambda w, a: w.new_user(),
        lambda s, a, uid: auth.reset_password(s, a, s.get(User, uid), "Matrix-9012")),
    Row("court.save_profile", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: court.save_profile(s, a, name="吉林省白河林区基层法院", code=COURT_CODE, phone=f"0433-{n:07d}")),
    # 立案审查
    Row("complaint_review.start_review", (P.CASE_REVIEW,), lambda w, a: w.new_case(),
        lambda s, a, cid: cr.start_review(s, a, s.get(Case, cid), TODAY)),
    Row("complaint_review.answer", (P.CASE_REVIEW,), lambda w, a: _review(w),
        lambda s, a, ids: cr.answer(s, a, _review_obj(s, ids), cr.review_sheet(s, _review_obj(s, ids))[0].item.id,
                                    Answer.PASS)),
    Row("complaint_review.finish(登记立案)", (P.CASE_REVIEW, P.CASE_NUMBER_ASSIGN),
        lambda w, a: _review(w, answered=True),
        lambda s, a, ids: cr.finish(s, a, _review_obj(s, ids), ReviewOutcome.REGISTERED)),
    Row("complaint_review.finish(补正)", (P.CASE_REVIEW,), lambda w, a: _failing_review(w),
        lambda s, a, ids: cr.finish(s, a, _review_obj(s, ids), ReviewOutcome.CORRECTION)),
    Row("complaint_review.resubmit", (P.CASE_REVIEW,), lambda w, a: _corrected(w),
        lambda s, a, ids: cr.resubmit(s, a, s.get(Case, ids[0]), TODAY)),
    # 送达地址与送达
    Row("service_address.add_address", (P.ADDRESS_VERIFY,), lambda w, a: w.new_case(),
        lambda s, a, cid: sa.add_address(s, a, _party(s, cid), AddressSource.COMPLAINT, "吉林省安图县松江镇1号")),
    Row("service_address.import_intake_addresses", (P.ADDRESS_VERIFY,), lambda w, a: w.new_case(),
        lambda s, a, cid: sa.import_intake_addresses(s, a, s.get(Case, cid))),
    Row("service_address.record_confirmation", (P.ADDRESS_VERIFY,), lambda w, a: w.new_case(),
        lambda s, a, cid: sa.record_confirmation(s, a, _party(s, cid, PartyRole.PLAINTIFF), sa.ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街1号", confirmed_on=TODAY))),
    Row("service_address.verify_address", (P.ADDRESS_VERIFY,), lambda w, a: _address(w),
        lambda s, a, ids: sa.verify_address(s, a, s.get(ServiceAddress, ids[1]), VerificationMethod.PHONE,
                                            VerificationResult.CONFIRMED, TODAY)),
    Row("service_address.record_attempt", (P.SERVICE_RECORD,), lambda w, a: _address(w),
        lambda s, a, ids: sa.record_attempt(s, a, s.get(Case, ids[0]), _party(s, ids[0]), sa.AttemptInput(
            method=ServiceMethod.DIRECT, document=ServedDocument.COMPLAINT_COPY, attempted_on=TODAY,
            result=ServiceResult.SIGNED, address_id=ids[1], signer="本人"))),
    # 文书
    Row("documents.generate", (P.DOCUMENT_GENERATE,), lambda w, a: (w.new_case(), w.paths),
        lambda s, a, x: docs.generate(s, a, "mediation-notice", x[0], ("docx",), paths=x[1])),
    Row("documents.save_template", (P.TEMPLATE_EDIT,), lambda w, a: None,
        lambda s, a, _: docs.save_template(s, a, "mediation-notice",
                                           docs.template_versions(s, "mediation-notice")[0].body, "矩阵测试")),
    Row("documents.rollback_template", (P.TEMPLATE_EDIT,), lambda w, a: None,
        lambda s, a, _: docs.rollback_template(s, a, "mediation-notice",
                                               docs.template_versions(s, "mediation-notice")[-1].version)),
    # 备份与恢复 (these services run their own transactions)
    Row("services.admin.backups.backup_now", (P.BACKUP,), lambda w, a: (w.db, w.paths),
        lambda s, a, x: backup_now(x[0], x[1], a), own_tx=True),
    Row("services.admin.backups.restore_database", (P.BACKUP,), lambda w, a: _fresh_backup(w),
        lambda s, a, x: _restore(x[0], a, x[2]), own_tx=True),
]
