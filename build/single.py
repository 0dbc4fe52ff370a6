"""`python build.py single`: one HTML file that holds the whole lesson and runs from disk (file://),
with no server and no network: every file rides inside it, base64-encoded."""
from __future__ import annotations

import base64
import hashlib
import re
import tarfile
from pathlib import Path

from .bundler import bundle, esbuild
from .common import DEFAULT_CACHE, DIST, PACKAGES, BuildError, log, shown
from .pins import PIN_BY_NAME, fetch
from .site import build

SINGLE_BASE = "https://genlab.invalid/"  # the worker's made-up address for files it holds in memory
BASE_TOKEN = '"__GENLAB_SINGLE_BASE__"'  # in single_worker_boot.js: replaced by SINGLE_BASE
HERE = Path(__file__).parent
WORKER_BOOT, PAGE_BOOT = HERE / "single_worker_boot.js", HERE / "single_page_boot.js"
PAGE_ENTRY, WORKER_ENTRY = "app/main.js", "worker.js"
# Pyodide's module is imported only when self.loadPyodide is missing; the single file's worker has it.
WORKER_EXTERNAL = ("./pyodide/pyodide.module.js",)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _scripts(cache: Path, artifacts: Path | None) -> tuple[str, str]:
    """The page's modules and the worker's, each bundled into one classic script."""
    with esbuild(cache, artifacts) as tool:
        page = bundle(tool, DIST / PAGE_ENTRY, define={"import.meta.url": "document.baseURI"})
        worker = bundle(tool, DIST / WORKER_ENTRY, external=WORKER_EXTERNAL)
    return page.replace("</script", "<\\/script"), worker  # the same string in JS, inert in HTML


def _files(info: dict, worker_js: str, cache: Path, artifacts: Path | None) -> dict[str, bytes]:
    """What the worker reads by address: Pyodide, the wheels, its own code and the art's photo."""
    files = {name: (DIST / name).read_bytes() for name in info["files"] if name.startswith(("pyodide/", "wheels/"))}
    with tarfile.open(fetch(PIN_BY_NAME["pyodide"], cache, artifacts)) as tar:
        files["pyodide/pyodide.js"] = tar.extractfile("package/pyodide.js").read()  # classic, for importScripts
    files["worker-main.js"] = worker_js.encode()
    files["assets/chelsea.png"] = (DIST / "assets/chelsea.png").read_bytes()
    return files


def _inline(html: str, css: str, boot_js: str, tail: str, scripts: list[str]) -> str:
    """index.html with its style and scripts inside, a CSP of their hashes, and tail before </body>."""
    csp = ("default-src 'none'; script-src " + " ".join(map(_csp_hash, scripts)) + " blob: 'wasm-unsafe-eval'; "
           f"style-src {_csp_hash(css)}; img-src data: blob:; connect-src blob: data:; worker-src blob:; "
           "object-src 'none'; base-uri 'none'; form-action 'none'")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
                  f'<meta http-equiv="Content-Security-Policy" content="{csp}">', html)
    html = html.replace('<link rel="stylesheet" href="styles.css">', f"<style>{css}</style>")
    html = re.sub(r'<link rel="icon"[^>]*>\n?', "", html)
    html = html.replace('<script src="boot.js"></script>', f"<script>{boot_js}</script>")
    html = html.replace('<noscript><link rel="stylesheet" href="noscript.css"></noscript>\n', "")
    html = html.replace(f'<script type="module" src="{PAGE_ENTRY}"></script>\n', "")
    if html.count("</body>") != 1:
        raise BuildError("index.html must have one </body> for the single file's scripts")
    return html.replace("</body>", tail)


def _with_licences(html: str) -> str:
    """The licences, readable at the top of the file's source (links to other files lead nowhere here)."""
    licences = (DIST / "LICENSE.txt").read_text() + "\n\n" + (DIST / "THIRD-PARTY-NOTICES.txt").read_text()
    if any(bad in licences for bad in ("<!--", "-->", "--!>")):
        raise BuildError("the licence texts cannot be put in an HTML comment")
    html = html.replace("<!doctype html>\n", f"<!doctype html>\n<!--\n{licences}\n-->\n", 1)
    return re.sub(r'<p class="foot-links">.*?</p>', '<p class="foot-links">This file\'s licence and the '
                  "third-party notices are at the top of its source (View source).</p>", html, count=1, flags=re.S)


def build_single(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None, out_dir: Path = PACKAGES) -> Path:
    """Build dist/, then write one HTML file that holds the whole lesson and runs from disk."""
    info = build(cache, artifacts)
    page_js, worker_js = _scripts(cache, artifacts)
    files = _files(info, worker_js, cache, artifacts)
    worker_boot = WORKER_BOOT.read_text().replace(BASE_TOKEN, f'"{SINGLE_BASE}"')
    page_boot, boot_js = PAGE_BOOT.read_text(), (DIST / "boot.js").read_text()
    scripts = [boot_js, page_boot, page_js]
    if any("</script" in text.lower() for text in (*scripts, worker_boot)):
        raise BuildError("the single file's scripts cannot be inlined safely")
    payload = "".join(f'<script type="application/x-genlab-file" data-path="{name}">'
                      f"{base64.b64encode(data).decode()}</script>\n" for name, data in sorted(files.items()))
    tail = (payload + f'<script type="text/plain" id="genlab-worker-boot">{worker_boot}</script>\n'
            f"<script>{page_boot}</script>\n<script>{page_js}</script>\n</body>")
    html = _inline((DIST / "index.html").read_text(), (DIST / "styles.css").read_text(), boot_js, tail, scripts)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"genlab-{info['hash']}.html"
    target.write_text(_with_licences(html))
    log(f"wrote {shown(target)} ({target.stat().st_size / 1e6:.1f} MB; "
        f"{sum(map(len, files.values())) / 1e6:.1f} MB of files inside)")
    return target
