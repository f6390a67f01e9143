-- The content hash and id of every stored report whose hash is one of $shas (the files of one publish):
-- those bytes were stored before and are skipped. Only these, not every stored report: at 30,000 reports
-- reading all of them into the writer cost more per publish of 100 than storing the 100.
SELECT sha256, report_id FROM reports WHERE sha256 IN (SELECT unnest($shas::VARCHAR[]))
