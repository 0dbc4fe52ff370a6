"""Firefox and WebKit, driven alike, for the engine smoke tests and the bench.

Each engine is one browser session with a few tabs and six things a test does with it: open a URL,
run a script in the page (the source of a function, which may be async, called with one JSON
argument), click an element, press a key in one, type into one, and reload. Input is real (mouse and
keys through the driver): the lesson counts only trusted events as a learner's use.

- Firefox: Debian's firefox-esr through its built-in WebDriver BiDi, driven by puppeteer-core from
  npm in a Node process (tests/engines/firefox.mjs) that takes one JSON command a line.
- WebKit: Debian's WebKitWebDriver starting its MiniBrowser, under an X server of its own (Xvfb),
  driven over HTTP by the few W3C WebDriver commands below (standard library only).

Where the binaries are: build.find_engines() (build.py test installs what is missing).
"""
from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import build

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 1100, 900
START_TIMEOUT_S = 120


class EngineError(AssertionError):
    """The browser or its driver failed (not a wait that timed out)."""


class Engine:
    name = "?"

    def eval(self, fn: str, arg=None):
        raise NotImplementedError

    def wait(self, fn: str, arg=None, timeout: float = 60, what: str = ""):
        """Calls fn(arg) in the page every 100 ms until it returns something true; returns that."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            last = self.eval(fn, arg)
            if last:
                return last
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {what or fn} not true within {timeout:.0f} s (last: {last!r})")
            time.sleep(0.1)

    def wait_ready(self, timeout: float = 180) -> float:
        """Waits for Python (html[data-runtime=ready]); returns genlab.readyAt (ms from navigation)."""
        self.wait("() => document.documentElement.dataset.runtime === 'ready' && window.genlab.readyAt",
                  timeout=timeout, what="html[data-runtime=ready]")
        return self.eval("() => genlab.readyAt")

    def scroll_to(self, selector: str) -> None:
        self.eval("(s) => document.querySelector(s).scrollIntoView({block: 'center'})", selector)


# ----------------------------------------------------------------------------- Firefox

class Firefox(Engine):
    """firefox-esr through puppeteer-core (WebDriver BiDi) in a Node process."""

    name = "firefox"

    def __init__(self, firefox: str, node_modules: str, node: str = "node"):
        self.proc = subprocess.Popen(
            [node, str(HERE / "firefox.mjs"), node_modules, firefox, str(WIDTH), str(HEIGHT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1",
                                         "MOZ_CRASHREPORTER_DISABLE": "1"})
        self.stderr: list[str] = []
        self.answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr.append), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stdout, self.answers.put), daemon=True).start()
        self.next_id = 0
        self.tab = 0
        try:
            self._read(0, START_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _drain(stream, keep) -> None:
        for line in stream:
            keep(line.rstrip("\n"))
        keep("")  # the driver ended

    def _read(self, want: int, timeout: float):
        try:
            line = self.answers.get(timeout=timeout)
        except queue.Empty:
            line = ""
        if not line:
            tail = "\n".join(self.stderr[-20:])
            raise EngineError(f"firefox: the driver did not answer within {timeout:.0f} s"
                              f" (exit code {self.proc.poll()}); its log:\n{tail}")
        answer = json.loads(line)
        if answer.get("id") != want:
            raise EngineError(f"firefox: answer {answer} for command {want}")
        if "error" in answer:
            raise EngineError(f"firefox: {answer['error']}")
        return answer["value"]

    def _call(self, op: str, timeout: float = 300, **args):
        self.next_id += 1
        try:
            self.proc.stdin.write(json.dumps({"id": self.next_id, "op": op, **args}) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            tail = "\n".join(self.stderr[-20:])
            raise EngineError(f"firefox: the driver has ended (exit code {self.proc.poll()}); its log:\n{tail}") from None
        return self._read(self.next_id, timeout)

    def eval(self, fn: str, arg=None):
        return self._call("eval", fn=fn, arg=arg)

    def open(self, url: str) -> None:
        self._call("goto", url=url)

    def reload(self) -> None:
        self._call("reload")

    def click(self, selector: str) -> None:
        self._call("click", selector=selector)

    def press(self, selector: str, key: str) -> None:
        self._call("press", selector=selector, key=key)

    def type(self, selector: str, text: str) -> None:
        self._call("type", selector=selector, text=text)

    def new_tab(self, url: str) -> None:
        self.tab = self._call("newTab", url=url)

    def close_tab(self) -> None:
        self._call("closeTab", index=self.tab)
        self.tab = 0

    def errors(self) -> list[str]:
        return self._call("errors")

    def version(self) -> str:
        return self._call("version")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self._call("close", timeout=30)
            except Exception:  # noqa: BLE001 - ended below in any case
                pass
        _end_group(self.proc)


# ------------------------------------------------------------------------------ WebKit

KEYS = {"ArrowRight": "\ue014", "ArrowLeft": "\ue012", "ArrowDown": "\ue015", "Enter": "\ue007",
        "Space": " ", "Home": "\ue011", "End": "\ue010"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriverClient:
    """The few W3C WebDriver commands the tests use, over HTTP with the standard library (no
    client package: the driver's URL is all it needs, and it can download nothing)."""

    ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

    def __init__(self, url: str, capabilities: dict, timeout: float = 300):
        self.url, self.timeout = url.rstrip("/"), timeout
        self.session = ""
        answer = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session, self.capabilities = answer["sessionId"], answer.get("capabilities", {})

    def call(self, method: str, path: str, body: dict | None = None):
        if path != "/session":
            path = f"/session/{self.session}{path}"
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            try:
                value = json.loads(error.read()).get("value", {})
            except ValueError:
                value = {}
            raise EngineError(f"webkit: {method} {path.split('/', 3)[-1]}: {value.get('error', error.code)}: "
                              f"{value.get('message', '')}") from None

    def element(self, selector: str) -> str:
        return self.call("POST", "/element", {"using": "css selector", "value": selector})[self.ELEMENT]


class WebKit(Engine):
    """MiniBrowser through WebKitWebDriver, under an Xvfb that xvfb-run starts for it."""

    name = "webkit"

    def __init__(self, driver: str, minibrowser: str, xvfb_run: str):
        port = _free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="genlab-webkitdriver.", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [xvfb_run, "-a", "-s", f"-screen 0 {WIDTH + 100}x{HEIGHT + 200}x24", driver, f"--port={port}"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wd = None
        try:
            deadline = time.monotonic() + 30
            while not _listening(port):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise EngineError(f"webkit: WebKitWebDriver did not start: {self._log_tail()}")
                time.sleep(0.1)
            self.wd = WebDriverClient(f"http://127.0.0.1:{port}", {
                "browserName": "MiniBrowser",
                # Without --automation the session fails with "Failed to match capabilities".
                "webkitgtk:browserOptions": {"binary": minibrowser, "args": ["--automation"]}})
            self.wd.call("POST", "/timeouts", {"script": 300_000, "pageLoad": 300_000})
            self.wd.call("POST", "/window/rect", {"width": WIDTH, "height": HEIGHT})
            self.main = self.wd.call("GET", "/window")
        except BaseException:
            self.close()
            raise

    def _log_tail(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def eval(self, fn: str, arg=None):
        answer = self.wd.call("POST", "/execute/async", {"script": (
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({fn})(arguments[0]))"
            ".then((value) => done({value: value === undefined ? null : value}),"
            " (error) => done({error: String(error && error.stack || error)}));"), "args": [arg]})
        if "error" in answer:
            raise EngineError(f"webkit: {answer['error']}")
        return answer["value"]

    def open(self, url: str) -> None:
        self.wd.call("POST", "/url", {"url": url})

    def reload(self) -> None:
        self.wd.call("POST", "/refresh")

    def click(self, selector: str) -> None:
        self.scroll_to(selector)
        self.wd.call("POST", f"/element/{self.wd.element(selector)}/click")

    def press(self, selector: str, key: str) -> None:
        self.scroll_to(selector)
        self.wd.call("POST", f"/element/{self.wd.element(selector)}/value", {"text": KEYS.get(key, key)})

    def type(self, selector: str, text: str) -> None:
        self.scroll_to(selector)
        element = self.wd.element(selector)
        self.wd.call("POST", f"/element/{element}/value", {"text": "\ue009a\ue000"})  # Control+A: replaced
        self.wd.call("POST", f"/element/{element}/value", {"text": text})

    def new_tab(self, url: str) -> None:
        handle = self.wd.call("POST", "/window/new", {"type": "tab"})["handle"]
        self.wd.call("POST", "/window", {"handle": handle})
        self.open(url)

    def close_tab(self) -> None:
        self.wd.call("DELETE", "/window")
        self.wd.call("POST", "/window", {"handle": self.main})

    def errors(self) -> list[str]:
        return []  # no log endpoint in WebKitWebDriver: the page's own genlab.errors tells

    def version(self) -> str:
        return f"WebKitGTK {self.wd.capabilities.get('browserVersion', '?')}"

    def close(self) -> None:
        if self.wd is not None:
            with contextlib.suppress(Exception):
                self.wd.call("DELETE", "")
            self.wd = None
        _end_group(self.proc)
        Path(self.log.name).unlink(missing_ok=True)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _end_group(proc: subprocess.Popen) -> None:
    """Ends the process this module started and its children (its own session, by its id)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def start(name: str) -> Engine:
    """A fresh session of the named engine ("firefox" or "webkit"), with nothing stored yet."""
    found = build.find_engines()
    missing = [k for k, v in found.items() if not v and (k in NEEDS[name])]
    if missing:
        raise EngineError(f"{name}: missing {', '.join(missing)}; `python build.py test` installs them "
                          "(firefox-esr, webkit2gtk-driver, xvfb, xauth from Debian, puppeteer-core from npm)")
    if name == "firefox":
        return Firefox(found["firefox"], found["node_modules"], found["node"])
    return WebKit(found["webkit_driver"], found["minibrowser"], found["xvfb_run"])


NEEDS = {"firefox": ("firefox", "node", "node_modules"),
         "webkit": ("webkit_driver", "minibrowser", "xvfb_run", "xauth")}
ENGINES = tuple(NEEDS)


def cold_ready_ms(name: str, url: str) -> float:
    """Navigation to Python-ready at url in a fresh session of the engine (nothing cached): the
    bench's cold time-to-ready, as tests/bench.py measures Chromium's (genlab.readyAt)."""
    engine = start(name)
    try:
        engine.open(url)
        return engine.wait_ready()
    finally:
        engine.close()
