"""诉前调解规则 as versioned data: ``mediation-rules.toml`` (which 案由 are suggested for pre-litigation
mediation, through which channel, which may not be mediated) and ``roster-defaults.toml`` (the court's
mediation organisations an administrator can load into the roster).

:func:`load_rules` validates strictly: every 案由 code must exist in the catalogue the rules name, every
rule needs a reason and a legal basis, channels must be known — a :class:`MediationRulesError` at load,
naming the rule. Archived versions (``mediation-rules-<version>.toml``, kept when the file is revised)
load with ``load_rules(version)``, so an old recommendation still shows the rule it followed.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from baihe_desk.errors import KnownError

RULES_FILE = "mediation-rules.toml"
ROSTER_FILE = "roster-defaults.toml"
ORGANISATION_KINDS = ("station", "talk_point", "bank", "grid", "other")  # models.mediation.OrganisationKind

_TOP = {"version", "title", "catalogue", "channels", "exclude", "suggest", "caution"}
_RULE = {"id", "label", "causes", "reason", "basis", "confirmed", "channel", "max_amount", "max_amount_setting"}
_CAUTION = {"id", "causes", "text", "basis", "no_confirmation"}


class MediationRulesError(KnownError):
    title = "诉前调解规则文件有误"


@dataclass(frozen=True)
class Channel:
    key: str
    label: str
    organisation_kind: str
    description: str


@dataclass(frozen=True)
class Rule:
    """One [[exclude]] or [[suggest]] entry."""

    id: str
    label: str
    causes: tuple[str, ...]
    reason: str
    basis: tuple[str, ...]
    confirmed: bool
    channel: str = ""  # suggest only
    max_amount: Decimal | None = None  # suggest only: above this 标的额 no suggestion
    max_amount_setting: str = ""


@dataclass(frozen=True)
class Caution:
    id: str
    causes: tuple[str, ...]
    text: str
    basis: tuple[str, ...]
    no_confirmation: bool


@dataclass(frozen=True)
class MediationRules:
    version: str
    title: str
    catalogue: str
    channels: dict[str, Channel]
    exclude: tuple[Rule, ...]
    suggest: tuple[Rule, ...]
    caution: tuple[Caution, ...]


@cache
def _catalogue_codes(catalogue: str) -> frozenset[str]:
    name = f"civil-causes-{catalogue}.json"
    try:
        raw = json.loads(resources.files("baihe_desk.resources").joinpath("causes").joinpath(name).read_text("utf-8"))
    except FileNotFoundError:
        raise MediationRulesError(f"诉前调解规则引用的案由目录“{catalogue}”不存在（{name}）。") from None
    return frozenset(r["code"] for r in raw)


def _strings(value: Any, where: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise MediationRulesError(f"{where}：{what}应为非空的文字列表。")
    return tuple(v.strip() for v in value)


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise MediationRulesError(f"{where}：不认识的项目 {', '.join(sorted(unknown))}。")


def _rule(entry: dict[str, Any], kind: str, codes: frozenset[str], channels: dict[str, Channel]) -> Rule:
    where = f"[[{kind}]] {entry.get('id', '（无 id）')}"
    _check_keys(entry, _RULE, where)
    for key in ("id", "label", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise MediationRulesError(f"{where}：缺少 {key}。")
    causes = _strings(entry.get("causes"), where, "causes（案由代码）")
    unknown = [c for c in causes if c not in codes]
    if unknown:
        raise MediationRulesError(f"{where}：案由代码 {', '.join(unknown)} 不在案由目录中。")
    basis = _strings(entry.get("basis"), where, "basis（法律依据）")
    channel = str(entry.get("channel", ""))
    if kind == "suggest" and channel not in channels:
        raise MediationRulesError(f"{where}：调解渠道“{channel}”未在 [channels] 中定义。")
    if kind == "exclude" and channel:
        raise MediationRulesError(f"{where}：不得调解的规则不应指定调解渠道。")
    max_amount = None
    if "max_amount" in entry:
        try:
            max_amount = Decimal(str(entry["max_amount"]))
        except InvalidOperation:
            raise MediationRulesError(f"{where}：max_amount 应为金额。") from None
        if not max_amount.is_finite() or max_amount <= 0:
            raise MediationRulesError(f"{where}：max_amount 应大于 0。")
    if not isinstance(entry.get("confirmed", False), bool):
        raise MediationRulesError(f"{where}：confirmed 应为 true 或 false。")
    return Rule(entry["id"].strip(), entry["label"].strip(), causes, entry["reason"].strip(), basis,
                bool(entry.get("confirmed", False)), channel, max_amount, str(entry.get("max_amount_setting", "")))


def parse_rules(text: str) -> MediationRules:
    """Parse and validate the rules file's text (raises MediationRulesError naming the entry)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MediationRulesError(f"规则文件格式错误：{exc}") from None
    _check_keys(data, _TOP, "规则文件")
    version = str(data.get("version", "")).strip()
    if not version:
        raise MediationRulesError("规则文件缺少 version。")
    catalogue = str(data.get("catalogue", "")).strip()
    codes = _catalogue_codes(catalogue)
    channels: dict[str, Channel] = {}
    for key, ch in (data.get("channels") or {}).items():
        kind = ch.get("organisation_kind", "")
        if kind not in ORGANISATION_KINDS:
            raise MediationRulesError(f"[channels.{key}]：organisation_kind“{kind}”应为 {'、'.join(ORGANISATION_KINDS)} 之一。")
        if not str(ch.get("label", "")).strip():
            raise MediationRulesError(f"[channels.{key}]：缺少 label。")
        channels[key] = Channel(key, ch["label"].strip(), kind, str(ch.get("description", "")).strip())
    exclude = tuple(_rule(e, "exclude", codes, channels) for e in data.get("exclude", []))
    suggest = tuple(_rule(e, "suggest", codes, channels) for e in data.get("suggest", []))
    cautions = []
    for entry in data.get("caution", []):
        where = f"[[caution]] {entry.get('id', '（无 id）')}"
        _check_keys(entry, _CAUTION, where)
        causes = _strings(entry.get("causes"), where, "causes（案由代码）")
        unknown = [c for c in causes if c not in codes]
        if unknown:
            raise MediationRulesError(f"{where}：案由代码 {', '.join(unknown)} 不在案由目录中。")
        if not str(entry.get("text", "")).strip():
            raise MediationRulesError(f"{where}：缺少 text。")
        cautions.append(Caution(str(entry.get("id", "")), causes, entry["text"].strip(),
                                _strings(entry.get("basis"), where, "basis（法律依据）"),
                                bool(entry.get("no_confirmation", False))))
    ids = [r.id for r in (*exclude, *suggest)] + [c.id for c in cautions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise MediationRulesError(f"规则 id 重复：{', '.join(dupes)}。")
    return MediationRules(version, str(data.get("title", "")), catalogue, channels, exclude, suggest,
                          tuple(cautions))


@cache
def load_rules(version: str | None = None) -> MediationRules:
    """The rules in force, or an archived ``version`` (``mediation-rules-<version>.toml``)."""
    folder = resources.files("baihe_desk.resources").joinpath("mediation")
    current = parse_rules(folder.joinpath(RULES_FILE).read_text("utf-8"))
    if version is None or version == current.version:
        return current
    archived = folder.joinpath(f"mediation-rules-{version}.toml")
    if not archived.is_file():
        raise MediationRulesError(f"找不到第 {version} 版诉前调解规则（已存档的版本才能查看）。")
    return parse_rules(archived.read_text("utf-8"))


@cache
def roster_defaults() -> tuple[dict[str, str], ...]:
    """The court's organisations (name, kind, location, note) for 名册 → 载入本院调解组织."""
    data = tomllib.loads(resources.files("baihe_desk.resources").joinpath("mediation").joinpath(ROSTER_FILE).read_text("utf-8"))
    out = []
    for entry in data.get("organisation", []):
        if entry.get("kind") not in ORGANISATION_KINDS or not str(entry.get("name", "")).strip():
            raise MediationRulesError(f"roster-defaults.toml：调解组织“{entry.get('name', '')}”的名称或类型有误。")
        out.append({k: str(entry.get(k, "")).strip() for k in ("name", "kind", "location", "note")})
    return tuple(out)
