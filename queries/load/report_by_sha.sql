-- The report already stored for these bytes, if any.
SELECT report_id, source_file FROM reports WHERE sha256 = $sha256
