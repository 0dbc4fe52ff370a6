"""The browser-facing layer: plain arguments in, plain data out.

The worker calls ``call(fn, args)`` and nothing else. Results are dicts, lists,
numbers and strings; numpy arrays in a result travel separately (see ``call``)
so that the worker can copy each one once into a typed array. This is the only
module that knows it runs behind a browser; the maths lives in the others.

Randomness: every sampling function takes the learner's ``seed`` and builds its
generator from ``[seed, STREAM, counter]``, so "Sample", "Sample 100" and
"Generate" draw from separate, reproducible streams.
"""
from __future__ import annotations

import functools
import math
import sys

import numpy as np

from . import lm, sampling

STREAM_SAMPLE, STREAM_BATCH, STREAM_GENERATE = 1, 2, 3
MAX_T = 10.0  # the slider stops at 2; the API accepts a little more for experiments
MAX_SEED = 2**32 - 1
MAX_CONTEXT_CHARS = 200


# ------------------------------------------------------------------ validation

def _temperature(value) -> float:
    t = float(value)
    if not math.isfinite(t) or not 0 <= t <= MAX_T:
        raise ValueError(f"temperature must be a number from 0 to {MAX_T:g}, not {value!r}")
    return t


def _int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {value!r}")
    return int(value)


def _rng(seed, stream: int, counter=0) -> np.random.Generator:
    seed = _int("seed", seed, 0, MAX_SEED)
    counter = _int("counter", counter, 0, MAX_SEED)
    return np.random.default_rng([seed, stream, counter])


# ----------------------------------------------------------------- the model

@functools.cache
def _model() -> lm.TinyLM:
    return lm.load_default()


@functools.lru_cache(maxsize=64)
def _read(context: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[bool, ...], np.ndarray]:
    """Tokens, ids, known flags and logits (V,) for a context string (cached)."""
    if len(context) > MAX_CONTEXT_CHARS:
        raise ValueError(f"the context is longer than {MAX_CONTEXT_CHARS} characters")
    model = _model()
    words = lm.tokenize(context)
    ids, unknown = model.vocab.encode(words)
    logits = model.logits(ids)  # (V,)
    return tuple(words), tuple(int(i) for i in ids), tuple(not u for u in unknown), logits


def _probs(context: str, temperature) -> tuple[np.ndarray, float]:
    t = _temperature(temperature)
    return sampling.softmax_t(_read(context)[3], t), t  # (V,)


def _top(p: np.ndarray, k: int) -> list[dict]:
    words = _model().vocab.itos
    return [{"word": words[i], "prob": float(p[i])} for i in sampling.top_k(p, k)]


# ------------------------------------------------------------------ functions

def info() -> dict:
    model = _model()
    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "llm": {
            "vocab_size": len(model.vocab.itos),
            "context_size": model.config.n_ctx,
            "params": sum(int(w.size) for w in model.params.values()),
        },
    }


def llm_distribution(context: str, temperature: float, top_k: int = 10) -> dict:
    """The next-word distribution: tokens read, top words, entropy, all probabilities sorted."""
    words, _, known, _ = _read(context)
    p, t = _probs(context, temperature)
    return {
        "tokens": [{"word": w, "known": k} for w, k in zip(words, known)],
        "window": _model().config.n_ctx,
        "temperature": t,
        "top": _top(p, _int("top_k", top_k, 1, 100)),
        "entropy_bits": sampling.entropy_bits(p),
        "sorted_probs": np.ascontiguousarray(np.sort(p)[::-1], np.float32),  # (V,) for the tail chart
    }


def llm_sample(context: str, temperature: float, seed: int, draw: int = 0) -> dict:
    """One word drawn from the distribution; draw numbers the clicks."""
    p, _ = _probs(context, temperature)
    i = int(sampling.sample(p, _rng(seed, STREAM_SAMPLE, draw)))
    return {"word": _model().vocab.itos[i], "prob": float(p[i])}


def llm_sample_many(context: str, temperature: float, seed: int, n: int = 100,
                    batch: int = 0, top_k: int = 10) -> dict:
    """n draws at once, counted for the top words (the rest summed as "other")."""
    p, _ = _probs(context, temperature)
    n = _int("n", n, 1, 100_000)
    draws = sampling.sample(p, _rng(seed, STREAM_BATCH, batch), size=n)  # (n,)
    counts = np.bincount(np.asarray(draws, np.intp), minlength=p.size)  # (V,) intp: int32 in wasm
    top = sampling.top_k(p, _int("top_k", top_k, 1, 100))
    words = _model().vocab.itos
    return {
        "n": n,
        "counts": [{"word": words[i], "count": int(counts[i])} for i in top],
        "other": int(n - counts[top].sum()),
        "distinct": int(np.count_nonzero(counts)),
    }


def llm_generate(context: str, temperature: float, seed: int, n_tokens: int = 12,
                 top_k: int = 5) -> dict:
    """The loop: score, softmax with temperature, sample, append; every step shown."""
    _, ids, _, _ = _read(context)
    t = _temperature(temperature)
    n_tokens = _int("n_tokens", n_tokens, 1, 200)
    k = _int("top_k", top_k, 1, 100)
    words = _model().vocab.itos
    steps = lm.generate(_model(), list(ids), t, _rng(seed, STREAM_GENERATE), n_tokens)
    return {"steps": [{"word": words[s.token], "prob": float(s.probs[s.token]), "top": _top(s.probs, k)}
                      for s in steps]}


def llm_compare(context: str, temperatures: list, top_k: int = 6) -> dict:
    """The same context at several temperatures, for the temperature section."""
    columns = []
    for value in temperatures:
        p, t = _probs(context, value)
        columns.append({"temperature": t, "top": _top(p, _int("top_k", top_k, 1, 100)),
                        "entropy_bits": sampling.entropy_bits(p)})
    return {"columns": columns}


FUNCTIONS = {f.__name__: f for f in (info, llm_distribution, llm_sample, llm_sample_many,
                                     llm_generate, llm_compare)}


# ------------------------------------------------------------------ transport

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


def call(fn: str, args: dict) -> tuple[dict, list[np.ndarray]]:
    """Run FUNCTIONS[fn](**args); return (plain tree, arrays it refers to)."""
    if fn not in FUNCTIONS:
        raise ValueError(f"unknown function {fn!r}; known: {', '.join(sorted(FUNCTIONS))}")
    arrays: list[np.ndarray] = []
    return _plain(FUNCTIONS[fn](**dict(args)), arrays), arrays
