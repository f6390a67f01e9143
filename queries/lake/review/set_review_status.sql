-- DuckLake (writes.set_status): accept or reject a report after review (review.set_review_status without
-- RETURNING, which DuckLake lacks on updates).
UPDATE reports SET review_status = $status WHERE report_id = $report_id
