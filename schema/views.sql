-- The views of the database contract (../shared/contract/database.md). Re-created on open.

CREATE OR REPLACE VIEW v_reports AS
WITH aliased AS (
    SELECT r.*, coalesce(a.department_key, r.department_key) AS key_resolved
    FROM reports r
    LEFT JOIN department_aliases a ON a.alias = r.department
)
SELECT
    report_id,
    key_resolved            AS department_key,
    department,
    province,
    city,
    district,
    year,
    document_type,
    report_kind,
    project_name,
    needs_review,
    review_reasons,
    source_file,
    sha256,
    score_grade,
    file_format,
    extractor_version,
    ingested_at,
    review_status,
    is_primary,
    problems,
    measures
FROM aliased;

-- What dashboard_reports holds (queries/db/refresh_dashboard_reports.sql stores it; kept per touched unit by
-- queries/db/insert_dashboard_reports.sql, compared with this view by db.metrics_drift): v_reports's columns the pages
-- filter, label and list by, without the text and the alias join, and what a report's unit (department key, kind,
-- project) says of it, which depends on that unit's reports only:
--   latest        the unit's latest primary report: a 部门预算 (document_type 'budget', a plan) only when the unit has
--                 no other report, a report without a year counting as the latest of its class (latest_reports's
--                 order); ties to the greater report_id;
--   latest_dated  the same among the unit's primary reports that have a year;
--   unit_first, unit_last  the first and last year of the unit's primary reports.
-- With them "is this its unit's latest report inside the filters" is a test of the row (kept_latest) wherever no
-- place filter is set and the year range spans the unit's years: every 总览 query computed it per page run before.
CREATE OR REPLACE VIEW v_dashboard_reports AS
WITH r AS (
    SELECT report_id, department_key, department, province, city, district, year, document_type, report_kind,
           project_name, score_grade, source_file, is_primary, sha256, file_format, extractor_version, ingested_at,
           review_status,
           is_primary AND department_key IS NOT NULL AS ranked,
           (document_type IS DISTINCT FROM 'budget')::INTEGER AS not_budget
    FROM v_reports
)
SELECT * EXCLUDE (ranked, not_budget),
       coalesce(ranked AND row_number() OVER (
           PARTITION BY ranked, department_key, report_kind, project_name
           ORDER BY not_budget DESC, coalesce(year, 99999) DESC, report_id DESC) = 1, FALSE) AS latest,
       coalesce(ranked AND year IS NOT NULL AND row_number() OVER (
           PARTITION BY ranked AND year IS NOT NULL, department_key, report_kind, project_name
           ORDER BY not_budget DESC, year DESC, report_id DESC) = 1, FALSE) AS latest_dated,
       CASE WHEN ranked THEN min(year) OVER (PARTITION BY ranked, department_key, report_kind, project_name) END
           AS unit_first,
       CASE WHEN ranked THEN max(year) OVER (PARTITION BY ranked, department_key, report_kind, project_name) END
           AS unit_last
FROM r;

CREATE OR REPLACE VIEW v_metrics AS
WITH numeric_facts AS (
    SELECT * FROM facts WHERE value IS NOT NULL
),
active_corrections AS (
    SELECT * FROM corrections WHERE undone_at IS NULL
    QUALIFY row_number() OVER (PARTITION BY report_id, metric, coalesce(subject, '')
                               ORDER BY created_at DESC, correction_id DESC) = 1
),
merged AS (
    SELECT
        coalesce(f.report_id, c.report_id)             AS report_id,
        coalesce(f.metric, c.metric)                   AS metric,
        coalesce(f.subject, c.subject)                 AS subject,
        -- a correction to NULL says the report does not state it: the number disappears
        CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value,
        CASE WHEN c.correction_id IS NULL THEN f.derived ELSE FALSE END AS derived,
        f.period_start,
        f.period_end,
        f.source_page,
        coalesce(c.source_snippet, f.source_snippet)   AS source_snippet,
        c.correction_id IS NOT NULL                    AS corrected,
        f.value                                        AS extracted_value,
        coalesce(f.ocr, FALSE)                         AS ocr,
        f.ocr_confidence,
        -- a value an analyst set is sure; else the extracting rule's confidence
        CASE WHEN c.correction_id IS NULL THEN f.confidence ELSE 1.0 END AS confidence
    FROM numeric_facts f
    FULL OUTER JOIN active_corrections c
      ON c.report_id = f.report_id AND c.metric = f.metric
     AND coalesce(c.subject, '') = coalesce(f.subject, '')
)
SELECT
    m.report_id,
    r.department_key,
    r.department,
    r.year,
    m.metric,
    m.subject,
    m.value,
    m.derived,
    m.period_start,
    m.period_end,
    m.source_page,
    m.source_snippet,
    m.corrected,
    m.extracted_value,
    r.province,
    r.city,
    r.district,
    r.report_kind,
    r.is_primary,
    c.unit,                 -- from the metric catalogue (schema/metrics.csv)
    m.ocr,                  -- the value was read by OCR from a scan or photo
    m.ocr_confidence,       -- the recogniser's confidence in it, 0..1
    m.confidence,           -- how sure the extracting rule is, 0..1 (1.0 once an analyst corrected it)
    r.document_type         -- what its report is: self_evaluation | final_accounts (决算) | budget (预算, a plan) | other
FROM merged m
JOIN v_reports r USING (report_id)
LEFT JOIN metric_catalogue c ON c.metric = m.metric
WHERE m.value IS NOT NULL;

CREATE OR REPLACE VIEW v_indicators AS
SELECT report_id, ord, level1, level2, level3, target, actual, source_page, source_snippet
FROM indicators;

-- The primary reports inside the dashboard's filters (each NULL = no restriction): the one
-- place the filters are spelled out. Read from dashboard_reports (the reports' few columns the pages use, aliases
-- resolved), not v_reports. The queries that never cap the units read this one (one reference to dashboard_reports,
-- the union of the two files behind a changes file): binding scoped_reports's three costs them ~1.5 ms a query.
--     FROM filtered_reports($province, $city, $departments, $year_from, $year_to, $kind)
CREATE OR REPLACE MACRO filtered_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind) AS TABLE
SELECT r.*
FROM dashboard_reports r
WHERE r.is_primary AND r.department_key IS NOT NULL
  AND (f_province IS NULL OR r.province = f_province)
  AND (f_city IS NULL OR r.city = f_city)
  AND (f_departments IS NULL OR list_contains(f_departments, r.department_key))
  AND (f_year_from IS NULL OR r.year >= f_year_from)
  AND (f_year_to IS NULL OR r.year <= f_year_to)
  AND (f_kind IS NULL OR r.report_kind = f_kind);

-- filtered_reports, where f_max_units keeps the first N departments (by key) so that a chart of departments stays
-- readable and fast at national scale; the page says so.
--     FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
CREATE OR REPLACE MACRO scoped_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind,
                                       f_max_units) AS TABLE
-- NOT MATERIALIZED: read twice, a materialised CTE would copy every column of every report in view
-- before a query picks its few; inlined, each reads only what it needs.
WITH scoped AS NOT MATERIALIZED (
    FROM filtered_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind)
)
SELECT * FROM scoped WHERE f_max_units IS NULL
UNION ALL
SELECT * FROM scoped
WHERE f_max_units IS NOT NULL
  AND department_key IN (SELECT DISTINCT department_key FROM scoped ORDER BY department_key LIMIT f_max_units);

-- Whether a row of dashboard_reports or dashboard_metrics (its latest, latest_dated, unit_first, unit_last) is its
-- unit's latest primary report inside the filters, from the kept flags alone: TRUE or FALSE where they tell, NULL where
-- they cannot (a place filter: places are a report's, not a unit's; or a year range that leaves out some year of the
-- unit), which latest_reports then computes. With no year filter it is `latest`; with a range spanning the unit's
-- years (the sidebar's default spans every year) the range only leaves out its reports without a year: `latest_dated`.
-- A department or kind filter keeps or drops whole units, so the flags stay right under it.
CREATE OR REPLACE MACRO kept_latest(f_province, f_city, f_year_from, f_year_to, latest, latest_dated, unit_first,
                                    unit_last) AS
CASE WHEN f_province IS NOT NULL OR f_city IS NOT NULL THEN NULL
     WHEN f_year_from IS NULL AND f_year_to IS NULL THEN latest
     WHEN (f_year_from IS NULL OR f_year_from <= unit_first) AND (f_year_to IS NULL OR f_year_to >= unit_last)
         THEN latest_dated
     WHEN unit_first IS NULL THEN FALSE  -- a unit without a dated report has none inside a year range
END;

-- Each unit's (a department's overall report, or one of its projects) latest primary report
-- inside the filters: what the 总览 cards, ranking and changes are about. A 部门预算 (document_type
-- 'budget') is a plan for a year not yet spent, published months before that year's self-evaluation:
-- it is a unit's latest report only when the unit has no other (else every card would read 未披露).
-- Where the kept flags of dashboard_reports answer (kept_latest: no place filter, a year range spanning the unit's
-- years), read from them; else computed here: the order is one integer (not a struct:
-- a third of the time at 30,000 reports); a report without a year counts as the latest of its class, as the
-- struct's NULL did. Only the columns the 总览 queries read, materialised once.
CREATE OR REPLACE MACRO latest_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind) AS TABLE
SELECT report_id, department_key, province, city, district, year, document_type, report_kind, project_name,
       score_grade
FROM dashboard_reports
WHERE kept_latest(f_province, f_city, f_year_from, f_year_to, latest, latest_dated, unit_first, unit_last)
  AND (f_departments IS NULL OR list_contains(f_departments, department_key))
  AND (f_kind IS NULL OR report_kind = f_kind)
UNION ALL
FROM computed_latest(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind);

-- latest_reports's other half: the latest report inside the filters of each unit the kept flags cannot answer for
-- (kept_latest NULL), computed. Without a place or year filter there is none, and the first condition lets DuckDB
-- drop the whole of it when it plans the query (bound parameters are constants then).
CREATE OR REPLACE MACRO computed_latest(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind) AS TABLE
WITH scoped AS MATERIALIZED (
    SELECT report_id, department_key, province, city, district, year, document_type, report_kind, project_name,
           score_grade
    FROM filtered_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind)
    WHERE NOT (f_province IS NULL AND f_city IS NULL AND f_year_from IS NULL AND f_year_to IS NULL)
      AND kept_latest(f_province, f_city, f_year_from, f_year_to, latest, latest_dated, unit_first, unit_last) IS NULL
)
SELECT s.*
FROM scoped s
SEMI JOIN (SELECT arg_max(report_id, (document_type IS DISTINCT FROM 'budget')::INTEGER * 100000
                                         + coalesce(year, 99999)) AS report_id
           FROM scoped GROUP BY department_key, report_kind, project_name) USING (report_id);

-- The units 总览 ranks (overview.ranking, overview.ranking_bars): one class of unit (f_unit_kind), each
-- with its report of year f_year, or, f_year NULL, its latest report inside the filters.
CREATE OR REPLACE MACRO ranked_units(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind,
                                     f_unit_kind, f_year) AS TABLE
SELECT report_id, department_key, report_kind, project_name, year, score_grade, document_type
FROM latest_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind)
WHERE report_kind = f_unit_kind AND f_year IS NULL
UNION ALL
SELECT report_id, department_key, report_kind, project_name, year, score_grade, document_type
FROM filtered_reports(f_province, f_city, f_departments, f_year_from, f_year_to, f_kind)
WHERE report_kind = f_unit_kind AND year = f_year;

-- What dashboard_metrics holds, computed from every number (queries/db/refresh_dashboard_metrics.sql
-- stores it; tests and `perfboard upgrade --check` compare the stored table with it). v_metrics's FULL
-- OUTER JOIN with corrections keeps DuckDB from pushing filters into it, and the 总览 queries would each
-- evaluate it two or three times, so the dashboard reads the stored table. Besides v_metrics's columns,
-- each row carries:
--   project_name, source_file  of its report;
--   prior_value, prior_year, prior_basis  what it is compared with: the same unit's primary
--       report of the year before (same metric and subject) or, for petitions.total without
--       one, the prior-year total the report itself quotes;
--   headline  the row a card shows for its report and metric (satisfaction: the public
--       first — 群众, then 服务对象, then 信访群众).
--   latest, latest_dated, unit_first, unit_last  its report's, from v_dashboard_reports: so that 总览 finds the
--       numbers of each unit's latest report by a test of the row (kept_latest), not a join.
-- A row depends only on the reports of its own unit (department key, kind, project): that is what lets
-- each write recompute only the units it touched (queries/db/insert_metrics.sql, which must stay the same
-- computation with the filter pushed below the join).
CREATE OR REPLACE VIEW v_dashboard_metrics AS
WITH m AS (
    SELECT m.*, r.project_name, r.source_file, coalesce(r.project_name, '') AS project,
           r.latest, r.latest_dated, r.unit_first, r.unit_last
    FROM v_metrics m JOIN v_dashboard_reports r USING (report_id)
),
prior_report AS (
    SELECT department_key, report_kind, project, year, metric, coalesce(subject, '') AS subject_key, value
    FROM m
    WHERE is_primary
    QUALIFY row_number() OVER (PARTITION BY department_key, report_kind, project, year, metric, subject_key
                               ORDER BY report_id) = 1
),
quoted AS (
    SELECT report_id, 'petitions.total' AS metric, any_value(value) AS value
    FROM m WHERE metric = 'petitions.prior_year_total'
    GROUP BY report_id
)
SELECT m.* EXCLUDE (project),
       coalesce(p.value, q.value)                                     AS prior_value,
       CASE WHEN coalesce(p.value, q.value) IS NOT NULL THEN m.year - 1 END AS prior_year,
       CASE WHEN p.value IS NOT NULL THEN (m.year - 1) || '年报告'
            WHEN q.value IS NOT NULL THEN '本报告引述的上年同期数' END AS prior_basis,
       row_number() OVER (PARTITION BY m.report_id, m.metric
                          ORDER BY CASE m.subject WHEN '群众' THEN 1 WHEN '服务对象' THEN 2
                                                  WHEN '信访群众' THEN 3 ELSE 9 END,
                                   m.subject) = 1          AS headline
FROM m
LEFT JOIN prior_report p
  ON p.department_key = m.department_key AND p.report_kind = m.report_kind AND p.project = m.project
 AND p.year = m.year - 1 AND p.metric = m.metric AND p.subject_key = coalesce(m.subject, '')
LEFT JOIN quoted q ON q.report_id = m.report_id AND q.metric = m.metric;
