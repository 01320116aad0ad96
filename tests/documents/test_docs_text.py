"""Text cleaning, Chinese dates, file names and the Chinese line-breaking rules (no Qt, no fonts)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from baihe_desk.documents.linebreak import NO_LINE_END, NO_LINE_START, break_lines, check_lines
from baihe_desk.documents.text import chinese_date, clean, one_line, safe_filename


def test_chinese_dates():
    assert chinese_date(date(2026, 11, 26)) == "二〇二六年十一月二十六日"
    assert chinese_date(date(2026, 1, 10)) == "二〇二六年一月十日"
    assert chinese_date(date(2030, 12, 31)) == "二〇三〇年十二月三十一日"
    assert chinese_date(date(2026, 10, 20)) == "二〇二六年十月二十日"


def test_clean_strips_xml_illegal_and_invisible_characters():
    assert clean("王\x00堃\x07\x1b\ufeff\u200b") == "王堃"
    assert clean("a\r\nb\rc\u2028d\te") == "a\nb\nc\nd e"
    assert clean("葛\U000e0100") == "葛"  # ideographic variation selector
    assert clean("\ufdd0x\ufdd1") == "x"  # the template renderer's internal marks
    assert clean(None) == ""
    assert one_line(" 王 \n 堃 ") == "王 堃"


def test_safe_filename_for_windows():
    assert safe_filename("收2026-0001") == "收2026-0001"
    assert safe_filename("（2026）吉7502民初1号") == "（2026）吉7502民初1号"
    assert safe_filename('a<b>c:d"e/f\\g|h?i*j.') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_filename("CON") == "_CON"
    long = safe_filename("收" * 500)
    assert len(long) <= 60 and long != safe_filename("收" * 499)


def _lines(text: str, chars_per_line: int = 10) -> list[str]:
    widths = [0.5 if c.isascii() else 1.0 for c in text]
    return [text[ln.start:ln.end] for ln in break_lines(text, widths, chars_per_line)]


def test_no_line_starts_with_closing_mark_and_none_ends_with_opening_mark():
    # 10 characters per line; the 11th character is a full stop / comma / 》 → it hangs or moves
    for mark in "。，、；：？！）」』》":
        text = "一二三四五六七八九十" + mark + "十一十二十三"
        lines = _lines(text)
        assert not lines[1].startswith(mark), (mark, lines)
        assert "".join(lines) == text
    # an opening mark at the end of a line moves down with the next character
    for mark in "（「『《":
        text = "一二三四五六七八九" + mark + "十一" + "）"
        lines = _lines(text)
        assert not lines[0].endswith(mark), (mark, lines)
    # two closing marks in a row: the line gives up a character instead of hanging both
    lines = _lines("一二三四五六七八九十。」后面的文字")
    assert check_lines(lines) == []


def test_hanging_punctuation_stays_within_one_character():
    text = "一二三四五六七八九十，下一行"
    lines = _lines(text)
    assert lines[0] == "一二三四五六七八九十，"  # the comma hangs in the margin (Word: 允许标点溢出边界)
    lines = [text[ln.start:ln.end] for ln in break_lines(text, [1.0] * len(text), 10, hang=False)]
    assert lines[0] == "一二三四五六七八九" and lines[1].startswith("十，")


def test_digits_and_blanks_are_not_split():
    lines = _lines("联系电话：0433-5550123，谢谢", chars_per_line=8)
    assert any("0433-5550123" in ln for ln in lines), lines
    lines = _lines("调解员：" + "_" * 10 + "。", chars_per_line=8)
    assert any("_" * 10 in ln for ln in lines), lines


def test_forced_breaks_and_first_line_indent():
    lines = break_lines("一二三\n四五", [1.0] * 6, 10, first_indent=2)
    assert [(ln.start, ln.end, ln.hard) for ln in lines] == [(0, 3, True), (4, 6, True)]
    lines = break_lines("一二三四五六七八九十", [1.0] * 10, 10, first_indent=2)
    assert lines[0].end == 8  # 10 − 2 characters on the first line


CJK = st.sampled_from(list("法院调解告知书当事人权利义务堃喆玥䶮"))
MARKS = st.sampled_from(sorted(NO_LINE_START - set(",.;:?!)]}%")))
OPENERS = st.sampled_from(sorted(NO_LINE_END - set("([{")))


@st.composite
def chinese_text(draw):
    """Chinese text where every closing mark follows a character and every opening mark precedes one
    (as in real prose), so a rule-abiding break always exists."""
    parts = []
    for _ in range(draw(st.integers(1, 60))):
        token = draw(CJK)
        kind = draw(st.integers(0, 5))
        if kind == 0:
            token += draw(MARKS)
        elif kind == 1:
            token = draw(OPENERS) + token
        parts.append(token)
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(chinese_text(), st.integers(4, 30))
def test_line_breaking_rules_hold_for_any_prose(text, per_line):
    widths = [1.0] * len(text)
    lines = break_lines(text, widths, per_line)
    parts = [text[ln.start:ln.end] for ln in lines]
    assert "".join(parts) == text
    assert check_lines(parts) == []
    for part in parts:  # at most one hanging mark beyond the measure
        assert len(part) <= per_line + 1
        if len(part) == per_line + 1:
            assert part[-1] in NO_LINE_START


def test_an_amount_with_thousands_separators_is_never_split():
    # 10 characters per line, ASCII half width: "= 1,858.22" would break after the comma at the line end
    for lead in ("一二三四五六七八", "一二三四五六七", "一二三四五六七八九"):
        text = lead + "1,858.22元" + "四五六"
        lines = _lines(text)
        assert "".join(lines) == text
        assert any("1,858.22" in ln for ln in lines), lines
    assert _lines("一二三四五，六七八九十一二")  # a Chinese comma still breaks as before
