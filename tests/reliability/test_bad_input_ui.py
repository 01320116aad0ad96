"""Bad input typed into the 收件登记 form (pytest-qt): the form saves, or shows a Chinese message next to
each bad field — it never crashes and never loses what was typed.

Text arrives through the input-method path (one committed string per field, as 搜狗/微软拼音 deliver it);
lone surrogates are left out: no keyboard or input method produces them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from baihe_desk.models import Case
from baihe_desk.ui.common.qt import QPlainTextEdit, Qt
from baihe_desk.ui.filing.intake_form import IntakeForm
from tests.reliability.nasty import CJK, SURROGATES, examples, nasty_text
from tests.ui.helpers import commit_text

FIELDS = ["cause", "amount", "claims", "facts", "party0.name", "party0.id_number", "party0.domicile",
          "party0.postcode", "party0.phone", "party1.name", "party1.domicile", "party1.phone"]
VALID = {"cause": "民间借贷纠纷", "amount": "50000", "claims": "请求判令被告偿还借款", "facts": "被告借款未还。",
         "party0.name": "王𠇔", "party0.id_number": "", "party0.domicile": "吉林省安图县二道白河镇白山大街8号",
         "party0.postcode": "133613", "party0.phone": "13943312345", "party1.name": "李喆玥",
         "party1.domicile": "吉林省安图县松江镇1号", "party1.phone": "0433-5822110"}
typed = nasty_text(24).map(lambda t: "".join(c for c in t if c not in SURROGATES))
# each field: hostile text, or what a careful clerk types (so the save path is reached too)
values_strategy = st.fixed_dictionaries({k: st.one_of(typed, st.just(VALID[k])) for k in FIELDS})


@pytest.fixture
def form(qtbot, settle, fast_db, clerk, paths):
    f = IntakeForm(fast_db, clerk, paths)
    qtbot.addWidget(f)
    f.resize(1100, 900)
    f.show()
    qtbot.waitExposed(f)
    return f


def _widget(form, key):  # type: ignore[no-untyped-def]
    return form.field(key) if key != "amount" else form.amount


def _text(w) -> str:  # type: ignore[no-untyped-def]
    return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()


@examples(24, shrink=False)
@given(values=values_strategy)
def test_intake_form_saves_or_marks_each_bad_field_and_keeps_the_text(qtbot, form, fast_db, values, inputs):
    inputs.add("ui form")
    form.clear()
    form.result.hide()
    for key, text in values.items():
        if text:
            commit_text(_widget(form, key), text)
    before = form.to_draft()
    with fast_db.session() as s:
        cases_before = s.scalar(select(func.count()).select_from(Case))
    outcome: list[str] = []
    form.saved.connect(lambda *_: outcome.append("saved"))
    original = form.show_errors
    form.show_errors = lambda errs: (outcome.append("errors"), original(errs))  # type: ignore[method-assign]
    try:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(outcome), timeout=15_000)
    finally:
        form.show_errors = original  # type: ignore[method-assign]
    with fast_db.session() as s:
        cases_after = s.scalar(select(func.count()).select_from(Case))
    if outcome == ["saved"]:
        assert cases_after == cases_before + 1 and form.result.isVisible()
        return
    assert cases_after == cases_before  # refused: nothing written
    shown = form.errors_shown()
    assert shown or form.summary.text(), "refused without telling the clerk why"
    for key, message in shown.items():
        assert CJK.search(message), f"{key}: {message!r}"
    assert not form.summary.text() or CJK.search(form.summary.text())
    after = form.to_draft()
    before.pop("saved_at"), after.pop("saved_at")
    assert after == before  # nothing typed was lost
