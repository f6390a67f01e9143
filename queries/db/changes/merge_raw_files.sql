-- A merge: the original bytes the changes file received (once per content). Not ON CONFLICT DO NOTHING: at
-- 300,000 reports that statement ran out of a 128 MB DuckDB bound (BENCHMARKS.md, 2026-12-02), while this
-- plain insert of the changes file's rows whose hash the bulk file does not hold yet fits in it. The merge is
-- the only writer (under the lock), so the hashes found here are all there are.
INSERT INTO raw_files BY NAME
SELECT * FROM changes.raw_files
WHERE sha256 NOT IN (SELECT sha256 FROM raw_files WHERE sha256 IN (SELECT sha256 FROM changes.raw_files))
