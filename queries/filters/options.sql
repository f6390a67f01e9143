-- The places and departments the sidebar filters offer: every (province, city, department) that has a report with
-- a year. One row per department, not per report and year: the years are filters.option_years (the sidebar
-- never narrows its years by place), so the sidebar of a national database reads 3,000 rows, not 30,000.
SELECT DISTINCT province, city, department_key
FROM v_reports
WHERE department_key IS NOT NULL AND year IS NOT NULL
ORDER BY province NULLS LAST, city NULLS LAST, department_key
