"""The dashboard's Streamlit code: `data` (the one read path and its caches), `filters`
(sidebar and URL), `components` (what pages draw), `exports` (download buttons), `review`
(the 上传与校对 screen, the only caller of perfboard.writes) and `auth`. Formats, tables and
charts are pure and live in perfboard.present."""
