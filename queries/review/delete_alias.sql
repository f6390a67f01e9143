-- Remove an alias.
DELETE FROM department_aliases WHERE alias = $alias RETURNING alias
