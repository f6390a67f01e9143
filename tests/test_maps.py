"""The map of units (perfboard.maps): on the seed database through queries/map/units.sql
and on small frames of real place names with invented figures. Each district drawn must
be the right one (its outline holds a landmark of that district), 未披露 grey, values in
the hover box, the boundary source named, and every unit that cannot be placed listed
with its reason. The figure is also rendered by kaleido as a person would see it."""
from __future__ import annotations

import time
from pathlib import Path

import duckdb
import polars as pl
import pytest
from PIL import Image
from shapely.geometry import Point, shape

from perfboard import maps, queries
from perfboard.export import images

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
needs_chromium = pytest.mark.skipif(images.browser_path() is None, reason="no Chromium on this machine")

# a point inside each district (its government seat or a landmark), to check that the
# outline drawn under an adcode is that district's
LANDMARKS = {
    "440106": (113.325, 23.137),   # 天河区: 天河体育中心
    "440117": (113.586, 23.548),   # 从化区
    "440308": (114.236, 22.557),   # 盐田区
    "530103": (102.72, 25.07),     # 盘龙区
    "530102": (102.70, 25.04),     # 五华区
    "530111": (102.76, 24.95),     # 官渡区
    "530112": (102.66, 24.97),     # 西山区
}


def frame(rows: list[dict]) -> pl.DataFrame:
    """Units in view in the shape of queries/map/units.sql (only the columns unit_map needs)."""
    base = dict(province=None, city=None, district=None, value=None, unit="%", year=2023)
    return pl.DataFrame([{**base, **r, "department": r.get("department", r["department_key"])} for r in rows],
                        schema={"department_key": pl.Utf8, "department": pl.Utf8, "province": pl.Utf8,
                                "city": pl.Utf8, "district": pl.Utf8, "value": pl.Float64, "unit": pl.Utf8,
                                "year": pl.Int64})


KUNMING = frame([
    dict(department_key="昆明市盘龙区信访局", province="云南省", city="昆明市", district="盘龙区", value=88.5),
    dict(department_key="昆明市五华区信访局", province="云南省", city="昆明市", district="五华区", value=92.25),
    dict(department_key="昆明市官渡区信访局", province="云南省", city="昆明市", district="官渡区", value=97.0),
    dict(department_key="昆明市西山区信访局", province="云南省", city="昆明市", district="西山区", value=None),
    # the city's own bureau: its colour would fill the districts drawn, so it is listed
    dict(department_key="昆明市信访局", province="云南省", city="昆明市", value=90.0),
    dict(department_key="示例一市样二区信访局", province="示例一省", city="示例一市", district="样二区", value=75.0),
    dict(department_key="某信访局", value=60.0),
])


def traces(fig, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def areas_of(fig, name: str) -> dict[str, str]:
    """adcode → hover text of the areas a choropleth trace draws."""
    out = {}
    for t in traces(fig, name):
        if t.type == "choropleth":
            out.update(zip(t.locations, t.text))
    return out


def values_of(fig, name: str) -> dict[str, float]:
    return {loc: z for t in traces(fig, name) if t.type == "choropleth" for loc, z in zip(t.locations, t.z)}


def assert_outlines_hold_landmarks(fig) -> None:
    for t in fig.data:
        if t.type != "choropleth":
            continue
        features = {f["id"]: f for f in t.geojson["features"]}
        assert set(features) == set(t.locations), t.name      # a feature for every location, no more
        for code in set(t.locations) & set(LANDMARKS):
            assert shape(features[code]["geometry"]).contains(Point(LANDMARKS[code])), code


def render(fig, name: str, width: int = 390) -> Image.Image:
    png = images.render(fig, "png", width, fig.layout.height, 2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(png)
    return Image.open(ARTIFACTS / name).convert("RGB")


def has_colour(image: Image.Image, hex_colour: str, at_least: int = 50) -> bool:
    rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(count for count, colour in image.getcolors(image.width * image.height) if colour == rgb) >= at_least


@pytest.fixture(scope="module")
def seed_units(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        yield queries.run(con, "map.units", province=None, city=None, departments=None, year_from=None,
                          year_to=None, metric="budget.execution_rate_pct", year=None)
    finally:
        con.close()


def test_seed_database_districts_coloured_by_their_values(seed_units):
    result = maps.unit_map(seed_units, "预算执行率", 2022)
    fig = result.figure
    # the four departments' overall reports; 白云区's report is a project's, not on the map
    assert dict(zip(result.placed["department_key"], result.placed["adcode"])) == {
        "广州市天河区信访局": "440106", "广州市从化区信访局": "440117", "昆明市盘龙区信访局": "530103",
        "深圳市盐田区信访局": "440308"}
    assert result.unplaced.is_empty()
    assert values_of(fig, "预算执行率") == {"440106": 94.01, "440117": 100.0, "530103": 99.8}
    assert_outlines_hold_landmarks(fig)
    hover = areas_of(fig, "预算执行率")
    assert "广州市天河区信访局" in hover["440106"] and "2022 年" in hover["440106"]
    assert "94.01%" in hover["440106"] and "出处：" in hover["440106"]
    assert "99.80%（※推算）" in hover["530103"]     # computed from actual ÷ adjusted, and says so
    # 盐田区 reported 2023 only: in view, grey, 未披露 for 2022
    grey = areas_of(fig, maps.MISSING)
    assert set(grey) == {"440308"} and "未披露（该年无报告）" in grey["440308"]
    # two provinces in view: the provinces are the context, framed on them
    assert result.scope == "广东省、云南省"
    assert set(areas_of(fig, "context")) == {"440000", "530000"}
    assert maps.BOUNDARY_SOURCE in [a.text for a in fig.layout.annotations]


def test_seed_latest_year_by_default_and_one_city(seed_units):
    latest = maps.unit_map(seed_units, "预算执行率")
    assert latest.year == 2023
    assert values_of(latest.figure, "预算执行率") == {"440308": 99.59}
    guangzhou = maps.unit_map(seed_units.filter(pl.col("city") == "广州市"), "预算执行率", 2022)
    assert guangzhou.scope == "广州市"
    context = areas_of(guangzhou.figure, "context")
    # the other districts of 广州, and only those
    assert context and all(code.startswith("4401") for code in context)
    assert "440106" not in context and "440111" in context         # 白云区 is context here
    assert context["440111"] == "白云区 · 不在筛选范围内"
    assert guangzhou.figure.layout.title.text == "2022 年预算执行率 · 广州市"


def test_the_year_drawn_is_a_row_per_unit_and_draws_the_same_map(seed_db, seed_units):
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        one_year = queries.run(con, "map.units", province=None, city=None, departments=None, year_from=None,
                               year_to=None, metric="budget.execution_rate_pct", year=2022)
    finally:
        con.close()
    # 天河, 从化 and 盘龙 of 2022 with their rates; 盐田 has no 2022 report: its 2023 report places it, no value
    assert one_year.select("department_key", "year", "value").rows() == [
        ("广州市从化区信访局", 2022, 100.0), ("广州市天河区信访局", 2022, 94.01), ("昆明市盘龙区信访局", 2022, 99.8),
        ("深圳市盐田区信访局", 2023, None)]
    drawn, every_year = maps.unit_map(one_year, "预算执行率", 2022), maps.unit_map(seed_units, "预算执行率", 2022)
    assert values_of(drawn.figure, "预算执行率") == values_of(every_year.figure, "预算执行率")
    assert set(areas_of(drawn.figure, maps.MISSING)) == {"440308"}


def test_one_city_synthetic_grey_unplaced_and_listed():
    result = maps.unit_map(KUNMING, "满意度")
    fig = result.figure
    assert result.scope == "昆明市" and result.year == 2023
    assert values_of(fig, "满意度") == {"530103": 88.5, "530102": 92.25, "530111": 97.0}
    grey = areas_of(fig, maps.MISSING)
    assert set(grey) == {"530112"}
    assert "昆明市西山区信访局" in grey["530112"] and "满意度：<b>未披露</b>" in grey["530112"]
    assert "昆明市盘龙区" in areas_of(fig, "满意度")["530103"] and "88.50%" in areas_of(fig, "满意度")["530103"]
    assert_outlines_hold_landmarks(fig)
    # the rest of 昆明's districts outlined, nothing outside 昆明
    context = areas_of(fig, "context")
    assert len(context) == 10 and all(code.startswith("5301") for code in context)
    reasons = dict(zip(result.unplaced["department_key"], result.unplaced["reason"]))
    assert set(reasons) == {"昆明市信访局", "示例一市样二区信访局", "某信访局"}
    assert reasons["昆明市信访局"].startswith("市级单位")
    assert reasons["示例一市样二区信访局"] == "边界数据中没有“示例一省”"
    assert reasons["某信访局"] == "报告未写明所在地区"
    assert maps.BOUNDARY_SOURCE in [a.text for a in fig.layout.annotations]


def test_a_unit_without_a_report_that_year_is_grey_not_dropped():
    two_years = pl.concat([
        KUNMING.head(3).with_columns(year=pl.lit(2022, pl.Int64), value=pl.lit(80.0)),
        KUNMING.head(2),       # 官渡区 has no 2023 report
    ])
    result = maps.unit_map(two_years, "满意度")
    assert result.year == 2023
    assert values_of(result.figure, "满意度") == {"530103": 88.5, "530102": 92.25}
    assert "未披露（该年无报告）" in areas_of(result.figure, maps.MISSING)["530111"]
    earlier = maps.unit_map(two_years, "满意度", 2022)
    assert values_of(earlier.figure, "满意度") == {"530103": 80.0, "530102": 80.0, "530111": 80.0}
    with pytest.raises(ValueError, match="one per unit and year"):
        maps.unit_map(pl.concat([KUNMING.head(1), KUNMING.head(1)]), "满意度")


def test_several_units_in_one_district_share_it_and_say_so():
    units = frame([
        dict(department_key="广州市天河区信访局", province="广东省", city="广州市", district="天河区", value=90.0),
        dict(department_key="广州市天河区教育局", province="广东省", city="广州市", district="天河区", value=96.0),
        dict(department_key="广州市海珠区信访局", province="广东省", city="广州市", district="海珠区", value=99.0),
    ])
    fig = maps.unit_map(units, "满意度").figure
    assert values_of(fig, "满意度") == {"440106": 93.0, "440105": 99.0}
    hover = areas_of(fig, "满意度")["440106"]
    assert "广州市天河区信访局：<b>90.00%</b>" in hover and "广州市天河区教育局：<b>96.00%</b>" in hover
    assert "中位数（※推算）" in hover


def test_renamed_places_homonyms_and_province_scope():
    units = frame([
        # renamed since the gazetteer's data: 武隆县 → 武隆区 (500156), 邢台 桥东区 → 襄都区 (130502)
        dict(department_key="重庆市武隆县信访局", province="重庆市", city="重庆市", district="武隆县", value=1.0),
        dict(department_key="邢台市桥东区信访局", province="河北省", city="邢台市", district="桥东区", value=2.0),
        # 白云区 is in 广州 and in 贵阳: without its city it cannot be placed
        dict(department_key="白云区信访局", district="白云区", value=3.0),
    ])
    result = maps.unit_map(units, "信访总量")
    assert dict(zip(result.placed["department_key"], result.placed["adcode"])) == {
        "重庆市武隆县信访局": "500156", "邢台市桥东区信访局": "130502"}
    assert result.unplaced.row(0, named=True)["reason"] == "区县名“白云区”有重名，报告未写明所在城市"
    # two districts of one province's different cities: the province's counties, city borders drawn
    hebei = maps.unit_map(frame([
        dict(department_key="邢台市桥东区信访局", province="河北省", city="邢台市", district="桥东区", value=2.0),
        dict(department_key="石家庄市长安区信访局", province="河北省", city="石家庄市", district="长安区", value=4.0),
    ]), "信访总量")
    assert hebei.scope == "河北省"
    context = areas_of(hebei.figure, "context")
    assert len(context) > 150 and all(code.startswith("13") for code in context)
    assert traces(hebei.figure, "outline")


def test_a_municipality_is_one_city():
    beijing = maps.unit_map(frame([
        dict(department_key="北京市东城区信访局", province="北京市", city="北京市", district="东城区", value=91.0),
        dict(department_key="北京市海淀区信访局", province="北京市", city="北京市", district="海淀区", value=95.0),
        dict(department_key="北京市信访局", province="北京市", city="北京市", value=93.0),
    ]), "满意度")
    assert beijing.scope == "北京市"
    assert values_of(beijing.figure, "满意度") == {"110101": 91.0, "110108": 95.0}
    context = areas_of(beijing.figure, "context")
    assert len(context) == 14 and all(code.startswith("11") for code in context)
    assert "北京市东城区" in areas_of(beijing.figure, "满意度")["110101"]
    assert beijing.unplaced["department_key"].to_list() == ["北京市信访局"]
    # the municipal bureau alone is drawn as the whole municipality
    alone = maps.unit_map(frame([dict(department_key="北京市信访局", province="北京市", city="北京市", value=93.0)]),
                          "满意度")
    assert values_of(alone.figure, "满意度") == {"110000": 93.0} and alone.unplaced.is_empty()
    assert alone.figure.layout.coloraxis.showscale is False      # no colour bar for a single value
    assert beijing.figure.layout.coloraxis.showscale is True


def test_nothing_placeable_gives_a_message_and_the_list():
    fictional = frame([dict(department_key=f"示例一市样{n}区信访局", province="示例一省", city="示例一市",
                            district=f"样{n}区", value=float(i)) for i, n in enumerate("一二三")])
    result = maps.unit_map(fictional, "满意度")
    assert result.unplaced.height == 3 and result.placed.is_empty()
    assert "3 个单位无法定位，原因见列表" in result.figure.layout.annotations[0].text
    assert set(result.unplaced["reason"]) == {"边界数据中没有“示例一省”"}


def test_phone_layout_colour_bar_and_key_below_the_map():
    fig = maps.unit_map(KUNMING, "满意度").figure
    bottom = fig.layout.geo.domain.y[0]
    bar = fig.layout.coloraxis.colorbar
    assert bar.orientation == "h" and bar.y <= bottom and bar.yanchor == "top"
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y <= bottom
    assert fig.layout.annotations[0].y == 0 and fig.layout.annotations[0].yanchor == "bottom"
    assert fig.layout.dragmode is False      # a finger scrolling the page does not pan the map


def test_a_figure_builds_fast_once_boundaries_are_loaded():
    maps.warm()
    guangdong = frame([dict(department_key=f"{c}{d}信访局", province="广东省", city=c, district=d, value=v)
                       for c, d, v in (("广州市", "天河区", 1.0), ("深圳市", "盐田区", 2.0), ("韶关市", "乐昌市", 3.0))])
    maps.unit_map(guangdong, "满意度")      # first figure of this province simplifies its outlines
    for units in (guangdong, KUNMING):
        best = min(_timed(units) for _ in range(3))
        assert best < 0.3, f"{best:.3f} s"


def _timed(units) -> float:
    start = time.perf_counter()
    maps.unit_map(units, "满意度")
    return time.perf_counter() - start


@needs_chromium
def test_rendered_png_shows_colours_grey_and_fits_a_phone():
    """Drawn by kaleido offline (no topojson fetched from the web), 390 px wide as on a phone."""
    fig = maps.unit_map(KUNMING, "满意度").figure
    image = render(fig, "map_kunming_390.png")
    assert image.size == (780, fig.layout.height * 2)
    assert has_colour(image, maps.NO_DATA_GREY, 2000)                 # 西山区, grey
    assert has_colour(image, maps.CONTEXT_FILL, 2000)                 # the rest of 昆明
    wide = render(fig, "map_kunming_1000.png", 1000)
    assert has_colour(wide, maps.NO_DATA_GREY, 2000)


@needs_chromium
def test_rendered_seed_map_and_brief_export(seed_units):
    result = maps.unit_map(seed_units, "预算执行率", 2022)
    image = render(result.figure, "map_seed_2022_390.png")
    assert has_colour(image, maps.NO_DATA_GREY, 50)                   # 盐田区's dot
    province = maps.unit_map(seed_units.filter(pl.col("province") == "广东省"), "预算执行率", 2022)
    render(province.figure, "map_seed_guangdong_390.png")
    png = images.chart_image(result.figure, "png", ["广州市天河区信访局 2022 年"])
    (ARTIFACTS / "map_seed_2022_brief.png").write_bytes(png)
    assert Image.open(ARTIFACTS / "map_seed_2022_brief.png").size == (2000, 1120)


@needs_chromium
def test_in_a_browser_offline_hover_shows_the_value(tmp_path):
    """The figure as plotly.js draws it in Chromium at 390 × 844 with every request but
    the page itself refused: no topojson or tiles are fetched, each area is a path, and
    hovering 官渡区 shows its unit, year and value."""
    from playwright.sync_api import sync_playwright

    from conftest import LAUNCH_ARGS

    fig = maps.unit_map(KUNMING, "满意度").figure
    page_file = tmp_path / "map.html"
    page_file.write_text(fig.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=images.browser_path(), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else (outside.append(route.request.url), route.abort()))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".choroplethlocation")
            paths = page.evaluate("""Array.from(document.querySelectorAll('.choroplethlocation')).map(e => {
                const b = e.getBoundingClientRect();
                return [getComputedStyle(e).fill, b.x, b.y, b.width, b.height]; })""")
            assert len(paths) == 14                      # 昆明's 14 districts and counties
            dark = "rgb(%d, %d, %d)" % tuple(int(maps.COLORSCALE[-1][1][i:i + 2], 16) for i in (1, 3, 5))
            grey = "rgb(%d, %d, %d)" % tuple(int(maps.NO_DATA_GREY[i:i + 2], 16) for i in (1, 3, 5))
            assert [p[0] for p in paths].count(grey) == 1
            _, x, y, w, h = next(p for p in paths if p[0] == dark)     # 官渡区, the highest value
            page.mouse.move(x + w * 0.6, y + h * 0.4)
            page.wait_for_timeout(300)
            hover = page.evaluate("document.querySelector('.hoverlayer').textContent")
            page.screenshot(path=str(ARTIFACTS / "map_kunming_browser_390.png"))
        finally:
            browser.close()
    assert outside == []
    assert "昆明市官渡区信访局" in hover and "2023 年" in hover and "97.00%" in hover
