"""执行咨询函: its 系统检查提示 names every element its own 要素 line prints as （未写明） — read from the letter
itself, draft or sent — while an ordinary 案件受理费负担 clause is no defect; the 执行建议 speaks of 被执行人 only
once there is a judgment."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from baihe_desk.models import Case, Stage
from baihe_desk.models.enforcement import TermKind
from baihe_desk.services.common import documents
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.draft import draft_of
from baihe_desk.services.enforcement.enforceability import TermData
from tests.documents.docs_helpers import compact, pdf_text
from tests.documents.test_enforcement_docs import make_consultation, people, reply  # noqa: F401  (fixture)

# the 要素 label printed before （未写明） → the words its 系统检查提示 line must use
GAP_WORDS = {"给付金额": "未写明给付金额", "计算基数": "计算基数", "起算": "利息起算日", "截止": "利息截止日",
             "义务人": "未写明义务人", "权利人": "未写明权利人", "履行期限": "未写明履行期限",
             "履行方式": "未写明履行方式", "负担人": "未写明负担人"}
FEE_CLAUSE = "案件受理费50元，减半收取25元，由被告李喆玥负担。"


def _draft(ddb, judge, case_id):
    with ddb.transaction() as s:
        c = svc.create(s, judge, case_id)
        data = draft_of(c)
        data.terms = [
            TermData(kind=TermKind.MONEY, text="被告李喆玥偿还原告王堃借款本金及利息。", obligors="李喆玥", obligees="王堃",
                     has_interest=True, interest_rate="年利率3.65%", interest_basis="。", perform_by="2026年12月31日前",
                     perform_manner="转账至原告账户"),
            TermData(seq=2, kind=TermKind.MONEY, text=FEE_CLAUSE, obligors="李喆玥", amount=Decimal("25")),
        ]
        svc.save_draft(s, judge, c.id, data)
        return c.id


def _letter(ddb, judge, out):
    with ddb.transaction() as s:
        (path,) = documents.render_to_dir(s, judge, "enforcement-consultation", "收2026-0001", ["pdf"], out)
    return compact(pdf_text(path.read_bytes()))


def _check(text: str) -> None:
    elements = re.findall(r"(\d+)．[^（]*?（要素）(.*?)(?=\d+．|四、)", text)
    assert elements, text
    hints = text.split("五、系统检查提示")[1] if "五、系统检查提示" in text else ""
    missing = []
    for seq, line in elements:
        for label in re.findall(r"([\u4e00-\u9fff]{2,4})：?（未写明）", line):
            key = next((k for k in GAP_WORDS if label.endswith(k)), None)
            assert key is not None, f"unexpected 要素 label {label}"
            if not re.search(rf"第{seq}项（缺陷）：[^．]*{GAP_WORDS[key]}", hints):
                missing.append((seq, label))
    assert not missing, f"（未写明） in the 要素 line without its 系统检查提示: {missing}"


def test_every_unwritten_element_is_in_the_hints_draft_and_sent(ddb, people, case_id, tmp_path):  # noqa: F811
    judge, _ = people
    cid = _draft(ddb, judge, case_id)
    draft = _letter(ddb, judge, tmp_path)
    assert "（草稿，尚未发送）" in draft
    for words in ("给付金额：（未写明）", "计算基数（未写明）", "起算（未写明）", "截止（未写明）"):
        assert words in draft
    _check(draft)
    with ddb.transaction() as s:
        svc.send(s, judge, cid, acknowledge_gaps=True, today=date(2026, 9, 24))
    sent = _letter(ddb, judge, tmp_path)
    _check(sent)
    hints = sent.split("五、系统检查提示")[1]
    assert "第2项（缺陷）" not in hints  # the 受理费 clause is no defect
    assert "类型：诉讼费用负担；负担人：李喆玥；金额：25元" in sent
    assert "权利人：（未写明）" not in sent


def test_the_advice_says_被执行人_only_after_a_judgment(ddb, people, case_id, tmp_path):  # noqa: F811
    judge, officer = people
    cid = make_consultation(ddb, judge, case_id)
    reply(ddb, officer, cid)
    for stage, heading in ((Stage.IN_TRIAL, "二、义务人财产线索"), (Stage.JUDGED, "二、被执行人财产线索")):
        with ddb.transaction() as s:
            s.get(Case, case_id).stage = stage
        with ddb.transaction() as s:
            (path,) = documents.render_to_dir(s, officer, "enforcement-advice", "收2026-0001", ["pdf"],
                                              tmp_path / stage.value)
        text = compact(pdf_text(path.read_bytes()))
        assert heading in text
        if stage is Stage.IN_TRIAL:
            assert "被执行人" not in text
