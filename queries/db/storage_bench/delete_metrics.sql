-- Storage prototype: drop dashboard_metrics's rows of the touched reports before they are rebuilt.
DELETE FROM dashboard_metrics WHERE list_contains($report_ids, report_id)
