-- Accept or reject a report after review.
UPDATE reports SET review_status = $status WHERE report_id = $report_id RETURNING report_id
