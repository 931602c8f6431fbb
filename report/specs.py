"""The declarative list of figures: what each is called, which function draws it, what it needs.

A figure is one :class:`FigureSpec` in :data:`RUN_FIGURES` (figures of one run; on a sweep page those
of the reference job) or :data:`SWEEP_FIGURES` (comparisons of a sweep's jobs). Its ``draw``
function's parameters name what it takes from the :class:`Context`, by name:

  tables      kpis, summary, daily, monthly, by_sea_state, ratios, plan, frontier, face_validation,
              sweep (all jobs' KPIs with one column per override)
  derived     within (county within-target summary per scenario), survivors (cardiac-arrest survivors
              per year per scenario), capacities (beds and care places), site_islands, meta
  settings    targets, conditions, per_year, warmup_days, horizon_days
  language    w (:class:`report.vocab.Words` in the figure's language)

plus, for a spec with ``variants``, the keyword arguments each variant adds (e.g. the two swept
keys of a heatmap). ``needs`` lists the entries that must be present; without one of them the figure
is skipped with a note ("no monthly table in this folder"). The title and caption are the vocabulary
keys ``title_<name>`` and ``cap_<name>`` (:mod:`report.vocab_text`), filled with ``Context.fields``
and the variant's fields.

Adding a figure (e.g. the optimiser's league table, the sensitivity tornado): write the function in a
``report/figures_*.py`` module (data in, Figure out, ``w`` for every text), add its title and caption
to ``report/vocab_text.py`` in both languages, and append a ``FigureSpec`` here. Nothing else changes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from report import figures_capacity as FC
from report import figures_care as FR
from report import figures_map as FM
from report import figures_transport as FT
from report.figkit import NoData
from report.figures_sweep import short_key, sweep_heatmap
from report.load import RunData, SweepData
from report.vocab import BOTH, Words
from report.vocab_both import BothWords
from scenarios.units import ALL, ARREST


@dataclass(frozen=True)
class Variant:
    """One of several figures drawn by the same spec (e.g. one heatmap per pair of swept keys)."""

    suffix: str  # appended to the spec's name: the file stem
    args: dict = field(default_factory=dict)  # extra keyword arguments of ``draw``
    fields: dict = field(default_factory=dict)  # extra format fields of the title and caption


@dataclass(frozen=True)
class FigureSpec:
    name: str  # file stem of figures/<name>.png|pdf, and the vocabulary keys title_<name>, cap_<name>
    draw: Callable  # data in (parameters named as in the module docstring), matplotlib Figure out
    needs: tuple[str, ...] = ()
    variants: Callable[[Context], list[Variant]] | None = None

    def parameters(self) -> list[str]:
        """The parameters ``draw`` takes from the Context: every required one, and those with a default
        that name an entry (a parameter such as ``top=5`` keeps its default)."""
        params = inspect.signature(self.draw).parameters.values()
        return [p.name for p in params if p.default is inspect.Parameter.empty or p.name in Context.ENTRIES]


def frontier_figure(frontier: pd.DataFrame, w: Words | None = None):
    """The optimiser's frontier (:mod:`report.figures_optimize`, also drawn by ``mode=frontier``)."""
    from report.figures_optimize import frontier_figure as draw

    return draw(frontier, w=w)


class Context:
    """Everything a figure may take, by name, for one run (and, on a sweep page, the sweep)."""

    TABLES = ("kpis", "summary", "daily", "monthly", "by_sea_state", "ratios", "plan", "frontier", "face_validation")
    DERIVED = ("meta", "map_meta", "within", "survivors", "capacities", "site_islands", "targets", "conditions",
               "per_year", "warmup_days", "horizon_days", "sweep", "sweep_within", "sweep_survivors")
    ENTRIES = frozenset({"w", *TABLES, *DERIVED})

    def __init__(self, run: RunData, sweep: SweepData | None = None):
        self.run, self.sw = run, sweep
        self.meta = run.meta

    def words(self, lang: str) -> Words:
        """The vocabulary in ``lang`` (en, zh; 'both': that of bilingual figures)."""
        if lang == BOTH:
            return BothWords(self.words("zh"), self.words("en"))
        return Words(lang, self.meta.island_names(lang),
                     {c["id"]: c["name"] for c in self.meta.get("conditions", [])} if lang == "en" else None)

    def value(self, name: str, lang: str = "en"):
        """The entry ``name`` (None if this folder does not have it)."""
        if name == "w":
            return self.words(lang)
        if name in self.TABLES:
            df = self.run.table(name)
            return None if df is None or df.empty else df
        if name not in self.DERIVED:
            raise KeyError(f"{name} is no entry of the report's Context (see report/specs.py)")
        return getattr(self, name)

    # --- settings and derived entries -------------------------------------------------------------
    @property
    def targets(self) -> dict[str, float]:
        return self.meta.targets_min()

    @property
    def conditions(self) -> list[str] | None:
        return self.meta.conditions or None

    @property
    def per_year(self) -> float:
        return self.run.per_year

    @property
    def warmup_days(self) -> float:
        return float(self.run.config.get("experiment", {}).get("warmup_days", 0))

    @property
    def horizon_days(self) -> float:
        return float(self.run.config.get("experiment", {}).get("horizon_days", 365))

    @property
    def site_islands(self) -> dict[str, str]:
        return self.meta.site_islands()

    @property
    def map_meta(self):
        return self.meta if self.meta.has_map else None

    @property
    def fields(self) -> dict[str, str]:
        days = self.run.observed_days
        return {"days": f"{days:g}" if days else "?"}

    @cached_property
    def capacities(self) -> dict[str, float]:
        ss = self.run.table("scenario_summary")
        if ss is None or "island" not in ss:
            return {}
        row = ss[ss["island"] == ALL]
        out = {}
        for series, cols in (("bed", ("hospital_beds",)), ("care", ("care_usable_beds", "care_beds"))):
            for col in cols:  # care homes: the places carers can staff, if the summary has them
                if not row.empty and col in row:
                    out[series] = float(row[col].iloc[0])
                    break
        return out

    @cached_property
    def within(self) -> pd.DataFrame | None:
        s = self.run.table("summary")
        if s is None:
            return None
        s = s[(s["island"] == ALL) & (s["metric"] == "within_target_share")]
        return s.assign(scenario=self.run.label) if len(s) else None

    @cached_property
    def survivors(self) -> pd.DataFrame | None:
        kpis = self.run.table("kpis")
        try:
            return None if kpis is None else FR.survivors_table(kpis, self.per_year).assign(scenario=self.run.label)
        except NoData:
            return None

    @property
    def sweep(self) -> pd.DataFrame | None:
        return self.sw.sweep if self.sw is not None and self.sw.sweep is not None and len(self.sw.sweep) else None

    @cached_property
    def sweep_within(self) -> pd.DataFrame | None:
        from experiments.summary import summarise

        kp = self.sweep
        if kp is None:
            return None
        wt = kp[(kp["metric"] == "within_target_share") & (kp["island"] == ALL)]
        parts = [summarise(g.drop(columns=["job", *self.sw.swept])).assign(scenario=self.sw.labels.get(j, str(j)))
                 for j, g in wt.groupby("job", sort=True)]
        return pd.concat(parts) if parts else None

    @cached_property
    def sweep_survivors(self) -> pd.DataFrame | None:
        kp = self.sweep
        if kp is None:
            return None
        parts = []
        for j, g in kp.groupby("job", sort=True):
            try:
                parts.append(FR.survivors_table(g, self.per_year).assign(scenario=self.sw.labels.get(j, str(j))))
            except NoData:
                continue
        return pd.concat(parts) if parts else None

    def pairs(self) -> list[tuple[str, str]]:
        """Up to three pairs of swept keys that take more than one value."""
        kp = self.sweep
        keys = [k for k in (self.sw.swept if self.sw else []) if kp is not None and kp[k].nunique() > 1]
        return [(keys[i], keys[j]) for i in range(len(keys)) for j in range(i + 1, len(keys))][:3]


# --- the figures --------------------------------------------------------------------------------------
RUN_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("map_archipelago_islands_links_resources", FM.archipelago_map, ("map_meta",)),
    FigureSpec("time_to_definitive_care_by_island_condition", FR.time_to_care, ("kpis",)),
    FigureSpec("within_target_share_by_condition_scenario", FR.within_target, ("within",)),
    FigureSpec("transfers_by_mode_and_island", FT.transfers_by_mode, ("kpis",)),
    FigureSpec("weather_delay_and_closures_by_month", FT.weather_delay_by_month, ("monthly",)),
    FigureSpec("occupancy_hospital_beds_care_homes_over_year", FC.occupancy_over_year, ("daily",)),
    FigureSpec("care_waitlist_over_time", FC.care_waitlist, ("daily",)),
    FigureSpec("circuit_visits_planned_vs_made_by_island_month", FT.circuit_visits, ("monthly",)),
    FigureSpec("cardiac_arrest_expected_survivors_by_island", FR.cardiac_survivors, ("survivors",)),
    FigureSpec("resource_ratios_vs_2025_targets", FC.resource_ratios, ("ratios",)),
    FigureSpec("plan_changes_by_island", FC.plan_changes, ("plan",)),
    FigureSpec("frontier_budget_benefit", frontier_figure, ("frontier",)),
)
# Figures of a run that a sweep page replaces with its comparative version (below).
RUN_ONLY = frozenset({"within_target_share_by_condition_scenario", "cardiac_arrest_expected_survivors_by_island"})

HEATMAPS = (("within_target_share", True, False), ("time_to_definitive_care_min_mean", True, False),
            ("ohca_expected_survivors", False, True))  # metric, with the time-critical conditions, per year


def heatmap_variants(ctx: Context) -> list[Variant]:
    out = []
    critical = ctx.meta.time_critical
    for x, y in ctx.pairs():
        for metric, by_condition, yearly in HEATMAPS:
            conditions = [ALL, *critical] if by_condition else [ARREST]
            out.append(Variant(f"_{metric}_{_slug(short_key(x))}_by_{_slug(short_key(y))}",
                               {"x": x, "y": y, "metric": metric, "condition": conditions,
                                "per_year": ctx.per_year if yearly else 1.0},
                               {"metric": metric, "x": short_key(x), "y": short_key(y), "many": len(conditions) > 1}))
    return out


def _slug(key: str) -> str:
    return key.replace(".", "_").replace("/", "_")


def sweep_within_target(sweep_within: pd.DataFrame, targets=None, conditions=None, w: Words | None = None):
    return FR.within_target(sweep_within, targets, conditions, w=w)


def sweep_survivors(sweep_survivors: pd.DataFrame, w: Words | None = None):
    return FR.cardiac_survivors(sweep_survivors, w=w)


def heatmap(sweep: pd.DataFrame, x: str, y: str, metric: str, condition, per_year: float, w: Words | None = None):
    return sweep_heatmap(sweep, x, y, metric, condition=condition, per_year=per_year, w=w)


SWEEP_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("within_target_share_by_condition_scenario", sweep_within_target, ("sweep_within",)),
    FigureSpec("cardiac_arrest_expected_survivors_by_island_scenario", sweep_survivors, ("sweep_survivors",)),
    FigureSpec("sweep_heatmap", heatmap, ("sweep",), variants=heatmap_variants),
)
