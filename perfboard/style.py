"""The look shared by the dashboard's charts and the exported images."""

# CJK first: Debian's fonts-noto-cjk, then what Windows and macOS offices have
FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
