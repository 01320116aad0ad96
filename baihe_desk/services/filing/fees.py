"""诉讼费用计算 (litigation fee calculator): 《诉讼费用交纳办法》（国务院令第481号）第十三条至第十六条.

The schedule is data (resources/fees.toml); amounts a province fixes within a statutory range are settings
whose court-specific figure is passed in as ``overrides`` (validated against the range).

Rounding rule (stated on every result that needs it): the fee is first computed exactly in ``Decimal``
(bands × rates, caps), then rounded once to the fen (0.01 元) with ROUND_HALF_UP.
Halving (减半) takes half of that rounded fee and rounds to the fen with ROUND_HALF_UP again.

Halving applies only to 案件受理费 (第十五条 调解结案／撤诉, 第十六条 简易程序), never to 申请费. When several
grounds apply the fee is halved ONCE: 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百零六条
“人民法院决定减半收取案件受理费的，只能减半一次”.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.money_input import amount_digits
from baihe_desk.services.common.validation import quote
from baihe_desk.services.filing.fee_schedule import (
    FeeSchedule,
    RangedSetting,
    Schedule,
    fee_kinds,
    load_fee_schedule,
    parse_fee_schedule,
    ranged_settings,
)

__all__ = [
    "FeeResult",
    "FeeSchedule",
    "FeeStep",
    "RangedSetting",
    "calculate_fee",
    "fee_kinds",
    "fee_text",
    "format_fee",
    "load_fee_schedule",
    "parse_amount",
    "parse_fee_schedule",
    "ranged_settings",
    "validate_overrides",
]

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000000000")  # 10 万亿元: anything larger is a typing mistake
LAW = "《诉讼费用交纳办法》"
INTERPRETATION_206 = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百零六条"


@dataclass(frozen=True)
class FeeStep:
    text: str
    basis: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class FeeResult:
    kind: str
    label: str
    amount: Decimal | None
    full_fee: Decimal  # before halving, rounded to the fen
    total: Decimal  # what is payable
    steps: tuple[FeeStep, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    halved: bool = False
    schedule_version: str = ""


# ---------------------------------------------------------------------------------------------------------
# Loading and validating the schedule


# ---------------------------------------------------------------------------------------------------------
# Input


def _fmt(x: Decimal) -> str:
    """1234.5 → "1,234.50"; exact sub-fen values keep their digits (0.125 → "0.125")."""
    if x == x.quantize(FEN):
        return f"{x.quantize(FEN):,.2f}"
    return f"{x.normalize():,f}"


def _fmt_threshold(x: Decimal) -> str:
    return f"{_fmt_plain(x / 10000)} 万元" if x >= 10000 and x % 10000 == 0 else f"{_fmt_plain(x)} 元"


def _fmt_plain(x: Decimal) -> str:
    return f"{x.normalize():,f}"


_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_amount(value: str | int | Decimal, field: str = "金额") -> Decimal:
    """Parse "1,000,000", "１００００.５", 10000 or a Decimal → Decimal yuan (≥ 0, at most two decimals)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(field, "请以文字或 Decimal 传入金额，避免二进制小数误差")
    if isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else "x"
    else:
        text = str(value)
    text = amount_digits(text.replace(" ", "").replace("\u3000", ""), field)
    if not _AMOUNT_RE.match(text):
        raise ValidationError(field, f"“{quote(str(value))}”不是有效金额（元，最多两位小数，不能为负数）")
    if len(text.partition(".")[0].lstrip("0")) > 14:
        raise ValidationError(field, f"“{quote(str(value))}”不是有效金额（金额过大，请核对）")
    amount = Decimal(text)
    if amount > MAX_AMOUNT:
        raise ValidationError(field, f"金额 {_fmt(amount)} 元过大，请核对")
    return amount


def validate_overrides(overrides: Mapping[str, object] | None, schedule: FeeSchedule | None = None):
    """Court figures for the ranged amounts → {key: Decimal}; a figure outside its range is refused."""
    sched = schedule or load_fee_schedule()
    out: dict[str, Decimal] = {}
    for key, raw in (overrides or {}).items():
        setting = sched.ranged.get(key)
        if setting is None:
            raise ValidationError("收费标准设置", f"未知的设置项“{quote(str(key))}”")
        value = parse_amount(raw, setting.label)  # type: ignore[arg-type]
        if not setting.min <= value <= setting.max:
            raise ValidationError(
                setting.label,
                f"应在 {_fmt_plain(setting.min)}–{_fmt_plain(setting.max)} 元之间（{LAW}{setting.basis}），"
                f"设置值 {_fmt_plain(value)} 元不在法定幅度内",
            )
        out[key] = value
    return out


# ---------------------------------------------------------------------------------------------------------
# Calculation


def _ranged(key: str, sched: FeeSchedule, overrides: Mapping[str, Decimal], warnings: list[str]):
    s = sched.ranged[key]
    rng = f"（法定幅度 {_fmt_plain(s.min)}–{_fmt_plain(s.max)} 元）"
    if key in overrides:
        return overrides[key], f"按本院设置 {_fmt(overrides[key])} 元{rng}"
    if not s.confirmed:
        warn = f"{s.label}：本省的具体标准尚未核实，暂按默认值 {_fmt(s.default)} 元计算{rng}，请管理员设置"
        warnings.append(warn)
    return s.default, f"按默认值 {_fmt(s.default)} 元{rng}"


def _banded(s: Schedule, amount: Decimal, sched: FeeSchedule, ov, warnings, steps) -> Decimal:
    """Exact fee of a banded schedule (base + cumulative bands, capped)."""
    basis = LAW + s.basis
    if s.base_ranged is not None:
        base, how = _ranged(s.base_ranged, sched, ov, warnings)
        steps.append(FeeStep(f"{s.label}每件{how}", basis, base))
    else:
        base = s.base_fee or Decimal(0)
        upto = f"{s.amount_label}不超过 {_fmt_threshold(s.base_upto)}（含）的部分，" if s.base_upto else ""
        steps.append(FeeStep(f"{upto}每件 {_fmt(base)} 元", basis, base))
    total = base
    if s.base_ranged is not None and s.base_upto is not None and 0 < amount <= s.base_upto:
        steps.append(FeeStep(f"{s.amount_label}不超过 {_fmt_threshold(s.base_upto)}，不另行交纳", basis))
    for band in s.bands:
        if amount <= band.over:
            break
        top = amount if band.upto is None else min(amount, band.upto)
        part = top - band.over
        fee = part * band.rate
        upper = "" if band.upto is None else f"至 {_fmt_threshold(band.upto)}"
        rate = _fmt_plain(band.rate * 100)
        text = f"超过 {_fmt_threshold(band.over)}{upper}的部分 {_fmt(part)} 元 × {rate}% = {_fmt(fee)} 元"
        steps.append(FeeStep(text, basis, fee))
        total += fee
    if s.cap is not None and total > s.cap:
        text = f"按标准计算为 {_fmt(total)} 元，超过上限，按最高 {_fmt(s.cap)} 元交纳"
        steps.append(FeeStep(text, basis, s.cap))
        total = s.cap
    return total


def _exact_fee(s: Schedule, amount: Decimal | None, sched: FeeSchedule, ov, warnings, steps) -> Decimal:
    basis = LAW + s.basis
    if amount is None:
        if s.no_amount_ranged is not None:
            fee, how = _ranged(s.no_amount_ranged, sched, ov, warnings)
            steps.append(FeeStep(f"未涉及{s.amount_label}：每件{how}", basis, fee))
            return fee
        if s.no_amount_fee is not None:
            fee = s.no_amount_fee
            steps.append(FeeStep(f"未涉及{s.amount_label}：每件 {_fmt(fee)} 元", basis, fee))
            return s.no_amount_fee
        amount = Decimal(0)
    if s.with_amount is not None:
        other = sched.schedules[s.with_amount]
        steps.append(FeeStep(f"有{s.amount_label}的，按照{other.label}的标准交纳", basis))
        return _banded(other, amount, sched, ov, warnings, steps)
    return _banded(s, amount, sched, ov, warnings, steps)


def _round(x: Decimal) -> Decimal:
    return x.quantize(FEN, rounding=ROUND_HALF_UP)


def calculate_fee(
    kind: str,
    amount: str | int | Decimal | None = None,
    *,
    simple_procedure: bool = False,
    mediated: bool = False,
    withdrawn: bool = False,
    overrides: Mapping[str, object] | None = None,
    schedule: FeeSchedule | None = None,
) -> FeeResult:
    """The fee for one case or application of ``kind`` (a key of :func:`fee_kinds`), with reasoning.

    ``amount`` in yuan: 诉讼请求金额 (property), 财产总额 (divorce), 赔偿金额 (personality), 争议金额 (ip),
    执行金额 (enforcement), 实际保全的财产数额 (preservation). Bad input raises ValidationError (Chinese).
    """
    sched = schedule or load_fee_schedule()
    s = sched.schedules.get(kind)
    if s is None:
        raise ValidationError("案件类型", f"未知的收费类型“{quote(str(kind))}”")
    ov = validate_overrides(overrides, sched)
    blank = amount is None or (isinstance(amount, str) and not amount.strip())
    value = None if blank else parse_amount(amount)  # type: ignore[arg-type]
    warnings: list[str] = []
    notes = list(s.notes)
    if value is None and s.amount == "required":
        raise ValidationError(s.amount_label, f"{s.label}须填写{s.amount_label}")
    if value is not None and s.amount == "forbidden":
        raise ValidationError("金额", f"{s.label}不按金额计算；{s.notes[0] if s.notes else ''}")
    if value is not None and s.amount == "ignored":
        notes.insert(0, f"{s.label}不论争议金额，每件交纳固定金额")
        value = None
    if value is not None and value == 0 and (s.amount == "required" or s.with_amount or s.no_amount_ranged):
        raise ValidationError(s.amount_label, "应大于 0；没有金额的请不填")
    if mediated and withdrawn:
        raise ValidationError("结案方式", "调解结案与申请撤诉只能选择一项")
    grounds = [g for g, on in (("适用简易程序审理", simple_procedure), ("以调解方式结案", mediated),
                               ("当事人申请撤诉", withdrawn)) if on]  # fmt: skip
    if grounds and not s.case_fee:
        raise ValidationError("减半", f"减半交纳只适用于案件受理费（第十五条、第十六条），{s.label}不适用")

    steps: list[FeeStep] = []
    if value is not None:
        steps.append(FeeStep(f"{s.label}，{s.amount_label} {_fmt(value)} 元", LAW + s.basis))
    exact = _exact_fee(s, value, sched, ov, warnings, steps)
    full = _round(exact)
    if full != exact:
        steps.append(
            FeeStep(f"计算结果 {_fmt(exact)} 元，四舍五入保留到分：{_fmt(full)} 元", "舍入规则：四舍五入到分")
        )
    what = "案件受理费" if s.case_fee else s.label
    steps.append(FeeStep(f"{what}：{_fmt(full)} 元", LAW + s.basis, full))
    total = full
    if grounds:
        total = _round(full / 2)
        articles = "、".join(
            a for a, on in (("第十五条", mediated or withdrawn), ("第十六条", simple_procedure)) if on
        )
        text = f"{'、'.join(grounds)}，减半交纳：{_fmt(full)} ÷ 2 = {_fmt(total)} 元"
        steps.append(FeeStep(text, LAW + articles, total))
        if len(grounds) > 1:
            steps.append(FeeStep("同时符合多项减半情形的，只能减半一次", INTERPRETATION_206))
    lists = (tuple(steps), tuple(warnings), tuple(notes))
    return FeeResult(
        kind, s.label, value, full, total, *lists, halved=bool(grounds), schedule_version=sched.version
    )


# ---------------------------------------------------------------------------------------------------------
# Text for the CLI (``baihe-desk fee``)


def format_fee(result: FeeResult) -> str:
    """Steps with their basis, warnings and notes in Chinese; the LAST line is exactly ``total: 1234.50``."""
    lines = [f"收费类型：{result.label}"]
    lines += [f"  {i}. {st.text}（{st.basis}）" for i, st in enumerate(result.steps, 1)]
    lines.append(f"应交纳：{_fmt(result.total)} 元")
    lines += [f"注意：{w}" for w in result.warnings]
    lines += [f"说明：{n}" for n in result.notes]
    lines.append(f"total: {result.total.quantize(FEN)}")
    return "\n".join(lines)


def fee_text(
    kind: str,
    amount: str | None = None,
    *,
    procedure: str = "ordinary",
    mediated: bool = False,
    withdrawn: bool = False,
    overrides: Mapping[str, object] | None = None,
) -> str:
    """``baihe-desk fee --kind K [--amount YUAN] [--procedure simple] [--mediated] [--withdrawn]`` → text."""
    if procedure not in ("ordinary", "simple"):
        raise ValidationError(
            "审理程序", f"应为 ordinary（普通程序）或 simple（简易程序），收到“{quote(str(procedure))}”"
        )
    return format_fee(calculate_fee(kind, amount, overrides=overrides, simple_procedure=procedure == "simple",
                                    mediated=mediated, withdrawn=withdrawn))
