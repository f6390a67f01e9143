-- A new changes file holds the whole of the small tables: the bulk file's aliases to start with.
INSERT INTO department_aliases BY NAME SELECT * FROM base.department_aliases
