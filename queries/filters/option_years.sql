-- The years the sidebar's 起始年度/截止年度 offer: every year of a report that has a department.
SELECT DISTINCT year
FROM v_reports
WHERE department_key IS NOT NULL AND year IS NOT NULL
ORDER BY year
