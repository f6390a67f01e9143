-- Before re-extraction: the extractor's facts of one report (corrections are kept apart).
DELETE FROM facts WHERE report_id = $report_id
