"""诉讼费收费标准 — the fee schedule of 《诉讼费用交纳办法》 as data (resources/fees.toml), read and checked.

Each kind of case (财产案件, 离婚, 人格权, 知识产权, 劳动争议, 执行申请费, 保全申请费 …) is a schedule of bands
or a fixed amount; amounts a province fixes within a statutory range are :class:`RangedSetting` entries,
whose court figure is a setting. :func:`parse_fee_schedule` refuses a malformed file, naming the entry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from baihe_desk.errors import KnownError
from baihe_desk.services.common.validation import quote as _quote


@dataclass(frozen=True)
class RangedSetting:
    """An amount the 办法 gives as a range; the province (court setting) fixes the figure."""

    key: str
    label: str
    basis: str
    min: Decimal
    max: Decimal
    default: Decimal
    confirmed: bool


@dataclass(frozen=True)
class Band:
    over: Decimal
    upto: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Schedule:
    key: str
    label: str
    basis: str
    case_fee: bool
    amount: str
    amount_label: str = "金额"
    base_fee: Decimal | None = None
    base_ranged: str | None = None
    base_upto: Decimal | None = None
    bands: tuple[Band, ...] = ()
    cap: Decimal | None = None
    no_amount_fee: Decimal | None = None
    no_amount_ranged: str | None = None
    with_amount: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeeSchedule:
    version: str
    ranged: Mapping[str, RangedSetting]
    schedules: Mapping[str, Schedule]


def _dec(value: object, where: str) -> Decimal:
    """Money and rates are TOML strings ("0.025"), read exactly."""
    try:
        out = Decimal(value) if isinstance(value, str) else Decimal("NaN")
    except InvalidOperation:
        out = Decimal("NaN")
    if not out.is_finite() or out < 0:
        raise KnownError(f"收费标准文件 fees.toml：{where} 应写成字符串形式的非负数，现为“{_quote(str(value))}”")
    return out


def _opt(raw: Mapping, key: str, where: str) -> Decimal | None:
    return _dec(raw[key], f"{where}.{key}") if key in raw else None


def _schedule(key: str, raw: Mapping, ranged: Mapping[str, RangedSetting]) -> Schedule:
    where = f"schedules.{key}"
    bands, prev = [], _opt(raw, "base_upto", where) or Decimal(0)
    for i, b in enumerate(raw.get("bands", [])):
        band = Band(
            _dec(b["over"], f"{where}.bands[{i}].over"), _opt(b, "upto", where), _dec(b["rate"], where)
        )
        if band.over != prev or (band.upto is not None and band.upto <= band.over) or band.rate >= 1:
            raise KnownError(f"收费标准文件 fees.toml：{where} 的第 {i + 1} 个分段不连续或比例有误")
        prev = band.upto if band.upto is not None else prev
        bands.append(band)
    if bands and bands[-1].upto is not None:
        raise KnownError(f"收费标准文件 fees.toml：{where} 的最后一个分段应没有上限")
    for ref in (raw.get("base_ranged"), raw.get("no_amount_ranged")):
        if ref is not None and ref not in ranged:
            raise KnownError(f"收费标准文件 fees.toml：{where} 引用了不存在的设置项 {ref}")
    if raw.get("amount") not in ("required", "optional", "ignored", "forbidden"):
        raise KnownError(f"收费标准文件 fees.toml：{where}.amount 无效")
    money = {k: _opt(raw, k, where) for k in ("base_fee", "base_upto", "cap", "no_amount_fee")}
    refs = {k: raw.get(k) for k in ("base_ranged", "no_amount_ranged", "with_amount")}
    return Schedule(
        key, raw["label"], raw["basis"], bool(raw["case_fee"]), raw["amount"], raw.get("amount_label", "金额"),
        bands=tuple(bands), notes=tuple(raw.get("notes", ())),
        base_fee=money["base_fee"], base_upto=money["base_upto"], cap=money["cap"], no_amount_fee=money["no_amount_fee"],
        base_ranged=refs["base_ranged"], no_amount_ranged=refs["no_amount_ranged"], with_amount=refs["with_amount"],
    )  # fmt: skip


def parse_fee_schedule(text: str) -> FeeSchedule:
    try:
        data = tomllib.loads(text)
        ranged = {}
        for key, r in data["ranged"].items():
            lo, hi, default = (_dec(r[k], f"ranged.{key}.{k}") for k in ("min", "max", "default"))
            s = RangedSetting(key, r["label"], r["basis"], lo, hi, default, bool(r["confirmed"]))
            if not s.min <= s.default <= s.max:
                raise KnownError(f"收费标准文件 fees.toml：ranged.{key} 的默认值不在法定幅度内")
            ranged[key] = s
        schedules = {k: _schedule(k, v, ranged) for k, v in data["schedules"].items()}
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise KnownError(f"收费标准文件 fees.toml 格式错误：{exc}") from exc
    for sched in schedules.values():
        if sched.with_amount is not None and sched.with_amount not in schedules:
            raise KnownError(f"收费标准文件 fees.toml：schedules.{sched.key} 引用了不存在的标准 {sched.with_amount}")
    return FeeSchedule(str(data.get("version", "")), ranged, schedules)


@lru_cache(maxsize=1)
def load_fee_schedule() -> FeeSchedule:
    return parse_fee_schedule(
        resources.files("baihe_desk.resources").joinpath("fees.toml").read_text("utf-8")
    )


def fee_kinds(schedule: FeeSchedule | None = None) -> dict[str, str]:
    """{kind: Chinese label} in schedule order, e.g. {"property": "财产案件", ...} (CLI choices, UI lists)."""
    return {k: s.label for k, s in (schedule or load_fee_schedule()).schedules.items()}


def ranged_settings(schedule: FeeSchedule | None = None) -> list[RangedSetting]:
    """The court-settable amounts (for the admin UI): label, statutory range, default, confirmed."""
    return list((schedule or load_fee_schedule()).ranged.values())
