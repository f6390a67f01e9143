-- How many reports the attached changes file holds (bench: the write section times the queries again with it).
SELECT count(*) AS reports FROM changes.reports
