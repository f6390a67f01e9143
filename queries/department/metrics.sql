-- 单位画像：一个单位（$department_key）在年度与类型筛选内主报告的每一个数字，带单位、推算/期间/更正标记、
-- 出处原文与页码。
SELECT m.department_key, m.report_kind, r.project_name, m.year, m.report_id, m.metric, m.subject, m.value,
       m.unit, m.derived, m.period_start, m.period_end, m.corrected, m.ocr, m.ocr_confidence, m.extracted_value,
       m.source_page, m.source_snippet, r.source_file
FROM v_metrics m
JOIN v_reports r USING (report_id)
WHERE m.is_primary AND m.department_key = $department_key
  AND ($year_from IS NULL OR m.year >= $year_from)
  AND ($year_to IS NULL OR m.year <= $year_to)
  AND ($kind IS NULL OR m.report_kind = $kind)
ORDER BY m.year, m.report_kind, r.project_name NULLS FIRST, m.metric, m.subject NULLS FIRST
