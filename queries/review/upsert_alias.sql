-- Name a department by another name: both map to one department key.
INSERT INTO department_aliases (alias, department_key, created_by) VALUES ($alias, $department_key, $author)
ON CONFLICT (alias) DO UPDATE SET department_key = excluded.department_key, created_by = excluded.created_by,
                                  created_at = now()
