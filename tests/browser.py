"""Shared by the browser tests and the benchmarks: serve dist/, drive Chromium, open pages (a fresh
context's with fresh_page, the warm context's with warm_page) and read the scripts tests inject
(tests/js/<name>.js, with js(name))."""
from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import os
import shutil
import tarfile
import tempfile
import threading
import weakref
from pathlib import Path

import build

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SUBPATH = "course/unit-1/genlab/"  # dist/ is served below a sub-path, as on a real host
READY_TIMEOUT_MS = 90_000  # Python start-up on a slow, busy machine


PARTITIONING = "ThirdPartyStoragePartitioning"
JS = Path(__file__).with_name("js")

# The lesson's modules that tests import or replace, relative to the page (dist/app/...): the one
# place a test names where a module lives.
APP_MODULES = {
    "chart": "app/core/chart.js", "diffusion-settings": "app/sections/diffusion/diffusion-settings.js",
    "diffusion-view": "app/sections/diffusion/diffusion-view.js", "embed": "app/lesson/embed-panel.js",
    "gan-settings": "app/sections/gan/gan-settings.js", "gan-trainer": "app/sections/gan/gan-trainer.js",
    "llm": "app/sections/llm/llm.js", "main": "app/main.js", "plane": "app/core/plane.js",
    "protocol": "app/core/protocol.js", "runtime": "app/core/runtime.js", "state": "app/core/state.js",
    "ui": "app/core/ui.js",
}


def module(name: str) -> str:
    """Where the lesson's module `name` is, relative to the page: "app/core/ui.js"."""
    return APP_MODULES[name]


@functools.cache
def js(name: str) -> str:
    """The text of tests/js/<name>.js: a function for page.evaluate or wait_for_function (its first
    lines say what it takes and gives), or an init script. A script that imports one of the
    lesson's modules takes its path as an argument (module(name))."""
    return (JS / f"{name}.js").read_text()


def _switch_value(command_line: list[str], switch: str) -> str | None:
    """The value Chromium uses for a switch given on its command line (the last one given)."""
    values = [arg.split("=", 1)[1] for arg in command_line if arg.startswith(switch + "=")]
    return values[-1] if values else None


def _command_line_with(marker: str) -> list[str]:
    """The command line of the process that was given marker (Linux's /proc), or [] if none is found."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker.encode() in args:
            return [arg.decode(errors="replace") for arg in args]
    return []


def chromium_path() -> str:
    return os.environ.get("GENLAB_CHROMIUM") or build.find_chromium()


def launch(playwright):
    """Chromium for the tests and the benchmarks, storing data as a learner's Chrome does.

    Playwright turns Chromium's third-party storage partitioning off, which Chrome has had on by
    default since version 115. Without it a lesson framed by a course page of another site gets no
    storage and no shared worker at all, and GenLab runs on its fallbacks. Here the feature is put
    back; every other feature Playwright turns off stays off (Chromium uses the last
    --disable-features it is given). `launch_blocking_storage` keeps Playwright's setting.
    """
    path = chromium_path()
    marker = f"--genlab-launch={os.getpid()}-{id(playwright)}"  # an unknown switch: Chromium ignores it
    browser = playwright.chromium.launch(executable_path=path, args=[*CHROMIUM_ARGS, marker])
    command_line = _command_line_with(marker)
    if not command_line:
        browser.close()
        raise RuntimeError("could not read Chromium's command line (the tests read it from Linux's /proc)")
    disabled = (_switch_value(command_line, "--disable-features") or "").split(",")
    if PARTITIONING not in disabled:
        return browser
    browser.close()
    kept = ",".join(feature for feature in disabled if feature and feature != PARTITIONING)
    return playwright.chromium.launch(executable_path=path, args=[*CHROMIUM_ARGS, f"--disable-features={kept}"])


def launch_blocking_storage(browser):
    """A second Chromium like `browser`, started as Playwright starts it: no storage in frames of other sites."""
    return browser.browser_type.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    """A server that is not GenLab's (a course page, an LMS): no policy headers, no log."""

    def log_message(self, fmt: str, *args) -> None:
        pass


@contextlib.contextmanager
def serving(root: Path, handler_class=None, host: str = "127.0.0.1"):
    """Serve root (GenLab's headers by default) on a free port; yields http://host:PORT/.

    host may be "localhost" for a second origin on the same server address.
    """
    server = build.make_server(root, handler_class=handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serve_dist(subpath: str = SUBPATH):
    """Serve dist/ at http://127.0.0.1:PORT/<subpath>; yields the page's URL."""
    root = Path(tempfile.mkdtemp(prefix="genlab-host."))
    target = root / subpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(build.DIST, target_is_directory=True)
    try:
        with serving(root) as url:
            yield url + subpath
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def host_site(pages: dict[str, str]):
    """A plain static site on http://localhost:PORT/ (another origin than the lesson's 127.0.0.1)."""
    root = Path(tempfile.mkdtemp(prefix="genlab-lms."))
    for name, text in pages.items():
        (root / name).write_text(text)
    try:
        with serving(root, PlainHandler, host="localhost") as url:
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def serve_dist_with(pages: dict[str, str], subpath: str = SUBPATH, handler_class=None):
    """dist/ below subpath and extra files (name -> text) at the root, on one origin (a course
    page of the same site); yields (root URL, lesson URL)."""
    root = Path(tempfile.mkdtemp(prefix="genlab-site."))
    target = root / subpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(build.DIST, target_is_directory=True)
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    try:
        with serving(root, handler_class) as url:
            yield url, url + subpath
    finally:
        shutil.rmtree(root, ignore_errors=True)


def embeds_page(lesson_url: str, sections: list[str]) -> str:
    """A course page with one GenLab frame per section (?embed=<section>)."""
    frames = "".join(f'<iframe src="{lesson_url}?embed={s}" title="GenLab {s}" data-section="{s}" '
                     'style="width: 100%; height: 600px; border: 0"></iframe>' for s in sections)
    return course_page(frames)


def section_frames(page, sections: list[str]) -> dict:
    """The frames of an embeds_page, by section, once each has loaded its document."""
    frames = {}
    for section in sections:
        frame = page.wait_for_selector(f'iframe[data-section="{section}"]').content_frame()
        frame.wait_for_load_state("domcontentloaded")
        frames[section] = frame
    return frames


def course_page(body: str) -> str:
    return f"<!doctype html><html><head><title>Course</title></head><body><h1>Week 3</h1>{body}</body></html>"


class ForeignRequests:
    """Records every request the context (pages, workers, service worker) makes
    to an origin other than the site's."""

    def __init__(self, context, base_url: str):
        self.origin = base_url.split("/", 3)[:3]
        self.seen: list[str] = []
        self.count = 0
        context.on("request", self.saw)

    def saw(self, request):
        self.count += 1
        url = request.url
        if url.split("/", 3)[:3] != self.origin and not url.startswith(("data:", "blob:")):
            self.seen.append(url)


@contextlib.contextmanager
def fresh_context(browser, **options):
    """A new browser context (its own storage, its own shared worker, so its own Python), closed
    after the test even when the test fails: a context left open keeps its Python running."""
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        context.close()


def open_page(context, url: str, ready=None, before=None, wait_until: str = "load"):
    """A new page of context at url, once ready(page) returns (by default: Python and the LLM
    section are ready; `loaded` for a page looked at as soon as page.goto returns, at its
    wait_until event). before(page) runs first: a page's own viewport, media, routes or init script."""
    page = context.new_page()
    watch_requests(page)
    try:
        if before:
            before(page)
        page.goto(url, wait_until=wait_until)
        (ready or wait_ready)(page)
    except BaseException:
        page.close()  # in a shared context, a page left open would keep its runs
        raise
    return page


NOTE = "the page then: "


@contextlib.contextmanager
def telling_on_failure(page):
    """A test (or a wait) that fails while using page gets, under its error, what the page was
    doing (page_state), once however many of these it passes through."""
    try:
        yield page
    except Exception as err:
        if not any(note.startswith(NOTE) for note in getattr(err, "__notes__", ())):
            err.add_note(NOTE + page_state(page))
        raise


@contextlib.contextmanager
def fresh_page(browser, url: str, ready=None, before=None, wait_until: str = "load", **options):
    """open_page in a fresh context made with options; yields the page (its context is
    page.context); the context is closed after."""
    with fresh_context(browser, **options) as context:
        with telling_on_failure(open_page(context, url, ready, before, wait_until)) as page:
            yield page


@contextlib.contextmanager
def warm_context(browser, base_url: str, **options):
    """A browser context in which Python stays started from one test to the next.

    A keeper page holds the shared worker open, so every page a test opens in this context joins
    an interpreter already running, as a learner's second tab does. Each page still has its own
    copy of genlab.api and its own runs, freed when it closes. Yields (context, keeper).
    """
    with fresh_context(browser, **options) as context:
        keeper = open_page(context, base_url + "?embed=art", python_ready)  # a light page: one section
        assert keeper.evaluate("() => genlab.runtime.info.worker.shared"), "the warm context needs the shared worker"
        yield context, keeper


@contextlib.contextmanager
def warm_page(context, url: str, ready=None, before=None):
    """open_page in a warm context (or any context whose pages a test shares); the page is
    closed after, which frees its runs in the shared Python."""
    page = open_page(context, url, ready, before)
    try:
        with telling_on_failure(page):
            yield page
    finally:
        page.close()


def loaded(page) -> None:
    """No wait beyond the page's load event (page.goto's): for a test that looks before Python is
    ready, or never needs it."""


_FAILED_REQUESTS = weakref.WeakKeyDictionary()  # page -> its requests that failed, for page_state


def watch_requests(page) -> None:
    """Keeps the requests of page and its frames that fail (a file the network or the service
    worker did not deliver), for page_state."""
    failed = _FAILED_REQUESTS.setdefault(page, [])
    page.on("requestfailed", lambda request: failed.append(f"{request.url.rsplit('/', 1)[-1]}: {request.failure}"))


def page_state(where) -> str:
    """What a page or frame that never became ready is doing (tests/js/page-state.js), and the
    requests of its page that failed: for a failure message."""
    try:
        state = where.evaluate(js("page-state"))
    except Exception as unreadable:  # noqa: BLE001 (a page that is gone or navigating)
        state = f"(not readable: {unreadable})"
    failed = _FAILED_REQUESTS.get(getattr(where, "page", where), ["(not watched)"])
    return f"{state}; failed requests: {failed}"


def python_ready(page, timeout: int = READY_TIMEOUT_MS) -> None:
    """Python answers this page (its widgets may still be drawing, or hidden in an embed)."""
    with telling_on_failure(page):
        page.wait_for_selector("html[data-runtime=ready]", state="attached", timeout=timeout)


def wait_ready(page, timeout: int = READY_TIMEOUT_MS) -> None:
    """Python answers this page, and the LLM section has drawn its bars."""
    with telling_on_failure(page):
        page.wait_for_selector("html[data-runtime=ready]", timeout=timeout)
        page.wait_for_selector('[data-widget="llm"][data-state="ready"] .bars li', timeout=timeout)


CACHED = js("cached-files")  # (named for tests/bench.py)


@functools.cache
def axe_source() -> str:
    """axe-core's browser script, from its pinned npm tarball (fetched once into the build cache)."""
    pin = next(p for p in build.TEST_PINS if p.name == "axe-core")
    with tarfile.open(build.fetch(pin, build.DEFAULT_CACHE)) as tar:
        return tar.extractfile("package/axe.min.js").read().decode()


def run_axe(page, selector: str = "body") -> list[dict]:
    """axe-core's WCAG 2 A/AA violations inside selector: [{id, impact, help, nodes: [html]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())  # through the DevTools protocol: the page's CSP does not apply
    return page.evaluate(js("axe-violations"), selector)


def use_section(where, section: str) -> None:
    """Use a section the way a learner does: a real key press on a slider, or a real click on a
    choice, inside its widget (where: a page or a frame)."""
    widget = where.locator(f"#{section} .widget")
    slider = widget.locator("input[type=range]:visible:enabled")
    if slider.count():
        slider.first.press("ArrowRight")  # one of the two moves the value, even at an end
        slider.first.press("ArrowLeft")
    else:
        widget.locator("input[type=radio]:not(:checked):visible:enabled, input[type=checkbox]:visible:enabled").first.click()


def canvas_pixels(where, selector: str):
    """The RGBA bytes of the canvas at selector in where (a page or frame): (H, W, 4) uint8."""
    import numpy as np  # the browser helpers are also used where numpy is not needed

    d = where.eval_on_selector(selector, js("canvas-bytes"))
    return np.frombuffer(base64.b64decode(d["b64"]), np.uint8).reshape(d["h"], d["w"], 4)
