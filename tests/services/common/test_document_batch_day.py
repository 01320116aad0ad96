"""批量生成文书 dates every document with the day the batch was started in the desk, not with the clock of
the worker process that renders it (a worker's own clock may be another day: after midnight, or a PC whose
clock differs; in tests, the real day under a fake one)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.models import Case, GeneratedDocument, Party, PartyKind, PartyRole, Role, Stage
from baihe_desk.services.common import document_batch
from tests.fake_today import travel_to


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_of_notices_carries_the_desk_day_into_its_workers(udb, uusers, udata, workers):
    with udb.transaction() as s:  # 诉前调解告知书 goes to complaints not yet filed
        for n in range(1, 6):
            c = Case(receipt_number=f"2027收{n:05d}", received_on=date(2027, 2, 1), cause_name="民间借贷纠纷",
                     stage=Stage.RECEIVED)
            c.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name=f"申请人{n}"),
                         Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=f"被申请人{n}")]
            s.add(c)
    with udb.session() as s:
        ids = list(s.scalars(select(Case.id).order_by(Case.receipt_number)))
    with travel_to(date(2027, 2, 8)):  # 春节 2027: the workers' own clocks say another day
        result = document_batch.render_batch(udb, uusers[Role.FILING_CLERK], "mediation-notice", ids, paths=udata,
                                             formats=("docx",), workers=workers)
    assert (result.done, result.failed) == (5, [])
    with udb.session() as s:
        records = s.scalars(select(GeneratedDocument).where(GeneratedDocument.id.in_(result.records))).all()
        texts = [_docx_text((udata.documents / r.relpath).read_bytes()) for r in records]
    assert len(texts) == 5
    for text in texts:
        assert "二〇二七年二月八日" in text, text[-200:]
