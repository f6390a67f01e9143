-- The bulk file's row map (bulk_rows), made as a bulk file is published (db.index_bulk), after its last
-- checkpoint, so its row ids are the ones the published file keeps: a read-only file never moves a row. One
-- row a report: where its reports row is, the first and last row of its facts and of its indicators, and
-- 64-bit hashes of its id, content hash, department key ('' for none) and department name. A changes file's
-- writer finds the bulk file's rows of a write's reports and departments through it (known_shas_of,
-- primaries_of, bring_*): a scan of small integers, then only those rows by row id (DuckDB skips the rest),
-- where the columns themselves were scanned whole: the bulk file's 5.4 M facts.report_id at 300,000 reports
-- for every publish of 100. A hash is only a hint: each statement compares the values of the rows it finds.
CREATE OR REPLACE TABLE bulk_rows AS
WITH f AS (SELECT report_id, min(rowid) AS facts_from, max(rowid) AS facts_to FROM facts GROUP BY report_id),
i AS (SELECT report_id, min(rowid) AS indicators_from, max(rowid) AS indicators_to
      FROM indicators GROUP BY report_id)
SELECT hash(r.report_id) AS id_h, hash(r.sha256) AS sha_h, hash(coalesce(r.department_key, '')) AS key_h,
       hash(r.department) AS name_h, r.rowid AS report_row, f.facts_from, f.facts_to,
       i.indicators_from, i.indicators_to
FROM reports r LEFT JOIN f USING (report_id) LEFT JOIN i USING (report_id)
ORDER BY r.rowid
