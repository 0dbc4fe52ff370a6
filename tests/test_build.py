"""The build (build.py and build/): pinned downloads are verified, our wheel is reproducible, the
single-file bundler keeps every import form, and the programs the build ships or runs parse."""
import gzip
import hashlib
import json
import platform
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

import build


def _pin_for(path, data, name="thing.bin"):
    """A pin whose only source is a file:// URL holding data."""
    path.write_bytes(data)
    return build.Pin(name, "1", name, len(data), hashlib.sha256(data).hexdigest(), (path.as_uri(),))


def test_download_is_verified_and_cached(tmp_path):
    pin = _pin_for(tmp_path / "src.bin", b"genuine bytes")
    cache = tmp_path / "cache"
    got = build.fetch(pin, cache)
    assert got == cache / "thing.bin" and got.read_bytes() == b"genuine bytes"
    (tmp_path / "src.bin").unlink()  # a second fetch must come from the cache, offline
    assert build.fetch(pin, cache).read_bytes() == b"genuine bytes"


def test_wrong_hash_from_a_source_stops_the_build_and_leaves_nothing(tmp_path):
    pin = _pin_for(tmp_path / "src.bin", b"genuine bytes")
    (tmp_path / "src.bin").write_bytes(b"tampered bytes")
    cache = tmp_path / "cache"
    with pytest.raises(build.BuildError, match="thing.bin.*failed verification"):
        build.fetch(pin, cache)
    assert list(cache.iterdir()) == []  # no half-written or rejected file kept


def test_wrong_file_in_artifacts_folder_is_rejected(tmp_path):
    numpy_pin = next(p for p in build.PINS if p.name == "numpy")
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    (artifacts / numpy_pin.file).write_bytes(b"not numpy")
    with pytest.raises(build.BuildError, match=numpy_pin.file):
        build.fetch(numpy_pin, tmp_path / "cache", artifacts)
    assert list((tmp_path / "cache").iterdir()) == []


def test_corrupted_cache_entry_is_replaced(tmp_path):
    pin = _pin_for(tmp_path / "src.bin", b"genuine bytes")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "thing.bin").write_bytes(b"bit rot")
    assert build.fetch(pin, cache).read_bytes() == b"genuine bytes"


def test_unreachable_sources_give_a_clear_error(tmp_path):
    pin = build.Pin("x", "1", "x.bin", 1, "0" * 64, ((tmp_path / "missing").as_uri(),))
    with pytest.raises(build.BuildError, match="could not get x.bin"):
        build.fetch(pin, tmp_path / "cache")


def test_every_pin_has_a_hash_size_and_source():
    pins = (*build.PINS, *build.TEST_PINS, build.SCORM_SCHEMAS, build.ESBUILD)
    for pin in pins:
        assert len(pin.sha256) == 64 and int(pin.sha256, 16) >= 0
        assert pin.size > 0 and pin.sources
        assert all(source.startswith(("https://", "carrier:")) for source in pin.sources)
    assert len({pin.file for pin in pins}) == len(pins)  # one cache entry each


def test_wheel_pins_must_match_the_official_lock():
    numpy_pin = next(p for p in build.PINS if p.name == "numpy")
    lock = {"packages": {p.name: {"file_name": p.file, "sha256": p.sha256}
                         for p in build.PINS if p.name in build.RUNTIME_WHEELS}}
    build.check_pins_against_lock(lock)
    lock["packages"]["numpy"]["sha256"] = "f" * 64
    with pytest.raises(build.BuildError, match=numpy_pin.file):
        build.check_pins_against_lock(lock)


def test_wheel_is_reproducible_and_named_by_content(tmp_path):
    first = build.build_wheel(tmp_path / "a")
    second = build.build_wheel(tmp_path / "b")
    assert first == second and first.startswith("genlab-0.1.0+g")
    assert (tmp_path / "a" / first).read_bytes() == (tmp_path / "b" / second).read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / first) as zf:
        names = zf.namelist()
        assert names == sorted(names[:-3]) + names[-3:]  # package files sorted, then dist-info
        assert "genlab/api/__init__.py" in names and "genlab/api/runs.py" in names and "genlab/data/lm.npz" in names
        assert all(info.date_time == build.FIXED_ZIP_TIME for info in zf.infolist())


def test_dist_is_built_with_relative_urls_only():
    """The site must work from any sub-path: no absolute URL in what we wrote."""
    info = json.loads((build.DIST / "build.json").read_text())
    for rel in info["files"]:
        if rel.endswith((".html", ".js", ".css")) and not rel.startswith("pyodide/"):
            text = (build.DIST / rel).read_text()
            assert not any(s in text for s in ('src="/', 'href="/', "http://", "https://")), rel


def test_the_wheel_leaves_out_what_only_training_reads():
    names = [name for name, _ in build.package_files()]
    assert "genlab/api/__init__.py" in names and "genlab/api/runs.py" in names and "genlab/data/lm.npz" in names and "genlab/data/bpe.json" in names
    left_in = [name for name in names for kept in build.TRAINING_ONLY if name == kept or name.startswith(kept + "/")]
    assert not left_in, left_in  # the corpus, its sources and the held-out text stay out
    assert all((build.PY / name).exists() for name in build.TRAINING_ONLY)  # the names still point at files
    assert sum(len(data) for _, data in build.package_files()) < 3_000_000  # today about 1.8 MB


def test_the_build_ships_checked_bytecode_made_by_pyodides_python():
    """dist/ holds the compiled bytecode of what a start imports: made by Pyodide's Python 3.12
    (not this one), as checked-hash .pyc files, gzipped, and the same on every build."""
    info = json.loads((build.DIST / "build.json").read_text())
    assert info["bytecode"] == build.BYTECODE and build.BYTECODE in info["files"]
    packed = (build.DIST / build.BYTECODE).read_bytes()
    assert packed[:2] == b"\x1f\x8b" and packed[4:8] == b"\0\0\0\0"  # gzip, no timestamp: reproducible
    raw = gzip.decompress(packed)
    length = int.from_bytes(raw[:4], "big")
    index = json.loads(raw[4:4 + length])
    assert index["python"].startswith("3.12.")
    paths = [f["path"] for f in index["files"]]
    for needed in ("numpy/__pycache__/__init__.cpython-312.pyc", "numpy/_core/__pycache__/numeric.cpython-312.pyc",
                   "genlab/api/__pycache__/__init__.cpython-312.pyc", "genlab/api/__pycache__/runs.cpython-312.pyc",
                   "genlab/__pycache__/lm.cpython-312.pyc"):
        assert needed in paths
    at = 4 + length
    for entry in index["files"]:
        pyc = raw[at:at + entry["length"]]
        assert pyc[2:4] == b"\r\n" and pyc[4:8] == b"\x03\0\0\0", entry  # checked against its source's hash
        at += entry["length"]
    assert at == len(raw)
    # The lock the runtime reads lists only what is shipped.
    lock = json.loads((build.DIST / "pyodide/pyodide-lock.json").read_text())
    assert set(lock["packages"]) == set(build.RUNTIME_WHEELS)


def test_the_server_is_quiet_when_a_browser_leaves_mid_file(capsys):
    """A tab closed while a file is being sent is normal: no traceback (it buried real failures in
    the test log); other errors still print."""
    import socket
    import threading
    import time

    server = build.make_server(build.DIST)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", server.server_address[1])) as client:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
                client.sendall(b"GET /pyodide/pyodide.asm.wasm HTTP/1.1\r\nHost: x\r\n\r\n")
                assert client.recv(100).startswith(b"HTTP/1.0 200")
        time.sleep(1)
        try:
            raise ValueError("a real fault")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 0))
    finally:
        server.shutdown()
        server.server_close()
    err = capsys.readouterr().err
    assert "ValueError: a real fault" in err and "ConnectionResetError" not in err and "BrokenPipeError" not in err


TREE = Path(__file__).parent / "bundle_tree"
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def esbuild():
    """The pinned esbuild, unpacked once for this file's tests."""
    with build.esbuild() as tool:
        yield tool


def _node(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([NODE, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_the_bundler_keeps_every_import_and_export_form(tmp_path, esbuild):
    """tests/bundle_tree/app/main.js imports over several lines, `* as`, defaults, renames, re-exports,
    a module for its side effect only, from nested folders and `../` paths, reads a live binding and
    a string whose lines look like imports. Bundled as the single file's page is, it must leave the
    same result as Node.js running the modules themselves."""
    main = TREE / "app/main.js"
    (tmp_path / "run.mjs").write_text("await import(process.argv[2]);\nconsole.log(JSON.stringify(globalThis.result));\n")
    as_modules = _node(str(tmp_path / "run.mjs"), main.as_uri())
    assert as_modules.returncode == 0, as_modules.stderr
    script = build.bundle(esbuild, main, define={"import.meta.url": "document.baseURI"})
    (tmp_path / "bundle.cjs").write_text('globalThis.document = { baseURI: "file:///x/" };\n' + script
                                         + "\nconsole.log(JSON.stringify(globalThis.result));\n")
    bundled = _node(str(tmp_path / "bundle.cjs"))  # a classic script: module syntax left in it fails
    assert bundled.returncode == 0, bundled.stderr
    assert json.loads(bundled.stdout) == json.loads(as_modules.stdout)
    assert json.loads(bundled.stdout)["live"] == [0, 1, 1] and json.loads(bundled.stdout)["sideEffects"] == 1


def test_the_bundler_names_the_module_it_cannot_bundle(tmp_path, esbuild):
    (tmp_path / "main.js").write_text('import { gone } from "./missing.js";\nconsole.log(gone);\n')
    with pytest.raises(build.BuildError, match="main.js"):
        build.bundle(esbuild, tmp_path / "main.js")


def test_a_bundler_warning_stops_the_build(tmp_path, esbuild):
    """import.meta means nothing in a classic script: esbuild warns, and the build must not go on."""
    (tmp_path / "main.js").write_text("console.log(import.meta.url);\n")
    with pytest.raises(build.BuildError, match="import.meta"):
        build.bundle(esbuild, tmp_path / "main.js")


def test_the_bundler_says_where_it_has_no_binary(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "riscv64")
    with pytest.raises(build.BuildError, match="Linux on x86-64; this is .* on riscv64"):
        with build.esbuild():
            pass


def _js_files() -> list[tuple[Path, str]]:
    """(file, "module" or "script") for our JS in dist/ and the build's own."""
    shipped = [p for p in sorted(build.DIST.rglob("*.js")) if "pyodide" not in p.relative_to(build.DIST).parts]
    own = sorted(Path(build.__file__).parent.glob("*.js")) + sorted(Path(build.__file__).parent.glob("*.mjs"))
    return [(p, "module" if p.suffix == ".mjs" else "either") for p in shipped + own]


def _syntax_error(path: Path, kind: str, tmp: Path) -> str | None:
    """node --check's complaint about path, or None when it parses as kind allows."""
    for suffix in (".mjs", ".cjs") if kind == "either" else (".mjs",):
        copy = tmp / (path.name + suffix)
        copy.write_bytes(path.read_bytes())
        done = _node("--check", str(copy))
        if done.returncode == 0:
            return None
    return f"{path}: " + next((line for line in done.stderr.splitlines() if "Error" in line), done.stderr[-300:])


def test_every_javascript_file_the_build_ships_or_runs_parses(tmp_path):
    """`node --check` on each: as an ES module (.mjs) or, for a page's file, as a module or a classic
    script (the page loads some each way)."""
    from concurrent.futures import ThreadPoolExecutor

    files = _js_files()
    assert build.DIST / build.RUNTIME_JS in [p for p, _ in files]
    assert {"single_page_boot.js", "single_worker_boot.js", "bytecode.mjs"} <= {p.name for p, _ in files}
    folders = [tmp_path / str(i) for i in range(len(files))]  # one each: app/ and sections/ reuse names
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(4) as pool:
        bad = [e for e in pool.map(_syntax_error, *zip(*files), folders) if e]
    assert bad == []


def test_every_python_file_of_the_build_compiles():
    """build/bytecode_compile.py runs only inside Pyodide: compiling it here catches a slip early."""
    files = [Path(build.ROOT / "build.py"), *sorted(Path(build.__file__).parent.glob("*.py"))]
    assert "bytecode_compile.py" in {p.name for p in files}
    for path in files:
        compile(path.read_text(), str(path), "exec")
