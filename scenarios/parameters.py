"""The scalar parameters a scenario's ``parameters.csv`` must give, as typed groups.

A key ``group.name`` of ``parameters.csv`` is the field ``name`` of the group ``group`` (e.g.
``boat.dispatch_min`` is ``scenario.parameters.boat.dispatch_min``). Each field declares its type,
allowed range and meaning once, here; :data:`PARAMETER_SPECS` (what the loader checks) is derived
from the fields, so the check and the record cannot disagree. The loader rejects unknown keys,
missing keys and values out of range, naming the row (a key whose field declares a ``default``, such
as ``calendar.year_start_weekday``, may be left out: scenarios without weekday timetables need not
give it); model code reads the typed groups, so no number a planner may change is written in model
code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from scenarios.model import AGE_BANDS


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """What one key of ``parameters.csv`` must hold."""

    key: str
    kind: str  # "float", "int", "bool" or "id"
    low: float | None = None
    high: float | None = None
    meaning: str = ""
    default: object = None  # the value of a key a scenario leaves out (None: the key is required)


def _f(low: float | None, high: float | None, meaning: str):
    return field(metadata={"kind": "float", "low": low, "high": high, "meaning": meaning})


def _i(low: int, high: int, meaning: str, default: int | None = None):
    return field(metadata={"kind": "int", "low": low, "high": high, "meaning": meaning, "default": default})


def _id(meaning: str):
    return field(metadata={"kind": "id", "meaning": meaning})


def _bool(meaning: str):
    return field(metadata={"kind": "bool", "meaning": meaning})


@dataclass(frozen=True, slots=True)
class BoatParameters:
    """Emergency boats (``boats.csv``: ad hoc or dedicated)."""

    dispatch_min: float = _f(0, 240, "call to boat leaving its base, where boats.csv gives no dispatch_min")
    dedicated_dispatch_min: float = _f(0, 240, "call to leaving the base for a dedicated boat a policy adds "
                                              "(policy.dedicated_boats) at a base whose boats.csv row is ad hoc")
    load_min: float = _f(0, 120, "loading the patient at the island pier")
    handover_min: float = _f(0, 120, "hand-over at the receiving pier")
    detour_factor: float = _f(1, 3, "sea route length / straight-line distance")


@dataclass(frozen=True, slots=True)
class FerryParameters:
    """Scheduled ferries."""

    board_min: float = _f(0, 120, "patient and escort must be at the pier this long before departure")


@dataclass(frozen=True, slots=True)
class HelicopterParameters:
    """Air rescue."""

    count: int = _i(0, 20, "helicopters available to the county")
    base_lat: float = _f(-90, 90, "helicopter base latitude")
    base_lon: float = _f(-180, 180, "helicopter base longitude")
    activation_min: float = _f(0, 600, "request to take-off")
    speed_kmh: float = _f(1, 500, "cruise speed")
    pickup_min: float = _f(0, 120, "on the ground at the island")
    handover_min: float = _f(0, 120, "landing to hand-over at the receiving hospital")
    destination: str = _id("destination id the helicopter flies to")
    daylight_only: bool = _bool("flies only between sunrise and sunset")


@dataclass(frozen=True, slots=True)
class TouristParameters:
    """Tourists' age structure (tourists add to the island population by these shares)."""

    share_0_14: float = _f(0, 1, "share of tourists aged 0-14")
    share_15_59: float = _f(0, 1, "share of tourists aged 15-59")
    share_60_79: float = _f(0, 1, "share of tourists aged 60-79")
    share_80_plus: float = _f(0, 1, "share of tourists aged 80+")

    @property
    def shares(self) -> tuple[float, ...]:
        """The shares in the order of :data:`scenarios.model.AGE_BANDS`."""
        return tuple(getattr(self, f"share_{b}") for b in AGE_BANDS)


@dataclass(frozen=True, slots=True)
class OhcaParameters:
    """Out-of-hospital cardiac arrest."""

    share_at_home: float = _f(0, 1, "share of arrests at home (rest in public places)")
    bystander_cpr_share: float = _f(0, 1, "share receiving bystander CPR")
    shockable_share: float = _f(0, 1, "share with a shockable first rhythm")
    collapse_to_call_min: float = _f(0, 30, "collapse to recognition and call")
    walk_speed_m_per_min: float = _f(1, 500, "speed of a bystander fetching an AED, along the straight line")
    aed_home_access_share: float = _f(0, 1, "share of at-home arrests for which a public AED is fetched")
    aed_analysis_min: float = _f(0, 10, "pads on and rhythm analysed once the AED arrives")
    clinician_dispatch_min: float = _f(0, 60, "call to a local doctor setting off")
    nonshockable_survival: float = _f(0, 1, "survival with a non-shockable rhythm (shock irrelevant)")
    curve_cpr: str = _id("outcome curve: survival vs minutes to shock, with CPR")
    curve_no_cpr: str = _id("outcome curve: survival vs minutes to shock, no CPR")


@dataclass(frozen=True, slots=True)
class CareParameters:
    """Elderly care."""

    mean_stay_days: float = _f(1, 10000, "mean stay in a care home (death or discharge)")
    residents_per_carer: float = _f(0.1, 100, "residents one certified carer can look after")
    hospital_wait_share: float = _f(0, 1, "share of people awaiting placement who wait in a hospital bed")
    waitlist_abandon_days: float = _f(1, 100000, "mean time before someone leaves the waiting list")


@dataclass(frozen=True, slots=True)
class CircuitParameters:
    """Circuit medical teams."""

    escalation_days: float = _f(1, 3650, "routine demand unserved this long may turn urgent")
    escalation_share: float = _f(0, 1, "share of over-age backlog that turns urgent")
    abandon_days: float = _f(1, 3650, "routine backlog patients still unserved this long leave without care")
    followup_window_days: float = _f(1, 365, "window for the follow-up-served-in-time metric")
    depart_hour: float = _f(0, 23, "hour of day teams set out")
    team_mode: str = _id("sea mode (modes.csv) whose weather limits a team's crossing obeys")
    escalation_condition: str = _id("urgent condition (conditions.csv) that escalated backlog patients become")


@dataclass(frozen=True, slots=True)
class RoutineParameters:
    """Routine care (primary care, chronic follow-up) of residents of islands without a doctor.

    Demand on islands with ``resident_doctor`` false in ``islands.csv`` is the age-specific rate times
    ``no_clinic_demand_factor`` (the shared rule ``scenarios.routing.arrival_rates``). On an island
    where no staffed facility treats the class, each contact chooses: wait for the circuit visit
    (today's pathway), travel by scheduled boat to the nearest place with care, or forgo (a share of
    these resolved by telephone or the cloud clinic). The three choice shares sum to 1.
    """

    no_clinic_demand_factor: float = _f(0, 2, "routine contacts per person on an island without a resident "
                                              "doctor, relative to the age-specific rates (a clinic at hand)")
    no_clinic_wait_share: float = _f(0, 1, "share of those contacts that wait for the circuit visit")
    no_clinic_travel_share: float = _f(0, 1, "share that take the scheduled boat to the nearest place with care")
    no_clinic_forgo_share: float = _f(0, 1, "share that forgo care or phone (wait + travel + forgo = 1)")
    no_clinic_travel_wait_days: float = _f(0, 365, "days from the need to setting out for those who travel "
                                                   "(then the next sailing)")
    no_clinic_phone_resolved_share: float = _f(0, 1, "share of those who forgo whose need a telephone or "
                                                     "cloud-clinic consultation resolves (the rest go without)")

    @property
    def choice_shares(self) -> tuple[float, float, float]:
        """(wait, travel, forgo)."""
        return self.no_clinic_wait_share, self.no_clinic_travel_share, self.no_clinic_forgo_share


@dataclass(frozen=True, slots=True)
class CalendarParameters:
    """The model year's calendar: which weekday its 1 January is.

    Simulation day 0 is 1 January; ``sim.calendar.Calendar`` turns this into the weekday of every
    day (the one place), which the weekday timetables of ``sea_links.csv`` (column ``days``) obey.
    A model year has 365 days, so the next model year starts one weekday later.
    """

    year_start_weekday: int = _i(1, 7, "weekday of 1 January of the model year (ISO: 1 = Monday ... "
                                       "7 = Sunday)", default=1)


GROUPS: dict[str, type] = {
    "boat": BoatParameters,
    "ferry": FerryParameters,
    "helicopter": HelicopterParameters,
    "tourists": TouristParameters,
    "ohca": OhcaParameters,
    "care": CareParameters,
    "circuit": CircuitParameters,
    "routine": RoutineParameters,
    "calendar": CalendarParameters,
}


@dataclass(frozen=True, slots=True)
class Parameters:
    """Every scalar parameter of a scenario, by group."""

    boat: BoatParameters
    ferry: FerryParameters
    helicopter: HelicopterParameters
    tourists: TouristParameters
    ohca: OhcaParameters
    care: CareParameters
    circuit: CircuitParameters
    routine: RoutineParameters
    calendar: CalendarParameters

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Parameters:
        """Build from ``{"group.name": value}`` holding every key of :data:`PARAMETER_SPECS`."""
        groups = {}
        for name, kind in GROUPS.items():
            groups[name] = kind(**{f.name: values[f"{name}.{f.name}"] for f in fields(kind)})
        return cls(**groups)

    def with_values(self, changes: Mapping[str, object]) -> Parameters:
        """A copy with some ``{"group.name": value}`` changed (tests, synthetic cases)."""
        values = self.as_mapping()
        unknown = set(changes) - set(values)
        if unknown:
            raise KeyError(f"unknown parameter keys: {sorted(unknown)}")
        return Parameters.from_mapping({**values, **changes})

    def as_mapping(self) -> dict[str, object]:
        """``{"group.name": value}`` (for checks that name the row of ``parameters.csv``)."""
        out = {}
        for name in GROUPS:
            group = getattr(self, name)
            for f in fields(group):
                out[f"{name}.{f.name}"] = getattr(group, f.name)
        return out


def _specs() -> dict[str, ParameterSpec]:
    out = {}
    for name, kind in GROUPS.items():
        for f in fields(kind):
            m = f.metadata
            key = f"{name}.{f.name}"
            out[key] = ParameterSpec(key, m["kind"], m.get("low"), m.get("high"), m["meaning"], m.get("default"))
    return out


PARAMETER_SPECS: dict[str, ParameterSpec] = _specs()
