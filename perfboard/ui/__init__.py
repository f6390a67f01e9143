"""The dashboard's shared pieces. `format` is pure (no Streamlit) and is used by
perfboard.charts too; `data`, `filters` and `components` draw or cache with Streamlit."""
