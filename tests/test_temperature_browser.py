"""The temperature table (section 5) on a phone and on a wider screen: its headers may wrap,
but no text runs into another, and the bars of columns side by side stay on the same lines."""
from __future__ import annotations

import pytest

from tests.browser import js, wait_ready, warm_page

# A long context, so that the columns' words are long too.
URL = "?context=the+weather+today+is&t=1.35#temperature"


def columns_drawn(page):
    wait_ready(page)
    page.locator("#temperature").scroll_into_view_if_needed()
    page.wait_for_selector('[data-widget="temperature"][data-state="ready"] .column >> nth=3')


@pytest.mark.parametrize("width", [360, 390, 600, 1280])
def test_temperature_table_has_no_overlap_and_aligned_rows(warm, base_url, width):
    def sized(page):
        page.set_viewport_size({"width": width, "height": 900})

    with warm_page(warm, base_url + URL, columns_drawn, sized) as page:
        layout = page.evaluate(js("temperature-layout"))
        assert layout["columns"] == 4
        assert layout["overlaps"] == []
        assert layout["clipped"] == []
        assert layout["scrollWidth"] <= width
        for line in layout["lines"]:  # columns side by side: one header line, then the same rows
            assert len({round(c["headerBottom"]) for c in line}) == 1, line
            for rows in zip(*(c["rows"] for c in line)):
                assert max(rows) - min(rows) < 1, rows
        if width >= 600:
            assert any(len(line) > 1 for line in layout["lines"])  # the test saw columns side by side
