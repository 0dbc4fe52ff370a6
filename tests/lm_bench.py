"""Bench keys of the language model, for tests/bench.py: what it weighs, how well it predicts,
and how long its calls take under CPython (the browser's numbers come from the page).

    from tests.lm_bench import bench_keys
    result.update(bench_keys())
"""
from __future__ import annotations

import statistics
import time

from genlab import api, lm

# 200 characters, the page's limit: the model reads the last n_ctx tokens of it
LONG_CONTEXT = ("Once upon a time there was a little fox who lived in a small village. One day he "
                "went to the market to buy bread and cheese for his grandmother, who was ill. "
                "The weather was cold, so he")[: api.llm.MAX_CONTEXT_CHARS]


def bench_keys(lines_every: int = 1, repeats: int = 20) -> dict:
    """llm_model_bytes: weights + tokenizer files as shipped; llm_heldout_bits_per_byte: the
    shipped model on the corpus's held-out lines (every lines_every-th of them; 1 = all), with
    the unigram baseline on the same lines for scale; *_ms_native: medians of the API calls
    (a new 200-character context each time, so the logits are computed, not cached)."""
    train, held = lm.split_lines(lm.read_lines())
    held = held[::lines_every]
    model = lm.load_default()
    return {
        "llm_model_bytes": lm.model_bytes(),
        "llm_heldout_bits_per_byte": round(lm.bits_per_byte(model, held), 4),
        "llm_unigram_bits_per_byte": round(lm.unigram_bits_per_byte(model.bpe, train, held), 4),
        "llm_distribution_ms_native": _median_ms(
            lambda i: api.llm_distribution(LONG_CONTEXT[: -1 - i % 50], 0.8), repeats),
        "llm_generate_ms_native": _median_ms(
            lambda i: api.llm_generate(LONG_CONTEXT, 0.8, i, n_tokens=20), max(3, repeats // 4)),
    }


def _median_ms(fn, repeats: int) -> float:
    fn(0)  # warm-up: loads the model
    times = []
    for i in range(1, repeats + 1):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)
