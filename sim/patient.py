"""One patient: who they are (drawn once, with the arrival) and where their statistics go.

A :class:`Patient` is created for every arrival (``sim.model``) and for every backlog case that turns
urgent (``sim.circuit``), and every handler of every module takes one. Its random draws come with the
arrival from the demand stream, so a policy changes what happens to a patient, never who the patient
is (common random numbers). Patients who arrive during the warm-up carry :data:`NOT_COUNTED` as
their statistics, so that no handler needs to ask whether to record.
"""

from __future__ import annotations

from sim.stats import NOT_COUNTED, PatientStats

__all__ = ["NOT_COUNTED", "BacklogEntry", "Patient"]


class Patient:
    """An entity moving through the model.

    Attributes
    ----------
    id : int
        Running number within the replication (event log).
    island, condition : int
        Indices into ``scenario.islands`` and ``scenario.conditions`` (home island and class).
    service_min, stay_min : float
        Consultation or treatment minutes, and length of stay if admitted.
    u_admit, u_tertiary, u_escalate, u_seed : float
        The patient's own uniforms: needs admission if ``u_admit < admit_share``; needs care outside
        the county if ``u_tertiary < out_of_county_share``; a circuit-backlog case turns urgent if
        ``u_escalate < circuit.escalation_share``; ``u_seed`` keys the stream of that urgent case.
    counted : bool
        Arrived after the warm-up (its statistics count).
    stats : PatientStats
        Where its statistics go: its (island, condition) accumulators, or :data:`NOT_COUNTED` (a
        warm-up arrival).
    onset : float
        Model minute of the arrival (the month and sea state its metrics are split by).
    """

    __slots__ = ("id", "island", "condition", "service_min", "stay_min", "u_admit", "u_tertiary",
                 "u_escalate", "u_seed", "counted", "stats", "onset")

    def __init__(self, pid: int, island: int, condition: int,
                 draws: tuple[float, float, float, float, float, float], stats: PatientStats, onset: float):
        """``draws``: service and stay minutes, then the uniforms u_admit, u_tertiary, u_escalate, u_seed."""
        self.onset = onset
        self.id = pid
        self.island = island
        self.condition = condition
        self.service_min, self.stay_min, self.u_admit, self.u_tertiary, self.u_escalate, self.u_seed = draws
        self.counted = stats is not NOT_COUNTED
        self.stats = stats

    def __repr__(self) -> str:
        return f"Patient({self.id}, island={self.island}, condition={self.condition}, counted={self.counted})"


class BacklogEntry:
    """A routine patient waiting for a circuit visit (``sim.circuit``)."""

    __slots__ = ("patient", "t0", "gone")

    def __init__(self, patient: Patient, t0: float):
        self.patient = patient
        self.t0 = t0  # joined the backlog
        self.gone = False  # served, escalated or gave up
