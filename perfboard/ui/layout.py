"""The frame's static style and behaviour for small screens (leadership reads on phones).

Everything here is fixed text of our own: no report text, no user input, ever goes into
the CSS or the script (the house rule on HTML is about report text; static CSS is fine).

- KPI values and labels (st.metric) never end in "…": the value's font follows the
  screen width and a long label wraps instead of being cut.
- Leaderboards (components.table(static=True)) are drawn twice, as a Markdown table and
  as cards; CSS shows the table on wide screens and the cards below PHONE px, so nothing
  is wider than the phone and no unit name is set one character per line.
- Plotly's toolbar is hidden on phones, where it sat over chart titles (the PNG/SVG
  buttons under every chart download the picture there).
- The file uploader's own English ("50MB per file • TXT, PDF…" and its "Upload" button;
  older versions said "Drag and drop files here", "Browse files") is hidden and the button
  reads 选择文件: Streamlit 1.67 has no setting to localise them, and our label already
  says which files and how large.
- On a phone the sidebar lies over the page; after a filter is picked it closes, as it
  does after a page is picked (a small script of our own, see CLOSE_SIDEBAR)."""
from __future__ import annotations

import streamlit as st
import streamlit.components.v2  # noqa: F401  (st.components.v2: a script in the page, not an iframe)

PHONE = 640  # px: Streamlit stacks st.columns below this width; our phone layout starts here too
WIDE_KEY, CARDS_KEY = "pbwide", "pbcards"  # container keys: Streamlit gives each the class st-key-<key>

CSS = f"""
[data-testid="stMetricValue"] {{ font-size: clamp(1.3rem, 0.9rem + 1.4vw, 2rem); }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
[data-testid="stMetricValue"] > div {{ word-break: keep-all; overflow-wrap: anywhere; }}
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none !important; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none !important; }}
[data-testid="stFileUploaderDropzone"] button > div::after {{ content: "选择文件"; }}
@media (max-width: {PHONE}px) {{
  [class*="{WIDE_KEY}"] {{ display: none !important; }}
  .js-plotly-plot .modebar-container {{ display: none !important; }}
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
}}
@media (min-width: {PHONE + 1}px) {{
  [class*="{CARDS_KEY}"] {{ display: none !important; }}
}}
"""

# After a widget in the sidebar changes on a narrow screen, press the sidebar's own
# collapse button. Streamlit does this itself after a page is picked, not after a filter;
# its own "tap outside closes it" stays as it is.
CLOSE_SIDEBAR = f"""
export default function (component) {{
  const doc = window.document;
  if (doc.body.dataset.pbSidebarWatch) return;
  doc.body.dataset.pbSidebarWatch = "1";
  const close = () => {{
    if (window.innerWidth > {PHONE}) return;
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) button.click();  // the button exists only while the sidebar is open
  }};
  // a pick in a selectbox or multiselect is a click on an option in a popover outside the
  // sidebar, while the focus stays in the sidebar's box; typing (the login box) closes nothing
  doc.addEventListener('click', (e) => {{
    const option = e.target.closest && e.target.closest('[role="option"]');
    if (option && doc.activeElement && doc.activeElement.closest('[data-testid="stSidebar"]')) setTimeout(close, 300);
  }}, true);
}}
"""

_closer = None


def frame() -> None:
    """Once per run, at the end of the sidebar (whose content stays in the page while it is
    closed): the style and the sidebar script. Not a style-only st.html: Streamlit sends
    that to its event container, which every rerun empties, so for the length of a rerun
    the phone layout fell back to the wide one (the span makes it an element that stays)."""
    global _closer
    with st.sidebar:
        st.html(f'<style>{CSS}</style><span class="pb-frame"></span>')
        if _closer is None:
            _closer = st.components.v2.component("perfboard_close_sidebar", js=CLOSE_SIDEBAR)
        _closer(key="perfboard_close_sidebar")
