"""web/app/core/chart.js in Chromium: axes, ticks, legend, log scale, smoothing and the text alternative."""
from __future__ import annotations

import pytest

from tests.browser import canvas_pixels, js, loaded, module, warm_page


@pytest.fixture(scope="module")
def page(warm, base_url):
    """One page for the module, in the session's warm context (these tests never call Python):
    each drawing makes its own canvas and sets its own pixel ratio."""
    def small_and_light(page):
        page.set_viewport_size({"width": 800, "height": 600})
        page.emulate_media(color_scheme="light")

    with warm_page(warm, base_url, loaded, small_and_light) as page:
        yield page


def chart_call(page, name: str, *args):
    """What chart.js's function `name` gives for args."""
    return page.evaluate(js("call-module"), [module("chart"), name, list(args)])


def draw(page, spec, w=400, h=200, dpr=1):
    out = page.evaluate(js("chart-draw"), [module("chart"), spec, w, h, dpr])
    out["image"] = canvas_pixels(page, "#chart-test")
    return out


def loss_curve(n=300):
    """A loss falling from 10 to 0.01 over n steps: three decades."""
    return [10 * 10 ** (-3 * i / (n - 1)) for i in range(n)]


def test_text_alternative_follows_the_data(page):
    values = [3.0, 2.0, 1.5, 1.25]
    out = draw(page, {"series": [{"label": "loss", "values": values}], "x": {"label": "step"}, "y": {"label": "loss"}})
    assert out["role"] == "img"
    assert out["label"] == out["summary"]
    assert "loss against step" in out["summary"]
    assert "4 values" in out["summary"] and "now 1.25" in out["summary"]
    assert "from 1.25 to 3" in out["summary"]
    more = draw(page, {"series": [{"label": "loss", "values": values + [0.5]}], "x": {"label": "step"}, "y": {"label": "loss"}})
    assert "now 0.5" in more["label"] and "5 values" in more["label"]


def test_table_alternative_lists_the_values(page):
    spec = {"series": [{"label": "a", "values": [0, 1, 2, 3, 4, 5, 6, 7, 8]}, {"label": "b", "values": [8, 7, 6, 5, 4, 3, 2, 1, 0]}],
            "x": {"label": "step"}}
    table = draw(page, spec)["table"]
    assert table[0] == ["step", "a", "b"]
    assert [row[0] for row in table[1:]] == ["0", "2", "4", "6", "8"]
    assert [row[1] for row in table[1:]] == ["0", "2", "4", "6", "8"]
    assert [row[2] for row in table[1:]] == ["8", "6", "4", "2", "0"]


def test_ticks_are_round_and_cover_the_range(page):
    assert chart_call(page, "linearTicks", 0, 1, 5) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert chart_call(page, "linearTicks", 0, 2850, 5) == [0, 500, 1000, 1500, 2000, 2500]
    assert chart_call(page, "logTicks", 0.01, 10) == [0.01, 0.1, 1, 10]
    assert chart_call(page, "logTicks", 0.1, 1) == [0.1, 0.2, 0.5, 1]
    assert chart_call(page, "formatValue", 12345) == "12,345"
    assert chart_call(page, "formatValue", 0.000123) == "1.2e-4"


def dark_columns(image, rows):
    """Columns holding drawn (non-transparent) pixels in the given rows."""
    alpha = image[rows, :, 3]
    return set(int(c) for c in (alpha.max(axis=0) > 0).nonzero()[0])


def test_axes_ticks_and_legend_are_drawn(page):
    spec = {"series": [{"label": "detective", "values": [1.0] * 50, "color": "#ff0000"},
                       {"label": "forger", "values": [2.0] * 50, "color": "#0000ff"}],
            "x": {"label": "step"}, "y": {"label": "loss", "min": 0, "max": 2.5}}
    image = draw(page, spec, w=400, h=200)["image"]
    red = (image[..., 0] > 200) & (image[..., 1] < 60) & (image[..., 2] < 60) & (image[..., 3] > 200)
    blue = (image[..., 2] > 200) & (image[..., 0] < 60) & (image[..., 1] < 60) & (image[..., 3] > 200)
    # Each curve is one horizontal line, the forger's (2.0) above the detective's (1.0).
    red_rows = sorted(set(red.nonzero()[0]))
    blue_rows = sorted(set(blue.nonzero()[0]))
    assert red_rows and blue_rows
    # The legend swatches sit in the top rows; the curves lower down.
    curve_red = [r for r in red_rows if r > 40]
    curve_blue = [r for r in blue_rows if r > 40]
    assert curve_red and curve_blue and max(curve_blue) < min(curve_red)
    # Both lines start right of the y axis's tick labels and reach near the right edge.
    cols = red.nonzero()[1][red.nonzero()[0] > 40]
    assert 15 < cols.min() < 60 and cols.max() > 380
    # Text: tick labels left of the plot and under it (some drawn pixels in those bands).
    assert dark_columns(image, slice(50, 170)) & set(range(0, 12)), "no y tick labels"
    assert image[180:200, 60:380, 3].max() > 0, "no x tick labels or axis label"
    # The legend swatches: red then blue, in the first legend row.
    assert red[:20].any() and blue[:20].any()
    assert red[:20].nonzero()[1].min() < blue[:20].nonzero()[1].min()


def test_log_scale_spreads_decades_evenly(page):
    values = loss_curve()
    out = draw(page, {"series": [{"label": "loss", "values": values, "color": "#ff0000"}],
                      "x": {"label": "step"}, "y": {"label": "loss", "log": True}})
    assert "log scale" in out["summary"]
    red = (out["image"][..., 0] > 200) & (out["image"][..., 1] < 80) & (out["image"][..., 3] > 200)
    red[:30] = False  # the legend
    ys, xs = red.nonzero()
    # Exponential decay is a straight line on a log axis: the row at each column is linear in x.
    slope, intercept = [float(v) for v in __import__("numpy").polyfit(xs, ys, 1)]
    residual = abs(ys - (slope * xs + intercept)).max()
    assert slope > 0.2 and residual < 4


def test_smoothing_draws_raw_faint_under_the_average(page):
    values = [1 + (0.8 if i % 2 else -0.8) for i in range(400)]
    out = draw(page, {"series": [{"label": "noisy", "values": values, "color": "#ff0000", "smooth": True}],
                      "x": {"label": "step"}, "y": {"label": "v", "min": 0, "max": 2}})
    image = out["image"]
    strong = (image[..., 0] > 200) & (image[..., 3] > 230) & (image[..., 1] < 60)
    faint = (image[..., 0] > 150) & (image[..., 3] > 20) & (image[..., 3] < 140)
    strong[:30] = False
    faint[:30] = False
    # The average sits near the middle (1.0); the raw zigzag spreads over a band, drawn faint.
    strong_rows = strong[:, 200:].nonzero()[0]
    faint_rows = faint[:, 200:].nonzero()[0]
    assert strong_rows.size and faint_rows.size
    assert strong_rows.max() - strong_rows.min() < 12
    assert faint_rows.max() - faint_rows.min() > 60
    assert "(smoothed)" in out["summary"] and "now 1" in out["summary"]


def test_legend_prints_current_value_and_wraps_at_360px(page):
    series = [{"label": f"curve number {k}", "values": [k + 0.5] * 10} for k in range(4)]
    wide = draw(page, {"series": series, "x": {"label": "step"}}, w=800, h=200)["image"]
    narrow = draw(page, {"series": series, "x": {"label": "step"}}, w=360, h=200)["image"]

    def legend_rows(image):
        """Bands of rows with drawn pixels above the plot (the legend is first)."""
        drawn = image[:, :, 3].max(axis=1) > 0
        bands, inside = 0, False
        for r in range(60):
            if drawn[r] and not inside:
                bands += 1
            inside = bool(drawn[r])
        return bands

    assert legend_rows(narrow) > legend_rows(wide)
    assert narrow.shape[1] == 360


def test_device_pixel_ratio_sizes_the_backing_store(page):
    out = draw(page, {"series": [{"label": "a", "values": [1, 2, 3]}]}, w=300, h=150, dpr=2)
    assert (out["width"], out["height"]) == (600, 300)
    # The text is drawn at twice the resolution: thin strokes are two backing pixels wide.
    assert out["image"][..., 3].max() > 0
