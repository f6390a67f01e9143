-- Done with the changes file (a reader whose changes file belongs to another bulk file, a merge).
DETACH changes
