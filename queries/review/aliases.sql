-- Aliases and the departments they point to.
SELECT alias, department_key, created_by, created_at FROM department_aliases ORDER BY department_key, alias
