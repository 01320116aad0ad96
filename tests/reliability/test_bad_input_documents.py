"""Bad text in every document's text fields: a clean PDF and DOCX (both open, the text is in them), or a
KnownError — never another exception or a corrupt file.

Two levels: the engine (every kind in ``documents.registry.KINDS`` with its shipped template, the user-text
placeholders filled with hostile text — control characters, 10,000-character strings, Ext-B 𠇔, empty — in the
shape the kind's ``values()`` gives them, see ``_hostile``) and
the whole path (``documents.generate`` for a case whose stored names, cause and addresses are hostile,
as data from an import or an older version could be).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import func, select

from baihe_desk.documents.render import compose_document, font_plan, render
from baihe_desk.documents.templates import TemplateError, load_template
from baihe_desk.documents.text import one_line
from baihe_desk.errors import KnownError
from baihe_desk.services.common.document_kinds import KINDS
from tests.reliability.nasty import CJK, assert_calm, examples, nasty_text

# Values the program computes (numbers, dates, counts, statistics, tables) keep their sample; every other
# text placeholder is text a person typed somewhere (names, addresses, causes, questions, notes …).
SYSTEM = re.compile(r"(^|_)(number|date|days|count|round|no|ref|as_of|prev|change|rate|up|down|time|countdown|"
                    r"ticks|label|range|state|total|due|cn|role|type)$|^(table|chart)_|^(received|filed|closed|"
                    r"mediation_\w+|correction_\w+|consult_\w+|explanation_\w+|overdue_\w+|days_to_\w+|"
                    r"closed_over_limit|filed_late)$")
PDF_EXAMPLES = 8
_plan = None


def plan():  # type: ignore[no-untyped-def]
    global _plan
    if _plan is None:
        _plan = font_plan(None)
    return _plan


def court_name(text: str) -> str:
    """What a court name can be: the profile's column holds 100 characters; every values() cleans it."""
    return one_line(text)[:100] or "吉林省白河林区基层法院"


def user_fields(kind) -> list[str]:  # type: ignore[no-untyped-def]
    return [n for n, p in kind.placeholders.items() if not SYSTEM.search(n) and isinstance(p.sample, (str, list))]


ONE_LINE_MAX = 100  # one-line placeholders come from name-like columns (法院名称, 案由, 姓名: ≤ 100 characters) …
ADDRESS_MAX = 300  # … or from address columns (送达地址, 住所: 300)


def _cap(field: str) -> int:
    """The column a one-line placeholder is filled from limits its length (邮编 6, 身份证号 18, 电话 40 …)."""
    for ending, limit in (("postcode", 6), ("id_number", 18), ("phone", 40), ("mobile", 40), ("address", ADDRESS_MAX)):
        if field.endswith(ending) or ending == "address" and ending in field:
            return limit
    return ONE_LINE_MAX


def _hostile(sample, text: str, field: str = ""):  # type: ignore[no-untyped-def]
    """``text`` in the shape each kind's ``values()`` produces: a one-line placeholder gets it folded to one
    line (``one_line``) and as long as its column allows; a list placeholder (paragraphs of free text: 答疑内容,
    补正事项, 执行问题 …) gets it as one-line items of any length; objects keep their shape."""
    if isinstance(sample, str):
        return one_line(text)[:_cap(field)]
    if isinstance(sample, list):
        # an empty sample would hide the items' shape (dicts for a template's g.where …): the kind must show it
        assert sample, f"{field}: the sample list is empty, so the shape of its items is unknown"
        return [_item(x, text) for x in sample]
    return sample


def _item(x, text: str):  # type: ignore[no-untyped-def]
    if isinstance(x, str):
        return one_line(text)
    if isinstance(x, dict):
        return {k: (one_line(text) if isinstance(v, str) else v) for k, v in x.items()}
    if dataclasses.is_dataclass(x):
        return dataclasses.replace(x, **{f.name: one_line(text) for f in dataclasses.fields(x)
                                         if isinstance(getattr(x, f.name), str)})
    return x


def _storable(text: str) -> str:
    return "".join(c for c in text if not "\ud800" <= c <= "\udfff")


def check_files(files: dict[str, bytes], must_contain: str = "") -> None:
    """Both files open; the DOCX XML is well-formed and clean; a marker of the input is in the text."""
    pdf = PdfReader(io.BytesIO(files["pdf"]))
    assert len(pdf.pages) >= 1
    pdf_text = "".join(page.extract_text() or "" for page in pdf.pages[:3])
    assert CJK.search(pdf_text)
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as z:
        assert z.testzip() is None
        xml = z.read("word/document.xml").decode("utf-8")
        ElementTree.fromstring(xml)
        core = z.read("docProps/core.xml").decode("utf-8")
        ElementTree.fromstring(core)
    if must_contain:
        assert must_contain in re.sub(r"<[^>]+>", "", xml)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_renders_hostile_text_or_refuses_calmly(name, inputs):
    kind = KINDS[name]
    template = load_template(kind.resource_text(), kind.placeholders, kind=kind.kind)
    fields = user_fields(kind)
    assert fields, f"{name}: no user-text placeholder found — check SYSTEM"
    rendered_count = []

    @examples(PDF_EXAMPLES, shrink=False)
    @given(texts=st.lists(nasty_text(20), min_size=len(fields), max_size=len(fields)), marker=st.sampled_from(
        ["王𠇔", "䶮喆", "𠀀𪚥", "王堃"]))
    def run(texts, marker) -> None:
        inputs.add("documents")
        values = kind.sample_values()
        for field, text in zip(fields, texts, strict=True):
            values[field] = _hostile(values[field], text, field)
        values["court_name"] = court_name(values["court_name"])
        marked = next((f for f in fields if f != "court_name" and isinstance(values[f], str) and f in template.used),
                      None)
        if marked:
            values[marked] = marker + str(values[marked])[:_cap(marked) - 4]
        try:
            doc = compose_document(kind, template, values)
            rendered = render(doc, ["pdf", "docx"], plan())
        except TemplateError as exc:  # the shipped template with values of the right shape: a bug, not a refusal
            raise AssertionError(f"{name}: {exc}") from exc
        except KnownError as exc:
            assert_calm(exc)  # e.g. a missing glyph, named with its code point (U+0080)
            return
        check_files(rendered.files, marker if marked else "")
        rendered_count.append(1)

    run()
    assert rendered_count, f"{name}: every example was refused — hostile text never reached the document"


def test_the_long_string_of_every_field_at_once(inputs):
    """Every user-text field of every kind at its longest — list paragraphs 10,000 characters, one-line fields
    as long as their column — Ext-B and control characters included, in two shapes (one run; many lines)."""
    for long in (("王𠇔\x00\x1b\u202e\ufeff" * 2000)[:10_000], "王堃诉李喆玥\n1 2 3\u2028" * 700):
        _all_long(long, inputs)


def _all_long(long: str, inputs) -> None:  # type: ignore[no-untyped-def]
    for name in sorted(KINDS):
        inputs.add("documents")
        kind = KINDS[name]
        template = load_template(kind.resource_text(), kind.placeholders, kind=kind.kind)
        values = kind.sample_values()
        for field in user_fields(kind):
            values[field] = _hostile(values[field], long, field)
        values["court_name"] = court_name(values["court_name"])
        try:
            rendered = render(compose_document(kind, template, values), ["pdf", "docx"], plan())
        except TemplateError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
        except KnownError as exc:
            assert_calm(exc)
            continue
        check_files(rendered.files, "王𠇔王𠇔" if "𠇔" in long else "王堃诉李喆玥")


@examples(6, shrink=False)
@given(names=st.lists(nasty_text(20), min_size=3, max_size=3), cause=nasty_text(20), address=nasty_text(30),
       options=st.dictionaries(st.sampled_from(["mediator_org", "contact_name", "contact_phone"]), nasty_text(20)))
def test_generate_for_a_case_with_hostile_stored_data(fast_db, clerk, paths, names, cause, address, options, inputs):
    """Stored data that never went through the intake validation (an import, an older version). A database
    cannot hold a lone surrogate, so the stored values have none; the per-generation options may."""
    from baihe_desk.models import Address, AddressKind, Case, GeneratedDocument, Party, PartyKind, PartyRole
    from baihe_desk.services.common import documents

    inputs.add("documents")
    names, cause, address = ([_storable(t) for t in names], _storable(cause), _storable(address))
    with fast_db.transaction() as s:
        n = (s.scalar(select(func.count()).select_from(Case)) or 0) + 1
        case = Case(receipt_number=f"2025收{n:05d}", cause_name=cause[:100], claims="请求", received_on=date(2025, 3, 3))
        s.add(case)
        for i, (name, role) in enumerate(zip(names, [PartyRole.PLAINTIFF, PartyRole.DEFENDANT, PartyRole.DEFENDANT],
                                             strict=True)):
            p = Party(case=case, role=role, kind=PartyKind.NATURAL, name=name[:200] or "王𠇔", sort_order=i)
            p.addresses.append(Address(kind=AddressKind.DOMICILE, text=address[:300] or "地址"))
            s.add(p)
        s.flush()
        case_id = case.id
    try:
        with fast_db.transaction() as s:
            records = documents.generate(s, clerk, "mediation-notice", case_id, ("pdf", "docx"), paths=paths,
                                         options=dict(options))
            rows = [(r.format, r.id) for r in records]
    except TemplateError as exc:
        raise AssertionError(str(exc)) from exc
    except KnownError as exc:
        assert_calm(exc)
        return
    with fast_db.session() as s:
        files = {}
        for fmt, rid in rows:
            rec = s.get(GeneratedDocument, rid)
            assert documents.file_status(paths, rec) == "ok"
            files[fmt] = documents.document_path(paths, rec).read_bytes()
    check_files(files)
