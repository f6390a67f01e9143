"""perfboard: performance self-evaluation reports → facts with provenance → DuckDB → dashboard."""

__version__ = "0.1.0"
# Bump when extraction output can change: stored reports are then re-extracted by `reextract`.
EXTRACTOR_VERSION = "2026.12.02-1"
