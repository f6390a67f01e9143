"""The look shared by the dashboard's charts and the exported images and briefs."""

# CJK first: Debian's fonts-noto-cjk, then what Windows and macOS offices have
FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"

# The dashboard's palette: blue for whole-department figures, amber for projects, then the rest
COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"]
MUTED = "#9ca3af"    # gaps, 未披露, summaries of the units not drawn one by one
INK = "#1f2937"      # text
FAINT = "#6b7280"    # secondary text: footers, captions
