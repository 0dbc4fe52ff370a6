"""Start-up bytecode, compiled at build time.

Every start imports about 2 MB of Python source (numpy's and ours), and Pyodide's numpy wheel
carries no compiled bytecode, so a first visit spent most of a second compiling it. The build
compiles it once with Pyodide's own Python (3.12, run by Node.js: the build's Python may be another
version, whose bytecode Pyodide cannot read) into "checked-hash" .pyc files: Python compares each
with its source's hash on import and compiles the source instead if they differ, so the file can
cost time but never change what runs. Gzipped (2.3 MB, 0.85 MB gzipped) so first visits stay under
their 20 MB budget whether or not the host compresses; the worker unpacks it with
DecompressionStream.
"""
from __future__ import annotations

import gzip
import shutil
import subprocess
import tempfile
from pathlib import Path

from .common import BuildError, log
from .pins import PYODIDE_MODULE

BYTECODE = "wheels/python-bytecode.bin"
NODE_MAJOR_MIN = 18  # Pyodide 0.27 under Node.js
HERE = Path(__file__).parent
NODE_SIDE, PYTHON_SIDE = HERE / "bytecode.mjs", HERE / "bytecode_compile.py"


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
    raw = out / "bytecode.raw"
    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "pyodide.mjs"  # Node.js takes a .js file for CommonJS: the module gets its own name back
        shutil.copyfile(out / "pyodide" / PYODIDE_MODULE, module)
        done = subprocess.run(
            [node, str(NODE_SIDE), str(module), str(out / "pyodide"), str(out / "wheels" / wheel),
             str(PYTHON_SIDE), str(raw)],
            capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not raw.is_file():
        raise BuildError(f"compiling the start-up bytecode with Pyodide under Node.js failed:\n{done.stderr[-2000:]}")
    (out / BYTECODE).write_bytes(gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0))
    raw.unlink()
    return True
