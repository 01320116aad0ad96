"""Wording templates (文书模板): the fixed text of a document as data, with named placeholders.

A template is TOML (shipped in ``resources/templates/<kind>.toml``; an administrator's edited
versions live in the ``wording_template`` table). Every string may use Jinja2 placeholders such as
``{{ court_name }}`` and ``{% if case_number %}…{% endif %}``, rendered in a sandbox with
``StrictUndefined``. At load time every placeholder a template uses must be one the document's
builder declares, and every placeholder the builder declares as required must be used: an unknown
or missing placeholder is an error when the template is loaded (or saved), never a blank in a letter.

Text layout inside a string: a blank line starts a new paragraph; single line breaks are joined
(Chinese needs no space), so long sentences can be wrapped in the file. Block types::

    body / heading1 / heading2 / plain / center / right / subtitle / title  — paragraphs
    table (rows = [[cell, …], …], widths = [fractions], min_lines = [body lines per row])
    pagebreak
A block may carry ``when = "placeholder"`` (kept only if that value is true / non-empty) and
``keep_with_next = true``. Values keep a record of the field they came from, so the glyph
preflight can name it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from baihe_desk.documents.model import Block, Closing, Document, PageBreak, Para, Span, Table
from baihe_desk.documents.text import clean
from baihe_desk.errors import KnownError

PARA_TYPES = ("body", "heading1", "heading2", "plain", "center", "right", "subtitle", "title")
BLOCK_TYPES = (*PARA_TYPES, "table", "pagebreak")
HEADER_KEYS = ("number", "addressee", "closing_court", "closing_date", "seal")
_START, _MID, _END, _PARA = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_VALUE = re.compile(f"{_START}([^{_MID}]*){_MID}([^{_END}]*){_END}")


class TemplateError(KnownError):
    title = "文书模板有误"


@dataclass(frozen=True)
class Placeholder:
    label: str  # Chinese field name, shown in error messages
    required: bool = False
    sample: Any = ""  # value for previews with sample data


class FieldValue(str):
    """A string that remembers which field it came from."""

    label: str

    def __new__(cls, value: object, label: str) -> FieldValue:
        obj = super().__new__(cls, clean(value))
        obj.label = label
        return obj


def field_values(values: dict[str, Any], placeholders: dict[str, Placeholder]) -> dict[str, Any]:
    """Wrap string values as :class:`FieldValue` (cleaned); other values pass unchanged."""
    out = {}
    for name, value in values.items():
        label = placeholders[name].label if name in placeholders else name
        out[name] = FieldValue(value, label) if isinstance(value, str) or value is None else value
    return out


def _finalize(value: Any) -> Any:
    if isinstance(value, FieldValue):
        return f"{_START}{value.label}{_MID}{value}{_END}"
    return "" if value is None else value


def _blank(value: Any, width: int = 16) -> Any:
    """``{{ x|blank }}``: the value, or a line to fill in by hand when it is empty."""
    if value is None or str(value).strip() == "":
        return FieldValue("_" * max(1, min(int(width), 60)), getattr(value, "label", ""))
    return value


def _environment():  # type: ignore[no-untyped-def]
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, finalize=_finalize)
    env.filters["blank"] = _blank
    return env


def _prepare(text: str) -> str:
    """Blank lines → paragraph marks; other line breaks joined; line edges trimmed."""
    paragraphs = re.split(r"\n[ \t\u3000]*\n", text.strip("\n"))
    joined = ["".join(line.strip(" \t") for line in p.split("\n")) for p in paragraphs]
    return _PARA.join(joined)


@dataclass
class LoadedTemplate:
    kind: str
    version: int
    source: str  # recorded on each document: "resource:1" or "mediation-notice@3"
    title: str
    data: dict[str, Any]
    text: str
    used: set[str] = field(default_factory=set)
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False)

    def render(self, path: str, values: dict[str, Any]) -> list[list[Span]]:
        """Render one template string; one list of spans per paragraph."""
        from jinja2 import TemplateError as JinjaError

        try:
            out = self._compiled[path].render(values)
        except JinjaError as exc:  # e.g. a filter given a wrong argument
            raise TemplateError(f"模板「{path}」无法生成：{exc}") from exc
        paragraphs = []
        for part in out.split(_PARA):
            spans: list[Span] = []
            pos = 0
            for m in _VALUE.finditer(part):
                if m.start() > pos:  # the template's own wording, cleaned like user text
                    spans.append(Span(clean(part[pos:m.start()])))
                spans.append(Span(m.group(2), m.group(1)))
                pos = m.end()
            if pos < len(part):
                spans.append(Span(clean(part[pos:])))
            paragraphs.append([s for s in spans if s.text])
        return paragraphs


def _where(path: str) -> str:
    m = re.fullmatch(r"(blocks|after)\[(\d+)\](.*)", path)
    if not m:
        return f"「{path}」"
    part = "正文" if m.group(1) == "blocks" else "落款之后"
    return f"{part}第 {int(m.group(2)) + 1} 块{m.group(3)}"


def _strings(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, template string) for every renderable string, validating the block structure."""
    out = [(key, data[key]) for key in HEADER_KEYS if isinstance(data.get(key), str)]
    for key in HEADER_KEYS:
        if key in data and not isinstance(data[key], str):
            raise TemplateError(f"「{key}」应为文字。")
    attachments = data.get("attachments", [])
    if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
        raise TemplateError("「attachments」应为文字列表。")
    out += [(f"attachments[{i}]", a) for i, a in enumerate(attachments)]
    for part in ("blocks", "after"):
        blocks = data.get(part, [])
        if not isinstance(blocks, list):
            raise TemplateError(f"「{part}」应为块列表（[[{part}]]）。")
        for i, block in enumerate(blocks):
            path = f"{part}[{i}]"
            kind = block.get("type") if isinstance(block, dict) else None
            if kind not in BLOCK_TYPES:
                raise TemplateError(f"{_where(path)}的类型「{kind}」不认识，可用：{'、'.join(BLOCK_TYPES)}。")
            if kind in PARA_TYPES:
                if not isinstance(block.get("text"), str):
                    raise TemplateError(f"{_where(path)}缺少文字（text）。")
                out.append((f"{path}.text", block["text"]))
            elif kind == "table":
                rows = block.get("rows")
                widths = block.get("widths")
                if (not isinstance(rows, list) or not rows
                        or not all(isinstance(r, list) and all(isinstance(c, str) for c in r) for r in rows)):
                    raise TemplateError(f"{_where(path)}的表格行（rows）应为文字的列表的列表。")
                n = max(len(r) for r in rows)
                if (not isinstance(widths, list) or len(widths) != n
                        or not all(isinstance(w, (int, float)) and w > 0 for w in widths)):
                    raise TemplateError(f"{_where(path)}的列宽（widths）应为 {n} 个正数。")
                for r, row in enumerate(rows):
                    out += [(f"{path}.rows[{r}][{c}]", cell) for c, cell in enumerate(row)]
    return out


def set_version(text: str, version: int) -> str:
    """The template text with its ``version = N`` line set to ``version``."""
    new, count = re.subn(r"(?m)^version\s*=\s*\d+\s*$", f"version = {version}", text, count=1)
    return new if count else f"version = {version}\n{text}"


def load_template(text: str, placeholders: dict[str, Placeholder], *, kind: str, source: str = "") -> LoadedTemplate:
    """Parse and check a template. Raises :class:`TemplateError` naming the problem."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"模板格式（TOML）有误：{exc}") from exc
    if data.get("kind") != kind:
        raise TemplateError(f"模板的 kind 应为「{kind}」，实为「{data.get('kind')}」。")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TemplateError("模板缺少版本号（version = 正整数）。")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise TemplateError("模板缺少文书名称（title）。")

    env = _environment()
    tpl = LoadedTemplate(kind, version, source or f"resource:{version}", clean(title).strip(), data, text)
    for path, src in _strings(data):
        prepared = _prepare(src)
        try:
            tpl.used |= meta.find_undeclared_variables(env.parse(prepared))
            tpl._compiled[path] = env.from_string(prepared)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"{_where(path)}的占位符写法有误（第 {exc.lineno} 行）：{exc.message}") from exc
    for part in ("blocks", "after"):
        for i, block in enumerate(data.get(part, [])):
            when = block.get("when")
            if when is not None:
                if not isinstance(when, str):
                    raise TemplateError(f"{_where(f'{part}[{i}]')}的 when 应为占位符名称。")
                tpl.used.add(when)
    unknown = sorted(tpl.used - set(placeholders))
    if unknown:
        names = "、".join("{{ " + u + " }}" for u in unknown)
        raise TemplateError(f"模板使用了本文书没有的占位符：{names}。可用的占位符：{'、'.join(placeholders)}。")
    missing = [f"{{{{ {n} }}}}（{p.label}）" for n, p in placeholders.items() if p.required and n not in tpl.used]
    if missing:
        raise TemplateError(f"模板缺少必需的占位符：{'、'.join(missing)}。")
    return tpl


def _blocks(tpl: LoadedTemplate, part: str, values: dict[str, Any]) -> list[Block]:
    out: list[Block] = []
    for i, block in enumerate(tpl.data.get(part, [])):
        if "when" in block and not values.get(block["when"]):
            continue
        path = f"{part}[{i}]"
        kind = block["type"]
        if kind == "pagebreak":
            out.append(PageBreak())
        elif kind == "table":
            rows = [[sum(tpl.render(f"{path}.rows[{r}][{c}]", values), []) for c in range(len(row))]
                    for r, row in enumerate(block["rows"])]
            widths = [float(w) for w in block["widths"]]
            total = sum(widths)
            out.append(Table(rows, [w / total for w in widths], [int(n) for n in block.get("min_lines", [])]))
        else:
            paragraphs = tpl.render(f"{path}.text", values)
            keep = bool(block.get("keep_with_next"))
            if not block["text"].strip():
                out.append(Para([], kind, keep_with_next=keep))
            for spans in paragraphs:
                if spans:
                    out.append(Para(spans, kind, keep_with_next=keep))
    return out


def compose(tpl: LoadedTemplate, values: dict[str, Any], *, court_name: str) -> Document:
    """Fill the template with ``values`` (already wrapped by :func:`field_values`)."""

    def line(key: str) -> list[Span]:
        if key not in tpl.data:
            return []
        return sum(tpl.render(key, values), [])

    closing = None
    if "closing_date" in tpl.data:
        closing = Closing(line("closing_court") or [Span(court_name)], "".join(s.text for s in line("closing_date")),
                          seal="".join(s.text for s in line("seal")) if "seal" in tpl.data else "（院印）")
    return Document(
        kind=tpl.kind,
        title=tpl.title,
        court_name=[Span(court_name, "法院名称")],
        number=line("number"),
        addressee=line("addressee") or None,
        blocks=_blocks(tpl, "blocks", values),
        attachments=[sum(tpl.render(f"attachments[{i}]", values), []) for i in range(len(tpl.data.get("attachments", [])))],
        closing=closing,
        after=_blocks(tpl, "after", values),
        template_version=tpl.source,
        author=court_name,
    )
