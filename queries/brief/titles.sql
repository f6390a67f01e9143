-- The title block (first 400 characters of the text) of the reports $report_ids, from which a
-- brief names each document (部门整体支出绩效自评报告, 项目支出绩效自评表, …). Only for the reports
-- a brief lists: the whole text column of every report in view is not read for that.
SELECT report_id, left(text, 400) AS head
FROM reports
WHERE list_contains($report_ids, report_id)
