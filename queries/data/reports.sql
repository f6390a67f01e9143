-- 数据与来源：筛选范围内的每一份报告（含非主报告）：单位、类型、项目、年度、统计期间（有分期数字时）、
-- 原文件、格式、抽取版本、入库时间、审核状态，以及抽取到的数字与指标行数。
WITH scope AS NOT MATERIALIZED (  -- read twice (the rows shown, the total): each reads only what it needs
    SELECT *
    FROM dashboard_reports  -- v_reports's columns listed here, aliases resolved, without the text
    WHERE ($province IS NULL OR province = $province)
      AND ($city IS NULL OR city = $city)
      AND ($departments IS NULL OR list_contains($departments, department_key))
      AND ($year_from IS NULL OR year >= $year_from)
      AND ($year_to IS NULL OR year <= $year_to)
      AND ($kind IS NULL OR report_kind = $kind)
),
shown AS MATERIALIZED (
    SELECT * FROM scope
    ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST, source_file
    LIMIT coalesce($limit, 1000000000)
),
facts AS (
    SELECT report_id, count(*) AS metrics, min(period_start) AS period_start, max(period_end) AS period_end
    FROM dashboard_metrics
    WHERE report_id IN (SELECT report_id FROM shown)
    GROUP BY report_id
),
indicator_rows AS (
    SELECT report_id, count(*) AS indicators FROM v_indicators
    WHERE report_id IN (SELECT report_id FROM shown)
    GROUP BY report_id
)
SELECT s.report_id, s.department_key, s.department, s.province, s.city, s.district, s.year, s.document_type, s.report_kind,
       s.project_name, f.period_start, f.period_end, s.source_file, s.file_format, s.extractor_version,
       s.ingested_at, s.review_status, s.is_primary, s.score_grade,
       coalesce(f.metrics, 0) AS metrics, coalesce(i.indicators, 0) AS indicators, s.sha256,
       (SELECT count(*) FROM scope) AS total
FROM shown s
LEFT JOIN facts f USING (report_id)
LEFT JOIN indicator_rows i USING (report_id)
ORDER BY s.year DESC, s.department_key, s.report_kind, s.project_name NULLS FIRST, s.source_file
