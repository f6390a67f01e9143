-- 单位画像：一个单位（$department_key）在年度与类型筛选内主报告的每一个数字，带单位、推算/期间/更正标记、
-- 出处原文与页码。
SELECT department_key, report_kind, project_name, year, report_id, metric, subject, value,
       unit, derived, period_start, period_end, corrected, ocr, ocr_confidence, extracted_value,
       source_page, source_snippet, source_file, document_type
FROM dashboard_metrics
WHERE is_primary AND department_key = $department_key
  AND ($year_from IS NULL OR year >= $year_from)
  AND ($year_to IS NULL OR year <= $year_to)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY year, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
