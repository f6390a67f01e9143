"""Every named query of the dashboard runs on the seed database and returns the real
numbers of the bundled reports; filters arrive as bound parameters."""
from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest

from conftest import ENTRY, ROOT, ROUTER
from perfboard import queries
from perfboard.present.format import METRICS

WRITES = ("load.", "review.", "db.", "backup.",  # statements that write or open files, not queries of data
          "lake.")  # DuckLake statements (DuckDB 1.5.5 only): tests/test_lake_postgres.py runs them
READS = sorted(name for name in queries.registry() if not name.startswith(WRITES))

TIANHE, CONGHUA, BAIYUN, PANLONG, YANTIAN = (
    "广州市天河区信访局", "广州市从化区信访局", "广州市白云区信访局", "昆明市盘龙区信访局", "深圳市盐田区信访局")
NO_FILTER = dict(province=None, city=None, departments=None, year_from=None, year_to=None, kind=None,
                 metrics=None, search=None, max_units=None, limit=None, unit_kind="department_overall",
                 rank_by="score.total", descending=True, year=None, metric=None)
# parameters a query needs a real value for; every other parameter is NULL (= no restriction)
SAMPLES = {"department_key": BAIYUN, "departments": [PANLONG, TIANHE], "unit_kind": "department_overall",
           "rank_by": "score.total", "descending": True}
SEED_UNITS = {TIANHE, CONGHUA, BAIYUN, PANLONG, YANTIAN}
# the dashboard's own areas, where the seed database has rows for every query
DASHBOARD_AREAS = ("filters.", "overview.", "budget.", "petitions.", "satisfaction.", "scores.", "department.",
                   "compare.", "data.")


@pytest.fixture(scope="module")
def con(seed_db):
    connection = duckdb.connect(str(seed_db), read_only=True)
    yield connection.cursor()
    connection.close()


def run(con, name, **params) -> pl.DataFrame:
    return queries.run(con, name, **{**NO_FILTER, **params})


def one(df: pl.DataFrame, **equal) -> dict:
    rows = df.filter(pl.all_horizontal(pl.col(k) == v for k, v in equal.items())).to_dicts()
    assert len(rows) == 1, (equal, rows)
    return rows[0]


@pytest.mark.parametrize("name", READS)
def test_every_read_query_runs_with_default_parameters(con, name):
    query = queries.get(name)
    params = {p: SAMPLES.get(p) for p in query.params}
    if name.startswith("compare."):
        params["departments"] = SAMPLES["departments"]
    if name == "overview.ranking_bars":  # a bar per unit that states the metric: 盘龙 and 天河 state no score
        params["rank_by"] = "petitions.total"
    df = queries.run(con, name, **params)
    assert isinstance(df, pl.DataFrame)
    if name.startswith(DASHBOARD_AREAS) and not name.endswith("pending_files"):
        assert df.height > 0, f"{name} returned nothing on the seed database"
    # whatever a query returns is of the seed database: its departments, the catalogue's
    # metrics with the catalogue's units, rates and scores within 0–100, no negative amounts
    # (a computed change may be negative)
    if "department_key" in df.columns:
        assert set(df["department_key"].drop_nulls()) <= SEED_UNITS, name
    if "metric" in df.columns:
        assert set(df["metric"].drop_nulls()) <= set(METRICS), name
        if "unit" in df.columns:
            for metric, unit in df.select("metric", "unit").drop_nulls().unique().iter_rows():
                assert unit == METRICS[metric].unit, (name, metric, unit)
        if "value" in df.columns and df.schema["value"].is_numeric():
            for metric, value in df.select("metric", "value").drop_nulls().iter_rows():
                if METRICS[metric].computed:  # 预算调整率 is negative when the budget was cut
                    continue
                assert value >= 0 and (METRICS[metric].unit not in ("%", "分") or value <= 100), (name, metric, value)


@pytest.mark.parametrize("name", READS)
def test_every_query_file_says_what_it_returns_and_holds_one_statement(name):
    query = queries.get(name)
    assert query.doc, f"{name}: start the file with a -- comment saying what it returns"
    body = "\n".join(line.split("--", 1)[0] for line in query.sql.splitlines())
    assert ";" not in body, f"{name}: one statement per file"


def test_budget_real_values(con):
    budget = run(con, "budget.figures_by_report")
    assert one(budget, department_key=TIANHE, year=2022, metric="budget.execution_rate_pct")["value"] == 94.01
    assert one(budget, department_key=TIANHE, metric="budget.adjustment_rate_pct")["value"] == -7.29
    assert one(budget, department_key=PANLONG, metric="budget.actual_wan")["value"] == 284.63
    rate = one(budget, department_key=PANLONG, metric="budget.execution_rate_pct")
    assert (rate["value"], rate["derived"]) == (99.8, True)
    assert rate["source_snippet"]
    # not disclosed: a row with no value, never 0
    assert one(budget, department_key=CONGHUA, metric="budget.initial_wan")["value"] is None
    assert one(budget, department_key=BAIYUN, metric="budget.actual_wan")["report_kind"] == "project"


def test_scores_and_grades(con):
    scores = run(con, "scores.by_department_year")
    baiyun = one(scores, department_key=BAIYUN, year=2023)
    assert (baiyun["value"], baiyun["score_grade"], baiyun["report_kind"]) == (99.87, "优", "project")
    assert one(scores, department_key=TIANHE)["value"] is None
    grades = run(con, "scores.grade_distribution")
    assert one(grades, score_grade="优", report_kind="project")["reports"] == 1
    assert one(grades, score_grade="优", report_kind="department_overall")["reports"] == 1


def test_petitions_partial_period_and_quoted_prior_year(con):
    petitions = run(con, "petitions.channels")
    total = one(petitions, department_key=PANLONG, metric="petitions.total")
    assert (total["value"], total["period_start"], total["period_end"]) == (2371, "01-01", "10-31")
    assert one(petitions, department_key=PANLONG, metric="petitions.prior_year_total")["value"] == 1676
    assert one(petitions, department_key=TIANHE, metric="petitions.online")["value"] == 12313
    assert one(petitions, department_key=CONGHUA, metric="petitions.total")["value"] is None


def test_satisfaction_per_subject(con):
    sat = run(con, "satisfaction.by_subject")
    assert one(sat, department_key=CONGHUA, subject="群众", metric="satisfaction.satisfaction_pct")["value"] == 98.77
    assert one(sat, department_key=PANLONG, subject="责任单位", metric="satisfaction.participation_pct")["value"] == 45.93
    assert one(sat, department_key=BAIYUN, metric="satisfaction.target_pct")["value"] == 90
    # a report without satisfaction figures still has its (empty) row
    assert sat.filter(pl.col("department_key") == TIANHE)["value"].null_count() == 3


def test_overview_latest_numbers_and_changes(con):
    latest = run(con, "overview.cards")
    assert one(latest, department_key=YANTIAN, metric="budget.execution_rate_pct")["value"] == 99.59
    total = one(latest, department_key=PANLONG, metric="petitions.total")
    assert (total["value"], total["prior_value"], total["prior_basis"]) == (2371, 1676, "本报告引述的上年同期数")
    assert set(latest["units"]) == {5}  # four departments' overall reports and 白云's project
    changes = run(con, "overview.changes")
    change = one(changes, department_key=PANLONG, metric="petitions.total")
    assert change["change"] == 695 and round(change["change_pct"], 2) == 41.47


def test_overview_cards_are_the_first_units_by_name(con):
    first = run(con, "overview.cards", limit=2)
    # overall reports first, then projects; by key within each
    assert first["department_key"].unique(maintain_order=True).to_list() == [CONGHUA, TIANHE]
    assert set(first["units"]) == {5}
    # more units than cards: 总览 draws no card, so their numbers are not fetched; with room for all, they are
    assert first["metric"].is_null().all() and first.height == 2
    five = run(con, "overview.cards", limit=5)
    assert one(five, department_key=YANTIAN, metric="budget.execution_rate_pct")["value"] == 99.59


def test_overview_ranking_is_ranked_in_sql_and_cut_after_the_first_units(con):
    def units(**params):
        return run(con, "overview.ranking", **params)["department_key"].unique(maintain_order=True).to_list()
    # 自评得分 of the overall reports: 从化 95.5, 盐田 94.92; 天河 and 盘龙 did not state one, so they
    # come last, by key (白云's 99.87 is a project's: ranked on its own)
    assert units() == [CONGHUA, YANTIAN, TIANHE, PANLONG]
    assert units(limit=2) == [CONGHUA, YANTIAN]
    assert units(descending=False) == [YANTIAN, CONGHUA, TIANHE, PANLONG]
    rates = run(con, "overview.ranking", rank_by="budget.execution_rate_pct")
    rates = rates.filter(pl.col("metric") == "budget.execution_rate_pct")["value"].to_list()
    assert rates == sorted(rates, reverse=True) and 94.01 in rates
    assert set(run(con, "overview.ranking", limit=2)["units"]) == {4}
    assert units(unit_kind="project") == [BAIYUN]


@pytest.mark.parametrize("filters,expected", [
    (dict(province="云南省"), {PANLONG}),
    (dict(city="深圳市"), {YANTIAN}),
    (dict(departments=[TIANHE, CONGHUA]), {TIANHE, CONGHUA}),
    (dict(year_from=2023), {BAIYUN, YANTIAN}),
    (dict(year_to=2022), {TIANHE, CONGHUA, PANLONG}),
    (dict(kind="project"), {BAIYUN}),
    (dict(province="云南省", kind="project"), set()),
])
def test_filters_are_bound_parameters(con, filters, expected):
    for name in ("filters.departments", "overview.cards", "overview.ranking", "overview.changes", "budget.figures_by_report", "petitions.channels",
                 "satisfaction.by_subject", "scores.by_department_year", "data.reports", "data.numbers_with_sources"):
        assert set(run(con, name, **filters)["department_key"].to_list()) <= expected | set(), name
    assert set(run(con, "filters.departments", **filters)["department_key"].to_list()) == expected


def test_a_filter_value_is_data_not_sql(con):
    assert run(con, "budget.figures_by_report", province="广东省' OR '1'='1").is_empty()


def test_department_profile(con):
    numbers = run(con, "department.numbers_with_sources", department_key=PANLONG)
    assert one(numbers, metric="budget.actual_wan")["value"] == 284.63
    assert numbers["source_snippet"].null_count() == 0
    reports = run(con, "department.reports", department_key=PANLONG)
    assert "财政业务政策" in reports["problems"][0]
    indicators = run(con, "department.indicators", department_key=BAIYUN)
    assert indicators.height == 9 and "区领导重点约访" in indicators["level3"].to_list()


def test_compare_side_by_side(con):
    rows = run(con, "compare.figures_by_unit_year", departments=[TIANHE, PANLONG], metrics=None)
    assert set(rows["department_key"]) == {TIANHE, PANLONG}
    assert one(rows, department_key=TIANHE, metric="budget.execution_rate_pct")["value"] == 94.01
    satisfaction = one(rows, department_key=PANLONG, metric="satisfaction.satisfaction_pct")
    assert satisfaction["value"] == 82.94 and satisfaction["rated_subject"] == "信访部门"
    picked = run(con, "compare.figures_by_unit_year", departments=[TIANHE, PANLONG], metrics=["petitions.online"])
    assert set(picked["metric"]) == {"petitions.online"}


def test_data_tables(con):
    reports = run(con, "data.reports")
    assert reports.height == 5
    panlong = one(reports, department_key=PANLONG)
    assert (panlong["period_start"], panlong["period_end"]) == ("01-01", "10-31")
    assert one(reports, department_key=TIANHE)["metrics"] == 8
    found = run(con, "data.numbers_with_sources", metrics=None, search="人民网")
    assert set(found["department_key"]) == {PANLONG}
    only = run(con, "data.numbers_with_sources", metrics=["score.total"], search=None)
    assert sorted(only["value"].to_list()) == [94.92, 95.5, 99.87]
    assert "budget.execution_rate_pct" in run(con, "data.metric_names")["metric"].to_list()


def test_pages_hold_no_sql():
    pattern = re.compile(r"^\s*[^#]*\b(select|insert|update|delete)\b.+\bfrom\b", re.IGNORECASE | re.MULTILINE)
    for page in sorted((ROOT / "pages").glob("*.py")):
        assert not pattern.search(page.read_text(encoding="utf-8")), page.name
    assert not pattern.search(ROUTER.read_text(encoding="utf-8"))


def test_overview_yearly_trend_medians_and_whole_year_sums(con):
    df = run(con, "overview.yearly_trend")
    got = {(r["year"], r["metric"]): (r["value"], r["n"]) for r in df.iter_rows(named=True)}
    # 2022: 天河 94.01, 从化 100.0, 盘龙 99.8 (derived) → median 99.8
    assert got[(2022, "budget.execution_rate_pct")] == (99.8, 3)
    # 盘龙's 2,371 covers 1–10月 only: not added to 天河's whole-year 16,992
    assert got[(2022, "petitions.total")] == (16992, 1)
    # 2023: only 盐田 is a whole-department report (白云 is a project evaluation)
    assert got[(2023, "score.total")] == (94.92, 1)


def test_max_units_keeps_charts_of_departments_small(con):
    df = run(con, "budget.figures_by_report", max_units=2)
    assert sorted(df["department_key"].unique().to_list()) == ["广州市从化区信访局", "广州市天河区信访局"]
    assert run(con, "budget.figures_by_report")["department_key"].n_unique() == 5


def test_data_metrics_limit_and_total(con):
    df = run(con, "data.numbers_with_sources", limit=3)
    assert df.height == 3 and df["total"][0] == run(con, "data.numbers_with_sources").height


CALLS = ("run", "execute", "deferred", "get")  # queries.run(con, name) · data.run(name) · data.deferred(name) …
# areas run as a whole by name: the validation rules (perfboard/checks.py runs every checks.*)
RUN_BY_AREA = {"checks.": ROOT / "perfboard" / "checks.py",
               "db.storage_bench.": ROOT / "perfboard" / "bench_storage.py"}  # the storage benchmark's steps
# where a query name may be a variable: the dashboard's read path itself, the rules above, the
# Parquet export's view → query table, the benchmark that times every read query, and the
# storage benchmark's harness (queries/db/storage_bench/, run by step name), the lake's page runs
NAMES_FROM_DATA = {"perfboard/ui/data.py", "perfboard/checks.py", "perfboard/export/parquet.py", "perfboard/bench.py",
                   "perfboard/bench_storage.py",
                   "perfboard/lake.py"}  # the lake's dashboard process runs the pages' queries by name (lake.PAGE)


def _code_files():
    return [*(ROOT / "perfboard").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ENTRY, ROUTER]


def test_every_query_name_in_code_exists_and_every_query_file_has_a_caller():
    import ast
    known = set(queries.registry())
    mentioned: set[str] = set()
    for path in _code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known:
                mentioned.add(node.value)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in CALLS and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("queries", "data")):
                continue
            # data.run(name, …) / data.deferred(name, …) / queries.get(name); queries.run(con, name, …)
            position = 1 if node.func.value.id == "queries" and node.func.attr != "get" else 0
            if len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant):
                assert arg.value in known, f"{path.name}:{node.lineno}: no query named {arg.value!r}"
            else:
                assert path.relative_to(ROOT).as_posix() in NAMES_FROM_DATA, \
                    f"{path.name}:{node.lineno}: write the query name as a literal, so a search finds the caller"
    for prefix, caller in RUN_BY_AREA.items():
        assert f'"{prefix}' in caller.read_text(encoding="utf-8") or f"f\"{prefix}" in caller.read_text(encoding="utf-8")
        mentioned |= {name for name in known if name.startswith(prefix)}
    assert sorted(known - mentioned) == [], "query files nothing calls"


def test_overview_ranking_of_one_year_and_its_years(con):
    one_year = run(con, "overview.ranking", rank_by="petitions.total", year=2022)
    assert one_year["department_key"].unique(maintain_order=True).to_list() == [TIANHE, PANLONG, CONGHUA]
    assert set(one_year["year"]) == {2022} and set(one_year["units"]) == {3}
    panlong = one(one_year, department_key=PANLONG, metric="petitions.total")
    assert (panlong["value"], panlong["prior_value"], panlong["prior_basis"]) == (2371, 1676, "本报告引述的上年同期数")
    years = run(con, "filters.years", metric="score.total")
    assert years.rows() == [(2023, 2, 2), (2022, 3, 1)]     # 2023: 盐田 and 白云's project; 2022: 从化's score


def test_freshness_counts_the_stored_reports_and_their_years(con):
    [row] = run(con, "data.freshness").to_dicts()
    assert (row["reports"], row["units"], row["years"]) == (5, 5, [2022, 2023])
    assert row["latest_import"] is not None


def test_the_trend_band_is_the_spread_of_each_year_s_whole_department_figures(con):
    # 信访总量 of 2022: 天河区 16992 and 盘龙区 2371 (从化区 does not state it); linear quantiles
    [row] = run(con, "trend.band", metric="petitions.total").to_dicts()
    assert row == dict(year=2022, metric="petitions.total", p25=6026.25, p50=9681.5, p75=13336.75, n=2, units=2)
    scores = run(con, "trend.band", metric="score.total")
    # 从化区 95.5 in 2022, 盐田区 94.92 in 2023; 白云区's project score (99.87) is not a department's
    assert scores.select("year", "p50", "n").rows() == [(2022, 95.5, 1), (2023, 94.92, 1)]
    assert set(scores["units"]) == {2}
    assert run(con, "trend.band", metric="score.total", year_from=2023)["year"].to_list() == [2023]
    assert run(con, "trend.band", metric="score.total", kind="project").is_empty()


def test_the_ranking_bars_are_the_rank_metric_of_the_ranked_units(con):
    # the bars of 总览's ranking: one row per unit that states the metric, in rank order; 天河 and 盘龙
    # state no 自评得分, so they have no bar (the ranking's table lists them last)
    bars = run(con, "overview.ranking_bars")
    assert bars.select("department_key", "value").rows() == [(CONGHUA, 95.5), (YANTIAN, 94.92)]
    assert run(con, "overview.ranking_bars", descending=False)["department_key"].to_list() == [YANTIAN, CONGHUA]
    petitions = run(con, "overview.ranking_bars", rank_by="petitions.total", year=2022)
    assert petitions.select("department_key", "value", "prior_value").rows() == [(TIANHE, 16992, None),
                                                                                 (PANLONG, 2371, 1676)]
    ranked = run(con, "overview.ranking", rank_by="petitions.total", year=2022)
    assert ranked.filter(pl.col("metric") == "petitions.total").select("department_key", "value").rows() == \
        petitions.select("department_key", "value").rows()
