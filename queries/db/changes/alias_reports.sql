-- The reports of the bulk file whose department an alias names ($alias), beside db.alias_reports's own.
SELECT report_id FROM base.reports WHERE department = $alias
