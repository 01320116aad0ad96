"""Every text with a citation that the desk can show (法条引用语料): collected from the code and the resources, so
the citation tests run over all of them rather than a hand-picked few.

- code: every string literal and f-string in baihe_desk/ (docstrings excepted: the desk never shows them); an
  f-string's ``{NAME}`` is filled in from the module-level string constants of the desk (CPL, LAW …);
- resources: checklists' and mediation rules' ``basis``, the fee schedule's ``basis`` (articles of 诉讼费用交纳办法),
  the wording templates (a paragraph's lines joined as the template engine joins them, Jinja tags dropped),
  and their comment blocks (the basis written for staff);
- run time: the fee calculator's steps for every kind with both halving grounds; the clocks' explanations for
  every statutory period and every trial limit (the desk shows a clock's bare 第X条 beside the 民事诉讼法).
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "baihe_desk"
RESOURCES = ROOT / "resources"
ARTICLE = re.compile(r"第[零〇一二三四五六七八九十百千两0-9]+条")
# code that only talks about citations or holds the law texts' own machinery
SKIP_MODULES = {"services/common/citations.py", "services/common/law_library.py", "law_cli.py", "ui/common/law_panel.py"}


@dataclass(frozen=True)
class DeskText:
    origin: str  # file:line or resource:key
    text: str
    default_law: str | None = None


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _module_constants() -> dict[str, str]:
    """NAME → value of module-level string constants across the desk (for filling in f-strings)."""
    values: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    values.setdefault(node.targets[0].id, node.value.value)
    return values


def _render(node: ast.AST, names: dict[str, str]) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_render(v, names) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        inner = node.value
        if isinstance(inner, ast.Name) and inner.id in names:
            return names[inner.id]
        return "…"
    return ""


def code_texts() -> list[DeskText]:
    names = _module_constants()
    out: list[DeskText] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in SKIP_MODULES or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstring_nodes(tree)
        inside_fstring = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if id(node) in docs or id(node) in inside_fstring:
                continue
            if isinstance(node, (ast.Constant, ast.JoinedStr)):
                text = _render(node, names)
                if ARTICLE.search(text):
                    out.append(DeskText(f"baihe_desk/{rel}:{node.lineno}", text))
    return out


def _jinja_free(text: str) -> str:
    text = re.sub(r"\{\{.*?\}\}", "…", text, flags=re.S)
    return re.sub(r"\{%.*?%\}", "", text, flags=re.S)


def _paragraphs(text: str) -> list[str]:
    """A template paragraph: its lines joined (as the engine joins them), blank lines separate paragraphs."""
    return ["".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text)]


def _comment_blocks(source: str) -> list[tuple[int, str]]:
    blocks, current, start = [], [], 0
    for no, line in enumerate(source.splitlines(), 1):
        if line.startswith("#") and line.strip("# "):
            if not current:
                start = no
            current.append(line.lstrip("#").strip())
        elif current:
            blocks.append((start, "".join(current)))
            current = []
    if current:
        blocks.append((start, "".join(current)))
    return blocks


def _strings(value: object, path: str):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def resource_texts() -> list[DeskText]:
    out: list[DeskText] = []
    for path in sorted(RESOURCES.rglob("*.toml")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("resources/law/") or rel.startswith("resources/holidays/"):
            continue
        source = path.read_text(encoding="utf-8")
        default = "诉讼费用交纳办法" if rel == "resources/fees.toml" else None
        for where, text in _strings(tomllib.loads(source), rel):
            for para in _paragraphs(_jinja_free(text)):
                if ARTICLE.search(para):
                    out.append(DeskText(where, para, default))
        for line, block in _comment_blocks(source):
            if ARTICLE.search(block):
                out.append(DeskText(f"{rel}:{line} (comment)", block, default))
    return out


def runtime_texts() -> list[DeskText]:
    from baihe_desk.services.filing.fees import calculate_fee, fee_kinds

    out: list[DeskText] = []
    for kind in fee_kinds():
        for amount in (None, "5000", "250000", "3000000"):
            try:
                r = calculate_fee(kind, amount, simple_procedure=True, mediated=True)
            except Exception:  # a kind that takes no amount / needs one: the other calls cover it
                continue
            for st in r.steps:
                if ARTICLE.search(st.basis):
                    out.append(DeskText(f"calculate_fee({kind}, {amount})", st.basis))
    return out


def clock_texts() -> list[DeskText]:
    """Clock explanations as the clocks compute them: every statutory period from a start before 国庆 (so a
    rest-day move shows up) and every trial limit, with their steps, basis, warnings and hints."""
    from datetime import date

    from baihe_desk.models import Procedure
    from baihe_desk.services.deadlines.clocks_trial import compute
    from baihe_desk.services.deadlines.holidays import table_with_extra
    from baihe_desk.services.deadlines.period_law import STATUTORY_PERIODS
    from baihe_desk.services.deadlines.periods import statutory_deadline

    table = table_with_extra(None)
    out: list[DeskText] = []
    for key in STATUTORY_PERIODS:
        for start in (date(2025, 9, 16), date(2025, 9, 24), date(2025, 1, 31)):
            d = statutory_deadline(key, start, table=table)
            for text in (*d.steps, *d.basis, *d.warnings):
                if ARTICLE.search(text):
                    out.append(DeskText(f"statutory_deadline({key}, {start})", text, "民事诉讼法"))
    for procedure in Procedure:
        for filed in (date(2025, 8, 31), date(2025, 7, 1)):
            t = compute(filed, procedure, [], [], today=date(2025, 10, 8), table=table)
            for text in (*t.steps, *t.basis, *t.warnings, *t.hints):
                if ARTICLE.search(text):
                    out.append(DeskText(f"trial limit({procedure.name}, {filed})", text, "民事诉讼法"))
    return out


def all_desk_texts() -> list[DeskText]:
    return code_texts() + resource_texts() + runtime_texts() + clock_texts()
