"""`python build.py single`: one HTML file, opened from disk (file://) with the network off."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import build
from tests.browser import READY_TIMEOUT_MS


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    return build.build_single(out_dir=tmp_path_factory.mktemp("single"))


def test_the_single_file_is_self_contained_and_strict(single):
    html = single.read_text()
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", html, flags=re.S)  # tags, not script text
    assert not re.search(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="(?!#)', markup)  # nothing loaded by address
    assert 'data-path="wheels/genlab-' in html and 'data-path="pyodide/pyodide.asm.wasm"' in html


def test_sampler_and_diffusion_work_from_disk_offline(browser, single):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    ctx.set_offline(True)
    requests = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(single.as_uri())
    page.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
    page.get_by_role("button", name="Sample one token").click()
    expect(page.locator('[data-widget="llm"] [data-role="result"]')).to_contain_text("Draw 1 with seed 42")
    page.locator("[data-panel=guidance]").scroll_into_view_if_needed()
    page.wait_for_function("() => genlab.widgets.diffusion.digits && genlab.widgets.diffusion.picture",
                           polling=100, timeout=60_000)
    expect(page.locator("[data-panel=guidance] [data-role=digits-summary]")).to_contain_text("as a 3")
    page.locator("#art").scroll_into_view_if_needed()  # the art section paints from disk too
    page.wait_for_function("() => genlab.widgets.art && genlab.widgets.art.shown", polling=100, timeout=60_000)
    rendered = page.evaluate("() => genlab.widgets.art.shown.sha256")
    knobs = page.evaluate("() => { const l = genlab.widgets.art.shown; return [l.seed, l.style, l.palette, l.complexity, l.symmetry, l.size]; }")
    from genlab import api
    assert rendered == api.art_render(*knobs)["sha256"]  # the same bytes as CPython
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    ctx.close()
