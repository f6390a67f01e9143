-- The choices of the sidebar filters: every place, department, year and report kind that has a report.
SELECT DISTINCT province, city, district, department_key, year, report_kind
FROM v_reports
WHERE department_key IS NOT NULL AND year IS NOT NULL
ORDER BY province NULLS LAST, city NULLS LAST, department_key, year, report_kind
