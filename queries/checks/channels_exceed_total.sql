-- 分渠道信访量（来信、来访、网上信访、来电）之和与总量不符：超过总量，或四个渠道齐全却不等于总量。
-- Channel volumes that do not add up to the total.
WITH m AS (
    SELECT d.report_id,
           max(d.value) FILTER (d.metric = 'petitions.total') AS total,
           sum(d.value) FILTER (c.channel) AS channels,
           count(*) FILTER (c.channel) AS n
    FROM dashboard_metrics d
    JOIN metric_catalogue c USING (metric)
    GROUP BY d.report_id
)
SELECT report_id, 'petitions.total' AS metric,
       printf('各渠道合计 %d 件（%d 个渠道），总量 %d 件', channels::BIGINT, n, total::BIGINT) AS detail
FROM m
WHERE total IS NOT NULL AND channels IS NOT NULL
  AND (channels > total OR (n = 4 AND channels <> total))
