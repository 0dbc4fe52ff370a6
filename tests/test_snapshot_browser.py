"""A second visit starts Python from the memory snapshot of the bare interpreter that the first one
saved, answers exactly as a full start does, and falls back to a full start, saying why, whenever
what was saved is not fit to use. Every start uses the bytecode the build compiled, unless it is
damaged. The status bar only rises."""
from __future__ import annotations

import gzip
import json
import re

from playwright.sync_api import expect

import build
from tests.browser import fresh_context, fresh_page, js, open_page, python_ready, serve_dist, serve_dist_with, warm_page

SAVE_TIMEOUT_MS = 120_000  # saved some seconds after ready, in small steps, on a busy machine

def build_hash() -> str:
    return json.loads((build.DIST / "build.json").read_text())["hash"]


def bytecode_files() -> int:
    """How many compiled files the build's bytecode holds (its index, after gunzip)."""
    packed = gzip.decompress((build.DIST / build.BYTECODE).read_bytes())
    length = int.from_bytes(packed[:4], "big")
    return len(json.loads(packed[4:4 + length])["files"])


def visit(ctx, url):
    """A new tab of the lesson, ready; returns (page, info.start)."""
    page = open_page(ctx, url)
    return page, page.evaluate("() => genlab.runtime.info.start")


def wait_saved(page, names=("python-snapshot.bin",)) -> None:
    """Until the worker has kept the named files (polled by evaluate: it awaits the check's promise)."""
    for _ in range(SAVE_TIMEOUT_MS // 500):
        if page.evaluate(js("cached-files"), [list(names), build_hash(), None]):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{names} were not saved within {SAVE_TIMEOUT_MS} ms")


def assert_bar_rose(page) -> list[int]:
    values = page.evaluate("() => window.barValues")
    assert values[0] == 0 and values[-1] == 100, values
    assert all(b >= a for a, b in zip(values, values[1:])), f"the bar went back: {values}"
    between = {v for v in values if 0 < v < 100}
    assert len(between) >= 3, f"the bar hardly moved before ready: {values}"
    return values


def test_a_second_visit_restores_the_snapshot_and_answers_the_same_bytes(browser):
    with serve_dist("snap/") as url:
        with fresh_context(browser) as ctx:
            ctx.add_init_script(js("watch-status-bar"))
            first, start = visit(ctx, url)
            assert start["path"] == "normal" and start["reason"] == "no snapshot saved yet", start
            assert start["bytecode"] == f"{bytecode_files()} compiled files from the build, all matching their sources", start
            expect(first.locator("#runtime-label")).to_have_text("Ready: the models run here, in your browser.")
            expect(first.locator("#runtime-details")).to_contain_text("full start: no snapshot saved yet")
            expect(first.locator("#runtime-label")).to_have_attribute(
                "title", re.compile(rf"Bytecode: {bytecode_files()} compiled files from the build, all matching"))
            full = first.evaluate(js("snapshot-calls"))
            wait_saved(first)
            first.close()

            second, start = visit(ctx, url)
            assert start["path"] == "snapshot", start
            assert start["bytecode"] == f"{bytecode_files()} compiled files from the build, all matching their sources", start
            expect(second.locator("#runtime-details")).to_contain_text("restored from a snapshot")
            assert second.evaluate(js("snapshot-calls")) == full
            stages = second.evaluate("() => genlab.runtime.info.stageMs")
            assert set(stages) == {"runtime", "packages", "warmup"}, stages  # the same keys on both paths
            labels = second.evaluate("() => window.barLabels")
            assert any(text.startswith("Restoring Python saved by this browser") for text in labels), labels
            assert not any(text.startswith("Starting Python (WebAssembly)") for text in labels), labels
            assert_bar_rose(second)  # the restore path's bar rises too


def test_saved_starts_that_are_not_fit_fall_back_to_a_full_start(browser):
    """Damaged bytes, a snapshot for another build, and one that passes its checksum but is
    not a snapshot at all: each time a full start, with the reason, and the same answers."""
    with serve_dist("fallback/") as url:
        with fresh_context(browser) as ctx:
            page, start = visit(ctx, url)
            assert start["path"] == "normal"
            full = page.evaluate(js("snapshot-calls"))
            wait_saved(page)
            cases = [
                ("python-snapshot.bin", "flip", {}, False, "checksum mismatch"),
                ("python-snapshot.bin", None, {"build": "0123456789abcdef"}, True, "made for another build"),
            ]
            for name, change, facts, rehash, reason in cases:
                assert page.evaluate(js("tamper-saved-file"), [name, build_hash(), change, facts, rehash]) == bool(change)
                page.close()
                page, start = visit(ctx, url)
                assert start["path"] == "normal" and start["reason"].startswith(reason), (reason, start)
                expect(page.locator("#runtime-details")).to_contain_text(f"full start: {reason}")
                assert page.evaluate(js("snapshot-calls")) == full, reason
                wait_saved(page)  # the full start saved a good snapshot again
            # A snapshot that passes its checksum but cannot be restored: a full start, and the
            # snapshot is forgotten. That worker began two interpreters, so it keeps none of its own
            # (one made there fails to restore later); the next visit's fresh worker saves one.
            assert page.evaluate(js("tamper-saved-file"), ["python-snapshot.bin", build_hash(), "garbage", {}, True])
            page.close()
            page, start = visit(ctx, url)
            assert start["path"] == "normal" and start["reason"].startswith("restore failed: "), start
            expect(page.locator("#runtime-details")).to_contain_text("full start: restore failed: ")
            assert page.evaluate(js("snapshot-calls")) == full
            page.close()
            page, start = visit(ctx, url)
            assert start == {**start, "path": "normal", "reason": "no snapshot saved yet"}, start
            wait_saved(page)
            page.close()
            page, start = visit(ctx, url)
            assert start["path"] == "snapshot", start
            assert page.evaluate(js("snapshot-calls")) == full


class DamagedBytecode(build.Handler):
    """A host that sends the build's bytecode with one byte changed."""

    def copyfile(self, source, outputfile):
        data = bytearray(source.read())
        if self.path.split("?")[0].endswith("/" + build.BYTECODE):
            data[len(data) // 2] ^= 0xFF
        outputfile.write(bytes(data))


def test_damaged_bytecode_from_the_host_is_left_aside_with_the_same_answers(browser, warm, base_url):
    answers = {}
    with warm_page(warm, base_url) as page:  # intact: the session's Python, started from the build's bytecode
        answers["intact"] = (page.evaluate("() => genlab.runtime.info.start")["bytecode"], page.evaluate(js("snapshot-calls")))
    with serve_dist_with({}, "damaged/", DamagedBytecode) as (_, url), fresh_context(browser, service_workers="block") as ctx:
        page, start = visit(ctx, url)
        answers["damaged"] = (start["bytecode"], page.evaluate(js("snapshot-calls")))
    assert answers["intact"][0] == f"{bytecode_files()} compiled files from the build, all matching their sources"
    assert answers["damaged"][0] == "compiled from source (checksum mismatch)"
    assert answers["damaged"][1] == answers["intact"][1]


def test_the_status_bar_counts_bytes_then_stages_and_never_goes_back(browser, base_url):
    watched = lambda page: page.add_init_script(js("watch-status-bar"))  # noqa: E731
    with fresh_page(browser, base_url, python_ready, watched, service_workers="block") as page:
        values = assert_bar_rose(page)
        assert any(0 < v < 50 for v in values), f"no byte-based progress before the interpreter started: {values}"
        labels = page.evaluate("() => window.barLabels")
        facts = json.loads((build.DIST / "build.json").read_text())
        downloads = [name for name in facts["sizes"] if name.startswith("pyodide/numpy-") or name in (facts["wheel"], facts["bytecode"])
                     or name in ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json")]
        total_mb = f"{sum(facts['sizes'][name] for name in downloads) / 1e6:.1f}"
        assert any(f"of {total_mb} MB received" in text for text in labels), (total_mb, labels[:10])
        assert any("step 3 of 3" in text for text in labels), labels
