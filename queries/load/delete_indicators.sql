-- Before re-extraction: the extractor's indicator rows of one report.
DELETE FROM indicators WHERE report_id = $report_id
