"""Runs a page trains over many calls (GAN, live diffusion), and the time budget of one call.

A RunRegistry holds one kind of run by id for one Session (one page). Each run belongs to the
section that started it (its owner); adding a run drops that owner's runs beyond the cap, oldest
first, never another owner's: memory stays bounded and sections cannot evict each other. An id
the registry does not hold (never made, dropped, or freed with its page) is a RunExpiredError,
which the page recognises by its name and answers by starting a new run.

Time: the worker answers one call at a time, so a long call stalls every other section and
page. Training calls take budget_ms and stop once it is spent, after at least one update
(train_within): the only clock in the package.
"""
from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable

from . import checks


class RunExpiredError(ValueError):
    """A run id this page's session does not hold: never made, dropped for newer runs, or freed
    while the page was away (a frozen tab). The page starts a new run."""


class RunRegistry:
    """Runs of one kind by id (1, 2, ...), at most `cap` per owner."""

    def __init__(self, kind: str, cap: int, owners: tuple[str, ...]):
        self.kind = kind  # named in the expired error: "GAN", "diffusion"
        self.cap = cap  # runs kept per owner
        self.owners = owners  # the sections that may start runs, the first is the default
        self._runs: dict[int, tuple[str, object]] = {}  # id -> (owner, run), oldest first
        self._ids = itertools.count(1)

    def owner(self, value) -> str:
        """value if it names an owner of this registry, else ValueError."""
        return checks.choice("owner", value, self.owners)

    def add(self, run, owner: str) -> int:
        """Keep run for owner; drop that owner's oldest runs beyond the cap; return its id."""
        run_id = next(self._ids)
        self._runs[run_id] = (self.owner(owner), run)
        for old in self.ids(owner)[:-self.cap]:
            del self._runs[old]
        return run_id

    def get(self, run_id):
        """The run with this id, or RunExpiredError."""
        run_id = checks.integer("run", run_id, 0, checks.MAX_SEED)
        if run_id not in self._runs:
            raise RunExpiredError(f"{self.kind} run {run_id} is unknown or expired; start a new run")
        return self._runs[run_id][1]

    def ids(self, owner: str) -> list[int]:
        """The ids owner holds, oldest first."""
        return [i for i, (o, _) in self._runs.items() if o == owner]

    def __len__(self) -> int:
        return len(self._runs)

    def clear(self) -> None:
        self._runs.clear()


# advance(n) makes progress on at most n steps; returns (results of the steps it completed,
# "" or why training stopped: the step that diverged was undone).
Advance = Callable[[int], tuple[list, str]]


def train_within(advance: Advance, steps: int, deadline: float) -> tuple[list, str, int]:
    """Call advance until `steps` results are in, a step diverges, or the clock passes deadline
    (checks.deadline; checked after each call, so at least one is made). Without a deadline one
    call asks for every step; with one, a step at a time. Returns (results, reason, calls)."""
    results, reason, calls = [], "", 0
    while len(results) < steps and not reason:
        done, reason = advance(steps - len(results) if deadline == math.inf else 1)
        results += done
        calls += 1
        if time.perf_counter() >= deadline:
            break
    return results, reason, calls
