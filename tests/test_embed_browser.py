"""Embedding in Chromium: a host page on one origin, the lesson on another; sandboxes; presets."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import (READY_TIMEOUT_MS, course_page, fresh_context, fresh_page, host_site, loaded, open_page,
                           python_ready, warm_page)


@pytest.fixture
def lesson(warm):
    """A teacher's browser in which the lesson's Python already runs (the session's warm context),
    for the Embed panels and the pages opened on the lesson's own site (the course pages of
    another site have their own)."""
    return warm


@pytest.fixture(scope="module")
def course(browser, base_url):
    """A learner's browser for course pages of another site (http://localhost:PORT, whatever the
    port), in which the lesson's frames join a Python already running: a keeper page of that site
    holds a small GenLab frame open, as a course's first frame does for the next ones."""
    keeper = course_page(f'<iframe src="{base_url}?embed=art" title="GenLab" style="width:100%;height:300px"></iframe>')
    with host_site({"keeper.html": keeper}) as host, fresh_context(browser) as context:
        python_ready(lesson_frame(open_page(context, host + "keeper.html", loaded)))
        yield context


def viewport(width: int, height: int):
    return lambda page: page.set_viewport_size({"width": width, "height": height})


def embed_code(lesson, base_url: str, section: str) -> str:
    """The code the Embed button of a section gives, as a teacher would copy it."""
    with warm_page(lesson, base_url + "?gan_target=spiral", loaded) as page:
        button = page.locator(f"#{section} .embed-button")
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        return page.locator(f"#{section} .embed-code").input_value()


def lesson_frame(page):
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_load_state("domcontentloaded")
    return frame


def test_embed_across_origins_resizes_and_stays_on_its_origin(course, lesson, base_url):
    code = embed_code(lesson, base_url, "gan")
    assert 'data-genlab' in code and "embed=gan" in code and "gan_target=spiral" in code
    assert re.search(r'<script src="http://127\.0\.0\.1:\d+/course/unit-1/genlab/embed\.js" async>', code)
    requests = []
    record = lambda r: requests.append(r.url)  # noqa: E731
    course.on("request", record)
    with host_site({"course.html": course_page(code)}) as host, \
            warm_page(course, host + "course.html", loaded, viewport(900, 700)) as page:
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
    course.remove_listener("request", record)


def test_host_script_ignores_messages_from_elsewhere(course, lesson, base_url):
    code = embed_code(lesson, base_url, "llm")
    with host_site({"course.html": course_page(code)}) as host, warm_page(course, host + "course.html", loaded) as page:
        frame = lesson_frame(page)
        frame.wait_for_selector('[data-widget="llm"][data-state="ready"] .bars li', timeout=READY_TIMEOUT_MS)
        iframe = page.locator("iframe[data-genlab]")
        content = lambda: frame.evaluate("() => String(Math.ceil(document.documentElement.getBoundingClientRect().height))")  # noqa: E731
        for _ in range(100):  # the frame's reported height follows its content (which may still grow a little)
            if iframe.get_attribute("data-genlab-height") == content():
                break
            page.wait_for_timeout(100)
        assert iframe.get_attribute("data-genlab-height") == content()
        page.evaluate("() => window.postMessage({type: 'genlab:height', height: 55}, '*')")  # not from the frame
        # Not numbers: text, nothing, a list, a number written as text (Number() would take the last three).
        for height in ("'tall'", "null", "[700]", "'1e9'", "''", "true"):
            frame.evaluate(f"() => window.parent.postMessage({{type: 'genlab:height', height: {height}}}, '*')")
        page.wait_for_timeout(300)
        # Still the frame's own height: no message was taken (55 or null would have shrunk it to 120).
        assert iframe.get_attribute("data-genlab-height") == content()
        assert iframe.bounding_box()["height"] > 300


@pytest.mark.parametrize("sandbox, works", [("allow-scripts allow-same-origin", True), ("allow-scripts", False)])
def test_sandboxed_frames_work_or_explain(course, base_url, sandbox, works):
    src = base_url + "?embed=temperature"
    body = f'<iframe src="{src}" title="GenLab" sandbox="{sandbox}" style="width:100%;height:600px"></iframe>'
    with host_site({"course.html": course_page(body)}) as host, warm_page(course, host + "course.html", loaded) as page:
        frame = lesson_frame(page)
        if works:
            frame.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
            frame.wait_for_selector('[data-widget="temperature"][data-state="ready"]')
        else:
            expect(frame.locator(".notice.blocked")).to_contain_text("cannot run inside this frame")
            expect(frame.locator(".notice.blocked")).to_contain_text("allow-same-origin")
            expect(frame.locator("#temperature-h")).to_be_visible()  # the lesson's text is still there


def test_teacher_presets_hide_and_lock_controls(lesson, base_url):
    with warm_page(lesson, base_url + "?embed=llm&t=0.3&hide=seed,context&lock=t") as page:
        expect(page.locator('[data-widget="llm"] [data-role="seed"]')).to_be_hidden()
        expect(page.locator('[data-widget="llm"] [data-role="context"]')).to_be_hidden()
        slider = page.locator('[data-widget="llm"] [data-role="t"]')
        expect(slider).to_be_disabled()  # stays locked after Python is ready
        expect(slider).to_have_value("0.3")
        expect(page.locator('[data-widget="llm"] [data-role="sample"]')).to_be_enabled()


def test_bad_embedding_parameters_are_explained(lesson, base_url):
    with warm_page(lesson, base_url + "?embed=nope&hide=zzz", loaded) as page:
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_contain_text("“embed=nope” is not a section of this lesson")
        expect(notice).to_contain_text("“hide” names settings this page does not have (zzz)")
        expect(page.locator("#classify")).to_be_visible()  # the whole lesson instead


def test_embed_kit_builds_the_link_with_hide_and_lock_and_previews_it(lesson, base_url):
    """A teacher ticks what to hide and what to lock, reads the link, sees the preview, copies the code."""
    lesson.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        with warm_page(lesson, base_url + "?t=0.4&gan_seed=5") as page:
            page.locator("#llm .embed-button").click()
            kit = page.locator("#llm .embed-panel")
            hide_names = kit.locator("fieldset", has_text="Hide").locator("label").all_text_contents()
            lock_names = kit.locator("fieldset", has_text="Lock").locator("label").all_text_contents()
            assert [n.split()[0] for n in hide_names] == ["Context", "Temperature", "Top-k", "Top-p", "Seed"]  # visible names
            assert any("Temperature (now 0.4)" in n for n in lock_names)
            kit.get_by_label("Seed").first.check()  # hide the seed
            kit.locator("fieldset", has_text="Lock").get_by_label(re.compile("^ ?Temperature")).check()
            link = kit.locator(".embed-url").input_value()
            assert "embed=llm" in link and "t=0.4" in link and "hide=seed" in link and "lock=t" in link
            assert "gan_seed" not in link  # another section's setting stays out of this frame's link
            code = kit.locator(".embed-code").input_value()
            assert link.replace("&", "&amp;") in code and "data-genlab" in code and "embed.js" in code
            kit.get_by_role("button", name="Show a live preview").click()
            preview = page.frame_locator("#llm .embed-preview")
            preview.locator('[data-widget="llm"][data-state="ready"] .bars li').first.wait_for(timeout=READY_TIMEOUT_MS)
            expect(preview.locator("#llm [data-role=seed]")).to_be_hidden()
            expect(preview.locator("#llm [data-role=t]")).to_be_disabled()
            expect(preview.locator("#llm [data-preset='1.5']")).to_be_disabled()
            expect(preview.locator("#gan")).to_be_hidden()
            # The preview reports its height, and the code's frame height follows it.
            height = int(page.locator("#llm .embed-preview").evaluate("f => f.getBoundingClientRect().height"))
            assert height > 400 and f"height: {height}px" in kit.locator(".embed-code").input_value()
            kit.get_by_role("button", name="Copy code").click()
            expect(kit.locator("[role=status]")).to_have_text("Copied.")
            assert page.evaluate("() => navigator.clipboard.readText()") == kit.locator(".embed-code").input_value()
    finally:
        lesson.clear_permissions()


def test_unknown_hide_and_lock_names_list_the_valid_ones(lesson, base_url):
    with warm_page(lesson, base_url + "?embed=temperature&lock=temperature&hide=gan_seed", loaded) as page:
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_contain_text("“lock” names settings the section “The temperature knob” does not have (temperature)")
        expect(notice).to_contain_text("Valid names for “lock”: context (Context), t (Your temperature).")  # the section's own label
        expect(notice).to_contain_text("“hide” names settings the section “The temperature knob” does not have (gan_seed)")


def test_a_frame_whose_src_redirects_gets_a_hint_in_the_console(course, base_url):
    """The host script trusts only the origin the src names; a redirect to another origin leaves
    the height alone, and the teacher finds why in the console."""
    with host_site({"course.html": course_page(
            '<iframe src="go" title="GenLab" data-genlab style="width:100%;height:300px"></iframe>'
            f'<script src="{base_url}embed.js" async></script>')}) as host:
        warnings = []

        def redirecting(page):
            page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
            page.route(host + "go", lambda route: route.fulfill(status=302, headers={"Location": base_url + "?embed=temperature"}))

        with warm_page(course, host + "course.html", loaded, redirecting) as page:
            frame = lesson_frame(page)
            frame.wait_for_selector("html[data-embed=temperature]", timeout=READY_TIMEOUT_MS)
            for _ in range(50):
                if warnings:
                    break
                page.wait_for_timeout(100)
            assert any("redirects" in w and "final address" in w for w in warnings), warnings
            assert page.locator("iframe").get_attribute("data-genlab-height") is None


def test_a_course_page_with_four_sections_works_section_by_section(course, lesson, base_url):
    """Issue 10's "done": one course page of another origin, four different sections embedded
    with the code their Embed panels give; each frame comes alive, sizes itself and answers, and
    all four share one Python (issue 12)."""
    sections = ("classify", "temperature", "responsibility", "art")
    codes = [embed_code(lesson, base_url, s) for s in sections]
    with host_site({"course.html": course_page("\n<h2>Next part</h2>\n".join(codes))}) as host:
        with warm_page(course, host + "course.html", loaded, viewport(1000, 900)) as page:
            frames = page.locator("iframe[data-genlab]")
            expect(frames).to_have_count(4)
            for i, section in enumerate(sections):
                frames.nth(i).scroll_into_view_if_needed()  # lazy frames load as the learner scrolls
                frame = frames.nth(i).element_handle().content_frame()
                frame.wait_for_selector(f"#{section} .widget[data-state=ready], #{section} [data-widget][data-state=ready]",
                                        timeout=READY_TIMEOUT_MS)
                assert frame.evaluate("() => document.documentElement.dataset.embed") == section
                expect(frames.nth(i)).to_have_attribute("data-genlab-height", re.compile(r"^\d{3,}$"))
            workers = [frames.nth(i).element_handle().content_frame().evaluate("() => genlab.runtime.info.worker")
                       for i in range(len(sections))]
            assert all(w["shared"] for w in workers) and len({w["id"] for w in workers}) == 1, workers
            # One real use of each.
            first = frames.nth(0).element_handle().content_frame()
            first.locator("#classify [data-role=new]").click()
            first.wait_for_function("() => genlab.store.get('cls_seed') === 1")
            second = frames.nth(1).element_handle().content_frame()
            second.locator("#temperature [data-preset='1.5']").click()
            expect(second.locator("#temperature .column figcaption strong").last).to_have_text("T = 1.50")
            third = frames.nth(2).element_handle().content_frame()
            third.locator("#responsibility [data-role=digit]").select_option("7")
            expect(third.locator("#responsibility [data-role=strip-text]")).to_contain_text("read as a 7")
            fourth = frames.nth(3).element_handle().content_frame()
            before = fourth.evaluate("() => genlab.widgets.art.shown && genlab.widgets.art.shown.seed")
            fourth.locator("#art [data-role=shuffle]").click()
            fourth.wait_for_function("(b) => genlab.widgets.art.shown && genlab.widgets.art.shown.seed !== b", arg=before)


def test_frames_of_another_site_without_storage_each_run_their_own_python(browser, base_url):
    """Some browsers give a page framed by another site no storage at all (Chromium as Playwright
    starts it is one): no shared worker and no offline copy there. Each frame then starts a Python
    of its own, says why in plain words, and works."""
    from tests.browser import launch_blocking_storage

    sections = ("temperature", "art")
    body = "".join(f'<iframe src="{base_url}?embed={s}" title="GenLab {s}" style="width:100%;height:700px"></iframe>'
                   for s in sections)
    blocking = launch_blocking_storage(browser)
    try:
        with host_site({"course.html": course_page(body)}) as host, fresh_page(blocking, host + "course.html", loaded) as page:
            frames = [page.wait_for_selector(f'iframe[title="GenLab {s}"]').content_frame() for s in sections]
            workers = []
            for frame, section in zip(frames, sections):
                frame.wait_for_selector(f"#{section} [data-widget][data-state=ready]", timeout=READY_TIMEOUT_MS)
                info = frame.evaluate("() => genlab.runtime.info")
                workers.append(info["worker"]["id"])
                assert info["worker"]["shared"] is False
                assert info["worker"]["reason"] == ("the shared worker could not be started (some browsers "
                                                    "allow none in a page embedded from another site)")
                assert info["start"]["reason"].startswith("this browser gives this page no storage")
                title = frame.locator("#runtime-label").get_attribute("title")
                assert "Failed to execute" not in title and "no storage" in title, title
                expect(frame.locator("#notices")).to_contain_text("keeps no offline copy inside this frame")
            assert len(set(workers)) == 2
            frames[0].locator("#temperature [data-preset='1.5']").click()
            expect(frames[0].locator("#temperature .column figcaption strong").last).to_have_text("T = 1.50")
            before = frames[1].evaluate("() => genlab.widgets.art.shown && genlab.widgets.art.shown.seed")
            frames[1].locator("#art [data-role=shuffle]").click()
            frames[1].wait_for_function("(b) => genlab.widgets.art.shown && genlab.widgets.art.shown.seed !== b", arg=before)
    finally:
        blocking.close()


DRAWING = "%3B".join(f"{-1 + 0.02 * i:.2f},{0.5 * (-1) ** i:.2f}" for i in range(100))  # 100 points


@pytest.mark.parametrize("width", [390, 1280])
def test_embed_panel_names_settings_as_the_section_shows_them(lesson, base_url, width):
    """The GAN's ticks say "Real data", "Loss", "Seed" (its labels), not the table's "GAN target";
    a drawing is named by its size and its line stays inside the panel, on a phone and a desktop."""
    with warm_page(lesson, base_url + f"?gan_target=custom&gan_points={DRAWING}", loaded, viewport(width, 900)) as page:
        page.locator("#gan .embed-button").click()
        kit = page.locator("#gan .embed-panel")
        hide = [n.strip() for n in kit.locator("fieldset", has_text="Hide").locator("label").all_text_contents()]
        assert [n.rsplit(" ", 1)[0] for n in hide][:2] == ["Real data", "Forger learning rate"]
        assert "Loss gan_loss" in hide and "Seed gan_seed" in hide
        assert not [n for n in hide if n.startswith("GAN ")]
        drawing = kit.locator("fieldset", has_text="Lock").locator("label", has_text="gan_points")
        expect(drawing).to_have_text(re.compile(r"The shape drawn for “Real data” \(now 100 points\) gan_points"))
        panel, label = kit.bounding_box(), drawing.bounding_box()
        assert label["x"] >= panel["x"] and label["x"] + label["width"] <= panel["x"] + panel["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_lock_note_uses_the_sections_own_words(lesson, base_url):
    with warm_page(lesson, base_url + "?embed=gan&lock=gan_target,gan_loss,gan_seed", loaded) as page:
        expect(page.locator("#gan .lock-note")).to_have_text("Fixed by your teacher's link: Real data, Loss, Seed.")
