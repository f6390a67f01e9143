-- 单位画像：一个单位（$department_key）在年度与类型筛选内主报告的绩效指标表（一、二、三级指标，
-- 年度指标值与实际完成值），带出处。
SELECT r.year, r.report_kind, r.project_name, r.source_file, i.report_id, i.ord, i.level1, i.level2, i.level3,
       i.target, i.actual, i.source_page, i.source_snippet
FROM v_indicators i
JOIN v_reports r USING (report_id)
WHERE r.is_primary AND r.department_key = $department_key
  AND ($year_from IS NULL OR r.year >= $year_from)
  AND ($year_to IS NULL OR r.year <= $year_to)
  AND ($kind IS NULL OR r.report_kind = $kind)
ORDER BY r.year DESC, r.report_kind, r.project_name NULLS FIRST, i.ord
