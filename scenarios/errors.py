"""One error type for bad input: it carries every problem found, not just the first."""

from __future__ import annotations

import warnings
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input.

    ``place`` is ``file:line`` for a table (line 1 is the header) or the config key; ``column`` is
    the table column ('' for a config key or a whole row); ``expected`` says what would be valid.
    """

    place: str
    column: str
    value: str
    expected: str


class InputError(Exception):
    """Raised once, after every table and key was checked, when anything is wrong."""

    def __init__(self, problems: list[Problem], what: str = "input", partial: object = None):
        self.problems = list(problems)
        self.what = what
        self.partial = partial  # what could be built despite the problems (a draft Scenario), for later checks
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the {self.what}:"
        rows = [("where", "column", "value", "expected")] + [
            (p.place, p.column, _clip(p.value), p.expected) for p in self.problems
        ]
        widths = [min(max(len(r[i]) for r in rows), 48) for i in range(3)]
        lines = [head]
        for r in rows:
            lines.append("  " + "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
        return "\n".join(lines)


def _clip(s: str, n: int = 40) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


class InputWarning(UserWarning):
    """Something in the input that is accepted but worth a look (e.g. a ``note`` column, ignored)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        where = f"{problem.place} column '{problem.column}'" if problem.column else problem.place
        super().__init__(f"{where}: {problem.expected}")


class ProblemLog:
    """Collects problems while checking; ``raise_if_any`` raises one :class:`InputError`."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, place: str, column: str, value: object, expected: str) -> None:
        self.problems.append(Problem(place, column, "" if value is None else str(value), expected))

    def warn(self, place: str, column: str, value: object, note: str) -> None:
        """Not a problem: a Python warning (:class:`InputWarning`) the command line prints as a note."""
        warnings.warn(InputWarning(Problem(place, column, "" if value is None else str(value), note)), stacklevel=2)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, what: str = "input", partial: object = None) -> None:
        if self.problems:
            raise InputError(self.problems, what, partial)
