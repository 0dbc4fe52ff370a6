"""Runs inside Pyodide (build/bytecode.mjs hands it to runPython): import what a start imports,
and every genlab module, then pack the bytecode of each imported module of site-packages as
[4-byte big-endian index length][JSON {python, files: [{path, length}]}][the files one after
another] in /tmp/bytecode.raw, which build/bytecode.py then gzips."""
import importlib.util
import json
import pkgutil
import py_compile
import sys

OUT = "/tmp/bytecode.raw"
ONE = "/tmp/one.pyc"
# Modules that are mostly docstrings: 8% of the bytes, 3% of the compile time (measured in Pyodide).
MOSTLY_DOCS = ("numpy/_core/_add_newdocs.py", "numpy/_core/multiarray.py")


def imported_sources(site: str) -> list[str]:
    """Paths below site of every imported module's source, sorted."""
    paths = (getattr(m, "__file__", None) for m in list(sys.modules.values()))
    return sorted(p[len(site) + 1:] for p in paths
                  if p and p.startswith(site + "/") and p.endswith(".py") and p[len(site) + 1:] not in MOSTLY_DOCS)


def compiled(site: str, source: str) -> bytes:
    """source's checked-hash .pyc: Python compares it with the source's hash on import."""
    py_compile.compile(f"{site}/{source}", cfile=ONE, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open(ONE, "rb") as f:
        return f.read()


def main() -> None:
    import genlab
    import genlab.api

    genlab.api.call("info", {})  # what a start imports
    for found in pkgutil.walk_packages(genlab.__path__, "genlab."):  # subpackages too (it imports each one)
        importlib.import_module(found.name)
    site = genlab.__file__.rsplit("/genlab/", 1)[0]
    files = [(importlib.util.cache_from_source(s), compiled(site, s)) for s in imported_sources(site)]
    index = json.dumps({"python": sys.version, "files": [{"path": p, "length": len(d)} for p, d in files]}).encode()
    with open(OUT, "wb") as f:
        f.write(len(index).to_bytes(4, "big") + index + b"".join(d for _, d in files))


if __name__ == "__main__":
    main()
