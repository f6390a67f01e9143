-- Empties brought once its reports are copied.
DELETE FROM brought
