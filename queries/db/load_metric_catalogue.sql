-- The metric catalogue: schema/metrics.csv ($path) as the table metric_catalogue, replaced on
-- every schema apply. One row per metric: its Chinese label, unit, display order, position
-- among the 总览 cards (card_order), in 对比 (compare_order; the first six are its default),
-- whether it is a petition channel, whether the brief summarises it, and whether only
-- queries compute it (never stored), what it means (its formula) and which direction is good
-- (越高越好 / 越低越好; empty where neither is). perfboard.present.format reads the same file.
CREATE OR REPLACE TABLE metric_catalogue AS
SELECT * FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"',
                       columns = {'metric': 'VARCHAR', 'label': 'VARCHAR', 'unit': 'VARCHAR',
                                  'display_order': 'INTEGER', 'card_order': 'INTEGER',
                                  'compare_order': 'INTEGER', 'channel': 'BOOLEAN', 'brief': 'BOOLEAN',
                                  'computed': 'BOOLEAN', 'meaning': 'VARCHAR',
                                  'better': 'VARCHAR'})
