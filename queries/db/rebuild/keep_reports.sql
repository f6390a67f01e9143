-- dashboard_reports set aside beside dashboard_metrics's (keep_metrics) for a compared rebuild.
ALTER TABLE dashboard_reports RENAME TO kept_dashboard_reports
