-- A merge: the changes file holds the whole of department_aliases, so the bulk file's copy is replaced by it.
DELETE FROM department_aliases
