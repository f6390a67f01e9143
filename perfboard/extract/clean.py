"""The page before the report: web-site chrome, a table of contents and pinyin
annotations are taken out before any rule reads the text, so that the title is the
first line again and a publisher (发布机构) is not mistaken for the department.

`clean(text)` returns the cleaned text and a `Spans` map from its offsets back to
offsets in `text` (the document's normalised text, which provenance refers to).
Nothing is rewritten, only removed: every kept character maps to itself."""
from __future__ import annotations

import bisect
import re

# A line of page metadata: label (spaces inside allowed: 索 引 号) then a value, or a row of
# such cells ("[ 发布机构 ] | 垫江县财政局 |").
_META_LABELS = ("索引号", "发布机构", "发文机关", "发文单位", "发布单位", "信息来源", "来源", "发布日期",
                "发布时间", "发文日期", "成文日期", "公开日期", "公开时间", "生成日期", "主题分类", "体裁分类",
                "组配分类", "服务对象分类", "分类", "文号", "发文字号", "有效性", "时效性", "公开方式",
                "公开范围", "浏览次数", "阅读次数", "浏览量", "点击数", "访问量", "字号", "保密审查情况",
                "部门主要负责人审签情况", "主办单位", "承办单位", "网站标识码", "网站识别码",
                "主题词", "关键词", "公开目录", "信息类别", "信息分类", "所属机构", "所属主题", "作者", "字体",
                "发文机构", "录入时间", "更新时间", "责任编辑", "编辑")


def _spaced(label: str) -> str:
    return r"\s*".join(map(re.escape, label))


_META = re.compile(r"^[\s\[【|·•\-*]*(?:" + "|".join(_spaced(k) for k in _META_LABELS) + r")\s*[\]】]?\s*[:|]")
_CHROME = re.compile(
    r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[:]"   # breadcrumbs
    r"|^\s*首页\s*(?:>|»|/|›|→)"                                     # 首页 > 政务公开 > …
    r"|(?:>|»|›)\s*\S{2,12}\s*(?:>|»|›)\s*\S{2,12}\s*(?:>|»|›)"        # a > b > c anywhere
    r"|欢迎(?:来到|访问|进入)\S{0,30}(?:网站|门户|平台|医院|学校)?"
    r"|(?:【|\[)?\s*(?:打印本页|打印文本|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏|分享到?)\s*(?:】|\])\s*(?:(?:【|\[)|$)"
    r"|^\s*(?:打印本页|关闭窗口|【打印】|【关闭】|分享到[:]?.*|扫一扫.*|相关阅读[:]?|相关链接[:]?|上一篇[:].*|下一篇[:].*)\s*$"
    r"|^\s*\S{0,10}网站\s*$"                                           # a link list: 地方政府网站 / 其他网站
)
# chrome phrases that a PDF's text layer can put on the same line as the report's own table:
# the line goes only when little else is on it, otherwise only the phrase
_PHRASE = re.compile(r"ICP备|公网安备|版权所有|Copyright|\(此件公开发布\)|当前文档共\d+页|下载后继续阅读")
PHRASE_LINE_KEEP = 80  # characters left beside the phrase that make the line the report's
# a site's toolbar: two or more of its buttons on one line (登录 注销 注册, 设为首页 | 加入收藏)
_TOOLBAR = re.compile(r"登录|注册|注销|设为首页|加入收藏|无障碍|长者模式|关怀版|English|繁體|简体版|个人中心|Rss订阅|"
                      r"网站地图|智能问答|手机版|今天是")
# a page's metadata given as bare values, one per bullet (• 11500224…/2024-00303 • 财政 • 有效)
_BULLET = re.compile(r"^\s*[•·▪●◆]\s*(?P<v>\S.{0,30})$")
_META_VALUE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|^[0-9A-Za-z]{6,}/|^(?:有效|失效|废止|财政|财政预算、决算)$")
# the site's own name standing above the breadcrumbs
_SITE = re.compile(r"网站|门户|人民政府\s*$|政府信息公开|\||[\u0080-\u024f]{2,}|[閾鍏甯傞]")
# the page's title in its metadata (标题：…, 名　　称：…): the label goes, the title stays, since
# some pages print it nowhere else
_TITLE_META = re.compile(r"^\s*(?:标\s*题|名\s*称|题\s*名)\s*:\s*(?=\S)")
_RELATED_ITEM = re.compile(r"^\s*[·•]\s*\S")
_TOC_HEAD = re.compile(r"^\s*目\s*录\s*$")
_NUMBERED = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.]|\(\s*[一二三四五六七八九十]+\s*\)"
                       r"|\d{1,2}\s*[.、](?!\d)|\d{1,2}\s*\.(?=20\d\d\s*年)|\d{1,2}\s+|表\s*\d|附件|附表|附:)")
_PAGE_REF = re.compile(r"PAGEREF|_Toc\d+|(?:\.{4,}|…{2,}|·{4,})\s*\d*\s*$|\s\d{1,3}\s*$")
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü\u00e0-\u01dc]{1,7}\)")
_TONED = re.compile(r"[\u00e0-\u01dc]")
HEAD_LINES = 40
FOOT_LINES = 15


class Spans:
    """Offsets in a cleaned text → offsets in the text it was cleaned from."""

    def __init__(self, kept: list[tuple[int, int]] | None = None):
        # (start in cleaned, start in source) of each kept run, in order
        self.clean_starts: list[int] = []
        self.source_starts: list[int] = []
        pos = 0
        for s, e in kept or []:
            self.clean_starts.append(pos)
            self.source_starts.append(s)
            pos += e - s

    def __call__(self, offset: int | None) -> int | None:
        if offset is None or not self.clean_starts:
            return offset
        k = bisect.bisect_right(self.clean_starts, offset) - 1
        k = max(k, 0)
        return self.source_starts[k] + offset - self.clean_starts[k]

    def span(self, start: int | None, end: int | None) -> tuple[int | None, int | None]:
        if start is None:
            return start, end
        s = self(start)
        e = self(max(start, (end or start) - 1)) + 1 if end is not None else None
        return s, e


def clean(text: str) -> tuple[str, Spans]:
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    drop = [False] * len(lines)
    _drop_chrome(lines, drop)
    _drop_contents(lines, drop)
    removed: list[tuple[int, int]] = []  # (start, end) in text, in order
    for k, line in enumerate(lines):
        if drop[k]:
            removed.append((starts[k], min(len(text), starts[k] + len(line) + 1)))
        else:
            if k < HEAD_LINES * 2 and (m := _TITLE_META.match(line)):
                removed.append((starts[k], starts[k] + m.end()))
            removed.extend((starts[k] + m.start(), starts[k] + m.end()) for m in _PHRASE.finditer(line))
    toned = len(_TONED.findall(text, 0, 200000)) if "(" in text else 0
    if toned >= 2:
        for m in _PINYIN.finditer(text):
            if _TONED.search(m.group()) or toned >= 6:
                removed.append((m.start(), m.end()))
    removed.sort()
    if not removed:
        return text, Spans()
    kept, last = [], 0
    for s, e in removed:
        if s > last:
            kept.append((last, s))
        last = max(last, e)
    if last < len(text):
        kept.append((last, len(text)))
    return "".join(text[s:e] for s, e in kept), Spans(kept)


def _drop_chrome(lines: list[str], drop: list[bool]) -> None:
    # metadata lines stand at the head or the foot of a page; inside the report a line that
    # opens with 来源 or 名称 is a table's (来源 | 金额)
    filled = [k for k, line in enumerate(lines) if line.strip()]
    edge = set(filled[:HEAD_LINES]) | set(filled[-FOOT_LINES:])
    first_crumb = None
    for seen, k in enumerate(filled, 1):
        line = lines[k]
        meta = k in edge and _META.search(line)
        toolbar = seen <= HEAD_LINES and len(set(_TOOLBAR.findall(line))) >= 2 and "。" not in line
        phrase = _PHRASE.search(line) and len(_PHRASE.sub("", line).strip()) <= PHRASE_LINE_KEEP
        if meta or toolbar or phrase or _CHROME.search(line):
            drop[k] = True
            if first_crumb is None and seen <= 4:
                first_crumb = k
    # the site's name above the breadcrumbs or the page's metadata: a short line, not a sentence
    # (第三季度，市人民政府门户网站收到… is the report)
    if first_crumb is not None:
        for k in range(first_crumb):
            # …nor a title that carries its year (2024年度广元市利州区大石镇人民政府 over 部门决算)
            if lines[k].strip() and _SITE.search(lines[k]) and len(lines[k].strip()) <= 40 \
                    and not re.search(r"[。,;]|20\d\d\s*年", lines[k]):
                drop[k] = True
    _drop_bare_metadata(lines, drop, filled[:HEAD_LINES])
    _drop_split_metadata(lines, drop, filled[:HEAD_LINES])
    # a list of related links at the foot of the page
    for k, line in enumerate(lines):
        if drop[k] and re.match(r"^\s*相关(?:阅读|链接|文章)", line):
            j = k + 1
            while j < len(lines) and (not lines[j].strip() or _RELATED_ITEM.match(lines[j])):
                drop[j] = True
                j += 1


def _drop_bare_metadata(lines: list[str], drop: list[bool], head: list[int]) -> None:
    """A run of three or more bullets at the head whose values are an index number, a date or a
    status (• 11500224…/2024-00303 • 财政 • 铜梁区财政局 • 有效 • 2024-02-05): the page's metadata
    without its labels, whose publisher is not the department."""
    run: list[int] = []
    for k in head + [None]:
        m = _BULLET.match(lines[k]) if k is not None else None
        if m and not re.search(r"[。,;]", m.group("v")):
            run.append(k)
            continue
        values = [_BULLET.match(lines[j]).group("v").strip() for j in run]
        if len(run) >= 3 and sum(1 for v in values if _META_VALUE.search(v)) >= 2:
            for j in run:
                drop[j] = True
        run = []


_LABEL_ALONE = re.compile(r"^[\s\-•·*]*(?:" + "|".join(_spaced(k) for k in _META_LABELS + ("日期",)) + r")\s*:?\s*$")
_LABEL_GLUED = re.compile(r"^\s*(?:" + "|".join(_spaced(k) for k in _META_LABELS) + r")(?=\S)")
_BARE_BULLET = re.compile(r"^\s*[-•·*]\s*$")


def _drop_split_metadata(lines: list[str], drop: list[bool], head: list[int]) -> None:
    """The page's metadata as bullets with the label on one line and its value on the next
    (- 发文机构 / - 隆阳区农业农村局), or bare bullets between labels glued to their values
    (- / 发布机构开远市人民政府): the labels and their values go, the title after them stays."""
    for n, k in enumerate(head):
        line = lines[k]
        if _LABEL_ALONE.match(line):
            drop[k] = True
            nxt = head[n + 1] if n + 1 < len(head) else None
            if nxt is not None and not _LABEL_ALONE.match(lines[nxt]) and len(lines[nxt].strip()) <= 40 \
                    and not re.search(r"[。,;]", lines[nxt]) and re.match(r"^\s*[-•·*]", lines[nxt]):
                drop[nxt] = True
        elif _BARE_BULLET.match(line):
            drop[k] = True
            nxt = head[n + 1] if n + 1 < len(head) else None
            if nxt is not None and _LABEL_GLUED.match(lines[nxt]) and len(lines[nxt].strip()) <= 40:
                drop[nxt] = True


def _drop_contents(lines: list[str], drop: list[bool]) -> None:
    """A 目录 line and the numbered, page-referenced lines after it, up to the first line
    that is neither (the title or the first section's heading repeated)."""
    for k, line in enumerate(lines[:200]):
        if not _TOC_HEAD.match(line):
            continue
        entries = []
        j = k + 1
        while j < len(lines):
            item = lines[j]
            if drop[j] or not item.strip():
                j += 1
                continue
            bare = _PAGE_REF.sub("", item).strip()
            if entries and bare and bare == entries[0] and not _PAGE_REF.search(item):
                break  # the body starts with the first entry's heading
            if len(item.strip()) > 60 or "。" in item or not (_NUMBERED.match(item) or _PAGE_REF.search(item)):
                break
            entries.append(bare)
            j += 1
        if len(entries) >= 3:
            for i in range(k, j):
                drop[i] = True
        return
