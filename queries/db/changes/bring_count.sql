-- How many reports a write took over from the bulk file (brought).
SELECT count(*) FROM brought
