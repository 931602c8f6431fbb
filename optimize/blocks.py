"""Building blocks of the program, one per concern: each adds its variables and constraints to a
:class:`~optimize.program.Program` (spopt-style small builders over one PuLP problem).

Order matters only in that :func:`add_sites` comes first (it creates the decision variables the
others read) and :func:`set_objective` last. :func:`build_program` assembles the full model.
"""

from __future__ import annotations

import math

import pulp

from optimize.data import ProgramData
from optimize.plan import piece_level, today_levels
from optimize.program import Program, Term
from optimize.settings import OUTCOMES, OptimizerSettings
from scenarios.model import DAYS_PER_YEAR


def build_program(data: ProgramData, settings: OptimizerSettings, elastic: frozenset[str] = frozenset()) -> Program:
    """The whole program: decisions, outcomes, budgets, workforce, minimums, equity, floors, objective."""
    prog = Program(data, settings, frozenset(elastic))
    add_sites(prog)
    add_pieces(prog)
    add_circuit(prog)
    add_budgets(prog)
    add_workforce(prog)
    add_minimums(prog)
    add_equity(prog)
    add_doctor_balance(prog)
    add_outcomes(prog)
    add_floors(prog)
    set_objective(prog)
    return prog


def add_sites(prog: Program) -> None:
    """One integer level per site (bounds: today's level or zero, up to today's plus the limit), and
    the cost expressions: operating cost of the change, capital of units added."""
    operating, capital = [], []
    for s in prog.data.sites:
        x = prog.variable(f"x__{s.key}", s.low, s.high, integer=True)
        prog.x[s.key] = x
        operating.append(s.operating * (x - s.today))
        if s.capital > 0:
            if s.low >= s.today:
                bought = x - s.today
            else:  # levels may fall below today: capital only for units bought (a sale refunds nothing)
                bought = prog.variable(f"bought__{s.key}", 0.0, s.high - s.today)
                prog.problem.addConstraint(bought - x >= -s.today, f"bought__{s.key}")
            prog.added[s.key] = bought
            capital.append(s.capital * bought)
    prog.operating = pulp.lpSum(operating)
    prog.capital = pulp.lpSum(capital)


def add_pieces(prog: Program) -> None:
    """Every outcome piece: ``y <= hull(level)``. Levels: a sum of sites (AEDs on an island, doctors at
    a facility, boats at the bases that serve a flow), a home's usable beds (beds and converted beds
    capped by carers x residents per carer), a facility's hospital beds left after conversion."""
    d = prog.data
    today = today_levels(d)
    for x in d.pieces:
        if x.level == "usable":
            level = _usable(prog, x.label, x.curve.hi)
        elif x.level == "beds_left":
            level = x.curve.hi - prog.x[x.sites[0]]
        else:
            level = pulp.lpSum(prog.x[k] for k in x.sites)
        t = x.curve.value(piece_level(d, today, x))
        prog.bound_by_curve(x.outcome, x.label, x.curve, level, t)


def _usable(prog: Program, home: str, hi: float):
    d = prog.data
    beds = prog.level("care_beds", home)
    conv = pulp.lpSum(prog.level("beds_converted", f) for f, h in d.conversions.items() if h == home)
    usable = prog.variable(f"usable__{home}", 0.0, hi)
    prog.problem.addConstraint(usable - beds - conv <= 0, f"usable_beds__{home}")
    prog.problem.addConstraint(usable - d.care_per_carer * prog.level("carers", home) <= 0, f"usable_carers__{home}")
    return usable


def add_circuit(prog: Program) -> None:
    """Routine patients of islands without a resident doctor today cared for in the county: at most
    the need; without a doctor, those cared for without the visit (boat to a county facility,
    telephone) plus the visits' consultations, at most the patients who wait for them; everything
    once a doctor lives there (``optimize.plan.circuit_value``). The teams' days per month."""
    d = prog.data
    for isl, c in d.circuit.items():
        if not c.no_doctor or c.demand <= 0:
            continue
        y = prog.variable(f"y__consultations_no_doctor__{isl}", 0.0, c.demand)
        doctors = _doctors_on(prog, isl)
        prog.problem.addConstraint(y - c.per_visit * prog.level("circuit_visits", isl) - c.demand * doctors
                                   <= c.without_visit, f"circuit_capacity__{isl}")
        if math.isfinite(c.waiting):
            prog.problem.addConstraint(y - c.demand * doctors <= c.without_visit + c.waiting, f"circuit_waiting__{isl}")
        s = d.site("circuit_visits", isl)
        on = sum(x.today for x in d.sites_of("doctors") if x.island == isl)
        today = c.value(s.today, on)
        prog.terms.append(Term("consultations_no_doctor", isl, y, None, None, today))
    days = d.limits.get("team_days_per_month", math.inf)
    if math.isfinite(days):
        for team, islands in d.teams.items():
            expr = pulp.lpSum(d.circuit[i].days_per_visit * prog.level("circuit_visits", i) for i in islands)
            prog.constrain("team_days", team, expr, "<=", days)


def add_budgets(prog: Program) -> None:
    s = prog.settings
    prog.constrain("operating_budget", "total", prog.operating, "<=", s.operating_budget)
    prog.constrain("capital_budget", "total", prog.capital, "<=", s.capital_budget)


def add_workforce(prog: Program) -> None:
    """Doctors and carers the county can hire (net of today's)."""
    d = prog.data
    for resource, limit_key, group in (("doctors", "doctors_hire", "workforce_doctors"),
                                       ("carers", "carers_hire", "workforce_carers")):
        sites = d.sites_of(resource)
        if sites:
            expr = pulp.lpSum(prog.x[s.key] - s.today for s in sites)
            prog.constrain(group, "total", expr, "<=", d.limits[limit_key])


def add_minimums(prog: Program) -> None:
    """The county's switchable minimums (levels in ``data.minimum_levels``)."""
    d = prog.data
    lv = d.minimum_levels
    if "doctors_per_1000" in lv:
        need = math.ceil(lv["doctors_per_1000"] * d.population / 1000 - 1e-9)
        prog.constrain("minimum_doctors_per_1000", "county", _total(prog, "doctors"), ">=", need)
    if "aeds_per_10k" in lv:
        need = math.ceil(lv["aeds_per_10k"] * d.population / 10_000 - 1e-9)
        prog.constrain("minimum_aeds_per_10k", "county", _total(prog, "aeds"), ">=", need)
    if "carers_per_10k_elderly" in lv:
        need = math.ceil(lv["carers_per_10k_elderly"] * d.elderly / 10_000 - 1e-9)
        prog.constrain("minimum_carers_per_10k_elderly", "county", _total(prog, "carers"), ">=", need)
    if "circuit_visits_per_month" in lv and lv["circuit_visits_per_month"] > 0:
        need = lv["circuit_visits_per_month"]
        for isl in (i for i, c in d.circuit.items() if c.no_doctor):  # a doctor moving there meets the rule
            expr = prog.level("circuit_visits", isl) + need * _doctors_on(prog, isl)
            prog.constrain("minimum_circuit_visits_per_month", isl, expr, ">=", need)


def add_equity(prog: Program) -> None:
    """Every inhabited island gets at least ``equity_share`` of the county's average access per
    resident: clinician-days per year (resident doctors every day, circuit teams on visit days) and
    AEDs."""
    share = prog.settings.equity_share
    d = prog.data
    if share <= 0:
        return
    people = {i: p for i, p in d.island_population.items() if p > 0}
    total = sum(people.values())
    access = {i: _clinician_days(prog, i) for i in people}
    county = pulp.lpSum(access.values())
    for i, pop in people.items():
        prog.constrain("equity_doctors", i, access[i] - share * pop / total * county, ">=", 0.0)
    aeds = {i: prog.level("aeds", i) for i in people if prog.level("aeds", i) is not None}
    county_aeds = pulp.lpSum(aeds.values())
    for i, a in aeds.items():
        prog.constrain("equity_aeds", i, a - share * people[i] / total * county_aeds, ">=", 0.0)


def add_doctor_balance(prog: Program) -> None:
    """Where doctors go when it makes no difference to the benefit (doctors are far from busy in most
    places, and the county minimum is a county total): the change at each facility should follow its
    share of the county's residents (island population, split by today's doctors on the island).
    ``balance`` = the sum of absolute deviations, in doctors; the objective subtracts it with a weight
    so small that it only ever decides between plans of equal benefit and cost."""
    d = prog.data
    sites = d.sites_of("doctors")
    if not sites or d.population <= 0:
        return
    on_island: dict[str, list] = {}
    for s in sites:
        on_island.setdefault(s.island, []).append(s)
    share = {}
    for island, here in on_island.items():
        today = sum(s.today for s in here)
        for s in here:
            split = s.today / today if today else 1.0 / len(here)
            share[s.key] = d.island_population.get(island, 0.0) / d.population * split
    added = {s.key: prog.x[s.key] - s.today for s in sites}
    total = pulp.lpSum(added.values())
    devs = []
    for s in sites:
        dev = prog.variable(f"balance__{s.key}", 0.0)
        prog.problem.addConstraint(dev - added[s.key] + share[s.key] * total >= 0, f"balance_hi__{s.key}")
        prog.problem.addConstraint(dev + added[s.key] - share[s.key] * total >= 0, f"balance_lo__{s.key}")
        devs.append(dev)
    prog.balance = pulp.lpSum(devs)


def add_outcomes(prog: Program) -> None:
    """Each outcome as an expression in its natural unit per year: the constant, and every piece at
    today's value plus the calibration's ``scale`` x its change (``+ offset`` and the correction's
    linear terms in resource changes), as
    ``optimize.plan.outcome_values`` computes it for given levels."""
    d = prog.data
    parts: dict[str, list] = {o: [] for o in OUTCOMES}
    for t in prog.terms:
        c = d.correction(t.outcome)
        parts[t.outcome].append((1 - c.scale) * t.today + c.scale * t.var)
    for o in OUTCOMES:
        c = d.correction(o)
        linear = [v * pulp.lpSum(prog.x[s.key] - s.today for s in d.sites_of(r)) for r, v in c.slopes]
        prog.outcomes[o] = pulp.lpSum(parts[o] + linear) + d.constants.get(o, 0.0) + c.offset


def add_floors(prog: Program) -> None:
    """Every outcome with a floor (``optimizer.floors``): at least that level per year."""
    for o, level in prog.settings.floors.items():
        prog.constrain(f"floor_{o}", "county", prog.outcomes[o], ">=", level)


def set_objective(prog: Program) -> None:
    """``max_outcome``: the outcome; ``weighted``: the outcomes valued in yuan per unit (in million
    yuan); both minus tiny tie-breaks (cost, doctor balance). ``min_cost``: least cost in yuan.
    ``prog.benefit`` and ``prog.tiebreak`` keep the parts for the polishing pass."""
    s = prog.settings
    w = s.objective_weights()
    scale = 1e-6 if s.objective == "weighted" else 1.0
    prog.benefit = pulp.lpSum(scale * v * prog.outcomes[o] for o, v in w.items())
    tie_cost = s.options["cost_tiebreak"] / 1e6 * (prog.operating + prog.capital)
    tie_balance = s.options["balance_tiebreak"] * prog.balance
    prog.tiebreak = tie_cost + tie_balance
    if s.objective == "min_cost":
        # yuan; a balance deviation of one doctor weighs as much as one yuan
        prog.problem.setObjective(prog.operating + prog.capital + s.options["balance_tiebreak"] * prog.balance)
        return
    prog.problem.setObjective(prog.benefit - prog.tiebreak)


# --- helpers -----------------------------------------------------------------------------------------
def _total(prog: Program, resource: str):
    return pulp.lpSum(prog.x[s.key] for s in prog.data.sites_of(resource))


def _doctors_on(prog: Program, island: str):
    return pulp.lpSum(prog.x[s.key] for s in prog.data.sites_of("doctors") if s.island == island)


def _clinician_days(prog: Program, island: str):
    days = DAYS_PER_YEAR * _doctors_on(prog, island)
    c = prog.data.circuit.get(island)
    if c is not None:
        days = days + 12 * c.days_per_visit * c.team_size * prog.level("circuit_visits", island)
    return days
