-- DuckLake (writes.remove_alias): remove an alias (review.delete_alias without RETURNING).
DELETE FROM department_aliases WHERE alias = $alias
