"""Offline, hardened: every section after one visit, a clean switch to a new build, and
storage that the browser refuses."""
from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import expect

import build
from tests.browser import (READY_TIMEOUT_MS, fresh_context, fresh_page, js, loaded, module, open_page, python_ready,
                           serve_dist, serving, wait_ready)

def precache_done(page) -> None:
    """Wait until the service worker holds every file of the build."""
    files = json.loads((build.DIST / "build.json").read_text())["files"]
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(js("cache-complete"), arg=len(files), timeout=READY_TIMEOUT_MS)


def use_every_section(page) -> None:
    """One real use of each section's widget, each answered by Python."""
    page.locator('[data-widget="classify"] [data-role=classifier]').focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => genlab.widgets.classify.fit && genlab.widgets.classify.fit.counts[0] === 25")
    page.get_by_role("button", name="Sample one token").click()
    expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("Draw 1 with seed 42")
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    page.locator('[data-widget="gan"] [data-role="step"]').click()
    page.wait_for_function("() => Number(document.querySelector('[data-widget=gan]').dataset.step) === 1")
    for panel in ("forward", "reverse", "guidance"):
        page.locator(f"[data-panel={panel}]").scroll_into_view_if_needed()
    page.wait_for_function("() => { const d = genlab.widgets.diffusion; return d.picture && d.plane && d.digits; }",
                           polling=100, timeout=60_000)
    expect(page.locator('[data-widget="temperature"]')).to_have_attribute("data-state", "ready")
    page.locator("#responsibility").scroll_into_view_if_needed()
    page.wait_for_function("() => genlab.widgets.steer.shown !== null", polling=100)
    quiz = page.locator('[data-widget="quiz"] form.quiz-q').first
    quiz.locator("input[value=b]").check()
    quiz.get_by_role("button", name="Check").click()
    expect(quiz.locator(".quiz-feedback")).to_contain_text("Right")


def test_every_section_works_offline_after_one_visit(browser):
    with fresh_context(browser, viewport={"width": 1100, "height": 900}) as ctx:
        with serve_dist("offline-all/") as url:
            page = open_page(ctx, url)
            precache_done(page)
        ctx.set_offline(True)  # and the server is gone
        page.reload()
        wait_ready(page)
        use_every_section(page)
        embed = open_page(ctx, url + "?embed=gan&gan_target=moons", python_ready)  # a section alone, with its settings, offline too
        embed.wait_for_function("() => genlab.widgets.gan.run !== null")
        assert embed.evaluate("() => genlab.store.get('gan_target')") == "moons"


@contextlib.contextmanager
def switchable_site():
    """Serves one of two folders at the same URL; yields (url, switch(folder))."""
    root = Path(tempfile.mkdtemp(prefix="genlab-builds."))
    link = root / "site"

    def switch(folder: Path) -> None:
        tmp = root / "site.new"
        tmp.symlink_to(folder, target_is_directory=True)
        tmp.replace(link)  # atomic: the server sees one build or the other

    try:
        with serving(root) as url:
            yield url + "site/", switch, root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def make_build_b(folder: Path) -> str:
    """A copy of dist/ that is a different build: new hash, a changed page. Returns its hash."""
    shutil.copytree(build.DIST, folder, symlinks=False)
    old = json.loads((folder / "build.json").read_text())["hash"]
    new = "b" * len(old)
    sha = lambda name: hashlib.sha256((folder / name).read_bytes()).hexdigest()  # noqa: E731
    old_index, old_worker, old_runtime = sha("index.html"), sha("worker.js"), sha(module("runtime"))
    old_start = sha("python-start.js")
    index = folder / "index.html"
    index.write_text(index.read_text().replace("<title>GenLab:", "<title>GenLab (build B):"))
    runtime = folder / module("runtime")  # the page's own idea of its build
    runtime.write_text(runtime.read_text().replace(old, new))
    start = folder / "python-start.js"  # a module the worker imports says which build it is
    start.write_text(start.read_text().replace('"no snapshot saved yet"', '"no snapshot saved yet (build B)"'))

    def rewrite(name, pairs):  # the facts name the build and each file's SHA-256
        path = folder / name
        text = path.read_text()
        for before, after in pairs:
            text = text.replace(before, after)
        path.write_text(text)

    files = [(old, new), (old_index, sha("index.html")), (old_runtime, sha(module("runtime"))),
             (old_start, sha("python-start.js"))]
    for name in ("build.json", "worker.js"):
        rewrite(name, files)
    rewrite("sw.js", [*files, (old_worker, sha("worker.js"))])
    return new


def build_shown(page) -> str:
    expect(page.locator("#build-info")).to_contain_text("Build ", timeout=READY_TIMEOUT_MS)
    return page.locator("#build-info").text_content().split()[1].rstrip(".")


@contextlib.contextmanager
def build_a_kept_then_b_deployed(browser):
    """A tab of this build, its offline copy complete; then build B replaces it on the server.
    Yields (url, context, page, B's hash)."""
    with switchable_site() as (url, switch, root):
        switch(build.DIST)
        with fresh_page(browser, url) as page:
            precache_done(page)
            new_hash = make_build_b(root / "b")
            switch(root / "b")
            yield url, page.context, page, new_hash


def test_a_new_build_replaces_the_cached_one_cleanly(browser):
    old_hash = json.loads((build.DIST / "build.json").read_text())["hash"]
    with build_a_kept_then_b_deployed(browser) as (url, ctx, page, new_hash):
        page.reload()  # the old build's service worker still serves this tab: all of it old
        wait_ready(page)
        assert "build B" not in page.title() and build_shown(page) == old_hash
        page.wait_for_function("async () => (await navigator.serviceWorker.getRegistration())?.waiting != null",
                               timeout=READY_TIMEOUT_MS)
        expect(page.locator("#notices")).to_contain_text("A new version of GenLab has been downloaded")
        page.close()  # the last tab of the old build
        # Wait, from a page of the same origin outside the lesson's scope (so not itself a
        # client of the old build), until the new build's service worker is the active one.
        fresh = open_page(ctx, url.removesuffix("site/"), loaded)
        fresh.wait_for_function(js("only-an-active-worker"), arg=url, timeout=READY_TIMEOUT_MS)
        fresh.goto(url)
        wait_ready(fresh)
        assert "build B" in fresh.title() and build_shown(fresh) == new_hash  # page and worker agree
        caches = fresh.evaluate("() => caches.keys()")
        assert len(caches) == 1 and caches[0].endswith(new_hash)  # the old build's cache is gone


def test_a_hard_reload_during_an_upgrade_runs_on_the_new_build_only(browser):
    """Shift+Reload after a new build was deployed: the page comes from the network (build B), but
    the old build's service worker still serves a shared worker's script from its offline copy.
    The page must not run on that worker: it checks the build on connecting and gets its own."""
    old_hash = json.loads((build.DIST / "build.json").read_text())["hash"]
    with build_a_kept_then_b_deployed(browser) as (url, ctx, page, new_hash):
        ctx.new_cdp_session(page).send("Page.reload", {"ignoreCache": True})  # Shift+Reload
        page.wait_for_function("() => document.title.includes('build B')", timeout=READY_TIMEOUT_MS)
        wait_ready(page)
        info = page.evaluate("() => genlab.runtime.info")
        assert (info["build"], build_shown(page)) == (new_hash, new_hash), (info["build"], old_hash)
        assert info["worker"]["shared"]  # B's own shared worker, its files from the network:
        assert info["start"]["reason"].endswith("(build B)")  # the modules it imports too
        page.get_by_role("button", name="Sample one token").click()
        expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("Draw 1 with seed 42")
        assert page.evaluate("() => genlab.errors") == []


def test_a_page_never_runs_on_a_worker_of_another_build(browser, base_url):
    """Whatever serves a worker of another build (an older build's service worker lacks the rule
    above), the page notices on connecting: it leaves that worker and says to reload."""
    real = json.loads((build.DIST / "build.json").read_text())["hash"]

    def other_build(route):  # the page believes it is another build than every worker here
        body = route.fetch().text().replace(f'"{real}"', '"cccccccccccccccc"')
        route.fulfill(body=body, headers={"content-type": "text/javascript"})

    def replaced(page):
        page.context.route("**/" + module("runtime"), other_build)

    with fresh_page(browser, base_url + "?embed=llm", loaded, replaced) as page:
        expect(page.locator("html")).to_have_attribute("data-runtime", "error", timeout=READY_TIMEOUT_MS)
        expect(page.locator("body")).to_contain_text("come from two versions of GenLab")
        expect(page.locator("body")).to_contain_text("Reload the page")
        assert page.evaluate("() => genlab.runtime.info") is None  # no worker of the other build answered


def test_too_little_storage_is_said_once_and_leaves_no_partial_copy(browser, base_url):
    """A site given 5 MiB of storage before its first visit: the lesson works online, says once why
    it keeps no offline copy, keeps no part of one, and reports the saved start as refused."""
    def small_quota(page):  # and a record of what the service worker says
        page.add_init_script("navigator.serviceWorker.addEventListener('message', (e) => (window.swSaid ||= []).push(e.data))")
        origin = base_url.split("/course/")[0]
        page.context.new_cdp_session(page).send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": 5 * 1024 * 1024})

    with fresh_page(browser, base_url, before=small_quota) as page:
        notice = page.locator("#notices .notice", has_text="Not enough storage for an offline copy")
        expect(notice).to_have_count(1, timeout=READY_TIMEOUT_MS)
        expect(notice).to_contain_text("works while online")
        page.wait_for_function("() => genlab.runtime.info.start.saved !== undefined", timeout=READY_TIMEOUT_MS)
        assert page.evaluate("() => genlab.runtime.info.start.saved") == {"kept": False, "full": True, "reason": "not enough storage"}
        said = page.wait_for_function("() => window.swSaid && window.swSaid[0]", timeout=READY_TIMEOUT_MS).json_value()
        assert said["type"] == "genlab:no-offline-copy" and said["full"], said  # the service worker's install gave up
        page.wait_for_timeout(1000)  # the worker's own copies of what Python downloaded would be put by now
        assert page.evaluate("() => caches.keys()") == []  # no part of a copy
        expect(page.locator("#notices .notice", has_text="Not enough storage")).to_have_count(1)
        page.get_by_role("button", name="Sample one token").click()
        expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("Draw 1 with seed 42")
        assert page.evaluate("() => genlab.errors") == []


def test_refused_storage_degrades_to_online_only_with_a_note(browser, base_url):
    """Private modes refuse service workers and storage to the page; the worker's own cache
    writes are caught too (worker.js). The lesson then works online, and says why not offline."""
    errors = []

    def private(page):
        page.add_init_script(js("refuse-storage"))
        page.on("pageerror", lambda e: errors.append(str(e)))

    with fresh_page(browser, base_url, before=private) as page:
        expect(page.locator("#notices")).to_contain_text("refused to keep an offline copy")
        expect(page.locator("#notices")).to_contain_text("works while online")
        page.get_by_role("button", name="Sample one token").click()
        expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("Draw 1 with seed 42")
        expect(page.locator("nav.toc [data-role=progress]")).to_have_text("Tried 1 of 7 sections")  # the click tried section 2
        assert errors == []


def test_the_worker_keeps_what_python_downloaded_once_it_is_ready(browser):
    """Python's start downloads 17 MB; the worker keeps those files in the offline cache itself
    (once Python is ready), so the service worker's precache need not fetch them again. Here no
    service worker may run: whatever is in the cache, the worker put there."""
    facts = json.loads((build.DIST / "build.json").read_text())
    names = [n for n in facts["sizes"] if n.startswith("pyodide/")
             and n not in ("pyodide/pyodide.module.js", "pyodide/pyodide.asm.js")] + [facts["wheel"], facts["bytecode"]]
    assert "pyodide/pyodide.asm.wasm" in names and len(names) == 6, names
    with serve_dist("kept/") as url, fresh_page(browser, url, service_workers="block") as page:
        for _ in range(60):
            if page.evaluate(js("cached-files"), [names, facts["hash"], facts["sha256"]]):
                break
            page.wait_for_timeout(500)
        else:
            raise AssertionError(f"the worker did not keep {names} within 30 s of ready")
