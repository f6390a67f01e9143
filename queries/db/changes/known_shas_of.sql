-- Content hashes and ids of the reports in the bulk file whose hash is one of $shas (the changes file's
-- writer adds its own, load.known_shas_of): bytes stored before are skipped.
SELECT sha256, report_id FROM base.reports WHERE sha256 IN (SELECT unnest($shas::VARCHAR[]))
