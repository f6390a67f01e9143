-- Whether a file is a perfboard database, read to the end: the core tables with the
-- columns restore and the dashboard rely on, every report's text and every original's
-- bytes touched (a truncated file fails here). One row: reports, facts, originals.
SELECT (SELECT count(*) FROM reports
        WHERE report_id IS NOT NULL AND sha256 IS NOT NULL AND length(text) >= 0) AS reports,
       (SELECT count(*) FROM facts WHERE report_id IS NOT NULL AND metric IS NOT NULL) AS facts,
       (SELECT count(*) FROM raw_files WHERE octet_length(bytes) >= 0 AND sha256 IS NOT NULL) AS originals,
       (SELECT count(*) FROM indicators WHERE report_id IS NOT NULL) AS indicators
