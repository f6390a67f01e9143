"""What a file is, decided in one place: the rows of a records file (the template's
columns, perfboard.records) or a report (perfboard.readers, one reader per format).
`ingest`, `reextract`, `extract` and uploads all decide through here (a large file is then
read and extracted in perfboard.readers.capped's capped child)."""
from __future__ import annotations



from perfboard import records


def is_records(data: bytes, name: str) -> bool:
    """Whether a file is a records file (the template's columns) rather than a report."""
    return records.is_records(data, name)


def read_records(data: bytes, name: str) -> records.Records:
    """A records file's validated rows (ReadError when it cannot be read at all)."""
    return records.read_records(data, name)
