"""Each section embedded alone, on a course page of another origin, is a complete activity:
every control in the frame does something the learner can see, and no visible sentence
points at another section."""
from __future__ import annotations

import re
import struct
import zlib

import pytest

from tests.browser import (READY_TIMEOUT_MS, course_page, fresh_context, host_site, js, loaded, module, open_page,
                           python_ready, warm_page)

TITLES = {
    "classify": "Creating vs classifying", "llm": "LLMs, one token at a time",
    "gan": "GANs, forger vs detective", "diffusion": "Diffusion, sculpting from static",
    "temperature": "The temperature knob", "responsibility": "Prompts and responsibility",
    "art": "Seeded abstract art",
}
QUIET_MS = 300  # a view that has not changed for this long is at rest
CHANGE_TIMEOUT_MS = 30_000

CONTROLS = "input, select, button, textarea, summary, canvas[role=application]"  # (js("next-control"))

# Choosing a radio button (which kind of point to add, which network to train, a quiz answer)
# changes what the next action does, not the view: it counts as used once it is checked.
# Toggles start work that keeps changing the view, or fold a part away: pressed again after.
TOGGLES = {"play", "train"}
# Replays animate back to the picture already shown: the change is seen only while they run.
REPLAYS = {"replay", "digits-replay"}


def tiny_png() -> bytes:
    """A 4 × 4 red-and-blue PNG, written by hand (no imaging library in the tests)."""
    rows = b"".join(b"\0" + bytes([255, 0, 0, 0, 0, 255] * 2) for _ in range(4))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def settle(frame, section, since=None):
    """Waits until the view rests (and, with since, differs from it); returns its signature."""
    deadline = CHANGE_TIMEOUT_MS
    last, still = frame.evaluate(js("section-signature"), section), 0
    while deadline > 0:
        frame.page.wait_for_timeout(60)
        deadline -= 60
        now = frame.evaluate(js("section-signature"), section)
        still = still + 60 if now == last else 0
        last = now
        if still >= QUIET_MS and (since is None or now != since):
            return now
    return last


def moving(frame, section, since) -> bool:
    """Whether the view differs from since at some moment within a few seconds."""
    for _ in range(100):
        if frame.evaluate(js("section-signature"), section) != since:
            return True
        frame.page.wait_for_timeout(30)
    return False


def use(frame, page, section, control):
    """Uses one control as a learner would; returns how (for the failure message)."""
    target = frame.locator(f"#{section}").locator(CONTROLS).nth(control["index"])
    tag, kind = control["tag"], control["type"]
    if tag == "canvas":
        box = target.bounding_box()
        target.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.6})
        target.press("ArrowRight")
        target.press("Space")
        return "clicked and pressed Space on"
    if tag == "select":
        options = target.evaluate("s => [...s.options].filter(o => !o.disabled && !o.selected).map(o => o.value)")
        target.select_option(options[-1])
        return f"chose {options[-1]} in"
    if kind == "range":
        target.focus()
        target.press("End" if float(control["value"]) < float(control["max"]) else "Home")
        return "moved"
    if kind in ("checkbox", "radio"):
        target.click()
        return "ticked"
    if kind == "file":
        target.set_input_files({"name": "dots.png", "mimeType": "image/png", "buffer": tiny_png()})
        return "gave a picture to"
    if kind == "number":
        value = float(control["value"] or 0)
        limit = float(control["max"]) if control["max"] else float("inf")
        new = value * 2 if control["step"] == "any" and value * 2 <= limit else value + 1 if value + 1 <= limit else value - 1
        target.fill(repr(int(new)) if new == int(new) else repr(new))
        target.press("Enter")
        target.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")
        return f"typed {new} into"
    if kind == "text":
        if target.evaluate("e => e.readOnly"):
            target.click()
            return "selected"
        target.fill("once upon a time the")
        return "typed into"
    if control["role"] in REPLAYS:
        return "replayed"  # (clicked by the caller, with motion on)
    if control["role"] == "download":
        with page.expect_download() as download:
            target.click()
        assert download.value.suggested_filename.endswith(".png")
        return "downloaded with"
    target.click()
    return "pressed"


def visible_text_problems(frame, section) -> list[str]:
    text = frame.evaluate("() => document.body.innerText")
    problems = [m.group(0) for m in re.finditer(r"\bsections? \d+", text, re.I)]
    problems += [title for other, title in TITLES.items() if other != section and title in text]
    links = frame.evaluate("""() => [...document.querySelectorAll('a[href*="#"]')]
        .filter(a => a.getClientRects().length).map(a => new URL(a.href).hash.slice(1))""")
    problems += [f"link to #{h}" for h in links if h in TITLES and h != section]
    return problems


def frame_of(base_url: str, section: str, height: int = 900) -> str:
    return (f'<iframe src="{base_url}?embed={section}" title="GenLab" data-genlab '
            f'style="width: 100%; height: {height}px; border: 0"></iframe>')


@pytest.fixture(scope="module")
def course_site(browser, base_url):
    """A course site of another origin with a page per section, and one context for the module in
    which a keeper page (a course page with a small GenLab frame) holds the shared worker open:
    each section's frame joins a Python already running, as the second frame of a course does."""
    pages = {f"{section}.html": course_page(frame_of(base_url, section)) for section in TITLES}
    pages["keeper.html"] = course_page(frame_of(base_url, "art", 300))
    with host_site(pages) as host:
        with fresh_context(browser, viewport={"width": 1000, "height": 900}, reduced_motion="reduce",
                           accept_downloads=True) as ctx:
            keeper = open_page(ctx, host + "keeper.html", loaded)
            frame = keeper.wait_for_selector("iframe").content_frame()
            python_ready(frame)
            # A frame of another site has its shared worker as in a learner's Chrome (tests.browser.launch).
            assert frame.evaluate("() => genlab.runtime.info.worker.shared")
            yield ctx, host


@pytest.mark.parametrize("section", list(TITLES))
def test_section_embedded_alone_is_a_complete_activity(course_site, section):
    ctx, host = course_site
    with warm_page(ctx, host + f"{section}.html", loaded) as page:
        frame = page.wait_for_selector("iframe").content_frame()
        python_ready(frame)
        frame.wait_for_selector(f"#{section} [data-state=ready]", timeout=READY_TIMEOUT_MS)
        assert frame.evaluate("() => location.origin") != page.evaluate("() => location.origin")
        joined = frame.evaluate("() => genlab.runtime.info.worker")
        assert joined["shared"] and joined["page"] > 1, joined  # it joined the keeper's Python
        shown = frame.evaluate("() => [...document.querySelectorAll('main > section')].filter(s => s.offsetParent).map(s => s.id)")
        assert shown == [section]
        assert visible_text_problems(frame, section) == []

        used, signature = [], settle(frame, section)
        while (control := frame.evaluate(js("next-control"), [section, CONTROLS])) is not None:
            how = use(frame, page, section, control)
            name = f"{how} {control['tag']} “{control['text'] or control['role']}”"
            if control["type"] == "radio":
                assert frame.locator(f"#{section}").locator(CONTROLS).nth(control["index"]).is_checked(), name
                used.append(name)
                continue
            target = frame.locator(f"#{section}").locator(CONTROLS).nth(control["index"])
            if control["role"] in REPLAYS:
                page.emulate_media(reduced_motion="no-preference")
                target.click()
                assert moving(frame, section, signature), f"nothing moved after the test {name}"
                page.emulate_media(reduced_motion="reduce")
                signature = settle(frame, section)
                used.append(name)
                continue
            if control["role"] in TOGGLES:  # work that keeps the view moving: seen moving, then stopped
                assert moving(frame, section, signature), f"nothing moved after the test {name}"
                frame.page.wait_for_timeout(1500)
                target.click()
            elif control["tag"] == "summary" and not target.evaluate("s => s.parentElement.open"):
                assert moving(frame, section, signature), f"nothing changed after the test {name}"
                target.click()  # it was open and is folded away now: opened again, for what is inside
                signature = settle(frame, section)
                used.append(name)
                continue
            after = settle(frame, section, since=signature)
            assert after != signature, f"nothing visible changed after the test {name}"
            errors = frame.evaluate("() => [...document.querySelectorAll('[data-state=error] [data-role=status]')].map(s => s.textContent)")
            assert errors == [], f"{name}: {errors}"
            used.append(name)
            signature = after
        never = frame.evaluate(js("controls-never-used"), [section, CONTROLS])
        assert never == [], f"controls on screen the test could not use: {never}"
        assert len(used) >= 3, used
        assert visible_text_problems(frame, section) == []
        assert frame.evaluate("() => genlab.errors") == []  # no handler threw on the way
        # On a phone: the frame's content fits its width.
        page.set_viewport_size({"width": 360, "height": 740})
        frame.wait_for_timeout(300)
        wide = frame.evaluate(js("wider-than-the-frame"))
        assert wide == [], f"wider than the frame on a 360 px phone: {wide[:6]}"


# ------------------------------------------------------------------------------ locks

def other_value(spec):
    """A value of the setting that is not its default (on the slider's step grid)."""
    if spec["kind"] == "choice":
        return next(o for o in spec["options"] if o != spec["fallback"])
    if spec["kind"] == "text":
        return "a sentence the teacher chose"
    if spec["kind"] == "points":
        return "0.10,0.20;0.30,0.40"
    return spec["min"] if spec["fallback"] != spec["min"] else spec["max"]


def test_every_lockable_setting_holds_by_every_route(warm, base_url):
    """Every setting locked at once, at a value that is not its default: every control that
    shows or changes it is disabled, and using every other control of the page, the widgets'
    own paths and the store directly leaves each value, control and link as the teacher set it."""
    with warm_page(warm, base_url, loaded, lambda page: page.emulate_media(reduced_motion="reduce")) as page:
        facts = page.evaluate(js("lock-facts"), [module("state"), module("embed")])
        params, keys = facts["params"], facts["lockable"]
        assert len(keys) >= 35  # every URL setting with a control on the page
        locked = {k: other_value(params[k]) for k in keys}
        query = "&".join(f"{k}={v}" for k, v in locked.items()).replace(";", "%3B")
        page.goto(f"{base_url}?{query}&lock={','.join(keys)}")
        page.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
        page.wait_for_selector('[data-widget="llm"][data-state="ready"]', timeout=READY_TIMEOUT_MS)
        expect_values = lambda: page.evaluate("() => genlab.store.values")  # noqa: E731
        assert {k: expect_values()[k] for k in keys} == locked
        for section in TITLES:
            page.locator(f"#{section}").scroll_into_view_if_needed()
            settle(page.main_frame, section)
        enabled = page.evaluate(js("unlocked-controls"), keys)
        assert enabled == []
        # Every other control, as a learner would use it (radios, buttons, canvases, the kit's ticks).
        for section in TITLES:
            while (control := page.evaluate(js("next-control"), [section, CONTROLS])) is not None:
                use(page.main_frame, page, section, control)
                if control["role"] in TOGGLES:
                    page.wait_for_timeout(300)
                    page.locator(f"#{section} [data-role={control['role']}]").click()
        # The widgets' own paths, and the store itself.
        page.evaluate("() => { genlab.widgets.llm.setT(1.5); genlab.store.set({t: 1.9, art_seed: 7, digit: '0'}, 'test'); }")
        for section in TITLES:
            settle(page.main_frame, section)
        assert {k: expect_values()[k] for k in keys} == locked
        shown = page.evaluate(js("setting-values-shown"), keys)
        same = lambda k, v: float(v) == float(locked[k]) if params[k]["kind"] in ("number", "integer") else v == str(locked[k])  # noqa: E731
        assert shown and [(k, v) for k, v in shown if not same(k, v)] == []
        # Shared links keep the locks and the locked values: the address all of them, the art
        # share link those of its own section only.
        search = page.evaluate("() => location.search")
        share = page.evaluate("() => genlab.widgets.art.shareUrl()")
        for link, kept in ((search, keys), (share, [k for k in keys if k.startswith("art_")])):
            query = dict(p.split("=", 1) for p in link.split("?", 1)[-1].split("#")[0].split("&"))
            assert query["lock"].replace("%2C", ",").split(",") == kept
            assert set(kept) <= set(query)


def test_a_locked_temperature_ignores_its_presets_and_other_sections(warm, base_url):
    """The issue's case: ?lock=t kept the slider still while the 0 / 0.2 / 0.8 / 1.5 buttons moved T."""
    with warm_page(warm, base_url + "?embed=temperature&t=0.3&lock=t", loaded) as page:
        page.wait_for_selector('[data-widget="temperature"][data-state="ready"] .column', timeout=READY_TIMEOUT_MS)
        for section in ("llm", "temperature"):
            for button in page.locator(f"#{section} [data-preset]").all():
                assert button.is_disabled()
                if section == "temperature":  # (section 2 is not shown in this embed)
                    button.click(force=True)
            assert page.locator(f"#{section} input[type=range][data-controls=t]").is_disabled()
        assert page.locator("#temperature [data-role=context]").is_enabled()  # only T is fixed
        note = page.locator("#temperature .lock-note")  # said on screen, and to the locked controls
        assert note.inner_text() == "Fixed by your teacher's link: Your temperature."  # the section's own label
        slider = page.locator("#temperature [data-role=t]")
        assert "temperature-locks" in slider.get_attribute("aria-describedby").split()
        page.evaluate("() => genlab.widgets.llm.setT(1.5)")
        page.wait_for_timeout(300)
        assert page.evaluate("() => genlab.store.get('t')") == 0.3
        assert page.locator("#llm [data-role=t]").input_value() == "0.3"
        assert page.locator("#temperature [data-role=t-out]").text_content() == "0.30"
        columns = page.locator("#temperature .column figcaption strong").all_text_contents()
        assert columns[-1] == "T = 0.30"
        # The way out to the full lesson keeps the lock too.
        full = page.locator(".embed-banner a").get_attribute("href")
        assert "lock=t" in full and "t=0.3" in full and "embed=" not in full
