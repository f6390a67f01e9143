-- 同一单位同一指标较上一年变化超过 $factor 倍（上升或下降），请核对单位（元/万元）或口径。
-- A department's figure jumps by more than a factor year on year.
WITH m AS (
    SELECT report_id, department_key, year, metric, coalesce(subject, '') AS subject, value, report_kind
    FROM v_metrics WHERE is_primary AND metric NOT LIKE '%\_pct' ESCAPE '\' AND value > 0
)
SELECT cur.report_id, cur.metric,
       printf('%s 由 %d 年的 %.2f 变为 %d 年的 %.2f（%.1f 倍）', cur.metric, prev.year, prev.value, cur.year,
              cur.value, greatest(cur.value / prev.value, prev.value / cur.value)) AS detail
FROM m cur JOIN m prev
  ON prev.department_key = cur.department_key AND prev.metric = cur.metric AND prev.subject = cur.subject
 AND prev.report_kind = cur.report_kind AND prev.year = cur.year - 1
WHERE greatest(cur.value / prev.value, prev.value / cur.value) > $factor
