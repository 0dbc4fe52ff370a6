"""Sections 2 and 5 in Chromium, compared with genlab.api run here under CPython: the four steps
(logit, logit / T, probability), T = 0, top-k and top-p (marked, and obeyed by every draw), the
context's token pieces, surprise (llm_score), old text marked, and section 5 embedded alone."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from genlab import api
from tests.browser import READY_TIMEOUT_MS, js, module, warm_page

LLM = '[data-widget="llm"]'
# The model's weights are float32: numpy in the browser and here may round the last bits
# differently (measured: 5e-6 relative at most), so numbers agree to these tolerances.
LOGIT_TOL = 1e-4
PROB_TOL = 1e-5
BITS_TOL = 1e-3
DEFAULTS = {"context": "the weather today is", "t": 0.8, "top_k": 0, "top_p": 1, "seed": 42}


def percent(p):
    """core/ui.js's percent()."""
    return "100%" if p >= 0.995 else f"{100 * p:.1f}%" if p >= 0.001 else "<0.1%" if p > 0 else "0%"


@pytest.fixture(scope="module")
def shared(warm, base_url):
    """One page for the module, in the session's warm context; each test puts the settings back.
    A test may open another page in its context, which joins the same Python."""
    with warm_page(warm, base_url, before=lambda page: page.emulate_media(reduced_motion="reduce")) as page:
        yield page


@pytest.fixture
def page(shared):
    settings(shared, **DEFAULTS)
    return shared


def rows(page):
    """The table as shown: [{token, id, logit, prob, drawable, scaled (text)}]."""
    return page.eval_on_selector_all(f"{LLM} .bars li", js("llm-rows"))


def settings(page, **values):
    """Sets store values as the controls do, and waits until the table shows them."""
    page.evaluate("(v) => genlab.store.set(v, 'test')", values)
    want = {**DEFAULTS, **page.evaluate("() => genlab.store.values")}
    expected = api.llm_distribution(want["context"], want["t"], 10, want["top_k"], want["top_p"])["top"]
    page.wait_for_function(js("llm-table-shows"), arg=[[[r["id"], r["prob"]] for r in expected], PROB_TOL])
    return expected


def test_the_table_shows_logit_logit_over_t_and_probability_as_cpython(page):
    for t in (0.8, 1.6):
        expected = settings(page, t=t)
        shown = rows(page)
        assert [r["token"] for r in shown] == [r["token"] for r in expected]
        assert [r["logit"] for r in shown] == pytest.approx([r["logit"] for r in expected], abs=LOGIT_TOL)
        assert [r["prob"] for r in shown] == pytest.approx([r["prob"] for r in expected], abs=PROB_TOL)
        assert [float(r["scaled"]) for r in shown] == pytest.approx([r["logit"] / t for r in expected], abs=0.006)
        logits = [r["logit"] for r in shown]
        assert logits == sorted(logits, reverse=True)  # step 1's order
    expect(page.locator(f"{LLM} [data-role=divide-head]")).to_have_text("÷ 1.60")


def test_temperature_zero_keeps_the_ranking_and_offers_no_special_token(page):
    ranked = [r["id"] for r in settings(page, t=1.0)]
    page.locator("#llm").get_by_role("button", name="0 greedy").click()
    page.wait_for_function("() => document.querySelector('[data-widget=llm] .bars li').dataset.prob === '1'")
    shown = rows(page)
    assert [r["id"] for r in shown] == ranked  # the same order as at T = 1: sorted by logit
    assert [r["prob"] for r in shown] == [1.0] + [0.0] * 9
    assert [r["drawable"] for r in shown] == [True] + [False] * 9
    assert {r["scaled"] for r in shown} == {"—"}  # no division by zero
    specials = set(api.llm.model().special_ids)
    assert not specials & {r["id"] for r in shown}
    expect(page.locator(f"{LLM} [data-role=entropy]")).to_contain_text("greedy")
    expect(page.locator(f"{LLM} [data-role=filter-note]")).to_contain_text("ranking by logit stays")


def test_top_k_and_top_p_mark_what_can_be_drawn(page):
    box = page.locator(f"{LLM} [data-role=top-k]")
    box.fill("3")
    box.press("Enter")
    box.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")
    expected = settings(page)  # waits for the table of top_k = 3
    assert page.evaluate("() => genlab.store.get('top_k')") == 3
    shown = rows(page)
    assert [r["drawable"] for r in shown] == [r["drawable"] for r in expected] == [True] * 3 + [False] * 7
    assert [r["mark"] for r in shown] == ["✓ can be drawn"] * 3 + ["✗ cut by the filter"] * 7
    assert sum(r["prob"] for r in shown[:3]) == pytest.approx(1)
    dist = api.llm_distribution(DEFAULTS["context"], 0.8, 10, 3, 1.0)
    expect(page.locator(f"{LLM} [data-role=filter-note]")).to_contain_text(
        f"3 of {api.info()['llm']['vocab_size']:,} tokens can be drawn")
    assert f"{100 * dist['kept_mass']:.1f}%" in page.locator(f"{LLM} [data-role=filter-note]").text_content()
    expect(page).to_have_url(re.compile(r"top_k=3"))
    # top-p from its slider: keeps the most likely tokens up to p.
    settings(page, top_k=0)
    slider = page.locator(f"{LLM} [data-role=top-p]")
    slider.fill("0.3")
    expected = settings(page)
    assert page.evaluate("() => genlab.store.get('top_p')") == 0.3
    expect(page.locator(f"{LLM} [data-role=top-p-out]")).to_have_text("0.30")
    assert [r["drawable"] for r in rows(page)] == [r["drawable"] for r in expected]
    kept = [r["prob_unfiltered"] for r in expected if r["drawable"]]
    assert sum(kept[:-1]) < 0.3 <= sum(kept) + 1e-12  # the smallest set reaching p


def test_sample_sample100_and_generate_obey_top_k_and_top_p(page):
    llm = page.locator(LLM)
    for top_k, top_p in ((2, 1.0), (0, 0.5)):
        expected = settings(page, top_k=top_k, top_p=top_p, t=1.5, seed=7)
        allowed = {r["id"] for r in expected if r["drawable"]}
        args = dict(top_k=top_k, top_p=top_p)
        llm.get_by_role("button", name="Sample one token").click()
        first = api.llm_sample(DEFAULTS["context"], 1.5, 7, 0, **args)
        expect(llm.locator("[data-role=result]")).to_have_attribute("data-token", first["token"])
        drawable = api.llm_distribution(DEFAULTS["context"], 1.5, 10, top_k, top_p)["drawable_count"]
        assert first["id"] in allowed or drawable > 10  # (the table shows 10 rows)
        llm.get_by_role("button", name="Sample 100").click()
        expect(llm.locator("[data-role=result]")).to_contain_text("100 draws")
        observed = json.loads(llm.get_attribute("data-observed"))
        many = api.llm_sample_many(DEFAULTS["context"], 1.5, 7, 100, 0, rows=10, **args)
        assert observed == many["counts"]
        assert drawable < 1000 and (many["other"] == 0 or drawable > 10)
        assert {c["id"] for c in observed if c["count"]} <= allowed
        page.evaluate("() => { delete document.querySelector('[data-widget=llm]').dataset.generated; }")
        llm.get_by_role("button", name="Generate 12 tokens").click()
        page.wait_for_function("() => document.querySelector('[data-widget=llm]').dataset.generated !== undefined")
        gen = api.llm_generate(DEFAULTS["context"], 1.5, 7, 12, rows=5, **args)
        assert llm.get_attribute("data-generated") == gen["text"]
        steps = llm.locator("[data-role=steps] li")
        expect(steps).to_have_count(12)
        for i, step in enumerate(gen["steps"]):  # every step drew a token its own filter kept
            chosen = [r for r in step["top"] if r["id"] == step["id"]]
            assert all(r["drawable"] for r in chosen)
            expect(steps.nth(i).locator(".cand.chosen")).to_have_count(len(chosen))
            expect(steps.nth(i).locator(".cand.cut")).to_have_count(sum(not r["drawable"] for r in step["top"]))


def test_generate_shows_each_drawn_tokens_chance_and_rank(page):
    """Every step names the token drawn with its chance and rank, also when it is not among the
    rows shown; with top-k on, each chance before and after the filter."""
    llm = page.locator(LLM)
    for top_k in (0, 3):
        settings(page, t=1.8, seed=5, top_k=top_k)
        page.evaluate("() => { delete document.querySelector('[data-widget=llm]').dataset.generated; }")
        llm.get_by_role("button", name="Generate 12 tokens").click()
        page.wait_for_function("() => document.querySelector('[data-widget=llm]').dataset.generated !== undefined")
        gen = api.llm_generate(DEFAULTS["context"], 1.8, 5, 12, rows=5, top_k=top_k)
        steps = llm.locator("[data-role=steps] li")
        assert steps.evaluate_all("ls => ls.map(l => Number(l.dataset.rank))") == [s["rank"] for s in gen["steps"]]
        for i, s in enumerate(gen["steps"]):
            pick = steps.nth(i).locator(".step-pick").text_content()
            assert f"rank {s['rank']}" in pick and ("not among the 5 shown" in pick) == (s["rank"] > 5)
            if top_k:
                assert f"softmax {percent(s['prob_unfiltered'])}, after the filter {percent(s['prob'])}" in pick
            else:
                assert f"{percent(s['prob'])} chance" in pick
    assert any(s["rank"] > 5 for s in api.llm_generate(DEFAULTS["context"], 1.8, 5, 12, rows=5)["steps"])


def test_the_table_fits_a_390_px_phone_with_and_without_a_filter(page):
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        for top_k in (0, 3):
            settings(page, top_k=top_k)
            head = page.locator(f"{LLM} .logits-head")
            assert head.locator(".h-after").is_visible() == bool(top_k)  # "4. After the filter"
            assert page.evaluate(js("llm-overlaps")) == []
            assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    finally:
        page.set_viewport_size({"width": 1100, "height": 900})


def test_attention_chips_show_the_weights_cpython_computes(page):
    """For the token being predicted: each layer and head's weights over the window, as the real
    forward pass gives them here, chosen with the keyboard too; each head's weights add up to 1."""
    text = "for lunch i like to eat"
    model = api.llm.model()
    ids = model.encode_text(text)
    _, weights = model.logits_and_attention(ids)  # (layers, heads, window)
    page.locator(f"{LLM} [data-role=context]").fill(text)
    panel = page.locator(f"{LLM} [data-panel=attention]")
    cells = panel.locator("[data-role=att-chips] .att-cell")
    expect(panel.locator("[data-role=att-chips]")).to_contain_text("lunch")
    expect(cells).to_have_count(len(model.window(ids)))
    assert cells.evaluate_all("cs => cs.map(c => c.dataset.token)") == [model.piece(i) for i in model.window(ids)]
    layer, head = (panel.get_by_role("combobox", name=re.compile(f"^{word}")) for word in ("Layer", "Head"))  # labelled
    assert layer.evaluate("s => s.options.length") == weights.shape[0]
    assert head.evaluate("s => s.options.length") == weights.shape[1]
    for L in range(weights.shape[0]):
        layer.select_option(str(L))
        for H in range(weights.shape[1]):
            if H == 0:
                head.select_option("0")
            else:  # the keyboard moves to the next head
                head.focus()
                page.keyboard.press("ArrowDown")
                expect(head).to_have_value(str(H))
            shown = cells.evaluate_all("cs => cs.map(c => Number(c.dataset.weight))")
            assert shown == pytest.approx(weights[L, H].tolist(), abs=1e-5)
            assert sum(shown) == pytest.approx(1, abs=1e-5)
            top = int(np.argmax(weights[L, H]))
            expect(panel.locator("[data-role=att-note]")).to_contain_text(f"Layer {L + 1}, head {H + 1}")
            expect(panel.locator("[data-role=att-note]")).to_contain_text(f"({percent(weights[L, H, top])})")
    # The first word's split is explained when a space would have split it less (CPython decides).
    first = api.llm_distribution(text, 0.8)["first_word"]
    note = page.locator(f"{LLM} [data-role=first-word]")
    if first:
        expect(note).to_contain_text(f"“{first['word']}” split into {'|'.join(first['pieces'])}")
    else:
        expect(note).to_be_hidden()


def test_context_chips_are_the_model_tokens(page):
    text = "the unbelievably quick cat, 42 times!"
    page.locator(f"{LLM} [data-role=context]").fill(text)
    expected = api.llm_distribution(text, 0.8)["tokens"]
    chips = page.locator(f"{LLM} [data-role=tokens] .tok")
    expect(chips).to_have_count(len(expected))
    assert chips.evaluate_all("cs => cs.map(c => c.dataset.token)") == [t["token"] for t in expected]
    joined = chips.evaluate_all("cs => cs.map(c => c.classList.contains('joined'))")
    # A piece with no space before it continues the word of the piece before.
    assert joined[1:] == [not t["token"].startswith(" ") and not prev["token"][-1:].isspace()
                          for prev, t in zip(expected, expected[1:])]
    assert any(joined) and not all(joined[1:])  # the unbelievable word is split, the others are not
    window = api.info()["llm"]["context_size"]
    seen = chips.evaluate_all("cs => cs.map(c => c.classList.contains('seen'))")
    assert sum(seen) == min(window, len(expected)) and all(seen[-min(window, len(expected)):])
    expect(page.locator("#llm")).to_contain_text("50,000")


def test_old_text_is_marked_when_the_context_or_settings_change(page):
    llm = page.locator(LLM)
    note = llm.locator("[data-role=stale-note]")
    llm.get_by_role("button", name="Generate 12 tokens").click()
    expect(llm.locator("[data-role=steps] li")).to_have_count(12)
    expect(note).to_be_hidden()
    llm.locator("[data-role=context]").fill("my dog likes to")
    expect(note).to_be_visible()
    expect(llm.locator("[data-role=result]")).to_have_class(re.compile(r"\bstale\b"))
    expect(llm.locator("[data-role=steps]")).to_have_class(re.compile(r"\bstale\b"))
    assert llm.get_attribute("data-generated") is None
    llm.get_by_role("button", name="Sample one token").click()  # a fresh draw: no longer old
    expect(note).to_be_hidden()
    expect(llm.locator("[data-role=result]")).not_to_have_class(re.compile(r"\bstale\b"))
    expect(llm.get_by_role("button", name="Add it to the context")).to_be_visible()
    page.locator(f"{LLM} [data-role=top-p]").fill("0.5")  # a setting, not only the context
    expect(note).to_be_visible()
    expect(llm.get_by_role("button", name="Add it to the context")).to_be_hidden()


def test_typed_context_is_kept_when_another_control_moves_and_read_on_leaving_the_box(page):
    box = page.locator(f"{LLM} [data-role=context]")
    box.fill("the cat sat on the")
    page.locator(f"{LLM} [data-role=t]").fill("1.2")  # before typing has paused
    expect(box).to_have_value("the cat sat on the")
    expect(page.locator(f"{LLM} [data-role=tokens]")).to_contain_text("cat")
    assert page.evaluate("() => genlab.store.get('context')") == "the cat sat on the"
    # Leaving the box reads it at once, without waiting for the pause (the same in section 5).
    for section in (LLM, "#temperature"):
        field = page.locator(f"{section} [data-role=context]")
        field.fill(f"my dog likes {section[:4]}")
        field.dispatch_event("change")
        assert page.evaluate("() => genlab.store.get('context')") == f"my dog likes {section[:4]}"


def test_surprise_colours_each_token_by_llm_score(page):
    panel = page.locator(f"{LLM} [data-panel=surprise]")
    a, b = "once upon a time there was a little girl", "once upon a time there was a little spoon"
    panel.locator("[data-role=text-a]").fill(a)
    panel.locator("[data-role=text-b]").fill(b)
    for side, text in (("a", a), ("b", b)):
        score = api.llm_score(text)
        chips = panel.locator(f"[data-role=chips-{side}] .tok")
        expect(chips).to_have_count(len(score["tokens"]))
        page.wait_for_function("([side, text]) => genlab.widgets.llm.surprise.scores[side]?.n_bytes === text.length", arg=[side, text])
        bits = chips.evaluate_all("cs => cs.map(c => Number(c.dataset.bits))")
        assert bits == pytest.approx([t["bits"] for t in score["tokens"]], abs=BITS_TOL)
        assert chips.evaluate_all("cs => cs.map(c => c.dataset.token)") == [t["token"] for t in score["tokens"]]
        title = chips.first.get_attribute("title")
        assert re.search(r"([\d.]+) bits", title).group(1) == f"{bits[0]:.1f}"
        total = panel.locator(f"[data-role=total-{side}]").text_content()
        numbers = [float(x) for x in re.findall(r"[\d.]+(?= bits)", total)]
        assert numbers == pytest.approx([score["total_bits"], score["bits_per_byte"]], abs=0.051)
        expect(panel.locator(f"[data-role=table-{side}] tbody tr")).to_have_count(len(score["tokens"]))
        # Darker means more surprising: the shade grows with the bits.
        shares = chips.evaluate_all("cs => cs.map(c => parseFloat(c.style.getPropertyValue('--share')))")
        order = sorted(range(len(bits)), key=bits.__getitem__)
        assert [shares[i] for i in order] == sorted(shares)
    more = "A" if api.llm_score(a)["bits_per_byte"] > api.llm_score(b)["bits_per_byte"] else "B"
    expect(panel.locator("[data-role=compare]")).to_contain_text(re.compile(f"sentence {more} surprised the model|about equally"))


def test_section_5_alone_has_its_own_context_and_slider(shared, base_url):
    def alone(page):  # a page of its own: its own store, runs and list of calls; motion as by default
        page.set_viewport_size({"width": 900, "height": 900})
        page.emulate_media(reduced_motion="no-preference")

    def columns_drawn(page):
        page.wait_for_selector('[data-widget="temperature"][data-state="ready"] .column', timeout=READY_TIMEOUT_MS)

    with warm_page(shared.context, base_url + "?embed=temperature", columns_drawn, alone) as page:
        section = page.locator("#temperature")
        expect(page.locator("#llm")).to_be_hidden()
        text = section.inner_text()
        assert not re.search(r"\bsections? \d", text, re.I), "refers to a section not on screen"
        section.locator("[data-role=context]").fill("my dog likes to")
        section.locator("[data-role=t]").fill("1.2")
        expect(section.locator("[data-role=t-out]")).to_have_text("1.20")
        expected = api.llm_compare("my dog likes to", [0.2, 0.8, 1.5, 1.2], rows=6)["columns"]
        page.wait_for_function("""(want) => JSON.stringify([...document.querySelectorAll('#temperature .column')].map(c =>
            [...c.querySelectorAll('li')].map(li => li.dataset.token))) === want""",
            arg=json.dumps([[r["token"] for r in c["top"]] for c in expected], separators=(",", ":")))
        probs = section.locator(".column li").evaluate_all("ls => ls.map(l => Number(l.dataset.prob))")
        assert probs == pytest.approx([r["prob"] for c in expected for r in c["top"]], abs=PROB_TOL)
        expect(section.locator(".column figcaption strong").last).to_have_text("T = 1.20")
        expect(section.locator("[data-role=context-echo]")).to_have_text("my dog likes to")
        # The presets of its own: greedy keeps the ranking in the last column.
        section.get_by_role("button", name="0 greedy").click()
        expect(section.locator(".column figcaption strong").last).to_have_text("T = 0.00")
        last = section.locator(".column").last.locator("li").evaluate_all("ls => ls.map(l => Number(l.dataset.prob))")
        assert last == [1.0] + [0.0] * 5
        # Section 2 shares the settings but is not on screen: it asks Python for nothing.
        asked = page.evaluate("() => genlab.runtime.recent.map((c) => c.fn)")
        assert "llm_compare" in asked and not {"llm_distribution", "llm_score"} & set(asked), asked


def test_section_5_and_section_2_share_their_settings(page):
    page.locator("#temperature").scroll_into_view_if_needed()
    page.locator("#temperature [data-role=t]").fill("1.4")
    expect(page.locator(f"{LLM} [data-role=t-out]")).to_have_text("1.40")
    settings(page)  # section 2's table follows to T = 1.4
    page.locator(f"{LLM} [data-role=context]").fill("i would like a cup of")
    expect(page.locator("#temperature [data-role=context-echo]")).to_have_text("i would like a cup of")
    expect(page.locator("#temperature [data-role=context]")).to_have_value("i would like a cup of")


def test_the_settings_table_stays_within_the_python_bounds(page):
    """llm-settings.js (read by the URL parser, locks and embeds) allows nothing genlab.api refuses."""
    params = page.evaluate(js("module-values"), [module("state"), ["PARAMS"]])["PARAMS"]
    assert params["context"]["maxLength"] == api.llm.MAX_CONTEXT_CHARS
    assert 0 <= params["t"]["min"] and params["t"]["max"] <= api.MAX_T
    assert params["top_k"]["min"] == 0 and params["top_k"]["max"] <= api.info()["llm"]["vocab_size"]
    assert 0 < params["top_p"]["min"] and params["top_p"]["max"] == 1
    assert params["seed"]["max"] == api.MAX_SEED
    for key in ("t", "top_k", "top_p"):  # the controls offer the same range
        control = page.locator(f"{LLM} [data-controls={key}]").first
        assert float(control.get_attribute("min")) == params[key]["min"]
        assert float(control.get_attribute("max")) == params[key]["max"]
    for extreme in ({"top_k": params["top_k"]["max"], "top_p": params["top_p"]["min"]}, {"t": params["t"]["max"]}):
        api.llm_distribution("hello", extreme.get("t", 1), 10, extreme.get("top_k", 0), extreme.get("top_p", 1))
