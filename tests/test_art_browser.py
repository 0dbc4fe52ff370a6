"""The art section in Chromium: WebAssembly paints CPython's bytes, knobs, strip, share, PNG, keyboard.

Every picture the page shows is compared with genlab.art.render under CPython,
byte for byte: numpy in WebAssembly and numpy here must agree exactly.
"""
from __future__ import annotations

import hashlib
import re
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

from genlab import api, art
from tests.browser import canvas_pixels, fresh_page, js, loaded, wait_ready, warm_page

ART = '[data-widget="art"]'
TWINS = f'{ART} [data-panel="twins"]'
KEYS = ("art_seed", "art_style", "art_palette", "art_complexity", "art_symmetry", "art_size")

def wait_art(page):
    wait_ready(page)
    wait_shown(page)


@pytest.fixture
def page(warm, base_url):
    with warm_page(warm, base_url + "#art", wait_art) as page:
        yield page


def wait_shown(page) -> None:
    page.wait_for_function(js("art-shown"), timeout=60_000)


def pixels(page, selector: str = f"{ART} [data-role=canvas]") -> np.ndarray:
    """A canvas's RGBA bytes as the page reads them back: (H, W, 4) uint8."""
    return canvas_pixels(page, selector)


def knobs(page) -> dict:
    """The store's art knobs, as ArtConfig fields."""
    v = page.evaluate(f"() => Object.fromEntries({list(KEYS)}.map((k) => [k.slice(4), genlab.store.get(k)]))")
    return {**v, "size": int(v["size"])}


def expected(**cfg) -> np.ndarray:
    return art.render(art.ArtConfig(**cfg))


def assert_same_bytes(shown: np.ndarray, want: np.ndarray) -> None:
    assert shown.shape == want.shape
    if not np.array_equal(shown, want):
        diff = np.abs(shown.astype(int) - want.astype(int))
        pytest.fail(f"{np.count_nonzero(diff)} of {diff.size} bytes differ (largest difference {diff.max()})")


def show(page, **changes) -> np.ndarray:
    """Set art knobs through the store (as a host would) and return the canvas once drawn."""
    page.evaluate("(c) => genlab.store.set(c)", {f"art_{k}": v for k, v in changes.items()})
    wait_shown(page)
    return pixels(page)


COMBOS = [  # seed, style, palette, complexity, symmetry: every style, palette and symmetry at least once
    (1, "flow", "ember", 5, "none"),
    (2, "shapes", "ocean", 3, "mirror"),
    (3, "terrain", "forest", 8, "4fold"),
    (4, "waves", "candy", 10, "radial"),
    (5, "ridges", "dusk", 1, "radial"),
    (6, "flow", "ink", 9, "4fold"),
    (42, "auto", "auto", 5, "radial"),
    (4294967295, "shapes", "auto", 7, "mirror"),
]


def test_the_browser_paints_cpythons_bytes(page):
    """WebAssembly numpy (Pyodide) and CPython numpy give the same pixels, byte for byte."""
    for seed, style, palette, complexity, symmetry in COMBOS:
        cfg = {"seed": seed, "style": style, "palette": palette, "complexity": complexity, "symmetry": symmetry, "size": 256}
        shown = show(page, **{**cfg, "size": "256"})
        want = expected(**cfg)
        assert_same_bytes(shown, want)
        fingerprint = page.locator(ART).get_attribute("data-sha256")
        assert fingerprint == hashlib.sha256(want.tobytes()).hexdigest()  # the page's fingerprint too
        expect(page.locator(f"{ART} [data-role=caption]")).to_contain_text(fingerprint[:16])
    strip = api.art_strip(list(range(4294967288, 4294967296)), "shapes", "auto", 7, "mirror", 64)
    assert page.evaluate("() => genlab.widgets.art.strip.seeds") == strip["seeds"]  # clamped at the top
    for k in range(8):
        assert_same_bytes(pixels(page, f"{ART} .thumb >> nth={k} >> canvas"), strip["images"][k])


def test_default_picture_label_and_controls(page):
    used = art.resolve(art.ArtConfig())
    assert_same_bytes(pixels(page), expected())  # seed 42, auto, complexity 5, no symmetry, 512
    style = art.STYLES[used.style]
    expect(page.locator(f"{ART} [data-role=canvas]")).to_have_attribute(
        "aria-label", f"Abstract art: {style} style, {used.palette} palette, complexity 5, no symmetry, seed 42, 512 × 512 pixels")
    expect(page.locator(f"{ART} > [data-role=status]")).to_contain_text("Rendered in")
    expect(page.locator(f"{ART} [data-role=canvas]")).to_have_attribute("role", "img")
    presets = api.art_presets()
    options = page.evaluate(js("select-options"), ART)
    assert options["art_style"] == ["auto"] + [s["name"] for s in presets["styles"]]
    assert options["art_palette"] == ["auto"] + [p["name"] for p in presets["palettes"]]
    assert options["art_symmetry"] == [s["name"] for s in presets["symmetries"]]
    assert options["art_size"] == ["256", "512", "768", "1024"]
    for control in page.locator(f"{ART} input, {ART} select, {ART} button").all():  # every control has a name
        if control.is_visible():
            expect(control).to_have_accessible_name(re.compile(r"\w"))


def record_status(page) -> None:
    page.evaluate(js("record-text"), [f"{ART} [data-role=status]", "artStatus"])


def test_seed_field_and_shuffle(page):
    record_status(page)
    field = page.locator(f"{ART} [data-param=art_seed]")
    field.fill("7")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"art_seed=7(&|#|$)"))
    wait_shown(page)
    assert_same_bytes(pixels(page), expected(seed=7))
    assert "Rendering…" in page.evaluate("() => artStatus")  # the page said it was working
    page.locator(f"{ART} [data-role=shuffle]").click()
    page.wait_for_function("() => genlab.store.get('art_seed') !== 7")
    wait_shown(page)
    seed = page.evaluate("() => genlab.store.get('art_seed')")
    expect(field).to_have_value(str(seed))
    expect(page).to_have_url(re.compile(rf"art_seed={seed}(&|#|$)"))
    assert_same_bytes(pixels(page), expected(seed=seed))


def test_each_knob_changes_the_picture(page):
    show(page, size="256")
    seen = {hashlib.sha256(pixels(page).tobytes()).hexdigest()}
    steps = [("art_style", "ridges"), ("art_palette", "candy"), ("art_symmetry", "mirror"), ("art_style", "flow")]
    for param, value in steps:
        page.select_option(f"{ART} [data-param={param}]", value)
        page.wait_for_function("([k, v]) => genlab.store.get(k) === v", arg=[param, value])
        wait_shown(page)
        shown = pixels(page)
        assert_same_bytes(shown, expected(**knobs(page)))
        seen.add(hashlib.sha256(shown.tobytes()).hexdigest())
    slider = page.locator(f"{ART} [data-param=art_complexity]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"{ART} [data-role=complexity-out]")).to_have_text("6")
    wait_shown(page)
    seen.add(hashlib.sha256(pixels(page).tobytes()).hexdigest())
    assert len(seen) == len(steps) + 2  # every change gave a new picture
    page.select_option(f"{ART} [data-param=art_size]", "768")
    page.wait_for_function("() => genlab.store.get('art_size') === '768'")
    wait_shown(page)
    shown = pixels(page)
    assert shown.shape == (768, 768, 4)
    assert_same_bytes(shown, expected(**knobs(page)))
    box = page.locator(f"{ART} [data-role=canvas]").bounding_box()
    assert box["width"] <= 520  # drawn at 768 pixels, shown at the column's width
    expect(page).to_have_url(re.compile("art_size=768"))


def test_neighbouring_seeds_strip(page):
    thumbs = page.locator(f"{ART} .thumb")
    expect(thumbs).to_have_count(8)
    names = [t.get_attribute("aria-label") for t in thumbs.all()]
    assert names == [f"Seed {s}" for s in range(39, 47)]
    expect(page.get_by_role("button", name="Seed 42", exact=True)).to_have_attribute("aria-current", "true")
    strip = api.art_strip(list(range(39, 47)), size=64)
    for k in range(8):
        assert_same_bytes(pixels(page, f"{ART} .thumb >> nth={k} >> canvas"), strip["images"][k])
    page.get_by_role("button", name="Seed 44", exact=True).click()
    page.wait_for_function("() => genlab.store.get('art_seed') === 44")
    expect(page).to_have_url(re.compile(r"art_seed=44(&|#|$)"))
    expect(page.locator(f"{ART} [data-param=art_seed]")).to_have_value("44")
    wait_shown(page)
    assert_same_bytes(pixels(page), expected(seed=44))
    assert page.evaluate("() => genlab.widgets.art.strip.seeds") == list(range(41, 49))  # centred again
    expect(page.get_by_role("button", name="Seed 44", exact=True)).to_have_attribute("aria-current", "true")


def test_strip_is_named_at_once_and_its_seeds_read_apart(browser, base_url):
    """On a phone, with a ten-digit seed and before Python can draw a thumbnail (here it never
    starts): each neighbour's button is named by its seed, and the seeds under them differ and fit."""
    seed = 3154567890

    def no_python(page):
        page.set_viewport_size({"width": 390, "height": 800})
        page.add_init_script("delete window.SharedWorker;")  # so that the route below reaches the worker's requests
        page.context.route("**/pyodide/**", lambda route: route.abort())

    with fresh_page(browser, f"{base_url}?art_seed={seed}#art", loaded, no_python, service_workers="block") as page:
        strip = page.evaluate(js("strip-labels"))
        assert not strip["ready"]
        thumbs = strip["thumbs"]
        assert [t["name"] for t in thumbs] == [f"Seed {s}" for s in range(seed - 3, seed + 5)]
        texts = [t["text"] for t in thumbs]
        assert len(set(texts)) == 8 and all(t for t in texts)
        for t, s in zip(texts, range(seed - 3, seed + 5)):
            assert str(s).endswith(t.lstrip("…"))  # the seed's own last digits
        assert not any(t["cut"] for t in thumbs)
        expect(page.get_by_role("button", name=f"Seed {seed}", exact=True)).to_have_attribute("aria-current", "true")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_share_link_carries_every_knob_and_reproduces_the_picture(warm, base_url):
    warm.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        with warm_page(warm, base_url + "#art", wait_art) as page:
            shown = show(page, seed=99, style="waves", palette="candy", symmetry="mirror", size="256")  # complexity: default
            page.locator(f"{ART} [data-role=share]").click()
            expect(page.locator(f"{ART} [data-role=share-note]")).to_contain_text("Link copied")
            link = page.evaluate("() => navigator.clipboard.readText()")
            assert page.locator(f"{ART} [data-role=share-url]").input_value() == link
            parts = urlsplit(link)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            assert parts.fragment == "art"
            assert {k: query.get(k) for k in KEYS} == {"art_seed": "99", "art_style": "waves", "art_palette": "candy",
                                                       "art_complexity": "5", "art_symmetry": "mirror", "art_size": "256"}
            with warm_page(warm, link, wait_art) as other:
                assert_same_bytes(pixels(other), shown)
                assert knobs(other) == knobs(page)
                expect(other.locator(f"{ART} [data-param=art_style]")).to_have_value("waves")
    finally:
        warm.clear_permissions()


def test_share_link_fallback_selects_the_text(warm, base_url):
    with warm_page(warm, f"{base_url}?art_seed=5#art", wait_art, lambda p: p.add_init_script(js("refusing-clipboard"))) as page:
        page.locator(f"{ART} [data-role=share]").click()
        note = page.locator(f"{ART} [data-role=share-note]")
        expect(note).to_contain_text("Ctrl+C")
        field = page.locator(f"{ART} [data-role=share-url]")
        expect(field).to_be_visible()
        expect(field).to_be_focused()
        selection = field.evaluate("f => [f.selectionStart, f.selectionEnd, f.value.length, f.readOnly]")
        assert selection[0] == 0 and selection[1] == selection[2] > 0 and selection[3]
        link = field.input_value()
        assert all(f"{k}=" in link for k in KEYS) and "art_seed=5" in link and link.endswith("#art")


def decode_png(data: bytes) -> np.ndarray:
    """A non-interlaced 8-bit RGB or RGBA PNG -> (H, W, 4) uint8, written here so the test needs no imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    ch = 4 if colour == 6 else 3
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, 1 + width * ch).astype(np.int32)
    rows = np.zeros((height + 1, width, ch), np.int32)  # rows[0]: the zero row above the first
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].reshape(width, ch)
        up, out = rows[y], rows[y + 1]
        if kind in (0, 2):
            out[:] = (line + (up if kind == 2 else 0)) & 255
            continue
        left, upleft = np.zeros(ch, np.int32), np.zeros(ch, np.int32)
        for x in range(width):  # Sub, Average and Paeth depend on the pixel just decoded
            if kind == 1:
                pred = left
            elif kind == 3:
                pred = (left + up[x]) // 2
            else:
                p = left + up[x] - upleft
                pa, pb, pc = np.abs(p - left), np.abs(p - up[x]), np.abs(p - upleft)
                pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up[x], upleft))
            out[x] = (line[x] + pred) & 255
            left, upleft = out[x], up[x]
    image = np.full((height, width, 4), 255, np.uint8)
    image[..., :ch] = rows[1:]
    return image


def test_png_download_name_size_and_pixels(warm, base_url):
    with warm_page(warm, base_url + "?art_seed=8&art_style=flow&art_palette=ember&art_symmetry=mirror&art_size=256#art", wait_art) as page:
        with page.expect_download() as info:
            page.locator(f"{ART} [data-role=download]").click()
        download = info.value
        assert download.suggested_filename == "genlab-art-seed8-flow-ember-c5-mirror-256.png"
        data = open(download.path(), "rb").read()
        width, height = struct.unpack(">II", data[16:24])  # IHDR, right after the signature
        assert (width, height) == (256, 256)
        assert_same_bytes(decode_png(data), expected(seed=8, style="flow", palette="ember", symmetry="mirror", size=256))
        expect(page.locator(f"{ART} [data-role=share-note]")).to_contain_text("genlab-art-seed8-flow-ember-c5-mirror-256.png")
        show(page, style="auto", palette="auto")
        used = art.resolve(art.ArtConfig(seed=8))
        with page.expect_download() as info:
            page.locator(f"{ART} [data-role=download]").click()
        assert info.value.suggested_filename == f"genlab-art-seed8-{used.style}-{used.palette}-c5-mirror-256.png"  # names, not "auto"


def test_same_seed_same_output_for_the_real_diffusion_model(page):
    page.locator(f"{TWINS} [data-role=twins-same]").click()
    verdict = page.locator(f"{TWINS} [data-role=twins-verdict]")
    expect(verdict).to_contain_text("Identical: yes", timeout=60_000)
    expect(page.locator(TWINS)).to_have_attribute("data-identical", "yes")
    twins = page.evaluate("() => genlab.widgets.art.twins")
    assert twins["seeds"] == [42, 42] and twins["differ"] == 0 and twins["values"] == 8 * 64
    for role in ("twin-a", "twin-b"):
        row = pixels(page, f"{TWINS} [data-role={role}]")
        assert row.shape == (8, 71, 4) and row[..., 0].std() > 30  # eight digits drawn, not a blank row
    assert_same_bytes(pixels(page, f"{TWINS} [data-role=twin-a]"), pixels(page, f"{TWINS} [data-role=twin-b]"))
    cpython = api.diffusion_sample_digits(prompt=3, scale=3, steps=25, sampler="ddpm", seed=42, n=8)["path"][-1]
    row = pixels(page, f"{TWINS} [data-role=twin-a]")[:, :8, 0].astype(float)  # the first digit, drawn
    assert np.corrcoef(row.ravel(), -cpython[0].ravel())[0, 1] > 0.99  # the digits CPython's model makes
    page.locator(f"{TWINS} [data-role=twins-other]").click()
    expect(verdict).to_contain_text("Identical: no")
    expect(page.locator(TWINS)).to_have_attribute("data-identical", "no")
    twins = page.evaluate("() => genlab.widgets.art.twins")
    assert twins["seeds"] == [42, 43] and twins["differ"] > 100
    expect(page.locator(f"{TWINS} [data-role=twin-b-label]")).to_have_text("Second run, seed 43")


def test_bad_values_in_the_link_and_fields_get_messages(warm, base_url):
    bad = "?art_seed=-5&art_style=cubism&art_palette=neon&art_complexity=11&art_symmetry=spiral&art_size=2000#art"
    with warm_page(warm, base_url + bad, wait_art) as page:
        notice = page.locator("#notices .notice.warn")
        for text in ("Art seed -5 is outside 0 to 4294967295", "Art style “cubism” is not one of auto, flow",
                     "Art palette “neon”", "Art complexity 11 is outside 1 to 10", "Art symmetry “spiral”", "Art size “2000”"):
            expect(notice).to_contain_text(text)
        assert knobs(page) == {"seed": 42, "style": "auto", "palette": "auto", "complexity": 5, "symmetry": "none", "size": 512}
        assert_same_bytes(pixels(page), expected())  # the defaults are drawn
        field = page.locator(f"{ART} [data-param=art_seed]")
        status = page.locator(f"{ART} > [data-role=status]")
        for typed, message in (("99999999999", "Art seed 99999999999 is outside 0 to 4294967295. Keeping 42."),
                               ("1.5", "Art seed “1.5” is not a whole number")):
            field.fill(typed)
            field.press("Enter")
            expect(status).to_contain_text(message)
            expect(field).to_have_value("42")
        error = page.evaluate("() => genlab.runtime.call('art_render', {size: 5000}).then(() => '', (e) => e.message)")
        assert error == "size must be a whole number from 16 to 1024, not 5000"  # Python checks again


def test_keyboard_only(page):
    """Opened at #art, the next Tab starts from the section: every step below is a key press."""
    focused = lambda: page.evaluate("() => document.activeElement.dataset.param || document.activeElement.dataset.role "  # noqa: E731
                                    "|| document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Embed"  # the section's Embed button
    page.keyboard.press("Tab")
    assert focused() == "art_seed"
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    page.wait_for_function("() => genlab.store.get('art_seed') === 12")
    page.keyboard.press("Tab")
    assert focused() == "shuffle"
    page.keyboard.press("Tab")
    assert focused() == "art_style"
    page.keyboard.press("ArrowDown")  # auto -> flow
    page.wait_for_function("() => genlab.store.get('art_style') === 'flow'")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused() == "art_complexity"
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => genlab.store.get('art_complexity') === 4")
    wait_shown(page)  # the strip shows seed 12's neighbours before the keys reach it
    for _ in range(12):  # on through the other controls to the first thumbnail
        page.keyboard.press("Tab")
        if (focused() or "").startswith("Seed "):
            break
    assert focused() == "Seed 9"
    page.keyboard.press("Tab")
    assert focused() == "Seed 10"
    page.keyboard.press("Enter")
    page.wait_for_function("() => genlab.store.get('art_seed') === 10")
    wait_shown(page)
    assert focused() == "Seed 10"  # focus follows the chosen seed as the strip moves
    assert_same_bytes(pixels(page), expected(seed=10, style="flow", complexity=4))


def test_narrow_dark_layout(warm, base_url):
    def phone(page):
        page.set_viewport_size({"width": 360, "height": 800})
        page.emulate_media(color_scheme="dark", reduced_motion="reduce")

    with warm_page(warm, base_url + "#art", wait_art, phone) as page:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        box = page.locator(f"{ART} [data-role=canvas]").bounding_box()
        assert 250 < box["width"] <= 340 and abs(box["width"] - box["height"]) < 1  # fills the column, stays square
        tops = set()
        for thumb in page.locator(f"{ART} .thumb").all():
            b = thumb.bounding_box()
            assert b["x"] >= 0 and b["x"] + b["width"] <= 360
            tops.add(round(b["y"]))
        assert len(tops) > 1  # the strip wraps
        background = page.locator(ART).evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(29, 32, 41)"  # the dark card
        page.locator(f"{TWINS} [data-role=twins-same]").click()
        expect(page.locator(f"{TWINS} [data-role=twins-verdict]")).to_contain_text("Identical: yes", timeout=60_000)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
