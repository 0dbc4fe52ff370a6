"""The settings tables (web/app/sections/*/*-settings.js) against the page's controls and Python's bounds.

Every bound is stated once per side: the JS table (read by the URL parser, locks, embeds and
the page's <option> lists and input bounds) and genlab's own checks. These tests read the
tables as the browser loads them and fail when the two sides drift apart.
"""
from __future__ import annotations

import pytest

from genlab import api, art
from tests.browser import js, loaded, module, warm_page


@pytest.fixture(scope="module")
def page(warm, base_url):
    with warm_page(warm, base_url, loaded) as page:
        page.wait_for_selector("html[data-app=started]")
        yield page


@pytest.fixture(scope="module")
def params(page) -> dict:
    return page.evaluate(js("module-values"), [module("state"), ["PARAMS"]])["PARAMS"]


def test_every_select_offers_exactly_its_settings_choices(page, params):
    selects = [c for c in page.evaluate(js("bound-controls")) if c["tag"] == "select"]
    assert len(selects) >= 13  # the lesson's choices: art, diffusion, classify, GAN ...
    for control in selects:
        assert control["options"] == params[control["key"]]["options"], control["key"]


def test_every_number_input_has_its_settings_bounds(page, params):
    inputs = [c for c in page.evaluate(js("bound-controls")) if c["type"] in ("number", "range")]
    assert {"art_seed", "art_complexity", "diff_T", "gan_lr_g"} <= {c["key"] for c in inputs}
    for control in inputs:
        spec = params[control["key"]]
        assert float(control["min"]) == spec["min"], control["key"]
        assert float(control["max"]) == spec["max"], control["key"]


def test_option_names_come_from_the_table(page, params):
    shown = page.evaluate("""() => [...document.querySelector('select[data-param=art_style]').options]
      .map((o) => [o.value, o.textContent])""")
    names = params["art_style"]["optionLabels"]
    assert shown == [[value, names.get(value, value)] for value in params["art_style"]["options"]]
    assert shown[1] == ["flow", "flow-field strokes"]


def test_art_table_matches_genlab_art(params):
    assert params["art_style"]["options"] == [art.AUTO, *art.STYLES]
    assert params["art_palette"]["options"] == [art.AUTO, *art.PALETTES]
    assert params["art_symmetry"]["options"] == list(art.SYMMETRIES)
    assert (params["art_complexity"]["min"], params["art_complexity"]["max"]) == (art.MIN_COMPLEXITY, art.MAX_COMPLEXITY)
    assert all(art.MIN_SIZE <= int(size) <= art.MAX_SIZE for size in params["art_size"]["options"])
    assert (params["art_seed"]["min"], params["art_seed"]["max"]) == (0, api.MAX_SEED)
    defaults = art.ArtConfig()
    assert params["art_style"]["fallback"] == defaults.style
    assert params["art_complexity"]["fallback"] == defaults.complexity
    assert params["art_symmetry"]["fallback"] == defaults.symmetry
    assert int(params["art_size"]["fallback"]) == defaults.size


def test_classify_table_matches_genlab_api(params):
    assert params["cls_k"]["options"] == [str(k) for k in range(1, api.classify.CLASSIFY_MAX_COMPONENTS + 1)]
    assert params["cls_seed"]["max"] == api.MAX_SEED


def test_language_model_table_is_within_genlab_api(params):
    assert params["context"]["maxLength"] == api.llm.MAX_CONTEXT_CHARS
    assert params["t"]["min"] == 0 and params["t"]["max"] <= api.MAX_T
    assert params["seed"]["max"] == api.MAX_SEED
