"""GenLab starts on hosts whose file types are not ours: an LMS that serves a package's files with
the types of its own registry (Moodle 4.5), and a server whose type map predates .mjs and .wasm.
Each copy (the site, the single file, both SCORM packages) is served below a deep path, starts,
and answers a real call. Where a host still breaks the start, the page names the file, the type it
came with and what the host's admin must change."""
from __future__ import annotations

import contextlib
import posixpath
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

import build
from tests.browser import READY_TIMEOUT_MS, PlainHandler, fresh_page, js, loaded, module, open_page, serving, wait_ready

DEEP = "mod/scorm/pluginfile/42/content/3/"  # where an LMS unpacks a package, roughly

# What Moodle 4.5 sends, measured: its own file-type registry, fixed when the zip is unpacked.
MOODLE = {".mjs": "text/plain", ".wasm": "application/octet-stream", ".whl": "application/zip",
          ".js": "application/x-javascript", ".html": "text/html", ".json": "application/json",
          ".zip": "application/zip", ".bin": "application/octet-stream", ".css": "text/css",
          ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain", ".xml": "application/xml",
          ".xsd": "application/xml"}
# An older nginx or Apache map: right for everything it knows, but it knows neither .mjs nor .wasm.
OLD = {**build.MIME, ".mjs": "application/octet-stream", ".wasm": "application/octet-stream"}


def host_handler(types: dict[str, str], wrong: dict[str, str] | None = None):
    """A handler that types files by extension from `types` (unknown: application/octet-stream);
    `wrong` maps a path ending to the type that one file gets. As an LMS, it sends no policy of
    GenLab's (the single file's inline scripts would be refused), but forbids type sniffing, and
    has no index page for a folder."""
    class Host(PlainHandler):
        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def send_head(self):  # no index page for a folder: Moodle answers a package's folder with 404
            if self.path.split("?")[0].endswith("/"):
                self.send_error(404)
                return None
            return super().send_head()

        def guess_type(self, path):
            for ending, kind in (wrong or {}).items():
                if path.endswith(ending):
                    return kind
            return types.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
    return Host


@contextlib.contextmanager
def hosted(folder: Path, handler_class, page: str = "index.html"):
    """folder served below DEEP; yields the page's URL."""
    root = Path(tempfile.mkdtemp(prefix="genlab-hosts."))
    (root / DEEP).parent.mkdir(parents=True)
    (root / DEEP).symlink_to(folder, target_is_directory=True)
    try:
        with serving(root, handler_class) as url:
            yield url + DEEP + page
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The copies a teacher may put on a host besides the site, as folders: {name: (folder, page)}."""
    out = tmp_path_factory.mktemp("copies")
    single = build.build_single(out_dir=out)
    found = {"single": (out, single.name)}
    for edition in ("12", "2004"):
        with zipfile.ZipFile(build.build_scorm(out_dir=out, edition=edition)) as zf:
            zf.extractall(out / f"scorm{edition}")
        found[f"scorm{edition}"] = (out / f"scorm{edition}", "index.html")
    return found


@contextlib.contextmanager
def started(browser, url: str):
    """A fresh context's page at url, once Python is ready and has answered the LLM section
    without a script error; yields the page."""
    errors = []

    def started_or_said_why(page):
        page.wait_for_selector("html[data-runtime=ready], html[data-runtime=error]", timeout=READY_TIMEOUT_MS)
        assert page.locator("html[data-runtime=ready]").count(), page.locator("#runtime-label").inner_text()
        wait_ready(page)

    with fresh_page(browser, url, started_or_said_why, lambda page: page.on("pageerror", lambda e: errors.append(str(e)))) as page:
        assert errors == []
        yield page


def controlled(page) -> None:
    """Waits until the service worker, which keeps every file of the build before it takes over,
    controls the page."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    for _ in range(READY_TIMEOUT_MS // 500):
        if page.evaluate(js("sw-controls-page")):
            return
        page.wait_for_timeout(500)
    raise AssertionError("the service worker did not take over")


# The site itself is started on both hosts by test_a_second_visit_served_by_the_service_worker_starts.
# Both packages hold the site's files as they are (only their manifests differ, which no page
# reads): each package is started once, each on one of the hosts, which checks what it holds.
# The single file holds every other file inside and fetches none, so only its page's type counts:
# the older map adds nothing there.
@pytest.mark.parametrize("copy, host", [("scorm12", "moodle"), ("scorm2004", "old"), ("single", "moodle")])
def test_every_copy_starts_and_works_on_a_host_with_other_types(browser, copies, copy, host):
    folder, page_name = copies[copy]
    with hosted(folder, host_handler(MOODLE if host == "moodle" else OLD), page_name) as url:
        with started(browser, url):  # started, and the LLM section's bars came from Python
            pass


@pytest.mark.parametrize("host", ["moodle", "old"])
def test_a_second_visit_served_by_the_service_worker_starts(browser, host):
    """The site starts on the host; the service worker keeps what the host sent, each file with a
    type the browser accepts (a wasm kept as application/octet-stream would stop every later
    start); the next visit starts from those copies."""
    with hosted(build.DIST, host_handler(MOODLE if host == "moodle" else OLD)) as url, started(browser, url) as page:
        controlled(page)
        assert page.evaluate(js("kept-wasm-type")) == "application/wasm"
        page.evaluate(js("damage-and-heal-wasm"))  # the service worker's own copy, not one the Python worker kept
        assert page.evaluate(js("kept-wasm-type")) == "application/wasm"
        first = page.evaluate("() => genlab.runtime.info.worker.id")
        context = page.context
        page.close()
        again = open_page(context, url)
        assert again.evaluate("() => Boolean(navigator.serviceWorker.controller)")
        assert again.evaluate("() => genlab.runtime.info.worker.id") != first  # Python started again


@pytest.mark.parametrize("script", [module("main"), "worker.js", "pyodide/pyodide.module.js", "pyodide/pyodide.asm.js"])
def test_a_script_served_as_text_is_explained_in_plain_words(browser, script):
    """The page's first module, the worker, Pyodide's module (imported by the worker) and its
    runtime (imported by Pyodide): each sent as text/plain, as a host may do."""
    wrong = host_handler(MOODLE, {f"/{script}": "text/plain"})
    with hosted(build.DIST, wrong) as url:
        with fresh_page(browser, url, loaded) as page:
            page.wait_for_selector("html[data-runtime=error]", timeout=READY_TIMEOUT_MS)
            expect(page.locator("#runtime-label")).to_contain_text(
                f"Your site served {script} as text/plain; browsers run scripts only when they come as JavaScript. "
                "Ask the site's admin to serve .js files as text/javascript.")
