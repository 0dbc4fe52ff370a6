"""A start-up that fails ends in a message that says what failed and what to try, never in
an endless loading bar; a damaged offline copy heals on the next load."""
from __future__ import annotations

import contextlib
import json

import pytest
from playwright.sync_api import expect

import build
from tests.browser import CHROMIUM_ARGS, fresh_page, js, module, serve_dist, wait_ready, warm_page
from tests.test_offline_browser import precache_done

ERROR_TIMEOUT_MS = 100_000  # above the watchdog's 75 s: most failures are told far sooner
LABEL = "#runtime-label"


@contextlib.contextmanager
def start_with(browser, base_url, pattern, handler):
    """The lesson, with the files matching pattern served by handler; yields the status line
    once the page reports the failure."""
    def faulty(page):
        # Playwright's routes do not reach a SharedWorker's requests: the faults go to a dedicated worker.
        page.add_init_script("delete window.SharedWorker;")
        page.context.route(pattern, handler)

    def failed(page):
        page.wait_for_selector("html[data-runtime=error]", timeout=ERROR_TIMEOUT_MS)
        expect(page.locator("#runtime-progress")).to_be_hidden()
        expect(page.locator("#llm-h")).to_be_visible()  # the text of the lesson is still there

    with fresh_page(browser, base_url, failed, faulty, service_workers="block") as page:
        yield page.locator(LABEL)


@pytest.mark.parametrize("status, says", [
    (200, "Your site served a web page (text/html) in place of pyodide/pyodide.asm.wasm, perhaps a sign-in or error "
          "page. Ask the site's admin to serve the lesson's files as they are, .wasm files as application/wasm."),
    (404, 'Your site answered "not found" (HTTP 404) for pyodide/pyodide.asm.wasm. Ask the site\'s admin to upload '
          "the lesson again, with every file of its folder."),
])
def test_a_page_in_place_of_the_wasm_file_is_explained(browser, base_url, status, says):
    """A sign-in page, or a host's "not found" page: the message names the file, what came, and
    what the site's admin must change."""
    sign_in = lambda route: route.fulfill(  # noqa: E731
        status=status, content_type="text/html", body="<!doctype html><title>Sign in</title><p>Please sign in")
    with start_with(browser, base_url, "**/pyodide/pyodide.asm.wasm", sign_in) as label:
        expect(label).to_contain_text(says)
        expect(label.page.locator("#runtime-restart")).to_be_visible()


def test_a_host_policy_without_wasm_unsafe_eval_is_explained(browser, base_url):
    """A worker takes its policy from its own response headers: a host that forbids WebAssembly there."""
    def strict(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "default-src 'self'; script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    with start_with(browser, base_url, "**/worker.js?build=*", strict) as label:  # (its address names its build)
        expect(label).to_contain_text("wasm-unsafe-eval")
        # The handout still prints the lesson's text, and says why its live pictures are missing.
        page = label.page
        page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
        page.get_by_role("button", name="Print a handout").click()
        expect(page.locator("#print-note")).to_have_text("Python is not ready, so the handout has the lesson's text "
                                                         "without its live pictures. Print again once Python is ready.")
        assert page.evaluate("() => window.printed") == 1


def test_a_damaged_module_is_reported_instead_of_loading_for_ever(browser, base_url):
    broken = lambda route: route.fulfill(  # noqa: E731
        status=200, content_type="text/javascript", body="export function mountLlm( {{ this is not JavaScript")
    with start_with(browser, base_url, "**/" + module("llm"), broken) as label:
        expect(label).to_contain_text("could not start")
        expect(label).to_contain_text(module("llm"))


def test_a_module_lost_on_the_way_is_fetched_again_by_one_reload(browser, base_url):
    """A request for one of the lesson's modules that the browser gives up on (seen under load,
    2026-12-06) fails the whole module graph: the page loads itself again, once, and starts."""
    lost = []

    def once(route):
        if lost:
            return route.continue_()
        lost.append(route.request.url)
        route.abort()

    before = lambda page: page.context.route("**/" + module("ui"), once)  # noqa: E731 (main.js imports it)
    with fresh_page(browser, base_url, wait_ready, before, service_workers="block") as page:
        assert len(lost) == 1
        assert page.evaluate("() => performance.getEntriesByType('navigation')[0].type") == "reload"
        assert page.evaluate("() => genlab.errors") == []


def test_a_module_that_never_arrives_is_said_after_one_reload(browser, base_url):
    loads = []

    def before(page):
        page.context.route("**/" + module("ui"), lambda route: route.abort())
        page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    failed = lambda page: page.wait_for_selector("html[data-runtime=error]", timeout=ERROR_TIMEOUT_MS)  # noqa: E731
    with fresh_page(browser, base_url, failed, before, service_workers="block") as page:
        expect(page.locator(LABEL)).to_contain_text("The lesson's scripts could not start (app/main.js did not load)")
        page.wait_for_timeout(1000)
        assert len(loads) == 2  # the first load and one reload, no more
        expect(page.locator("#llm-h")).to_be_visible()  # the text of the lesson is still there


def test_a_worker_that_dies_silently_is_caught_by_the_watchdog(warm, base_url):
    with warm_page(warm, base_url) as page:  # (silent to this page only: it closes its port)
        for _ in range(200):  # no call of the widgets in flight: the next one starts the count
            if page.evaluate("() => genlab.runtime.pending.size") == 0:
                break
            page.wait_for_timeout(100)
        page.evaluate(js("silence-the-worker"), 2000)
        page.wait_for_selector("html[data-runtime=error]", timeout=15_000)
        expect(page.locator(LABEL)).to_contain_text("stopped answering")
        page.evaluate("() => { genlab.runtime.stallMs = 75000; }")  # a start shows a sign of life every few seconds
        page.locator("#runtime-restart").click()
        wait_ready(page)


def test_a_damaged_cached_file_is_fetched_again(browser):
    with serve_dist("heal/") as url:
        with fresh_page(browser, url) as page:
            precache_done(page)
            damaged = page.evaluate(js("damage-cached-file"), [module("ui"), "export const broken = (;"])
            assert damaged < 40
            page.reload()
            wait_ready(page)  # the damaged copy was not used
            healed = page.evaluate(js("cached-text"), module("ui"))
            assert healed == (build.DIST / module("ui")).read_text()
            facts = json.loads((build.DIST / "build.json").read_text())
            assert set(facts["sha256"]) >= set(facts["files"]) - {"worker.js", "sw.js", "build.json"}


def test_a_page_without_scripts_shows_its_noscript_text(browser, base_url):
    """Scripts off (as in a frame sandboxed without allow-scripts): the noscript text, not a
    loading bar. A browser of its own: Playwright's switch stops scripts but still parses the
    page as if they ran, so it would never show a noscript element."""
    quiet = browser.browser_type.launch(executable_path=build.find_chromium(),
                                        args=CHROMIUM_ARGS + ["--blink-settings=scriptEnabled=false"])
    page = quiet.new_page()
    page.goto(base_url + "?embed=llm")
    assert "live models need JavaScript" in page.locator("header").inner_text()
    expect(page.locator("#runtime")).to_be_hidden()  # no loading bar that would never move
    expect(page.locator("#llm-h")).to_be_visible()
    quiet.close()
