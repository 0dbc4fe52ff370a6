"""`python build.py bench`: what a learner feels, measured in Chromium. Medians.

    ttr_cold_ms        navigation to Python-ready in a fresh browser context (5 runs)
    ttr_warm_ms        the same, second visit in the same context, the first tab closed (5 runs)
    ttr_baseline_ms    the same for a bare page whose worker only does loadPyodide + numpy from
                       the same dist/pyodide/ files (served by the bench, not shipped), measured
                       in turn with GenLab's visits (5 runs)
    ttr_cold_ratio, ttr_warm_ratio   GenLab's first and second visit over the baseline
    ttr_cold_ratio_firefox, ttr_cold_ratio_webkit   ttr_cold_ms in Firefox (firefox-esr) and in
                       WebKit (MiniBrowser), each a fresh browser per run, one run of each after
                       each of Chromium's cold runs, over Chromium's ttr_cold_ms (5 runs each)
    embeds3_ratio      a course page of another origin (as an LMS's is) with three GenLab frames
                       (?embed=llm, gan, diffusion): navigation to all three ready, over one
                       page's first visit, measured in turn (3 runs each)
    embeds3_memory_ratio   resident memory of the browser's renderers (pages and workers) for
                       that course page over that for one page, 3 s after ready
    slider_p95_ms_while_training   the LLM slider (as slider_p95_ms) in one frame while a GAN
                       trains in another frame of the same page; gan_train_ms_p95_while_slider:
                       the worker's time per training call meanwhile
    ttr_single_ms      the single-file build opened from disk with the network off (3 runs)
    slider_p50_ms      slider input to repainted bars, 50 moves
    slider_p95_ms
    first_visit_bytes  response bytes the server sent for one first visit
    gan_converge_s_browser   Play to grid JSD < gan.JSD_CONVERGED on the ring, defaults, drawing (3 runs)
    gan_steps_per_s_browser  training steps per second while drawing, default settings
    gan_steps_per_s_native   the same step function under CPython numpy, in this run
    gan_fps                  frames the page draws per second while training
    gan_states_per_s         frames Python sends per second meanwhile (the page eases between them)
    diff_train_fps           section 4's live training (a fresh denoiser beside a GAN, default
                             shape): animation frames per second in which its charts were drawn,
                             over 10 s after 3 s of warm-up (3 runs); diff_train_steps_per_s:
                             diffusion steps trained per second of that wall-clock time
    diffusion_2d_sample_ms       the whole reverse chain for 1,000 points, default prompt, scale,
                                 steps and sampler, page call to reply (7 runs after a warm-up)
    diffusion_digits_sample_ms   16 guided digits at the default scale, steps and sampler, likewise
    diffusion_*_sample_ms_native the same API calls under CPython numpy, in this run
    art_render_ms          one 512 x 512 picture (seed 42, complexity 5, no symmetry), page call to
                           reply: median over every style, 5 runs each after a warm-up
    art_render_ms_native   the same calls under CPython numpy, in this run
    art_render_ms_by_style, art_render_ms_busiest   medians per style; the slowest style at
                           complexity 10 with radial symmetry (the costliest knobs)
    soak_memory_growth_ratio   a GAN left training for 5 minutes (GENLAB_SOAK_S to change), as
                           a class leaves a tab for a lesson: the browser's renderer memory at the
                           end over that after the first 30 s
    soak_speed_ratio       steps per second over the last 30 s over those of the first 30 s

Writes JSON to stdout and to the path given (default dist/bench.json). `--only gan` (or diffusion, diff_train,
art, soak, llm) measures that part alone.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

# Small matrices: BLAS threads make native numpy slower, not faster (see genlab.train).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from playwright.sync_api import sync_playwright  # noqa: E402

import build  # noqa: E402
from tests.bench_llm import llm_bench  # noqa: E402
from tests.browser import CACHED, embeds_page, host_site, launch, section_frames, wait_ready  # noqa: E402
from tests.engines.drivers import ENGINES, cold_ready_ms  # noqa: E402
from tests.lm_bench import bench_keys as llm_native_keys  # noqa: E402

RUNS = 5
SLIDER_MOVES = 50
EMBED_RUNS = 3
SINGLE_RUNS = 3
SETTLE_S = 3  # after ready, before memory is read
LESSON = "genlab/"  # where the bench's server puts dist/

# A bare Pyodide page: what any page that runs numpy in a worker pays. The page's policy
# (the server's header) allows no inline script: the page and its worker are files.
BASELINE = {
    "baseline/index.html": '<!doctype html><html><head><title>Baseline</title>'
                           '<script type="module" src="baseline.js"></script></head><body></body></html>',
    "baseline/baseline.js": 'const worker = new Worker("worker.js", { type: "module" });\n'
                            'worker.onmessage = () => {\n  window.readyAt = performance.now();\n'
                            '  document.documentElement.dataset.runtime = "ready";\n};\n',
    "baseline/worker.js": 'import { loadPyodide } from "../genlab/pyodide/pyodide.module.js";\n'
                          'const indexURL = new URL("../genlab/pyodide/", location.href).href;\n'
                          'const pyodide = await loadPyodide({ indexURL, packages: ["numpy"] });\n'
                          'pyodide.runPython("import numpy");\npostMessage("ready");\n',
}
EMBEDS3 = ["llm", "gan", "diffusion"]


class CountingHandler(build.Handler):
    sent = 0
    lock = threading.Lock()

    def copyfile(self, source, outputfile):
        data = source.read()
        with CountingHandler.lock:
            CountingHandler.sent += len(data)
        outputfile.write(data)


def serve(root: Path):
    """dist/ at /genlab/, the baseline page and the course pages beside it; returns (server, root URL)."""
    (root / LESSON).symlink_to(build.DIST, target_is_directory=True)
    pages = {**BASELINE, "two-frames.html": embeds_page(LESSON, ["llm", "gan"])}
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    server = build.make_server(root, handler_class=CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def ready_ms(page, stages: list) -> float:
    """Milliseconds from navigation start to data-runtime=ready; keeps the worker's stage times."""
    wait_ready(page)
    stages.append(page.evaluate("genlab.runtime.info.stageMs"))
    return page.evaluate("genlab.readyAt")


SLIDER_JS = """async (moves) => {
  const root = document.querySelector('[data-widget=llm]');
  const slider = root.querySelector('[data-role=t]');
  const bars = root.querySelector('.bars');
  const times = [];
  for (let i = 0; i < moves; i++) {
    const value = (0.1 + (i % 19) * 0.1).toFixed(2);
    const painted = new Promise((resolve) => {
      const seen = new MutationObserver(() => { seen.disconnect(); requestAnimationFrame(() => resolve()); });
      seen.observe(bars, { childList: true, subtree: true, attributes: true });
    });
    const t0 = performance.now();
    slider.value = value;
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await painted;
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}"""


def median_stages(runs: list[dict]) -> dict:
    """Median time of each worker loading stage (runtime, wheel, warmup)."""
    return {stage: round(statistics.median(run[stage] for run in runs)) for stage in runs[0]}


GAN_PLAY_JS = """async (threshold) => {
  const root = document.querySelector('[data-widget=gan]');
  const t0 = performance.now();
  genlab.widgets.gan.play();
  while (Number(root.dataset.jsd) >= threshold) {
    if (performance.now() - t0 > 120000) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
  const converged = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 3000));  // steady state: rates over full seconds
  const rates = {stepsPerS: Number(root.dataset.stepsPerS), fps: Number(root.dataset.fps),
                 statesPerS: Number(root.dataset.statesPerS ?? NaN)};
  genlab.widgets.gan.pause();
  return {converged, ...rates};
}"""


def gan_bench(browser, url: str) -> dict:
    """The GAN section as a learner feels it, plus the native step rate for the ratio."""
    from genlab import gan

    runs = []
    for _ in range(3):
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url + "#gan")
        wait_ready(page)
        page.wait_for_function("() => genlab.widgets.gan.run !== null")
        runs.append(page.evaluate(GAN_PLAY_JS, gan.JSD_CONVERGED))
        ctx.close()
    done = [r for r in runs if r]
    native = gan.bench_native(steps=2000, view_every=10)
    browser_rate = statistics.median(r["stepsPerS"] for r in done)
    return {
        "gan_converge_s_browser": round(statistics.median(r["converged"] for r in done), 2) if done else None,
        "gan_steps_per_s_browser": round(browser_rate),
        "gan_steps_per_s_native": round(native),
        "gan_native_ratio": round(native / browser_rate, 1),
        "gan_fps": round(statistics.median(r["fps"] for r in done), 1),
        "gan_states_per_s": round(statistics.median(r["statesPerS"] for r in done), 1) if done[0].get("statesPerS") else None,
        "gan_runs": runs,
    }


DIFF_TRAIN_JS = """async ([warmupMs, windowMs]) => {
  // Counts the display frames in which the training charts were drawn, by watching the loss
  // chart's context (no help from the page's own counters, so any version can be measured).
  const box = document.querySelector('[data-panel=reverse] [data-role=train-box]');
  box.open = true;
  const g = box.querySelector('[data-role=stability]').getContext('2d');
  let calls = 0;
  const fillText = g.fillText.bind(g);
  g.fillText = (...args) => { calls++; return fillText(...args); };
  box.querySelector('[data-role=train]').click();
  await new Promise((r) => setTimeout(r, warmupMs));
  const live = () => genlab.widgets.diffusion.live;
  let frames = 0, seen = calls, counting = true;
  const tick = () => { if (calls !== seen) frames++; seen = calls; if (counting) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const start = performance.now(), step0 = live().step;
  await new Promise((r) => setTimeout(r, windowMs));
  counting = false;
  const s = (performance.now() - start) / 1000;
  const out = {fps: frames / s, stepsPerS: (live().step - step0) / s};
  genlab.widgets.diffusion.stopTraining();
  return out;
}"""


def diff_train_bench(browser, url: str) -> dict:
    """Section 4's live training as a learner watches it: frames drawn, steps trained (3 runs)."""
    runs = []
    for _ in range(3):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(url + "#diffusion")
        wait_ready(page)
        page.wait_for_selector('[data-panel="reverse"][data-state="ready"]')
        runs.append(page.evaluate(DIFF_TRAIN_JS, [3000, 10000]))
        ctx.close()
    return {
        "diff_train_fps": round(statistics.median(r["fps"] for r in runs), 1),
        "diff_train_steps_per_s": round(statistics.median(r["stepsPerS"] for r in runs)),
        "diff_train_runs": runs,
    }


DIFFUSION_JS = """async ([fn, args, repeats]) => {
  await genlab.runtime.call(fn, args);  // warm-up: loads the model
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await genlab.runtime.call(fn, args);
    times.push(performance.now() - start);
  }
  return times;
}"""
DIFFUSION_REPEATS = 7


def diffusion_bench(browser, url: str) -> dict:
    """The reverse chains of the diffusion section at their defaults, in Chromium and natively."""
    from genlab import api

    calls = {"2d": ("diffusion_sample_2d", api.diffusion.DEFAULTS["2d"]),
             "digits": ("diffusion_sample_digits", api.diffusion.DEFAULTS["digits"])}
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url)
    wait_ready(page)
    out = {}
    for name, (fn, args) in calls.items():
        times = page.evaluate(DIFFUSION_JS, [fn, args, DIFFUSION_REPEATS])
        api.DEFAULT.function(fn)(**args)  # warm-up
        native = []
        for _ in range(DIFFUSION_REPEATS):
            start = time.perf_counter()
            api.DEFAULT.function(fn)(**args)
            native.append((time.perf_counter() - start) * 1000)
        out[f"diffusion_{name}_sample_ms"] = round(statistics.median(times), 1)
        out[f"diffusion_{name}_sample_ms_native"] = round(statistics.median(native), 1)
        out[f"diffusion_{name}_native_ratio"] = round(statistics.median(times) / statistics.median(native), 1)
    ctx.close()
    return out


ART_REPEATS = 5


def _native_ms(fn, args: dict, repeats: int) -> list[float]:
    fn(**args)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(**args)
        times.append((time.perf_counter() - start) * 1000)
    return times


def art_bench(browser, url: str) -> dict:
    """The art section's 512 x 512 render, every style, in Chromium and natively."""
    from genlab import api, art

    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url)
    wait_ready(page)
    browser_ms, native_ms, by_style, busiest = [], [], {}, {}
    for style in art.STYLES:
        for label, extra in (("default", {}), ("busiest", {"complexity": 10, "symmetry": "radial"})):
            args = {"seed": 42, "style": style, "palette": "auto", "complexity": 5, "symmetry": "none",
                    "size": 512, **extra}
            times = page.evaluate(DIFFUSION_JS, ["art_render", args, ART_REPEATS])
            if label == "busiest":
                busiest[style] = round(statistics.median(times), 1)
                continue
            native = _native_ms(api.art_render, args, ART_REPEATS)
            browser_ms += times
            native_ms += native
            by_style[style] = {"browser": round(statistics.median(times), 1), "native": round(statistics.median(native), 1)}
    ctx.close()
    return {"art_render_ms": round(statistics.median(browser_ms), 1),
            "art_render_ms_native": round(statistics.median(native_ms), 1),
            "art_render_ms_by_style": by_style, "art_render_ms_busiest": max(busiest.values()),
            "art_render_ms_busiest_by_style": busiest}


SOAK_S = float(os.environ.get("GENLAB_SOAK_S", 300))
SOAK_WINDOW_S = 30


def _descendants(root: int) -> set[int]:
    """Process ids below root (this bench: its Playwright driver and that driver's Chromium)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, changed = {root}, True
    while changed:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        changed = bool(more)
    return found - {root}


def renderer_rss_bytes() -> int | None:
    """Resident memory of this bench's Chromium renderers (pages and their workers), from /proc
    (Linux); other browsers on the machine are not counted."""
    total, proc = 0, Path("/proc")
    if not proc.is_dir():
        return None
    for pid in _descendants(os.getpid()):
        try:
            if b"--type=renderer" not in (proc / str(pid) / "cmdline").read_bytes():
                continue
            for line in (proc / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue  # the process ended meanwhile
    return total


def soak_bench(browser, url: str) -> dict:
    """The GAN section training for SOAK_S seconds: memory and speed at the start and the end."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url + "#gan")
    wait_ready(page)
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    page.locator('[data-widget="gan"] [data-role="play"]').click()
    step = lambda: int(page.evaluate("() => Number(document.querySelector('[data-widget=gan]').dataset.step || 0)"))  # noqa: E731

    def window() -> float:
        first, start = step(), time.perf_counter()
        time.sleep(SOAK_WINDOW_S)
        return (step() - first) / (time.perf_counter() - start)

    began = time.perf_counter()
    start_rate = window()
    start_rss = renderer_rss_bytes()
    time.sleep(max(0.0, SOAK_S - (time.perf_counter() - began) - SOAK_WINDOW_S))
    end_rate = window()
    end_rss = renderer_rss_bytes()
    ctx.close()
    return {
        "soak_s": round(time.perf_counter() - began),
        "soak_memory_growth_ratio": round(end_rss / start_rss, 3) if start_rss else None,
        "soak_speed_ratio": round(end_rate / start_rate, 3) if start_rate else None,
        "soak_runs": {"rss_bytes": [start_rss, end_rss], "steps_per_s": [round(start_rate, 1), round(end_rate, 1)]},
    }


def baseline_ms(browser, root: str) -> float:
    """The bare Pyodide page, first visit in a fresh context."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(root + "baseline/")
    page.wait_for_selector("html[data-runtime=ready]", state="attached", timeout=120_000)
    ms = page.evaluate("() => window.readyAt")
    ctx.close()
    return ms


def _frame_ready(frame) -> None:
    frame.wait_for_selector("html[data-runtime=ready]", state="attached", timeout=120_000)


def _settled_rss() -> int | None:
    time.sleep(SETTLE_S)
    return renderer_rss_bytes()


def embeds3_bench(browser, root: str) -> dict:
    """One page, then a course page with three frames, each in a fresh context, in turn. The course
    page is served from localhost by a plain server: its frames are of another site, as in an LMS."""
    with host_site({"embeds3.html": embeds_page(root + LESSON, EMBEDS3)}) as host:
        return _embeds3(browser, root, host + "embeds3.html")


def _embeds3(browser, root: str, course: str) -> dict:
    one, three, one_rss, three_rss, workers = [], [], [], [], []
    for _ in range(EMBED_RUNS):
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(root + LESSON)
        wait_ready(page)
        one.append(page.evaluate("genlab.readyAt"))
        one_rss.append(_settled_rss())
        ctx.close()
        ctx = browser.new_context(viewport={"width": 1000, "height": 800})
        page = ctx.new_page()
        page.goto(course)
        frames = section_frames(page, EMBEDS3).values()
        for frame in frames:
            _frame_ready(frame)
        origin = page.evaluate("() => performance.timeOrigin")
        three.append(max(f.evaluate("() => performance.timeOrigin + genlab.readyAt") for f in frames) - origin)
        workers.append(len({f.evaluate("() => genlab.runtime.info.worker.id") for f in frames}))
        three_rss.append(_settled_rss())
        ctx.close()
    rss = (statistics.median(three_rss) / statistics.median(one_rss)) if all(one_rss + three_rss) else None
    return {
        "embeds3_ratio": round(statistics.median(three) / statistics.median(one), 2),
        "embeds3_memory_ratio": round(rss, 2) if rss else None,
        "embeds3_runs": {"all_ready_ms": [round(x) for x in three], "one_page_ms": [round(x) for x in one],
                         "rss_bytes": three_rss, "one_page_rss_bytes": one_rss, "workers": workers},
    }


def slider_while_training(browser, root: str) -> dict:
    """The LLM slider in one frame while the GAN trains in the other frame of the same page."""
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    page = ctx.new_page()
    page.goto(root + "two-frames.html")
    frames = section_frames(page, ["llm", "gan"])
    _frame_ready(frames["gan"])
    wait_ready(frames["llm"])
    frames["gan"].wait_for_function("() => genlab.widgets.gan.run !== null", timeout=60_000)
    frames["gan"].evaluate("() => genlab.widgets.gan.play()")
    frames["gan"].wait_for_function("() => Number(document.querySelector('[data-widget=gan]').dataset.step) > 20",
                                    timeout=60_000)
    slider = frames["llm"].evaluate(SLIDER_JS, SLIDER_MOVES)
    training = frames["gan"].evaluate("() => genlab.runtime.recent.filter((c) => c.fn === 'gan_train').map((c) => c.ms)")
    steps = frames["gan"].evaluate("() => Number(document.querySelector('[data-widget=gan]').dataset.step)")
    frames["gan"].evaluate("() => genlab.widgets.gan.pause()")
    ctx.close()
    return {
        "slider_p50_ms_while_training": round(statistics.median(slider), 2),
        "slider_p95_ms_while_training": round(percentile(slider, 0.95), 2),
        "gan_train_ms_p95_while_slider": round(percentile(training, 0.95), 1),
        "slider_while_training_gan_steps": steps,
    }


def single_bench(browser) -> dict:
    """The single-file build from disk, network off, fresh context each time."""
    times = []
    with tempfile.TemporaryDirectory(prefix="genlab-single.") as out:
        single = build.build_single(out_dir=Path(out))
        for _ in range(SINGLE_RUNS):
            ctx = browser.new_context()
            ctx.set_offline(True)
            page = ctx.new_page()
            page.goto(single.as_uri())
            wait_ready(page)
            times.append(page.evaluate("genlab.readyAt"))
            ctx.close()
    return {"ttr_single_ms": round(statistics.median(times)), "ttr_single_runs": [round(x) for x in times]}


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


SAVED_START_MS = 60_000  # a first visit saves its snapshot a few seconds after ready


def saved_start(page) -> None:
    """Waits until the snapshot this visit saves is in the offline cache."""
    build_hash = page.evaluate("genlab.runtime.info.build")
    deadline = time.monotonic() + SAVED_START_MS / 1000
    while not page.evaluate(CACHED, [["python-snapshot.bin"], build_hash, None]):
        if time.monotonic() > deadline:
            print("bench: the first visit saved no snapshot within 60 s; the warm visit starts in full", file=sys.stderr)
            return
        page.wait_for_timeout(500)


PARTS = {  # `python build.py bench --only NAME`: one section's keys alone, in a fresh server and browser
    "gan": gan_bench, "diffusion": diffusion_bench, "diff_train": diff_train_bench, "art": art_bench, "soak": soak_bench, "llm": llm_bench,
}


def write(result: dict, out: Path) -> None:
    text = json.dumps(result, indent=1)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")


def main_only(out: Path, part: str) -> int:
    """One part of the bench (PARTS), for a change that touches one section."""
    if part not in PARTS:
        print(f"bench: --only takes one of {', '.join(PARTS)}, not {part!r}", file=sys.stderr)
        return 2
    site = Path(tempfile.mkdtemp(prefix="genlab-bench."))
    server, root = serve(site)
    with sync_playwright() as p:
        browser = launch(p)
        result = PARTS[part](browser, root + LESSON)
        browser.close()
    server.shutdown()
    shutil.rmtree(site, ignore_errors=True)
    write(result, out)
    return 0


def main(out: Path) -> int:
    site = Path(tempfile.mkdtemp(prefix="genlab-bench."))
    server, root = serve(site)
    url = root + LESSON
    cold, warm, base, first_bytes, cold_stages, warm_stages, same_worker, warm_paths = [], [], [], [], [], [], [], []
    engine_cold = {name: [] for name in ENGINES}
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(RUNS):  # the baseline and GenLab in turn, so both meet the same machine
            base.append(baseline_ms(browser, root))
            ctx = browser.new_context()
            page = ctx.new_page()
            CountingHandler.sent = 0
            page.goto(url)
            cold.append(ready_ms(page, cold_stages))
            first = page.evaluate("genlab.runtime.info.worker.id")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_timeout(500)  # let the service worker finish precaching
            first_bytes.append(CountingHandler.sent)
            saved_start(page)  # a second visit finds what the first one saved
            page.close()
            time.sleep(1)  # the tab is gone, and with it its shared worker
            page = ctx.new_page()
            page.goto(url)
            warm.append(ready_ms(page, warm_stages))
            same_worker.append(page.evaluate("genlab.runtime.info.worker.id") == first)
            warm_paths.append(page.evaluate("genlab.runtime.info.start.path"))
            ctx.close()
            for name in ENGINES:  # the other engines in turn with Chromium, on the same machine
                engine_cold[name].append(cold_ready_ms(name, url))
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url)
        wait_ready(page)
        slider = page.evaluate(SLIDER_JS, SLIDER_MOVES)
        ctx.close()
        embeds3 = embeds3_bench(browser, root)
        busy_slider = slider_while_training(browser, root)
        single = single_bench(browser)
        gan = gan_bench(browser, url)
        diffusion = diffusion_bench(browser, url)
        diff_train = diff_train_bench(browser, url)
        art_result = art_bench(browser, url)
        soak = soak_bench(browser, url)
        llm = llm_bench(browser, url)
        browser.close()
    server.shutdown()
    shutil.rmtree(site, ignore_errors=True)
    baseline = statistics.median(base)
    result = {
        "ttr_cold_ms": round(statistics.median(cold)),
        "ttr_warm_ms": round(statistics.median(warm)),
        "ttr_baseline_ms": round(baseline),
        "ttr_cold_ratio": round(statistics.median(cold) / baseline, 2),
        "ttr_warm_ratio": round(statistics.median(warm) / baseline, 2),
        **{f"ttr_cold_ratio_{name}": round(statistics.median(runs) / statistics.median(cold), 2)
           for name, runs in engine_cold.items()},
        **embeds3,
        **single,
        "slider_p50_ms": round(statistics.median(slider), 2),
        "slider_p95_ms": round(percentile(slider, 0.95), 2),
        **busy_slider,
        "first_visit_bytes": int(statistics.median(first_bytes)),
        **gan,
        **diffusion,
        **diff_train,
        **art_result,
        **soak,
        **llm,
        **llm_native_keys(),
        "stage_ms_cold": median_stages(cold_stages),
        "stage_ms_warm": median_stages(warm_stages),
        "runs": {"ttr_cold_ms": [round(x) for x in cold], "ttr_warm_ms": [round(x) for x in warm],
                 "ttr_baseline_ms": [round(x) for x in base], "first_visit_bytes": first_bytes,
                 **{f"ttr_cold_ms_{name}": [round(x) for x in runs] for name, runs in engine_cold.items()},
                 "warm_found_the_first_worker": same_worker, "warm_start_path": warm_paths},
    }
    write(result, out)
    return 0


if __name__ == "__main__":
    OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else build.DIST / "bench.json"
    if "--only" in sys.argv:
        sys.exit(main_only(OUT, sys.argv[sys.argv.index("--only") + 1]))
    sys.exit(main(OUT))
