"""Numbers as reports write them: 1,286.45 / 2851958.99元 / 64.3亿元 / 三百四十九 / 百分之九十八 /
三点五 / 两千零二十三 / −57.17. Chinese numerals are read by the cn2an library."""
from __future__ import annotations

import re
from functools import lru_cache

# Chinese numerals, with 点 for a decimal point (三点五) and 百分之 for a percentage
CN_NUMERAL = "(?:百分之)?[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"

# An arabic number: thousands separators allowed only in groups of three.
NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
UNIT_TO_WAN = {"元": 0.0001, "万元": 1.0, "亿元": 10_000.0}
_CN_FULL = re.compile(CN_NUMERAL)


def parse_number(text: str) -> float | None:
    """'1,286.45' → 1286.45; '三百四十九' → 349; '百分之九十八' → 98; anything else → None."""
    if text is None:
        return None
    s = str(text).strip().replace("−", "-").replace("－", "-")
    if re.fullmatch(NUMBER, s):
        return float(s.replace(",", ""))
    if _CN_FULL.fullmatch(s):
        return parse_chinese(s)
    return None


def parse_chinese(s: str) -> float | None:
    """Chinese numerals through cn2an: 三百四十九 → 349, 一万零二十 → 10020, 二〇二二 → 2022,
    三点五 → 3.5, 百分之九十八 → 98 (the percentage's number)."""
    if not s or not _CN_FULL.fullmatch(s):
        return None
    return _cn2an(s[3:] if s.startswith("百分之") else s)


@lru_cache(maxsize=4096)
def _cn2an(s: str) -> float | None:
    try:
        value = _converter()(s, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


@lru_cache(maxsize=1)
def _converter():
    # imported on first use: a report without Chinese numerals never pays for loading it
    from cn2an.cn2an import Cn2An
    return Cn2An().cn2an


def parse_amount_unit(unit: str | None) -> str | None:
    """'万' (150万) means 万元."""
    return {"万": "万元"}.get(unit, unit) if unit else None


def to_wan(value: float, unit: str | None, default_unit: str = "万元") -> float:
    """An amount in 元/万元/亿元 → 万元, rounded to 2 decimals as reports print them."""
    factor = UNIT_TO_WAN.get(unit or default_unit, 1.0)
    return round(value * factor, 2)
