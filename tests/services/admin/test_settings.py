"""The settings registry: defaults, validation (Chinese messages naming the field), audit before → after,
and the existing readers still reading the same keys and JSON shapes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied, ValidationError, ValidationErrors
from baihe_desk.models import AuditRecord, Role, Setting
from baihe_desk.services.admin import settings
from baihe_desk.services.admin.settings_catalogue import (
    FEES_KEY,
    NEAR_DUE_KEY,
    REPLY_KEY,
    WAGE_KEY,
    WAGE_YEAR_KEY,
)
from baihe_desk.services.common import audit
from baihe_desk.services.filing import fees, procedure
from baihe_desk.services.filing.complaint_review import CORRECTION_DAYS_SETTING
from baihe_desk.services.filing.complaint_review import setting as review_setting


def records(session, action: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def test_every_declared_setting_has_a_label_group_and_a_valid_default():
    keys = {d.key for d in settings.definitions()}
    for key in ("filing.correction_days", WAGE_KEY, WAGE_YEAR_KEY, FEES_KEY, "holidays.extra", REPLY_KEY,
                NEAR_DUE_KEY, "documents.fonts.body", "documents.fonts.title", "documents.page_numbers",
                "documents.mediation_notice.days"):
        assert key in keys
    for d in settings.definitions():
        assert d.label and d.group in settings.GROUPS
        assert settings.validate(d.key, d.default_value()) == d.default_value(), d.key
        if not d.confirmed:
            assert d.note, f"{d.key}: an unconfirmed default must say why"


def test_get_returns_the_default_when_the_row_is_absent(udb):
    with udb.session() as s:
        assert settings.get(s, NEAR_DUE_KEY) == 3
        assert settings.get(s, REPLY_KEY) == 10
        assert settings.get(s, WAGE_KEY) == Decimal("87222")
        assert settings.get(s, WAGE_YEAR_KEY) == 2022
        assert settings.get(s, FEES_KEY) == {}
        assert not settings.is_set(s, NEAR_DUE_KEY)
    assert settings.get(None, NEAR_DUE_KEY) == 3


def test_set_value_is_audited_before_and_after(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        assert settings.set_value(s, admin, NEAR_DUE_KEY, "5") == 5
    with udb.transaction() as s:
        settings.set_value(s, admin, NEAR_DUE_KEY, 7)
        settings.set_value(s, admin, NEAR_DUE_KEY, 7)  # unchanged: no record
    with udb.session() as s:
        assert s.get(Setting, NEAR_DUE_KEY).value == 7
        recs = [r for r in records(s, "setting.set") if r.entity_id == NEAR_DUE_KEY]
        assert [(r.before["value"], r.after["value"]) for r in recs] == [(None, 5), (5, 7)]
        assert recs[0].before["was_default"] is True and recs[0].after["label"] == "临期提醒"
        assert recs[0].username == admin.username
        assert audit.verify_chain(s) == []


def test_reset_removes_the_row_and_is_audited(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        settings.set_value(s, admin, REPLY_KEY, 12)
        settings.reset(s, admin, REPLY_KEY)
    with udb.session() as s:
        assert s.get(Setting, REPLY_KEY) is None
        assert settings.get(s, REPLY_KEY) == 10
        (rec,) = records(s, "setting.reset")
        assert rec.before["value"] == 12 and rec.after["value"] is None


@pytest.mark.parametrize("key, value, field, words", [
    ("filing.correction_days", "-3", "补正期限", "负数"),
    ("filing.correction_days", 0, "补正期限", "1 至 90"),
    ("filing.correction_days", "十五", "补正期限", "整数"),
    (NEAR_DUE_KEY, 31, "临期提醒", "0 至 30"),
    (WAGE_KEY, "-87222", "上年度就业人员年平均工资", "负数"),
    (WAGE_KEY, "abc", "上年度就业人员年平均工资", "不是有效金额"),
    (WAGE_KEY, "500", "上年度就业人员年平均工资", "10000"),
    (WAGE_KEY, "1" + "0" * 26, "上年度就业人员年平均工资", "不是有效金额"),
    (WAGE_YEAR_KEY, date.today().year, "平均工资所属年度", "尚未公布"),
    (FEES_KEY, {"divorce": "400"}, "离婚案件受理费（每件）", "法定幅度"),
    (FEES_KEY, {"divorce": "-1"}, "离婚案件受理费（每件）", "不能为负数"),
    (FEES_KEY, {"nonsense": "60"}, "收费标准设置", "未知"),
    ("documents.fonts.body", "", "正文字体", "不能为空"),
    ("documents.fonts.body", " 、 ,", "正文字体", "不能为空"),
    ("documents.page_numbers", "left", "页码位置", "只能是"),
    ("documents.mediation_notice.limitation_note", "maybe", "写入“起诉即中断诉讼时效”提示", "是"),
    ("enforcement.consultation_code", "ZX", "执行咨询函编号用字", "汉字"),
    ("enforcement.bureau_name", "  ", "执行咨询函收件部门", "不能为空"),
])
def test_validation_names_the_field_in_chinese(key, value, field, words):
    with pytest.raises(ValidationError) as info:
        settings.validate(key, value)
    assert info.value.field == field
    assert words in info.value.message


def test_holiday_setting_is_validated_by_the_holiday_module():
    with pytest.raises(ValidationErrors) as info:
        settings.validate("holidays.extra", {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-04"]}})
    assert "调休工作日只能是星期六或星期日" in info.value.message


def test_unknown_key_is_refused():
    with pytest.raises(Exception, match="未知的设置项"):
        settings.validate("no.such.key", 1)


@given(st.integers(min_value=-1000, max_value=1000))
def test_int_settings_accept_exactly_their_range(n):
    ok = 1 <= n <= 90
    try:
        assert settings.validate("filing.correction_days", n) == n
        assert ok
    except ValidationError as exc:
        assert not ok and exc.field == "补正期限"


@given(st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_wage_accepts_exactly_positive_amounts_in_range(x):
    ok = Decimal(10000) <= x <= Decimal(1000000)
    try:
        assert settings.validate(WAGE_KEY, str(x)) == x
        assert ok
    except ValidationError as exc:
        assert not ok and exc.field == "上年度就业人员年平均工资"


def test_non_admin_cannot_change_settings(udb, uusers):
    for role in (Role.FILING_CLERK, Role.JUDGE, Role.DIVISION_CHIEF):
        with pytest.raises(PermissionDenied), udb.transaction() as s:
            settings.set_value(s, uusers[role], NEAR_DUE_KEY, 5)
    with pytest.raises(PermissionDenied), udb.transaction() as s:
        settings.reset(s, uusers[Role.JUDGE], NEAR_DUE_KEY)
    with udb.session() as s:
        assert s.get(Setting, NEAR_DUE_KEY) is None
        assert len(records(s, "permission.denied")) == 4


def test_one_bad_value_saves_nothing(udb, uusers):
    with pytest.raises(ValidationError), udb.transaction() as s:
        settings.set_many(s, uusers[Role.ADMIN], {NEAR_DUE_KEY: 5, REPLY_KEY: -1})
    with udb.session() as s:
        assert s.get(Setting, NEAR_DUE_KEY) is None and records(s, "setting.set") == []


def test_wage_and_year_are_stored_together_so_the_procedure_reader_uses_them(udb, uusers):
    with udb.transaction() as s:
        settings.set_value(s, uusers[Role.ADMIN], WAGE_KEY, "95,000")
    with udb.session() as s:
        assert s.get(Setting, WAGE_KEY).value == "95000"  # a string of yuan, as procedure reads it
        assert s.get(Setting, WAGE_YEAR_KEY).value == 2022  # the companion row, so the pair is complete
        t = procedure.threshold_from_settings(s)
        assert t.annual_wage == Decimal("95000") and t.wage_year == 2022 and t.small_limit == Decimal("47500.00")


def test_existing_readers_read_the_same_keys_and_shapes(udb, uusers):
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        settings.set_many(s, admin, {
            CORRECTION_DAYS_SETTING: 10, FEES_KEY: {"divorce": "200", "ip": "800"},
            "documents.fonts.body": "仿宋_GB2312、FangSong", "documents.mediation_notice.days": 20,
        })
    with udb.session() as s:
        assert review_setting(s, CORRECTION_DAYS_SETTING, 15) == 10
        overrides = s.get(Setting, FEES_KEY).value
        assert overrides == {"divorce": "200", "ip": "800"}
        result = fees.calculate_fee("divorce", None, overrides=overrides)
        assert result.total == Decimal("200.00")
        from baihe_desk.documents.settings import font_chains, get_setting

        assert font_chains(s)["body"] == ["仿宋_GB2312", "FangSong"]
        assert get_setting(s, "documents.mediation_notice.days") == 20
        from baihe_desk.services.mediation.period import period_days

        assert period_days(s) == 20  # the mediation clock reads the same figure as the notice


def test_an_unreadable_stored_value_falls_back_to_the_default(udb):
    with udb.transaction() as s:
        s.add(Setting(key=NEAR_DUE_KEY, value="soon"))
    with udb.session() as s:
        assert settings.get(s, NEAR_DUE_KEY) == 3


def test_split_names_accepts_the_separators_people_type():
    assert settings.split_names("仿宋_GB2312、FangSong，仿宋; 宋体\nSimSun") == [
        "仿宋_GB2312", "FangSong", "仿宋", "宋体", "SimSun"]
    assert settings.validate("documents.fonts.title", ["宋体", "宋体", " SimSun "]) == ["宋体", "SimSun"]
