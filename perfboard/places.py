"""Where a department is: province, city and district from a gazetteer of China's
administrative divisions (perfboard/places/adcodes.csv, adcode → name)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent / "places" / "adcodes.csv"
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: the city is the province


@dataclass(frozen=True)
class Place:
    adcode: str
    name: str

    @property
    def level(self) -> str:
        if self.adcode.endswith("0000"):
            return "province"
        if self.adcode.endswith("00"):
            return "city"
        return "district"


@dataclass
class Location:
    province: str | None = None
    city: str | None = None
    district: str | None = None


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Place], dict[str, list[Place]]]:
    by_code: dict[str, Place] = {}
    by_name: dict[str, list[Place]] = {}
    with open(GAZETTEER, encoding="utf-8") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        next(rows)
        for code, name in rows:
            place = Place(code, name)
            by_code[code] = place
            by_name.setdefault(name, []).append(place)
    # Counties and county-level cities keep being turned into districts (武隆县 → 武隆区):
    # the newer name finds the same place unless it already names another one.
    for code, place in list(by_code.items()):
        if place.level == "district" and place.name[-1] in "县市" and len(place.name) >= 3:
            renamed = place.name[:-1] + "区"
            if renamed not in by_name:
                by_name[renamed] = [Place(code, renamed)]
    # Autonomous prefectures go by their short names: 红河哈尼族彝族自治州 → 红河州, 恩施州, 黔西南州
    for code, place in list(by_code.items()):
        if place.level == "city" and place.name.endswith("自治州"):
            m = _PREFECTURE_SHORT.match(place.name)
            if m and m.group(1) + "州" not in by_name:
                by_name[m.group(1) + "州"] = [Place(code, place.name)]
    return by_code, by_name


_PREFECTURE_SHORT = re.compile(r"^(.{2,3}?)(?:哈尼|彝|土家|苗|布依|藏|羌|傣|景颇|白|傈僳|壮|侗|朝鲜|回|蒙古|哈萨克|"
                               r"柯尔克孜|黎|瑶|怒|纳西|独龙|普米|拉祜|佤|基诺|阿昌|德昂|布朗|仡佬|水|土|撒拉|保安|"
                               r"东乡|裕固|锡伯|达斡尔|鄂温克|满|畲|毛南|仫佬|京|高山|门巴|珞巴)")


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern, dict[str, tuple[int, ...]], frozenset[str]]:
    """The gazetteer's names (two characters or more) as a lookup: a pattern of their first
    characters, each first character's name lengths (longest first) and the names. One
    regex alternation of ~4,000 names cost more than the rest of a report's extraction
    (the engine tries the names one by one at every character); this finds the same names."""
    names = frozenset(n for n in _index()[1] if len(n) >= 2)
    lengths: dict[str, set[int]] = {}
    for n in names:
        lengths.setdefault(n[0], set()).add(len(n))
    firsts = re.compile("[" + "".join(map(re.escape, sorted(lengths))) + "]")
    return firsts, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}, names


def _longest_at(text: str, i: int) -> int:
    """The end of the longest gazetteer name starting at `i`, or -1."""
    _, lengths, names = _names()
    for n in lengths.get(text[i], ()) if i < len(text) else ():
        if text[i:i + n] in names:
            return i + n
    return -1


def _name_spans(text: str):
    """(start, end) of every gazetteer name in the text, left to right, the longest at each
    place, none overlapping (as a regex alternation of the names, longest first, finds them)."""
    firsts = _names()[0]
    end = 0
    for m in firsts.finditer(text):
        i = m.start()
        if i < end:
            continue
        stop = _longest_at(text, i)
        if stop > 0:
            yield i, stop
            end = stop


def _short(name: str) -> str:
    return re.sub(r"(省|市|自治区|特别行政区|壮族|回族|维吾尔)+$", "", name)


def find_places(text: str) -> list[Place]:
    """Every gazetteer name in the text, in order (all homonyms of a name)."""
    by_name = _index()[1]
    return [p for start, end in _name_spans(text) for p in by_name[text[start:end]]]


def parent(place: Place, level: str) -> Place | None:
    by_code = _index()[0]
    code = place.adcode[:2] + "0000" if level == "province" else place.adcode[:4] + "00"
    return by_code.get(code)


def locate(name: str, context: str = "") -> Location:
    """The location of a department named `name`; `context` (the report's text) settles
    homonyms (白云区 in 广州 and in 贵阳) and supplies a city the name leaves out."""
    in_name = find_places(name)
    in_context = find_places(context) if context else []
    context_codes = {p.adcode for p in in_context}
    context_prefixes = {p.adcode[:4] for p in in_context if p.level == "city"} | \
                       {p.adcode[:2] for p in in_context if p.level == "province"}

    def support(p: Place) -> tuple:
        # a homonym is preferred when its city or province is named too
        return (p.adcode[:4] in context_prefixes or p.adcode[:4] in {q.adcode[:4] for q in in_name if q.level == "city"},
                p.adcode[:2] in context_prefixes or p.adcode[:2] in {q.adcode[:2] for q in in_name if q.level == "province"},
                p.adcode in context_codes)

    districts = [p for p in in_name if p.level == "district"]
    cities = [p for p in in_name if p.level == "city"]
    provinces = [p for p in in_name if p.level == "province"]
    loc = Location()
    if districts:
        d = max(districts, key=support)
        loc.district = d.name
        c = parent(d, "city")
        prov = parent(d, "province")
        loc.province = prov.name if prov else None
        if d.adcode[:2] in MUNICIPALITIES:
            loc.city = loc.province
        else:
            loc.city = c.name if c else None
        return loc
    if cities:
        c = max(cities, key=support)
        loc.city = c.name
        prov = parent(c, "province")
        loc.province = prov.name if prov else None
        return loc
    if provinces:
        p = provinces[0]
        loc.province = p.name
        if p.adcode[:2] in MUNICIPALITIES:
            loc.city = p.name
        return loc
    return _by_suffix(name, context)


_SUFFIXED = re.compile(r"^(?P<province>[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?P<city>[\u4e00-\u9fff]{2,7}?(?:市|自治州|地区|盟))?"
                       r"(?P<district>[\u4e00-\u9fff]{2,7}?(?:区|县|旗))?(?=[\u4e00-\u9fff]{2,})")


def _by_suffix(name: str, context: str) -> Location:
    """Places the gazetteer does not know (new or renamed ones, fictional test data) are
    read from their suffixes: 示例一市样二区信访局 → 示例一市, 样二区; a province named right
    before the city in the text is taken too."""
    m = _SUFFIXED.match(name)
    if not m or not (m.group("city") or m.group("district")):
        return Location()
    loc = Location(m.group("province"), m.group("city"), m.group("district"))
    if loc.city and not loc.province:
        before = re.search(rf"([\u4e00-\u9fff]{{2,9}}?(?:省|自治区)){re.escape(loc.city)}", context)
        # the run of characters before 省 may begin inside the sentence (实施单位为示例一省):
        # the name starts after the last word that cannot be part of it
        name = re.split(_NOT_IN_NAMES, before.group(1))[-1] if before else ""
        loc.province = name if len(name) >= 3 else None
    return loc


_NOT_IN_NAMES = r"[为是在于由对的和与及即系属据照经向从、，：:（(]"  # 根据、按照、依据 end in 据/照


def strip_places(name: str) -> str:
    """盘龙区信访局 / 昆明市盘龙区信访局 → 信访局 (the body without its place)."""
    rest = name
    while True:
        end = _longest_at(rest, 0)
        if end < 0:
            return rest
        rest = rest[end:]
