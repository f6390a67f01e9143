-- Storage prototype (check): a copy of dashboard_metrics as the incremental writes left it, before a full rebuild.
CREATE TEMP TABLE incremental_copy AS SELECT * FROM dashboard_metrics
