"""The diffusion section in Chromium: forward noising, local pictures, sampling, guidance, training."""
from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from playwright.sync_api import expect

from genlab import api, gan
from tests.browser import canvas_pixels, js, loaded, module, wait_ready, warm_page

DIFF = '[data-widget="diffusion"]'
FORWARD, REVERSE, GUIDANCE = (f'{DIFF} [data-panel="{p}"]' for p in ("forward", "reverse", "guidance"))


@pytest.fixture
def page(warm, base_url):
    with warm_page(warm, base_url + "#diffusion", wait_diffusion) as page:
        yield page


def wait_diffusion(page):
    wait_ready(page)
    page.wait_for_function(js("diffusion-drawn"), timeout=30_000)


def png(pixels: np.ndarray) -> bytes:
    """A minimal RGBA PNG of pixels (H, W, 4) uint8, written here so the test needs no imaging library."""
    h, w, _ = pixels.shape
    raw = b"".join(b"\0" + pixels[y].tobytes() for y in range(h))  # filter 0 on every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def picture_pixels(page) -> np.ndarray:
    """The forward canvas's pixels, (H, W, 4) uint8."""
    return canvas_pixels(page, f"{FORWARD} [data-role=picture]")


def set_slider(page, selector: str, value) -> None:
    page.eval_on_selector(selector, js("set-value"), value)


def wait_idle(page, panel: str) -> None:
    page.wait_for_function("p => document.querySelector(p).dataset.state !== 'busy'", arg=panel)


def show_t(page, t: int) -> np.ndarray:
    set_slider(page, f'{FORWARD} [data-param="diff_t"]', t)
    page.wait_for_function("t => document.querySelector('[data-role=picture]').getAttribute('aria-label')"
                           ".includes(`step ${t} `)", arg=t)
    return picture_pixels(page)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a[..., :3].ravel(), b[..., :3].ravel())[0, 1])


def test_forward_slider_changes_the_picture(page):
    clean = show_t(page, 0)
    slider = page.locator(f'{FORWARD} [data-param="diff_t"]')
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")  # keyboard use of the slider: t 0 -> 20
    expect(page.locator(f"{FORWARD} [data-role=t-out]")).to_have_text("20")
    page.wait_for_function("() => document.querySelector('[data-role=picture]').getAttribute('aria-label').includes('step 20 ')")
    early = picture_pixels(page)
    assert early.shape == clean.shape and np.abs(early.astype(int) - clean.astype(int)).mean() > 1
    assert correlation(early, clean) > 0.9  # a little static: still clearly the photo
    assert correlation(show_t(page, 1000), clean) < 0.1  # t = T: the photo is gone
    expect(page.locator(f"{FORWARD} [data-role=numbers]")).to_contain_text("ᾱ = 0.0000")


def test_a_local_picture_is_noised_exactly_as_in_python(page, tmp_path):
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (30, 40, 4), dtype=np.uint8)
    pixels[:, :, 3] = 255
    path = tmp_path / "mine.png"
    path.write_bytes(png(pixels))
    page.set_input_files(f"{FORWARD} [data-role=file]", str(path))
    expect(page.locator(f"{FORWARD} [data-role=picture-caption]")).to_contain_text("mine.png")
    assert np.array_equal(show_t(page, 0), pixels)  # t = 0 is the picture itself
    shown = show_t(page, 300)
    api.diffusion_image(pixels.tobytes(), 40, 30)
    expected = api.diffusion_forward(300, 1000, "linear", 0)["image"]
    assert np.abs(shown.astype(int) - expected.astype(int)).max() <= 1  # rounding at most
    assert np.abs(shown.astype(int) - pixels.astype(int)).mean() > 10  # and it is noised
    expect(page.locator(f"{FORWARD} [data-role=cat]")).to_be_visible()
    assert chosen_file(page) == "mine.png"  # the field says which file is shown, not "No file chosen"
    page.locator(f"{FORWARD} [data-role=cat]").click()
    expect(page.locator(f"{FORWARD} [data-role=picture-caption]")).to_contain_text("Chelsea")
    assert chosen_file(page) == ""  # the cat again: no file of the learner's


def chosen_file(page) -> str:
    """The name the upload field shows as chosen ("" when it shows none)."""
    return page.eval_on_selector(f"{FORWARD} [data-role=file]", "f => f.files.length ? f.files[0].name : ''")


def test_schedule_legend_tells_the_two_schedules_apart(page):
    """The chart's legend gives the chosen and the other schedule's ᾱ different colours."""
    swatches = page.evaluate(js("legend-swatches"), module("diffusion-view"))
    assert len(swatches) == 3  # ᾱ chosen, ᾱ other, β
    assert len(set(swatches)) == 3


def test_bad_and_huge_pictures_get_messages(page, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    page.set_input_files(f"{FORWARD} [data-role=file]", str(text))
    status = page.locator(f"{FORWARD} [data-role=status]")
    expect(status).to_contain_text("“notes.txt” is not a PNG, JPEG, GIF, WebP or BMP picture")
    expect(status).to_contain_text("previous picture is kept")
    assert chosen_file(page) == ""  # not the file that was refused
    broken = png(np.zeros((10, 10, 4), np.uint8)).replace(b"IDAT", b"IDAX")  # a PNG with no picture data
    (tmp_path / "broken.png").write_bytes(broken)
    page.set_input_files(f"{FORWARD} [data-role=file]", str(tmp_path / "broken.png"))
    expect(status).to_contain_text("“broken.png” is not a picture this browser can read")
    big = np.zeros((1500, 2400, 4), np.uint8)
    big[..., 1] = 200
    big[..., 3] = 255
    (tmp_path / "big.png").write_bytes(png(big))
    page.set_input_files(f"{FORWARD} [data-role=file]", str(tmp_path / "big.png"))
    expect(status).to_contain_text("Scaled down from 2400 × 1500 to 256 × 160")
    assert picture_pixels(page).shape == (160, 256, 4)


def bomb_png(width: int, height: int) -> bytes:
    """A whole, valid 1-bit grey PNG of width x height blank pixels: the rows compress to a
    few KB a thousand, but a browser decodes them to width * height * 4 bytes of RGBA."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(bytes((1 + (width + 7) // 8) * height), 9)  # filter 0, all black
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def headers_claiming(width: int, height: int) -> dict[str, bytes]:
    """The first bytes of a JPEG, GIF, WebP (VP8X) and BMP file claiming width x height."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + bytes(9)
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + bytes(9)
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return {
        "jpg": b"\xff\xd8" + app0 + sof + b"\xff\xd9",
        "gif": b"GIF89a" + struct.pack("<HH", width, height) + bytes(8),
        "webp": b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x,
        "bmp": b"BM" + bytes(12) + struct.pack("<IiiHH", 40, width, -height, 1, 32) + bytes(24),
    }


def test_a_picture_bomb_is_refused_before_decoding(page, tmp_path):
    """A 64 KB PNG of 23,000 x 23,000 pixels would take over 2 GB to decode: its header says so."""
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png(23_000, 23_000))
    assert path.stat().st_size < 64 * 1024
    page.set_input_files(f"{FORWARD} [data-role=file]", str(path))
    status = page.locator(f"{FORWARD} [data-role=status]")
    expect(status).to_contain_text("“bomb.png” is 23,000 × 23,000 pixels (529 megapixels)")
    expect(status).to_contain_text("pictures up to 40 megapixels are accepted")
    expect(status).to_contain_text("previous picture is kept")
    assert chosen_file(page) == ""  # not the file that was refused
    for kind, data in headers_claiming(9_000, 5_000).items():  # 45 megapixels, in every kind read
        (tmp_path / f"wide.{kind}").write_bytes(data)
        page.set_input_files(f"{FORWARD} [data-role=file]", str(tmp_path / f"wide.{kind}"))
        expect(status).to_contain_text(f"“wide.{kind}” is 9,000 × 5,000 pixels (45 megapixels)")
    for kind, data in headers_claiming(60, 40).items():  # small claims pass the check, then fail to decode
        (tmp_path / f"small.{kind}").write_bytes(data)
        page.set_input_files(f"{FORWARD} [data-role=file]", str(tmp_path / f"small.{kind}"))
        expect(status).to_contain_text(f"“small.{kind}” is not a picture this browser can read")


def plane_path(page) -> np.ndarray:
    return np.array(page.evaluate("() => Array.from(genlab.widgets.diffusion.plane.path.data)"), np.float32)


def test_reverse_sampling_draws_points_that_follow_prompt_and_scale(page):
    wait_idle(page, REVERSE)
    canvas = page.eval_on_selector(f"{REVERSE} [data-role=plane]", js("plane-ink"))
    assert canvas > 0.01  # points and paths, not a blank plane
    spiral = plane_path(page)
    expected = api.diffusion_sample_2d(**api.diffusion.DEFAULTS["2d"])["path"].ravel()
    assert np.abs(spiral - expected).max() < 1e-3  # the browser's numpy agrees with CPython's
    page.select_option(f'{REVERSE} [data-param="diff_prompt"]', "ring")
    page.wait_for_function("() => genlab.widgets.diffusion.plane.prompt === 'ring'")
    ring = plane_path(page)
    assert np.array_equal(ring[:2000], spiral[:2000])  # same seed: the same static to start from
    assert np.abs(ring - spiral).max() > 0.1
    expect(page.locator(f"{REVERSE} [data-role=reverse-summary]")).to_contain_text("Mean distance")
    set_slider(page, f'{REVERSE} [data-param="diff_scale"]', 4)
    page.wait_for_function("() => genlab.widgets.diffusion.plane.scale === 4")
    assert np.abs(plane_path(page) - ring).max() > 0.01
    page.keyboard.press("Tab")  # still reachable by keyboard after a change


def digits_ink(page) -> np.ndarray:
    return np.array(page.evaluate("() => Array.from(genlab.widgets.diffusion.digits.path.data)"), np.float32)


def test_guidance_steers_digits_from_the_same_static(page):
    wait_idle(page, GUIDANCE)
    three = digits_ink(page)
    assert three.max() > 0.5 and three.std() > 0.1  # ink on paper, not a blank grid
    summary = page.locator(f"{GUIDANCE} [data-role=digits-summary]")
    expect(summary).to_contain_text("as a 3")
    page.locator(f"{GUIDANCE} [data-digit='7']").click()
    page.wait_for_function("() => genlab.widgets.diffusion.digits.prompt === 7")
    seven = digits_ink(page)
    assert np.array_equal(seven[:16 * 64], three[:16 * 64])  # row 0 of the path: the same static
    assert np.abs(seven - three).max() > 0.3
    expect(summary).to_contain_text("as a 7")
    expect(page.locator(f"{GUIDANCE} [data-digit='7']")).to_have_attribute("aria-pressed", "true")
    set_slider(page, f'{GUIDANCE} [data-param="digit_scale"]', 0)
    page.wait_for_function("() => genlab.widgets.diffusion.digits.scale === 0")
    unguided = digits_ink(page)
    page.locator(f"{GUIDANCE} [data-digit='none']").click()
    page.wait_for_function("() => genlab.widgets.diffusion.digits.prompt === 'none'")
    assert np.array_equal(digits_ink(page), unguided)  # scale 0 is the unconditional model
    expect(summary).to_contain_text("No prompt")


def test_bad_settings_in_the_link_and_fields_get_messages(warm, base_url):
    with warm_page(warm, base_url + "?diff_scale=99&digit=12&diff_steps=7&diff_T=5#diffusion", wait_diffusion) as page:
        notice = page.locator("#notices .notice.warn")
        for text in ("Guidance scale 99 is outside 0 to 10", "Digit prompt “12”", "Sampling steps “7”", "Diffusion steps T 5"):
            expect(notice).to_contain_text(text)
        assert page.evaluate("() => genlab.widgets.diffusion.plane.scale") == 1  # the fallback is used
        field = page.locator(f'{FORWARD} [data-param="diff_T"]')
        field.fill("5000")
        field.press("Enter")
        expect(page.locator(f"{FORWARD} [data-role=status]")).to_contain_text("outside 10 to 1000")
        expect(field).to_have_value("1000")


def test_live_training_beside_a_gan_and_divergence(page):
    page.locator(f"{REVERSE} [data-role=train-box] summary").click()
    page.locator(f"{REVERSE} [data-role=train]").click()
    page.wait_for_function("""() => { const l = genlab.widgets.diffusion.live;
        return l.loss.values.length >= 150 && l.ganD.values.length >= 150; }""", timeout=90_000)
    live = page.evaluate(js("live-training"))
    assert live[0] >= 150 and live[1] >= 150  # both curves are fed
    assert np.mean(live[3]) < np.mean(live[2])  # the simple loss falls
    # Turns of equal time: both clocks within a turn or two of each other; x is each model's time.
    assert abs(live[4] - live[5]) < 0.25 * max(live[4], live[5]) + 0.2
    assert live[6] == pytest.approx(live[4]) and live[7] == pytest.approx(live[5])
    # The stability chart: its text alternative follows the three curves, on a log scale, and
    # its hidden table holds their values.
    chart = page.locator(f"{REVERSE} [data-role=stability]")
    label = chart.get_attribute("aria-label")
    for name in ("diffusion:", "GAN detective:", "GAN forger:", "log scale", "training time"):
        assert name in label, (name, label)
    rows = page.eval_on_selector(f"{REVERSE} [data-role=stability-table]",
                                 "t => Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.textContent))")
    assert rows[0][1:] == ["diffusion", "GAN detective", "GAN forger"] and len(rows) >= 6
    first, last = float(rows[1][1]), float(rows[-1][1])
    assert last < first  # the table shows the fall too
    lesson = page.locator(f"{REVERSE} [data-role=stability-lesson]")
    expect(lesson).to_contain_text("What to look for")
    expect(lesson).to_be_visible()
    # Sample quality on the same clock, beside the losses: both models measured alike, once a
    # second of training, the fresh denoiser's samples far from the shape at first and closer later.
    # (measured every 2 s of training, off the clock: a busy machine may have trained 150 steps
    # before the second measurement, so the test waits for it)
    page.wait_for_function("() => genlab.widgets.diffusion.live.quality.diffusion.values.length >= 2", timeout=90_000)
    quality = page.evaluate("() => genlab.widgets.diffusion.live.quality")
    assert len(quality["diffusion"]["values"]) >= 2 and len(quality["gan"]["values"]) == len(quality["diffusion"]["values"])
    assert quality["diffusion"]["x"] == sorted(quality["diffusion"]["x"])
    assert 0 <= quality["floor"] < min(quality["diffusion"]["values"] + quality["gan"]["values"])
    assert quality["diffusion"]["values"][-1] < quality["diffusion"]["values"][0]
    label = page.get_attribute(f"{REVERSE} [data-role=quality]", "aria-label")
    for name in ("diffusion samples:", "GAN fakes:", "training time"):
        assert name in label, (name, label)
    boxes = [page.locator(f"{REVERSE} [data-role={c}]").bounding_box() for c in ("stability", "quality")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"]  # side by side
    expect(page.locator(f"{REVERSE} [data-role=train-stats]")).to_contain_text("Divergence of the samples")
    expect(page.locator(f"{REVERSE} [data-role=quality-lesson]")).to_be_visible()
    assert float(page.get_attribute(REVERSE, "data-train-fps")) > 0  # frames are drawn (how many: the bench's diff_train_fps)
    page.select_option(f'{REVERSE} [data-role=model]', "live")
    page.wait_for_function("() => genlab.widgets.diffusion.plane.run !== null")
    expect(page.locator(f"{REVERSE} [data-role=reverse-summary]")).to_contain_text("your fresh model")
    page.evaluate("() => genlab.runtime.call('diffusion_corrupt', {run: genlab.widgets.diffusion.live.diffRun})")
    status = page.locator(f"{REVERSE} [data-role=status]")
    expect(status).to_contain_text("Training stopped", timeout=30_000)
    expect(status).to_contain_text("smaller learning rate")
    expect(page.locator(f"{REVERSE} [data-role=train]")).not_to_have_text("Pause")
    page.locator(f"{REVERSE} [data-role=train-reset]").click()
    expect(page.locator(f"{REVERSE} [data-role=train-stats]")).to_contain_text("Not started")


GAN = '[data-widget="gan"]'


def gan_step(page) -> int:
    return int(page.get_attribute(GAN, "data-step"))


def wait_for(page, condition, limit_s: float = 60) -> None:
    """Polls condition(page) in Python (the page's CSP forbids eval) until true, or fails."""
    for _ in range(int(limit_s * 10)):
        if condition(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the condition did not hold in time")


def live_gan_steps(page) -> int:
    return page.evaluate("() => genlab.widgets.diffusion.live.ganD.values.length")


def test_the_gan_section_and_live_training_keep_their_own_runs(page):
    """§3 plays while §4 trains, resets and trains again (two more GAN runs): neither
    section's run is dropped for the other's, whichever order they start in."""
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    page.evaluate("() => genlab.widgets.gan.play()")
    wait_for(page, lambda p: gan_step(p) >= 20)
    page.locator(f"{REVERSE} [data-role=train-box] summary").click()
    train = page.locator(f"{REVERSE} [data-role=train]")
    train.click()
    wait_for(page, lambda p: live_gan_steps(p) >= 10)
    page.locator(f"{REVERSE} [data-role=train-reset]").click()
    train.click()
    wait_for(page, lambda p: live_gan_steps(p) >= 10)
    train.click()  # pause §4
    reached = gan_step(page)
    wait_for(page, lambda p: gan_step(p) >= reached + 50)  # §3 trains on
    assert page.get_attribute(GAN, "data-state") == "busy"
    page.evaluate("() => { genlab.widgets.gan.pause(); genlab.widgets.gan.reset(); genlab.widgets.gan.reset(); }")
    page.wait_for_function("() => genlab.widgets.gan.run !== null")
    expect(page.locator(GAN)).to_have_attribute("data-state", "ready")
    done = live_gan_steps(page)
    train.click()  # §4 goes on after §3 started two more runs
    wait_for(page, lambda p: live_gan_steps(p) >= done + 10)
    expect(page.locator(f"{REVERSE} [data-role=status]")).not_to_contain_text("unknown or expired")
    assert page.get_attribute(REVERSE, "data-state") == "busy"
    train.click()


def test_after_a_restart_the_learners_picture_stays_and_no_run_is_offered(page, tmp_path):
    """After Restart, the learner's picture used to be replaced by the cat, and §4 offered
    "Continue" at "Step N" for a fresh model that no longer existed; during training the
    reverse panel said ready."""
    pixels = np.zeros((24, 40, 4), np.uint8)
    pixels[..., 0], pixels[..., 3] = 200, 255  # a red picture
    path = tmp_path / "red.png"
    path.write_bytes(png(pixels))
    page.set_input_files(f"{FORWARD} [data-role=file]", str(path))
    expect(page.locator(f"{FORWARD} [data-role=picture-caption]")).to_contain_text("red.png")
    page.locator(f"{REVERSE} details.diff-train summary").click()
    page.locator(f"{REVERSE} [data-role=train]").click()
    page.wait_for_function("() => genlab.widgets.diffusion.live.step > 0")
    page.select_option(f"{REVERSE} [data-role=model]", "live")  # a sample of the fresh model, mid-training
    page.wait_for_function("() => genlab.widgets.diffusion.plane.run !== null")
    expect(page.locator(REVERSE)).to_have_attribute("data-state", "busy")  # still training
    page.locator(f"{REVERSE} [data-role=train]").click()  # pause
    expect(page.locator(f"{REVERSE} [data-role=train]")).to_have_text("Continue")
    page.evaluate("() => genlab.runtime.crash()")
    page.wait_for_selector("html[data-runtime=error]")
    page.locator("#runtime-restart").click()
    wait_ready(page)
    expect(page.locator(FORWARD)).to_have_attribute("data-state", "ready", timeout=30_000)
    expect(page.locator(f"{FORWARD} [data-role=picture-caption]")).to_contain_text("red.png")
    assert picture_pixels(page).shape[:2] == (24, 40)  # the learner's picture, not the cat (451 × 300)
    expect(page.locator(f"{REVERSE} [data-role=train]")).to_have_text("Train")
    expect(page.locator(f"{REVERSE} [data-role=train-stats]")).to_contain_text("Not started")
    assert page.locator(f"{REVERSE} [data-role=model] option[value=live]").is_disabled()


# ---------------------------------------------------------------- one settings table

def settings_table(page) -> tuple[dict, dict]:
    """diffusion-settings.js's DIFFUSION_SETTINGS and DIFFUSION_LIMITS, as the page loads them."""
    t = page.evaluate(js("module-values"), [module("diffusion-settings"), ["DIFFUSION_SETTINGS", "DIFFUSION_LIMITS"]])
    return t["DIFFUSION_SETTINGS"], t["DIFFUSION_LIMITS"]


def test_settings_table_matches_the_python_bounds(page):
    """web/app/sections/diffusion/diffusion-settings.js against genlab.api and genlab.diffusion: every bound the
    page states is the one Python enforces (or, for sliders, within it)."""
    from genlab import diffusion, gan
    s, lim = settings_table(page)
    d = api.diffusion.DEFAULTS
    assert (s["diff_T"]["min"], s["diff_T"]["max"]) == (api.diffusion.MIN_T, diffusion.MAX_T)
    assert s["diff_t"]["max"] == diffusion.MAX_T and s["diff_t"]["fallback"] == d["forward"]["t"]
    assert s["diff_T"]["fallback"] == d["forward"]["T"] and s["diff_schedule"]["fallback"] == d["forward"]["schedule"]
    assert s["diff_schedule"]["options"] == list(diffusion.SCHEDULES)
    assert sorted(s["diff_sampler"]["options"]) == sorted(diffusion.SAMPLERS) == sorted(s["digit_sampler"]["options"])
    assert s["diff_prompt"]["options"] == [*api.diffusion.SHAPES_2D, "none"] and s["diff_prompt"]["fallback"] == d["2d"]["prompt"]
    assert s["digit"]["options"] == [*map(str, range(10)), "none"] and s["digit"]["fallback"] == str(d["digits"]["prompt"])
    for key, which in (("diff", "2d"), ("digit", "digits")):
        scale, steps = s[f"{key}_scale"], s[f"{key}_steps"]
        assert scale["min"] == 0 and scale["max"] <= api.diffusion.DIFF_MAX_SCALE and scale["fallback"] == d[which]["scale"]
        shipped_T = api.diffusion.shipped(which).cfg.T  # the most sampling steps the model takes
        assert all(1 <= int(o) <= shipped_T for o in steps["options"]) and steps["fallback"] == str(d[which]["steps"])
        assert s[f"{key}_sampler"]["fallback"] == d[which]["sampler"]
        assert s[f"{key}_seed"]["max"] == api.MAX_SEED and s[f"{key}_seed"]["fallback"] == d[which]["seed"]
    assert lim["maxSide"] == api.diffusion.DIFF_MAX_SIDE == api.diffusion_presets()["max_side"]
    assert lim["nPoints"] == d["2d"]["n"] <= api.diffusion.DIFF_MAX_POINTS and lim["nDigits"] == d["digits"]["n"] <= api.diffusion.DIFF_MAX_DIGITS
    assert lim["tracked"] == api.diffusion.DIFF_TRACKED
    assert lim["trainShapes"] == list(api.diffusion.SHAPES_2D) and lim["trainShape"] == d["train"]["shape"]
    assert [lim["trainLr"]["min"], lim["trainLr"]["max"]] == list(api.diffusion.DIFF_LR) and lim["trainLr"]["fallback"] == d["train"]["lr"]
    assert api.diffusion_presets()["extent"] == list(gan.EXTENT)
    # Python refuses a picture one pixel past the page's side
    with pytest.raises(ValueError, match="width"):
        api.diffusion_image(bytes((lim["maxSide"] + 1) * 4), lim["maxSide"] + 1, 1)


def test_option_lists_and_bounds_come_from_the_table(page):
    s, lim = settings_table(page)
    selects = page.eval_on_selector_all(f"{DIFF} select[data-param]",
                                        "ss => ss.map(s => [s.dataset.param, Array.from(s.options).map(o => [o.value, o.text])])")
    assert {k for k, _ in selects} == {k for k, v in s.items() if v["kind"] == "choice" and k != "digit"}
    for key, options in selects:
        assert [v for v, _ in options] == s[key]["options"], key
        labels = s[key].get("optionLabels", {})
        assert [text for _, text in options] == [labels.get(v, v) for v in s[key]["options"]], key
    shapes = page.eval_on_selector(f"{REVERSE} [data-role=train-shape]", "s => Array.from(s.options).map(o => o.value)")
    assert shapes == lim["trainShapes"]
    lr = page.eval_on_selector(f"{REVERSE} [data-role=train-lr]", "i => [Number(i.min), Number(i.max), Number(i.value)]")
    assert lr == [lim["trainLr"]["min"], lim["trainLr"]["max"], lim["trainLr"]["fallback"]]
    T = page.eval_on_selector(f"{FORWARD} [data-param=diff_T]", "i => [Number(i.min), Number(i.max)]")
    assert T == [s["diff_T"]["min"], s["diff_T"]["max"]]
    scale = page.eval_on_selector(f"{GUIDANCE} [data-param=digit_scale]", "i => [Number(i.min), Number(i.max)]")
    assert scale == [s["digit_scale"]["min"], s["digit_scale"]["max"]]
    buttons = page.eval_on_selector_all(f"{GUIDANCE} [data-digit]", "bs => bs.map(b => b.dataset.digit)")
    assert buttons == s["digit"]["options"]


# ---------------------------------------------------------------- paths that teach

def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


def show_frame(page, frame: int) -> None:
    set_slider(page, f"{REVERSE} [data-role=frame]", frame)
    expect(page.locator(f"{REVERSE} [data-role=frame-out]")).to_have_text(str(frame))


def test_paths_are_smooth_clipped_and_follow_the_scrubber(page):
    wait_idle(page, REVERSE)
    plane = page.evaluate("() => { const p = genlab.widgets.diffusion.plane; return [p.sampler, p.guesses.shape, p.steps]; }")
    assert plane[0] == "ddim"  # smooth paths by default
    assert plane[1] == [plane[2] + 1, 8, 2]  # the model's running guess for the eight tracked points
    seen = {}
    for frame in (0, plane[2] // 2, plane[2]):
        show_frame(page, frame)
        out = page.evaluate(js("diffusion-path-marks"), [module("diffusion-view"), module("plane"), frame])
        x0, x1, y0, y1 = out["extent"]
        for m in out["marks"]:
            for piece in m["done"] + m["ahead"]:  # every drawn vertex lies on the plane
                assert all(x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9 for x, y in piece)
        # The current step is highlighted: at each tracked point's position, its own colour.
        hits = sum(np.abs(np.array(m["pixel"][:3]) - hex_rgb(out["colors"][m["k"]])).max() < 40 for m in out["marks"])
        assert hits >= 6, (frame, hits)
        seen[frame] = [tuple(np.round(m["px"], 1)) for m in out["marks"]]
    assert seen[0] != seen[plane[2]]  # the highlights moved with the scrubber
    label = page.get_attribute(f"{REVERSE} [data-role=plane]", "aria-label")
    assert f"step {plane[2]} of {plane[2]}" in label and "guesses" in label


def test_points_beyond_the_edge_are_shown_on_it_and_counted(warm, base_url):
    """At guidance 10 the push throws points out of the plane mid-way: each is an arrow on the
    border, the corner and the canvas's label count them, and the page says how many at worst."""
    with warm_page(warm, base_url + "?diff_scale=10#diffusion", wait_diffusion) as page:
        wait_idle(page, REVERSE)
        plane = page.evaluate("() => { const p = genlab.widgets.diffusion.plane; return {path: Array.from(p.path.data), shape: p.path.shape}; }")
        path = np.array(plane["path"]).reshape(plane["shape"])
        x0, x1, y0, y1 = gan.EXTENT
        out = ~((path[..., 0] >= x0) & (path[..., 0] <= x1) & (path[..., 1] >= y0) & (path[..., 1] <= y1))
        counts = out.sum(axis=1)
        worst = int(np.argmax(counts[1:]) + 1)
        assert counts[worst] > counts[0]  # the strong push throws more out than the static started with
        expect(page.locator(f"{REVERSE} [data-role=off-summary]")).to_contain_text(
            f"threw {counts[worst]} points beyond the edge at step {worst}")
        show_frame(page, worst)
        expect(page.locator(REVERSE)).to_have_attribute("data-off-plane", str(counts[worst]))
        label = page.get_attribute(f"{REVERSE} [data-role=plane]", "aria-label")
        assert f"{counts[worst]} of them are beyond the edge" in label
        pixels = canvas_pixels(page, f"{REVERSE} [data-role=plane]")
        arrow = np.abs(pixels[..., :3].astype(int) - hex_rgb("#c2410c")).max(axis=-1) < 30
        h, w = arrow.shape
        border = np.zeros_like(arrow)
        band = max(3, h // 40)
        border[:band], border[-band:], border[:, :band], border[:, -band:] = True, True, True, True
        assert arrow[border].sum() > 2 * counts[worst]  # the arrows sit on the border: a few pixels each at least
        show_frame(page, plane["shape"][0] - 1)
        expect(page.locator(REVERSE)).to_have_attribute("data-off-plane", str(counts[-1]))


def test_clipping_cuts_paths_at_the_plane_edge(warm, base_url):
    extent = [-1, 1, -1, 1]
    with warm_page(warm, base_url, loaded) as page:  # (a function of the view: no picture needed)
        clip = lambda points: page.evaluate(js("call-module"), [module("diffusion-view"), "clipPolyline", [points, extent]])  # noqa: E731
        out = {"across": clip([[-2, 0], [0, 0], [2, 0]]), "outside": clip([[2, 2], [3, 3]]),
               "inOut": clip([[0, 0], [0, 3], [0.5, 0.5]])}
    assert out["across"] == [[[-1, 0], [0, 0], [1, 0]]]
    assert out["outside"] == []
    assert out["inOut"] == [[[0, 0], [0, 1]], [[pytest.approx(0.4), 1], [0.5, 0.5]]]  # (0, 3) to (0.5, 0.5) meets y = 1 at 0.8 of the way


# ---------------------------------------------------------------- guidance's price


def variety_shown(page) -> float:
    return float(page.get_attribute(f"{GUIDANCE} [data-role=variety]", "data-value"))


def test_variety_figure_is_shown_and_falls_with_scale(page):
    wait_idle(page, GUIDANCE)
    found = {}
    for scale in (1, 10):
        set_slider(page, f'{GUIDANCE} [data-param="digit_scale"]', scale)
        page.wait_for_function("s => genlab.widgets.diffusion.digits.scale === s", arg=scale)
        wait_idle(page, GUIDANCE)
        found[scale] = variety_shown(page)
        d = api.diffusion.DEFAULTS["digits"]
        python = api.diffusion_sample_digits(d["prompt"], scale, d["steps"], d["sampler"], d["seed"], 16)["variety"]
        assert found[scale] == pytest.approx(python, abs=1e-4)  # the figure is Python's measurement
        shown = page.locator(f"{GUIDANCE} [data-role=variety]")
        expect(shown).to_have_text(f"{round(100 * python)}%")
        expect(page.locator(f"{GUIDANCE} [data-role=variety-note]")).to_contain_text("real 3s differ")
    assert found[10] < 0.9 * found[1]
    expect(page.locator(f"{GUIDANCE} .diff-price")).to_contain_text("moderate scale")
    box = page.locator(f"{GUIDANCE} [data-role=variety]").bounding_box()
    grid = page.locator(f"{GUIDANCE} [data-role=digits]").bounding_box()
    assert box["y"] < grid["y"] + grid["height"]  # beside the grid, not below it
