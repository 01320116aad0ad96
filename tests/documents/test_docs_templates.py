"""Wording templates: checked at load time, versioned by an administrator, recorded on each document."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.documents.templates import TemplateError, load_template, set_version
from baihe_desk.errors import PermissionDenied
from baihe_desk.models import AuditRecord
from baihe_desk.models.template import WordingTemplate
from baihe_desk.services.common import documents
from baihe_desk.services.mediation.notice import MEDIATION_NOTICE, PLACEHOLDERS
from tests.documents.docs_helpers import compact, generate, pdf_text

SHIPPED = MEDIATION_NOTICE.resource_text()


def _load(text: str):
    return load_template(text, PLACEHOLDERS, kind="mediation-notice")


def test_shipped_template_loads_and_uses_every_required_placeholder():
    tpl = _load(SHIPPED)
    assert tpl.version == 1 and tpl.source == "resource:1" and tpl.title == "诉前调解告知书"
    assert {n for n, p in PLACEHOLDERS.items() if p.required} <= tpl.used


def test_unknown_placeholder_is_an_error_at_load_time():
    text = SHIPPED.replace("{{ received_date }}", "{{ recieved_date }}")
    with pytest.raises(TemplateError, match="recieved_date"):
        _load(text)


def test_missing_required_placeholder_is_an_error_at_load_time():
    text = SHIPPED.replace("本院已于{{ received_date }}收到", "本院已收到")
    with pytest.raises(TemplateError, match=r"received_date.*收到起诉材料日期"):
        _load(text)


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("{{ addressee }}：", "{{ addressee ：", 1), "占位符写法有误"),
    (lambda t: t.replace('kind = "mediation-notice"', 'kind = "other"'), "kind"),
    (lambda t: t.replace("version = 1", "version = 0"), "版本号"),
    (lambda t: t.replace('type = "heading1"', 'type = "heading9"', 1), "heading9"),
    (lambda t: t.replace('when = "limitation_note"', 'when = "no_such_flag"'), "no_such_flag"),
    (lambda t: t.replace("widths = [0.28, 0.72]", "widths = [1]"), "列宽"),
    (lambda t: t + "\n[[blocks]\n", "TOML"),
])
def test_malformed_templates_are_rejected_with_a_reason(change, message):
    with pytest.raises(TemplateError, match=message):
        _load(change(SHIPPED))


def test_set_version_rewrites_the_version_line():
    assert "version = 7" in set_version(SHIPPED, 7)
    assert _load(set_version(SHIPPED, 7)).version == 7


def test_admin_version_is_used_by_the_next_generation_and_recorded(ddb, clerk, admin, case_id, dpaths):
    first = generate(ddb, clerk, case_id, dpaths, formats=("pdf",))[0]
    assert first.template_version == "resource:1"

    edited = SHIPPED.replace("特此告知。", "特此告知，请予配合。")
    with ddb.transaction() as s:
        row = documents.save_template(s, admin, "mediation-notice", edited, "加一句")
        assert row.version == 2 and "version = 2" in row.body
    second = generate(ddb, clerk, case_id, dpaths, formats=("pdf",))[0]
    assert second.template_version == "mediation-notice@2"
    assert "特此告知，请予配合。" in compact(pdf_text((dpaths.documents / second.relpath).read_bytes()))

    with ddb.transaction() as s:  # 回退 to the shipped wording = a new version 3 with the old body
        row = documents.rollback_template(s, admin, "mediation-notice", 1)
        assert row.version == 3 and row.note == "回退到第 1 版"
    third = generate(ddb, clerk, case_id, dpaths, formats=("pdf",))[0]
    assert third.template_version == "mediation-notice@3"
    text = compact(pdf_text((dpaths.documents / third.relpath).read_bytes()))
    assert "特此告知。" in text and "请予配合" not in text

    with ddb.session() as s:
        versions = documents.template_versions(s, "mediation-notice")
        assert [v.version for v in versions] == [3, 2, 1] and versions[-1].shipped
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
        assert "template.save" in actions and "template.rollback" in actions


def test_only_an_administrator_may_change_templates(ddb, clerk):
    with ddb.transaction() as s, pytest.raises(PermissionDenied):
        documents.save_template(s, clerk, "mediation-notice", SHIPPED)
    with ddb.session() as s:
        assert s.scalars(select(WordingTemplate)).all() == []
        assert "permission.denied" in s.scalars(select(AuditRecord.action)).all()


def test_invalid_template_is_not_stored(ddb, admin):
    with pytest.raises(TemplateError), ddb.transaction() as s:
        documents.save_template(s, admin, "mediation-notice", SHIPPED.replace("{{ court_name }}", "{{ cour }}"))
    with ddb.session() as s:
        assert s.scalars(select(WordingTemplate)).all() == []


def test_preview_renders_sample_data(ddb):
    with ddb.session() as s:
        pdf = documents.preview_template(s, "mediation-notice", SHIPPED)
    text = compact(pdf_text(pdf))
    assert pdf.startswith(b"%PDF") and "王堃" in text and "李喆玥" in text


def test_optional_limitation_sentence_follows_the_setting(ddb, clerk, case_id, dpaths):
    from baihe_desk.models import Setting

    text = compact(pdf_text((dpaths.documents / generate(ddb, clerk, case_id, dpaths, ("pdf",))[0].relpath)
                            .read_bytes()))
    assert "诉讼时效" not in text
    with ddb.transaction() as s:
        s.add(Setting(key="documents.mediation_notice.limitation_note", value=True))
        s.add(Setting(key="documents.mediation_notice.contact_name", value="赵调解员"))
    text = compact(pdf_text((dpaths.documents / generate(ddb, clerk, case_id, dpaths, ("pdf",))[0].relpath)
                            .read_bytes()))
    assert "诉讼时效依法中断" in text and "赵调解员" in text
