-- 被评价年度晚于报告落款日期的年份（年度抽取有误，或落款日期有误）。
-- The evaluated year is later than the report's date.
SELECT f.report_id, 'evaluated_year' AS metric,
       printf('被评价年度 %d，报告日期 %s', r.year, f.value_text) AS detail
FROM facts f JOIN v_reports r USING (report_id)
WHERE f.metric = 'report_date' AND r.year > TRY_CAST(left(f.value_text, 4) AS INTEGER)
