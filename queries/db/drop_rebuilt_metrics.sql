-- Frees the temporary full rebuild once it has been compared.
DROP TABLE IF EXISTS temp.rebuilt_metrics
