-- How much is stored: reports, facts, indicator rows.
SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM facts) AS facts,
       (SELECT count(*) FROM indicators) AS indicators
