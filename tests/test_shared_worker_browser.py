"""One Python per browser: every GenLab page, embed and tab of one site and build joins one
SharedWorker. Each page's replies and runs stay its own and are freed when it goes; a fatal
error and a restart reach every page; pages take turns; without a SharedWorker (forced here by
an init script) each page starts a worker of its own and gets the same results."""
from __future__ import annotations

import json
import time

from playwright.sync_api import expect

from genlab import api

import build
from tests.browser import (SUBPATH, embeds_page, fresh_context, fresh_page, js, loaded, module, open_page, python_ready,
                           section_frames, serve_dist_with, warm_page)

NO_SHARED_WORKER = "delete window.SharedWorker;"  # a browser without one
SECTIONS = ["llm", "gan", "diffusion"]


def worker(where) -> dict:
    return where.evaluate("() => genlab.runtime.info.worker")


def status(where) -> dict:
    return where.evaluate("() => genlab.runtime.status()")


def call(where, fn: str, args: dict):
    """genlab.runtime.call from this page: the result, or {"error": message}."""
    return where.evaluate("([fn, args]) => genlab.runtime.call(fn, args).catch((e) => ({error: e.message}))", [fn, args])


def wait_status(where, test, timeout_s: float = 20) -> dict:
    """Polls the page's status until test(status) holds; returns that status."""
    deadline = time.monotonic() + timeout_s
    while not test(seen := status(where)):
        assert time.monotonic() < deadline, f"the worker's status stayed {seen}"
        where.wait_for_timeout(200)
    return seen


def test_tabs_of_one_build_share_one_python_and_another_build_does_not(browser, base_url):
    with fresh_context(browser, service_workers="block") as ctx:  # the route below must see runtime.js
        first = open_page(ctx, base_url, python_ready)
        second = open_page(ctx, base_url + "?embed=llm&t=1.5", python_ready)
        a, b = worker(first), worker(second)
        assert a["shared"] and b["shared"] and a["reason"] is None
        assert a["id"] == b["id"] and a["page"] != b["page"] and a["generation"] == b["generation"] == 1
        assert status(second)["pages"] == 2
        # One start, told to both: the second page did not start Python again.
        assert second.evaluate("() => genlab.runtime.info.bootMs") == first.evaluate("() => genlab.runtime.info.bootMs")
        # A page of another build names another shared worker, and starts its own Python.
        build_hash = json.loads((build.DIST / "build.json").read_text())["hash"]

        def other_build(route):
            response = route.fetch()
            assert build_hash in response.text()
            route.fulfill(response=response, body=response.text().replace(build_hash, "0" * 16))

        # The other build's worker too (its address names its build), since a page leaves a worker
        # of another build than its own.
        ctx.route(f"**/worker.js?build={'0' * 16}", other_build)
        other = open_page(ctx, base_url + "?embed=llm", python_ready, lambda page: page.route("**/" + module("runtime"), other_build))
        c = worker(other)
        assert c["shared"] and c["id"] != a["id"] and c["page"] == 1
        assert status(first)["pages"] == 2


def test_a_course_page_with_three_embeds_starts_python_once(browser):
    with serve_dist_with({"course.html": embeds_page(SUBPATH, SECTIONS)}) as (root, _), \
            fresh_page(browser, root + "course.html", loaded, viewport={"width": 1000, "height": 800}) as page:
        frames = section_frames(page, SECTIONS)
        for frame in frames.values():
            python_ready(frame)
        seen = [worker(frame) for frame in frames.values()]
        assert len({w["id"] for w in seen}) == 1 and all(w["shared"] for w in seen)
        assert sorted(w["page"] for w in seen) == [1, 2, 3]
        assert status(frames["llm"])["pages"] == 3
        # Each frame's section works from the one interpreter.
        expect(frames["llm"].locator('[data-widget="llm"] .bars li').first).to_be_attached()
        frames["gan"].wait_for_function("() => genlab.widgets.gan.run !== null")
        # The GAN frame holds exactly two runs of each owner (the most one owner keeps) and two
        # diffusion runs; removing the frame frees them all, and nothing of the other frames.
        for owner in ("gan", "gan", "diffusion-live", "diffusion-live"):
            assert "run" in call(frames["gan"], "gan_start", {"owner": owner})
        for _ in range(2):
            assert "run" in call(frames["gan"], "diffusion_train_start", {"shape": "moons"})
        before = status(frames["llm"])
        page.evaluate("() => document.querySelector('iframe[data-section=gan]').remove()")
        after = wait_status(frames["llm"], lambda s: s["pages"] == 2)
        assert after["live"] == {"gan": before["live"]["gan"] - 4, "diffusion": before["live"]["diffusion"] - 2}
        assert status(frames["diffusion"])["pages"] == 2


def test_replies_and_runs_stay_with_the_page_that_asked(browser, base_url):
    with fresh_context(browser) as ctx:
        a = open_page(ctx, base_url + "?embed=llm", python_ready)
        b = open_page(ctx, base_url + "?embed=llm", python_ready)
        assert worker(a)["id"] == worker(b)["id"]
        # Both pages number their requests 1, 2, 3…: asked at once, each gets its own answers.
        a.evaluate(js("ask-llm-at-once"), ["apple", 12])
        b.evaluate(js("ask-llm-at-once"), ["river", 12])
        a_answers, b_answers = (p.evaluate("() => window.answers") for p in (a, b))
        first = {w: api.llm_distribution(w, 1.0)["tokens"][0]["token"] for w in ("apple", "river")}  # "a", "ri"
        assert first["apple"] != first["river"]
        assert a_answers == [[first["apple"], 0.5 + i / 10] for i in range(12)]
        assert b_answers == [[first["river"], 0.5 + i / 10] for i in range(12)]
        # Run ids are per page: B's numbers never reach A's runs.
        mine = call(b, "gan_start", {"owner": "gan"})["run"]
        theirs = call(a, "gan_start", {"owner": "gan"})["run"]
        while theirs <= mine:
            theirs = call(a, "gan_start", {"owner": "gan"})["run"]
        assert "unknown or expired" in call(b, "gan_train", {"run": theirs, "steps": 1})["error"]
        # B's own limits (two runs per owner) and B's restart never touch A's runs.
        for _ in range(3):
            call(b, "gan_start", {"owner": "gan"})
        b.evaluate("() => genlab.runtime.restart()")
        python_ready(b)
        assert worker(b)["generation"] == 1  # Python was alive: B only joined again
        assert call(a, "gan_train", {"run": theirs, "steps": 2, "view": False})["step"] == 2
        # A learner's picture is the page's own.
        for page, (width, height) in ((a, (3, 2)), (b, (5, 4))):
            page.evaluate("""([width, height]) => genlab.runtime.call('diffusion_image',
                {pixels: new Uint8Array(width * height * 4).fill(200), width, height})""", [width, height])
        assert call(a, "diffusion_forward", {"t": 0})["image"]["shape"] == [2, 3, 4]
        assert call(b, "diffusion_forward", {"t": 0})["image"]["shape"] == [4, 5, 4]


def test_a_page_that_goes_silent_has_its_runs_freed(browser, base_url):
    """No pagehide (a crashed or frozen tab): the page stops pinging, and its runs are freed."""
    with fresh_context(browser) as ctx:
        a = open_page(ctx, base_url + "?embed=llm", python_ready)
        b = open_page(ctx, base_url + "?embed=llm", python_ready)
        a.evaluate("() => { genlab.runtime.heartbeatMs = 200; }")  # gone after 12 pings missed: 2.4 s
        run = call(a, "diffusion_train_start", {"shape": "ring"})["run"]
        held = status(b)["live"]["diffusion"]
        assert held >= 1
        a.evaluate("() => { genlab.runtime.heartbeatMs = 0; }")  # silence
        wait_status(b, lambda s: s["pages"] == 1 and s["live"]["diffusion"] == held - 1)
        # Back again, the page gets a fresh copy: its old run is gone, and it says so.
        answer = call(a, "diffusion_train", {"run": run, "steps": 1})
        assert "unknown or expired" in answer.get("error", ""), answer
        assert status(b)["pages"] == 2  # it joined again


def test_a_fatal_error_and_the_restart_reach_every_page(browser, base_url):
    with fresh_context(browser) as ctx:
        a = open_page(ctx, base_url, python_ready)
        b = open_page(ctx, base_url + "?embed=llm", python_ready)
        first = worker(a)
        a.evaluate("() => genlab.runtime.crash()")
        for page in (a, b):
            page.wait_for_selector("html[data-runtime=error]", state="attached")
            expect(page.locator("#runtime-label")).to_contain_text("stopped unexpectedly")
            expect(page.locator("#runtime-restart")).to_be_visible()
        assert "not running" in call(b, "info", {})["error"]
        b.locator("#runtime-restart").click()  # from either page: both see Python start again
        for page in (a, b):
            python_ready(page)
            assert worker(page)["generation"] == 2 and worker(page)["id"] == first["id"]
        expect(a.locator("#runtime-restart")).to_be_hidden()
        assert call(a, "llm_distribution", {"context": "the", "temperature": 1, "top_k": 2})["tokens"][0]["token"] == "the"


def test_pages_take_turns_so_a_queue_of_training_never_starves_another_page(browser, base_url):
    with fresh_context(browser) as ctx:
        a = open_page(ctx, base_url + "?embed=llm", python_ready)
        b = open_page(ctx, base_url + "?embed=llm", python_ready)
        a.evaluate(js("queue-gan-training"), [30, 100])  # 30 training calls of 100 ms, queued at once
        b.evaluate("() => genlab.runtime.call('llm_distribution', {context: 'a', temperature: 1, top_k: 1})")
        a.evaluate("() => window.training")
        a_turns = [c["turn"] for c in a.evaluate("() => genlab.runtime.recent") if c["fn"] == "gan_train"]
        b_turn = b.evaluate("() => genlab.runtime.recent.at(-1).turn")
        assert len(a_turns) == 30
        assert b_turn < max(a_turns)  # answered while A's queue was still long
        assert b_turn <= min(t for t in a_turns if t > b_turn - 3) + 2  # after at most a call or two of A's


def test_a_training_call_gets_a_short_slice_while_another_page_uses_python(browser, base_url):
    with fresh_context(browser) as ctx:
        a = open_page(ctx, base_url + "?embed=gan", python_ready)
        b = open_page(ctx, base_url + "?embed=llm", python_ready)
        timing = a.evaluate(js("module-values"), [module("protocol"), ["SHARED_SLICE_MS", "ACTIVE_WITHIN_MS"]])
        slice_ms, within_ms = timing["SHARED_SLICE_MS"], timing["ACTIVE_WITHIN_MS"]
        run = call(a, "gan_start", {"owner": "gan"})["run"]
        # Once the other page has been quiet for a while, a training call gets the time it asked for.
        a.wait_for_timeout(within_ms)
        deadline = time.monotonic() + 30
        while (given := a.evaluate(js("gan-train-budget-given"), [run, 4 * slice_ms])) != 4 * slice_ms:
            assert time.monotonic() < deadline, f"page A's training calls stayed sliced ({given} ms)"
            a.wait_for_timeout(200)
        # The other page asks for something: A's next training call gets a short slice.
        call(b, "llm_distribution", {"context": "the cat", "temperature": 1})
        assert a.evaluate(js("gan-train-budget-given"), [run, 4 * slice_ms]) == slice_ms
        assert a.evaluate(js("gan-train-budget-given"), [run, slice_ms // 2]) == slice_ms // 2  # a shorter wish is kept


def test_without_a_shared_worker_each_page_has_its_own_with_the_same_results(browser, warm, base_url):
    with warm_page(warm, base_url + "?embed=llm", python_ready) as shared:  # (the session's shared worker)
        assert worker(shared)["shared"]
        expected = shared.evaluate(js("same-calls"))

    with fresh_context(browser) as ctx:
        ctx.add_init_script(NO_SHARED_WORKER)
        a = open_page(ctx, base_url + "?embed=llm", python_ready)
        b = open_page(ctx, base_url, python_ready)
        for page in (a, b):
            w = worker(page)
            assert not w["shared"] and w["reason"] == "this browser has no SharedWorker" and w["page"] == 1
        assert worker(a)["id"] != worker(b)["id"]
        s = status(b)
        assert (s["shared"], s["pages"]) == (False, 1)
        assert a.evaluate(js("same-calls")) == expected  # byte for byte, arrays included
        # A crash ends only that page's worker; its restart makes a new one.
        a.evaluate("() => genlab.runtime.crash()")
        a.wait_for_selector("html[data-runtime=error]", state="attached")
        expect(a.locator("#runtime-label")).to_contain_text("stopped unexpectedly")
        assert call(b, "info", {})["python"].startswith("3.")
        old = worker(a)["id"]
        a.locator("#runtime-restart").click()
        python_ready(a)
        assert worker(a)["id"] != old and not worker(a)["shared"]
