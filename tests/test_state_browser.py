"""What a learner types and draws stays out of the page's address and out of the links it makes
(issue 24), unless a link is asked to carry it: the address, the art share link, the Embed code."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import READY_TIMEOUT_MS, python_ready, warm_page
from tests.test_gan_browser import draw_stroke

TYPED = "my best friend is"
GAN = '[data-widget="gan"]'
ART_KEYS = {"art_seed", "art_style", "art_palette", "art_complexity", "art_symmetry", "art_size"}


def query(link: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def type_and_draw(page) -> None:
    """A context typed in section 2 and a shape drawn for the GAN, as a learner does them."""
    page.locator('#llm [data-role="context"]').fill(TYPED)
    page.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")
    draw_stroke(page, 0.6, 0.2)
    page.wait_for_function("() => genlab.store.get('gan_points').split(';').length >= 8")
    assert page.evaluate("() => genlab.store.get('context')") == TYPED
    # A setting that does go into the address, changed last: once it is there, every write is done.
    page.locator("#llm [data-preset='1.5']").click()
    page.wait_for_function("() => location.search.includes('t=1.5')")


@pytest.fixture(scope="module")
def used(warm, base_url):
    """The lesson after a learner typed a context and drew a shape."""
    with warm_page(warm, base_url, python_ready) as page:
        page.wait_for_selector('[data-widget="llm"][data-state="ready"] .bars li', timeout=READY_TIMEOUT_MS)
        type_and_draw(page)
        yield page


def test_the_address_keeps_the_settings_but_not_what_was_typed_or_drawn(used):
    address = query(used.url)
    assert address["t"] == "1.5" and address["gan_target"] == "custom"
    assert "context" not in address and "gan_points" not in address
    assert TYPED.split()[1] not in used.url


def test_the_art_share_link_carries_only_the_arts_settings(used):
    used.locator("#art [data-role=share]").click()
    link = used.locator("#art [data-role=share-url]").input_value()
    assert set(query(link)) == ART_KEYS and urlsplit(link).fragment == "art"


def open_embed(page, section: str):
    page.locator(f"#{section} .embed-button").click()
    return page.locator(f"#{section} .embed-panel")


def test_embed_code_carries_typed_text_only_when_ticked(used):
    kit = open_embed(used, "llm")
    assert "context" not in query(kit.locator(".embed-url").input_value())
    carry = kit.locator("fieldset", has_text="typed or drawn")
    expect(carry).to_contain_text(f"Context (now “{TYPED}”)")
    carry.get_by_label("Context").check()
    link = kit.locator(".embed-url").input_value()
    assert query(link)["context"] == TYPED and TYPED.replace(" ", "+") in kit.locator(".embed-code").input_value()
    carry.get_by_label("Context").uncheck()
    assert "context" not in query(kit.locator(".embed-url").input_value())


def test_embed_code_carries_the_drawing_only_when_ticked_and_the_target_is_the_drawing(used):
    kit = open_embed(used, "gan")
    assert "gan_points" not in query(kit.locator(".embed-url").input_value())
    carry = kit.locator("fieldset", has_text="typed or drawn")
    expect(carry.locator("label")).to_contain_text(["The shape drawn for “Real data” (now"])
    carry.locator("input").check()
    drawn = used.evaluate("() => genlab.store.get('gan_points')")
    assert query(kit.locator(".embed-url").input_value())["gan_points"] == drawn
    used.locator(f'{GAN} [data-setting="gan_target"]').select_option("spiral")
    link = kit.locator(".embed-url").input_value()
    assert query(link)["gan_target"] == "spiral" and "gan_points" not in query(link)
    assert len(kit.locator(".embed-code").input_value()) < 1000  # no drawing hidden in the code
    used.locator(f'{GAN} [data-setting="gan_target"]').select_option("custom")


def test_a_teachers_context_stays_in_the_address_until_the_learner_types(warm, base_url):
    """A link that gives a context (a teacher's) keeps it in the address while it holds."""
    with warm_page(warm, base_url + "?context=the+cat+sat+on", python_ready) as page:
        page.locator("#llm [data-preset='0.2']").click()
        page.wait_for_function("() => location.search.includes('t=0.2')")
        assert query(page.url)["context"] == "the cat sat on"
        page.locator('#llm [data-role="context"]').fill(TYPED)
        page.locator("#llm [data-preset='1.5']").click()
        page.wait_for_function("() => location.search.includes('t=1.5')")
        assert "context" not in query(page.url)


def test_an_embeds_link_to_the_full_lesson_leaves_out_what_was_typed(warm, base_url):
    with warm_page(warm, base_url + "?embed=llm", python_ready) as page:
        page.locator('#llm [data-role="context"]').fill(TYPED)
        page.locator("#llm [data-preset='1.5']").click()
        page.wait_for_function("() => location.search.includes('t=1.5')")
        full = page.get_by_role("link", name="Open the full lesson")
        full.focus()  # the link follows the settings as they are now
        link = full.get_attribute("href")
        assert query(link)["t"] == "1.5" and "context" not in query(link)
