"""Turn a policy config (plain mapping) plus a scenario into an immutable, fully resolved Policy.

A policy states resource levels (doctors, beds, AEDs, boats, dedicated boats, care beds, carers, circuit
visits) and
rules. Anything it leaves out stays as in the scenario data (today). Every problem names its config
key, e.g. ``policy.doctors.county_hospitl``.

:class:`Policy` holds the defaults of the rules; ``islandcare.config.PolicyConfig`` reads them from
here (a unit test checks that schema and record agree field by field).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from scenarios.checks import row_place
from scenarios.errors import ProblemLog
from scenarios.model import CircuitVisit, Scenario, frozen_map
from scenarios.tables import MAX_COUNT

TRANSFER_RULES = ("fastest", "boat_first", "ferry_only")
BED_FULL_RULES = ("board", "out_of_county")
PLACEMENT_RULES = ("own_island", "nearest_hub", "centralised")
POSTPONE_RULES = ("next_day", "next_slot", "skip")


@dataclass(frozen=True)
class Policy:
    """Resolved resources (a value for every facility, island, base and home) and rules."""

    doctors: Mapping[str, int]
    night_doctors: Mapping[str, int]
    hospital_beds: Mapping[str, int]
    aeds: Mapping[str, int]
    boats: Mapping[str, int]
    care_beds: Mapping[str, int]
    carers: Mapping[str, int]
    circuit: tuple[CircuitVisit, ...]
    name: str = field(default="baseline", kw_only=True)
    transfer_rule: str = "fastest"
    helicopter: bool = True
    helicopter_conditions: frozenset[str] = frozenset()
    out_of_county_conditions: frozenset[str] = frozenset()
    bed_full_rule: str = "board"
    placement_rule: str = "nearest_hub"
    care_waitlist: bool = True
    care_conversion_cap: int = 0
    postpone_rule: str = "next_day"
    bystander_cpr_share: float | None = None
    helicopter_activation_min: float | None = None  # None: the scenario's helicopter.activation_min
    # dedicated (crewed) boats a base has in addition to its boats.csv boats (``boats``, of the row's kind)
    dedicated_boats: Mapping[str, int] = field(default_factory=lambda: frozen_map({}))

    def doctors_on(self, scenario: Scenario, island: str) -> int:
        return sum(self.doctors[f.id] for f in scenario.facilities if f.island == island)


# Config keys that set a level from a ratio instead of naming one (not fields of the record).
RATIO_KEYS = ("aeds_per_10k", "carers_per_10k_elderly")
POLICY_KEYS = tuple(f.name for f in fields(Policy)) + RATIO_KEYS


def _default(name: str):
    """The record's default of a rule (class attribute of the dataclass field)."""
    return getattr(Policy, name)


def baseline_policy(scenario: Scenario, name: str = "baseline") -> Policy:
    """Today's resources as in the scenario data, default rules."""
    return resolve_policy(scenario, {"name": name})


def resolve_policy(scenario: Scenario, cfg: Mapping[str, Any], key: str = "policy") -> Policy:
    """Check ``cfg`` against ``scenario`` and fill every resource level; raise InputError on problems."""
    log = ProblemLog()
    for k in cfg:
        if k not in POLICY_KEYS:
            log.add(f"{key}.{k}", "", cfg[k], "a known policy key: " + ", ".join(sorted(POLICY_KEYS)))

    facilities = {f.id: f for f in scenario.facilities}
    islands = {i.id: i for i in scenario.islands}
    homes = {h.id: h for h in scenario.care_homes}
    bases = {b.base: b for b in scenario.boat_bases}

    doctors = _counts(log, f"{key}.doctors", cfg.get("doctors"), {k: f.doctors for k, f in facilities.items()},
                      "facility", MAX_COUNT["doctors"])
    night = _counts(log, f"{key}.night_doctors", cfg.get("night_doctors"),
                    {k: min(f.night_doctors, doctors.get(k, f.doctors)) for k, f in facilities.items()}, "facility",
                    MAX_COUNT["doctors"])
    for f, n in night.items():
        if n > doctors.get(f, 0):
            log.add(f"{key}.night_doctors.{f}", "", n, f"at most the facility's doctors ({doctors.get(f, 0)})")
    beds = _counts(log, f"{key}.hospital_beds", cfg.get("hospital_beds"), {k: f.beds for k, f in facilities.items()},
                   "facility", MAX_COUNT["beds"])
    aeds = _counts(log, f"{key}.aeds", cfg.get("aeds"), {k: i.aeds for k, i in islands.items()}, "island",
                   MAX_COUNT["aeds"])
    density = cfg.get("aeds_per_10k")
    if density is not None:
        if not _nonneg(density) or density > 10_000:
            log.add(f"{key}.aeds_per_10k", "", density, "a number from 0 to 10,000 (AEDs per 10,000 residents)")
        else:
            aeds = {k: max(n, math.ceil(islands[k].population * float(density) / 10_000 - 1e-9))
                    for k, n in aeds.items()}
            for k in (k for k, n in aeds.items() if n > MAX_COUNT["aeds"]):
                log.add(f"{key}.aeds_per_10k", "", density, f"a density giving at most {MAX_COUNT['aeds']:,} AEDs "
                        f"per island ({k} would get {aeds[k]:,})")
    boats = _counts(log, f"{key}.boats", cfg.get("boats"), {k: b.boats for k, b in bases.items()}, "boat base",
                    MAX_COUNT["boats"])
    dedicated = _counts(log, f"{key}.dedicated_boats", cfg.get("dedicated_boats"), dict.fromkeys(bases, 0),
                        "boat base", MAX_COUNT["boats"])
    care_beds = _counts(log, f"{key}.care_beds", cfg.get("care_beds"), {k: h.beds for k, h in homes.items()},
                        "care home", MAX_COUNT["care_beds"])
    carers = _counts(log, f"{key}.carers", cfg.get("carers"), {k: h.carers for k, h in homes.items()}, "care home",
                     MAX_COUNT["carers"])
    ratio = cfg.get("carers_per_10k_elderly")
    if ratio is not None:
        if not _nonneg(ratio) or ratio > 10_000:
            log.add(f"{key}.carers_per_10k_elderly", "", ratio, "a number from 0 to 10,000 (per 10,000 aged 60+)")
        else:
            carers = _scale_carers(scenario, carers, care_beds, float(ratio))
            for h in (h for h, n in carers.items() if n > MAX_COUNT["carers"]):
                log.add(f"{key}.carers_per_10k_elderly", "", ratio, f"a ratio giving at most "
                        f"{MAX_COUNT['carers']:,} carers per home ({h} would get {carers[h]:,})")
    circuit = _circuit(log, f"{key}.circuit", cfg.get("circuit"), scenario)
    for h, n_beds in care_beds.items():  # not `beds`: that name holds the hospital beds
        if n_beds > 0 and carers.get(h, 0) == 0:
            given = h in (cfg.get("carers") or {})
            log.add(f"{key}.carers.{h}" if given else row_place(scenario, "care_homes.csv", h), "carers", 0,
                    f"certified carers for a home with {n_beds} beds (a home without carers can place no one)")

    conditions = set(scenario.condition_ids)
    heli = _condition_list(log, f"{key}.helicopter_conditions", cfg.get("helicopter_conditions"), conditions,
                           default=time_critical(scenario))
    ooc = _condition_list(log, f"{key}.out_of_county_conditions", cfg.get("out_of_county_conditions"),
                          conditions, default=[])
    rules = {}
    for name, options in (("transfer_rule", TRANSFER_RULES), ("bed_full_rule", BED_FULL_RULES),
                          ("placement_rule", PLACEMENT_RULES), ("postpone_rule", POSTPONE_RULES)):
        v = cfg.get(name, _default(name))
        if v not in options:
            log.add(f"{key}.{name}", "", v, "one of " + ", ".join(options))
        rules[name] = v
    cap = cfg.get("care_conversion_cap", _default("care_conversion_cap"))
    if not _count(cap) or cap > sum(beds.values()):
        log.add(f"{key}.care_conversion_cap", "", cap,
                f"a whole number from 0 to the hospital beds ({sum(beds.values())}) usable as care beds")
    flags = {}
    for name in ("helicopter", "care_waitlist"):
        v = cfg.get(name, _default(name))
        if not isinstance(v, bool):
            log.add(f"{key}.{name}", "", v, "true or false")
        flags[name] = v if isinstance(v, bool) else _default(name)
    cpr = cfg.get("bystander_cpr_share", _default("bystander_cpr_share"))
    if cpr is not None and not (_nonneg(cpr) and float(cpr) <= 1):
        log.add(f"{key}.bystander_cpr_share", "", cpr, "a probability from 0 to 1")
    activation = cfg.get("helicopter_activation_min", _default("helicopter_activation_min"))
    if activation is not None and not (_nonneg(activation) and float(activation) <= 1440):
        log.add(f"{key}.helicopter_activation_min", "", activation,
                "minutes from 0 to 1440 from request to take-off (or null: the scenario's helicopter.activation_min)")
    log.raise_if_any("policy")
    return Policy(
        name=str(cfg.get("name", _default("name"))),
        doctors=frozen_map(doctors), night_doctors=frozen_map(night), hospital_beds=frozen_map(beds),
        aeds=frozen_map(aeds), boats=frozen_map(boats), care_beds=frozen_map(care_beds), carers=frozen_map(carers),
        dedicated_boats=frozen_map(dedicated),
        circuit=circuit, helicopter=flags["helicopter"], helicopter_conditions=frozenset(heli),
        out_of_county_conditions=frozenset(ooc), care_waitlist=flags["care_waitlist"],
        care_conversion_cap=int(cap), bystander_cpr_share=None if cpr is None else float(cpr),
        helicopter_activation_min=None if activation is None else float(activation), **rules,
    )


def time_critical(scenario: Scenario) -> list[str]:
    """Urgent conditions with an outcome-versus-delay curve or a target of an hour or less: those the
    helicopter is called for unless a policy lists its own."""
    return [c.id for c in scenario.conditions if c.urgent and (c.outcome_curve or c.target_min <= 60)]


def _nonneg(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 and math.isfinite(v)


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _counts(log: ProblemLog, key: str, given, today: dict[str, int], what: str, most: int) -> dict[str, int]:
    """Today's levels with the policy's changes; a level is a whole number from 0 to ``most`` (the
    largest the scenario tables may hold, ``scenarios.tables.MAX_COUNT``)."""
    out = dict(today)
    if given is not None and not isinstance(given, Mapping):
        log.add(key, "", given, f"a mapping of {what} -> whole number")
        return out
    for k, v in (given or {}).items():
        if k not in today:
            log.add(f"{key}.{k}", "", v, f"a known {what}: " + ", ".join(sorted(today)))
        elif not _count(v) or v > most:
            log.add(f"{key}.{k}", "", v, f"a whole number from 0 to {most:,}")
        else:
            out[k] = int(v)
    return out


def _scale_carers(s: Scenario, carers: dict[str, int], beds: dict[str, int], ratio: float) -> dict[str, int]:
    """Carers for a county ratio per 10,000 elderly, shared by beds, never below the given numbers."""
    total = math.ceil(s.elderly * ratio / 10_000 - 1e-9)
    extra = max(0, total - sum(carers.values()))
    # weights: beds; with no beds anywhere, equal shares (else the extra carers would be lost)
    weight = beds if sum(beds.values()) > 0 else dict.fromkeys(carers, 1)
    weight_total = sum(weight[h] for h in carers) or 1
    shares = {h: extra * weight[h] / weight_total for h in carers}
    add = {h: math.floor(x) for h, x in shares.items()}
    for h in sorted(shares, key=lambda h: shares[h] - add[h], reverse=True)[: extra - sum(add.values())]:
        add[h] += 1  # largest remainders
    return {h: carers[h] + add[h] for h in carers}


def _circuit(log: ProblemLog, key: str, given, s: Scenario) -> tuple[CircuitVisit, ...]:
    visits = {v.island: v for v in s.circuit_schedule}
    teams = {t.id for t in s.circuit_teams}
    islands = set(s.island_ids)
    if given is not None and not isinstance(given, Mapping):
        log.add(key, "", given, "a mapping of island -> {team, visits_per_month, days_per_visit}")
        given = None
    for isl, spec in (given or {}).items():
        where = f"{key}.{isl}"
        if isl not in islands:
            log.add(where, "", isl, "an island: " + ", ".join(sorted(islands)))
            continue
        if not isinstance(spec, Mapping):
            log.add(where, "", spec, "a mapping with team, visits_per_month, days_per_visit")
            continue
        old = visits.get(isl)
        for k in spec:
            if k not in ("team", "visits_per_month", "days_per_visit"):
                log.add(f"{where}.{k}", "", spec[k], "one of team, visits_per_month, days_per_visit")
        team = spec.get("team") or (old.team if old else None)
        vpm = spec.get("visits_per_month", old.visits_per_month if old else 1.0)
        days = spec.get("days_per_visit", old.days_per_visit if old else 1)
        bad = False
        if team not in teams:
            log.add(f"{where}.team", "", team, "a circuit team: " + ", ".join(sorted(teams)))
            bad = True
        if not _nonneg(vpm) or vpm > 31:
            log.add(f"{where}.visits_per_month", "", vpm, "a number from 0 to 31")
            bad = True
        if not (_count(days) and 1 <= days <= 31):
            log.add(f"{where}.days_per_visit", "", days, "a whole number from 1 to 31")
            bad = True
        if not bad:
            visits[isl] = CircuitVisit(isl, team, float(vpm), int(days))
    return tuple(visits[i] for i in s.island_ids if i in visits)


def _condition_list(log, key, given, conditions: set[str], default: list[str]) -> list[str]:
    if given is None:
        return [c for c in default if c in conditions]
    if not isinstance(given, (list, tuple)):
        log.add(key, "", given, "a list of conditions, e.g. [stroke, chest_pain]")
        return []
    out = []
    for k, c in enumerate(given):
        if c not in conditions:
            log.add(f"{key}[{k}]", "", c, "a condition: " + ", ".join(sorted(conditions)))
        else:
            out.append(c)
    return out
