"""Pure presentation: names, units and number formats (format), display tables (tables)
and plotly figures (charts) made from query rows. No Streamlit, no database: the
dashboard (perfboard.ui), the brief and the CLI share them."""
