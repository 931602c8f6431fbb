"""Circuit medical teams (巡回医疗): "本岛连大岛, 大岛带小岛".

Routine demand (primary care, chronic follow-up) on an island that has circuit visits but no staffed
facility treating it joins the island's **backlog**. Each team works through its planned visits in
date order: an island with ``v`` visits a month gets them spread evenly inside each calendar month,
leaving at ``circuit.depart_hour``. To go, the team's boat must be able to sail (mode
``circuit.team_mode``, e.g. ``small_ferry``) between its base and the island; if it cannot, the
visit is postponed by the policy's ``postpone_rule``: ``next_day`` (try again the next day),
``next_slot`` (try again after the team's other pending visits) or ``skip`` (the visit is lost). On
each visit day the team serves up to ``patients_per_day`` backlog patients, oldest first. A team
does one visit at a time.

A backlog patient drawn to escalate (share ``circuit.escalation_share``) who is still waiting after
``circuit.escalation_days`` leaves the backlog and becomes an urgent case of
``circuit.escalation_condition`` that enters the core pathways (counted as ``escalations``). Any
other patient still waiting after ``circuit.abandon_days`` leaves without care
(``backlog_abandoned``; the model does not follow them).
"""

from __future__ import annotations

import math
from collections import deque

from scenarios.units import ALL, CHRONIC_FOLLOWUP, DAY, KNOT_KMH
from sim.context import Row, SimContext
from sim.demand import N_UNIFORMS, draw_positive
from sim.pathways import Pathways
from sim.patient import BacklogEntry, Patient
from sim.stats import Outcome


class _Island:
    __slots__ = ("idx", "id", "visits_per_month", "days", "team", "backlog", "level", "last_visit", "max_gap",
                 "planned", "made", "served", "within_window", "followups", "escalations", "abandoned",
                 "months_with_visit")

    def __init__(self, idx, isl_id, v, team, level):
        self.idx, self.id, self.visits_per_month, self.days, self.team = idx, isl_id, v.visits_per_month, \
            v.days_per_visit, team
        self.backlog: deque[BacklogEntry] = deque()
        self.level = level
        self.last_visit = None
        self.max_gap = 0.0
        self.planned = self.made = self.served = self.within_window = self.followups = self.escalations = 0
        self.abandoned = 0
        self.months_with_visit: set[int] = set()


def _whole_months(cal, start: float, end: float) -> range:
    """Calendar months lying wholly in [start, end] (the months a compliance rate can judge);
    the partly covered months when the run is shorter than one whole month."""
    first = cal.month_number(start)
    if cal.month_start(first) < start - 1e-9:
        first += 1
    last = cal.month_number(max(end - 1e-9, start))
    if cal.month_start(last + 1) > end + 1e-9:
        last -= 1
    if last < first:
        return range(cal.month_number(start), cal.month_number(max(end - 1e-9, start)) + 1)
    return range(first, last + 1)


class CircuitModule:
    """Circuit teams, their schedules and the routine backlog of the islands they visit."""

    def __init__(self, ctx: SimContext, pathways: Pathways):
        self.ctx, self.pathways = ctx, pathways
        s, p = ctx.scenario, ctx.policy
        self.s, self.p = s, p
        prm = s.parameters.circuit
        self.depart = prm.depart_hour * 60.0
        self.esc_days = prm.escalation_days * DAY
        self.esc_share = prm.escalation_share
        self.abandon_days = prm.abandon_days * DAY
        self.window = prm.followup_window_days * DAY
        self.teams = {t.id: t for t in s.circuit_teams}
        self.islands: dict[int, _Island] = {}
        for v in p.circuit:
            i = s.island_ids.index(v.island)
            if v.visits_per_month <= 0:
                continue
            level = ctx.stats.level("backlog", v.island)
            self.islands[i] = _Island(i, v.island, v, self.teams[v.team], level)
        self.followup_c = s.condition_ids.index(CHRONIC_FOLLOWUP) if CHRONIC_FOLLOWUP in s.condition_ids else None
        esc = prm.escalation_condition  # checked against conditions.csv when loaded
        self.esc_c = s.condition_ids.index(esc) if esc in s.condition_ids else None  # synthetic cases: none
        self.team_mode = prm.team_mode
        self.team_offered = dict.fromkeys(self.teams, 0.0)
        self.team_served = dict.fromkeys(self.teams, 0.0)
        self.speeds = {b.base: b.speed_knots * KNOT_KMH for b in s.boat_bases}
        self.default_speed = (sum(self.speeds.values()) / len(self.speeds)) if self.speeds else 30.0

    # --- routing ----------------------------------------------------------------------------------------
    def takes(self, island: int, condition: int) -> bool:
        """Routine demand of island ``i`` goes to the backlog when visited and not treated locally."""
        return (island in self.islands and not self.s.conditions[condition].urgent
                and not self.pathways.treats_locally(island, condition))

    def handle(self, pt: Patient) -> None:
        isl, env = self.islands[pt.island], self.ctx.env
        escalates = pt.u_escalate < self.esc_share  # the patient's own draw: the same under every policy
        entry = BacklogEntry(pt, env.now)
        isl.backlog.append(entry)
        isl.level.set(env.now, len(isl.backlog))
        if escalates and self.esc_c is not None:
            env.timeout(self.esc_days).callbacks.append(lambda _e: self._escalate(isl, entry))
        else:
            env.timeout(self.abandon_days).callbacks.append(lambda _e: self._abandon(isl, entry))

    def _abandon(self, isl: _Island, entry: BacklogEntry) -> None:
        """Still waiting after ``circuit.abandon_days``: the need goes unmet in the model (the person
        travels on their own, or goes without)."""
        if self._leave(isl, entry) and entry.patient.counted:
            isl.abandoned += 1

    def _leave(self, isl: _Island, entry: BacklogEntry) -> bool:
        """Take a still-waiting entry out of the backlog, without care; False if it had already gone."""
        if entry.gone:
            return False
        entry.gone = True
        isl.backlog.remove(entry)
        isl.level.set(self.ctx.env.now, len(isl.backlog))
        pt = entry.patient
        if pt.counted and pt.condition == self.followup_c:
            isl.followups += 1  # decided: not seen within the window
        pt.stats.complete(Outcome.NO_CARE)
        return True

    def _escalate(self, isl: _Island, entry: BacklogEntry) -> None:
        if not self._leave(isl, entry):
            return
        if entry.patient.counted:
            isl.escalations += 1
        # The escalated case is a new urgent patient. Its draws come from a stream keyed by the
        # original patient's own uniform, so they do not depend on which other patients escalated.
        rng = self.ctx.streams.fresh(f"circuit/escalation/{isl.id}/{entry.patient.u_seed!r}")
        cond = self.s.conditions[self.esc_c]
        service = float(draw_positive(rng, cond.service_min, cond.service_cv, 1)[0])
        stay = float(draw_positive(rng, cond.los_days * DAY, cond.los_cv, 1)[0])
        self.ctx.spawn(isl.idx, self.esc_c, service, stay, tuple(rng.random(N_UNIFORMS).tolist()))

    # --- schedule ---------------------------------------------------------------------------------------
    def start(self) -> None:
        """Plan every visit of the horizon: ``v`` a month, spread evenly inside each calendar month
        (fractional ``v`` accumulate: 0.5 is a visit every other month), so that ``v >= 1`` meets
        the plan's "at least one visit to each island every month"."""
        horizon = self.ctx.experiment.horizon_min
        cal = self.ctx.calendar
        by_team: dict[str, list[tuple[float, int]]] = {}
        for n, (i, isl) in enumerate(sorted(self.islands.items())):
            v = isl.visits_per_month
            month = 0
            while cal.month_start(month) < horizon:
                start = cal.month_start(month)
                length = (cal.month_start(month + 1) - start) / DAY
                count = math.floor((month + 1) * v + 1e-9) - math.floor(month * v + 1e-9)
                offset = (n * 3.0) % max(length / max(count, 1), 1.0)  # stagger islands of one team
                for j in range(count):
                    t = start + math.floor(offset + j * length / count) * DAY + self.depart
                    if t < horizon:
                        by_team.setdefault(isl.team.id, []).append((t, i))
                month += 1
        for team_id, plan in by_team.items():
            self.ctx.env.process(self._team(self.teams[team_id], sorted(plan)))

    def _team(self, team, plan: list[tuple[float, int]]):
        """Work through the planned visits in date order; postponed visits re-enter the queue."""
        ctx = self.ctx
        env, warmup = ctx.env, ctx.experiment.warmup_min
        queue = deque((t, i, False) for t, i in plan)  # (time, island, is a retry)
        while queue:
            t_plan, i, retry = queue.popleft()
            isl = self.islands[i]
            if env.now < t_plan:
                yield env.timeout(t_plan - env.now)
            if not retry and t_plan >= warmup:
                isl.planned += 1
                ctx.stats.add_monthly(ctx.calendar.month_number(t_plan), isl.id, "visits_planned", 1)
            areas = ctx.transport.areas(team.base, isl.id)
            if not ctx.weather.is_open(self.team_mode, areas):
                rule = self.p.postpone_rule
                if rule == "skip":
                    continue
                tomorrow = (math.floor(env.now / DAY) + 1) * DAY + self.depart
                if rule == "next_day":
                    queue.appendleft((tomorrow, i, True))
                else:  # next_slot: after the team's next pending visit
                    slot = max(tomorrow, queue[0][0] + DAY) if queue else tomorrow
                    queue = deque(sorted([*queue, (slot, i, True)]))
                continue
            speed = self.speeds.get(team.base, self.default_speed)
            sail = ctx.transport.boat_min(team.base, isl.id, speed) if team.base != isl.id else 0.0
            yield env.timeout(sail)
            self._visit_made(isl, counted=t_plan >= warmup)
            for day in range(isl.days):
                if day:
                    yield env.timeout(DAY)
                self._serve_day(isl, team)
            # back to base (the team waits on the island if the sea has closed)
            yield from ctx.weather.wait_open(self.team_mode, areas)
            yield env.timeout(sail)

    def _visit_made(self, isl: _Island, counted: bool) -> None:
        """A visit arrives; it counts as made if it was planned after the warm-up (so that made
        never exceeds planned); gaps are measured from the warm-up's end."""
        ctx, now = self.ctx, self.ctx.env.now
        warmup = ctx.experiment.warmup_min
        if now >= warmup:
            start = max(isl.last_visit if isl.last_visit is not None else 0.0, warmup)
            isl.max_gap = max(isl.max_gap, now - start)
            isl.months_with_visit.add(ctx.calendar.month_number(now))
        isl.last_visit = now
        if counted:
            isl.made += 1
            ctx.stats.add_monthly(ctx.calendar.month_number(now), isl.id, "visits_made", 1)

    def _serve_day(self, isl: _Island, team) -> None:
        now = self.ctx.env.now
        capacity = int(team.patients_per_day)
        served = 0
        while isl.backlog and served < capacity:
            entry = isl.backlog.popleft()
            entry.gone = True
            served += 1
            pt, wait = entry.patient, now - entry.t0
            pt.stats.record_consultation(wait, entry.t0)  # the visit's consultation is definitive care
            if pt.counted:
                isl.served += 1
                if pt.condition == self.followup_c:
                    isl.followups += 1
                    isl.within_window += wait <= self.window
            pt.stats.complete(Outcome.IN_COUNTY)
        isl.level.set(now, len(isl.backlog))
        if now >= self.ctx.experiment.warmup_min:
            self.team_offered[team.id] += capacity
            self.team_served[team.id] += served

    # --- results ----------------------------------------------------------------------------------------
    def kpi_rows(self, t_end: float) -> list[Row]:
        cal, warmup = self.ctx.calendar, self.ctx.experiment.warmup_min
        rows = []
        months = _whole_months(cal, warmup, t_end)
        need = [i for i, isl in self.islands.items()]
        tot = dict(planned=0, made=0, followups=0, within=0, esc=0, abandoned=0, comp_num=0, comp_den=0)
        max_gap_all = 0.0
        for i in need:
            isl = self.islands[i]
            start = isl.last_visit if isl.last_visit is not None and isl.last_visit >= warmup else warmup
            gap = max(isl.max_gap, t_end - start) / DAY
            max_gap_all = max(max_gap_all, gap)
            comp = sum(1 for mo in months if mo in isl.months_with_visit)
            # follow-ups decided by the end: seen (in or out of the window), gone, or waiting past it
            overdue = sum(1 for e in isl.backlog if e.patient.counted and e.patient.condition == self.followup_c
                          and t_end - e.t0 > self.window)
            decided = isl.followups + overdue
            rows += [
                (isl.id, ALL, "visits_planned", float(isl.planned)),
                (isl.id, ALL, "visits_made", float(isl.made)),
                (isl.id, ALL, "days_between_visits_max", gap),
                (isl.id, ALL, "followups_within_30d_share", isl.within_window / decided if decided else math.nan),
                (isl.id, ALL, "monthly_visit_compliance", comp / len(months) if months else math.nan),
                (isl.id, ALL, "escalations", float(isl.escalations)),
                (isl.id, ALL, "backlog_abandoned", float(isl.abandoned)),
            ]
            tot["planned"] += isl.planned
            tot["made"] += isl.made
            tot["followups"] += decided
            tot["within"] += isl.within_window
            tot["esc"] += isl.escalations
            tot["abandoned"] += isl.abandoned
            tot["comp_num"] += comp
            tot["comp_den"] += len(months)
        if need:
            rows += [
                (ALL, ALL, "visits_planned", float(tot["planned"])),
                (ALL, ALL, "visits_made", float(tot["made"])),
                (ALL, ALL, "days_between_visits_max", max_gap_all),
                (ALL, ALL, "followups_within_30d_share",
                 tot["within"] / tot["followups"] if tot["followups"] else math.nan),
                (ALL, ALL, "monthly_visit_compliance",
                 tot["comp_num"] / tot["comp_den"] if tot["comp_den"] else math.nan),
                (ALL, ALL, "escalations", float(tot["esc"])),
                (ALL, ALL, "backlog_abandoned", float(tot["abandoned"])),
            ]
        for team_id, team in self.teams.items():
            offered = self.team_offered[team_id]
            if offered:
                rows.append((team.base, ALL, "team_utilization", self.team_served[team_id] / offered))
        offered = sum(self.team_offered.values())
        if offered:
            rows.append((ALL, ALL, "team_utilization", sum(self.team_served.values()) / offered))
        return rows
