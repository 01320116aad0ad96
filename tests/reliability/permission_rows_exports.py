"""权限矩阵 — rows for what a user takes out of the desk or sets for it: batch documents, the statistics
reports (kept, or written to a folder from the command line), one setting, the holiday table, the settings file (export and import)."""

from __future__ import annotations

import json
from datetime import date

from baihe_desk.services.admin import holiday_tables, settings
from baihe_desk.services.admin import transfer as settings_transfer
from baihe_desk.services.common import document_batch
from baihe_desk.services.common import documents as docs
from baihe_desk.services.common.permissions import Perm
from baihe_desk.services.statistics import export as statistics_export
from baihe_desk.services.statistics import report as statistics
from baihe_desk.services.statistics.figures import period_of
from tests.reliability.permission_matrix import Row, World

P = Perm
HOLIDAYS_2031 = "元旦 2031-01-01\n春节 2031-01-22 至 2031-01-28\n国庆节 2031-10-01 至 2031-10-07"
WORKDAYS_2031 = "春节 2031-01-19\n国庆节 2031-10-11"


def _report(w: World):  # type: ignore[no-untyped-def]
    with w.db.session() as s:
        return statistics.compute(s, period_of("month", date(2026, 3, 15)), today=date(2026, 4, 2))


def _batch(w: World, actor, cid):  # type: ignore[no-untyped-def]
    return document_batch.render_batch(w.db, actor, "address-confirmation", [cid], paths=w.paths, formats=("pdf",),
                                       workers=1)


def _render_case(w: World, actor) -> tuple:  # type: ignore[no-untyped-def]
    """(case id, folder in the data folder): the 调解员's own case is one whose mediation is assigned to him."""
    from baihe_desk.models import Role
    from tests.reliability.permission_rows_workflows import mediation

    mine = actor is not None and getattr(actor, "role", None) is Role.MEDIATOR and actor.active
    cid = mediation(w, "assigned")[1] if mine else w.new_case()
    return cid, w.paths.root / f"render-{w.seed()}"


def _year_added(w: World) -> int:
    n = w.seed()
    w.write(lambda s: holiday_tables.add_year(s, w.admin, 2031, HOLIDAYS_2031, WORKDAYS_2031, f"准备{n}"))
    return 2031


def _changed_file(w: World):  # type: ignore[no-untyped-def]
    data = w.write(lambda s: settings_transfer.export_data(s))
    values = dict(data.get("settings") or {})
    values["queues.near_due_days"] = 7 if values.get("queues.near_due_days") != 7 else 6
    path = w.paths.root / f"settings-import-{w.seed()}.json"
    path.write_text(json.dumps({**data, "settings": values}, ensure_ascii=False), "utf-8")
    return path


ROWS: list[Row] = [
    Row("document_batch.render_batch", (P.DOCUMENT_GENERATE,), lambda w, a: (w, w.new_case()),
        lambda s, a, x: _batch(x[0], a, x[1]), own_tx=True),
    Row("documents.render_to_dir", (P.DOCUMENT_GENERATE,), _render_case,
        lambda s, a, x: docs.render_to_dir(s, a, "mediation-notice", str(x[0]), ["pdf"], x[1], paths=None)),
    Row("statistics_export.render_report_to_dir", (P.REPORT_EXPORT,), lambda w, a: w.paths.root / f"report-{w.seed()}",
        lambda s, a, out: statistics_export.render_report_to_dir(s, a, "weekly-bulletin", "2026-W14", ["pdf"], out,
                                                                 today=date(2026, 4, 9))),
    Row("statistics_export.export_report", (P.REPORT_EXPORT,), lambda w, a: (w.paths, _report(w)),
        lambda s, a, x: statistics_export.export_report(s, a, "monthly-analysis", x[1], formats=("pdf",),
                                                        paths=x[0], issued_on=date(2026, 4, 2))),
    Row("settings.set_value", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: settings.set_value(s, a, "queues.near_due_days", 1 + n % 9)),
    Row("holiday_tables.add_year", (P.SETTINGS_EDIT,), lambda w, a: w.seed(),
        lambda s, a, n: holiday_tables.add_year(s, a, 2031, HOLIDAYS_2031, WORKDAYS_2031, f"矩阵{n}")),
    Row("holiday_tables.remove_year", (P.SETTINGS_EDIT,), lambda w, a: _year_added(w),
        lambda s, a, year: holiday_tables.remove_year(s, a, year)),
    Row("settings_transfer.export_file", (P.SETTINGS_TRANSFER,), lambda w, a: w.paths.root / f"export-{w.seed()}.json",
        lambda s, a, path: settings_transfer.export_file(s, a, path)),
    Row("settings_transfer.import_file", (P.SETTINGS_TRANSFER,), lambda w, a: _changed_file(w),
        lambda s, a, path: settings_transfer.import_file(s, a, path)),
]
