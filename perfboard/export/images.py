"""Static chart images (PNG, SVG) rendered by kaleido in a system Chromium.

One long-lived kaleido server per process: starting Chromium costs seconds, each image
after that a fraction of one. Figures get the briefing look here (white background,
a CJK font, title, units, and a footer strip naming sources and date), so the
dashboard's own figures stay as they are."""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import os
import re
import shutil
import threading

import plotly.graph_objects as go

from perfboard.style import FAINT, INK
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


FOOTER_CHARS = 76   # about one line of the 12 px footer across a 1000 px image
FOOTER_PX = 30      # its strip below the chart


def _display_len(text: str) -> float:
    """Width in CJK characters: ASCII is about half as wide."""
    return sum(0.55 if ord(ch) < 128 else 1 for ch in text)


def footer_text(sources: list[str] | str, generated: dt.date, limit: float = FOOTER_CHARS) -> str:
    """数据来源：… · 生成于 YYYY-MM-DD. The sources are shortened to fit the line (as many
    as fit, then 等 N 份报告); the date is never cut off."""
    date = f" · 生成于 {generated.isoformat()}"
    budget = limit - _display_len("数据来源：" + date)
    if isinstance(sources, str):
        named = sources if _display_len(sources) <= budget else _cut(sources, budget - 1) + "…"
    else:
        named = "、".join(sources) if sources else "—"
        if _display_len(named) > budget:
            kept: list[str] = []
            for source in sources:
                rest = f"等 {len(sources)} 份报告"
                if _display_len("、".join(kept + [source]) + rest) > budget:
                    break
                kept.append(source)
            named = ("、".join(kept) + f" 等 {len(sources)} 份报告") if kept else f"{len(sources)} 份报告"
    return f"数据来源：{named}{date}"


def _cut(text: str, width: float) -> str:
    out, used = "", 0.0
    for ch in text:
        used += _display_len(ch)
        if used > width:
            break
        out += ch
    return out


def briefing_style(fig: go.Figure, title: str | None = None, margin: dict | None = None) -> go.Figure:
    """A copy of `fig` dressed for a slide: white, CJK font, room around the plot."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(
        template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=CJK_FONT, size=16, color=INK), margin=margin or dict(l=80, r=40, t=90, b=80),
    )
    if title:
        out.update_layout(title=dict(text=title))
    return out


def footer_figure(text: str) -> go.Figure:
    """The footer strip: one grey line, left-aligned."""
    fig = go.Figure()
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0.5, xanchor="left", yanchor="middle",
                       xshift=16, showarrow=False, font=dict(family=CJK_FONT, size=12, color=FAINT))
    fig.update_layout(template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
                      margin=dict(l=0, r=0, t=0, b=0), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def render(fig: go.Figure, fmt: str = "png", width: int = WIDTH, height: int = HEIGHT,
           scale: int = SCALE) -> bytes:
    """PNG or SVG bytes of a figure (already styled)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    _ensure_server()
    import kaleido
    return kaleido.calc_fig_sync(fig, opts=dict(format=fmt, width=width, height=height,
                                                scale=scale if fmt == "png" else 1))


def chart_image(fig: go.Figure, fmt: str, sources: list[str] | str, title: str | None = None,
                generated: dt.date | None = None, width: int = WIDTH, height: int = HEIGHT,
                margin: dict | None = None) -> bytes:
    """The chart with its footer (数据来源：… · 生成于 …) in a strip of its own below it:
    whatever room a figure's axis labels take (plotly grows margins for long ones), they
    cannot run into the footer. `sources`: the reports' names (unit · year · document),
    or one line that sums them up."""
    chart = render(briefing_style(fig, title, margin), fmt, width, height - FOOTER_PX)
    foot = _footer_strip(footer_text(sources, generated or dt.date.today()), fmt, width)
    return _stack_png(chart, foot) if fmt == "png" else _stack_svg(chart, foot, width, height)


@functools.lru_cache(maxsize=64)
def _footer_strip(text: str, fmt: str, width: int) -> bytes:
    # a page's charts share their footer (same filters, same day): drawn once
    return render(footer_figure(text), fmt, width, FOOTER_PX)


def _stack_png(top: bytes, bottom: bytes) -> bytes:
    from PIL import Image
    upper, lower = Image.open(io.BytesIO(top)).convert("RGB"), Image.open(io.BytesIO(bottom)).convert("RGB")
    canvas = Image.new("RGB", (upper.width, upper.height + lower.height), "white")
    canvas.paste(upper, (0, 0))
    canvas.paste(lower, (0, upper.height))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def _stack_svg(top: bytes, bottom: bytes, width: int, height: int) -> bytes:
    def nested(svg: bytes, y: int) -> str:
        text = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg.decode("utf-8"))
        return text.replace("<svg ", f'<svg y="{y}" ', 1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f"{nested(top, 0)}{nested(bottom, height - FOOTER_PX)}</svg>").encode("utf-8")
