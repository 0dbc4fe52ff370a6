"""The language model as a learner feels it, for `python build.py bench` (tests/bench.py calls
llm_bench(browser, url) and merges the dict it returns).

    llm_distribution_ms   95th percentile over 50 slider moves (temperatures 0 to 2, the default
                          context, 10 rows, no filter) of llm_distribution, page call to reply
    llm_distribution_p50_ms   the median of the same moves
    llm_generate_ms       llm_generate of 20 tokens (5 candidate rows per step), page call to reply:
                          median of 5 runs after a warm-up
"""
from __future__ import annotations

import statistics

from tests.browser import wait_ready

MOVES = 50
GENERATE_RUNS = 5
GENERATE_TOKENS = 20

# Each call timed from the page's runtime.call to its reply, as section 2 makes it.
CALLS_JS = """async ([fn, argsList]) => {
  const times = [];
  for (const args of argsList) {
    const t0 = performance.now();
    await genlab.runtime.call(fn, args, 'llm');
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}"""


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def llm_bench(browser, url: str) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url)
    wait_ready(page)
    context = page.evaluate("() => genlab.store.get('context')")
    # Slider positions as a learner drags: 0.05 steps, never the same twice in a row.
    moves = [{"context": context, "temperature": round(0.05 * ((7 * i) % 41), 2), "rows": 10,
              "top_k": 0, "top_p": 1} for i in range(MOVES)]
    dist = page.evaluate(CALLS_JS, ["llm_distribution", moves])
    runs = [{"context": context, "temperature": 0.8, "seed": seed, "n_tokens": GENERATE_TOKENS, "rows": 5,
             "top_k": 0, "top_p": 1} for seed in range(GENERATE_RUNS + 1)]
    gen = page.evaluate(CALLS_JS, ["llm_generate", runs])[1:]  # the first warms up
    ctx.close()
    return {
        "llm_distribution_ms": round(percentile(dist, 0.95), 1),
        "llm_distribution_p50_ms": round(statistics.median(dist), 1),
        "llm_generate_ms": round(statistics.median(gen), 1),
    }
