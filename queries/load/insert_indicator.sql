-- One row of a report's performance-indicator table.
INSERT INTO indicators (report_id, ord, level1, level2, level3, target, actual, source_page, source_snippet)
VALUES ($report_id, $ord, $level1, $level2, $level3, $target, $actual, $source_page, $source_snippet)
