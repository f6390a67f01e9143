"""Static chart images (PNG, SVG) rendered by kaleido in a system Chromium.

One long-lived kaleido server per process: starting Chromium costs seconds, each image
after that a fraction of one. Figures get the briefing look here (white background,
a CJK font, title, units, and a footer naming sources and date), so the dashboard's
own figures stay as they are."""
from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import threading

import plotly.graph_objects as go

from perfboard.style import FONT_FAMILY as CJK_FONT
WIDTH, HEIGHT, SCALE = 1000, 560, 2   # 2000 × 1120 px PNG
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

_lock = threading.Lock()
_started = False


class NoBrowser(RuntimeError):
    """No Chromium to render with; the chart's own toolbar download still works."""

    zh = "未找到 Chromium 浏览器，无法在服务器端生成图片；可使用图表右上角工具栏下载。"


def browser_path() -> str | None:
    path = os.environ.get("BROWSER_PATH")
    if path and os.path.exists(path):
        return path
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _ensure_server() -> None:
    global _started
    with _lock:
        if _started:
            return
        path = browser_path()
        if not path:
            raise NoBrowser("no Chromium found (set BROWSER_PATH)")
        os.environ.setdefault("BROWSER_PATH", path)
        import kaleido
        kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True)
        _started = True


def briefing_style(fig: go.Figure, sources: list[str], generated: dt.date | None = None,
                   title: str | None = None) -> go.Figure:
    """A copy of `fig` dressed for a slide: white, CJK font, footer with sources and date."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    generated = generated or dt.date.today()
    footer = f"数据来源：{'、'.join(sources) if sources else '—'} · 生成于 {generated.isoformat()}"
    if len(footer) > 120:
        footer = footer[:117] + "…"
    out.update_layout(
        template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=CJK_FONT, size=16, color="#222"),
        margin=dict(l=80, r=40, t=90, b=110),
    )
    if title:
        out.update_layout(title=dict(text=title))
    out.add_annotation(text=footer, xref="paper", yref="paper", x=0, y=-0.22, xanchor="left",
                       yanchor="top", showarrow=False, font=dict(size=12, color="#666"))
    return out


def render(fig: go.Figure, fmt: str = "png", width: int = WIDTH, height: int = HEIGHT,
           scale: int = SCALE) -> bytes:
    """PNG or SVG bytes of a figure (already styled)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    _ensure_server()
    import kaleido
    return kaleido.calc_fig_sync(fig, opts=dict(format=fmt, width=width, height=height,
                                                scale=scale if fmt == "png" else 1))


def chart_image(fig: go.Figure, fmt: str, sources: list[str], title: str | None = None,
                generated: dt.date | None = None) -> bytes:
    return render(briefing_style(fig, sources, generated, title), fmt)
