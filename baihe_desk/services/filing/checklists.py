"""审查清单 (checklists) as versioned data: ``complaint-review.toml`` and ``procedure-rules.toml``.

This package holds the files and their loader. :func:`load_checklist` reads the current complaint-review
checklist (or an archived version ``complaint-review-<version>.toml`` kept when the file is revised, so an
old review still shows what was checked) and validates it strictly: unknown keys, duplicate ids, a missing
legal basis, a 补正 item without the sentence telling the party how to fix it, an unknown group / route /
case type / prefill rule — each is a :class:`ChecklistError` at load, naming the item.

It also states what a failed item *means* for the outcome of a review round (:func:`check_outcome`,
:func:`allowed_outcomes`): the consequences are part of the checklist schema, so their rules live with it.
Pure functions over item ids and answer strings ("pass" / "fail" / "na"; outcomes as the string values of
``models.review.ReviewOutcome``), easy to test exhaustively.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from baihe_desk.errors import KnownError

CHECKLIST_FILE = "complaint-review.toml"
PROCEDURE_FILE = "procedure-rules.toml"

CONSEQUENCES = {
    "correction": "补正",
    "redirect": "告知另行处理",
    "reject": "不予受理",
    "not_registered": "不予登记立案",
}
# prefill rules the complaint-review service implements (see services/complaint_review.py)
PREFILL_RULES = frozenset({
    "defendant_identified", "claims_facts", "plaintiff_particulars", "plaintiff_identity_hint", "copies_hint",
    "address_confirmation",
})
PARTY_KINDS = ("natural", "organisation")

_TOP_KEYS = {"version", "title", "effective", "groups", "routes", "case_types", "item"}
_ITEM_KEYS = {"id", "group", "question", "defect", "fix", "basis", "consequence", "route", "applies", "prefill",
              "na_allowed"}
_APPLIES_KEYS = {"plaintiff_kind", "defendant_kind", "agent", "case_types"}
_CITATION = re.compile(r"^《[^》]+》第[〇零一二三四五六七八九十百千]+条")
_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


class ChecklistError(KnownError):
    title = "审查清单文件有误"


@dataclass(frozen=True)
class AppliesWhen:
    """Applicability: every given condition must hold (None = no condition)."""

    plaintiff_kind: str | None = None  # some plaintiff is natural / organisation
    defendant_kind: str | None = None  # some defendant is natural / organisation
    agent: bool | None = None  # some plaintiff files through an agent (诉讼代理人)
    case_types: tuple[str, ...] = ()  # the case's 案由 falls under one of these tags


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    group: str
    question: str
    defect: str
    basis: tuple[str, ...]
    consequence: str  # correction / redirect / reject / not_registered
    fix: str = ""
    route: str | None = None
    applies: AppliesWhen = field(default_factory=AppliesWhen)
    prefill: str | None = None
    na_allowed: bool = False

    @property
    def consequence_label(self) -> str:
        return CONSEQUENCES[self.consequence]


@dataclass(frozen=True)
class Checklist:
    version: str
    title: str
    effective: str
    groups: dict[str, str]
    routes: dict[str, str]
    case_types: dict[str, tuple[str, ...]]
    items: tuple[ChecklistItem, ...]

    def item(self, item_id: str) -> ChecklistItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def has(self, item_id: str) -> bool:
        return any(it.id == item_id for it in self.items)


def _s(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _applies(raw: Any, where: str, case_types: dict, problems: list[str]) -> AppliesWhen:
    if raw is None:
        return AppliesWhen()
    if not isinstance(raw, dict):
        problems.append(f"{where}：applies 应为表（{{ … }}）")
        return AppliesWhen()
    for k in sorted(set(raw) - _APPLIES_KEYS):
        problems.append(f"{where}：applies 中有未知的键“{k}”")
    out: dict[str, Any] = {}
    for k in ("plaintiff_kind", "defendant_kind"):
        if k in raw:
            if raw[k] not in PARTY_KINDS:
                problems.append(f"{where}：applies.{k} 只能是 natural 或 organisation")
            else:
                out[k] = raw[k]
    if "agent" in raw:
        if not isinstance(raw["agent"], bool):
            problems.append(f"{where}：applies.agent 应为 true 或 false")
        else:
            out["agent"] = raw["agent"]
    if "case_types" in raw:
        tags = raw["case_types"]
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
            problems.append(f"{where}：applies.case_types 应为非空的字符串列表")
        else:
            for t in tags:
                if t not in case_types:
                    problems.append(f"{where}：applies.case_types 中的“{t}”未在 [case_types] 中定义")
            out["case_types"] = tuple(tags)
    return AppliesWhen(**out)


def _item(raw: Any, n: int, top: dict, problems: list[str]) -> ChecklistItem | None:
    if not isinstance(raw, dict):
        problems.append(f"第{n}个条目：格式有误")
        return None
    item_id = _s(raw.get("id"))
    where = f"条目“{item_id}”" if item_id else f"第{n}个条目"
    for k in sorted(set(raw) - _ITEM_KEYS):
        problems.append(f"{where}：未知的键“{k}”")
    if item_id is None or not _ID.match(item_id):
        problems.append(f"{where}：缺少 id，或 id 不是小写字母、数字、下划线和点")
    for k in ("group", "question", "defect", "consequence"):
        if _s(raw.get(k)) is None:
            problems.append(f"{where}：缺少 {k}")
    group, consequence = raw.get("group"), raw.get("consequence")
    if _s(group) and group not in top["groups"]:
        problems.append(f"{where}：分组“{group}”未在 [groups] 中定义")
    if _s(consequence) and consequence not in CONSEQUENCES:
        problems.append(f"{where}：consequence 只能是 {'、'.join(CONSEQUENCES)}")
    basis = raw.get("basis")
    if not isinstance(basis, list) or not basis or not all(_s(b) for b in basis):
        problems.append(f"{where}：缺少法律依据（basis，至少一条）")
        basis = []
    for b in basis:
        if isinstance(b, str) and not _CITATION.match(b.strip()):
            problems.append(f"{where}：法律依据“{b}”格式应为《法律名称》第…条（中文条号）")
    fix = _s(raw.get("fix")) or ""
    if consequence in ("correction", "redirect") and not fix:
        problems.append(f"{where}：补正或告知另行处理的条目必须写明 fix（告知当事人如何处理的语句）")
    route = raw.get("route")
    if consequence == "redirect":
        if route not in top["routes"]:
            problems.append(f"{where}：告知另行处理的条目须有 route，且在 [routes] 中定义")
    elif route is not None:
        problems.append(f"{where}：只有 redirect 条目可以有 route")
    prefill = raw.get("prefill")
    if prefill is not None and prefill not in PREFILL_RULES:
        problems.append(f"{where}：未知的预填规则“{prefill}”")
    na_allowed = raw.get("na_allowed", False)
    if not isinstance(na_allowed, bool):
        problems.append(f"{where}：na_allowed 应为 true 或 false")
    applies = _applies(raw.get("applies"), where, top["case_types"], problems)
    if item_id is None:
        return None
    return ChecklistItem(
        id=item_id, group=str(group), question=str(raw.get("question", "")).strip(),
        defect=str(raw.get("defect", "")).strip(), basis=tuple(b.strip() for b in basis if isinstance(b, str)),
        consequence=str(consequence), fix=fix, route=route if consequence == "redirect" else None,
        applies=applies, prefill=prefill, na_allowed=bool(na_allowed),
    )


def _str_table(raw: Any, name: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        problems.append(f"缺少 [{name}] 表")
        return {}
    bad = [k for k, v in raw.items() if not _s(v)]
    problems.extend(f"[{name}] 中“{k}”应为非空字符串" for k in bad)
    return {k: v for k, v in raw.items() if k not in bad}


def parse_checklist(text: str, *, source: str = CHECKLIST_FILE) -> Checklist:
    """Parse and validate a checklist file; raises ChecklistError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(f"审查清单文件 {source} 不是有效的 TOML：{exc}") from None
    problems: list[str] = [f"未知的顶层键“{k}”" for k in sorted(set(data) - _TOP_KEYS)]
    version = _s(data.get("version"))
    if version is None:
        problems.append("缺少 version（清单版本）")
    groups = _str_table(data.get("groups"), "groups", problems)
    routes = _str_table(data.get("routes"), "routes", problems)
    case_types: dict[str, tuple[str, ...]] = {}
    for tag, codes in (data.get("case_types") or {}).items():
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
            problems.append(f"[case_types] 中“{tag}”应为非空的案由代码列表")
        else:
            case_types[tag] = tuple(codes)
    top = {"groups": groups, "routes": routes, "case_types": case_types}
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("清单中没有任何条目（[[item]]）")
        raw_items = []
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_items, start=1):
        it = _item(raw, n, top, problems)
        if it is None:
            continue
        if it.id in seen:
            problems.append(f"条目 id“{it.id}”重复")
        seen.add(it.id)
        items.append(it)
    if problems:
        raise ChecklistError(f"审查清单文件 {source} 有误：" + "；".join(problems))
    return Checklist(version=str(version), title=_s(data.get("title")) or "立案审查清单",
                     effective=_s(data.get("effective")) or "", groups=groups, routes=routes,
                     case_types=case_types, items=tuple(items))


def _read(name: str) -> str | None:
    path = resources.files("baihe_desk.resources").joinpath("checklists", name)
    return path.read_text("utf-8") if path.is_file() else None


@cache
def load_checklist(version: str | None = None) -> Checklist:
    """The current complaint-review checklist, or the archived ``version`` an old review used."""
    current = parse_checklist(_read(CHECKLIST_FILE) or "", source=CHECKLIST_FILE)
    if version is None or version == current.version:
        return current
    name = f"complaint-review-{version}.toml"
    text = _read(name)
    if text is None:
        raise ChecklistError(f"找不到 {version} 版审查清单（{name}），无法显示该次审查所用的清单。")
    return parse_checklist(text, source=name)


@cache
def load_procedure_rules() -> dict[str, Any]:
    """``procedure-rules.toml``: small-claims wage default and the 案由 lists used by the procedure rules."""
    text = _read(PROCEDURE_FILE)
    if text is None:  # pragma: no cover - packaging error
        raise ChecklistError(f"缺少程序规则文件 {PROCEDURE_FILE}")
    return tomllib.loads(text)


# ── what the failed items allow (outcome values = models.review.ReviewOutcome) ──────────────────────

OUTCOMES = ("registered", "correction", "rejected", "redirected", "referred_mediation")


class OutcomeError(KnownError):
    title = "审查结论与审查意见不一致"


@dataclass(frozen=True)
class DefectItem:
    """A failed item as the party is told: what is wrong, what to do, on which legal basis."""

    item_id: str
    group: str
    group_label: str
    question: str
    defect: str
    note: str  # the clerk's specifics (e.g. 缺少被告李某的住所)
    fix: str
    basis: tuple[str, ...]
    consequence: str
    consequence_label: str
    route: str | None
    route_label: str

    @classmethod
    def of(cls, item: ChecklistItem, checklist: Checklist, note: str = "") -> DefectItem:
        return cls(item.id, item.group, checklist.groups[item.group], item.question, item.defect, note, item.fix,
                   item.basis, item.consequence, item.consequence_label, item.route,
                   checklist.routes.get(item.route or "", ""))

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def _label(item: ChecklistItem) -> str:
    q = item.question
    return f"“{q if len(q) <= 36 else q[:35] + '…'}”"


def _labels(items: list[ChecklistItem], shown: int = 3) -> str:
    """The first ``shown`` items, shortened: a message box, not a page (the review sheet lists them all)."""
    more = f"等{len(items)}项" if len(items) > shown else ""
    return "；".join(_label(it) for it in items[:shown]) + more


def check_outcome(items: list[ChecklistItem], answers: Mapping[str, str | None], outcome: str, *,
                  failed_before: frozenset[str] | set[str] = frozenset(), party_insists: bool = False,
                  mediation_consent: bool = False) -> list[ChecklistItem]:
    """The failed items ``outcome`` rests on, or OutcomeError saying why it does not fit the answers.

    ``items`` are the applicable items; ``failed_before`` the items notified for 补正 in the previous round.
    - 登记立案: nothing failed.
    - 补正: a correction item failed, no redirect/reject item did, and no item already notified for
      补正 is still failing (经补正仍不符合要求的，裁定不予受理 — 登记立案规定第七条第四款).
    - 不予受理: a reject / not_registered item failed; or a notified correction item still fails; or a
      redirect item failed and the party insists on suing here (民诉法解释第二百一十一条、第二百一十五条).
    - 告知另行处理: a redirect item failed (the reasons also list any reject items).
    - 引导诉前调解: no redirect/reject item failed and the party agrees (民事诉讼法第一百二十五条).
    """
    open_items = [it for it in items if answers.get(it.id) not in ("pass", "fail", "na")]
    if open_items:
        raise OutcomeError(f"还有{len(open_items)}项审查意见未作出结论，如："
                           + _labels(open_items))
    failed = [it for it in items if answers.get(it.id) == "fail"]
    corr = [it for it in failed if it.consequence == "correction"]
    redirect = [it for it in failed if it.consequence == "redirect"]
    barred = [it for it in failed if it.consequence in ("reject", "not_registered")]
    still = [it for it in corr if it.id in failed_before]
    if outcome == "registered":
        if failed:
            raise OutcomeError("有不符合项，不能登记立案：" + _labels(failed))
        return []
    if outcome == "correction":
        if redirect or barred:
            raise OutcomeError("存在应当告知另行处理或不予受理的情形，不能以补正处理：" + _labels(
                redirect + barred))
        if still:
            raise OutcomeError("以下事项已通知补正，经补正仍不符合要求，应当裁定不予受理（登记立案规定第七条第四款）："
                               + _labels(still))
        if not corr:
            raise OutcomeError("没有需要补正的不符合项，不能通知补正。")
        return corr
    if outcome == "rejected":
        reasons = barred + still + (redirect if party_insists else [])
        if not reasons:
            raise OutcomeError("没有不予受理的事由：需有不予受理或不予登记立案情形、经补正仍不符合要求的事项，"
                               "或者告知另行处理后当事人坚持起诉。")
        return reasons
    if outcome == "redirected":
        if not redirect:
            raise OutcomeError("没有应当告知另行处理的情形（行政诉讼、仲裁、有关机关、管辖、申请再审）。")
        return redirect + barred
    if outcome == "referred_mediation":
        if redirect or barred:
            raise OutcomeError("存在应当告知另行处理或不予受理的情形，不能引导诉前调解：" + _labels(
                redirect + barred))
        if not mediation_consent:
            raise OutcomeError("引导诉前调解须经当事人同意；当事人拒绝调解的，应当依法审查立案（民事诉讼法第一百二十五条）。")
        return corr
    raise OutcomeError(f"未知的审查结论“{outcome}”。")


def allowed_outcomes(items: list[ChecklistItem], answers: Mapping[str, str | None], **flags: Any) -> list[str]:
    """The outcomes :func:`check_outcome` accepts for these answers (for enabling the window's buttons)."""
    out = []
    for o in OUTCOMES:
        try:
            check_outcome(items, answers, o, **flags)
        except OutcomeError:
            continue
        out.append(o)
    return out
