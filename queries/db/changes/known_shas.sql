-- Content hashes and ids of the reports in the bulk file (the changes file's writer adds its own): bytes
-- stored before are skipped.
SELECT sha256, report_id FROM base.reports
