-- 数据与来源（$limit 行为止，空为全部）：筛选范围内每一个数字（含非主报告），可再按指标（$metrics，空为全部）与关键词（$search，
-- 在单位、评价对象与出处原文中查找，空为不限）筛选；带单位、标记、出处与页码。
WITH chosen AS (
    SELECT *
    FROM dashboard_metrics m
    WHERE ($province IS NULL OR m.province = $province)
      AND ($city IS NULL OR m.city = $city)
      AND ($departments IS NULL OR list_contains($departments, m.department_key))
      AND ($year_from IS NULL OR m.year >= $year_from)
      AND ($year_to IS NULL OR m.year <= $year_to)
      AND ($kind IS NULL OR m.report_kind = $kind)
      AND ($metrics IS NULL OR list_contains($metrics, m.metric))
      AND ($search IS NULL OR m.department_key ILIKE '%' || $search || '%'
           OR m.department ILIKE '%' || $search || '%'
           OR coalesce(m.subject, '') ILIKE '%' || $search || '%'
           OR coalesce(m.source_snippet, '') ILIKE '%' || $search || '%')
)
SELECT m.department_key, m.department, m.province, m.city, m.district, m.year, m.report_kind,
       m.project_name, m.metric, m.subject, m.value, m.unit, m.derived, m.period_start, m.period_end,
       (SELECT count(*) FROM chosen) AS total, m.corrected, m.ocr, m.ocr_confidence, m.extracted_value, m.is_primary,
       m.source_page, m.source_snippet, m.source_file, m.report_id, m.document_type
FROM chosen m
ORDER BY m.year DESC, m.department_key, m.report_kind, m.project_name NULLS FIRST, m.metric, m.subject NULLS FIRST
LIMIT coalesce($limit, 1000000000)
