"""Hostile input for the bad-input suite (hypothesis strategies) and the checks every rejection must pass.

``nasty_text()`` mixes: any Unicode text; text built from the characters that break programs (C0/C1
controls, lone surrogates, zero-width and BOM, line/paragraph separators, full-width forms, Ext-B 𠇔 and
other supplementary-plane characters, RTL marks); 10,000-character strings; empty and blank strings; and
near-valid values (a valid 身份证号 / 信用代码 / 手机号 / 案号 with one character changed).
"""

from __future__ import annotations

import random
import re
from datetime import date

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.services.admin import demo_data as dd

CJK = re.compile(r"[\u4e00-\u9fff]")
SCALE = 1.0  # multiply example counts (BAIHE_INPUT_SCALE) for a longer run
try:
    import os

    SCALE = float(os.environ.get("BAIHE_INPUT_SCALE", "1"))
except ValueError:  # pragma: no cover
    SCALE = 1.0

CONTROLS = [chr(c) for c in [*range(0, 32), *range(0x7F, 0xA0)]]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u200f", "\u2028", "\u2029", "\u3000",
             "\ufffe", "\uffff", "\ufffd"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
EXT_B = ["𠇔", "𠀀", "𪚥", "𫠠", "𬌗", "𰀀", "\U0002ffff", "\U0010fffd"]
RARE = list("堃喆玥䶮昇淼犇鑫垚燚赟璟頔珺祎彧翀昶")
COMMON = list("王李张刘陈杨赵黄吉林省安图县二道白河镇号路街村借款合同纠纷原告被告请求判令")
FULLWIDTH = list("０１２３４５６７８９ＡＢＣＸｘ－（）：，。")
ASCII = list("0123456789Xx-+()# .,:;/\\'\"<>&%{}$")
SPECIAL = CONTROLS + INVISIBLE + SURROGATES + EXT_B + RARE + COMMON + FULLWIDTH + ASCII


def _long(seed: str) -> str:
    return (seed * (10_000 // max(len(seed), 1) + 1))[:10_000]


def _mutate(valid: str, pos: int, ch: str) -> str:
    pos %= len(valid) + 1
    return valid[:pos] + ch + valid[pos + 1:]


def _valid_id(seed: int) -> str:
    rng = random.Random(seed)
    return dd.make_id_number(rng, rng.choice(dd.REGIONS)[0], dd.random_date(rng, date(1930, 1, 1), date(2010, 1, 1)),
                             rng.random() < 0.5)


def _valid_credit(seed: int) -> str:
    rng = random.Random(seed)
    return dd.make_credit_code(rng, rng.choice(dd.REGIONS)[0])


def near_valid() -> st.SearchStrategy[str]:
    valid = st.one_of(
        st.integers(0, 10**6).map(_valid_id), st.integers(0, 10**6).map(_valid_credit),
        st.integers(0, 10**6).map(lambda n: dd.mobile(random.Random(n))),
        st.sampled_from(["0433-5822110", "（2026）吉7502民初123号", "133000", "12500.50", "2026-09-21"]))
    return st.one_of(valid, st.builds(_mutate, valid, st.integers(0, 40), st.sampled_from(SPECIAL)),
                     valid.map(lambda v: f" {v}\u3000"), valid.map(lambda v: v.translate(
                         {c: c + 0xFEE0 for c in range(0x21, 0x7F)})))


def nasty_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.sampled_from(SPECIAL), max_size=max_size),
        st.text(alphabet=st.sampled_from(SPECIAL), min_size=1, max_size=6).map(_long),
        st.sampled_from(["", " ", "\u3000", "\n", "\t\t", "\x00", "\ufeff", "𠇔", "王𠇔", "10000" * 2000]),
        near_valid(),
    )


def examples(n: int, *, shrink: bool = True, **kw):  # type: ignore[no-untyped-def]
    """Hypothesis settings for a bad-input test: ``n`` examples (scaled), no deadline.

    ``shrink=False`` for slow examples (rendering documents): a failure is reported as found.
    """
    if not shrink:
        kw["phases"] = [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=kw.pop("derandomize", False),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                                           HealthCheck.large_base_example], **kw)


UNSHOWABLE = set(CONTROLS) - {"\n", "\t"} | set(SURROGATES) | {"\u202e", "\ufffe", "\uffff"}
MAX_MESSAGE = 200  # a message box, not a page: the input is quoted shortened (validation.quote)


def assert_calm(exc: KnownError, label: str | None = None, *, hygiene: bool = True) -> None:
    """A rejection: a Chinese message; a field error names its field (``label`` when given).

    ``hygiene``: the message also quotes the input safely — no control characters, lone surrogates or
    bidi overrides, and not thousands of characters long.
    """
    errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    assert errors, "ValidationErrors without errors"
    for err in errors:
        assert CJK.search(err.message), f"not a Chinese message: {err.message!r}"
        if isinstance(err, ValidationError):
            assert err.field and CJK.search(err.field), f"field label not Chinese: {err.field!r}"
            assert err.field in err.message, f"message does not name the field: {err.message!r}"
            if label is not None:
                assert label in err.field, f"expected the field {label!r}, got {err.field!r}"
        if hygiene:
            assert not (set(err.message) & UNSHOWABLE), f"message quotes unshowable characters: {err.message!r}"
            assert len(err.message) <= MAX_MESSAGE, f"message of {len(err.message)} characters"
