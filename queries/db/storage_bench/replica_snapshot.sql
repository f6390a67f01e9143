-- Storage prototype (replica): the lake's latest committed snapshot.
SELECT id FROM lake.current_snapshot()
