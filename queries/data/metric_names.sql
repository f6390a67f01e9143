-- 数据与来源：数据库中出现过的指标名，供指标筛选使用。
SELECT DISTINCT metric FROM dashboard_metrics ORDER BY metric
