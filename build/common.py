"""What every part of the build shares: where things are, the error a user can act on, the log."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB, PY, DIST = ROOT / "web", ROOT / "py", ROOT / "dist"
PACKAGES = ROOT / "packages"  # where `scorm` and `single` write (not part of dist/)
DEFAULT_CACHE = Path(os.environ.get("GENLAB_CACHE", Path.home() / ".cache" / "genlab"))
ARTIFACTS_ENV = "GENLAB_ARTIFACTS"  # a folder of pinned files fetched elsewhere
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible archives: every entry gets this date


class BuildError(Exception):
    """A problem the user can act on; printed without a traceback."""


def log(msg: str) -> None:
    print(f"[build] {msg}", file=sys.stderr, flush=True)


def shown(path: Path) -> str:
    """path as a log line names it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
