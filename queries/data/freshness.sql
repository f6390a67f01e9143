-- 数据新旧（每页顶部一行）：库中的报告份数（含非主报告）、涉及的单位数、最近一次导入的时间
-- （reports.ingested_at 的最大值），以及报告覆盖的年度（升序，不含未写明年度的报告）。
SELECT count(*) AS reports,
       count(DISTINCT department_key) AS units,
       max(ingested_at) AS latest_import,
       list(DISTINCT year ORDER BY year) FILTER (WHERE year IS NOT NULL) AS years
FROM reports
