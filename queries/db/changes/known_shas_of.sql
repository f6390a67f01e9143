-- Content hashes and ids of the reports in the bulk file whose hash is one of $shas (the changes file's
-- writer adds its own, load.known_shas_of): bytes stored before are skipped. Found through the row map
-- (bulk_rows, index_bulk): the hashes' hashes, then only those rows of base.reports.
SELECT sha256, report_id FROM base.reports
WHERE rowid IN (SELECT report_row FROM base.bulk_rows WHERE sha_h IN (SELECT hash(unnest($shas::VARCHAR[]))))
  AND sha256 IN (SELECT unnest($shas::VARCHAR[]))
