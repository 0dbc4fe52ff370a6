"""Sections 2 and 5: the language model, read one next-token distribution at a time.

The functions share three knobs besides the temperature T:
  top_k: int, 0 = off, else 1..V: only the k highest logits can be drawn;
  top_p: float in (0, 1], 1 = off: only the fewest most probable tokens whose probability
         adds up to top_p can be drawn (after top-k);
  rows:  how many table rows to report (sorted by raw logit, best first).
Special tokens (<bos>, ...) never appear in a table and are never drawn.
A row of a table is {"token": display text of the piece, "id": int, "logit": raw score,
"scaled": logit / T (None at T = 0), "prob": softmax with temperature after the filters,
renormalised, "prob_unfiltered": before them, "drawable": whether it can still be drawn}.
At T = 0 the rows keep their order by logit: the favourite has prob 1.0, the rest 0.0.
"""
from __future__ import annotations

import functools
import re
import sys

import numpy as np

from .. import lm, sampling
from . import checks
from .checks import STREAM_BATCH, STREAM_GENERATE, STREAM_SAMPLE

MAX_CONTEXT_CHARS = 200
MAX_ROWS = 100
MAX_TOKENS = 200  # tokens one llm_generate call makes
MAX_SAMPLES = 100_000
MAX_COMPARED = 10  # temperatures one llm_compare call shows


@functools.cache
def model() -> lm.TinyLM:
    """The shipped model, loaded once and shared by every page."""
    return lm.load_default()


def _text(context) -> str:
    if not isinstance(context, str):
        raise ValueError(f"the context must be text, not {context!r}")
    if len(context) > MAX_CONTEXT_CHARS:
        raise ValueError(f"the context is longer than {MAX_CONTEXT_CHARS} characters")
    try:
        context.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone half of a pair (an emoji cut in two, say)
        raise ValueError(f"the text has half of a character at position {err.start + 1} "
                         "(a piece of an emoji or a rare sign): delete it and type it again") from None
    return context


def _read(context) -> tuple[tuple[int, ...], np.ndarray]:
    """Token ids and logits (V,) for a context string."""
    return _read_text(_text(context))


def _read_text(context: str) -> tuple[tuple[int, ...], np.ndarray]:
    """_read for a string, cached (and shared by pages): moving the slider reuses the logits."""
    ids, logits, _ = _look(context)
    return ids, logits


@functools.lru_cache(maxsize=64)
def _look(context: str) -> tuple[tuple[int, ...], np.ndarray, np.ndarray | None]:
    """Token ids, logits (V,) and the attention (L, H, W) of one forward pass (None for the mlp)."""
    m = model()
    ids = tuple(m.encode_text(context))
    if m.architecture == "transformer":
        logits, attention = m.logits_and_attention(ids)  # (V,), (L, H, W)
        attention.flags.writeable = False
    else:
        logits, attention = m.logits(ids), None
    logits.flags.writeable = False
    return ids, logits, attention


def _attention(ids: tuple[int, ...], weights: np.ndarray | None) -> dict | None:
    """{"tokens": the W tokens the model read (the window: "<bos>", the start, then the last
    context tokens), "weights": [layer][head][position] plain floats, each head's adding up to 1}."""
    if weights is None:
        return None
    m = model()
    window = m.window(ids)  # (W,)
    return {"tokens": [{"token": m.piece(i), "id": int(i), "start": int(i) == m.bos_id} for i in window],
            "weights": weights.tolist()}


FIRST_WORD = re.compile(r"[^\W\d_]+")  # letters only


def _first_word(ids: tuple[int, ...], context: str) -> dict | None:
    """When the text's first word is split into pieces but the same word after a space is not
    (or is split less): {"word", "pieces": as read here, "with_space": the pieces of " " + word}."""
    word = FIRST_WORD.match(context)
    if not word:
        return None
    m = model()
    alone, spaced = m.encode_text(word.group()), m.encode_text(" " + word.group())
    if len(alone) < 2 or len(spaced) >= len(alone) or list(ids[: len(alone)]) != alone:
        return None
    return {"word": word.group(), "pieces": [m.piece(i) for i in alone], "with_space": [m.piece(i) for i in spaced]}


def _filters(top_k, top_p) -> tuple[int, float]:
    k = checks.integer("top_k", top_k, 0, model().vocab_size)
    p = float(top_p) if checks.is_number(top_p) else float("nan")
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be a number above 0 and at most 1 (1 = off), not {top_p!r}")
    return k, p


def _dist(logits: np.ndarray, temperature, top_k, top_p) -> lm.Distribution:
    t, (k, p) = checks.temperature(temperature), _filters(top_k, top_p)
    return lm.Distribution.of(logits, t, k, p, model().special_ids)


def _rows(d: lm.Distribution, n: int) -> list[dict]:
    m, t = model(), d.temperature
    return [{"token": m.piece(i), "id": int(i), "logit": float(d.logits[i]),
             "scaled": float(d.logits[i] / t) if t > sampling.GREEDY_T else None,
             "prob": float(d.probs[i]), "prob_unfiltered": float(d.unfiltered[i]),
             "drawable": bool(d.kept[i])} for i in d.ranked(n)]


def _n_rows(rows) -> int:
    return checks.integer("rows", rows, 1, MAX_ROWS)


def info() -> dict:
    """Versions, and under "llm" the language model: vocab_size, context_size (tokens it
    reads), params, architecture, tokenizer, model_bytes (its files: weights + tokenizer)."""
    m = model()
    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "llm": {
            "vocab_size": m.vocab_size,
            "context_size": m.n_ctx,
            "params": sum(int(w.size) for w in m.params.values()),
            "architecture": m.architecture,  # "transformer" or "mlp"
            "tokenizer": m.tokenizer_name,  # "byte-level BPE"
            "model_bytes": lm.model_bytes(),
        },
    }


def llm_distribution(context: str, temperature: float, rows: int = 10, top_k: int = 0,
                     top_p: float = 1.0) -> dict:
    """The next-token distribution of a context, step by step.

    Returns {"tokens": [{"token", "id"}] the context's tokens ("window": the
    model reads the last n_ctx of them), "temperature", "top": rows (see
    above) sorted by raw logit, "entropy_bits" of the distribution drawn from,
    "drawable_count": tokens that can be drawn, "kept_mass": their probability
    before the filters, "sorted_probs": float32 (V,) the probabilities drawn
    from, largest first, "attention": what each head of each layer looked at
    to score the next token (see _attention; None for the mlp), "first_word":
    how the first word was split when a space would have split it less (or None)}.
    """
    context = _text(context)
    ids, logits, attention = _look(context)
    d, m = _dist(logits, temperature, top_k, top_p), model()
    return {
        "tokens": [{"token": m.piece(i), "id": i} for i in ids],
        "window": m.n_ctx,
        "temperature": d.temperature,
        "top": _rows(d, _n_rows(rows)),
        "entropy_bits": sampling.entropy_bits(d.probs),
        "drawable_count": int(d.kept.sum()),
        "kept_mass": float(d.unfiltered[d.kept].sum()),
        "sorted_probs": np.ascontiguousarray(np.sort(d.probs)[::-1], np.float32),  # (V,)
        "attention": _attention(ids, attention),
        "first_word": _first_word(ids, context),
    }


def llm_sample(context: str, temperature: float, seed: int, draw: int = 0, top_k: int = 0,
               top_p: float = 1.0) -> dict:
    """One token drawn from the filtered distribution: {"token", "id", "prob", "text"}.

    draw numbers the clicks (the generator is [seed, STREAM_SAMPLE, draw]). "text" is
    the token as text, or None when its bytes are only part of a character (then it
    cannot be added to a context, which is text).
    """
    d = _dist(_read(context)[1], temperature, top_k, top_p)
    i = int(sampling.sample(d.probs, checks.rng(seed, STREAM_SAMPLE, draw)))
    m = model()
    return {"token": m.piece(i), "id": i, "prob": float(d.probs[i]), "text": m.piece_text(i)}


def llm_sample_many(context: str, temperature: float, seed: int, n: int = 100, batch: int = 0,
                    rows: int = 10, top_k: int = 0, top_p: float = 1.0) -> dict:
    """n draws at once, counted for the top rows tokens by logit.

    Returns {"n", "counts": [{"token", "id", "count"}], "other": draws of any
    other token, "distinct": how many different tokens were drawn}.
    """
    d = _dist(_read(context)[1], temperature, top_k, top_p)
    n = checks.integer("n", n, 1, MAX_SAMPLES)
    draws = sampling.sample(d.probs, checks.rng(seed, STREAM_BATCH, batch), size=n)  # (n,)
    counts = np.bincount(np.asarray(draws, np.intp), minlength=d.probs.size)  # (V,) intp: int32 in wasm
    top = d.ranked(_n_rows(rows))
    return {
        "n": n,
        "counts": [{"token": model().piece(i), "id": int(i), "count": int(counts[i])} for i in top],
        "other": int(n - counts[top].sum()),
        "distinct": int(np.count_nonzero(counts)),
    }


def llm_generate(context: str, temperature: float, seed: int, n_tokens: int = 12, rows: int = 5,
                 top_k: int = 0, top_p: float = 1.0) -> dict:
    """The loop: score, divide by T, softmax, filter, sample, append; every step shown.

    Returns {"steps": [{"token", "id", "prob": its chance after the filters,
    "prob_unfiltered": before them, "rank": its place by logit (1 = the favourite),
    "top": rows}], "text": the continuation decoded as one string}.
    """
    ids, _ = _read(context)
    t = checks.temperature(temperature)
    k, p = _filters(top_k, top_p)
    n_tokens, n_rows = checks.integer("n_tokens", n_tokens, 1, MAX_TOKENS), _n_rows(rows)
    m = model()
    steps = lm.generate(m, list(ids), t, checks.rng(seed, STREAM_GENERATE), n_tokens, k, p)
    out = [{"token": m.piece(s.token), "id": s.token, "prob": float(s.probs[s.token]),
            "prob_unfiltered": float(s.unfiltered[s.token]), "rank": _rank(s.logits, s.token),
            "top": _rows(lm.Distribution(s.logits, t, s.probs, s.unfiltered, s.kept, m.special_ids), n_rows)}
           for s in steps]
    return {"steps": out, "text": m.decode_text([s.token for s in steps])}


def _rank(logits: np.ndarray, token: int) -> int:
    """token's place in the table's order (by logit, ties by id, specials left out): 1 = first."""
    z = np.array(logits)  # (V,)
    z[list(model().special_ids)] = -np.inf
    ahead = (z > z[token]) | ((z == z[token]) & (np.arange(z.size) < token))
    return int(ahead.sum()) + 1


def llm_compare(context: str, temperatures: list, rows: int = 6, top_k: int = 0,
                top_p: float = 1.0) -> dict:
    """The same context at several temperatures: {"columns": [{"temperature", "top", "entropy_bits"}]}."""
    if not isinstance(temperatures, (list, tuple)) or not 1 <= len(temperatures) <= MAX_COMPARED:
        raise ValueError(f"temperatures must be a list of 1 to {MAX_COMPARED} numbers, not {temperatures!r}")
    n_rows, (_, logits) = _n_rows(rows), _read(context)
    columns = []
    for value in temperatures:
        d = _dist(logits, value, top_k, top_p)
        columns.append({"temperature": d.temperature, "top": _rows(d, n_rows),
                        "entropy_bits": sampling.entropy_bits(d.probs)})
    return {"columns": columns}


def llm_score(text: str) -> dict:
    """How surprised the model is by each token of text, read from <bos> on.

    Returns {"tokens": [{"token", "id", "bits": -log2 p(token | all before),
    "prob"}], "total_bits", "n_bytes": UTF-8 bytes of text, "bits_per_byte"
    (None for empty text)}. p is the plain softmax at T = 1 with no filter,
    special tokens excluded, as in llm_distribution at T = 1.
    """
    text, m = _text(text), model()
    ids = m.encode_text(text)
    bits = lm.surprise_bits(m, ids)  # (T,)
    rows = [{"token": m.piece(i), "id": i, "bits": float(b), "prob": float(2.0 ** -b)}
            for i, b in zip(ids, bits)]
    total, n_bytes = float(bits.sum()), len(text.encode("utf-8"))
    return {"tokens": rows, "total_bits": total, "n_bytes": n_bytes,
            "bits_per_byte": total / n_bytes if n_bytes else None}


FUNCTIONS = (info, llm_distribution, llm_sample, llm_sample_many, llm_generate, llm_compare, llm_score)
