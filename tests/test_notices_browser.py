"""Messages about the link stay compact: one line with a count, details on demand, never more
than a share of the screen, Dismiss in reach, repeated messages merged, user text inert."""
from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser import fresh_page, js, loaded, module

BAD = {"t": "hot", "seed": "-3", "cls_k": "9", "gan_target": "cube", "gan_lr_g": "-1", "gan_lr_d": "x",
       "gan_d_steps": "0", "gan_width": "999", "gan_depth": "9", "gan_activation": "sigmoid", "gan_latent": "0",
       "gan_batch": "1", "gan_loss": "hinge", "diff_T": "5", "diff_schedule": "cubic", "diff_scale": "11",
       "digit": "12", "art_style": "cubism", "art_size": "7"}


def test_many_bad_values_on_a_phone_leave_the_lesson_in_view(browser, base_url):
    phone = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    with fresh_page(browser, base_url + "?" + "&".join(f"{k}={v}" for k, v in BAD.items()), loaded, **phone) as page:
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_contain_text(f"{len(BAD)} settings in the link were not understood")
        expect(notice).to_contain_text("Hidden width 999 is outside 4 to 128")  # in the details
        header = page.locator("header.masthead").bounding_box()
        assert header["height"] <= 0.6 * 740
        dismiss = notice.get_by_role("button", name="Dismiss this message")
        box = dismiss.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 740
        notice.locator("summary").click()  # the details open, and the header still fits
        assert page.locator("header.masthead").bounding_box()["height"] <= 0.6 * 740
        dismiss.click()
        expect(notice).to_have_count(0)


def test_a_long_value_and_direction_controls_are_quoted_inertly(browser, base_url):
    long_value = " ".join(["word"] * 400)
    link = base_url + "?gan_target=" + quote(long_value) + "&art_style=" + quote("\u202eevil")
    with fresh_page(browser, link, loaded, viewport={"width": 360, "height": 740}) as page:
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_contain_text("2 settings in the link were not understood")
        text = notice.text_content()
        assert "\u202e" not in text and "[U+202E]evil" in text
        assert text.count("word") <= 15  # the 400 words are cut short
        assert page.locator("header.masthead").bounding_box()["height"] <= 0.6 * 740


def test_numbers_in_a_link_are_plain_decimals(browser, base_url):
    with fresh_page(browser, base_url + "?seed=0x10&t=0b1&gan_width=1e1", loaded) as page:
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_contain_text("Seed “0x10” is not a number")
        expect(notice).to_contain_text("Temperature “0b1” is not a number")
        assert page.evaluate("() => [genlab.store.get('seed'), genlab.store.get('t'), genlab.store.get('gan_width')]") == [42, 0.8, 10]


def test_the_same_message_twice_is_one_line_with_a_count(browser, base_url):
    with fresh_page(browser, base_url, loaded) as page:
        page.evaluate(js("notify-times"), [module("ui"), "The course platform did not accept the score.", "warn", 17])
        notice = page.locator("#notices .notice.warn")
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text("(17 times)")
