"""Party names at the 收件登记 window: an emoji in a company name is refused next to the field, saying
which character, and nothing is saved; rare CJK (堃, 䶮) goes through to the database unchanged; the error
count does not outlive the error."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import Case, Party
from tests.ui.filing.test_intake_form import fill_case, form, save_accepted, save_refused  # noqa: F401
from tests.ui.helpers import commit_text


def test_an_emoji_in_a_party_name_is_refused_at_the_field_and_rare_cjk_is_kept(qtbot, form, db):  # noqa: F811
    fill_case(qtbot, form)
    d = form.parties.editors[1]
    name = d.field("name")
    name.setFocus()
    name.selectAll()
    commit_text(name, "长白山😀物业有限公司")
    save_refused(qtbot, form)
    errors = form.errors_shown()
    assert list(errors) == ["party1.name"]
    assert "表情符号或特殊符号" in errors["party1.name"] and "😀" in errors["party1.name"]
    assert d.boxes["name"].error.isVisible() and form.summary.isVisible() and "1 处" in form.summary.text()
    with db.session() as s:
        assert s.scalars(select(Case)).all() == []

    name.setFocus()
    name.selectAll()
    commit_text(name, "长白山刘䶮物业有限公司")
    save_accepted(qtbot, form)
    assert not form.summary.isVisible()  # the count went with the error
    with db.session() as s:
        names = s.scalars(select(Party.name).order_by(Party.sort_order)).all()
    assert names == ["王堃", "长白山刘䶮物业有限公司"]
