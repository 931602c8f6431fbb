"""Closed-form formulas shared by the simulation (its validation tests) and the optimiser (its
benefit curves): queueing (Erlang B and C, priority queues) and AED retrieval and arrest survival.

Pure functions of numbers; no scenario loading, no simulation."""
