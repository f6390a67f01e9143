-- The changes file's writer names its private copy's tables unqualified (db._open_changes, after db.changes.attach_copy).
USE written
