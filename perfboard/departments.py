"""One key per real department, whatever the report calls it: 盘龙区信访局 and
昆明市盘龙区信访局 are one, and so are a 信访办公室 and the 信访局 it was renamed to.
Analysts add further aliases in the database (department_aliases)."""
from __future__ import annotations

import re

from perfboard import places

# bodies that were renamed: old name → current name
RENAMED = {
    "信访办公室": "信访局",
    "信访办": "信访局",
    "人民政府信访办公室": "信访局",
    "人民政府信访局": "信访局",
    "教育局": "教育和体育局",
}


def body(name: str, place_names: tuple[str | None, ...] = ()) -> str:
    """The department without its place: the gazetteer's place names are removed, and so
    are `place_names` (places read from their suffixes, which the gazetteer does not know)."""
    rest = places.strip_places(name)
    for place in place_names:
        if place and rest.startswith(place) and len(rest) > len(place) + 1:
            rest = rest[len(place):]
    rest = re.sub(r"^(?:中共|人民政府)(?=\S{2})", "", rest) if rest not in RENAMED else rest
    return RENAMED.get(rest, rest)


def department_key(name: str | None, province: str | None, city: str | None, district: str | None) -> str | None:
    """'昆明市盘龙区信访局': city, district and the (renamed) body; the province where no city is known."""
    if not name:
        return None
    where = (city or province or "") + (district or "")
    return where + body(name, (province, city, district))
