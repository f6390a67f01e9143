-- Whether this database is the fictional demo one (`perfboard synth --demo-db`): its note, or no row.
SELECT value FROM meta WHERE key = 'demo'
