"""The printed handout wastes no paper: each section takes the pages its content needs (at most
one more, for starting part-way down a page), and no page but the last is mostly blank.

The PDF is the one Chromium makes (page.pdf, the print stylesheet). Where ink lies on a page is
read back with pypdf: the place of every piece of text and every picture (canvases print as
images), so a frame's border or an empty box does not count as content."""
from __future__ import annotations

import io
import math
import re
import time
import unicodedata

import pypdf
import pytest

from tests.browser import READY_TIMEOUT_MS, js, python_ready, warm_page
from tests.test_teacher_browser import A4_CONTENT_PX, LESSON_PARTS, counting_prints

A4_PT = (595.28, 841.89)  # A4 in PDF points
MARGIN_TOP_BOTTOM_MM = 14  # the print stylesheet's @page margin
A4_CONTENT_HEIGHT_PX = (297 - 2 * MARGIN_TOP_BOTTOM_MM) / 25.4 * 96
MOST_BLANK = 0.4  # the largest share of a page's writing area left blank below its content


def _mul(a, b):
    """The PDF matrix product a then b ([a b c d e f] each)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def content_spans(pdf: bytes) -> list[tuple[float, float] | None]:
    """Per page: the top and bottom of its text and pictures, as shares of the page's height
    from its top edge (None for a page with neither)."""
    spans = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        ys: list[float] = []

        def text(t, cm, tm, font, size):
            if t.strip():
                m = _mul(tm, cm)
                ys.extend([m[5], m[5] + size * abs(m[3])])

        def picture(operator, operands, cm, tm):
            if operator == b"Do":  # an image fills the unit square of the current matrix
                ys.extend([cm[5], cm[5] + cm[3]])

        page.extract_text(visitor_text=text, visitor_operand_before=picture)
        spans.append((1 - max(ys) / height, 1 - min(ys) / height) if ys else None)
    return spans


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, white space squashed, ligatures spelled out ("ﬀ" as "ff")."""
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text() or ""))
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def handout(warm, base_url):
    """The lesson printed to A4 as "Print a handout" leaves it, with each section's height as laid
    out for the paper."""
    with warm_page(warm, base_url, python_ready, counting_prints) as page:
        page.get_by_role("button", name="Print a handout").click()
        page.wait_for_function("() => window.printed", timeout=90_000)
        for selector in LESSON_PARTS:
            page.wait_for_selector(selector, timeout=READY_TIMEOUT_MS)
        time.sleep(2)  # the last frames of the sampling animations
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
        sections = page.evaluate(js("section-heights"))
        pdf = page.pdf(format="A4")
        return {"pdf": pdf, "sections": sections, "spans": content_spans(pdf), "texts": page_texts(pdf)}


def test_no_page_but_the_last_is_mostly_blank(handout):
    top = MARGIN_TOP_BOTTOM_MM / 297
    blank = [(1 - top - span[1]) / (1 - 2 * top) if span else 1.0 for span in handout["spans"]]
    assert len(blank) >= 5
    wasted = {k + 1: round(b, 2) for k, b in enumerate(blank[:-1]) if b > MOST_BLANK}
    assert not wasted, f"pages with more than {MOST_BLANK:.0%} of their writing area blank: {wasted}"


def test_each_section_takes_the_pages_its_content_needs(handout):
    titles = [s["title"] for s in handout["sections"]]  # "4 Diffusion, …" (the contents list has "4. Diffusion")
    assert len(titles) == 7
    starts = []
    for title in titles:  # the page each section's heading is printed on, in order
        on = [k for k, text in enumerate(handout["texts"]) if title in text and k >= (starts[-1] if starts else 0)]
        assert on, f"{title!r} is not in the handout"
        starts.append(on[0])
    ends = [*starts[1:], len(handout["texts"]) - 1]
    for section, start, end in zip(handout["sections"], starts, ends):
        needs = math.ceil(section["height"] / A4_CONTENT_HEIGHT_PX)
        takes = end - start + 1  # a page it shares with the next section counts for both
        assert takes <= needs + 1, f"{section['title']}: {takes} pages for {section['height']:.0f} px of content"
