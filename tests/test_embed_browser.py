"""Embedding in Chromium: a host page on one origin, the lesson on another; sandboxes; presets."""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import READY_TIMEOUT_MS, PlainHandler, serving, wait_ready


@contextlib.contextmanager
def host_site(pages: dict[str, str]):
    """A plain static site on http://localhost:PORT/ (another origin than the lesson's 127.0.0.1)."""
    root = Path(tempfile.mkdtemp(prefix="genlab-lms."))
    for name, text in pages.items():
        (root / name).write_text(text)
    try:
        with serving(root, PlainHandler, host="localhost") as url:
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


def course_page(body: str) -> str:
    return f"<!doctype html><html><head><title>Course</title></head><body><h1>Week 3</h1>{body}</body></html>"


def embed_code(browser, base_url: str, section: str) -> str:
    """The code the Embed button of a section gives, as a teacher would copy it."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + "?gan_target=spiral")
    button = page.locator(f"#{section} .embed-button")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    code = page.locator(f"#{section} .embed-code").input_value()
    ctx.close()
    return code


def lesson_frame(page):
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_load_state("domcontentloaded")
    return frame


def test_embed_across_origins_resizes_and_stays_on_its_origin(browser, base_url):
    code = embed_code(browser, base_url, "gan")
    assert 'data-genlab' in code and "embed=gan" in code and "gan_target=spiral" in code
    assert re.search(r'<script src="http://127\.0\.0\.1:\d+/course/unit-1/genlab/embed\.js" async>', code)
    with host_site({"course.html": course_page(code)}) as host:
        ctx = browser.new_context(viewport={"width": 900, "height": 700})
        requests = []
        ctx.on("request", lambda r: requests.append(r.url))
        page = ctx.new_page()
        page.goto(host + "course.html")
        frame = lesson_frame(page)
        frame.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
        frame.wait_for_function("() => genlab.widgets.gan.run !== null")
        assert frame.evaluate("() => genlab.store.get('gan_target')") == "spiral"  # settings from the URL
        visible = frame.evaluate("() => [...document.querySelectorAll('main > section')].filter(s => s.offsetParent).map(s => s.id)")
        assert visible == ["gan"]
        expect(frame.locator(".embed-banner a")).to_have_attribute("href", re.compile(r"#gan$"))
        iframe = page.locator("iframe[data-genlab]")
        content = lambda: frame.evaluate("() => Math.ceil(document.documentElement.getBoundingClientRect().height)")  # noqa: E731
        expect(iframe).to_have_attribute("data-genlab-height", str(content()))
        first = iframe.bounding_box()["height"]
        assert abs(first - content()) <= 1 and first > 700  # no inner scroll bar
        frame.locator("#gan details.settings summary").click()  # fold the settings away: shorter
        page.wait_for_function("h => document.querySelector('iframe').getBoundingClientRect().height < h - 50", arg=first)
        assert abs(iframe.bounding_box()["height"] - content()) <= 1
        lesson_origin = base_url.split("/course/")[0]
        strangers = [u for u in requests if not u.startswith((host, lesson_origin, "data:", "blob:"))]
        assert strangers == []
        frame_requests = frame.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        assert frame_requests and all(u.startswith(lesson_origin) for u in frame_requests)
        ctx.close()


def test_host_script_ignores_messages_from_elsewhere(browser, base_url):
    code = embed_code(browser, base_url, "llm")
    with host_site({"course.html": course_page(code)}) as host:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(host + "course.html")
        frame = lesson_frame(page)
        frame.wait_for_selector('[data-widget="llm"][data-state="ready"] .bars li', timeout=READY_TIMEOUT_MS)
        iframe = page.locator("iframe[data-genlab]")
        content = lambda: frame.evaluate("() => String(Math.ceil(document.documentElement.getBoundingClientRect().height))")  # noqa: E731
        expect(iframe).to_have_attribute("data-genlab-height", content())
        page.evaluate("() => window.postMessage({type: 'genlab:height', height: 55}, '*')")  # not from the frame
        frame.evaluate("() => window.parent.postMessage({type: 'genlab:height', height: 'tall'}, '*')")  # not a number
        page.wait_for_timeout(300)
        # Still the frame's own height: neither message was taken (55 would have shrunk it to 120).
        assert iframe.get_attribute("data-genlab-height") == content()
        assert iframe.bounding_box()["height"] > 300
        ctx.close()


@pytest.mark.parametrize("sandbox, works", [("allow-scripts allow-same-origin", True), ("allow-scripts", False)])
def test_sandboxed_frames_work_or_explain(browser, base_url, sandbox, works):
    src = base_url + "?embed=temperature"
    body = f'<iframe src="{src}" title="GenLab" sandbox="{sandbox}" style="width:100%;height:600px"></iframe>'
    with host_site({"course.html": course_page(body)}) as host:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(host + "course.html")
        frame = lesson_frame(page)
        if works:
            frame.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
            frame.wait_for_selector('[data-widget="temperature"][data-state="ready"]')
        else:
            expect(frame.locator(".notice.blocked")).to_contain_text("cannot run inside this frame")
            expect(frame.locator(".notice.blocked")).to_contain_text("allow-same-origin")
            expect(frame.locator("#temperature-h")).to_be_visible()  # the lesson's text is still there
        ctx.close()


def test_teacher_presets_hide_and_lock_controls(browser, base_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + "?embed=llm&t=0.3&hide=seed,context&lock=t")
    wait_ready(page)
    expect(page.locator('[data-widget="llm"] [data-role="seed"]')).to_be_hidden()
    expect(page.locator('[data-widget="llm"] [data-role="context"]')).to_be_hidden()
    slider = page.locator('[data-widget="llm"] [data-role="t"]')
    expect(slider).to_be_disabled()  # stays locked after Python is ready
    expect(slider).to_have_value("0.3")
    expect(page.locator('[data-widget="llm"] [data-role="sample"]')).to_be_enabled()
    ctx.close()


def test_bad_embedding_parameters_are_explained(browser, base_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + "?embed=nope&hide=zzz")
    notice = page.locator("#notices .notice.warn")
    expect(notice).to_contain_text("“embed=nope” is not a section of this lesson")
    expect(notice).to_contain_text("“hide” names settings this page does not have (zzz)")
    expect(page.locator("#classify")).to_be_visible()  # the whole lesson instead
    ctx.close()
