"""ES modules as one classic script, for the single file: esbuild, pinned like every download.

esbuild handles every static import and export form, nested folders and `../` paths; our former
regular expressions handled only one-line `import {…} from "…"` (measured in the commit that
made this change). Only Linux on x86-64 has a pinned binary; elsewhere `single` stops with a
BuildError that says so.
"""
from __future__ import annotations

import contextlib
import platform
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .common import DEFAULT_CACHE, BuildError
from .pins import ESBUILD, fetch

ESBUILD_MEMBER = "package/bin/esbuild"


@contextlib.contextmanager
def esbuild(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None) -> Iterator[Path]:
    """The pinned esbuild binary, unpacked from its verified tarball into a temporary folder."""
    if (sys.platform, platform.machine()) != ("linux", "x86_64"):
        raise BuildError(f"the single-file build bundles with {ESBUILD.name} {ESBUILD.version}, a binary for "
                         f"Linux on x86-64; this is {sys.platform} on {platform.machine()}")
    with tarfile.open(fetch(ESBUILD, cache, artifacts)) as tar, tempfile.TemporaryDirectory() as tmp:
        binary = Path(tmp) / "esbuild"
        binary.write_bytes(tar.extractfile(ESBUILD_MEMBER).read())
        binary.chmod(0o755)
        yield binary


def bundle(tool: Path, entry: Path, define: dict[str, str] | None = None, external: tuple[str, ...] = ()) -> str:
    """entry and every module it imports, as one script that runs them in order (an IIFE).

    define replaces an expression everywhere (import.meta.url has no meaning in a classic script);
    external names imports left as they are (a dynamic import() that never runs in the bundle).
    A warning stops the build as an error does: it means the script may not do what the modules do.
    """
    args = [str(tool), str(entry), "--bundle", "--format=iife", "--charset=utf8", "--log-level=warning",
            *(f"--define:{k}={v}" for k, v in (define or {}).items()), *(f"--external:{x}" for x in external)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or done.stderr.strip():
        raise BuildError(f"esbuild could not bundle {entry.name}:\n{done.stderr[-2000:]}")
    return done.stdout
