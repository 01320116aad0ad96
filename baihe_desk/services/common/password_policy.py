"""密码规则 — at least 10 characters, letters and digits, not a common password or a common word with
digits around it, and not containing the user name (issue 17: ``password1`` and ``admin123`` were
accepted). The deny-list is short and local: the passwords people at a desk actually choose."""

from __future__ import annotations

import re

from baihe_desk.errors import ValidationError

MIN_PASSWORD = 10
# Common passwords and the words they are built from (checked with digits and symbols stripped).
COMMON_WORDS = frozenset("""
password passw0rd passwd pass admin administrator root user guest test demo qwerty qwertyuiop asdf asdfgh
asdfghjkl zxcvbn zxcvbnm abc abcd abcde abcdef abcdefg abcdefgh qaz qazwsx qazwsxedc letmein welcome iloveyou
monkey dragon sunshine princess football baseball master superman trustno login changeme default secret
baihe baihedesk court fayuan fy lian faguan tiaojie zhixing tingzhang yuanzhang shuji zhuli
woaini aini mima wangluo china zhongguo beijing jilin baishan changbai yanbian
""".split())
COMMON_PASSWORDS = frozenset("""
1234567890 0123456789 12345678910 1111111111 0000000000 1q2w3e4r5t 1qaz2wsx3edc qwerty123456 a123456789
abc1234567 password123 admin12345 woaini1314 5201314520 147258369 1234qwer 123456abc
""".split())


def _core(password: str) -> str:
    """The letters of the password, lower-case, with leet digits read as letters."""
    leet = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"})
    middle = re.sub(r"^[^a-z@$]+|[^a-z@$]+$", "", password.lower())  # digits and symbols around a word
    return re.sub(r"[^a-z]", "", middle.translate(leet))


def check(password: str, username: str = "") -> None:
    """Raise ValidationError("密码", …) for a password the desk refuses."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError("密码", f"至少需要 {MIN_PASSWORD} 个字符。")
    if password.isdigit() or password.isalpha():
        raise ValidationError("密码", "请同时使用字母和数字。")
    lowered = password.lower()
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        raise ValidationError("密码", "不能包含用户名。")
    if len(set(lowered)) <= 3:
        raise ValidationError("密码", "过于简单（重复的字符），请换一个。")
    if lowered in COMMON_PASSWORDS or _core(password) in COMMON_WORDS or \
            re.sub(r"[^a-z]", "", lowered) in COMMON_WORDS:
        raise ValidationError("密码", "这是常见密码或由常见词加数字组成，容易被猜到，请换一个。")


HINT = f"密码至少 {MIN_PASSWORD} 个字符，须同时包含字母和数字，不能包含用户名，不能是常见密码。"
