"""The GAN section in Chromium: live training, pause, painting, bad settings, divergence,
the mode counter, the forger's map, the charts and the one settings table."""
from __future__ import annotations

import re
import time
from dataclasses import asdict

import numpy as np
import pytest
from playwright.sync_api import expect

from genlab import gan
from tests.browser import canvas_pixels, js, loaded, module, run_axe, wait_ready, warm_page

GAN = '[data-widget="gan"]'


@pytest.fixture
def page(warm, base_url):
    with warm_page(warm, base_url + "#gan", wait_gan) as page:
        yield page


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
    # ~40 steps/s on a quiet 2-core machine; far fewer while other tests share it
    play_until(page, "() => Number(document.querySelector('[data-widget=gan]').dataset.step) >= 1500", 150_000)
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
    draw_stroke(page, 0.7, 0.2)  # a short stroke in the top-right quarter of the plane
    expect(page).to_have_url(re.compile(r"gan_target=custom"))
    assert "gan_points" not in page.url  # a drawing stays out of the address (issue 24)
    page.locator(f"{GAN} [data-role=reset]").click()
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    drawn = page.evaluate("() => genlab.store.get('gan_points').split(';').map(p => p.split(',').map(Number))")
    real = page.evaluate("() => Array.from(genlab.widgets.gan.scene().real.data)")
    assert len(drawn) >= 8
    pairs = list(zip(real[::2], real[1::2]))
    assert all(min((x - a) ** 2 + (y - b) ** 2 for a, b in drawn) < 0.2 ** 2 for x, y in pairs)
    assert all(x > 0 and y > 0 for x, y in pairs)  # the top-right quarter, where we drew


def test_out_of_range_settings_get_a_message(warm, base_url):
    with warm_page(warm, base_url + "?gan_width=999&gan_target=cube&gan_lr_d=-1", ready=loaded) as page:
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


def wait_until(page, condition, limit: float) -> None:
    """Polls condition(page) (no eval: the page's CSP forbids it) until true or limit seconds;
    the caller asserts what it waited for."""
    deadline = time.monotonic() + limit
    while not condition(page) and time.monotonic() < deadline:
        page.wait_for_timeout(25)


def test_the_slowest_allowed_settings_leave_python_free_for_other_sections(warm, base_url):
    """Width 128, depth 4, batch 512, ten detective updates per step and tanh make one step
    take seconds in WebAssembly; chunks of ten steps kept the worker for ~17 s. Training by
    time cuts a slow step into pieces, one call each, and the worker serves the LLM's call
    next, behind only the GAN calls already waiting (how fast is measured by the bench)."""
    with warm_page(warm, base_url + HEAVY, wait_gan) as page:
        page.locator(f"{GAN} [data-role=play]").click()
        wait_until(page, lambda p: p.evaluate(GAN_TRAINS) >= 3, 60)  # training is under way
        before = top_prob(page)
        asked_after = page.evaluate("() => Math.max(...genlab.runtime.recent.map(c => c.turn))")
        page.eval_on_selector(f'{LLM} [data-role="t"]', js("set-value"), "1.9")
        wait_until(page, lambda p: top_prob(p) != before, 60)
        assert top_prob(page) != before, "the LLM bars did not follow the slider while the GAN trained"
        served = page.evaluate("""(after) => genlab.runtime.recent.filter(c => c.turn > after)
            .map(c => [c.owner, c.fn, c.turn])""", asked_after)
        first_llm = next((i for i, (owner, _, _) in enumerate(served) if owner == "llm"), None)
        # Before it, at most the GAN's pair of calls in flight when the slider moved (train, view).
        assert first_llm is not None and first_llm <= 2, served
        wait_until(page, lambda p: step(p) >= 2, 60)
        assert step(page) >= 2  # the slow steps do get done, a piece per call
        page.locator(f"{GAN} [data-role=play]").click()  # pause
        wait_until(page, lambda p: p.evaluate("() => genlab.runtime.pending.size === 0"), 60)
        assert page.evaluate("() => genlab.runtime.pending.size") == 0, "the worker still had GAN calls after Pause"
        paused_at = step(page)
        trains = page.evaluate("""() => genlab.runtime.recent.filter(c => c.fn === 'gan_train')
            .map(c => c.budget)""")
        # Every training call had a time budget, and there were more calls than whole steps done: a
        # step was cut into pieces. (A chunk of steps per call, as before, makes at most one per step.)
        assert trains and all(budget and budget > 0 for budget in trains), trains
        assert len(trains) > paused_at, (len(trains), paused_at)
        page.wait_for_timeout(500)
        assert step(page) == paused_at and page.evaluate(GAN_TRAINS) == len(trains)  # Pause holds


GAN_TRAINS = "() => genlab.runtime.recent.filter(c => c.fn === 'gan_train').length"


def test_a_call_waiting_behind_another_section_says_so(page):
    llm_status = page.locator(f"{LLM} [data-role=status]")
    page.evaluate("() => { genlab.runtime.call('gan_bench', {steps: 600}, 'test'); }")  # seconds of work
    page.eval_on_selector(f'{LLM} [data-role="t"]', js("set-value"), "1.5")
    expect(llm_status).to_have_text("Waiting for Python (busy with another section)…")
    expect(llm_status).to_have_text("", timeout=60_000)  # the bars' own status once Python answers
    expect(page.locator(f"{LLM} .bars li").first).to_have_attribute("data-prob", re.compile(r"\d"))


# ------------------------------------------------------------------------------ issue 14

def idle(page) -> None:
    """Waits until no call is in flight (a chunk sent before Pause has landed)."""
    page.wait_for_function("() => genlab.runtime.pending.size === 0", timeout=30_000)


def pause_after(page, steps: int) -> None:
    play_until(page, f"() => Number(document.querySelector('[data-widget=gan]').dataset.step) >= {steps}")
    page.locator(f"{GAN} [data-role=play]").click()
    expect(page.locator(f"{GAN} [data-role=play]")).to_have_text("Play")
    idle(page)
    page.wait_for_timeout(100)


def python_view(page) -> dict:
    return page.evaluate("() => genlab.runtime.call('gan_view', {run: genlab.widgets.gan.run}, 'test')")


def draw_stroke(page, fx: float = 0.6, fy: float = 0.15) -> None:
    """A stroke of points from (fx, fy) of the plane's box (top-right quarter by default)."""
    page.eval_on_selector(f"{GAN} [data-role=field]", "c => c.scrollIntoView({block: 'center'})")
    box = page.locator(f"{GAN} [data-role=field]").bounding_box()
    x0, y0 = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(40):
        page.mouse.move(x0 + i * 2.5, y0 + i * 1.5)
    page.mouse.up()


def test_drawn_points_then_play_trains_on_them(page):
    """The issue's case: after drawing, Play stayed at step 0 and the ring's divergence stayed.
    Now the page says what Play will do, Play trains on the drawing, and the run's data (the
    divergence's reference) is the drawn points: the same real points as a native run on them."""
    page.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")
    draw_stroke(page)
    drawn = page.evaluate("() => genlab.store.get('gan_points').split(';').map(p => p.split(',').map(Number))")
    assert len(drawn) >= 8
    note = page.locator(f"{GAN} [data-role=play-note]")
    expect(note).to_contain_text(f"Play starts a new run on your {len(drawn)} drawn points")
    expect(page.locator(f"{GAN} [data-role=stats]")).to_have_text("No run yet for this drawing.")
    assert page.get_attribute(GAN, "data-jsd") is None  # no divergence of an older run on screen
    pause_after(page, 30)  # Play alone: no Reset
    expect(note).to_have_text("")
    real = np.array(page.evaluate("() => Array.from(genlab.widgets.gan.scene().real.data)")).reshape(-1, 2)
    native = gan.Gan(gan.make_config({"target": "custom"}), drawn).real_fixed[:gan.N_VIEW]
    np.testing.assert_allclose(real, native, atol=1e-6)
    assert (real > 0).all()  # the top-right quarter, not the ring
    view = python_view(page)
    assert view["step"] == step(page) >= 30
    assert float(page.get_attribute(GAN, "data-jsd")) == pytest.approx(view["jsd"], abs=1e-12)
    assert f"{view['jsd']:.3f}" in page.locator(f"{GAN} [data-role=stats]").inner_text()
    # Drawing more while paused: Play starts over on the larger drawing.
    first_run = page.evaluate("() => genlab.widgets.gan.run")
    draw_stroke(page, 0.55, 0.3)
    more = page.evaluate("() => genlab.store.get('gan_points').split(';').length")
    assert more > len(drawn)
    expect(note).to_contain_text(f"Play starts a new run on your {more} drawn points")
    assert page.evaluate("() => genlab.widgets.gan.run") is None
    pause_after(page, 5)
    assert page.evaluate("() => genlab.widgets.gan.run") != first_run
    assert python_view(page)["step"] == step(page)


def test_a_run_python_let_go_of_while_the_tab_was_frozen_says_so_and_play_starts_anew(page):
    page.locator(f"{GAN} [data-role=step]").click()
    expect(page.locator(GAN)).to_have_attribute("data-step", "1")
    idle(page)
    starts = "() => genlab.runtime.recent.filter((c) => c.fn === 'gan_start').length"
    before = page.evaluate(starts)
    # Frozen: no pings for a while, so the shared worker frees this page's runs (12 pings missed).
    page.evaluate("() => { genlab.runtime.heartbeatMs = 200; genlab.runtime.heartbeatMs = 0; }")
    page.wait_for_timeout(5000)
    page.locator(f"{GAN} [data-role=play]").click()
    status = page.locator(f"{GAN} [data-role=status]")
    expect(status).to_contain_text("Python let go of this run")
    expect(status).not_to_contain_text("Error")
    expect(page.locator(f"{GAN} [data-role=play]")).to_have_text("Play")
    page.evaluate("() => { genlab.runtime.heartbeatMs = 10000; }")  # awake again
    pause_after(page, 5)  # Play: a new run, trained
    assert page.evaluate(starts) == before + 1  # one new run (its id may be the old one's: a fresh copy of the API)
    expect(status).not_to_contain_text("let go")


def test_mode_counter_shows_pythons_count_and_its_rule(page):
    counter = page.locator(f"{GAN} [data-role=mode-counter]")
    expect(counter).to_be_visible()
    need = int(np.ceil(gan.MODE_SHARE * gan.N_EVAL / gan.RING_MODES))
    rule = page.locator(f"{GAN} [data-role=mode-rule]").inner_text()
    assert f"at least {need} of the forger's {gan.N_EVAL:,}" in rule and f"within {gan.MODE_RADIUS}" in rule
    pause_after(page, 300)
    view = python_view(page)
    assert page.locator(f"{GAN} [data-role=modes]").inner_text() == f"{view['modes']} of {gan.RING_MODES}"
    assert page.get_attribute(GAN, "data-modes") == str(view["modes"])
    assert f"Modes covered: {view['modes']} of 8" in page.get_attribute(f"{GAN} [data-role=field]", "aria-label")
    page.locator(f'{GAN} [data-setting="gan_target"]').select_option("moons")
    expect(counter).to_be_hidden()  # modes belong to the ring


def test_forgers_map_is_drawn_changes_with_training_and_toggles_by_keyboard(page):
    mesh = lambda: np.array(page.evaluate("() => Array.from(genlab.widgets.gan.scene().mesh.data)"))  # noqa: E731
    shape = page.evaluate("() => genlab.widgets.gan.scene().mesh.shape")
    assert shape == [gan.MESH_SIDE, gan.MESH_SIDE, 2]
    before, shown = mesh(), field_image(page)
    box = page.locator(f'{GAN} [data-layer="mesh"]')
    assert box.is_checked()
    box.focus()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    hidden = field_image(page)
    assert hidden != shown
    page.keyboard.press("Space")
    assert field_image(page) == shown  # the same map again
    pause_after(page, 300)
    after = mesh()
    assert np.abs(after - before).max() > 0.1  # the forger bent its map
    # the map is G over the latent grid: it sits where the forger's points are. (Its centre was
    # within 0.5 of theirs until a run stopped a few steps later than usual and gave 0.502: Play
    # stops at a step count that depends on timing. Measured against their own spread instead.)
    fake = np.array(page.evaluate("() => Array.from(genlab.widgets.gan.scene().fake.data)")).reshape(-1, 2)
    nodes = after.reshape(-1, 2)
    assert np.all(np.abs(nodes.mean(0) - np.median(fake, 0)) < fake.std(0)), (nodes.mean(0), np.median(fake, 0), fake.std(0))
    assert "forger's map" in page.locator(f"{GAN} #gan-map-note").inner_text()


def chart_pixels(page, role: str) -> np.ndarray:
    return canvas_pixels(page, f"{GAN} [data-role={role}]")


def has_color(image: np.ndarray, hex_color: str, tolerance: int = 40) -> bool:
    rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    close = (np.abs(image[..., :3].astype(int) - rgb).max(axis=-1) < tolerance) & (image[..., 3] > 200)
    return int(close.sum()) >= 8


def test_charts_have_axes_ticks_values_and_a_legend(warm, base_url):
    # The module's warm browser: 1100 × 900, device scale factor 1; the colours are the light scheme's.
    with warm_page(warm, base_url + "#gan", wait_gan) as page:
        page.emulate_media(color_scheme="light")
        pause_after(page, 200)
        losses = page.get_attribute(f"{GAN} [data-role=losses]", "aria-label")
        assert losses.startswith("GAN losses: loss against step.")
        d_now, g_now = (re.search(rf"{who}: .*?now ([\d.]+)", losses).group(1) for who in ("detective", "forger"))
        quality = page.get_attribute(f"{GAN} [data-role=quality]", "aria-label")
        assert "divergence (bits) against step" in quality
        jsd = float(page.get_attribute(GAN, "data-jsd"))
        assert f"now {float(f'{jsd:.3g}'):g}" in quality
        for role, colors in (("losses", ("#1b9e77", "#7b3fa0")), ("quality", ("#3a4fd1",))):
            image = chart_pixels(page, role)
            h, w = image.shape[:2]
            legend = image[: h // 6]  # the legend row: a swatch per curve in its colour
            assert all(has_color(legend, c) for c in colors), role
            ink = image[..., 3] > 100
            # tick values left of the y axis at several heights, and under the x axis
            left_rows = np.nonzero(ink[:, :20].any(axis=1))[0]
            assert left_rows.size and left_rows.max() - left_rows.min() > h / 3, role
            assert ink[int(h * 0.8):, w // 3: 2 * w // 3].any(), role
        assert float(d_now) > 0 and float(g_now) > 0


def test_settings_table_matches_pythons_bounds_and_makes_the_options(page, base_url):
    facts = page.evaluate(js("gan-settings-facts"), [module("gan-settings"), module("plane")])
    table = facts["table"]
    defaults = asdict(gan.GanConfig())
    kinds = {"float": "number", "int": "integer", "choice": "choice"}
    assert sorted(table) == sorted(["gan_points"] + [f"gan_{k}" for k in gan.SETTINGS])
    for name, (lo, hi, kind) in gan.SETTINGS.items():
        spec = table[f"gan_{name}"]
        assert spec["kind"] == kinds[kind] and spec["fallback"] == defaults[name], name
        if kind == "choice":
            assert spec["options"] == list(lo), name
            shown = [[value, spec["optionLabels"][value]] for value in spec["options"]]
            assert facts["selects"][f"gan_{name}"] == shown, name  # the <option>s, in order
        else:
            assert (spec["min"], spec["max"]) == (lo, hi), name
            assert [float(v) for v in facts["inputs"][f"gan_{name}"]] == [lo, hi], name
    assert table["gan_points"]["maxPoints"] == gan.MAX_CUSTOM_POINTS
    assert facts["extent"] == list(gan.EXTENT) and facts["range"] == gan.EXTENT[1] == table["gan_points"]["range"]
    # The lesson's HTML lists no options of its own: they all come from the table.
    html = page.evaluate("() => fetch(location.href.split('#')[0]).then((r) => r.text())")
    for name in ("gan_target", "gan_activation", "gan_loss"):
        assert f'<select data-setting="{name}"></select>' in html


def test_painting_up_to_pythons_limit_is_accepted(warm, base_url):
    """The link may carry as many painted points as Python accepts (1,000), and no more."""
    grid = [f"{-1.4 + 0.09 * (i % 32):.2f},{-1.4 + 0.09 * (i // 32):.2f}" for i in range(gan.MAX_CUSTOM_POINTS)]
    with warm_page(warm, base_url + "?gan_target=custom&gan_points=" + "%3B".join(grid) + "#gan", wait_gan) as page:
        assert page.locator(".notice.warn").count() == 0
        assert page.evaluate("() => genlab.store.get('gan_points').split(';').length") == gan.MAX_CUSTOM_POINTS
        page.goto(base_url + "?gan_target=custom&gan_points=" + "%3B".join(grid + ["0.00,0.00"]) + "#gan")
        expect(page.locator(".notice.warn")).to_contain_text(f"GAN drawing has more than {gan.MAX_CUSTOM_POINTS} points")


def test_collapse_preset_sentence_appears_next_to_the_plane(page):
    note = page.locator(f"{GAN} [data-role=preset-note]")
    expect(note).to_be_hidden()
    page.locator(f"{GAN} [data-role=preset]").select_option("mode collapse")
    expect(note).to_have_text(gan.PRESETS["mode collapse"][1])
    plane = page.locator(f"{GAN} [data-role=field]").bounding_box()
    box = note.bounding_box()
    assert 0 <= box["y"] - (plane["y"] + plane["height"]) < 40  # right under the plane
    assert box["x"] < plane["x"] + plane["width"] and box["x"] + box["width"] > plane["x"]
    settings = gan.PRESETS["mode collapse"][0]
    assert all(page.evaluate(f"() => genlab.store.get('gan_{k}')") == v for k, v in settings.items())
    page.locator(f"{GAN} [data-role=preset]").select_option("default")
    expect(note).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_section_passes_axe_with_its_notes_and_map_shown(warm, base_url, scheme):
    with warm_page(warm, base_url + "#gan", wait_gan, lambda page: page.emulate_media(color_scheme=scheme)) as page:
        page.locator(f"{GAN} [data-role=preset]").select_option("mode collapse")
        page.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")
        draw_stroke(page)
        expect(page.locator(f"{GAN} [data-role=play-note]")).to_contain_text("Play starts a new run")
        expect(page.locator(f"{GAN} [data-role=preset-note]")).to_be_visible()
        assert run_axe(page, "#gan") == []


def test_a_charts_last_step_value_stays_whole_inside_the_canvas(page):
    """At 390 px the GAN's charts are about 340 px wide: the x axis's last value ("10,000") is drawn
    whole, clear of the canvas's right edge (it used to be cut to "10,00")."""
    spec = {"series": [{"label": "detective", "values": [0.7] * 101, "x": list(range(0, 10_001, 100)), "color": "--gan-real"}],
            "x": {"label": "step", "min": 0}, "y": {"label": "loss"}}
    page.evaluate(js("chart-draw"), [module("chart"), spec, 340, 160, 1])
    ink = canvas_pixels(page, "#chart-test")[..., 3] > 100  # (H, W)
    h = ink.shape[0]
    assert ink[h // 2:, -40:].any()  # the value is drawn near the right edge ...
    assert not ink[h // 2:, -2:].any()  # ... and ends before it


def test_the_handout_trains_the_gan_before_printing(page):
    """After a reload the GAN is at step 0; Print a handout trains it (here for at most 4 s, else to
    3,000 steps) and pauses it before printing, so the paper shows a trained GAN."""
    assert step(page) == 0
    page.evaluate("() => { window.print = () => { window.printed = genlab.widgets.gan.run !== null"
                  " && !document.querySelector('[data-widget=gan]').dataset.playing"
                  " ? Number(document.querySelector('[data-widget=gan]').dataset.step) : -1; }; genlab.printWaitMs = 4000; }")
    page.get_by_role("button", name="Print a handout").click()
    expect(page.locator("#print-note")).to_contain_text("Training the GAN for the handout: step")
    page.wait_for_function("() => window.printed !== undefined", timeout=60_000)
    assert page.evaluate("() => window.printed") > 0  # trained, and paused when printed


def test_train_to_stops_at_its_step_and_a_collapsed_forgers_pile_is_said(page):
    """trainTo (the handout's) plays to a step and pauses. The collapse preset, seed 0, piles its
    fixed points by step 1,000 (tests/test_gan.py): the plane's words say how many, as Python counts."""
    page.locator(f"{GAN} [data-role=preset]").select_option("mode collapse")
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    reached = page.evaluate("() => genlab.widgets.gan.trainTo({steps: 1000})")
    assert reached >= 1000 and step(page) == reached and page.get_attribute(GAN, "data-playing") is None
    view = python_view(page)
    assert view["piles"], view["piles"]
    label = page.get_attribute(f"{GAN} [data-role=field]", "aria-label")
    pile = view["piles"][0]
    assert f"The forger piles {pile['count']:,} of its {gan.N_EVAL:,} points on one spot" in label
