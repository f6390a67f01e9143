-- Storage prototype: the lake is the default catalog for unqualified names.
USE lake
