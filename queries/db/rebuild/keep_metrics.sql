-- A rebuild that is compared (db.rebuild_metrics with compare, `perfboard upgrade --rebuild`): the kept table is
-- set aside under another name, each batch of the rebuild compared with its rows (db.rebuild.diff_metrics), and
-- dropped at the end (drop_kept_metrics). In the writer's private copy: a rebuild that fails is discarded with it.
ALTER TABLE dashboard_metrics RENAME TO kept_dashboard_metrics
