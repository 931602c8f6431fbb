"""Elderly care (the "1+4" layout, "大岛建, 小岛迁"): need, placement, waiting, relocation.

Residents aged 60+ come to need a care-home place as a Poisson process per island (rate: population
by elderly band × ``care_need.csv``), and stay an exponential time with mean ``care.mean_stay_days``
(death or discharge). A home's usable beds are its beds, capped by its certified carers ×
``care.residents_per_carer``. The policy's placement rule gives each person an ordered list of homes:

- ``own_island``: the home(s) on their own island only;
- ``nearest_hub``: their own island's home, else the hubs by distance;
- ``centralised``: residents of islands without a hub go to the central home (the largest hub);
  hub islands keep their own home.

With ``care_conversion_cap > 0``, when the listed homes are full a free hospital bed on a listed
island may be converted into a care bed (up to the cap, county-wide). Whoever finds no place waits
(FIFO, served by the first suitable bed to free) or, with ``care_waitlist: false``, is not placed.
A waiting person leaves the list after an exponential time (``care.waitlist_abandon_days``); a share
``care.hospital_wait_share`` of them wait in a hospital bed, counted as blocked bed-days.

Homes start filled to their expected occupancy (Poisson around each home's offered load, capped at its
usable beds) so that a one-year run is not dominated by an empty start; stays are memoryless, so the
initial residents' remaining stays have the same distribution.
"""

from __future__ import annotations

import math

from scenarios.routing import care_home_candidates, care_need_per_year
from scenarios.summary import usable_care_beds
from scenarios.units import ALL, DAY, YEAR
from sim.context import Row, SimContext


class _Home:
    __slots__ = ("id", "island", "usable", "occupied", "level")

    def __init__(self, hid, island, usable, level):
        self.id, self.island, self.usable, self.occupied, self.level = hid, island, usable, 0, level


class _Person:
    __slots__ = ("island", "t0", "stay", "candidates", "counted", "placed", "in_hospital")

    def __init__(self, island, t0, stay, candidates, counted, in_hospital):
        self.island, self.t0, self.stay, self.candidates = island, t0, stay, candidates
        self.counted, self.placed, self.in_hospital = counted, False, in_hospital


class ElderCareModule:
    """Care homes, the people who come to need a place, the waiting list; takes no patients."""

    def __init__(self, ctx: SimContext):
        self.ctx = ctx
        s, p = ctx.scenario, ctx.policy
        self.s, self.p = s, p
        prm = s.parameters.care
        self.mean_stay = prm.mean_stay_days * DAY
        self.hosp_share = prm.hospital_wait_share
        self.abandon = prm.waitlist_abandon_days * DAY
        self.homes: dict[str, _Home] = {}
        for h in s.care_homes:
            usable = usable_care_beds(s, p, h.id)
            level = ctx.stats.level("care_occupancy", h.island, usable)
            self.homes[h.id] = _Home(h.id, h.island, usable, level)
        self.candidates = {isl.id: care_home_candidates(s, p, isl.id) for isl in s.islands}
        self.rates = {k: need / YEAR for k, need in care_need_per_year(s).items()}
        self.rngs = {isl.id: ctx.streams(f"care/{isl.id}") for isl in s.islands}
        self.waiting: list[_Person] = []
        self.wait_levels = {isl.id: ctx.stats.level("care_waitlist", isl.id) for isl in s.islands}
        self.converted = 0
        n = {k: 0 for k in s.island_ids}
        self.demand, self.placed, self.own, self.relocated = dict(n), dict(n), dict(n), dict(n)
        self.km, self.wait_sum, self.not_placed, self.abandoned = {k: 0.0 for k in n}, {k: 0.0 for k in n}, \
            dict(n), dict(n)
        self.blocked_days = {k: 0.0 for k in n}
        self.conversions = dict(n)

    # --- the Module protocol ----------------------------------------------------------------------------
    def takes(self, island: int, condition: int) -> bool:
        return False  # people needing care arrive by their own process, not as patients

    def handle(self, patient) -> None:
        raise AssertionError("the elderly-care module takes no patients")

    # --- processes --------------------------------------------------------------------------------------
    def start(self) -> None:
        self._fill_initial()
        for isl in self.s.islands:
            if self.rates[isl.id] > 0:
                self.ctx.env.process(self._arrivals(isl.id))

    def _fill_initial(self) -> None:
        load = dict.fromkeys(self.homes, 0.0)
        for isl, cands in self.candidates.items():
            if cands:
                load[cands[0]] += self.rates[isl] * self.mean_stay
        for hid, home in self.homes.items():
            rng = self.ctx.streams(f"care/initial/{hid}")  # one stream per home: homes do not share draws
            n = min(home.usable, int(rng.poisson(load[hid])))
            for stay in rng.exponential(self.mean_stay, n):
                self._occupy(home, float(stay))

    def _arrivals(self, island: str):
        env, rng, rate = self.ctx.env, self.rngs[island], self.rates[island]
        while True:
            gap, stay, u_hosp, abandon = rng.exponential(1.0 / rate), rng.exponential(self.mean_stay), \
                rng.random(), rng.exponential(self.abandon)
            yield env.timeout(gap)
            self.arrive(island, float(stay), u_hosp < self.hosp_share, float(abandon))

    def arrive(self, island: str, stay: float, in_hospital: bool, abandon: float) -> None:
        """Someone on ``island`` comes to need a place now, for ``stay`` minutes; waits in hospital
        if ``in_hospital``; leaves the waiting list after ``abandon`` minutes (called by the arrival
        process of each island)."""
        now = self.ctx.env.now
        counted = now >= self.ctx.experiment.warmup_min
        if counted:
            self.demand[island] += 1
        person = _Person(island, now, stay, self.candidates[island], counted, in_hospital)
        if self._try_place(person):
            return
        if not self.p.care_waitlist or not person.candidates:
            if counted:
                self.not_placed[island] += 1
            return
        self.waiting.append(person)
        self._wait_level(island)
        self.ctx.env.timeout(abandon).callbacks.append(lambda _e, p=person: self._abandon(p))

    def _try_place(self, person: _Person) -> bool:
        for hid in person.candidates:
            home = self.homes[hid]
            if home.occupied < home.usable:
                self._place(person, home)
                return True
        if self.converted < self.p.care_conversion_cap:
            islands = {self.homes[h].island for h in person.candidates} | {person.island}
            for fid, ward in self.ctx.wards.items():
                fac = self.s.facility(fid)
                if fac.island in islands and ward.occupied < ward.beds and not ward.boarding:
                    self.converted += 1
                    ward.admit(person.stay)
                    self.ctx.env.timeout(person.stay).callbacks.append(self._unconvert)
                    self._record_placement(person, fac.island, converted=True)
                    return True
        return False

    def _unconvert(self, _e) -> None:
        self.converted -= 1
        self._serve_waiting()

    def _place(self, person: _Person, home: _Home) -> None:
        self._occupy(home, person.stay)
        self._record_placement(person, home.island)

    def _record_placement(self, person: _Person, where: str, converted: bool = False) -> None:
        person.placed = True
        if not person.counted:
            return
        isl, now = person.island, self.ctx.env.now
        wait = now - person.t0
        self.placed[isl] += 1
        self.wait_sum[isl] += wait
        if person.in_hospital:
            self.blocked_days[isl] += wait / DAY
        if converted:
            self.conversions[isl] += 1
        if where == isl:
            self.own[isl] += 1
        else:
            self.relocated[isl] += 1
            self.km[isl] += self.s.distance_km(isl, where)

    def _occupy(self, home: _Home, stay: float) -> None:
        home.occupied += 1
        home.level.set(self.ctx.env.now, home.occupied)

        def leave(_e, home=home) -> None:
            home.occupied -= 1
            home.level.set(self.ctx.env.now, home.occupied)
            self._serve_waiting()

        self.ctx.env.timeout(stay).callbacks.append(leave)

    def _serve_waiting(self) -> None:
        still = [person for person in self.waiting if not self._try_place(person)]
        if len(still) != len(self.waiting):
            changed = {p.island for p in self.waiting if p.placed}
            self.waiting = still
            for isl in changed:
                self._wait_level(isl)

    def _abandon(self, person: _Person) -> None:
        if person.placed or person not in self.waiting:
            return
        self.waiting.remove(person)
        self._wait_level(person.island)
        if person.counted:
            self.abandoned[person.island] += 1
            if person.in_hospital:
                self.blocked_days[person.island] += (self.ctx.env.now - person.t0) / DAY

    def _wait_level(self, island: str) -> None:
        n = sum(1 for p in self.waiting if p.island == island)
        self.wait_levels[island].set(self.ctx.env.now, n)

    # --- results ----------------------------------------------------------------------------------------
    def settle(self, t_end: float) -> None:
        """People still waiting at the end add their blocked bed-days so far."""
        for p in self.waiting:
            if p.counted and p.in_hospital:
                self.blocked_days[p.island] += (t_end - p.t0) / DAY

    def kpi_rows(self, t_end: float) -> list[Row]:
        self.settle(t_end)
        s, p = self.s, self.p
        rows = []
        groups = [(isl.id, [isl.id]) for isl in s.islands] + [(ALL, list(s.island_ids))]
        for name, ids in groups:
            def tot(d, ids=ids):
                return sum(d[k] for k in ids)
            placed, relocated = tot(self.placed), tot(self.relocated)
            rows += [
                (name, ALL, "care_demand", float(tot(self.demand))),
                (name, ALL, "care_placed", float(placed)),
                (name, ALL, "care_not_placed", float(tot(self.not_placed))),
                (name, ALL, "care_abandoned", float(tot(self.abandoned))),
                (name, ALL, "care_wait_days_mean", tot(self.wait_sum) / placed / DAY if placed else math.nan),
                (name, ALL, "care_placed_own_island_share", tot(self.own) / placed if placed else math.nan),
                (name, ALL, "care_relocated_share", relocated / placed if placed else math.nan),
                (name, ALL, "care_relocation_km_mean", tot(self.km) / relocated if relocated else math.nan),
                (name, ALL, "care_converted_placements", float(tot(self.conversions))),
                (name, ALL, "hospital_beddays_blocked_by_care", tot(self.blocked_days)),
            ]
            homes = [h for h in s.care_homes if h.island in ids]
            elderly = sum(s.island(k).elderly for k in ids)
            carers = sum(p.carers[h.id] for h in homes) if name != ALL else sum(p.carers.values())
            rows.append((name, ALL, "carers_per_10k_elderly", carers / elderly * 10_000 if elderly else math.nan))
            rows.append((name, ALL, "care_usable_beds", float(sum(self.homes[h.id].usable for h in homes))))
        return rows

