"""The temperature knob: from scores to probabilities to one chosen token.

A language model gives every word of its vocabulary a score (a *logit*).
Sampling turns the scores into probabilities and draws one word:

    p_i = exp(l_i / T) / sum_j exp(l_j / T)

The temperature T reshapes the distribution without changing the order of the
words: T < 1 sharpens it toward the top word, T > 1 flattens it toward
uniform, and T = 0 is the limit where all probability sits on the top word
(greedy decoding).

All arrays are float64. Every function that draws random numbers takes an
``rng: np.random.Generator``; nothing here touches numpy's global state.
"""

from __future__ import annotations

import math

import numpy as np

GREEDY_T = 1e-6  # temperatures at or below this are treated as T = 0 (argmax)


def check_temperature(temperature: float) -> float:
    """Return T as a float, or raise ValueError if it is negative or not finite."""
    t = float(temperature)
    if not math.isfinite(t) or t < 0:
        raise ValueError(
            f"temperature must be a finite number >= 0 (0 means greedy), got {temperature!r}"
        )
    return t


def _check_logits(z: np.ndarray) -> None:
    """Allow -inf (a masked-out word) but not NaN, +inf, or an all -inf row."""
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError("logits must have at least one entry on the last axis")
    if np.isnan(z).any() or np.isposinf(z).any():
        raise ValueError("logits must not contain NaN or +inf")
    if np.isneginf(z).all(axis=-1).any():
        raise ValueError("every row of logits needs at least one finite score")


def softmax_t(logits: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities exp(l_i / T) / sum_j exp(l_j / T) along the last axis.

    logits: (..., V) scores, any real dtype. Returns (..., V) float64 that
    sums to 1 on the last axis. T <= GREEDY_T gives a one-hot on the argmax
    (the first index on ties), so we never divide by zero.
    """
    t = check_temperature(temperature)
    z = np.asarray(logits, dtype=np.float64)
    _check_logits(z)
    if t <= GREEDY_T:
        return one_hot_argmax(z)
    with np.errstate(over="ignore", under="ignore"):  # huge gaps just give exp -> 0
        z = (z - z.max(axis=-1, keepdims=True)) / t  # (..., V), max is 0: exp can't overflow
        e = np.exp(z)  # (..., V), in [0, 1], the top word is exactly 1
    return e / e.sum(axis=-1, keepdims=True)  # (..., V)


def one_hot_argmax(logits: np.ndarray) -> np.ndarray:
    """(..., V) -> (..., V) float64 with 1.0 at the first maximum of each row."""
    z = np.asarray(logits, dtype=np.float64)
    top = np.argmax(z, axis=-1)[..., None]  # (..., 1), first index on ties
    p = np.zeros(z.shape, dtype=np.float64)
    np.put_along_axis(p, top, 1.0, axis=-1)
    return p


def entropy_bits(p: np.ndarray) -> float:
    """Shannon entropy -sum p_i log2 p_i of one distribution, in bits (0 log 0 = 0)."""
    p = np.asarray(p, dtype=np.float64).ravel()
    nz = p[p > 0]  # terms with p_i = 0 contribute 0
    return float(-(nz * np.log2(nz)).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


def _check_probs(p: np.ndarray) -> np.ndarray:
    """Return p as a 1-D float64 array; raise if it is not a distribution."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p must be a non-empty 1-D array, got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any() or p.sum() <= 0:
        raise ValueError("p must be finite, non-negative and have a positive sum")
    return p


def sample(p: np.ndarray, rng: np.random.Generator,
           size: int | tuple | None = None) -> int | np.ndarray:
    """Draw index i with probability p_i by inverting the cumulative sum.

    p: (V,) non-negative weights (normalised here, so a sum of 0.9999999 or
    1.0000001 is fine). Returns an int if size is None, else an int64 array of
    that shape. A word with p_i = 0 is never drawn.
    """
    p = _check_probs(p)
    cdf = np.cumsum(p)  # (V,), nondecreasing
    cdf /= cdf[-1]  # cdf[-1] is now exactly 1.0
    u = rng.random(size)  # uniform in [0, 1)
    idx = np.searchsorted(cdf, u, side="right")  # first i with cdf_i > u
    if size is None:
        return int(idx)
    return np.asarray(idx, dtype=np.int64)


def top_k(p: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest entries of p, largest first; ties keep index order.

    p: (V,). Returns int64 (min(k, V),).
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    p = np.asarray(p, dtype=np.float64).ravel()
    order = np.argsort(-p, kind="stable")  # (V,), stable: equal p keep index order
    return order[:k].astype(np.int64)
