-- DuckLake: the lake is the default catalog for unqualified names (the dashboard's queries name bare tables).
USE lake
