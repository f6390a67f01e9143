-- 分渠道信访量（来信、来访、网上信访、来电）之和与总量不符：超过总量，或四个渠道齐全却不等于总量。
-- Channel volumes that do not add up to the total.
WITH m AS (
    SELECT report_id,
           max(value) FILTER (metric = 'petitions.total') AS total,
           sum(value) FILTER (metric IN ('petitions.letters', 'petitions.visits',
                                         'petitions.online', 'petitions.calls')) AS channels,
           count(*) FILTER (metric IN ('petitions.letters', 'petitions.visits',
                                       'petitions.online', 'petitions.calls')) AS n
    FROM dashboard_metrics GROUP BY report_id
)
SELECT report_id, 'petitions.total' AS metric,
       printf('各渠道合计 %d 件（%d 个渠道），总量 %d 件', channels::BIGINT, n, total::BIGINT) AS detail
FROM m
WHERE total IS NOT NULL AND channels IS NOT NULL
  AND (channels > total OR (n = 4 AND channels <> total))
