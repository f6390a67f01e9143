-- Reports in the changes file: the merge policy weighs it against the bulk file.
SELECT count(*) FROM reports
