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
  does after a page is picked (a small script of our own, see CLOSE_SIDEBAR).
- Streamlit's own chrome speaks English and 1.67 has no setting for its language: the
  toolbar over a grid (its tooltips "Download as CSV", "Search", "Fullscreen"…), the
  full-screen button it adds to plotly's toolbar (whose other buttons components.PLOTLY_LOCALE names),
  a grid's column menu, the "Running…/Stop" status. The ⋮ main menu and Deploy are
  switched off in .streamlit/config.toml (client.toolbarMode = "minimal"); the rest is
  translated in place by the same script, from the fixed table CHROME_ZH, only inside those
  controls (never in the page's content), so no control is lost."""
from __future__ import annotations

import json

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

# Streamlit's English (frontend strings of 1.67) → ours; matched whole, inside CHROME only
CHROME_ZH = {
    "Download as CSV": "下载 CSV", "Search": "搜索", "Close Search": "关闭搜索", "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏", "Show/hide columns": "显示/隐藏列", "Clear selection": "清除选择",
    "Select all": "全选", "Sort ascending": "升序排列", "Sort descending": "降序排列", "Format": "数字格式",
    "Autosize": "自动列宽", "Pin column": "固定此列", "Unpin column": "取消固定", "Hide column": "隐藏此列",
    "Copy column name": "复制列名", "Copy": "复制", "Copy to clipboard": "复制到剪贴板",
    "Automatic": "自动", "Localized": "本地格式", "Plain": "原样", "Percent": "百分比", "Scientific": "科学计数",
    "Engineering": "工程计数", "Compact": "紧凑", "Accounting": "会计格式", "Dollar": "美元", "Euro": "欧元",
    "Yen": "日元", "Calendar": "日历", "Distance": "距今", "Duration": "时长", "Sum": "合计", "Average": "平均",
    "Median": "中位数", "Minimum": "最小", "Maximum": "最大", "Range": "范围", "Distinct": "不同值",
    "Empty": "空值", "Values": "值", "Standard deviation": "标准差", "Average length": "平均长度",
    "Minimum length": "最短", "Maximum length": "最长", "No results": "没有结果",
    "Running...": "正在运行…", "Stop": "停止", "Connecting": "正在连接", "Rerun": "重新运行",
}
# where Streamlit draws that chrome: tooltips and popovers (toolbars, menus), the toolbars, the status
CHROME = ('[data-baseweb="tooltip"], [data-baseweb="popover"], [data-testid="stElementToolbar"], '
          '[data-testid="stStatusWidget"], [data-testid="stTooltipContent"]')
TRANSLATE_CHROME = f"""
  const ZH = Object.assign(Object.create(null), {json.dumps(CHROME_ZH, ensure_ascii=False)});
  const translate = () => {{
    for (const box of doc.querySelectorAll({json.dumps(CHROME)})) {{
      const walker = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {{
        const t = n.textContent.trim();
        if (ZH[t]) n.textContent = n.textContent.replace(t, ZH[t]);
      }}
      for (const el of [box, ...box.querySelectorAll('[aria-label]')]) {{
        const label = el.getAttribute('aria-label');
        const head = label && label.split(':')[0];
        if (head && ZH[head]) el.setAttribute('aria-label', ZH[head] + label.slice(head.length));
      }}
    }}
    // plotly's toolbar shows a button's data-title as its tooltip: Streamlit adds its own full-screen button there
    for (const el of doc.querySelectorAll('.modebar-btn[data-title]')) {{
      const title = el.getAttribute('data-title');
      if (ZH[title]) el.setAttribute('data-title', ZH[title]);
    }}
  }};
  // when the browser is idle (never between a chart's drawing steps), at most 300 ms late
  let queued = false;
  const later = window.requestIdleCallback ? (f) => window.requestIdleCallback(f, {{timeout: 300}})
                                           : (f) => setTimeout(f, 50);
  new MutationObserver(() => {{
    if (queued) return;
    queued = true;
    later(() => {{ queued = false; translate(); }});
  }}).observe(doc.body, {{childList: true, subtree: true, characterData: true}});
  translate();
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
{TRANSLATE_CHROME}}}
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
