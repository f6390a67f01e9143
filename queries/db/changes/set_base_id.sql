-- Gives a bulk file a new identity as it is published, or names the bulk file a new changes file belongs to.
INSERT OR REPLACE INTO meta (key, value) VALUES ('base_id', $base_id)
