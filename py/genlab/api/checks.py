"""Checks of the arguments a page sends, shared by every section.

Each check returns the value in the type the maths wants, or raises ValueError with a
sentence the page can show as it is (the name, the range, and what it got).
"""
from __future__ import annotations

import inspect
import math
import time

import numpy as np

MAX_SEED = 2**32 - 1
MAX_T = 10.0  # the slider stops at 2; the API accepts a little more for experiments
MAX_BUDGET_MS = 1000  # the most training time one call may be given

# Random streams: every sampling function builds its generator from [seed, STREAM, counter],
# so "Sample", "Sample 100" and "Generate" draw from separate, reproducible streams.
STREAM_SAMPLE, STREAM_BATCH, STREAM_GENERATE = 1, 2, 3  # the language model
STREAM_DIFFUSION = 4  # noise of the diffusion sections (x_T and the DDPM steps)
STREAM_CLASSIFY = 5  # starter points, then the mixtures' fits and new points


def is_number(value) -> bool:
    """True for int and float, False for bool (True is not 1 here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def integer(name: str, value, lo: int, hi: int) -> int:
    if not is_number(value) or not float(value).is_integer() or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {value!r}")
    return int(value)


def real(name: str, value, lo: float, hi: float) -> float:
    v = float(value) if is_number(value) else math.nan
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ValueError(f"{name} must be a number from {lo:g} to {hi:g}, not {value!r}")
    return v


def temperature(value) -> float:
    t = float(value) if is_number(value) else math.nan
    if not math.isfinite(t) or not 0 <= t <= MAX_T:
        raise ValueError(f"temperature must be a number from 0 to {MAX_T:g}, not {value!r}")
    return t


def boolean(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value


def choice(name: str, value, choices):
    if not any(value == c and type(value) is type(c) for c in choices):  # 3.0 and True are not 3
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}, not {value!r}")
    return value


def seed(value) -> int:
    return integer("seed", value, 0, MAX_SEED)


def rng(seed_value, stream: int, counter=0) -> np.random.Generator:
    """The generator of one stream of the learner's seed; counter numbers the clicks."""
    counter = integer("counter", counter, 0, MAX_SEED)
    return np.random.default_rng([seed(seed_value), stream, counter])


def deadline(budget_ms) -> float:
    """The perf_counter time a training call stops at (infinity without a budget)."""
    if budget_ms is None:
        return math.inf
    if not is_number(budget_ms) or not 1 <= budget_ms <= MAX_BUDGET_MS:
        raise ValueError(f"budget_ms must be a number from 1 to {MAX_BUDGET_MS}, not {budget_ms!r}")
    return time.perf_counter() + budget_ms / 1000


def defaults_of(fn, *leave_out: str) -> dict:
    """fn's default arguments by name, in order: a section's page defaults are stated once,
    as the defaults of the function that draws with them."""
    return {name: p.default for name, p in inspect.signature(fn).parameters.items()
            if p.default is not p.empty and name not in leave_out}
