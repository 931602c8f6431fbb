"""Experiments: replications (in parallel, common random numbers), summaries with confidence
intervals, scenario comparisons, sweeps and resumable, atomically written results."""
