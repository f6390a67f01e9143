-- DuckLake (writes.set_alias): name a department by another name. The lake has no primary key for
-- review.upsert_alias's ON CONFLICT; MERGE keeps one row per alias (under the writer's lock).
MERGE INTO department_aliases a
USING (SELECT $alias AS alias, $department_key AS department_key, $author AS created_by) n ON a.alias = n.alias
WHEN MATCHED THEN UPDATE SET department_key = n.department_key, created_by = n.created_by, created_at = now()
WHEN NOT MATCHED THEN INSERT (alias, department_key, created_by) VALUES (n.alias, n.department_key, n.created_by)
