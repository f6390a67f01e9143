"""Everything that leaves the dashboard for a briefing: chart images, data files, and
the slide deck / Word brief. Pure functions over figures and DataFrames; no Streamlit."""
