"""The lesson in Firefox and in WebKit (the engine of Safari), besides the Chromium of the other
browser tests: one browser session per engine, in which Python starts, each of the seven sections is
used once as a learner would (real clicks and keys) and answers, a section embedded alone works in a
second tab, and, with the server stopped, a reload starts Python again from the offline cache.

The engines are Debian's firefox-esr (WebDriver BiDi, through puppeteer-core) and WebKitWebDriver
with its MiniBrowser (see tests/engines/drivers.py); `python build.py test` installs them."""
from __future__ import annotations

import json
import time

import pytest

import build
from tests.browser import serve_dist
from tests.engines import drivers

READY_S = 240  # Python's start in WebKit on a busy 2-core machine (about 15-25 s when it is quiet)
STEP_S = 90  # one use of a section, answered by Python

# The offline cache holds every file of the build (one cache, named after the build).
CACHE_COMPLETE = """async (expected) => {
    const keys = await caches.keys();
    if (keys.length !== 1) return false;
    return (await (await caches.open(keys[0])).keys()).length >= expected;
}"""

# A cheap checksum of a canvas's pixels, and whether it shows a picture (many colours, opaque).
CANVAS_JS = """(selector) => {
  const c = document.querySelector(selector);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0, opaque = 0;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4 * 13) {
    sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1000000007;
    if (d[i + 3] === 255) opaque++;
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return {sum, colours: colours.size, opaque: opaque / Math.ceil(d.length / (4 * 13))};
}"""

STATE = "(s) => document.querySelector(s).dataset.state"


def ready(e, selector: str, extra: str = "true", what: str = "") -> None:
    """Waits until the widget or panel at selector is ready (and extra holds)."""
    try:
        e.wait(f"(s) => document.querySelector(s).dataset.state === 'ready' && ({extra})", selector,
               timeout=STEP_S, what=what or f"{selector} ready and {extra}")
    except AssertionError as failure:
        seen = e.eval("""(s) => { const w = document.querySelector(s);
            return {data: {...w.dataset}, status: w.querySelector('[data-role=status]')?.textContent}; }""", selector)
        raise AssertionError(f"{failure}; {selector} shows {seen}") from None


def llm(e) -> None:
    """Typing a context: the model reads it (token chips) and new next-token bars appear."""
    root = '[data-widget="llm"]'
    e.wait(f"() => document.querySelectorAll('{root}[data-state=ready] .bars li').length >= 5",
           timeout=STEP_S, what="the LLM's first bars")
    before = e.eval(f"() => document.querySelector('{root} .bars').innerText")
    e.type(f"{root} [data-role=context]", "the cat sat on the")
    ready(e, root, f"""genlab.store.get('context') === 'the cat sat on the'
        && document.querySelector('{root} [data-role=tokens]').textContent.includes('cat')
        && document.querySelectorAll('{root} .bars li').length >= 5
        && document.querySelector('{root} .bars').innerText !== {json.dumps(before)}""",
          what="bars for the context typed")


def temperature(e) -> None:
    """Moving its slider: the table of columns fills again, the last one at the new temperature."""
    root = '[data-widget="temperature"]'
    e.scroll_to("#temperature")
    ready(e, root, f"document.querySelectorAll('{root} .column').length >= 4")
    e.press("#temp-t", "ArrowRight")  # 0.80 -> 0.85
    ready(e, root, f"""(() => {{
        const columns = [...document.querySelectorAll('{root} .column')];
        return columns.length >= 4 && columns.every(c => c.querySelectorAll('li').length >= 3)
            && columns.at(-1).querySelector('figcaption strong').textContent === 'T = 0.85';
    }})()""", what="the temperature table at T = 0.85")


def classify(e) -> None:
    """A point added with the keyboard on the classifier's plane: both models refit."""
    e.scroll_to("#classify")
    e.wait("() => genlab.widgets.classify.fit !== null", timeout=STEP_S, what="the first fit")
    n = e.eval("() => genlab.widgets.classify.fit.counts.reduce((a, b) => a + b)")
    e.press('[data-widget="classify"] [data-role=classifier]', "Space")
    e.wait(f"() => genlab.widgets.classify.fit.counts.reduce((a, b) => a + b) === {n + 1}",
           timeout=STEP_S, what=f"a refit on {n + 1} points")


def gan(e, steps: int = 2) -> None:
    """One step at a time: the step counter follows, and the forger's points move."""
    root = '[data-widget="gan"]'
    e.scroll_to("#gan")
    ready(e, root, "genlab.widgets.gan.run !== null")
    before = e.eval(CANVAS_JS, f"{root} [data-role=field]")
    for step in range(1, steps + 1):
        e.click(f"{root} [data-role=step]")
        e.wait(f"() => document.querySelector('{root}').dataset.step === '{step}'", timeout=STEP_S,
               what=f"GAN step {step}")
    ready(e, root)
    assert e.eval(CANVAS_JS, f"{root} [data-role=field]")["sum"] != before["sum"], "the GAN's plane did not change"


def diffusion(e) -> None:
    """Forward: the noise slider redraws the photo at the new step. Reverse: sampling again
    runs the chain anew."""
    forward, reverse = "[data-panel=forward]", "[data-panel=reverse]"
    e.scroll_to(forward)
    ready(e, forward, "genlab.widgets.diffusion.picture !== null")
    t = int(e.eval("() => document.querySelector('#ctl-diff_t').value"))
    before = e.eval(CANVAS_JS, f"{forward} [data-role=picture]")
    e.press("#ctl-diff_t", "ArrowRight")
    ready(e, forward, f"""document.querySelector('{forward} [data-role=t-out]').textContent === '{t + 1}'
        && document.querySelector('{forward} [data-role=picture]').getAttribute('aria-label').includes('noise step {t + 1} ')""",
          what=f"the photo at noise step {t + 1}")
    assert e.eval(CANVAS_JS, f"{forward} [data-role=picture]")["sum"] != before["sum"], "the photo was not redrawn"
    e.scroll_to(reverse)
    ready(e, reverse, "genlab.widgets.diffusion.plane !== null")
    e.eval("() => { window.__engineOldPlane = genlab.widgets.diffusion.plane; }")
    e.click(f"{reverse} [data-role=sample]")
    ready(e, reverse, "genlab.widgets.diffusion.plane !== window.__engineOldPlane", what="a new reverse chain")


def responsibility(e) -> None:
    """The steering wheel draws its digits; a quiz answer checked gets its explanation."""
    e.scroll_to("#responsibility")
    e.wait("() => genlab.widgets.steer.shown !== null", timeout=STEP_S, what="the steering wheel's digits")
    form = '[data-widget="quiz"] form.quiz-q:first-of-type'
    e.click(f"{form} input[value=b]")
    e.click(f"{form} button[type=submit]")
    e.wait(f"() => document.querySelector('{form} .quiz-feedback').textContent.startsWith('Right')",
           timeout=STEP_S, what="the quiz's feedback")


def art(e) -> None:
    """A seed typed in: numpy paints that seed's picture on the canvas."""
    root = '[data-widget="art"]'
    e.scroll_to("#art")
    ready(e, root, f"document.querySelector('{root}').dataset.sha256")
    e.type("#art-seed", "2026")
    e.press("#art-seed", "Enter")
    ready(e, root, f"document.querySelector('{root}').dataset.seed === '2026'", what="the picture of seed 2026")
    picture = e.eval(CANVAS_JS, f"{root} [data-role=canvas]")
    assert picture["colours"] > 50 and picture["opaque"] > 0.99, f"a blank or flat picture: {picture}"


SECTIONS = (("classify", classify), ("llm", llm), ("gan", gan), ("diffusion", diffusion),
            ("temperature", temperature), ("responsibility", responsibility), ("art", art))


def no_errors(e) -> None:
    assert e.eval("() => genlab.errors") == [], "a handler of the page threw"
    assert e.errors() == [], "uncaught errors in the page"
    broken = e.eval("""() => [...document.querySelectorAll('[data-state=error]')]
        .map(w => `${w.dataset.widget || w.dataset.panel}: ${w.querySelector('[data-role=status]')?.textContent}`)""")
    assert broken == [], broken


def smoke(e) -> dict:
    """The whole smoke test in one session of engine e; returns the seconds each part took."""
    took: dict[str, float] = {}
    files = json.loads((build.DIST / "build.json").read_text())["files"]
    with serve_dist(f"engines-{e.name}/") as url:
        t = time.monotonic()
        e.open(url)
        took["ready_ms"] = round(e.wait_ready(READY_S))
        assert e.eval("() => genlab.runtime.info.worker.shared"), "Python did not start in the shared worker"
        took["start"] = time.monotonic() - t
        for name, use in SECTIONS:
            t = time.monotonic()
            use(e)
            took[name] = time.monotonic() - t
        e.wait("() => document.querySelector('[data-role=progress]').textContent === 'Tried 7 of 7 sections'",
               timeout=10, what="the table of contents counting 7 of 7 sections tried")
        no_errors(e)

        t = time.monotonic()  # a section alone, in a second tab (it joins the running Python)
        e.new_tab(url + "?embed=gan")
        e.wait_ready(READY_S)
        shown = e.eval("() => [...document.querySelectorAll('main > section')].filter(s => s.offsetParent).map(s => s.id)")
        assert shown == ["gan"], shown
        gan(e, steps=1)
        no_errors(e)
        e.close_tab()
        took["embed"] = time.monotonic() - t

        t = time.monotonic()
        e.wait(CACHE_COMPLETE, len(files), timeout=READY_S, what=f"the offline cache holding all {len(files)} files")
        took["precache"] = time.monotonic() - t
        worker = e.eval("() => genlab.runtime.info.worker.id")
    # The server is stopped: only the service worker's cache can answer now.
    t = time.monotonic()
    e.reload()
    e.wait_ready(READY_S)
    took["offline_start"] = time.monotonic() - t
    # A new worker: Python itself started again, from files only the offline cache could give.
    assert e.eval("() => genlab.runtime.info.worker.id") != worker, "the reload kept the old Python"
    took["offline_path"] = e.eval("() => genlab.runtime.info.start.path")
    llm_root = '[data-widget="llm"]'
    # The sections' own first calls come first, and the page grows as they draw: a click while
    # it still moves may land beside the button (seen in WebKit after the reload).
    e.wait(f"() => document.querySelector('{llm_root}').dataset.state === 'ready' && genlab.runtime.pending.size === 0",
           timeout=READY_S, what="the LLM section ready, and no call waiting")
    e.click(f"{llm_root} [data-role=sample]")
    e.wait(f"() => document.querySelector('{llm_root} [data-role=result]').textContent.includes('Draw 1 with seed')",
           timeout=READY_S, what="a token sampled offline")  # after the sections' own first calls, which WebKit answers slowly
    no_errors(e)
    return took


@pytest.mark.parametrize("engine", drivers.ENGINES)
def test_the_lesson_works_in_the_engine(engine):
    started = time.monotonic()
    e = drivers.start(engine)
    try:
        version = e.version()
        took = smoke(e)
    finally:
        e.close()
    took["total"] = time.monotonic() - started
    print(f"\n{engine} ({version}): " + ", ".join(
        f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in took.items()))
