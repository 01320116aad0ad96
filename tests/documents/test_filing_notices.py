"""受理案件通知书 (acceptance-notice) and 交纳诉讼费用通知书 (fee-notice), handed out after 登记立案.

Expected figures come from 《诉讼费用交纳办法》 itself, not from the calculator: 第十三条第（一）项 for
12,800 元 is 50 元 for the first 10,000 plus 2.5% of 2,800 (70 元) = 120 元; 第十六条 halves it for 简易程序
to 60 元 (陆拾元整). The deadline and its consequence are 第二十二条 (自接到…通知次日起7日内) and
登记立案规定第十一条 (按撤诉处理).
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from baihe_desk import cli
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, Procedure, Role
from baihe_desk.services.common import documents
from tests.documents import every_kind
from tests.documents.docs_helpers import compact, pdf_text


def _docx_text(data: bytes) -> str:
    import docx

    return "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _filed(db, users, *, company=False, procedure=Procedure.SIMPLE, amount="12800"):
    clerk = users[Role.FILING_CLERK]
    case = every_kind._intake(db, clerk, company=company, amount=amount)
    case = every_kind._review(db, clerk, case.id, "registered", {})
    with db.transaction() as s:
        s.get(Case, case.id).procedure = procedure
    return case


def _render(db, kind, case, fmt="pdf"):
    with db.session() as s:
        from baihe_desk.documents.render import build_document, font_plan, render

        doc = build_document(s, documents.get_kind(kind), s.get(Case, case.id), {"issued_on": date(2026, 11, 26)})
        return compact(doc.plain_text()), render(doc, [fmt], font_plan(s)).files[fmt]


def test_fee_notice_shows_the_fee_step_by_step_the_deadline_and_the_consequence(db, users):
    case = _filed(db, users)
    text, pdf = _render(db, "fee-notice", case)
    for body in (text, compact(pdf_text(pdf))):
        assert "交纳诉讼费用通知书" in body and case.case_number in body
        assert "王堃：" in body and "你诉李喆玥民间借贷纠纷一案" in body
        assert "12,800.00元" in body  # the claimed amount, step 1
        assert "50.00元" in body and "2,800.00元×2.5%=70.00元" in body
        assert "案件受理费：120.00元" in body
        assert "120.00÷2=60.00元" in body and "第十六条" in body
        assert "合计60.00元（大写：陆拾元整）" in body
        assert "自接到本通知次日起七日内交纳" in body and "第二十二条第一款" in body
        assert "按撤诉处理" in body and "登记立案若干问题的规定》第十一条" in body
        assert "缓交、减交或者免交" in body
        assert "你单位" not in body and "你（你单位）" not in body


def test_fee_notice_to_a_company_says_你单位_and_offers_no_waiver(db, users):
    case = _filed(db, users, company=True, procedure=Procedure.ORDINARY, amount="250000")
    text, _ = _render(db, "fee-notice", case)
    # 10,000 → 50; 90,000 × 2.5% = 2,250; 100,000 × 2% = 2,000; 50,000 × 1.5% = 750 → 5,050 (普通程序, not halved)
    assert "合计5,050.00元（大写：伍仟零伍拾元整）" in text
    assert "白河林海商贸有限公司：" in text and "你单位诉李喆玥" in text
    assert "缓交或者减交" in text and "免交" not in text.split("四、司法救助")[1].split("五、")[0]
    assert "你（你单位）" not in text


def test_acceptance_notice_after_filing(db, users):
    case = _filed(db, users, procedure=Procedure.SMALL_CLAIMS)
    text, docx = _render(db, "acceptance-notice", case, "docx")
    word = compact(_docx_text(docx))
    for body in (text, word):
        assert "受理案件通知书" in body and case.case_number in body
        assert "本院已于" in body and "登记立案，适用小额诉讼审理" in body and "第一百二十六条" in body
        assert "第五十二条" in body and "本案应预交60.00元" in body
        assert "一审终审" in body and "四、小额诉讼" in body and "五、送达地址和联系方式" in body


def test_both_refuse_a_case_before_filing_and_say_why(db, users):
    case = every_kind._intake(db, users[Role.FILING_CLERK])
    for kind, title in (("acceptance-notice", "受理案件通知书"), ("fee-notice", "交纳诉讼费用通知书")):
        with pytest.raises(KnownError, match=f"本案尚未登记立案.*不能生成{title}"):
            _render(db, kind, case)


def test_render_from_the_command_line(db, users, paths, tmp_path, capsys, monkeypatch, password):
    case = _filed(db, users)
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", password)  # the command line is behind a desk login
    db.dispose()
    for kind in ("acceptance-notice", "fee-notice"):
        out = tmp_path / kind
        out.mkdir()
        assert cli.main(["--data-dir", str(paths.root), "render", kind, "--case", case.case_number,
                         "--format", "both", "--out", str(out), "--user", users[Role.FILING_CLERK].username]) == 0
        assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]
