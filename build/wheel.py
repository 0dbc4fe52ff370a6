"""Our own wheel of py/genlab: reproducible (sorted entries, fixed dates) and named by its content."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

from .common import FIXED_ZIP_TIME, PY


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# Files and folders of py/genlab that only training and the tests read: the page never needs them,
# so the wheel (and every first visit) goes without them. A folder's name leaves out all below it.
TRAINING_ONLY = ("genlab/data/make_corpus.py", "genlab/data/english",
                 "genlab/data/sources")


def training_only(name: str) -> bool:
    """Whether the archive name is one of TRAINING_ONLY or lies in one of its folders."""
    return any(name == kept or name.startswith(kept + "/") for kept in TRAINING_ONLY)


def package_files() -> list[tuple[str, bytes]]:
    """(archive name, bytes) for every file of py/genlab the page may use, sorted."""
    out = []
    for path in sorted((PY / "genlab").rglob("*")):
        if training_only(path.relative_to(PY).as_posix()):
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
