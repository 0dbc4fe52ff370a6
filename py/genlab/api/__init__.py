"""The browser-facing layer: plain arguments in, plain data out.

The worker calls ``Session.call(fn, args)`` and nothing else. ``fn`` names a function of
FUNCTIONS, one module per section (llm, gan, diffusion, classify, art); ``checks`` checks their
arguments, ``runs`` keeps the runs trained over many calls. Results are dicts, lists, numbers
and strings; numpy arrays in a result travel separately (see ``call``) so that the worker can
copy each one once into a typed array. Only this package knows it runs behind a browser; the
maths lives in the modules of genlab.

Pages: one worker may serve several pages (tabs, embeds). Each page gets its own Session:
its runs and its uploaded picture are its own, and closing the session frees them. What is
read-only is module-level and shared by every page: the shipped models, the tokenizer, the
caches of pure functions. See docs/python-api.md.
"""
from __future__ import annotations

import functools
import gc
import inspect

import numpy as np

from .. import diffusion as _diffusion_model
from .. import gan as _gan_model
from . import art, classify, diffusion, gan, llm
from .checks import MAX_SEED, MAX_T
from .runs import RunExpiredError, RunRegistry

SECTIONS = (llm, gan, diffusion, classify, art)
FUNCTIONS = {f.__name__: f for section in SECTIONS for f in section.FUNCTIONS}
# The functions whose first parameter is `session`: they read or change the calling page's state.
PER_PAGE = frozenset(name for name, f in FUNCTIONS.items()
                     if next(iter(inspect.signature(f).parameters), None) == "session")


class Session:
    """One page's state: its GAN and live diffusion runs and its uploaded picture.

    Isolating a page is making it a Session: pages never see each other's runs, and a run
    id of a closed (or never made) session is a RunExpiredError.
    """

    def __init__(self):
        self.gan_runs = RunRegistry("GAN", gan.GAN_MAX_RUNS, gan.GAN_OWNERS)
        self.diffusion_runs = RunRegistry("diffusion", diffusion.DIFF_MAX_RUNS, diffusion.DIFF_OWNERS)
        self.image: np.ndarray | None = None  # the forward demo's picture, (H, W, 3) float32 in [-1, 1]

    def function(self, fn: str):
        """FUNCTIONS[fn], given this session if it takes one."""
        if fn not in FUNCTIONS:
            raise ValueError(f"unknown function {fn!r}; known: {', '.join(sorted(FUNCTIONS))}")
        return functools.partial(FUNCTIONS[fn], self) if fn in PER_PAGE else FUNCTIONS[fn]

    def call(self, fn: str, args: dict) -> tuple[dict, list[np.ndarray]]:
        """Run fn(**args) for this page; return (plain tree, arrays it refers to)."""
        arrays: list[np.ndarray] = []
        return _plain(self.function(fn)(**dict(args)), arrays), arrays

    def close(self) -> None:
        """Free this page's runs and picture now; their ids are expired from here on."""
        self.gan_runs.clear()
        self.diffusion_runs.clear()
        self.image = None


def _plain(value, arrays: list):
    """Copy value into dicts/lists/scalars; put ndarrays in arrays, leave a marker."""
    if isinstance(value, np.ndarray):
        arrays.append(np.ascontiguousarray(value))
        return {"__array__": len(arrays) - 1, "shape": list(value.shape)}
    if isinstance(value, dict):
        return {str(k): _plain(v, arrays) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def live_runs() -> dict:
    """GAN and diffusion models alive in this interpreter, over every session (the worker's
    status reports it: a closed page's runs must really be freed)."""
    objects = gc.get_objects()
    return {"gan": sum(isinstance(o, _gan_model.Gan) for o in objects),
            "diffusion": sum(isinstance(o, _diffusion_model.Diffusion) for o in objects)}


# Python callers that make no session of their own (the worker's warm-up, the build, tests,
# a notebook) share this one: genlab.api.call("info", {}) and genlab.api.gan_start(...) use it.
DEFAULT = Session()
call = DEFAULT.call
globals().update({name: DEFAULT.function(name) for name in FUNCTIONS})

__all__ = ["DEFAULT", "FUNCTIONS", "MAX_SEED", "MAX_T", "PER_PAGE", "SECTIONS", "RunExpiredError",
           "RunRegistry", "Session", "call", "live_runs", *FUNCTIONS]
