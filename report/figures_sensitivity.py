"""Figures of a sensitivity analysis: what moves each indicator (Morris μ*), and which input matters where.

Data in (``sensitivity.csv`` as a table, ``sensitivity.json`` as a mapping), a matplotlib Figure out;
every text from the vocabulary (:class:`report.vocab.Words`). Inputs are named as a planner would
name them, with their range and unit (:func:`factor_label`); indicators with their unit
(:func:`kpi_label`), shares in percent and counts per year.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from report import style
from report.figkit import NoData, need
from report.vocab import Words
from report.vocab_sensitivity import GROUPS
from scenarios.units import ALL

TOP = 10
# column (or parameter) -> (en, zh) words, and the unit of its values
COLUMN_WORDS: dict[str, tuple[str, str, str]] = {
    "crossing_min": ("sea crossing time", "海上航行时间", "min"), "service_min": ("doctor time", "医生诊治时间", "min"),
    "road_min": ("road time to the clinic or pier", "到诊所或码头的路程时间", "min"),
    "hours_f6": ("hours of force-6 wind", "6级风小时数", "h"), "hours_f7": ("hours of force-7 wind", "7级风小时数", "h"),
    "hours_f8": ("hours of force-8 wind", "8级风小时数", "h"), "hours_f9": ("hours of force-9+ wind", "9级及以上风小时数", "h"),
    "fog_hours": ("fog hours", "雾天小时数", "h"), "wind_episode_hours": ("length of a wind episode", "大风过程时长", "h"),
    "fog_episode_hours": ("length of a fog episode", "雾过程时长", "h"), "fog_visibility_m": ("visibility in fog", "雾中能见度", "m"),
    "stop_wind_force": ("wind force that stops it", "停航风力", "Beaufort"),
    "min_visibility_m": ("visibility limit", "能见度下限", "m"), "speed_knots": ("boat speed", "船速", "kn"),
    "need_per_1000_year": ("need for a care-home place", "养老床位需求", "per 1,000 a year"),
    "los_days": ("length of stay", "住院天数", "days"), "admit_share": ("share admitted", "住院比例", "%"),
    "out_of_county_share": ("share needing care outside the county", "需县外救治的比例", "%"),
    "probability": ("survival at a given delay", "给定延误下的存活率", "%"), "tourists_summer": ("summer tourists", "夏季游客", "people"),
    "tourist_factor": ("tourists present", "在岛游客比例", ""), "incidence_factor": ("seasonal incidence", "季节发病系数", ""),
    "aeds": ("public AEDs today", "现有公共AED", "AEDs"), "beds": ("beds", "床位", "beds"), "carers": ("carers", "护理员", "people"),
    "doctors": ("doctors", "医生", "people"), "night_doctors": ("night doctors", "夜班医生", "people"),
    "patients_per_day": ("patients a team sees a day", "每日巡诊人数", "patients"),
    "visits_per_month": ("circuit visits a month", "每月巡诊次数", "visits"), "area_km2": ("land area", "陆地面积", "km²"),
    "settled_area_km2": ("settled area", "居住区面积", "km²"), "lat": ("position", "位置", "°"), "lon": ("position", "位置", "°"),
    "wind_offset": ("wind offset of the sea area", "海区风力修正", "Beaufort"),
    "mean_service_min": ("mean consultation time", "平均诊治时间", "min"),
    "arrival_rate_per_hour": ("arrivals per hour", "每小时到达人数", "patients"),
    "headway_min": ("time between sailings", "航班间隔", "min"), "servers": ("doctors", "医生", "people"),
    "mean_stay_days": ("mean stay", "平均住院天数", "days"), "service_cv": ("variability of consultation time", "诊治时间变异系数", ""),
    "boat.dispatch_min": ("ambulance-boat crew dispatch", "急救艇出动时间", "min"),
    "boat.load_min": ("loading the patient at the pier", "码头装载患者时间", "min"),
    "boat.handover_min": ("hand-over at the receiving pier", "到达码头交接时间", "min"),
    "boat.detour_factor": ("sea route / straight line", "航线绕行系数", ""),
    "ferry.board_min": ("time at the pier before a sailing", "开船前到码头时间", "min"),
    "helicopter.activation_min": ("helicopter request to take-off", "直升机请求至起飞时间", "min"),
    "ohca.bystander_cpr_share": ("bystander CPR", "旁观者心肺复苏比例", "%"),
    "ohca.shockable_share": ("shockable first rhythm", "可电击心律比例", "%"),
    "ohca.collapse_to_call_min": ("collapse to call", "倒地至呼救时间", "min"),
    "ohca.aed_home_access_share": ("public AED fetched for home arrests", "居家骤停取用公共AED比例", "%"),
    "care.mean_stay_days": ("mean stay in a care home", "养老机构平均入住时长", "days"),
    "care.residents_per_carer": ("residents per certified carer", "每名护理员照护人数", "residents"),
    "care.waitlist_abandon_days": ("time before leaving the waiting list", "放弃轮候前的时间", "days"),
    "circuit.abandon_days": ("time before backlog patients give up", "积压患者放弃等待的时间", "days"),
    "circuit.escalation_share": ("share of overdue backlog turning urgent", "逾期积压转为急症的比例", "%"),
}
TABLE_WORDS = {"sea_links": ("sea links", "条航线"), "weather_months": ("months", "个月"), "islands": ("islands", "个海岛"),
               "conditions": ("conditions", "个病种"), "facilities": ("facilities", "个机构"), "care_need": ("age bands", "个年龄段"),
               "care_homes": ("care homes", "家养老机构"), "outcome_curves": ("curve points", "个曲线点"),
               "time_of_day": ("hours", "个小时"), "circuit_schedule": ("islands", "个海岛"), "modes": ("modes", "种方式")}
# short indicator names for the heatmap's columns
SHORT = {"time_to_definitive_care_min_mean": ("time to care", "到达治疗时间"), "within_target_share": ("within target", "目标内比例"),
         "ohca_expected_survivors": ("survivors a year", "每年存活人数"), "weather_delay_min_mean": ("weather delay", "天气延误"),
         "in_county_share": ("treated in county", "县内救治"), "care_waitlist_mean": ("care waiting list", "养老轮候"),
         "monthly_visit_compliance": ("months with a visit", "有巡诊的月份"), "wait_min_mean": ("wait", "等候时间")}
WIND = re.compile(r"^hours_f(\d)$")
INCIDENCE = re.compile(r"^incidence_(0_14|15_59|60_79|80_plus)$")
AGE_SHARE = re.compile(r"^share_(0_14|15_59|60_79|80_plus)(_\d{4})?$")


def _words(row: Mapping, w: Words) -> tuple[str, str]:
    """(what, unit) of one ranged cell."""
    k = 0 if w.lang == "en" else 1
    col, key = row["column"], row["key"]
    if row["table"] in ("parameters", "scenario"):
        if key in COLUMN_WORDS:
            return COLUMN_WORDS[key][k], COLUMN_WORDS[key][2] or row.get("unit", "")
        return (row.get("meaning") or key), row.get("unit", "")
    if col in COLUMN_WORDS:
        return COLUMN_WORDS[col][k], COLUMN_WORDS[col][2]
    if INCIDENCE.match(col):
        return ("incidence" if k == 0 else "发病率"), "per 1,000 a year"
    if AGE_SHARE.match(col):
        return ("age structure" if k == 0 else "年龄结构"), "%"
    return col.replace("_", " "), ""


UNIT_ZH = {"min": "分钟", "h": "小时", "days": "天", "kn": "节", "m": "米", "people": "人", "patients": "人次",
           "per 1,000 a year": "每千人每年", "Beaufort": "级", "AEDs": "台", "beds": "张", "visits": "次",
           "residents": "人", "km²": "平方公里"}
COUNT_WORDS = {"age bands": ("age bands", "个年龄段"), "cells": ("cells", "个单元格")}


def _unit(unit: str, w: Words) -> str:
    return UNIT_ZH.get(unit, unit) if w.lang == "zh" else unit


def _fmt_range(lo: float, hi: float, unit: str, w: Words) -> str:
    if unit == "%":
        return f"{lo * 100:.3g}–{hi * 100:.3g}%"
    u = _unit(unit, w)
    return f"{lo:,.3g}–{hi:,.3g}" + ((" " if w.lang == "en" else "") + u if u else "")


def _count(n: int, what: tuple[str, str], w: Words) -> str:
    return f"{n} {what[0]}" if w.lang == "en" else f"{n}{what[1]}"


def factor_label(f: Mapping, w: Words) -> str:
    """A factor as a planner reads it: what it is, with its range and unit; a group says how many cells
    move together and by how much (``×0.75–1.25`` when every cell moves by the same factor)."""
    rows = list(f["rows"])
    if len(rows) == 1:
        r = rows[0]
        what, unit = _words(r, w)
        where = "" if r["table"] in ("parameters", "scenario") else (
            w.condition(r["key"]) if r["table"] == "conditions" else w.mode(r["key"]) if r["table"] == "modes"
            else w.island(r["key"]) if r["table"] in ("islands", "boats") else str(r["key"]))
        head = f"{where}: {what}" if where else what
        return f"{head} ({_fmt_range(r['low'], r['high'], unit, w)})"
    whats = sorted({_words(r, w)[0] for r in rows})
    ratios = [(r["low"] / r["value"], r["high"] / r["value"]) for r in rows if r["value"]]
    same = len(ratios) == len(rows) and np.ptp([a for a, _ in ratios]) < 0.02 and np.ptp([b for _, b in ratios]) < 0.02
    spread = w("f_times", lo=f"{ratios[0][0]:.3g}", hi=f"{ratios[0][1]:.3g}") if same else "…"
    tables, keys, cols = ({r[c] for r in rows} for c in ("table", "key", "column"))
    if len(tables) == 1 and len(cols) == 1:
        count = _count(len(rows), TABLE_WORDS.get(next(iter(tables)), COUNT_WORDS["cells"]), w)
    elif len(keys) == 1 and all(INCIDENCE.match(c) for c in cols):
        count = _count(len(rows), COUNT_WORDS["age bands"], w)
    else:
        count = _count(len(rows), COUNT_WORDS["cells"], w)
    forces = sorted(m.group(1) for m in (WIND.match(c) for c in cols) if m)
    if len(forces) == len(cols) > 1:  # several wind bands: "hours of force-8/9 wind"
        whats = [f"hours of force-{'/'.join(forces)} wind" if w.lang == "en" else f"{'/'.join(forces)}级风小时数"]
    group = group_name(str(f["name"]), w)
    if len(whats) > 2:  # many kinds of input: the group's name says what they are
        return w("f_group", group=group, what=w("f_mixed", n=len(rows)))
    what = " / ".join(whats)
    if len(tables) == 1 and next(iter(tables)) == "conditions" and len(keys) == 1:
        what = f"{w.condition(next(iter(keys)))}: {what}"
    body = f"{what} ({count}, {spread})" if w.lang == "en" else f"{what}（{count}，{spread}）"
    named = w.lang == "en" and all(part in body.lower() for part in group.lower().split())
    return body if named or (len(whats) == 1 and w.lang == "zh") else w("f_group", group=group, what=body)


def group_name(name: str, w: Words) -> str:
    """A factor group's name in the reader's language (``uncertainty.csv`` group; unknown: as written)."""
    if name in GROUPS:
        return GROUPS[name][0 if w.lang == "en" else 1]
    return name.replace("_", " ")


def factor_labels(meta: Mapping, w: Words) -> dict[str, str]:
    return {f["name"]: factor_label(f, w) for f in meta.get("factors", [])}


def kpi_label(k: Mapping, w: Words, with_unit: bool = True) -> str:
    """``time to definitive care, mean (min), stroke``; counts per year."""
    name = w.metric(k["metric"], with_unit=False)
    if k.get("per_year"):
        name += (" " if w.lang == "en" else "") + w("per_year")
    if k.get("condition", ALL) != ALL:
        name += ("，" if w.lang == "zh" else ", ") + w.condition(k["condition"])
    unit = w.unit(k["metric"])
    if with_unit and unit:
        name += f"（{unit}）" if w.lang == "zh" else f" ({unit})"
    return name


def short_kpi(k: Mapping, w: Words) -> str:
    """``stroke: time to care``: the heatmap's column names."""
    metric, cond = k["metric"], k.get("condition", ALL)
    name = SHORT[metric][0 if w.lang == "en" else 1] if metric in SHORT else w.metric(metric, with_unit=False)
    return name if cond == ALL else (f"{w.condition(cond)}: {name}" if w.lang == "en" else f"{w.condition(cond)}：{name}")


def _kpi(meta: Mapping, name: str) -> Mapping:
    for k in meta.get("kpis", []):
        if k["name"] == name:
            return k
    metric, _, cond = name.partition(":")
    return {"name": name, "metric": metric, "condition": cond or ALL, "per_year": False}


@style.styled
def effects_chart(sens_table: pd.DataFrame, sens_meta: Mapping, kpi: str, top: int = TOP,
                  w: Words | None = None) -> Figure:
    """Morris μ* of the ``top`` inputs for one indicator, with its interval, direction and σ."""
    w = w or Words()
    t = need(sens_table, "sensitivity table")
    if "mu_star" not in t:
        raise NoData("not a Morris screening")
    k = _kpi(sens_meta, kpi)
    d = t[(t["kpi"] == kpi) & (t["mu_star"] > 0)].sort_values("mu_star", ascending=False).head(top)
    if d.empty:
        raise NoData(f"no input changes {kpi}")
    scale = w.scale(k["metric"])
    labels = factor_labels(sens_meta, w)
    d = d.iloc[::-1]
    y = np.arange(len(d))
    mu_star, ci, sigma = (d[c].to_numpy(dtype=float) * scale for c in ("mu_star", "mu_star_ci", "sigma"))
    direction = d["mu"].to_numpy(dtype=float) / d["mu_star"].to_numpy(dtype=float)
    pal = style.palette(3)
    colours = [pal[0] if r > 0.5 else pal[1] if r < -0.5 else pal[2] for r in direction]
    fig = style.new_figure(style.FULL_IN, 0.9 + 0.24 * len(d))
    ax = fig.subplots()
    ax.barh(y, mu_star, color=colours, height=0.62, xerr=np.nan_to_num(ci), error_kw={"elinewidth": 0.7, "capsize": 2})
    ax.scatter(np.nan_to_num(sigma), y, marker="D", s=10, color="0.25", zorder=3, label=w("sens_sigma"))
    ax.set_yticks(y, [_clip(labels.get(p, p), 70) for p in d["parameter"]], fontsize=6.5)
    unit = w.unit(k["metric"]) or "–"
    ax.set_xlabel(w("sens_xlabel", unit=unit))
    ax.set_xlim(0, max(float(np.nanmax(mu_star + np.nan_to_num(ci))), float(np.nanmax(np.nan_to_num(sigma))), 1e-12) * 1.08)
    kinds = [(pal[0], "sens_raises"), (pal[1], "sens_lowers"), (pal[2], "sens_mixed")]
    handles = [Patch(color=c, label=w(key)) for c, key in kinds if c in colours]
    handles.append(ax.collections[-1])
    floor = float(d["noise_floor"].iloc[0]) * scale if "noise_floor" in d and d["noise_floor"].notna().any() else None
    if floor is not None and floor > 0:
        handles.append(ax.axvline(floor, color="0.35", linestyle=":", linewidth=0.9, label=w("sens_floor")))
        ax.set_xlim(0, max(ax.get_xlim()[1], floor * 1.08))
    ax.legend(handles=handles, loc="lower right", fontsize=6, frameon=False)
    ax.set_title(kpi_label(k, w), loc="left", fontsize=8)
    return fig


@style.styled
def sensitivity_heatmap(sens_table: pd.DataFrame, sens_meta: Mapping, top: int = 15, w: Words | None = None) -> Figure:
    """Normalised μ* (or ST) of the inputs that matter most for any indicator, by indicator."""
    w = w or Words()
    t = need(sens_table, "sensitivity table")
    col = "mu_star" if "mu_star" in t else "ST"
    t = t.assign(norm=t.groupby("kpi")[col].transform(lambda s: s / s.max() if s.max() and s.max() > 0 else s * 0))
    grid = t.pivot_table(index="parameter", columns="kpi", values="norm", sort=False)
    if grid.empty or not np.isfinite(grid.to_numpy(dtype=float)).any():
        raise NoData("no indices")
    grid = grid.loc[:, grid.max(axis=0) > 0]  # indicators no input moves are left out (the page names them)
    if grid.empty:
        raise NoData("no input moves any indicator")
    order = grid.max(axis=1).sort_values(ascending=False).index[:top]
    kpis = [k["name"] for k in sens_meta.get("kpis", []) if k["name"] in grid.columns] or list(grid.columns)
    grid = grid.loc[order, kpis]
    labels = factor_labels(sens_meta, w)
    grid.index = [_clip(labels.get(p, p), 62) for p in grid.index]
    grid.columns = [_clip(short_kpi(_kpi(sens_meta, c), w), 36) for c in grid.columns]
    fig = style.new_figure(style.FULL_IN, 1.0 + 0.22 * len(grid) + 0.045 * max(len(c) for c in grid.columns))
    ax = fig.subplots()
    with warnings.catch_warnings():  # seaborn 0.13 calls a colormap method matplotlib is retiring
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(grid, ax=ax, annot=True, fmt=".2f", cmap=style.SEQUENTIAL, vmin=0, vmax=1, linewidths=0.4,
                    linecolor="white", annot_kws={"fontsize": 5.5}, cbar_kws={"label": w("sens_norm"), "shrink": 0.6})
    ax.tick_params(axis="x", labelsize=6, rotation=90)
    ax.tick_params(axis="y", labelsize=6, rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return fig


@style.styled
def sobol_chart(sens_table: pd.DataFrame, sens_meta: Mapping, kpi: str, w: Words | None = None) -> Figure:
    """First-order and total Sobol' indices of one indicator, with intervals."""
    w = w or Words()
    t = need(sens_table, "sensitivity table")
    if "ST" not in t:
        raise NoData("not a Sobol analysis")
    d = t[t["kpi"] == kpi].dropna(subset=["ST"]).sort_values("ST")
    if d.empty:
        raise NoData(f"no indices for {kpi}")
    labels = factor_labels(sens_meta, w)
    y = np.arange(len(d))
    pal = style.palette(2)
    fig = style.new_figure(style.FULL_IN, 0.9 + 0.3 * len(d))
    ax = fig.subplots()
    ax.barh(y + 0.18, d["S1"], height=0.34, xerr=d["S1_ci"].fillna(0), color=pal[0], label="S1", error_kw={"elinewidth": 0.7})
    ax.barh(y - 0.18, d["ST"], height=0.34, xerr=d["ST_ci"].fillna(0), color=pal[1], label="ST", error_kw={"elinewidth": 0.7})
    ax.set_yticks(y, [_clip(labels.get(p, p), 70) for p in d["parameter"]], fontsize=6.5)
    ax.set_xlabel(w("sens_index"))
    tips = (d[["S1", "ST"]].to_numpy() + d[["S1_ci", "ST_ci"]].fillna(0).to_numpy())
    ax.set_xlim(min(0.0, float(np.nanmin(d[["S1", "ST"]].to_numpy()))), max(1.05, float(np.nanmax(tips)) * 1.02))
    ax.legend(loc="lower right", fontsize=6, frameon=False)
    ax.set_title(kpi_label(_kpi(sens_meta, kpi), w), loc="left", fontsize=8)
    return fig


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def is_finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
