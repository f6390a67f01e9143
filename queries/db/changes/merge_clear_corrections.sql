-- A merge: the changes file holds the whole of corrections, so the bulk file's copy is replaced by it.
DELETE FROM corrections
