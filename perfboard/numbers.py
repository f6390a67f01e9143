"""Numbers as reports write them: 1,286.45 / 2851958.99元 / 64.3亿元 / 三百四十九 / −57.17."""
from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]+"

# An arabic number: thousands separators allowed only in groups of three.
NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
UNIT_TO_WAN = {"元": 0.0001, "万元": 1.0, "亿元": 10_000.0}


def parse_number(text: str) -> float | None:
    """'1,286.45' → 1286.45; '三百四十九' → 349; anything else → None."""
    if text is None:
        return None
    s = str(text).strip().replace("−", "-").replace("－", "-")
    if re.fullmatch(NUMBER, s):
        return float(s.replace(",", ""))
    if re.fullmatch(CN_NUMERAL, s):
        return parse_chinese(s)
    return None


def parse_chinese(s: str) -> float | None:
    """Chinese numerals up to 亿: 三百四十九 → 349, 一万零二十 → 10020, 十五 → 15."""
    if not s or not re.fullmatch(CN_NUMERAL, s):
        return None
    if all(c in CN_DIGITS for c in s):  # digit by digit: 二〇二二
        return float("".join(str(CN_DIGITS[c]) for c in s))
    total = section = 0
    digit = None
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[c]
            digit = None
        elif c in CN_BIG:
            section += digit or 0
            total += (section or 1) * CN_BIG[c]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def to_wan(value: float, unit: str | None, default_unit: str = "万元") -> float:
    """An amount in 元/万元/亿元 → 万元, rounded to 2 decimals as reports print them."""
    factor = UNIT_TO_WAN.get(unit or default_unit, 1.0)
    return round(value * factor, 2)
