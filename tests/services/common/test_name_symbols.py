"""Party names refuse emoji and other symbols (a court notice once printed a company name with 😀), keep
rare CJK (堃, 䶮, Ext-B) and the punctuation names really carry; the intake service says which field."""

from __future__ import annotations

import pytest

from baihe_desk.errors import ValidationError, ValidationErrors
from baihe_desk.services.common.validation import validate_name


@pytest.mark.parametrize("name", [
    "王堃", "刘䶮", "𠇔𠀾", "阿卜杜·热合曼", "吉林白河A&B商贸有限公司（二道白河分公司）", "No.3 Studio",
    "O'Brien", "长白山保护区某物业服务有限公司", "张三•李四",  # the bullet look-alike becomes the 间隔号
])
def test_names_people_and_companies_have(name):
    assert validate_name(name)


@pytest.mark.parametrize(("name", "shown"), [
    ("长白山😀物业有限公司", "😀"), ("王堃👍🏻", "👍"), ("☆星光商贸", "☆"), ("※王五", "※"), ("白河™", "™"),
    ("李四❤️", "❤"), ("¥商行", "¥"), ("赵六→", "→"), ("1️⃣号店", "️"),
])
def test_emoji_and_symbols_are_refused_with_the_character_named(name, shown):
    with pytest.raises(ValidationError) as caught:
        validate_name(name, "原告1名称")
    assert "表情符号或特殊符号" in caught.value.message and caught.value.key == "原告1名称"
    if shown.isprintable() and shown.strip():
        assert shown in caught.value.message  # the character is named


def test_intake_refuses_an_emoji_in_a_party_name(db, users, court):
    from baihe_desk.models import PartyKind, PartyRole, Role
    from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case

    data = CaseInput(cause_name="物业服务合同纠纷", claims="支付物业费", facts="拖欠", parties=[
        PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION, name="长白山😀物业有限公司"),
        PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="刘䶮")])
    with pytest.raises(ValidationErrors) as caught, db.transaction() as s:
        create_case(s, users[Role.FILING_CLERK], data, court_code="吉7502")
    errors = {e.key: e.message for e in caught.value.errors}
    assert "表情符号" in errors["party0.name"] and "原告1名称" in errors["party0.name"]
