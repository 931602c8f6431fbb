"""Named random streams for one replication (common random numbers across policies).

Every random activity draws from its own stream, named like ``"arrivals/huaniao/stroke"``. A stream
depends only on the experiment seed, the replication number and its name -- never on the scenario's
policy, the number of worker processes or the order in which streams are created -- so two policies
run with the same seed see the same patients, the same weather and the same lengths of stay.
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """Factory of independent ``numpy.random.Generator`` objects for one replication."""

    def __init__(self, seed: int, replication: int):
        self.seed = int(seed)
        self.replication = int(replication)
        # The same SeedSequence as SeedSequence(seed).spawn(n)[replication], without spawning n.
        self.sequence = np.random.SeedSequence(self.seed, spawn_key=(self.replication,))
        self._cache: dict[str, np.random.Generator] = {}

    def fresh(self, name: str) -> np.random.Generator:
        """An uncached stream (for one-off draws keyed by something policy-independent)."""
        key = zlib.crc32(name.encode("utf-8"))
        seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, key))
        return np.random.Generator(np.random.PCG64(seq))

    def __call__(self, name: str) -> np.random.Generator:
        gen = self._cache.get(name)
        if gen is None:
            key = zlib.crc32(name.encode("utf-8"))
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, key))
            gen = self._cache[name] = np.random.Generator(np.random.PCG64(seq))
        return gen
