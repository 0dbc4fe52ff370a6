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


ENGLISH = lm.DATA / "english"


def bench_keys(lines_every: int = 1, repeats: int = 20) -> dict:
    """llm_model_bytes: weights + tokenizer files as shipped; llm_heldout_bits_per_byte: the
    shipped model on data/english/heldout.txt (books and blocks of sentences no training saw,
    sharing no 8-word run with the training text; every lines_every-th line, 1 = all), with the
    unigram baseline on the same lines for scale; llm_everyday_bits_per_byte: on the everyday
    sentences written for the purpose; *_ms_native: medians of the API calls (a new
    200-character context each time, so the logits are computed, not cached)."""
    held = lm.read_lines(ENGLISH / "heldout.txt")[::lines_every]
    train = lm.read_lines(ENGLISH / "train.txt")[::max(lines_every, 10)]  # a tenth is enough to count tokens
    model = lm.load_default()
    return {
        "llm_model_bytes": lm.model_bytes(),
        "llm_heldout_bits_per_byte": round(lm.bits_per_byte(model, held), 4),
        "llm_everyday_bits_per_byte": round(lm.bits_per_byte(model, lm.read_lines(ENGLISH / "everyday.txt")), 4),
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
