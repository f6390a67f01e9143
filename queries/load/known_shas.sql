-- Every stored report's content hash and id, to skip bytes stored before.
SELECT sha256, report_id FROM reports
