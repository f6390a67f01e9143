-- A merge: the changes file's department_aliases, whole (see merge_clear_department_aliases).
INSERT INTO department_aliases BY NAME SELECT * FROM changes.department_aliases
