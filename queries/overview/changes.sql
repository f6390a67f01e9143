-- 变化最大：筛选范围内每个单位最新一年报告的每个指标与同一单位上一年报告同一指标之差；信访总量没有
-- 上年报告时，与本报告引述的上年同期数相比（dashboard_metrics 的 prior_value）。change 以指标单位计，
-- change_pct 是相对上年的变化（%），按其绝对值排序，取前 $limit 条。
-- Two halves, each sorted and cut to $limit before the union (so DuckDB reads the wide columns of the rows kept only):
-- the units whose latest report the row's kept flags tell (kept_latest; every unit without a place filter and with
-- the default years), and the others through computed_latest (none then).
WITH pairs AS NOT MATERIALIZED (  -- read by both halves, each with its own filter
    SELECT m.*, m.value - m.prior_value                                                    AS change,
           CASE WHEN m.prior_value <> 0 THEN (m.value - m.prior_value) / abs(m.prior_value) * 100 END AS change_pct
    FROM dashboard_metrics m
    WHERE m.prior_value IS NOT NULL AND m.metric <> 'petitions.prior_year_total'
      AND ($departments IS NULL OR list_contains($departments, m.department_key))
      AND ($kind IS NULL OR m.report_kind = $kind)
      -- a unit's latest report inside the filters is inside them: its year too (the scan skips other years)
      AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
),
kept AS (
    SELECT * FROM pairs
    WHERE kept_latest($province, $city, $year_from, $year_to, latest, latest_dated, unit_first, unit_last)
    ORDER BY abs(change_pct) DESC NULLS LAST, abs(change) DESC, department_key, metric
    LIMIT coalesce($limit, 1000000000)
),
uncovered AS (  -- the rows kept_latest leaves NULL, as three tests DuckDB applies inside the scan (or, from the
    -- columns' statistics, drops when it plans: a range spanning every year): a place filter; a range starting after
    -- the unit's first year; one ending before its last
    SELECT * FROM pairs
    WHERE NOT ($province IS NULL AND $city IS NULL)
      AND ($province IS NULL OR province = $province) AND ($city IS NULL OR city = $city)
    UNION ALL
    SELECT * FROM pairs
    WHERE $province IS NULL AND $city IS NULL AND unit_first < $year_from
    UNION ALL
    SELECT * FROM pairs
    WHERE $province IS NULL AND $city IS NULL AND ($year_from IS NULL OR unit_first >= $year_from)
      AND unit_last > $year_to
),
computed AS (
    SELECT * FROM uncovered
    WHERE report_id IN (SELECT report_id FROM computed_latest($province, $city, $departments, $year_from, $year_to, $kind))
    ORDER BY abs(change_pct) DESC NULLS LAST, abs(change) DESC, department_key, metric
    LIMIT coalesce($limit, 1000000000)
)
-- without the source sentence and page: 变化最大 (tables.changes) shows neither, and reading the sentences of every
-- number in view was most of the query (30,000 reports: its Top-N 31 -> 10.5 ms; the query 57 -> 37 ms CPU, BENCHMARKS.md)
SELECT department_key, report_kind, project_name, year, document_type, metric, subject, value, unit, derived,
       period_start, period_end, corrected, prior_year, prior_value, prior_basis, change, change_pct
FROM (FROM kept UNION ALL FROM computed)
ORDER BY abs(change_pct) DESC NULLS LAST, abs(change) DESC, department_key, metric
LIMIT coalesce($limit, 1000000000)
