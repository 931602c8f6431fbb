"""The model description of the report, following the STRESS-DES reporting checklist
(Monks et al. 2019: objectives, logic, data, experimentation, implementation).

Written from what ``sim/`` does (its module docstrings); run-specific numbers come from the run's
own records, so the text states what this run actually did. Returns (heading, paragraphs) pairs of
plain text; the HTML layer escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def _has(kpis: pd.DataFrame | None, prefix: str) -> bool:
    return kpis is not None and kpis["metric"].astype(str).str.startswith(prefix).any()


def stress_sections(config: Mapping, record: Mapping, scenario=None, kpis: pd.DataFrame | None = None,
                    daily: pd.DataFrame | None = None) -> list[tuple[str, list[str]]]:
    exp = config.get("experiment", {}) or {}
    scen = config.get("scenario", {}) or {}
    pol = config.get("policy", {}) or {}
    reps = exp.get("replications", record.get("replications", "?"))
    horizon = exp.get("horizon_days", record.get("horizon_days", "?"))
    warmup = exp.get("warmup_days", record.get("warmup_days", "?"))
    seed = exp.get("seed", record.get("seed", "?"))
    if scenario is not None:
        place = (f"{len(scenario.islands)} islands, {len(scenario.facilities)} facilities, "
                 f"{len(scenario.care_homes)} care homes, {len(scenario.links)} directed sea links, "
                 f"{len(scenario.conditions)} condition classes and {len(scenario.destinations)} hospitals "
                 "outside the county")
    else:
        place = "the scenario's tables"
    series = sorted(set(daily["series"])) if daily is not None and not daily.empty else []
    objectives = [
        "Purpose: to tell county health planners what a resource policy (doctors, public AEDs, ambulance "
        "boats, hospital and care-home beds, carers, circuit-team visits) buys across an archipelago: "
        "minutes from onset to definitive care, the share of patients inside each condition's target time, "
        "the share treated inside the county, survival of time-critical conditions, and the workload of "
        "doctors, beds and boats.",
        "Model outputs (KPIs): per replication, home island and condition — arrivals, completions, wait for "
        "the first clinician, mean and 90th percentile of time to definitive care, share within target, "
        "transfers by mode and out of the county, weather delay, in-county share, expected survival; per "
        "facility island — doctor utilisation, bed occupancy and blocked admissions; per boat base — boat "
        "utilisation" + ("; cardiac-arrest counts, shocks within 5 minutes and expected survivors"
                         if _has(kpis, "ohca_") else "") +
        ("; circuit visits planned and made" if _has(kpis, "visits_") else "") +
        ("; care-home occupancy and waiting list" if _has(kpis, "care_") else "") + ".",
        "Aim of experimentation: compare policies against today's resources (the baseline) on the same "
        "patients and weather (common random numbers), and against the county plan's 2025 targets.",
    ]
    logic = [
        "Base model: a discrete-event simulation in SimPy. Patients arrive by a non-homogeneous Poisson "
        "process per island and condition, the rate being residents (plus the month's tourists) by age band "
        "× incidence per 1,000 × the month's seasonal factor × the hour's time-of-day weight; arrivals are "
        "generated one month at a time.",
        "Routine patients (primary care, chronic follow-up) on an island with a staffed facility treating "
        "the class are seen there; definitive care starts with the consultation. A share seeks care off the "
        "islands on their own.",
        "Urgent patients travel by road to the island's facility and are treated there when it treats the "
        "class; otherwise they are stabilised and transferred to the referral facility, or out of the county "
        "for tertiary needs. At night a facility without night doctors is skipped. Admitted patients take a "
        "bed; when the ward is full the policy boards them or sends them out of the county.",
        "Transfers use the fastest available of: a dedicated ambulance boat from a base (dispatch, sail out, "
        "load, sail, hand over, return), the next scheduled sailings planned over the timetable (a seat per "
        "leg; a sailing cancelled by weather makes the patient decide again), or the helicopter (daylight, "
        "within its limits). When nothing can operate the patient waits; that time is the weather delay.",
        "Weather: one county-wide sea state (calm, force 6, 7, 8, 9+ or fog) whose episodes start as a "
        "Poisson process with rates from the month's climatology and last an exponential time; each area "
        "adds its wind offset; a mode is open when wind and visibility are within its limits.",
        "Doctors follow opening hours (day rota) and night rosters with urgent-first priority; wards are "
        "beds with lengths of stay drawn per patient.",
    ]
    if _has(kpis, "ohca_"):
        logic.append("Cardiac arrest: for each arrest the model draws place (home or public), bystander CPR, a "
                     "shockable rhythm and the distance to the nearest public AED (AEDs as a Poisson field "
                     "over the settled area). Time to the first shock is the earlier of a bystander bringing "
                     "an AED and the first clinician arriving; survival follows the scenario's outcome-versus-"
                     "delay curve, and survivors continue on the urgent pathway.")
    if _has(kpis, "visits_"):
        logic.append("Circuit teams visit islands without a resident doctor on a monthly schedule, sailing by "
                     "small ferry; a visit the weather prevents is postponed by the policy's rule, and routine "
                     "demand waits in a backlog until the next visit.")
    if "care" in series or _has(kpis, "care_"):
        logic.append("Elderly care: residents aged 60+ come to need a care-home place at the scenario's rate; "
                     "they are placed by the policy's placement rule or wait on a list (some in hospital "
                     "beds).")
    logic.append("Simplifications: no per-patient records are kept (statistics are accumulated as the model "
                 "runs, so memory stays flat); the 90th percentile comes from a 1-minute histogram up to a day "
                 "and 15-minute bins after; outcomes are expected values from outcome-versus-delay curves.")
    data = [
        f"The scenario '{scen.get('name', record.get('scenario', '?'))}' (folder {scen.get('data_dir', '?')}, "
        f"population year {scen.get('year', '?')}, weather '{scen.get('weather', 'climate')}') holds {place}. "
        "Every row carries its source; the table of sources below lists what each table cites and how many of "
        "its rows are derived or estimated. Many values are estimates (see the scenario's README for the list "
        "to check first).",
        f"Policy '{pol.get('name', record.get('policy', '?'))}': settings it leaves out stay as in the "
        "scenario data (today's resources).",
    ]
    experimentation = [
        f"Replications: {reps}; run length {horizon} days including a warm-up of {warmup} days, after which "
        "statistics start (only patients arriving after the warm-up count; resource areas start at its end).",
        f"Seed {seed}: every random activity draws from its own named stream derived from the seed, the "
        "replication and the stream name, so two policies run with the same seed see the same patients, "
        "weather and lengths of stay (common random numbers); results do not depend on the number of worker "
        "processes.",
        "Intervals: 95% t-intervals over replications; differences between policies are paired by "
        "replication.",
    ]
    pk = record.get("packages", {}) or {}
    versions = ", ".join(f"{k} {v}" for k, v in sorted(pk.items()) if v)
    implementation = [
        f"Python {record.get('python', '?')} with {versions or 'the packages in pyproject.toml'}; "
        f"code commit {record.get('git_commit', 'unknown')}.",
        "The simulation package (sim/) takes validated, immutable scenario, policy and experiment objects and "
        "returns tidy tables; it reads no files and knows no configuration framework. Replications run in "
        "parallel processes; results are written atomically with the resolved configuration and this record, "
        "so a run can be repeated exactly with the same command and seed.",
    ]
    return [("1. Objectives", objectives), ("2. Logic", logic), ("3. Data", data),
            ("4. Experimentation", experimentation), ("5. Implementation", implementation)]
