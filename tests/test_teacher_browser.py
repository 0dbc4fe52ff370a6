"""The teacher's page and the printed handout, as a teacher sees them in Chromium.

Printing is checked on the PDF Chromium makes (page.pdf uses the print stylesheet): its text,
read back with pypdf, and the pictures in it, counted and decoded as image objects."""
from __future__ import annotations

import io
import re
import time
import unicodedata

import numpy as np
import pypdf
import pytest

import build
import build.scorm

from tests.browser import READY_TIMEOUT_MS, js, loaded, module, python_ready, run_axe, warm_page

LESSON_PARTS = ['[data-widget="classify"][data-state="ready"]', '[data-widget="llm"][data-state="ready"]',
                '[data-widget="gan"][data-state="ready"]', '[data-panel="forward"][data-state="ready"]',
                '[data-panel="reverse"][data-state="ready"]', '[data-panel="guidance"][data-state="ready"]',
                '[data-widget="steer"][data-state="ready"]', '[data-widget="art"][data-state="ready"]']
# On screen, never on paper.
CHROME_TEXT = ["Loading Python", "Ready: the models run here", "Waiting for Python", "Embed", "Dismiss", "Restart Python",
               "Tried", "Print a handout", "Sample one token", "Generate 12 tokens", "Copy share link", "Download PNG", "Shuffle"]
A4_CONTENT_PX = 703  # 210 mm less the print stylesheet's 2 x 12 mm margins, at 96 px per inch


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text, with ligatures (the "ff" of "Diffusion" is one glyph) spelled out."""
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return _squash(unicodedata.normalize("NFKC", text))


def _pdf_images(pdf: bytes) -> list[np.ndarray]:
    """Every image object drawn on a page (soft masks excluded), as arrays of its samples."""
    images = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                data = np.frombuffer(obj.get_data(), np.uint8)
                images.append(data.reshape(obj["/Height"], obj["/Width"], -1))
    return images


def counting_prints(page):
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")


@pytest.fixture(scope="module")
def printed(warm, base_url):
    """The lesson after every section has drawn, printed to A4; with the page's own counts."""
    # A bad setting in the link: a notice with a Dismiss button, which the handout leaves out.
    with warm_page(warm, base_url + "?t=not-a-number", python_ready, counting_prints) as page:
        assert page.locator(".notice button", has_text="Dismiss").first.is_visible()
        # "Print a handout" draws the pictures that wait to be scrolled near, then prints.
        page.get_by_role("button", name="Print a handout").click()
        page.wait_for_function("() => window.printed", timeout=60_000)
        assert page.evaluate("() => window.printed") == 1
        assert page.locator("#print-note").text_content() == ""  # every picture was drawn in time: nothing to say
        # The middle of the lesson was never near the screen (only its top, then the button at the
        # foot), yet its pictures were drawn for the handout.
        assert page.evaluate("() => Boolean(genlab.widgets.diffusion.plane && genlab.widgets.diffusion.digits && genlab.widgets.steer.shown)")
        for selector in LESSON_PARTS:
            page.wait_for_selector(selector, timeout=READY_TIMEOUT_MS)
        time.sleep(2)  # the last frames of the sampling animations
        page.emulate_media(media="print")
        drawn = page.evaluate(js("drawn-canvases"))
        titles = [_squash(t) for t in page.locator("main > section.lesson h2").all_inner_texts()]
        pdf = page.pdf(format="A4")
        return {"pdf": pdf, "text": _pdf_text(pdf), "drawn": drawn, "titles": titles}


def test_handout_has_every_section_and_its_text(printed):
    text = printed["text"]
    assert len(printed["titles"]) == 7
    for title in printed["titles"]:
        assert re.sub(r"^\d+\s*", "", title) in text
    for sentence in ["A large language model writes by repeating one small step.",
                     "The forward process needs no network",
                     "A computer cannot roll real dice.",
                     "Check yourself",
                     "A chatbot gives you a quote with a book title and page number. What should you do?"]:
        assert sentence in text


@pytest.mark.parametrize("chrome", CHROME_TEXT)
def test_handout_leaves_out_the_screen_chrome(printed, chrome):
    assert chrome not in printed["text"]


def test_handout_prints_every_drawn_picture(printed):
    """Each canvas with something on it becomes an image in the PDF, and the pictures are not blank."""
    images = _pdf_images(printed["pdf"])
    assert printed["drawn"] >= 20  # the lesson's canvases: the planes, curves, photo, digits, art and its strip
    assert len(images) >= printed["drawn"]
    big = [im for im in images if im.shape[0] * im.shape[1] >= 200 * 200]
    assert len(big) >= 6  # two classify planes, the GAN, the photo, the diffusion plane, the digits, the art
    for image in big:
        assert image.std() > 5, f"a blank {image.shape} picture"


def test_handout_fits_the_paper_width(warm, base_url):
    """Under print media at A4's width, nothing sticks out to the right (a cut-off widget)."""
    def paper(page):
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
        page.emulate_media(media="print")

    with warm_page(warm, base_url, python_ready, paper) as page:
        wide = page.evaluate(js("wider-than-the-paper"))
        assert wide == []
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_PX


@pytest.fixture(scope="module")
def teacher(warm, base_url):
    problems = []

    def watched(page):
        page.set_viewport_size({"width": 1000, "height": 900})
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))

    with warm_page(warm, base_url + "teacher.html", loaded, watched) as page:
        yield page, problems


@pytest.fixture
def lesson(warm, base_url):
    """The lesson's page, for what it says of itself (its Python need not be ready)."""
    with warm_page(warm, base_url, loaded) as page:
        yield page


def test_teacher_page_prints_with_its_headings(teacher):
    page, problems = teacher
    headings = [_squash(t) for t in page.locator("main h2, main h3").all_inner_texts()]
    assert len(headings) >= 20
    text = _pdf_text(page.pdf(format="A4"))
    missing = [h for h in headings if h not in text]
    assert not missing
    assert not problems  # no CSP violation, no script error


def test_teacher_page_covers_what_the_brief_asks(teacher):
    page, _ = teacher
    h2 = [_squash(t) for t in page.locator("main h2").all_inner_texts()]
    for part in ["Learning objectives", "A 45-minute lesson plan", "The quiz: answer key",
                 "Embedding a section in your LMS", "Importing the SCORM package",
                 "Privacy: what is stored, what is sent", "Using GenLab offline"]:
        assert part in h2
    h3 = page.locator("main h3").all_inner_texts()
    for lms in ["Moodle", "Canvas", "Blackboard", "Brightspace (D2L)"]:
        assert h3.count(lms) == 2, f"{lms}: one for embedding, one for SCORM"
    rows = page.locator("#objectives tbody tr").all_inner_texts()
    assert len(rows) == 7


def test_teacher_embed_code_names_this_copys_address(teacher, base_url):
    page, _ = teacher
    code = page.locator("#embed pre code").inner_text()
    assert f'<iframe src="{base_url}?embed=gan"' in code and "data-genlab" in code
    assert f'<script src="{base_url}embed.js" async></script>' in code


def test_teacher_lists_exactly_the_settings_a_teacher_can_hide_or_lock(lesson, teacher):
    """The names on teacher.html are the ones the lesson accepts (embed.js's settingsOf, which the
    page's own check of ?hide and ?lock uses): those with a control to hide, and the lock-only ones."""
    page, _ = teacher
    listed = page.locator('[data-role="param-names"] code').all_inner_texts()
    lock_only = page.locator('[data-role="lock-only"] code').all_inner_texts()
    valid = lesson.evaluate(js("embed-settings"), module("embed"))
    assert len(valid["hide"]) > 30
    assert sorted(listed) == sorted(valid["hide"])
    assert sorted(lock_only) == sorted(set(valid["lock"]) - set(valid["hide"]))


def test_quiz_key_matches_the_quiz(lesson, teacher):
    """The key quotes, in order, the option each question of the lesson's quiz marks right."""
    page, _ = teacher
    key = [_squash(t) for t in page.locator('#quiz-key [data-role="answer"]').all_inner_texts()]
    right = lesson.evaluate(js("quiz-answers"))
    assert key == [_squash(r) for r in right]


def test_links_between_lesson_teacher_page_and_licences(lesson, base_url, teacher):
    page, _ = teacher
    assert page.locator('a[href="index.html"]').count() >= 1
    footer = lesson.locator("footer.foot")
    hrefs = footer.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert {"teacher.html", "LICENSE.txt", "THIRD-PARTY-NOTICES.txt"} <= set(hrefs)
    # The link to the teacher's page is in the footer only.
    assert lesson.locator('a[href="teacher.html"]').count() == footer.locator('a[href="teacher.html"]').count()
    for href in ("teacher.html", "LICENSE.txt", "THIRD-PARTY-NOTICES.txt", "teacher.js"):
        response = lesson.request.get(base_url + href)
        assert response.status == 200, href
    assert "MIT" in lesson.request.get(base_url + "LICENSE.txt").text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_teacher_page_passes_axe(warm, base_url, scheme):
    def looks(page):
        page.set_viewport_size({"width": 1000, "height": 900})
        page.emulate_media(color_scheme=scheme)

    with warm_page(warm, base_url + "teacher.html", loaded, looks) as page:
        assert run_axe(page) == []


WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


@pytest.fixture(scope="module")
def lesson_figures(warm, base_url):
    """What the lesson shows, once Python is ready and the LLM section has drawn its bars."""
    with warm_page(warm, base_url, python_ready) as page:
        page.wait_for_selector('[data-widget="llm"][data-state="ready"] .bars li[data-prob]', timeout=READY_TIMEOUT_MS)
        return page.evaluate(js("teacher-figures"))


def _figs(page, name: str) -> list[str]:
    return [_squash(t) for t in page.locator(f'[data-fig="{name}"]').all_inner_texts()]


def test_every_figure_the_teacher_page_quotes_is_the_lessons(teacher, lesson_figures):
    """Each figure teacher.html quotes (marked data-fig) equals what the lesson shows or computes."""
    page, _ = teacher
    got = lesson_figures
    presets = dict((label.split()[1], value) for value, label in got["presets"])
    q, sections = got["questions"], got["sections"]
    expected = {
        "ready-words": got["ready"], "sample-button": got["sample"], "generate-button": got["generate"],
        "draw-button": got["draw"], "context": got["context"],
        "sample-n": re.search(r"\d+", got["sample"]).group(),
        "presets": ", ".join(v for v, _ in got["presets"][:-1]) + f" and {got['presets'][-1][0]}",
        "preset-code": presets["code"], "preset-default": presets["default"], "preset-creative": presets["creative"],
        "scale-max": f"{got['scaleMax']:g}",
        "quiz-words": WORDS[q], "quiz-last": f"q{q}", "quiz-sections": WORDS[got["quizSections"]],
        "sections-words": WORDS[sections],
        "welcome": f"Welcome back: 4 of {sections} sections tried, {q} of {q} quiz questions answered.",
    }
    for name, value in expected.items():
        shown = _figs(page, name)
        assert shown, f"teacher.html quotes no {name}"
        assert set(shown) == {value}, f"{name}: teacher.html says {shown}, the lesson {value!r}"
    assert got["quizSections"] == sections  # "at least one for each of the sections"
    # Python's "mode collapse" preset: its sentence's "about N times faster", N near lr_g / lr_d, quoted.
    said = re.search(r"about (\d+) times faster", got["collapse"]["sentence"]).group(1)
    assert abs(int(said) - got["collapse"]["ratio"]) <= 0.05 * got["collapse"]["ratio"]
    assert _figs(page, "collapse-ratio") == [said]
    # The plan's question: no next word for the default context gets even half of the probability.
    assert 0 < got["top"] < 0.5
    # The embed code's example is the gan row of the table of heights.
    assert _figs(page, "example-height") == _figs(page, "height-800-gan")
    passing = _figs(page, "passing")
    assert passing and float(passing[0]) == build.scorm.SCORM_MASTERY


EMBEDDED = ["classify", "llm", "gan", "diffusion", "temperature", "responsibility", "art"]
HEIGHT_SLACK_PX = 250  # a fixed height may leave this much room (quiz feedback, generated text), no more


def _page_height(page) -> int:
    """The page's height once the layout of the current viewport has been drawn."""
    return page.evaluate("""() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
        () => done(Math.ceil(document.documentElement.getBoundingClientRect().height)))))""")


@pytest.mark.parametrize("section", EMBEDDED)
def test_the_fixed_heights_fit_each_embedded_section(teacher, warm, base_url, section):
    """The table of heights for a frame without the script: each fits the section embedded alone
    at 800 and at 600 px wide, once its models have drawn, without leaving much blank."""
    page_t, _ = teacher

    def at_800(page):
        page.set_viewport_size({"width": 800, "height": 900})

    with warm_page(warm, base_url + f"?embed={section}", python_ready, at_800) as page:
        page.wait_for_function(f"""() => {{ const parts = [...document.querySelectorAll('#{section} [data-state]')];
            return parts.length > 0 && parts.every((p) => p.dataset.state === 'ready'); }}""", timeout=READY_TIMEOUT_MS)
        for width in (800, 600):
            page.set_viewport_size({"width": width, "height": 900})
            height = _page_height(page)
            said = int(_figs(page_t, f"height-{width}-{section}")[0])
            assert height <= said <= height + HEIGHT_SLACK_PX, f"{section} at {width} px: {height} px tall, the table says {said}"


@pytest.mark.parametrize("width", [360, 390])
def test_teacher_page_fits_a_phone(warm, base_url, width):
    """No sideways scroll on a phone: the plan's four columns wrap (a code block scrolls inside itself)."""
    with warm_page(warm, base_url + "teacher.html", loaded, lambda page: page.set_viewport_size({"width": width, "height": 800})) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
