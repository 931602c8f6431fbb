"""Every word the report shows, in English and Chinese: one place, so figures and tables say the same.

:class:`Words` is the vocabulary in one language (``Words("zh", meta)``): ``w("key", **fields)`` for a
text of :data:`TEXT` (and of the longer texts in :mod:`report.vocab_text`), ``w.metric(m)`` for a KPI
name with its unit, ``w.condition(c)``, ``w.island(i)``, ``w.mode(m)``, ``w.month(k)``, ``w.fmt(x)``
for a number and ``w.money(yuan)`` for an amount (yuan as 元, ten thousands as 万 in Chinese).
Adding a text: add its key with both languages to :data:`TEXT`; a test checks that every key has both.
Bilingual figures (one figure for both halves of a ``both`` page) take :class:`report.vocab_both.BothWords`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from report.vocab_text import LONG_TEXT
from scenarios.units import ALL

LANGS = ("en", "zh")
BOTH = "both"  # figures shared by the two halves of a bilingual page: Chinese, then English
HTML_LANG = {"en": "en", "zh": "zh-CN", BOTH: "zh-CN"}
MONTHS = {"en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
          "zh": tuple(f"{k}月" for k in range(1, 13))}

# unit key -> (en, zh)
UNITS: dict[str, tuple[str, str]] = {
    "patients": ("patients", "人次"), "min": ("min", "分钟"), "%": ("%", "%"), "beds": ("beds", "张床"),
    "places": ("places", "个床位"), "people": ("people", "人"), "arrests": ("arrests", "例"),
    "AEDs": ("AEDs", "台"), "visits": ("visits", "次"), "": ("", ""),
}

# metric -> (en, zh, unit key, scale): value shown = value * scale
METRICS: dict[str, tuple[str, str, str, float]] = {
    "arrivals": ("patients arriving", "就诊患者", "patients", 1),
    "completed": ("patients completed", "完成诊治的患者", "patients", 1),
    "in_system_end": ("patients in the system at the end", "期末仍在系统中的患者", "patients", 1),
    "unserved": ("patients with no pathway", "无就医途径的患者", "patients", 1),
    "wait_min_mean": ("wait for first clinician, mean", "等候首诊时间（均值）", "min", 1),
    "time_to_definitive_care_min_mean": ("time to definitive care, mean", "到达确定性治疗的时间（均值）", "min", 1),
    "time_to_definitive_care_min_p90": ("time to definitive care, 90th percentile",
                                         "到达确定性治疗的时间（第90百分位）", "min", 1),
    "within_target_share": ("share within target time", "目标时间内得到治疗的比例", "%", 100),
    "transfers_boat": ("transfers by ambulance boat", "急救艇转运", "patients", 1),
    "transfers_ferry": ("transfers by scheduled sailing", "班轮转运", "patients", 1),
    "transfers_helicopter": ("transfers by helicopter", "直升机转运", "patients", 1),
    "transfers_road": ("transfers by road over a bridge", "经桥梁公路转运", "patients", 1),
    "transfers_out_of_county": ("transfers out of the county", "转出县外", "patients", 1),
    "weather_delay_min_mean": ("weather delay per transfer, mean", "每次转运的天气延误（均值）", "min", 1),
    "ferry_wait_min_mean": ("wait at piers per ferry transfer, mean", "班轮转运的候船时间（均值）", "min", 1),
    "in_county_share": ("share treated in the county", "县内救治比例", "%", 100),
    "expected_survival": ("expected survival", "预期存活率", "%", 100),
    "doctor_utilization": ("doctor utilisation", "医生利用率", "%", 100),
    "bed_occupancy_mean": ("occupied hospital beds, mean", "住院床位占用（均值）", "beds", 1),
    "bed_occupancy_share": ("hospital bed occupancy", "住院床位使用率", "%", 100),
    "bed_blocked_count": ("admissions finding the ward full", "遇病房满员的入院", "patients", 1),
    "boat_utilization": ("ambulance boat utilisation", "急救艇利用率", "%", 100),
    "care_occupancy_mean": ("occupied care-home places, mean", "养老床位占用（均值）", "places", 1),
    "care_occupancy_share": ("care-home occupancy", "养老床位使用率", "%", 100),
    "care_waitlist_mean": ("people waiting for a care place, mean", "等候养老床位人数（均值）", "people", 1),
    "ohca_count": ("cardiac arrests", "院外心脏骤停", "arrests", 1),
    "ohca_shock_within_5min_share": ("arrests shocked within 5 min", "5分钟内除颤比例", "%", 100),
    "ohca_expected_survivors": ("cardiac arrest survivors, expected", "心脏骤停预期存活人数", "people", 1),
    "aeds_per_10k": ("public AEDs per 10,000 residents", "每万人公共AED", "AEDs", 1),
    "visits_planned": ("circuit visits planned", "计划巡回医疗次数", "visits", 1),
    "visits_made": ("circuit visits made", "实际巡回医疗次数", "visits", 1),
    "monthly_visit_compliance": ("months with a circuit visit", "有巡回医疗的月份", "%", 100),
}

# condition id -> (en, zh); a scenario's own conditions fall back to its names (run_meta.json)
CONDITIONS: dict[str, tuple[str, str]] = {
    ALL: ("all conditions", "全部病种"), "cardiac_arrest": ("cardiac arrest", "心脏骤停"),
    "chest_pain": ("chest pain (STEMI)", "胸痛（STEMI）"), "nste_acs": ("NSTE-ACS", "非ST段抬高型急性冠脉综合征"),
    "stroke": ("stroke", "脑卒中"),
    "major_trauma": ("major trauma", "严重创伤"), "obstetric": ("obstetric", "产科急症"),
    "other_urgent": ("other urgent", "其他急症"), "primary_care": ("primary care", "基本医疗"),
    "chronic_followup": ("chronic follow-up", "慢病随访"),
}

# transport mode (KPI suffix or link mode) -> (en, zh)
MODES: dict[str, tuple[str, str]] = {
    "boat": ("ambulance boat", "急救艇"), "ambulance_boat": ("ambulance boat", "急救艇"),
    "ferry": ("scheduled sailing", "班轮"), "helicopter": ("helicopter", "直升机"),
    "small_ferry": ("small ferry", "小型渡轮"), "fast_boat": ("fast boat", "快艇"), "road": ("bridge/road", "桥梁/公路"),
}

# sea state at onset (by_sea_state.parquet) -> (en, zh)
SEA_STATES: dict[str, tuple[str, str]] = {
    "calm": ("calm (force ≤ 5)", "平稳（≤5级）"), "strong_wind": ("strong wind (force 6–7)", "大风（6–7级）"),
    "gale": ("gale (force ≥ 8)", "烈风（≥8级）"), "fog": ("fog", "大雾"),
}

# weather-area ids that are compass words -> (en, zh); other ids are shown as they are
AREAS: dict[str, tuple[str, str]] = {
    "east": ("east", "东部"), "west": ("west", "西部"), "north": ("north", "北部"), "south": ("south", "南部"),
    "central": ("central", "中部"),
}

# The KPIs of the headline and comparison tables: (metric, condition)
HEADLINE: tuple[tuple[str, str], ...] = (
    ("within_target_share", ALL), ("time_to_definitive_care_min_mean", ALL), ("in_county_share", ALL),
    ("ohca_expected_survivors", "cardiac_arrest"), ("ohca_shock_within_5min_share", "cardiac_arrest"),
    ("expected_survival", "cardiac_arrest"), ("transfers_out_of_county", ALL), ("weather_delay_min_mean", ALL),
    ("doctor_utilization", ALL), ("bed_occupancy_share", ALL), ("boat_utilization", ALL),
    ("care_waitlist_mean", ALL), ("visits_made", ALL),
)

# key -> (en, zh): short texts of figures, tables and pages ({fields} filled by Words.__call__)
TEXT: dict[str, tuple[str, str]] = {
    "county": ("County", "全县"), "yes": ("yes", "是"), "no": ("no", "否"), "scenario": ("scenario", "情景"),
    "reference": ("reference", "基准"), "target": ("target", "目标"), "mean": ("mean", "均值"),
    "interval": ("95% interval", "95%置信区间"), "interval_uncertainty": ("95% uncertainty interval", "95%不确定性区间"),
    "too_wide": (" (too wide to read)", "（过宽，难以判读）"), "n": ("n", "样本数"), "island": ("island", "海岛"),
    "condition": ("condition", "病种"), "metric": ("metric", "指标"), "month": ("month", "月份"),
    "min_unit": ("{n} min", "{n}分钟"), "km_unit": ("{n} km", "{n}公里"),
    "per_year": ("per year", "每年"), "job": ("job", "作业"),
    # time axis ticks
    "t_1min": ("1 min", "1分"), "t_10min": ("10 min", "10分"), "t_1h": ("1 h", "1小时"), "t_4h": ("4 h", "4小时"),
    "t_1d": ("1 d", "1天"), "t_1wk": ("1 wk", "1周"), "t_30d": ("30 d", "30天"),
    # map
    "lon": ("longitude (°E)", "经度（°E）"), "lat": ("latitude (°N)", "纬度（°N）"),
    "elderly_pct": ("residents aged 60+ (%)", "60岁及以上居民（%）"), "residents": ("{n} residents", "{n}人"),
    "hospital": ("hospital", "医院"), "health_centre": ("health centre", "卫生院"),
    "clinic": ("village clinic", "村卫生室"), "care_home": ("care home", "养老机构"),
    "dest_outside": ("hospital outside the county", "县外医院"),
    "aeds_n": ("{n} AEDs", "AED {n}台"), "aed_1": ("1 AED", "AED 1台"), "boats_n": ("{n} boats", "急救艇{n}艘"),
    "boat_1": ("1 boat", "急救艇1艘"), "boat_word": ("boat", "急救艇"), "no_residents": ("no residents", "无常住人口"),
    "to_dest": ("to {dest}\n({km} km from {main})", "至{dest}\n（距{main}{km}公里）"),
    # time to care, within target
    "ttc_xlabel": ("time from onset to definitive care", "从发病到确定性治疗的时间"),
    "cond_target": ("{cond} (target {t} min)", "{cond}（目标{t}分钟）"), "cond_le": ("{cond} (≤{t} min)", "{cond}（≤{t}分钟）"),
    "rep_mean": ("mean of one replication", "单次重复的均值"), "reps_mean": ("mean over replications", "各次重复的均值"),
    "p90_mean": ("90th percentile (mean)", "第90百分位（均值）"),
    "within_xlabel": ("patients within target time (%)", "目标时间内得到治疗的患者（%）"),
    # transport, weather, visits
    "out_of_county": ("ended out of county", "转出县外"),
    "transfers_xlabel": ("emergency transfers per year (patients)", "每年紧急转运（人次）"),
    "delay_ylabel": ("weather delay per transfer (min)", "每次转运的天气延误（分钟）"),
    "weather_a": ("(a) waiting for the sea to open", "(a) 等待海况好转"), "weather_b": ("(b) vessels stopped", "(b) 船舶停航"),
    "stopped_ylabel": ("stopped by wind or fog (% of month)", "风雾停航（占当月%）"),
    "area": ("{area} area", "{area}海区"), "visits_ylabel": ("visits per month", "每月巡回次数"),
    "planned": ("planned", "计划"), "made": ("made", "实际"),
    # beds and care
    "bed_series": ("hospital beds", "住院床位"), "care_series": ("care-home places", "养老床位"),
    "occupied": ("occupied {what}", "已占用{what}"), "series_county": ("{what}, county", "{what}（全县）"),
    "range_reps": ("range over replications", "各次重复的范围"), "capacity": ("capacity ({n})", "容量（{n}）"),
    "day_of_year": ("day of the model year", "模型年中的天数"),
    "county_range": ("County (range shaded)", "全县（阴影为范围）"),
    "waiting_ylabel": ("people waiting for a care place", "等候养老床位的人数"),
    # cardiac arrest, ratios, plans, sweeps
    "survivors_xlabel": ("expected survivors of cardiac arrest per year", "每年心脏骤停预期存活人数"),
    "scenario_county": ("scenario (county total)", "情景（全县合计）"), "county_total": ("{sc} (county {n})", "{sc}（全县{n}）"),
    "ratio_of": ("{v} of {t}", "{v} / 目标{t}"), "ratio_of_both": ("{v} / {t}", "{v} / {t}"), "ratio_xlabel": ("value as % of the county's 2025 target", "占全县2025年目标的%"),
    "target_met": ("target met", "已达标"), "below_target": ("below target", "未达标"), "target_2025": ("2025 target", "2025年目标"),
    "resource": ("resource", "资源"), "change_today": ("change from today (units of each resource)", "较现状的变化（各资源单位）"),
    "plan_costs": ("capital {cap}, operating {op}/year", "基建{cap}，运行{op}/年"),
    "colour_within": ("; colour scaled within each panel", "；各子图分别着色"),
    "heat_title": ("{what}, {where}{within}", "{what}，{where}{within}"),
    "metric_per_year": ("{what} per year", "每年{what}"),
    "ratio_doctors": ("doctors per 1,000 residents", "每千人医生数"), "ratio_aeds": ("AEDs per 10,000", "每万人AED"),
    "ratio_carers": ("carers per 10,000 aged 60+", "每万名60岁以上老人护理员"),
    "ratio_in_county": ("% of care in the county", "县内救治%"),
}


class _Fields(dict):
    """Format fields; one a text names but the caller did not give shows as '?' (never an error)."""

    def __missing__(self, key: str) -> str:
        return "?"


def check_text(key: str) -> tuple[str, str]:
    return TEXT[key] if key in TEXT else LONG_TEXT[key]


class Words:
    """The vocabulary in one language; ``names`` (island id -> name) and ``condition_names`` come from
    the run's ``run_meta.json`` and are used for ids the vocabulary does not know."""

    def __init__(self, lang: str = "en", names: Mapping[str, str] | None = None,
                 condition_names: Mapping[str, str] | None = None):
        self.lang = lang if lang in LANGS else "en"
        self._k = LANGS.index(self.lang)
        self.names = dict(names or {})
        self.condition_names = dict(condition_names or {})

    def __call__(self, key: str, **fields) -> str:
        return check_text(key)[self._k].format_map(_Fields(fields))

    @staticmethod
    def has(key: str) -> bool:
        return key in TEXT or key in LONG_TEXT

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.lang]

    def metric(self, metric: str, with_unit: bool = True) -> str:
        if metric not in METRICS:
            return metric.replace("_", " ")
        entry = METRICS[metric]
        label = entry[self._k]
        return self.labelled(label, self.unit(metric)) if with_unit else label

    def labelled(self, label: str, unit: str) -> str:
        """``label (unit)``; in Chinese one pair of brackets: 到达确定性治疗的时间（均值，分钟）."""
        if not unit:
            return label
        if self.lang == "zh":
            return f"{label[:-1]}，{unit}）" if label.endswith("）") else f"{label}（{unit}）"
        return f"{label} ({unit})"

    def unit(self, metric: str) -> str:
        key = METRICS.get(metric, ("", "", "", 1))[2]
        return UNITS.get(key, (key, key))[self._k]

    @staticmethod
    def scale(metric: str) -> float:
        return METRICS.get(metric, ("", "", "", 1))[3]

    def condition(self, condition: str) -> str:
        if condition in CONDITIONS:
            return CONDITIONS[condition][self._k]
        return self.condition_names.get(condition, condition.replace("_", " "))

    def island(self, island: str) -> str:
        return self("county") if island == ALL else self.names.get(island, island)

    def mode(self, mode: str) -> str:
        return MODES[mode][self._k] if mode in MODES else mode.replace("_", " ")

    def sea_state(self, state: str) -> str:
        return SEA_STATES[state][self._k] if state in SEA_STATES else state.replace("_", " ")

    def area(self, area: str) -> str:
        return AREAS[area][self._k] if area in AREAS else area

    def month(self, k: int) -> str:
        return MONTHS[self.lang][k % 12]

    def fmt(self, x, digits: int = 3) -> str:
        return fmt(x, digits)

    def fmt_metric(self, metric: str, x) -> str:
        return fmt_metric(metric, x)

    def capital(self, text: str) -> str:
        """``text`` with a capital first letter."""
        return text[:1].upper() + text[1:]

    def tick(self, key: str) -> str:
        """A short text of :data:`TEXT` for an axis tick (bilingual: the two on two lines)."""
        return self(key)

    def join(self, parts, zh_sep: str = "，", en_sep: str = ", ") -> str:
        """Texts of a list joined with the language's separator."""
        return (zh_sep if self.lang == "zh" else en_sep).join(parts)

    def money(self, yuan: float) -> str:
        """An amount: '2.84 M yuan' in English; '284万元' in Chinese (万 = 10,000)."""
        if yuan is None or (isinstance(yuan, float) and math.isnan(yuan)):
            return "–"
        if self.lang == "zh":
            return f"{fmt(yuan / 1e4)}万元" if abs(yuan) >= 1e4 else f"{fmt(yuan)}元"
        return f"{yuan / 1e6:,.2f} M yuan" if abs(yuan) >= 1e5 else f"{fmt(yuan)} yuan"


def fmt(x, digits: int = 3) -> str:
    """A number for a table: about ``digits`` significant figures, thousands separated, '–' if missing."""
    if x is None:
        return "–"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    decimals = max(0, digits - 1 - mag)
    return f"{v:,.{decimals}f}"


def fmt_metric(metric: str, x) -> str:
    """``fmt`` after the metric's display scale (shares as percent)."""
    try:
        return fmt(float(x) * Words.scale(metric))
    except (TypeError, ValueError):
        return fmt(x)
