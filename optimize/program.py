"""The integer program as an object: one PuLP problem, its variables by site, its constraints by group.

Building blocks (``optimize.blocks``) add variables and constraints through :class:`Program`, so that
every constraint belongs to a named *group* (``operating_budget``, ``minimum_aeds_per_10k``, ...). A
group can be built *elastic*: each of its constraints gets a non-negative slack variable that lets it
be violated, which is how the infeasibility diagnosis measures by how much each group is in conflict.

Variables are created through the problem (``problem.add_variable``, the PuLP 4 way), never with
``pulp.LpVariable(...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from optimize.curves import Curve
from optimize.data import ProgramData
from optimize.settings import OUTCOMES, OptimizerSettings

# Constraint groups a planner can act on, with the unit their slack is measured in. The order is the
# order of the diagnosis report.
GROUPS: dict[str, str] = {
    "operating_budget": "yuan per year",
    "capital_budget": "yuan",
    "workforce_doctors": "doctors",
    "workforce_carers": "carers",
    "team_days": "team-days per month",
    "minimum_doctors_per_1000": "doctors",
    "minimum_aeds_per_10k": "AEDs",
    "minimum_carers_per_10k_elderly": "carers",
    "minimum_circuit_visits_per_month": "visits per month",
    "equity_doctors": "clinician-days per year",
    "equity_aeds": "AEDs",
    **{f"floor_{o}": unit.split(" (")[0] for o, unit in OUTCOMES.items()},
}
# Slack of a money group counts per 10,000 yuan in the all-elastic diagnosis, a count group per unit.
GROUP_SCALE = {"operating_budget": 1e4, "capital_budget": 1e4}


@dataclass
class Term:
    """One piece of an outcome: a benefit variable, bounded by a curve's hull at ``level`` (or, with no
    curve, by constraints of its own block); ``today`` is the piece's exact value at today's levels."""

    outcome: str
    label: str  # site or group label
    var: pulp.LpVariable
    curve: Curve | None
    level: object  # a PuLP expression of the resource level the curve is read at
    today: float = 0.0


@dataclass
class Program:
    data: ProgramData
    settings: OptimizerSettings
    elastic: frozenset[str] = frozenset()
    problem: pulp.LpProblem = field(init=False)
    x: dict[str, pulp.LpVariable] = field(default_factory=dict)  # site key -> level
    added: dict[str, object] = field(default_factory=dict)  # site key -> units bought (capital)
    terms: list[Term] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)  # group -> constraint names
    slacks: dict[str, list[pulp.LpVariable]] = field(default_factory=dict)
    rhs: dict[str, float] = field(default_factory=dict)  # constraint -> right-hand side as the planner states it
    offset: dict[str, float] = field(default_factory=dict)  # constraint -> constant moved out of its expression
    operating: object = 0  # expression: extra operating cost per year (yuan)
    capital: object = 0  # expression: capital spent (yuan)
    balance: object = 0  # expression: doctors placed away from their population share (tie-break)
    outcomes: dict[str, object] = field(default_factory=dict)  # outcome -> expression (natural unit per year)
    benefit: object = 0  # expression: what the objective maximises (an outcome, or yuan-weighted outcomes)
    tiebreak: object = 0  # expression: the tie-break terms subtracted from the benefit
    _n: int = 0

    def __post_init__(self) -> None:
        sense = pulp.LpMinimize if self.settings.objective == "min_cost" else pulp.LpMaximize
        self.problem = pulp.LpProblem("islandcare_plan", sense)

    # --- building ----------------------------------------------------------------------------------
    def variable(self, name: str, low: float | None = 0.0, high: float | None = None,
                 integer: bool = False) -> pulp.LpVariable:
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        return self.problem.add_variable(_clean(name), lowBound=low, upBound=high, cat=cat)

    def constrain(self, group: str, name: str, expr, sense: str, rhs: float) -> str:
        """Add ``expr (<=|>=) rhs`` to ``group``; with the group elastic, a slack may relax it."""
        if sense not in ("<=", ">="):
            raise ValueError(sense)
        cname = _clean(f"{group}__{name}")
        expr = pulp.lpSum([expr])
        const = float(expr.constant)  # e.g. -cost x today's levels: kept out, so the RHS stays the planner's
        expr = expr - const
        if group in self.elastic:
            s = self.variable(f"slack__{cname}", 0.0)
            self.slacks.setdefault(group, []).append(s)
            expr = expr - s if sense == "<=" else expr + s
        c = expr <= rhs - const if sense == "<=" else expr >= rhs - const
        self.problem.addConstraint(c, cname)
        self.groups.setdefault(group, []).append(cname)
        self.rhs[cname], self.offset[cname] = float(rhs), const
        return cname

    def solver_rhs(self, cname: str, rhs: float) -> float:
        """The right-hand side to give the solver for a planner's ``rhs`` of constraint ``cname``."""
        return rhs - self.offset[cname]

    def bound_by_curve(self, outcome: str, label: str, curve: Curve, level, today: float) -> pulp.LpVariable:
        """A benefit variable ``y <= hull(level)`` (one cut per hull segment)."""
        y = self.variable(f"y__{outcome}__{label}", low=min(curve.ys))
        for k, (slope, icpt) in enumerate(curve.segments()):
            self.problem.addConstraint(y - slope * level <= icpt, _clean(f"hull__{outcome}__{label}__{k}"))
        self.terms.append(Term(outcome, label, y, curve, level, today))
        return y

    # --- reading -----------------------------------------------------------------------------------
    def level(self, resource: str, site: str):
        key = f"{resource}__{site}"
        return self.x.get(key)


def _clean(name: str) -> str:
    """PuLP/LP-file safe names (ids are lower-case ASCII already; keep it so)."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)
