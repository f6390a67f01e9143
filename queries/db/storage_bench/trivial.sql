-- Storage prototype: the fixed cost of a query (a one-row table): what every query pays before it reads data.
SELECT count(*) FROM meta
