"""Figures, label placement, sweep tables and the sources table on small fabricated data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from experiments.run_meta import run_meta
from report import figures_capacity as FC
from report import figures_care as FR
from report import figures_map as FM
from report import figures_sweep as FS
from report import figures_transport as FT
from report import labels as L
from report import style
from report.figkit import NoData, save
from report.load import SweepData, job_labels
from report.meta import Meta
from report.tables import kpi_tables, latex_escape, to_latex, to_markdown
from report.vocab import Words, fmt
from report.vocab_both import BothWords
from scenarios.experiment import Experiment
from scenarios.policy import baseline_policy, resolve_policy
from scenarios.sources import sources_table

REPS = (0, 1, 2)
ISLANDS = ("main", "near", "far")
LABELS = {"main": "Main", "near": "Near", "far": "Far"}
W = Words("en", LABELS)
TARGETS = {"stroke": 270.0, "cardiac_arrest": 10.0}


def fake_kpis(shift: float = 0.0) -> pd.DataFrame:
    rows = []
    for r in REPS:
        for k, isl in enumerate(("all", *ISLANDS)):
            for cond in ("stroke", "cardiac_arrest"):
                t = 30.0 * (k + 1) + 10 * r + shift
                rows += [(r, isl, cond, "time_to_definitive_care_min_mean", t),
                         (r, isl, cond, "time_to_definitive_care_min_p90", 2 * t),
                         (r, isl, cond, "within_target_share", 0.5 + 0.1 * r + shift / 100),
                         (r, isl, cond, "arrivals", 10.0 + r)]
            rows += [(r, isl, "cardiac_arrest", "ohca_expected_survivors", 1.0 + k + r + shift),
                     (r, isl, "all", "transfers_boat", 3.0 + k + r),
                     (r, isl, "all", "transfers_ferry", 2.0 + r),
                     (r, isl, "all", "transfers_helicopter", 1.0),
                     (r, isl, "all", "transfers_out_of_county", 1.0 + r),
                     (r, isl, "all", "within_target_share", 0.6 + 0.05 * r + shift / 100),
                     (r, isl, "all", "in_county_share", 0.9)]
    return pd.DataFrame(rows, columns=["replication", "island", "condition", "metric", "value"])


def fake_monthly() -> pd.DataFrame:
    rows = []
    for r in REPS:
        for m in range(3):
            for isl in ISLANDS:
                rows += [(r, m, isl, "weather_delay_min", 100.0 * (m + 1)), (r, m, isl, "transfers", 4.0),
                         (r, m, isl, "visits_planned", 4.0), (r, m, isl, "visits_made", 3.0 - (m == 1))]
            rows += [(r, m, "west", "closed_hours_ferry", 50.0 + 10 * m), (r, m, "east", "closed_hours_ferry", 80.0)]
    return pd.DataFrame(rows, columns=["replication", "month", "island", "metric", "value"])


def fake_daily() -> pd.DataFrame:
    rows = []
    for r in REPS:
        for d in range(10, 80):
            for isl in ISLANDS:
                rows += [(r, d, isl, "bed", 5.0 + np.sin(d / 9) + r), (r, d, isl, "care", 30.0 + r),
                         (r, d, isl, "care_waitlist", float(d % 7) if isl == "far" else 0.0)]
    return pd.DataFrame(rows, columns=["replication", "day", "island", "series", "value"])


RATIOS = pd.DataFrame({"ratio": ["doctors_per_1000", "aeds_per_10k", "in_county_share"],
                       "meaning": ["doctors", "AEDs", "in county"], "value": [3.17, 1.72, 0.93],
                       "target_2025": [4.2, 5.0, 0.9], "meets_target": [False, False, True], "gap": [1.03, 3.28, 0.0]})


def fake_sweep() -> pd.DataFrame:
    parts = []
    job = 0
    for boats in ("1", "2"):
        for aeds in ("0", "5", "10"):
            parts.append(fake_kpis(shift=job * 2.0).assign(job=job, **{"policy.boats.sijiao": boats,
                                                                       "policy.aeds_per_10k": aeds}))
            job += 1
    return pd.concat(parts, ignore_index=True)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


# --- figures ------------------------------------------------------------------------------------------
def test_time_to_care_panels_points_and_targets():
    fig = FR.time_to_care(fake_kpis(), TARGETS, ["stroke", "cardiac_arrest"], w=W)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    stroke = visible[0]
    assert "stroke" in stroke.get_title(loc="left") and "270" in stroke.get_title(loc="left")
    # one dot per replication and island (county + 3 islands), at the replication means
    dots = stroke.collections[0].get_offsets()
    assert len(dots) == len(REPS) * 4
    assert sorted(np.round(dots[:, 0], 6))[:3] == [30.0, 40.0, 50.0]
    target_lines = [ln for ln in stroke.get_lines() if list(ln.get_xdata()) == [270.0, 270.0]]
    assert len(target_lines) == 1
    assert [t.get_text() for t in stroke.get_yticklabels()] == ["County", "Main", "Near", "Far"]


def test_transfers_stack_by_mode_and_scale_to_a_year():
    fig = FT.transfers_by_mode(fake_kpis(), per_year=2.0, w=W)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 3 * len(ISLANDS)  # three modes stacked per island
    # Main (k=1): boat 3+1+mean(r)=5 -> x2 = 10; ferry 2+1=3 -> 6; helicopter 1 -> 2; total 18
    first = sorted((b for b in bars if abs(b.get_y() + b.get_height() / 2) < 1e-9), key=lambda b: b.get_x())
    assert [round(b.get_width(), 6) for b in first] == [10.0, 6.0, 2.0]
    assert round(first[-1].get_x() + first[-1].get_width(), 6) == 18.0


def test_within_target_bars_and_clipped_intervals():
    s = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "condition": ["stroke", "cardiac_arrest"] * 2,
                      "mean": [0.5, 0.9, 0.6, 0.95], "ci_low": [0.4, 0.7, 0.5, 0.9], "ci_high": [0.6, 1.2, 0.7, 1.0]})
    fig = FR.within_target(s, TARGETS, ["stroke", "cardiac_arrest"], w=W)
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [50.0, 60.0, 90.0, 95.0]
    # the interval above 100% is cut at 100%: no error bar reaches beyond the axis
    segs = np.concatenate([c.get_segments() for c in ax.collections])
    assert segs[:, :, 0].max() <= 100.0 + 1e-9
    assert fig.legends and [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]


def test_weather_by_month_delay_per_transfer_and_closed_share():
    fig = FT.weather_delay_by_month(fake_monthly(), warmup_days=0, horizon_days=90, w=W)
    a, b = fig.axes[:2]
    heights = [round(p.get_height(), 6) for p in a.patches]
    assert heights == [25.0, 50.0, 75.0]  # 3 islands x 100 (m+1) / (3 x 4 transfers)
    west = [ln for ln in b.get_lines() if ln.get_linestyle() == "--"][0]  # second area in sorted order
    assert np.allclose(west.get_ydata(), [100 * 50 / (31 * 24), 100 * 60 / (28 * 24), 100 * 70 / (31 * 24)])


def test_occupancy_and_waitlist():
    fig = FC.occupancy_over_year(fake_daily(), {"bed": 40.0, "care": 120.0}, w=W)
    assert len(fig.axes) == 2
    bed = fig.axes[0]
    mean_line = bed.get_lines()[0]
    assert np.isclose(mean_line.get_ydata()[0], 3 * (5 + np.sin(10 / 9)) + 3)  # mean over reps 0,1,2 of +r
    assert any(list(ln.get_ydata()) == [40.0, 40.0] for ln in bed.get_lines())
    wl = FC.care_waitlist(fake_daily(), w=W)
    names = [t.get_text() for t in wl.legends[0].get_texts()]
    assert names[0].startswith("County") and "Far" in names and "Main" not in names


def test_circuit_visits_planned_and_made():
    fig = FT.circuit_visits(fake_monthly(), w=W)
    ax = [a for a in fig.axes if a.get_visible()][0]
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert heights == [4.0, 4.0, 4.0, 3.0, 2.0, 3.0]  # planned outlines, then made
    assert ax.get_title(loc="left") == "Main"


def test_circuit_visits_all_made_is_a_sentence():
    """Every planned visit made: nothing to draw (every bar full); the report says so instead."""
    m = fake_monthly()
    planned = m[m["metric"] == "visits_planned"]
    m = pd.concat([m[m["metric"] != "visits_made"], planned.assign(metric="visits_made")])
    with pytest.raises(NoData, match="why_all_visits_made"):
        FT.circuit_visits(m, w=W)
    assert W("why_all_visits_made").startswith("every planned")


def test_cardiac_survivors_by_scenario():
    surv = pd.concat([FR.survivors_table(fake_kpis(), 1.0).assign(scenario="today"),
                      FR.survivors_table(fake_kpis(shift=1.0), 1.0).assign(scenario="more AEDs")])
    fig = FR.cardiac_survivors(surv, w=W)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(ISLANDS)
    assert max(p.get_width() for p in ax.patches) == pytest.approx(1 + 3 + 1 + 1)  # Far, mean r=1, shifted
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["today (county 2.0)", "more AEDs (county 3.0)"]


def test_survivors_fallback_from_expected_survival():
    k = pd.DataFrame([(0, "main", "cardiac_arrest", "expected_survival", 0.25),
                      (0, "main", "cardiac_arrest", "completed", 8.0)],
                     columns=["replication", "island", "condition", "metric", "value"])
    assert FR.survivors_table(k, per_year=2.0)["value"].tolist() == [4.0]


def test_resource_ratios_percent_of_target():
    fig = FC.resource_ratios(RATIOS, w=W)
    ax = fig.axes[0]
    widths = [round(p.get_width(), 3) for p in ax.patches]
    assert widths == [round(3.17 / 4.2 * 100, 3), round(1.72 / 5 * 100, 3), round(0.93 / 0.9 * 100, 3)]
    assert "93 of 90" in _texts(fig)  # in-county share written in percent


def test_sweep_heatmap_means_over_replications():
    sweep = fake_sweep()
    fig = FS.sweep_heatmap(sweep, "policy.aeds_per_10k", "policy.boats.sijiao", "within_target_share")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "5", "10"]  # numeric, not string order
    cells = _texts(fig)
    assert len(cells) == 6
    # job 4 (boats 2, aeds 5): shift 8 -> mean over reps of 0.6 + 0.05 r + 0.08 = 0.73 -> 73 %
    assert cells[4] == "73"


def test_sweep_heatmap_one_panel_per_condition_and_counts_per_year():
    sweep = fake_sweep()
    fig = FS.sweep_heatmap(sweep, "policy.aeds_per_10k", "policy.boats.sijiao", "within_target_share",
                          condition=["all", "stroke", "no_such_condition"])
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.texts]
    assert [ax.get_title(loc="left") for ax in panels] == ["all conditions", "stroke"]
    # stroke, job 4 (boats 2, aeds 5): 0.5 + 0.1 * mean(r) + 0.08
    r_mean = float(np.mean(REPS))
    assert panels[1].texts[4].get_text() == f"{(0.58 + 0.1 * r_mean) * 100:.0f}"
    surv = FS.sweep_heatmap(sweep, "policy.aeds_per_10k", "policy.boats.sijiao", "ohca_expected_survivors",
                           condition="cardiac_arrest", per_year=4.0)
    # county (k = 0), job 0: (1 + mean(r)) survivors in the run, x4 for a year
    assert float(_texts(surv)[0].replace(",", "")) == pytest.approx(4 * (1 + r_mean), abs=0.05)
    assert "per year" in surv._suptitle.get_text()


@pytest.mark.parametrize("vals, decimals", [([99.8, 99.86], 2), ([43.3, 3.19], 1), ([213, 214], 0),
                                            ([47, 47], 0), ([0.98, 1.07], 2), ([np.nan, np.nan], 0)])
def test_heatmap_decimals_tell_cells_apart(vals, decimals):
    assert FS.decimals(np.array(vals, dtype=float)) == decimals


def test_plan_changes_heatmap():
    plan = pd.DataFrame({"resource": ["doctors", "aeds", "aeds", "boats"],
                         "site": ["main_hospital", "near", "far", "main"], "today": [10, 1, 0, 1],
                         "planned": [12, 4, 0, 2], "change": [2, 3, 0, 1], "cost_capital": [0, 90000, 0, 2.75e6],
                         "cost_operating": [6e5, 4500, 0, 1.15e6]})
    fig = FC.plan_changes(plan, {"main_hospital": "main", "near": "near", "far": "far", "main": "main"}, w=W)
    texts = [t for t in _texts(fig) if t]
    assert sorted(texts) == ["+1", "+2", "+3"]
    assert "capital 2.84 M yuan" in fig.axes[0].get_title(loc="left")


def test_missing_data_raises_nodata():
    with pytest.raises(NoData):
        FC.care_waitlist(fake_daily()[lambda d: d.series != "care_waitlist"])
    with pytest.raises(NoData):
        FT.circuit_visits(None)
    with pytest.raises(NoData):
        FT.transfers_by_mode(fake_kpis()[lambda d: ~d.metric.str.startswith("transfers")])


# --- map and labels ------------------------------------------------------------------------------------
def _label_boxes(fig):
    """Every text on the map: island labels, destinations, the scale bar."""
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    return [L.text_box(t, r) for t in ax.texts]


def meta_of(scenario, policy=None) -> Meta:
    """The run_meta.json a run of ``scenario`` under ``policy`` writes (without sources)."""
    return Meta(run_meta(scenario, policy or baseline_policy(scenario), Experiment(), {"scenario": {"kind": "data"}}))


def test_map_shows_every_island_without_overlapping_labels(tiny):
    policy = resolve_policy(tiny, {"boats": {b.base: 3 for b in tiny.boat_bases}})
    fig = FM.archipelago_map(meta_of(tiny, policy), Words("en"))
    labels = [t.get_text() for t in fig.axes[0].texts]
    for isl in tiny.islands:
        assert any(t.startswith(isl.name_en) for t in labels), isl.name_en
    base = tiny.boat_bases[0].base
    assert any(t.startswith(tiny.island(base).name_en) and "3 boats" in t for t in labels)
    assert L.overlaps(_label_boxes(fig)) == []


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_map_of_shengsi_has_no_overlapping_labels(shengsi, lang):
    if lang != "en" and style.cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    fig = FM.archipelago_map(meta_of(shengsi), BothWords(Words("zh"), Words("en")) if lang == "both" else Words(lang))
    boxes = _label_boxes(fig)
    # 11 islands, Shanghai inside the frame, Zhoushan at its edge, the scale bar
    assert len(boxes) == len(shengsi.islands) + 3
    assert L.overlaps(boxes) == []
    frame = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 for b in boxes)
    names = [t.get_text().split("\n")[0] for t in fig.axes[0].texts]
    isl = shengsi.islands[0]
    assert {"zh": isl.name_zh, "en": isl.name_en, "both": f"{isl.name_zh} {isl.name_en}"}[lang] in names


def test_map_needs_geography(tiny):
    with pytest.raises(NoData):
        FM.archipelago_map(Meta({}), Words())


def test_place_labels_separates_crowded_points():
    fig = style.new_figure(3.5, 2.5, layout=None)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    specs = [L.LabelSpec(5 + 0.05 * k, 5, f"label number {k}") for k in range(6)]
    anns = L.place_labels(ax, specs, fontsize=7)
    r = fig.canvas.get_renderer()
    assert L.overlaps([L.text_box(a, r) for a in anns]) == []


# --- saving and style ----------------------------------------------------------------------------------
def test_two_saves_are_byte_identical(tmp_path, tiny):
    a = save(FM.archipelago_map(meta_of(tiny)), tmp_path / "a", "map")
    b = save(FM.archipelago_map(meta_of(tiny)), tmp_path / "b", "map")
    for pa, pb in zip(a, b, strict=True):
        assert pa.suffix in (".png", ".pdf")
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    png, pdf = a
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-"
    assert b"CreationDate" not in pdf.read_bytes() and b"Software" not in png.read_bytes()
    assert int.from_bytes(png.read_bytes()[16:20], "big") == round(style.FULL_IN * style.DPI)


def test_english_figures_are_english_and_quiet(tiny):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns: there must be none
        fig = FM.archipelago_map(meta_of(tiny), Words("en"))
        fig.canvas.draw()
    assert not any(ord(ch) > 0x2E80 for t in _texts(fig) for ch in t)


def test_chinese_figures_use_the_cjk_font_and_have_every_glyph():
    if style.cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    assert style.rc("zh")["font.family"][-1] == style.cjk_font()
    assert style.rc("en")["font.family"][-1] == style.LATIN_FAMILY  # after a small copy, if a report made one
    assert not any("CJK" in f for f in style.rc("en")["font.family"])
    w = Words("zh", {"main": "主岛", "near": "近岛", "far": "远岛"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from every font warns (and would be a box)
        for fig in (FR.time_to_care(fake_kpis(), TARGETS, ["stroke", "cardiac_arrest"], w=w),
                    FT.weather_delay_by_month(fake_monthly(), 0, 90, w=w), FC.resource_ratios(RATIOS, w=w)):
            fig.canvas.draw()
    ax = [a for a in fig.axes if a.get_visible()][0]
    assert ax.get_xlabel() == "占全县2025年目标的%"


# --- tables and sources -------------------------------------------------------------------------------
def _sweep_data() -> SweepData:
    sweep = fake_sweep()
    swept = ["policy.boats.sijiao", "policy.aeds_per_10k"]
    jobs = sorted(sweep["job"].unique())
    return SweepData(dir=None, jobs={}, sweep=sweep, comparison=None, swept=swept, reference=0,
                     labels=job_labels(sweep, swept, jobs))


def test_sweep_kpi_table_means_intervals_and_paired_differences():
    sw = _sweep_data()
    assert sw.labels[4] == "boats.sijiao=2, aeds_per_10k=5"
    tabs = {t.key: t for t in kpi_tables(sw)}
    t = tabs["within_target_share__island"]
    disp = t.display
    assert list(disp.columns[:3]) == ["island", "boats.sijiao=1, aeds_per_10k=0 (reference)",
                                      "boats.sijiao=1, aeds_per_10k=5"]
    county = disp.iloc[0]
    assert county["island"] == "County"
    # reference: 0.6 + 0.05 r over r = 0,1,2 -> 65 %; a share's interval is the t-interval on the logit
    # scale (experiments.summary): half-width 4.303 * 0.05 / sqrt(3) / (0.65 * 0.35) around logit(0.65)
    h = 4.302652729911275 * 0.05 / np.sqrt(3) / (0.65 * 0.35)
    lo, hi = (100 / (1 + np.exp(-(np.log(0.65 / 0.35) + d))) for d in (-h, h))
    assert county.iloc[1] == f"65.0 [{fmt(lo)}, {fmt(hi)}]"
    # job 1 is shifted by 2 points in every replication: the paired difference has no spread
    assert county["Δ boats.sijiao=1, aeds_per_10k=5"] == "+2.00 [2.00, 2.00]*"
    n = t.numbers
    row = n[(n.island == "all") & (n.job == 5)].iloc[0]
    assert row["difference"] == pytest.approx(0.10) and bool(row["significant"])
    assert "time_to_definitive_care_min_mean__condition" in tabs


def test_markdown_and_latex_escape():
    df = pd.DataFrame({"island": ["A|B"], "Δ x_1": ["50% [1, 2]"]})
    md = to_markdown(df, "t")
    assert "A\\|B" in md and md.count("\n") == 5
    tex = to_latex(df, "a_b")
    assert r"\caption{a\_b}" in tex and r"$\Delta$ x\_1" in tex and r"50\% [1, 2]" in tex
    assert latex_escape("≤ 5 – 6") == r"$\le$ 5 -- 6"


def test_sources_table_lists_each_csv_and_its_citations(tmp_path):
    (tmp_path / "a.csv").write_text("# comment\nid,value,source\nx,1,[S4] and [C7]\n\ny,2,estimate: guess\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,source_geo,source_pop\nz,[G1],DER: [C7] x 2\n", encoding="utf-8")
    st = sources_table(tmp_path)
    assert st["table"].tolist() == ["a.csv", "b.csv"]
    assert st["rows"].tolist() == [2, 1]
    assert st["cited"].tolist() == ["C7, S4", "C7, G1"]
    assert st["estimate_rows"].tolist() == [1, 0] and st["derived_rows"].tolist() == [0, 1]


def test_font_copies_are_small_and_the_full_font_stays_behind(tmp_path, monkeypatch):
    from report import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fonts.font_copy(style.LATIN_FAMILY, "abc") == style.LATIN_FAMILY + fonts.SUFFIX
    [copy] = (tmp_path / "islandcare" / "fonts").iterdir()
    assert copy.stat().st_size < 100_000  # the full DejaVu Sans is about 750 kB
    try:
        style.use_font_copies(["abc"])
        assert style.rc("en")["font.family"] == [style.LATIN_FAMILY + fonts.SUFFIX, style.LATIN_FAMILY]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Ω is not in the copy: drawn from the full font, not a box
            fig = style.new_figure(2, 1, layout=None)
            with style.context("en"):
                fig.text(0.1, 0.5, "Ω 12,345 min")
                save(fig, tmp_path / "out", "omega")
    finally:
        style._COPIES.clear()
        style.rc.cache_clear()
