"""The GAN section in Chromium: live training, pause, painting, bad settings, divergence."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser import wait_ready

GAN = '[data-widget="gan"]'


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    page.goto(base_url + "#gan")
    wait_gan(page)
    yield page
    ctx.close()


def wait_gan(page):
    wait_ready(page)
    page.wait_for_function("() => window.genlab && genlab.widgets.gan.run !== null", timeout=30_000)


def field_image(page) -> str:
    return page.eval_on_selector(f"{GAN} [data-role=field]", "c => c.toDataURL()")


def step(page) -> int:
    return int(page.get_attribute(GAN, "data-step"))


def play_until(page, condition: str, timeout: int = 60_000) -> None:
    page.locator(f"{GAN} [data-role=play]").click()
    page.wait_for_function(condition, timeout=timeout)


def test_training_starts_and_the_canvas_changes(page):
    before = field_image(page)
    play_until(page, "() => Number(document.querySelector('[data-widget=gan]').dataset.step) >= 100")
    assert field_image(page) != before
    expect(page.locator(f"{GAN} [data-role=stats]")).to_contain_text("steps/s")


def test_quality_figure_falls_over_a_short_run(page):
    start = float(page.get_attribute(GAN, "data-jsd"))
    play_until(page, "() => Number(document.querySelector('[data-widget=gan]').dataset.step) >= 1500")
    page.locator(f"{GAN} [data-role=play]").click()
    assert float(page.get_attribute(GAN, "data-jsd")) < 0.6 * start


def test_pause_stops_updates(page):
    play_until(page, "() => Number(document.querySelector('[data-widget=gan]').dataset.step) >= 50")
    page.locator(f"{GAN} [data-role=play]").click()  # pause
    expect(page.locator(f"{GAN} [data-role=play]")).to_have_text("Play")
    page.wait_for_timeout(300)  # a chunk already in flight may still land
    frozen_step, frozen_image = step(page), field_image(page)
    page.wait_for_timeout(800)
    assert step(page) == frozen_step and field_image(page) == frozen_image


def test_one_step_advances_by_one(page):
    page.locator(f"{GAN} [data-role=step]").click()
    expect(page.locator(GAN)).to_have_attribute("data-step", "1")


def test_painted_distribution_is_the_target(page):
    page.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")
    expect(page.locator(f"{GAN} [data-role=draw-hint]")).to_be_visible()
    box = page.locator(f"{GAN} [data-role=field]").bounding_box()
    # A short stroke in the top-right quarter of the plane.
    x0, y0 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(30):
        page.mouse.move(x0 + i * 2, y0 + i)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"gan_target=custom.*gan_points=|gan_points=.*gan_target=custom"))
    page.locator(f"{GAN} [data-role=reset]").click()
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    drawn = page.evaluate("() => genlab.store.get('gan_points').split(';').map(p => p.split(',').map(Number))")
    real = page.evaluate("() => Array.from(genlab.widgets.gan.scene().real.data)")
    assert len(drawn) >= 8
    pairs = list(zip(real[::2], real[1::2]))
    assert all(min((x - a) ** 2 + (y - b) ** 2 for a, b in drawn) < 0.2 ** 2 for x, y in pairs)
    assert all(x > 0 and y > 0 for x, y in pairs)  # the top-right quarter, where we drew


def test_out_of_range_settings_get_a_message(browser, base_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + "?gan_width=999&gan_target=cube&gan_lr_d=-1")
    notice = page.locator(".notice.warn")
    expect(notice).to_contain_text("Hidden width 999 is outside 4 to 128")
    expect(notice).to_contain_text("GAN target “cube” is not one of")
    expect(notice).to_contain_text("Detective learning rate -1 is outside")
    wait_gan(page)
    width = page.locator(f'{GAN} [data-setting="gan_width"]')
    expect(width).to_have_value("32")
    width.fill("0")
    width.press("Enter")
    expect(page.locator(f"{GAN} [data-role=status]")).to_contain_text("Hidden width 0 is outside 4 to 128")
    expect(width).to_have_value("32")
    ctx.close()


def test_divergence_stops_training_with_a_message(page):
    page.evaluate("() => genlab.runtime.call('gan_corrupt', {run: genlab.widgets.gan.run})")
    page.locator(f"{GAN} [data-role=play]").click()
    expect(page.locator(GAN)).to_have_attribute("data-state", "error")
    expect(page.locator(f"{GAN} [data-role=status]")).to_contain_text("Training stopped")
    expect(page.locator(f"{GAN} [data-role=play]")).to_have_text("Play")
    expect(page.locator('[data-widget="llm"]')).to_have_attribute("data-state", "ready")
    page.locator(f"{GAN} [data-role=reset]").click()
    expect(page.locator(GAN)).to_have_attribute("data-state", "ready")
    page.locator(f"{GAN} [data-role=step]").click()
    expect(page.locator(GAN)).to_have_attribute("data-step", "1")


def test_a_shape_can_be_drawn_with_the_keyboard(page):
    page.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")
    field = page.locator(f"{GAN} [data-role=field]")
    expect(field).to_have_attribute("tabindex", "0")
    field.focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
    expect(page.locator(f"{GAN} [data-role=status]")).to_contain_text("8 points drawn")
    page.locator(f"{GAN} [data-role=reset]").click()
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    page.locator(f"{GAN} [data-role=step]").click()
    expect(page.locator(GAN)).to_have_attribute("data-step", "1")


HEAVY = "?gan_width=128&gan_depth=4&gan_batch=512&gan_d_steps=10&gan_activation=tanh&gan_latent=16#gan"
LLM = '[data-widget="llm"]'


def top_prob(page) -> str:
    return page.get_attribute(f"{LLM} .bars li", "data-prob")


def seconds_until(page, condition, limit: float) -> float:
    """Polls condition(page) (no eval: the page's CSP forbids it) until true or limit seconds."""
    start = time.perf_counter()
    while not condition(page) and time.perf_counter() - start < limit:
        page.wait_for_timeout(25)
    return time.perf_counter() - start


def test_the_slowest_allowed_settings_leave_python_free_for_other_sections(browser, base_url):
    """Width 128, depth 4, batch 512, ten detective updates per step and tanh make one step
    take seconds in WebAssembly; chunks of ten steps kept the worker for ~17 s. Training
    by time keeps every call short, so the LLM bars follow their slider within a chunk."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    page.goto(base_url + HEAVY)
    wait_gan(page)
    page.locator(f"{GAN} [data-role=play]").click()
    page.wait_for_timeout(2500)  # training is well under way
    before = top_prob(page)
    page.eval_on_selector(f'{LLM} [data-role="t"]', """s => {
        s.value = "1.9";
        s.dispatchEvent(new Event("input", {bubbles: true}));
    }""")
    waited = seconds_until(page, lambda p: top_prob(p) != before, 40)
    assert waited < 3, f"the LLM bars took {waited:.1f} s to follow the slider"
    seconds_until(page, lambda p: step(p) >= 2, 60)
    assert step(page) >= 2  # the slow steps do get done, a piece per call
    page.locator(f"{GAN} [data-role=play]").click()  # pause
    idle = seconds_until(page, lambda p: p.evaluate("() => genlab.runtime.pending.size === 0"), 30)
    assert idle < 3, f"the worker was still busy {idle:.1f} s after Pause"
    # The training loop's calls: gan_train (one detective update of this run is the smallest
    # piece of work, 150-500 ms in Chromium on a busy 2-core machine) and gan_view. A chunk of
    # ten steps took 17 s or more.
    calls = page.evaluate("""() => genlab.runtime.recent
        .filter(c => c.fn === 'gan_train' || c.fn === 'gan_view').map(c => [c.fn, c.ms])""")
    assert len(calls) >= 5 and max(ms for _, ms in calls) < 1000, calls
    ctx.close()


def test_a_call_waiting_behind_another_section_says_so(page):
    llm_status = page.locator(f"{LLM} [data-role=status]")
    page.evaluate("() => { genlab.runtime.call('gan_bench', {steps: 600}, 'test'); }")  # seconds of work
    page.eval_on_selector(f'{LLM} [data-role="t"]', """s => {
        s.value = "1.5";
        s.dispatchEvent(new Event("input", {bubbles: true}));
    }""")
    expect(llm_status).to_have_text("Waiting for Python (busy with another section)…")
    expect(llm_status).to_have_text("", timeout=60_000)  # the bars' own status once Python answers
    expect(page.locator(f"{LLM} .bars li").first).to_have_attribute("data-prob", re.compile(r"\d"))
