"""设置项登记表 — every court-wide setting declared once: key, Chinese label, type, default, validation.

The ``setting`` table stores ``key → JSON``. The workflows read their keys directly (with their own
defaults), so the keys and JSON shapes here are exactly theirs:

- ``filing.correction_days`` int (complaint_review), ``procedure.small_claims.annual_wage`` a string of
  yuan and ``.wage_year`` an int (procedure — only used when BOTH rows exist, so they are written together),
  ``fees.overrides`` ``{ranged key: "amount"}`` (fees/CLI), ``holidays.extra`` ``{year: {...}}`` (holidays),
  ``documents.fonts.<role>`` lists of family names, ``documents.page_numbers``, ``documents.mediation_notice.*``
  (document engine), ``enforcement.reply_working_days`` and ``queues.near_due_days`` (ints).

:func:`get` returns the stored value (typed: ``Decimal`` for amounts) or the default when the row is
absent or unreadable. :func:`set_value` / :func:`set_many` check the permission (管理员), validate every
value first (a ``ValidationError`` naming the field in Chinese), then write and audit before → after.
A ``confirmed=False`` setting carries a note saying the default is unconfirmed or local practice; the
admin screen shows it next to the field.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import Setting
from baihe_desk.services.common import audit
from baihe_desk.services.common.actor import Actor
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.common.validation import normalize_text, to_halfwidth

log = logging.getLogger(__name__)

GROUPS = {
    "filing": "立案",
    "small_claims": "小额诉讼标准",
    "fees": "诉讼费用",
    "periods": "期限与提醒",
    "enforcement": "执行咨询",
    "explanation": "判后答疑",
    "mediation_notice": "诉前调解告知书",
    "holidays": "节假日与调休",
    "fonts": "文书字体",
    "documents": "文书版式",
    "security": "安全",
}
# Groups with their own screens (not the generic 规则与期限 form).
OWN_SCREEN_GROUPS = ("fees", "holidays", "fonts", "documents")
KINDS = ("int", "decimal", "text", "bool", "choice", "names", "json")
NAME_SEPARATORS = ",，、;；\n"


@dataclass(frozen=True)
class SettingDef:
    """One declared setting. ``default`` may be a callable (read lazily from a shipped data file)."""

    key: str
    label: str
    group: str
    kind: str
    default: Any
    unit: str = ""
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    required: bool = False  # text / names: must not be empty
    max_length: int = 200
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)
    basis: str = ""  # legal basis, shown beside the field
    note: str = ""  # why the default is unconfirmed / local practice
    confirmed: bool = True
    check: Callable[[Any], Any] | None = None  # json kind: raw → normalised JSON value (raises)
    companions: tuple[str, ...] = ()  # keys that must be stored together with this one
    extra_check: Callable[[Any], None] | None = None  # a further rule after the type's own checks
    one_per_line: bool = False  # names kind: items are typed one per line (they may contain 、 or ，)

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


_REGISTRY: dict[str, SettingDef] = {}
# Workflow modules that declare their own settings when imported (``settings.declare``). They are imported
# before the registry is listed, so the admin screen and the import file see their settings too.
# settings_catalogue holds the court's own declarations (one line each); it is loaded the same way, so
# that it can import this module without an import circle.
DECLARING_MODULES: list[str] = ["baihe_desk.services.admin.settings_catalogue",
                                "baihe_desk.services.deadlines.clocks_trial"]
_loaded_declarations = False


def _load_declarations() -> None:
    global _loaded_declarations
    if _loaded_declarations:
        return
    _loaded_declarations = True
    for name in DECLARING_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # a workflow not in this build: its settings are simply not offered
            log.info("settings of %s not declared: %s", name, exc)


def add_group(key: str, label: str) -> None:
    """A new group of settings (shown as a section of 系统管理 › 规则与期限)."""
    GROUPS.setdefault(key, label)


def declare(defn: SettingDef) -> SettingDef:
    """Add a setting to the registry (other workflows may declare theirs at import time)."""
    if defn.kind not in KINDS:
        raise ValueError(f"unknown setting kind {defn.kind!r}")
    if defn.group not in GROUPS:
        raise ValueError(f"unknown setting group {defn.group!r}")
    _REGISTRY[defn.key] = defn
    return defn


def definitions(group: str | None = None) -> list[SettingDef]:
    _load_declarations()
    return [d for d in _REGISTRY.values() if group is None or d.group == group]


def definition(key: str) -> SettingDef:
    if key not in _REGISTRY:
        _load_declarations()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KnownError(f"未知的设置项“{key}”。") from None


def is_declared(key: str) -> bool:
    if key not in _REGISTRY:
        _load_declarations()
    return key in _REGISTRY


# ---------------------------------------------------------------------------------------------------------
# Validation: UI text or Python values → the typed value; ``to_json`` gives the stored JSON shape


def _int(defn: SettingDef, raw: Any) -> int:
    if isinstance(raw, bool) or isinstance(raw, float):
        raise ValidationError(defn.label, f"应为整数，“{raw}”不是")
    if isinstance(raw, int):
        value = raw
    else:
        text = to_halfwidth(normalize_text(str(raw))).strip().removesuffix(defn.unit).strip()
        if not text.lstrip("-").isdigit():
            raise ValidationError(defn.label, f"应为整数{_range_text(defn)}，“{raw}”不是整数")
        value = int(text)
    _check_range(defn, value)
    return value


def _decimal(defn: SettingDef, raw: Any) -> Decimal:
    from baihe_desk.services.filing.fees import parse_amount

    if isinstance(raw, str) and raw.strip().startswith(("-", "－")):
        raise ValidationError(defn.label, f"不能为负数（“{raw.strip()}”）")
    try:
        value = parse_amount(raw, defn.label)
    except InvalidOperation:  # fees.parse_amount trips over absurdly long numbers while formatting its message
        raise ValidationError(defn.label, f"“{str(raw)[:30]}”不是有效金额（过大）") from None
    _check_range(defn, value)
    return value


def _range_text(defn: SettingDef) -> str:
    if defn.minimum is not None and defn.maximum is not None:
        return f"（{defn.minimum}–{defn.maximum}{defn.unit}）"
    return ""


def _check_range(defn: SettingDef, value: int | Decimal) -> None:
    if value < 0:
        raise ValidationError(defn.label, f"不能为负数（{value}）")
    lo, hi = defn.minimum, defn.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValidationError(defn.label, f"应在 {lo} 至 {hi}{defn.unit} 之间，{value}{defn.unit} 不在范围内")


def _text(defn: SettingDef, raw: Any) -> str:
    text = normalize_text("" if raw is None else str(raw)).strip()
    if defn.required and not text:
        raise ValidationError(defn.label, "不能为空")
    if len(text) > defn.max_length:
        raise ValidationError(defn.label, f"不能超过 {defn.max_length} 个字（现为 {len(text)} 个）")
    return text


def _bool(defn: SettingDef, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "是", "yes"):
        return True
    if text in ("false", "0", "否", "no", ""):
        return False
    raise ValidationError(defn.label, f"应为“是”或“否”，“{raw}”不是")


def _choice(defn: SettingDef, raw: Any) -> str:
    text = str(raw).strip()
    for value, label in defn.choices:
        if text in (value, label):
            return value
    allowed = "、".join(label for _v, label in defn.choices)
    raise ValidationError(defn.label, f"只能是：{allowed}")


def split_names(text: str) -> list[str]:
    """"仿宋_GB2312、FangSong, 仿宋" → ["仿宋_GB2312", "FangSong", "仿宋"] (the admin's typing)."""
    out = [text]
    for sep in NAME_SEPARATORS:
        out = [part for chunk in out for part in chunk.split(sep)]
    return [p.strip() for p in out if p.strip()]


def _names(defn: SettingDef, raw: Any) -> list[str]:
    if raw is None:
        items: list[str] = []
    elif isinstance(raw, str):
        text = normalize_text(raw)
        items = [p.strip() for p in text.splitlines() if p.strip()] if defn.one_per_line else split_names(text)
    elif isinstance(raw, (list, tuple)) and all(isinstance(v, str) for v in raw):
        items = [normalize_text(v).strip() for v in raw if normalize_text(v).strip()]
    else:
        raise ValidationError(defn.label, "应为名称列表")
    unique = list(dict.fromkeys(items))
    if defn.required and not unique:
        raise ValidationError(defn.label, "至少需要一项，不能为空")
    if len(unique) > 30:
        raise ValidationError(defn.label, f"最多 30 项（现为 {len(unique)} 项）")
    for item in unique:
        if len(item) > defn.max_length:
            raise ValidationError(defn.label, f"“{item[:20]}…”过长（不能超过 {defn.max_length} 个字符）")
    return unique


_PARSERS: dict[str, Callable[[SettingDef, Any], Any]] = {
    "int": _int, "decimal": _decimal, "text": _text, "bool": _bool, "choice": _choice, "names": _names,
}


def validate(key: str, raw: Any) -> Any:
    """The typed value of ``raw`` for ``key``; raises ``ValidationError`` naming the field (Chinese)."""
    defn = definition(key)
    if defn.kind == "json":
        assert defn.check is not None, key
        value = defn.check(raw)
    else:
        value = _PARSERS[defn.kind](defn, raw)
    if defn.extra_check is not None:
        defn.extra_check(value)
    return value


def to_json(key: str, value: Any) -> Any:
    """The JSON the readers expect (amounts as strings of yuan, lists as lists)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return audit.jsonable(value)


# ---------------------------------------------------------------------------------------------------------
# Reading and writing


def stored(session: Session, key: str) -> Any | None:
    """The raw JSON of the row, or None when the row is absent."""
    row = session.get(Setting, key)
    return None if row is None else row.value


def is_set(session: Session, key: str) -> bool:
    return session.get(Setting, key) is not None


def get(session: Session | None, key: str) -> Any:
    """The typed value of ``key``: the stored one, else the default (also for an unreadable row)."""
    defn = definition(key)
    raw = None if session is None else stored(session, key)
    if raw is None:
        return defn.default_value()
    try:
        return validate(key, raw)
    except KnownError as exc:
        log.warning("setting %s ignored (%s): %r", key, exc, raw)
        return defn.default_value()


def values(session: Session | None, keys: Iterable[str]) -> dict[str, Any]:
    return {k: get(session, k) for k in keys}


def _write(session: Session, actor: Actor, key: str, value: Any) -> bool:
    """Store one validated value; audit before → after. False when nothing changed."""
    defn = definition(key)
    new = to_json(key, value)
    row = session.get(Setting, key)
    before = None if row is None else row.value
    if row is not None and before == new:
        return False
    if row is None:
        session.add(Setting(key=key, value=new, note=defn.label))
    else:
        row.value = new
        row.note = defn.label
    session.flush()
    audit.record(session, actor, "setting.set", entity="setting", entity_id=key,
                 before={"key": key, "label": defn.label, "value": before, "was_default": row is None},
                 after={"key": key, "label": defn.label, "value": new})
    return True


def set_many(session: Session, actor: Actor, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every value first, then write them all (audited); returns {key: typed value} changed.

    ``actor`` is None only for the demo loader and first set-up. Companion keys (the wage and its
    year) are written together: when one is set and the other has no row yet, its current value is
    stored too, so the reader never sees half a pair.
    """
    require(session, actor, Perm.SETTINGS_EDIT)
    checked = {key: validate(key, raw) for key, raw in changes.items()}
    for key in list(checked):
        for other in definition(key).companions:
            if other not in checked and not is_set(session, other):
                checked[other] = get(session, other)
    changed = {}
    for key, value in checked.items():
        if _write(session, actor, key, value):
            changed[key] = value
    return changed


def set_value(session: Session, actor: Actor, key: str, value: Any) -> Any:
    """Validate and store one setting (audited before → after); returns the typed value."""
    set_many(session, actor, {key: value})
    return get(session, key)


def reset(session: Session, actor: Actor, key: str) -> None:
    """Remove the row, so the default applies again (audited)."""
    require(session, actor, Perm.SETTINGS_EDIT)
    defn = definition(key)
    row = session.get(Setting, key)
    if row is None:
        return
    keys = [key, *[k for k in defn.companions if session.get(Setting, k) is not None]]
    for k in keys:
        r = session.get(Setting, k)
        assert r is not None
        before = r.value
        session.delete(r)
        session.flush()
        audit.record(session, actor, "setting.reset", entity="setting", entity_id=k,
                     before={"key": k, "label": definition(k).label, "value": before},
                     after={"key": k, "label": definition(k).label, "value": None, "was_default": True})
