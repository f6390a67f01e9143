-- Departments with a primary report inside the filters: their first and last year and how many reports.
SELECT department_key,
       min(year)                                   AS first_year,
       max(year)                                   AS last_year,
       count(*)                                    AS reports,
       bool_or(report_kind = 'project')            AS has_project
FROM filtered_reports($province, $city, $departments, $year_from, $year_to, $kind)
GROUP BY department_key
ORDER BY department_key
