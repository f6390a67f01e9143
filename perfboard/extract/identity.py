"""Who reported, for which year, about what: department, location, evaluated year,
report kind and project name."""
from __future__ import annotations

import re
from collections import Counter

from perfboard import places
from perfboard.extract.model import Fact
from perfboard.extract.text import CJK, header, header_offset

# an organisation's name ends with one of these (the longest ending in a run wins: …中心卫生院,
# 中共…委员会, 政协…委员会, …人民政府办公室)
ORG_SUFFIX = (r"(?:委员会|人民政府|办公室|办事处|管理局|管理处|管理所|管理站|服务中心|中心卫生院|卫生院|医院|中心|"
              r"学校|中学|小学|幼儿园|大学|学院|研究院|研究所|图书馆|博物馆|纪念馆|文化馆|保护区|馆|局|厅|院|站|队|"
              r"所|办|委|部|社|联|会)")
ORG = rf"[{CJK}()]{{1,38}}?{ORG_SUFFIX}"
# 、 joins two bodies that report as one (中共荣成市委、荣成市人民政府信访局)
ORG_GREEDY = re.compile(rf"[{CJK}()·]{{1,38}}(?:{ORG_SUFFIX}、[{CJK}()·]{{1,30}})?{ORG_SUFFIX}")
# words at which a title stops naming its author (…信访局关于…, …局2023年度…, …局部门整体…)
NOT_NAME = re.compile(r"关于|年度|部门|单位决算|单位预算|项目|整体支出|整体绩效|"
                      r"绩效|自评|预算|决算|报告|公开|说明|的|\d")
ORG_LABELS = [
    ("label.部门名称", r"(?:部门|单位|预算单位)名称", 0.95),
    ("label.填报单位", r"填报单位(?:\(盖章\))?", 0.9),
    ("label.评价单位", r"(?:被评价|自评)单位", 0.9),
    # a cell, not 实施单位为…; in a form run together, the name up to the next label
    # (项目实施单位湖北工程学院项目类别…)
    ("label.实施单位", r"(?:(?:项目)?实施单位|项目单位|项目承担单位)"
                       r"(?=[\s:|]|(?:(?!为|是|的|和|及)[^\s|:]){4,30}?(?:项目类别|项目属性|项目负责人|联系电话|填报日期))", 0.85),
]
SUPERVISOR_LABEL = ("label.主管部门", r"主管部门", 0.6)
YEAR_LABELS = [
    ("label.被评价年度", r"(?:被评价|评价|考核|自评)年度[\s:|]*(?P<y>20\d\d)"),
    ("paren.年度", r"\(\s*(?P<y>20\d\d)\s*年度?\s*\)"),
]
GENERIC_PROJECT_WORDS = re.compile(r"部门|单位|重点|专项|整体|支出|的|年度|财政")


def department(text: str) -> Fact | None:
    """Who reports: a labelled cell (部门名称, 填报单位, 实施单位 …), else the name in the title,
    else the supervising body (主管部门) of a project table, else the signature at the end
    (a name standing on its own line above the date). The name as the report gives it, with
    its city when the report writes it in full somewhere (株洲市芦淞区城市管理和综合执法局)."""
    found = _labelled(text, ORG_LABELS)
    if not found:
        head, _ = header(text)
        pos = 0
        lines = head.splitlines(keepends=True)
        for k, line in enumerate(lines):
            hit = _org_in_title(line)
            if not hit and k + 1 < len(lines) and line.strip() and not places.strip_places(line.strip()):
                # a title broken after its place (昆明市盘龙区 / 信访局2023年度…): read the two as one
                joined = _org_in_title(line.strip() + lines[k + 1].strip())
                if joined:
                    name, _ = joined
                    at = text.find(line.strip())
                    offset = at if at >= 0 else pos + line.find(line.strip()[:1])
                    found = Fact("department", name, offset, offset + len(line.strip()), "title.two_lines",
                                 confidence=0.8)
                    break
            if hit:
                name, offset = hit
                # the header leaves blank lines out: find the line itself for its offset
                at = text.find(line.rstrip("\n"))
                start = (at if at >= 0 else pos) + offset
                found = Fact("department", name, start, start + len(name), "title", confidence=0.85)
                break
            pos += len(line)
    if not found:
        found = _labelled(text, [SUPERVISOR_LABEL])
    if not found:
        found = _signature(text)
    if not found or SELF_NAME.match(found.value):
        # a body line read as the title (我局（…）负责…): the name is inside the brackets
        found = _self_named(text) or found
    if not found:
        found = _in_body(text)
    if found:
        _expand(found, text)
    return found


# the next label of a form run together (主管部门中江县水利局实施单位中江县水利局资金情况…): a value ends there
_NEXT_LABEL = re.compile(r"(?:项目)?实施单位|项目单位|主管部门|项目负责人|联系电话|资金情况|项目资金|填报日期|项目属性|项目类别")


def _labelled(text: str, labels) -> Fact | None:
    for rule, label, confidence in labels:
        for m in re.finditer(f"(?:{label})" + r"[\s:|]*(?:\(盖章\)[\s:|]*)?(?P<v>[^\s|:]{2,40})", text):
            value = m.group("v")
            cut = _NEXT_LABEL.search(value, 2)
            name = _org_prefix(value[:cut.start()] if cut else value)
            if name:
                start = m.start("v")
                return Fact("department", name, start, start + len(name), rule, confidence=confidence)
    return None


_DATE_LINE = re.compile(r"^\s*(?:20\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|20\d\d-\d{1,2}-\d{1,2})\s*$")


def _signature(text: str) -> Fact | None:
    """The last line that is only a name and is followed by a date line (the 落款)."""
    lines = text.split("\n")
    pos, starts = 0, []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    best = None
    for k, line in enumerate(lines):
        if not _DATE_LINE.match(line):
            continue
        j = k - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j < 0:
            continue
        candidate = re.sub(r"\s*\((?:盖章|公章|章)\)\s*$", "", lines[j].strip())
        m = ORG_GREEDY.fullmatch(candidate)
        if m and len(candidate) >= 4:
            offset = starts[j] + lines[j].find(candidate)
            best = Fact("department", candidate, offset, offset + len(candidate), "signature", confidence=0.75)
    if best:
        return best
    tail_start = max(0, len(text) - 300)
    for m in re.finditer(rf"(?m)^[ \t]*(?P<v>{ORG})[ \t]*$", text[tail_start:]):
        return Fact("department", m.group("v"), tail_start + m.start("v"), tail_start + m.end("v"), "signature",
                    confidence=0.6)
    return None


SELF_NAME = re.compile(r"(?:我|本)(?:局|委|办|院|部|中心|单位|部门)\(")


def _self_named(text: str) -> Fact | None:
    """A letter that names its author only in the body: 我局（衡阳市石鼓区信访局）是…"""
    m = re.search(SELF_NAME.pattern + r"(?P<v>[^()]{4,30})\)", text[:4000])
    name = _org_prefix(m.group("v")) if m else None
    if not name:
        return None
    return Fact("department", name, m.start("v"), m.start("v") + len(name), "body.我局(…)", confidence=0.7)


SELF_VERBS = (r"(?:下设|内设|设有|现有|核定|隶属于?|是(?:负责|主管|全[区县市])|为(?:县|区|市|全额|财政)|主要职责|主要有"
              # …是市委领导全市政法工作的职能部门, …是一所集医疗、预防、保健为一体的综合性公立医院
              r"|是[^。;\n]{0,24}?(?:职能部门|办事机构|工作部门|派出机构|综合性|公立医院|事业单位))")
# a township's body (观庄乡卫生院, 大石镇人民政府) names its place by a 乡/镇 the gazetteer does not hold
TOWNSHIP_ORG = re.compile(rf"^[{CJK}]{{2,4}}[乡镇][{CJK}]{{0,10}}{ORG_SUFFIX}$")


def _in_body(text: str) -> Fact | None:
    """A name that opens the body's sentences, right before a year (义龙试验区群众工作部2015年预算…):
    the most frequent one near the top, as a last resort."""
    counts: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}  # where each name is first written (its short form, maybe)
    for m in re.finditer(rf"(?:^|[。;\n,])\s*(?P<v>[{CJK}()]{{4,30}}?)\s*20\d\d\s*年", text[:4000]):
        name = _org_prefix(m.group("v"))
        if name and len(name) >= 5:
            counts[name] += 1
            first.setdefault(name, (m.start("v"), m.end("v")))
    if not counts:
        # …or before what a body says of itself (渠县农业综合技术服务中心下设办公室…): only a name
        # that carries its place
        # (1、机构设置:北京市通州区玉桥街道办事处(本级)下设…: after a heading's colon, before (本级))
        for m in re.finditer(rf"(?:^|[。;\n,:])\s*(?P<v>[{CJK}()]{{4,30}}?)\s*(?:\(本级\))?\s*{SELF_VERBS}",
                             text[:4000]):
            name = _org_prefix(m.group("v"))
            if not name or len(name) < 5 and not TOWNSHIP_ORG.match(name or "") or name != m.group("v"):
                continue
            if not places.find_places(name):
                # 市委政法委员会是…: the short form, written in full with its place elsewhere
                name = _with_place(name, text) or (name if TOWNSHIP_ORG.match(name) else None)
            if name:
                counts[name] += 1
                first.setdefault(name, (m.start("v"), m.end("v")))
    if not counts:
        return None
    name, _ = counts.most_common(1)[0]
    # the short form is said most often; the full one (义龙试验区群众工作部) shares its opening
    name = max((n for n in counts if n[:4] == name[:4]), key=len)
    return Fact("department", name, first[name][0], first[name][1], "body", confidence=0.5)


SITE_NAME = re.compile(rf"欢迎(?:来到|访问|进入)(?P<v>[{CJK}]{{3,20}}?)(?:门户)?网站")


def site_department(original: str, text: str) -> Fact | None:
    """A page whose body names its author only as 我会 / 县政协 (欢迎来到南县政协网站!): the site's
    own name, where the body calls itself by it (县政协 is 南县政协 without its place). Never a
    government's or a finance bureau's site: those publish other departments' reports."""
    m = SITE_NAME.search(original[:2000])
    if not m:
        return None
    name = m.group("v")
    short = places.strip_places(name)
    if not places.find_places(name) or not short or short == name or re.search(r"政府|财政|信息公开", short):
        return None
    if not re.fullmatch(rf"(?:{ORG_SUFFIX}|政协|人大)", short) and not ORG_GREEDY.fullmatch(name):
        return None
    if not re.search(rf"[省市县区州旗]{re.escape(short)}", text[:6000]):
        return None
    # the site's line is chrome, taken out of the text the offsets refer to: the snippet says where
    return Fact("department", name, None, None, "site_name", confidence=0.5, snippet=m.group())


def _with_place(short: str, text: str) -> str | None:
    """市委政法委员会 → 中共兰州市委政法委员会 where the text writes it so (承办中共兰州市委政法委员会交办的…):
    the place before the short form must be a gazetteer name together with its first character."""
    if short[0] not in "市县区州省":
        return None
    for m in re.finditer(re.escape(short[1:]), text):
        before = text[max(0, m.start() - 9):m.start()]
        if not before.endswith(short[0]):
            continue
        for length in range(min(8, len(before)), 1, -1):
            place = before[-length:]
            if re.fullmatch(f"[{CJK}]+", place) and any(p.name == place for p in places.find_places(place)):
                lead = "中共" if text[max(0, m.start() - length - 2):m.start() - length] == "中共" else ""
                return lead + place + short[1:]
    return None


def _expand(fact: Fact, text: str) -> None:
    """盘龙区… stays as written unless the report also writes it with its city in front."""
    name = fact.value
    if any(p.level != "district" for p in places.find_places(name)):
        return
    best = ""
    for k, m in enumerate(re.finditer(re.escape(name), text)):
        if k >= 20:
            break
        before = text[max(0, m.start() - 10):m.start()]
        if not before or before[-1] not in "市省州区县盟旗":
            continue  # only a place's name ends right before it
        for length in range(min(10, len(before)), 1, -1):
            prefix = before[-length:]
            if len(prefix) > len(best) and re.fullmatch(f"[{CJK}]+", prefix) and not places.strip_places(prefix) \
                    and any(p.level != "district" for p in places.find_places(prefix)):
                best = prefix
                break
    if best:
        fact.value = best + name


_CODE = re.compile(r"^[0-9A-Za-z_]{2,}[-_.、:]\s*")  # 219001-池州市…: a budget system's unit code


def _org_prefix(value: str) -> str | None:
    value = NOT_NAME.split(re.sub(r"^(?:关于|对)", "", _CODE.sub("", value)), 1)[0]
    m = ORG_GREEDY.match(value)
    if not m:
        return None
    name = m.group()
    if re.search(r"网站$|网$", name):
        return None  # a web site (鹰潭市政府网站) is no body that reports
    if name.count("(") > name.count(")"):  # 群众工作部(信访局): close the bracket, or leave it out
        name = name + ")" if value[m.end():m.end() + 1] == ")" else name[:name.rindex("(")]
    if name and (places.find_places(name) or len(name) >= 4):
        return name
    return None


def _org_in_title(line: str) -> tuple[str, int] | None:
    # Titles put the year before or after the name: 2023年度广州市白云区信访局部门重点…
    for m in re.finditer(rf"(?:20\d\d\s*年度?\s*)?(?P<v>[{CJK}][{CJK} ()、]*)", line):
        chunk = m.group("v")
        compact = chunk.replace(" ", "")
        name = _org_prefix(compact)
        if name and places.find_places(name):
            start = m.start("v") + len(chunk) - len(chunk.lstrip())
            return name, start
    return None


def location(name: str | None, text: str, original: str = "") -> places.Location:
    """Where the department is: from its name; a name without its place (市交通运输局) takes the
    city the text names most often; one the gazetteer cannot place (观庄乡卫生院) the publisher's
    place (发布机构 隆德县卫生健康局: a county site publishes its own townships' reports). No
    department: the place its title names (四川省汶川县2021年…转移支付绩效自评报告)."""
    if not name:
        head, _ = header(text)
        line = next((ln for ln in head.splitlines() if places.find_places(ln)), None)
        return places.locate(line, text[:3000]) if line else places.Location()
    loc = places.locate(name, text[:3000])
    if loc.province or loc.city or loc.district:
        return loc
    level = {"市": "city", "县": "district", "区": "district"}.get(name[0])
    if level:
        counts = Counter(p.name for p in places.find_places(text[:3000]) if p.level == level)
        if counts:
            return places.locate(counts.most_common(1)[0][0], text[:3000])
    publisher = re.search(r"发布机构[\s|:]*(?P<v>[^\s|:]{2,30})", original[:3000])
    if publisher and TOWNSHIP_ORG.match(name):
        return places.locate(publisher.group("v"), "")
    return loc


def evaluated_year(text: str) -> Fact | None:
    for rule, pattern in YEAR_LABELS:
        m = re.search(pattern, text)
        if m:
            return Fact("evaluated_year", int(m.group("y")), m.start("y"), m.end("y"), rule, confidence=0.95)
    head, _ = header(text)
    # the form's own year (2022年度项目支出绩效自评表) over a year in a fund's name above it
    # (隆阳区2021年中央化肥…补助资金绩效自评): the year evaluated is the form's
    form = re.search(r"(?P<y>20\d\d)\s*年度[^\n\d]{0,16}?(?:自评表|自评报告|评价报告|评价表)", head)
    if form and re.search(r"20\d\d\s*年[^度\n\d][^\n]{0,30}资金", head[:form.start()]):
        start = header_offset(text, form.start("y"))
        return Fact("evaluated_year", int(form.group("y")), start, start + 4, "title.form_year", confidence=0.9)
    # a file name that opens with its year, no 年 after it (2023萍乡市湘东区信访局年度工作总结.doc)
    lead = re.match(r"\s*(?P<y>20\d\d)(?=[\u4e00-\u9fff]{2,}[^\n]{0,40}(?:总结|报告|自评|通报|情况))", head)
    if lead:
        start = header_offset(text, lead.start("y"))
        return Fact("evaluated_year", int(lead.group("y")), start, start + 4, "title.leading_year", confidence=0.8)
    # a year in the title that is not part of a date (2023年6月 is when it was written)
    # …or opens a span of months in it (2024年1-6月, 2024年1月至12月): the year it covers
    # …or names the one month a bulletin covers (徐汇区2023年5月信访情况通报), not a date (…5月8日)
    for m in re.finditer(r"(?<![较比与同])(?<![较比与同]\s)(?P<y>20\d\d)\s*(?:年度|年(?!\s*\d{1,2}\s*月)|年\s*\d{1,2}\s*月?\s*[-—~至到]\s*\d{1,2}\s*月"
                         r"|年\s*\d{1,2}\s*月(?!\s*\d{1,2}\s*日)(?=[^\n\d]{0,12}(?:情况|通报|分析|统计|简报|快报))"
                         r"|-20\d\d)", head):
        start = header_offset(text, m.start("y"))
        return Fact("evaluated_year", int(m.group("y")), start, start + 4, "title", confidence=0.9)
    # …not the year compared with (较2022年度决算数增加…, 与2022年度相比): that is the year before
    years = Counter(int(m.group(1)) for m in re.finditer(r"(?<![较比与同])(?<![较比与同]\s)(20\d\d)\s*年度", text))
    if years:
        y = years.most_common(1)[0][0]
        m = re.search(rf"{y}\s*年度", text)
        return Fact("evaluated_year", y, m.start(), m.start() + 4, "most_common_年度", confidence=0.7)
    plain = Counter(int(m.group(1)) for m in re.finditer(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)(?!底|末)", text[:6000]))
    if plain:
        y = plain.most_common(1)[0][0]
        m = re.search(rf"{y}\s*年", text)
        return Fact("evaluated_year", y, m.start(), m.start() + 4, "most_common_年", confidence=0.5)
    # a month it reports on (2025年4月份，…共收到…): that month's year
    months = Counter(int(m.group(1)) for m in re.finditer(r"(20\d\d)\s*年\s*\d{1,2}\s*月(?:份)?(?!\s*\d{1,2}\s*日)(?![底末])",
                                                         text[:3000]))
    if months:
        y = months.most_common(1)[0][0]
        m = re.search(rf"{y}\s*年", text)
        return Fact("evaluated_year", y, m.start(), m.start() + 4, "month", confidence=0.4)
    # a period it reports on (2022年9月1日—30日, 2023年12月21日至2024年12月20日): the year it ends in
    period = re.search(r"(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:至|到|-|—|~)\s*(?:(20\d\d)\s*年)?", text[:3000])
    if period:
        group = 2 if period.group(2) else 1
        return Fact("evaluated_year", int(period.group(group)), period.start(group), period.end(group), "period",
                    confidence=0.5)
    # a date that opens a period (2025年3月4日至3月10日) is when work was done, not the report's date
    dates = [m for m in re.finditer(r"(20\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?!\s*(?:至|到|-|—|~))", text)]
    if dates:
        last = dates[-1]  # reports are dated a year after the year they evaluate
        if re.search(r"(?:统计(?:时间|日期|截止)|数据截[至止]|截[至止])(?:时间)?(?:为|到|:)?\s*$", text[max(0, last.start() - 12):last.start()]):
            # …but a statistics date (本数据统计时间为2021年12月8日) closes the period counted: its own year
            return Fact("evaluated_year", int(last.group(1)), last.start(1), last.end(1), "statistics_date",
                        derived=True, confidence=0.4)
        return Fact("evaluated_year", int(last.group(1)) - 1, last.start(), last.end(), "report_date_minus_1",
                    derived=True, confidence=0.5)
    return None


TRANSFER_TITLE = re.compile(rf"(?:20\d\d年度?)(?P<v>[{CJK}“”\"]{{2,40}}?资金)\(转移支付\)(?:资金)?绩效")


def report_kind(text: str) -> Fact:
    head, end = header(text)
    compact = re.sub(r"\s+", "", head)
    m = re.search(r"部门整体|整体支出|部门绩效|整体绩效", compact)
    if m:
        return Fact("report_kind", "department_overall", 0, end, "title.整体", confidence=0.9)
    # …提升项目2020年度绩效自评报告: the year may stand between 项目 and 绩效
    m = re.search(r"项目(?:支出)?(?:20\d\d年度?)?(?:绩效|评价|自评)|绩效评价报告|专项资金", compact)
    if m and "项目" in compact:
        return Fact("report_kind", "project", 0, end, "title.项目", confidence=0.85)
    # a transfer payment's self-evaluation (…补助资金(转移支付)绩效自评报告, 中央对地方转移支付区域
    # 绩效自评表) is about one fund
    if TRANSFER_TITLE.search(compact) or re.search(r"转移支付(?:区域|项目)?绩效(?:自评|评价)", compact):
        return Fact("report_kind", "project", 0, end, "title.转移支付", confidence=0.8)
    return Fact("report_kind", "department_overall", 0, end, "default", confidence=0.6)


def project_name(text: str, department_name: str | None) -> Fact | None:
    # 转移支付(项目)名称: the transfer payment's table names its fund so
    # a form run together (项目名称X主管部门Y…): the name ends where the next label starts
    # a blank form's next label (项目名称:\n项目类别:) is no name; a name may open with its year
    # set apart (项目名称 2020 年市级服务贸易发展资金)
    m = re.search(r"(?:转移支付\(项目\)|项目)名称[ \t]*[:|]?[ \t]*\n?\s*[:|]?[ \t]*"
                  r"(?P<v>(?:20\d\d[ \t]+(?=年))?(?:(?!主管部门|主管单位|实施单位|项目单位|项目负责人|项目属性|项目类别|项目类型)"
                  r"[^\s|:]){2,40})(?![ \t]*:)", text[:6000])
    if m and not re.search(r"单位|部门|名称", m.group("v")) and m.group("v") != "项目":
        code = _CODE.match(m.group("v"))
        start = m.start("v") + (code.end() if code else 0)
        value = re.sub(r"[ \t]+", "", text[start:m.end("v")])
        if value:
            return Fact("project_name", value, start, m.end("v"), "label.项目名称", confidence=0.9)
    head, _ = header(text)
    compact = re.sub(r"\s+", "", head)
    if department_name:
        # the title may name the department without its city (碑林区…局…项目)
        for name in (department_name, re.sub(r"^[^市]{1,6}市", "", department_name)):
            compact = compact.replace(name, "\n")
    m = re.search(rf"(?:20\d\d年度?)?(?P<v>[{CJK}()“”\"]{{2,40}}?)项目(?:支出)?(?:20\d\d年度?)?(?:绩效|评价|自评)", compact)
    if not m:
        m = TRANSFER_TITLE.search(compact)
        if m:
            name = m.group("v")
            pos = text.find(name[:4])
            return Fact("project_name", name, max(pos, 0), max(pos, 0) + len(name), "title.转移支付", confidence=0.7)
        return None
    name = re.sub(r"^(?:20\d\d年度?)", "", m.group("v"))
    if not GENERIC_PROJECT_WORDS.sub("", name) or name.endswith("财政支出"):
        # 省级财政支出项目绩效报告表 names a form for any project, not one
        return None
    pos = text.find(name[:4])
    return Fact("project_name", name, pos if pos >= 0 else 0, (pos if pos >= 0 else 0) + len(name), "title.项目",
                confidence=0.75)


def report_date(text: str) -> Fact | None:
    """When the report was written: the last date standing on a line of its own or after
    日期/签字 (its signature), never a date inside a sentence (截至2022年10月31日…).
    Used to check the evaluated year, never as it."""
    found = None
    for m in re.finditer(r"(?P<y>20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        before = text[line_start:m.start()]
        after = text[m.end():line_end if line_end >= 0 else len(text)]
        alone = not before.strip(" \t|") and not after.strip(" \t|")
        signed = re.search(r"(?:日期|签字|签章|盖章)\)?[\s:|]*$", before) and not after.strip(" \t|")[:1].isalnum()
        if alone or signed:
            found = m
    if not found:
        return None
    m = found
    value = f"{m.group('y')}-{int(m.group('m')):02d}" + (f"-{int(m.group('d')):02d}" if m.group("d") else "")
    return Fact("report_date", value, m.start(), m.end(), "date.落款")
