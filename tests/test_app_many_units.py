"""The chart pages with more units than components.MAX_UNITS (a province, the whole country):
SQL (queries/ranked/edges.sql) ranks and counts one year's units, the pages fetch only the
units they draw, the distribution is binned counts, the detail lists the drawn units. Run
through AppTest on a synthetic database of 300 units, checked against v_metrics."""
from __future__ import annotations

import json
import statistics

import pytest

from test_app import shown, table_rows

EDGE, HIGHLIGHT, BINS = 10, "#8b5cf6", 20


@pytest.fixture(scope="module")
def units300(tmp_path_factory):
    from conftest import perfboard_cli
    work = tmp_path_factory.mktemp("charts300")
    perfboard_cli("synth", "--departments", "300", "--years", "1", "--out", str(work / "corpus"))
    perfboard_cli("ingest", str(work / "corpus"), "--db", str(work / "units300.duckdb"))
    return work / "units300.duckdb"


def truth(path, metric: str, year: int, kind: str = "department_overall", subjects: bool = False):
    """(department_key, value) of every primary report of `year` that disclosed `metric`, highest first
    (ties by key, as the page ranks), and how many such reports there are in all."""
    import duckdb
    con = duckdb.connect(str(path), read_only=True)
    try:
        values = con.sql(
            "SELECT r.department_key, m.value FROM v_metrics m JOIN v_reports r USING (report_id) "
            "WHERE r.is_primary AND r.report_kind = $kind AND r.year = $year AND m.metric = $metric "
            "AND m.value IS NOT NULL AND (m.subject IS NOT NULL) = $subjects ORDER BY m.value DESC, r.department_key",
            params={"kind": kind, "year": year, "metric": metric, "subjects": subjects}).fetchall()
        [(reports,)] = con.sql("SELECT count(*) FROM v_reports WHERE is_primary AND report_kind = $kind "
                               "AND year = $year", params={"kind": kind, "year": year}).fetchall()
    finally:
        con.close()
    return values, reports


def figure(at, title: str) -> dict:
    [found] = [f for f in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
               if f["layout"].get("title", {}).get("text") == title]
    return found


def subtitle(fig: dict) -> str:
    return fig["layout"]["title"]["subtitle"]["text"].replace("<br>", "")


def test_300_units_budget_draws_the_top_the_counts_and_the_spread_from_sql(units300, monkeypatch, dashboard):
    monkeypatch.setenv("PERFBOARD_DB", str(units300))
    at = dashboard("budget")
    year = at.selectbox(key="chart_year").value
    rates, reports = truth(units300, "budget.execution_rate_pct", year)
    assert len(rates) >= 100 and reports == len(rates)      # enough for a distribution; every unit disclosed it
    bars = figure(at, f"{year} 年预算执行率")
    top = bars["data"][0]
    assert top["x"][:EDGE] == [v for _, v in rates[:EDGE]] and top["x"][EDGE + 1:EDGE + 1 + EDGE] == [
        v for _, v in rates[-EDGE:]]
    assert top["customdata"][0][0] == rates[0][0]             # the highest unit, named in its hover
    assert top["customdata"][0][4] not in ("", "（无出处）")     # with the sentence it came from
    rest = rates[EDGE:-EDGE]
    assert top["y"][EDGE] == f"其余 {len(rest)} 个单位（中位数）"
    assert top["x"][EDGE] == pytest.approx(statistics.median(v for _, v in rest))
    assert f"{reports} 个单位；列出最高 10 个与最低 10 个，其余 {len(rest)} 个以中位数表示" in subtitle(bars)
    # the spread: binned counts of every unit, not a point per unit
    spread = figure(at, f"{year} 年预算执行率的分布")
    [histogram] = spread["data"]
    assert histogram["type"] == "bar" and len(histogram["y"]) == BINS and sum(histogram["y"]) == len(rates)
    assert f"{len(rates)} 个单位的分布" in subtitle(spread)
    # the detail: the drawn units only, saying how many there are and where the rest is
    assert f"所选范围内共 300 个单位：明细只列 {year} 年图中画出的" in shown(at)
    assert len({r["单位"] for r in table_rows(at)}) < reports

    # 我的单位 from the middle: where it ranks in the bars, and marked in the spread
    rank = len(rates) // 2
    mine, value = rates[rank - 1]
    at.multiselect(key="p_mine").select(mine).run()
    assert not at.exception
    top = figure(at, f"{year} 年预算执行率")["data"][0]
    [at_rank] = [i for i, y in enumerate(top["y"]) if y == f"<b>第{rank}名 {mine}</b>"]
    assert top["x"][at_rank] == value and top["marker"]["color"][at_rank] == HIGHLIGHT
    assert f"其余 {len(rest) - 1} 个单位（中位数）" in top["y"]
    [_, marked] = figure(at, f"{year} 年预算执行率的分布")["data"]
    assert marked["x"] == [value] and marked["marker"]["color"] == HIGHLIGHT
    assert marked["customdata"][0][0] == mine                 # its hover names it and its source
    assert mine in {r["单位"] for r in table_rows(at)}


@pytest.mark.parametrize("page, metric, title, subjects", [
    ("scores", "score.total", "年绩效自评得分", False),
    ("petitions", "petitions.total", "年信访总量", False),
    ("satisfaction", "satisfaction.satisfaction_pct", "年满意度", True)])
def test_300_units_every_chart_page_ranks_the_year_in_sql(units300, monkeypatch, dashboard, page, metric, title,
                                                          subjects):
    monkeypatch.setenv("PERFBOARD_DB", str(units300))
    at = dashboard(page)
    year = at.selectbox(key="chart_year").value
    values, reports = truth(units300, metric, year, subjects=subjects)
    bars = figure(at, f"{year} {title}")
    top = bars["data"][0]
    assert top["x"][:EDGE] == [v for _, v in values[:EDGE]]
    assert [c[0] for c in top["customdata"][:3]] == [k for k, _ in values[:3]]
    assert f"其余 {len(values) - 2 * EDGE} 个单位（中位数）" in top["y"]
    if not subjects:  # (满意度 ranks a unit per rated subject)
        silent = reports - len(values)
        assert silent > 0 and f"{reports} 个单位，其中 {silent} 个未披露" in subtitle(bars)
        # the units that did not disclose it: one counted row without a bar, never a 0
        assert top["y"][-1] == f"另有 {silent} 个单位" and top["x"][-1] is None
    assert "明细只列" in shown(at)


def test_the_ranked_query_returns_a_bounded_number_of_rows(units300):
    from perfboard import db, queries
    con = db.connect_read(str(units300))
    try:
        [year] = queries.run(con, "filters.years", province=None, city=None, departments=None, year_from=None,
                             year_to=None, kind=None, metric="budget.execution_rate_pct")["year"].to_list()
        metrics = ["budget.execution_rate_pct", "budget.adjustment_rate_pct"]
        scope = dict(province=None, city=None, departments=None, kind=None)
        edges = queries.run(con, "ranked.edges", **scope, year=year, metrics=metrics, mine=None, subjects=False,
                            edge=EDGE, show_all=25, bins=BINS)
        # per metric and kind: the highest and lowest EDGE, whatever the number of units
        assert edges.height == len(metrics) * 2 * 2 * EDGE
        rates, reports = truth(units300, "budget.execution_rate_pct", year)
        first = edges.filter((edges["metric"] == metrics[0]) & (edges["report_kind"] == "department_overall")).row(
            0, named=True)
        assert (first["department_key"], first["rank"], first["n"]) == (rates[0][0], 1, len(rates))
        assert first["silent"] == reports - len(rates) and sum(first["bins"]) == len(rates)
        assert first["p50"] == pytest.approx(statistics.median(v for _, v in rates))
        # 我的单位 ranks where it is, beside the edges
        middle = rates[len(rates) // 2][0]
        picked = queries.run(con, "ranked.edges", **scope, year=year, metrics=metrics[:1], mine=[middle],
                             subjects=False, edge=EDGE, show_all=25, bins=BINS)
        assert picked.filter(picked["department_key"] == middle)["rank"].to_list() == [len(rates) // 2 + 1]
        # the page's own query for the drawn units: a bounded share of the year's rows
        keys = sorted(set(edges["department_key"].to_list()))
        drawn = queries.run(con, "budget.figures_by_report", **dict(scope, departments=keys), year_from=year,
                            year_to=year, max_units=None)
        whole = queries.run(con, "budget.figures_by_report", **scope, year_from=year, year_to=year, max_units=None)
        assert drawn["department_key"].n_unique() == len(keys) <= len(metrics) * 2 * 2 * EDGE < whole[
            "department_key"].n_unique()
    finally:
        con.close()
