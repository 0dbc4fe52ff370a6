import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "py"))

# Our matrices are small; on a busy 2-core machine OpenBLAS threads make them
# up to 10x slower. Must be set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pytest_sessionstart(session):
    """dist/ must match the sources the tests compare it with (a no-op when it does). With several
    pytest processes (pytest-xdist), the one that hands out the tests builds, before the others start."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    import build

    build.build()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (each test opens its own context)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url():
    """dist/ served below a sub-path on 127.0.0.1, for the whole test session."""
    from tests.browser import serve_dist

    with serve_dist() as url:
        yield url


@pytest.fixture(scope="module")
def warm(browser, base_url):
    """A context per test module in which Python stays started (see tests.browser.warm_context):
    a test that needs no cold start of its own opens a fresh page in it (tests.browser.warm_page),
    with its own genlab.api Session and its own runs, and joins an interpreter already running.
    Per module, not per session: some modules damage the context's cached files or its service
    worker on purpose, and a session-wide context once left a later module's page that never
    became ready (test_gan_browser, a full run on a quiet machine, 2026-12-06)."""
    from tests.browser import warm_context

    with warm_context(browser, base_url, viewport={"width": 1100, "height": 900}) as (context, _):
        yield context
