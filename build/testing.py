"""What `python build.py test` and `bench` need besides dist/: the test packages, a Chromium, and
Firefox and WebKit for the engine tests; then the runs themselves."""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .common import DEFAULT_CACHE, DIST, PY, ROOT, BuildError, log
from .site import build

# Test-only packages, installed by `build.py test` when missing.
TEST_REQUIREMENTS = ("pytest==9.0.3", "playwright==1.65.2", "numpy==2.4.6",
                     "lxml==6.1.3",  # lxml: checks imsmanifest.xml against the SCORM schemas
                     "pypdf==7.1.1",  # pypdf: reads the text and images of the printed lesson
                     "pytest-xdist==3.8.0", "execnet==2.1.2")  # the whole suite in two processes
IMPORT_NAMES = {"pytest-xdist": "xdist"}  # a package whose module is named otherwise
# The whole suite runs in WORKERS pytest processes, a test file at a time each (--dist loadfile:
# a file's module fixtures, such as its warm browser context, stay in one process). On 2 cores a
# browser test leaves about a third of the machine idle (waiting for a page to settle, for Python
# to answer): two files at once took 12:44 instead of 16:29-18:00 (2026-12-06).
WORKERS = 2


def _importable(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0


def ensure_test_packages() -> None:
    names = {req: req.split("==")[0] for req in TEST_REQUIREMENTS}
    missing = [req for req, name in names.items() if not _importable(IMPORT_NAMES.get(name, name))]
    if missing:
        log(f"installing {' '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)


def find_chromium() -> str | None:
    """Playwright's own Chromium if present, else a system one; None if neither."""
    probe = ("from playwright.sync_api import sync_playwright\n"
             "with sync_playwright() as p: print(p.chromium.executable_path)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    own = out.stdout.strip()
    if out.returncode == 0 and own and Path(own).is_file():
        return own
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def ensure_chromium() -> str:
    if os.environ.get("GENLAB_CHROMIUM"):
        return os.environ["GENLAB_CHROMIUM"]
    if found := find_chromium():
        return found
    log("no Chromium found; trying Playwright's download")
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                       capture_output=True, timeout=180)
    if found := find_chromium():
        return found
    if os.geteuid() == 0 and Path("/etc/debian_version").exists():
        log("installing Debian's chromium package")
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if found := find_chromium():
        return found
    raise BuildError("no Chromium for the browser tests: install one, or set GENLAB_CHROMIUM")


# The engine smoke tests (tests/test_engines.py) and the bench's ttr_cold_ratio_{firefox,webkit}:
# Debian's packages, and puppeteer-core from npm (it drives Firefox's built-in WebDriver BiDi; it is
# installed with PUPPETEER_SKIP_DOWNLOAD, so it never downloads a browser). WebKit is driven over
# plain HTTP (tests/engines/drivers.py), with no client package.
ENGINE_DEBS = ("firefox-esr", "webkit2gtk-driver", "xvfb", "xauth")
ENGINE_NPM = ("puppeteer-core@24.43.1",)  # 24.x: the last line that runs on Node 18-20


def engines_npm_dir(cache: Path = DEFAULT_CACHE) -> Path:
    """Where ENGINE_NPM is installed: a folder of the cache named after the pins."""
    return Path(os.environ.get("GENLAB_ENGINES_NPM") or cache / ("npm-" + "-".join(ENGINE_NPM).replace("@", "-")))


def find_engines(cache: Path = DEFAULT_CACHE) -> dict[str, str | None]:
    """What the engine tests run: each path, or None where it is missing."""
    modules = engines_npm_dir(cache) / "node_modules"
    minibrowser = sorted(Path("/usr/lib").glob("*/webkit2gtk-4.*/MiniBrowser"))
    return {"firefox": os.environ.get("GENLAB_FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox"),
            "webkit_driver": shutil.which("WebKitWebDriver"),
            "minibrowser": str(minibrowser[-1]) if minibrowser else None,
            "xvfb_run": shutil.which("xvfb-run"), "xauth": shutil.which("xauth"),
            "node": shutil.which("node"), "npm": shutil.which("npm"),
            "node_modules": str(modules) if all((modules / pin.rsplit("@", 1)[0] / "package.json").is_file()
                                                for pin in ENGINE_NPM) else None}


def ensure_engines(cache: Path = DEFAULT_CACHE) -> dict[str, str]:
    """Installs what find_engines() misses (apt-get as root on Debian, npm into the cache); fails
    with what to install otherwise. Sets GENLAB_ENGINES_NPM for the tests."""
    found = find_engines(cache)
    tools = [k for k in found if k != "node_modules"]
    if not all(found[k] for k in tools):
        if os.geteuid() != 0 or not Path("/etc/debian_version").exists():
            raise BuildError(f"the Firefox and WebKit tests need {' '.join(k for k in tools if not found[k])}: "
                             f"install Debian's {' '.join(ENGINE_DEBS)} nodejs npm (as root)")
        log(f"installing Debian's {' '.join(ENGINE_DEBS)} for the Firefox and WebKit tests")
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        wait = ["-o", "DPkg::Lock::Timeout=600"]  # another install may hold apt's lock for a while
        npm = () if shutil.which("npm") else ("nodejs", "npm")
        result = subprocess.run(["apt-get", *wait, "update", "-q"], stdout=subprocess.DEVNULL, env=apt)
        if result.returncode == 0:
            result = subprocess.run(["apt-get", *wait, "install", "-y", "-q", *ENGINE_DEBS, *npm],
                                    stdout=subprocess.DEVNULL, env=apt)
        found = find_engines(cache)
        if result.returncode or not all(found[k] for k in tools):
            raise BuildError(f"could not install the Firefox and WebKit test browsers (apt-get: {result.returncode}; "
                             f"still missing: {' '.join(k for k in tools if not found[k])})")
    if not found["node_modules"]:
        folder = engines_npm_dir(cache)
        log(f"installing {' '.join(ENGINE_NPM)} from npm into {folder} (no browser download)")
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([found["npm"], "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund",
                                 "--loglevel=error", *ENGINE_NPM], stdout=subprocess.DEVNULL,
                                env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})
        found = find_engines(cache)
        if result.returncode or not found["node_modules"]:
            raise BuildError(f"npm could not install {' '.join(ENGINE_NPM)} into {folder} (exit {result.returncode})")
    os.environ["GENLAB_ENGINES_NPM"] = str(engines_npm_dir(cache))
    return found


def _prepare(args: argparse.Namespace) -> str:
    """Everything a test or bench run needs (Firefox and WebKit too: tests/test_engines.py and the
    bench's ttr_cold_ratio_firefox / _webkit), and dist/; returns the Chromium to use."""
    ensure_test_packages()
    chromium = ensure_chromium()
    ensure_engines(args.cache)
    build(args.cache, args.artifacts)
    return chromium


def run_tests(args: argparse.Namespace, extra: list[str]) -> int:
    chromium = _prepare(args)
    env = {**os.environ, "GENLAB_CHROMIUM": chromium, "PYTHONPATH": str(PY)}
    log(f"running tests with Chromium at {chromium}")
    # Test files or folders named among the arguments run alone; otherwise every test runs.
    named = any(Path(arg.split("::")[0]).exists() for arg in extra if not arg.startswith("-"))
    # The slowest tests are listed at the end, so that a slow suite says where its time goes.
    durations = [] if named or any(a.startswith("--durations") for a in extra) else ["--durations=25"]
    # Named files run in one process, as written; the whole suite in WORKERS (unless told: -n, -p no:xdist).
    parallel = [] if named or any(a.startswith(("-n", "--numprocesses", "--dist")) or "xdist" in a for a in extra) \
        else ["-n", str(WORKERS), "--dist", "loadfile"]
    return subprocess.run([sys.executable, "-m", "pytest", *([] if named else ["tests"]), *parallel, *durations, *extra],
                          cwd=ROOT, env=env).returncode


def run_bench(args: argparse.Namespace) -> int:
    chromium = _prepare(args)
    out = Path(args.out) if args.out else DIST / "bench.json"
    env = {**os.environ, "GENLAB_CHROMIUM": chromium, "PYTHONPATH": f"{PY}{os.pathsep}{ROOT}"}
    only = ["--only", args.only] if getattr(args, "only", None) else []
    return subprocess.run([sys.executable, "-m", "tests.bench", str(out), *only], cwd=ROOT, env=env).returncode
