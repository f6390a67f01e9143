-- Marks a database as the fictional demo one: the dashboard shows 示例数据，虚构 on every page.
INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', $note)
