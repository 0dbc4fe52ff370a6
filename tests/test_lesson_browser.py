"""The lesson as a whole in Chromium: section 1's contrast, section 6's steering wheel and quiz,
the table of contents' progress, accessibility (axe-core, keyboard only, reduced motion) and
the phone layout."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import fresh_page, js, run_axe, use_section, wait_ready, warm_page

CLASSIFY = '[data-widget="classify"]'
STEER = '[data-widget="steer"]'
QUIZ = '[data-widget="quiz"]'
SECTIONS = ("classify", "llm", "gan", "diffusion", "temperature", "responsibility", "art")


def wait_lesson(page):
    wait_ready(page)
    page.wait_for_function("() => genlab.widgets.classify.fit !== null")


@pytest.fixture
def page(warm, base_url):
    with warm_page(warm, base_url, wait_lesson) as page:
        yield page


def visit_every_section(page) -> None:
    """Scroll through the page so that every widget computes its first picture."""
    for section in SECTIONS:  # each widget too: a tall section (the quiz's) is centred past its first
        for part in [page.locator(f"#{section}"), *page.locator(f"#{section} [data-widget]").all()]:
            part.scroll_into_view_if_needed()
            page.wait_for_timeout(150)
    page.wait_for_function(js("every-section-drawn"), timeout=60_000)


def fit(page) -> dict:
    return page.evaluate("() => { const f = genlab.widgets.classify.fit; "
                         "return {counts: f.counts, boundary: Array.from(f.boundary.data), density: Array.from(f.density.data)}; }")


def test_classify_reacts_to_a_clicked_and_a_keyboard_point(page):
    before = fit(page)
    page.locator(f"{CLASSIFY} input[name=classify-kind][value='1']").check()
    canvas = page.locator(f"{CLASSIFY} [data-role=classifier]")
    box = canvas.bounding_box()
    for dx in (0.2, 0.22, 0.24):  # three B points in A's top-left blob (plane x -0.8, y 0.6)
        canvas.click(position={"x": dx * box["width"], "y": 0.3 * box["height"]})
    page.wait_for_function("() => genlab.widgets.classify.fit.counts[1] === 27")
    after = fit(page)
    assert after["counts"] == [24, 27]
    changed = max(abs(a - b) for a, b in zip(after["boundary"], before["boundary"]))
    assert changed > 0.05  # the border moved
    assert max(abs(a - b) for a, b in zip(after["density"], before["density"])) > 0.05  # so did B's density
    expect(page.locator(f"{CLASSIFY} [data-role=classifier-text]")).to_contain_text("of the 51 points")
    generator = page.locator(f"{CLASSIFY} [data-role=generator]")
    generator.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_function("() => genlab.widgets.classify.fit.counts[1] === 28")
    assert page.evaluate("() => genlab.widgets.classify.points.at(-1)") == [0.1, 0, 1]
    expect(generator).to_have_attribute("aria-label", "Generator on 24 A and 28 B points. " +
                                        page.locator(f"{CLASSIFY} [data-role=generator-text]").text_content())
    page.locator(f"{CLASSIFY} [data-role=undo]").click()
    page.wait_for_function("() => genlab.widgets.classify.fit.counts[1] === 27")


def test_quiz_gives_feedback_and_keeps_score(page):
    first = page.locator(f"{QUIZ} form.quiz-q").nth(0)
    feedback = first.locator(".quiz-feedback")
    first.get_by_role("button", name="Check").click()
    expect(feedback).to_have_text("Choose an answer first.")
    first.locator("input[value=a]").check()
    first.get_by_role("button", name="Check").click()
    expect(feedback).to_contain_text("Not quite")
    expect(feedback).to_have_class("quiz-feedback wrong")
    first.locator("input[value=b]").check()
    first.get_by_role("button", name="Check").click()
    expect(feedback).to_contain_text("Right")
    second = page.locator(f"{QUIZ} form.quiz-q").nth(1)
    second.locator("input[value=a]").focus()  # keyboard: arrows move within the group, Enter submits
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(second.locator(".quiz-feedback")).to_contain_text("Right")
    n = page.locator(f"{QUIZ} form.quiz-q").count()  # question 1 was wrong at the first try: the score keeps that
    expect(page.locator(f"{QUIZ} [data-role=score]")).to_have_text(f"2 of {n} answered, 1 right at the first try (2 right now).")
    expect(page.locator(f"{QUIZ} [data-role=score-rule]")).to_contain_text("Your score counts your first answer to each question")


def test_quiz_covers_every_section_and_a_perfect_score_is_said(page):
    """At least one question for each of sections 1-4, 6 and 7 (section 5's knob counts for the LLM),
    each with its own explanations; all right gives the full score and says so."""
    forms = page.locator(f"{QUIZ} form.quiz-q")
    sections = forms.evaluate_all("fs => fs.map(f => f.dataset.section)")
    assert {"classify", "llm", "gan", "diffusion", "responsibility", "art"} <= set(sections)
    for i in range(forms.count()):
        feedback = forms.nth(i).locator(".quiz-feedback")
        right, wrong = feedback.get_attribute("data-right"), feedback.get_attribute("data-wrong")
        assert right.startswith("Right") and wrong.startswith("Not quite") and len(right) > 40 and len(wrong) > 40
        forms.nth(i).locator(f"input[value={forms.nth(i).get_attribute('data-answer')}]").check()
        forms.nth(i).get_by_role("button", name="Check").click()
        expect(feedback).to_have_text(right)
    n = forms.count()
    expect(page.locator(f"{QUIZ} [data-role=score]")).to_have_text(f"{n} of {n} answered, {n} right at the first try. Well done!")
    assert page.evaluate("() => [genlab.widgets.quiz.answered, genlab.widgets.quiz.right, genlab.widgets.quiz.questions]") == [n, n, n]


def test_the_steering_wheel_is_the_guidance_slider_of_section_4(page):
    page.locator("#responsibility").scroll_into_view_if_needed()
    page.wait_for_function("() => genlab.widgets.steer.shown !== null")
    page.select_option(f"{STEER} [data-role=digit]", "7")
    page.wait_for_function("() => genlab.widgets.steer.shown.prompt === 7")
    expect(page.locator('[data-panel=guidance] [data-digit="7"]')).to_have_attribute("aria-pressed", "true")
    page.locator("[data-panel=guidance]").scroll_into_view_if_needed()  # section 4 now draws 7s
    page.wait_for_function("() => genlab.widgets.diffusion.digits && genlab.widgets.diffusion.digits.prompt === 7",
                           polling=100)
    expect(page.locator(f"{STEER} [data-role=strip-text]")).to_contain_text("read as a 7")
    page.eval_on_selector('[data-panel=guidance] [data-param="digit_scale"]', js("set-value"), "0")
    expect(page.locator(f"{STEER} [data-role=scale]")).to_have_value("0")
    page.wait_for_function("() => genlab.widgets.steer.shown.scale === 0")
    expect(page.locator(f"{STEER} [data-role=strip-text]")).to_contain_text("let go")


def test_table_of_contents_counts_tried_sections(page):
    """A section counts once its widget was used, as the LMS counts it (scorm.js), not when
    it was scrolled past."""
    nav = page.locator("nav.toc")
    progress = nav.locator("[data-role=progress]")
    for section in SECTIONS:
        page.locator(f"#{section}").scroll_into_view_if_needed()
    expect(progress).to_have_text("Tried 0 of 7 sections")
    use_section(page, "gan")
    expect(page.locator("nav.toc li:has(a[href='#gan'])")).to_have_class("visited")
    expect(page.locator("nav.toc a[href='#gan']")).to_contain_text("(tried)")
    expect(nav).to_have_attribute("data-tried", "1")
    for section in SECTIONS:
        use_section(page, section)
    expect(progress).to_have_text("Tried 7 of 7 sections")
    page.reload()
    wait_ready(page)
    expect(progress).to_have_text("Tried 7 of 7 sections")  # kept for the session


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(warm, base_url, scheme):
    with warm_page(warm, base_url, before=lambda page: page.emulate_media(color_scheme=scheme)) as page:
        visit_every_section(page)
        assert run_axe(page) == []


def test_phone_layout_has_no_horizontal_scroll(browser, base_url):
    with fresh_page(browser, base_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True) as page:
        visit_every_section(page)
        wide = page.evaluate(js("wider-than-the-screen"))
        assert wide == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_every_widget_is_reachable_by_keyboard_and_every_stop_is_named(page):
    visit_every_section(page)
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement.blur(); }")
    seen, stops = set(), []
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = page.evaluate(js("focused-stop"))
        if stop["tag"] == "BODY":
            break
        stops.append(stop)
        seen.add(stop["widget"])
    unnamed = [s for s in stops if not s["name"]]
    assert unnamed == []
    for widget in ("classify", "llm", "gan", "diffusion", "temperature", "steer", "quiz", "art"):
        if widget != "temperature":  # it has no controls of its own: section 2's slider moves it
            assert widget in seen, f"no Tab stop in the {widget} widget"


def test_keyboard_only_use_of_each_widget(page):
    visit_every_section(page)
    # Section 2: the temperature slider with arrow keys.
    slider = page.locator('[data-widget="llm"] [data-role="t"]')
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator('[data-widget="llm"] [data-role="t-out"]')).not_to_have_text("0.80")
    # Section 3: Play and Pause with Enter.
    play = page.locator('[data-widget="gan"] [data-role="play"]')
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => Number(document.querySelector('[data-widget=gan]').dataset.step) > 0")
    page.keyboard.press("Enter")
    expect(play).to_have_text("Play")
    # Section 4: a digit prompt with Enter, a sampler with the keyboard.
    page.locator('[data-panel=guidance] [data-digit="5"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => genlab.widgets.diffusion.digits.prompt === 5")
    # Section 1: Space adds a point at the keyboard cursor.
    page.locator(f"{CLASSIFY} [data-role=classifier]").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => genlab.widgets.classify.fit.counts[0] === 25")
    # Section 6: a radio answer and Check, keyboard only.
    page.locator(f"{QUIZ} form.quiz-q").nth(2).locator("input[value=a]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator(f"{QUIZ} form.quiz-q").nth(2).locator(".quiz-feedback")).to_contain_text("Right")


def test_reduced_motion_shows_the_result_without_animation(warm, base_url):
    with warm_page(warm, base_url + "#diffusion", before=lambda page: page.emulate_media(reduced_motion="reduce")) as page:
        page.wait_for_function("() => genlab.widgets.diffusion.plane !== null")
        page.locator('[data-panel=reverse] [data-param="diff_prompt"]').select_option("ring")
        page.wait_for_function("() => genlab.widgets.diffusion.plane.prompt === 'ring'")
        # The reply is drawn at once at its last step: no frame-by-frame animation.
        assert page.evaluate("() => Number(document.querySelector('[data-role=frame]').value)") == 20


def test_a_handout_that_cannot_wait_for_its_pictures_says_so(page):
    """Print a handout waits at most genlab.printWaitMs for the pictures, then prints what it has;
    what was still being drawn is said beside the button (a hint: not on the paper)."""
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; genlab.printWaitMs = 0; }")
    page.get_by_role("button", name="Print a handout").click()
    expect(page.locator("#print-note")).to_have_text(
        "Some pictures were still being drawn after 0 s, so the handout shows them as they were. "
        "Print again once they are done.")
    assert page.evaluate("() => window.printed") == 1
