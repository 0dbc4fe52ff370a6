"""The lesson in a real Chromium, served from dist/ below a sub-path on 127.0.0.1.

Numbers the page shows are compared with genlab.api computed here under CPython:
the same functions, the same seeds, so the same answers.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from genlab import api
from tests.browser import ForeignRequests, fresh_context, js, loaded, module, open_page, wait_ready, warm_page

CONTEXT = "the weather today is"


@pytest.fixture
def context(browser, base_url):
    with fresh_context(browser) as ctx:
        foreign = ForeignRequests(ctx, base_url)
        yield ctx
    assert foreign.seen == [], f"requests left the origin: {foreign.seen}"


@pytest.fixture(scope="module")
def lesson(warm, base_url):
    """The session's warm context, every request of this module's pages watched."""
    foreign = ForeignRequests(warm, base_url)
    yield warm
    warm.remove_listener("request", foreign.saw)
    assert foreign.seen == [], f"requests left the origin: {foreign.seen}"


@pytest.fixture
def page(lesson, base_url):
    with warm_page(lesson, base_url) as page:
        yield page


def bars(page, root='[data-widget="llm"]'):
    """[(token, prob)] as the page shows them."""
    return page.eval_on_selector_all(
        f"{root} .bars li", "rows => rows.map(r => [r.dataset.token, Number(r.dataset.prob)])")


def set_slider(page, value: float) -> None:
    before = bars(page)
    page.locator('[data-widget="llm"] [data-role="t"]').fill(str(value))
    expect(page.locator('[data-widget="llm"] [data-role="t-out"]')).to_have_text(f"{value:.2f}")
    page.wait_for_function(
        "(before) => JSON.stringify([...document.querySelectorAll('[data-widget=llm] .bars li')]"
        ".map(r => [r.dataset.token, Number(r.dataset.prob)])) !== before",
        arg=json.dumps(before, separators=(",", ":")))  # JSON.stringify's spacing, or it never matches


def test_page_is_readable_before_python_and_becomes_ready(context, base_url):
    page = open_page(context, base_url, loaded, wait_until="domcontentloaded")
    expect(page.locator("html")).to_have_attribute("data-runtime", "loading")
    expect(page.locator("#llm-h")).to_be_visible()
    expect(page.locator('[data-widget="llm"] [data-role="context"]')).to_be_visible()
    expect(page.locator("#runtime-label")).to_contain_text(re.compile("Python|Installing|Waking"))
    wait_ready(page)
    expect(page.locator('[data-widget="llm"]')).to_have_attribute("data-state", "ready")
    expect(page.locator('[data-widget="temperature"]')).to_have_attribute("data-state", "ready")
    expect(page.locator('[data-widget="llm"] [data-role="sample"]')).to_be_enabled()
    assert len(bars(page)) == 10


def test_bars_match_cpython_and_follow_the_slider(page):
    shown = bars(page)
    expected = api.llm_distribution(CONTEXT, 0.8, 10)["top"]
    assert [w for w, _ in shown] == [r["token"] for r in expected]
    assert [p for _, p in shown] == pytest.approx([r["prob"] for r in expected], abs=1e-5)  # float32 weights: the last bits may differ
    for t in (0.3, 1.7):
        set_slider(page, t)
        expected = api.llm_distribution(CONTEXT, t, 10)
        shown = bars(page)
        assert [w for w, _ in shown] == [r["token"] for r in expected["top"]]
        assert [p for _, p in shown] == pytest.approx([r["prob"] for r in expected["top"]], abs=1e-5)  # float32 weights: the last bits may differ
        entropy = page.locator('[data-widget="llm"] [data-role="entropy"]').text_content()
        assert f"{expected['entropy_bits']:.2f} bits" in entropy
    expect(page).to_have_url(re.compile(r"t=1\.7"))


def test_whole_distribution_chart_is_drawn_and_follows_t(page):
    """The cumulative curve of every token's probability: its caption says how many of the best
    tokens hold 90%, worked out here from CPython's probabilities; more of them at a higher T."""
    assert page.evaluate(js("llm-tail-ink")) > 0
    caption = page.locator('[data-widget="llm"] [data-role="tail-caption"]')
    vocab = api.info()["llm"]["vocab_size"]
    needed = []
    for t in (0.8, 2.0):
        if t != 0.8:
            set_slider(page, t)
        sums = np.cumsum(api.llm_distribution(CONTEXT, t, 10)["sorted_probs"].astype(np.float64))
        needed.append(int(np.argmax(sums >= 0.9 - 1e-9)) + 1)
        words = "the favourite alone holds 90%" if needed[-1] == 1 else f"it takes the best {needed[-1]:,} to hold 90%"
        expect(caption).to_contain_text(words)
        expect(caption).to_contain_text(f"All {vocab:,} tokens")
    assert needed[0] < needed[1]


def test_sample_sample100_and_generate_match_cpython(page):
    llm = page.locator('[data-widget="llm"]')
    llm.get_by_role("button", name="Sample one token").click()
    first = api.llm_sample(CONTEXT, 0.8, 42, 0)
    expect(llm.locator('[data-role="result"]')).to_contain_text("Draw 1 with seed 42 at T = 0.8: ")
    expect(llm.locator('[data-role="result"]')).to_have_attribute("data-token", first["token"])
    expect(llm.locator('.bars li.drawn')).to_have_count(1 if first["token"] in dict(bars(page)) else 0)

    llm.get_by_role("button", name="Sample 100").click()
    expect(llm.locator('[data-role="result"]')).to_contain_text("100 draws")
    observed = json.loads(llm.get_attribute("data-observed"))
    assert observed == api.llm_sample_many(CONTEXT, 0.8, 42, 100, 0, rows=10)["counts"]
    expect(llm.locator(".bars .bar.observed")).to_have_count(10)

    llm.get_by_role("button", name="Generate 12 tokens").click()
    expect(llm.locator('[data-role="steps"] li')).to_have_count(12, timeout=20_000)
    page.wait_for_function("() => document.querySelector('[data-widget=llm]').dataset.generated")
    expected = api.llm_generate(CONTEXT, 0.8, 42, 12)["text"]
    assert llm.get_attribute("data-generated") == expected


def test_same_seed_gives_the_same_sequence(page):
    page.emulate_media(reduced_motion="reduce")  # the same tokens, at once (the test above animates)
    llm = page.locator('[data-widget="llm"]')
    seed = llm.locator('[data-role="seed"]')

    def generate(value):
        seed.fill(str(value))
        seed.press("Enter")
        seed.blur()
        page.evaluate("document.querySelector('[data-widget=llm]').dataset.generated = ''")
        llm.get_by_role("button", name="Generate 12 tokens").click()
        page.wait_for_function("() => document.querySelector('[data-widget=llm]').dataset.generated")
        return llm.get_attribute("data-generated")

    assert generate(7) == generate(7)
    assert generate(7) != generate(8)
    expect(page).to_have_url(re.compile(r"seed=8"))


def test_python_error_shows_in_the_widget_and_the_page_recovers(page):
    page.evaluate("genlab.widgets.llm.distribution({context: 'hello', temperature: -1, rows: 10})")
    llm = page.locator('[data-widget="llm"]')
    expect(llm).to_have_attribute("data-state", "error")
    expect(llm.locator('[data-role="status"]')).to_contain_text(
        "ValueError: temperature must be a number from 0 to 10")
    expect(page.locator('[data-widget="temperature"]')).to_have_attribute("data-state", "ready")
    set_slider(page, 1.2)  # the widget keeps working
    expect(llm).to_have_attribute("data-state", "ready")


def test_crashed_worker_is_reported_and_restarts(page):
    page.locator('[data-widget="llm"] [data-role="sample"]').focus()
    page.evaluate("genlab.runtime.crash()")
    expect(page.locator("html")).to_have_attribute("data-runtime", "error")
    # The focused button is disabled; keyboard focus stays in the widget, on its status line.
    assert page.evaluate("document.activeElement.dataset.role") == "status"
    expect(page.locator("#runtime-label")).to_contain_text("stopped unexpectedly")
    expect(page.locator('[data-widget="llm"]')).to_have_attribute("data-state", "error")
    page.get_by_role("button", name="Restart Python").click()
    wait_ready(page)
    expect(page.locator('[data-widget="llm"]')).to_have_attribute("data-state", "ready")


def test_a_call_that_waited_gives_back_the_widgets_latest_state(lesson, base_url):
    """After a restart, a widget's two first calls both start while it says "loading"; the one
    that waited behind another section must not put "loading" back once the other drew."""
    with warm_page(lesson, base_url, loaded) as page:  # (the widget and its runtime are the script's own)
        seen = page.evaluate(js("widget-wait-then-ready"), module("ui"))
    assert seen["during"] == seen["waiting"]
    assert seen["after"] == ["ready", "Drawn."]


def test_a_handout_draws_what_asks_to_be_drawn_while_it_waits(lesson, base_url):
    """Print a handout clicked as Python becomes ready: a section that asks to be drawn when near
    only once its presets arrive is drawn too; once the handout is printed, "near" means near again."""
    with warm_page(lesson, base_url, loaded) as page:
        assert page.evaluate(js("near-during-a-handout"), module("ui")) == ["before", "during"]


def test_bad_url_parameters_give_a_message_and_defaults(lesson, base_url):
    with warm_page(lesson, base_url + "?t=hot&seed=-3&context=" + "x" * 300, loaded) as page:
        notice = page.locator(".notice.warn")
        expect(notice).to_contain_text("Temperature “hot” is not a number")
        expect(notice).to_contain_text("Seed -3 is outside 0 to 4294967295")
        expect(notice).to_contain_text("Context is longer than 200 characters")
        wait_ready(page)
        expect(page.locator('[data-widget="llm"] [data-role="t-out"]')).to_have_text("0.80")
        expect(page.locator('[data-widget="llm"] [data-role="seed"]')).to_have_value("42")


def test_url_state_survives_a_reload(page, base_url):
    """The settings do; a typed context stays out of the address (issue 24), so a reload shows the default."""
    context = page.locator('[data-widget="llm"] [data-role="context"]')
    default = context.input_value()
    context.fill("i would like a cup of")
    set_slider(page, 0.4)
    page.wait_for_function("() => location.search.includes('t=0.4')")
    assert "context" not in page.evaluate("() => location.search")
    page.reload()
    wait_ready(page)
    expect(context).to_have_value(default)
    expect(page.locator('[data-widget="llm"] [data-role="t-out"]')).to_have_text("0.40")
    assert bars(page)[0][0] == api.llm_distribution(default, 0.4, 10)["top"][0]["token"]


def test_no_request_leaves_the_origin(context, base_url):
    # Playwright does not report a SharedWorker's requests: this page starts its own worker, whose
    # requests it sees (the shared worker fetches the same files, under the same CSP header).
    context.add_init_script("delete window.SharedWorker;")
    seen = []
    context.on("request", lambda r: seen.append(r.url))
    page = open_page(context, base_url)
    page.get_by_role("button", name="Sample 100").click()
    expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("100 draws")
    assert any(u.endswith(".wasm") for u in seen) and any("/wheels/genlab-" in u for u in seen)
    assert all(u.startswith(base_url.split("/course/")[0]) for u in seen), seen
    # The page's Content-Security-Policy forbids other origins; prove that it is in force.
    violation = page.evaluate(js("csp-violation"))
    assert violation == "connect-src"


def test_a_full_context_makes_room_for_an_added_word_and_says_so(lesson, base_url):
    """At a full context, "Add it to the context" used to leave more than 200 characters in the box
    while the model read 200, and the message was overwritten at once."""
    start = ("the cat sat on the mat and " * 8)[:200].strip()  # full: any token needs room
    assert len(start) == 200
    with warm_page(lesson, base_url + "?context=" + start.replace(" ", "+")) as page:
        page.get_by_role("button", name="Sample one token").click()
        page.get_by_role("button", name="Add it to the context").click()
        status = page.locator('[data-widget="llm"] [data-role="status"]')
        text, dropped = start + api.llm_sample(start, 0.8, 42, 0)["text"], 0  # the draw, as CPython makes it
        while len(text) > 200:
            text, dropped = text.split(" ", 1)[1], dropped + 1
        expect(status).to_contain_text("first word was dropped" if dropped == 1 else f"first {dropped} words were dropped")
        box = page.locator('[data-widget="llm"] [data-role="context"]').input_value()
        assert box == text
        assert len(box) <= 200 and box == page.evaluate("() => genlab.store.get('context')")
        assert dropped and not box.startswith("the cat")
        expect(page.locator('[data-widget="llm"]')).to_have_attribute("data-state", "ready")
