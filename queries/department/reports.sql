-- 单位画像：一个单位（$department_key）在年度与类型筛选内的每份报告：年度、类型、项目、文件、等级、
-- 审核状态，以及报告中的“存在问题”与“改进措施”原文。
SELECT report_id, department_key, department, year, document_type, report_kind, project_name, source_file, file_format,
       score_grade, review_status, is_primary, problems, measures
FROM v_reports
WHERE department_key = $department_key
  AND ($year_from IS NULL OR year >= $year_from)
  AND ($year_to IS NULL OR year <= $year_to)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY year DESC, report_kind, project_name NULLS FIRST, is_primary DESC, source_file
