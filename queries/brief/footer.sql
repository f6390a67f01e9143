-- A chart image's footer (the PNG and SVG under every chart): the reports of brief.sources, with the same filters,
-- counted rather than fetched: how many, of how many units, their first and last year. A footer names two reports
-- or fewer (brief.sources then fetches those few rows) and sums up more in one line, so exporting an image of the
-- whole country does not read every report in view.
SELECT count(*) AS reports, count(DISTINCT department_key) AS units, min(year) AS first_year, max(year) AS last_year
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
