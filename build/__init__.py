"""GenLab's build: assemble, serve, test and benchmark the static site (`python build.py …`).

    python build.py            assemble dist/ (site + Pyodide + numpy + our wheel)
    python build.py serve      build if needed, serve dist/ on 127.0.0.1
    python build.py test       install what the tests need, build, run every test
    python build.py bench      measure load time, slider latency and bytes (JSON)
    python build.py scorm      build, then write packages/genlab-scorm12-<build>.zip
                               (--edition 2004: packages/genlab-scorm2004-<build>.zip;
                               --quiz-score best: the LMS keeps the best score, not first answers)
    python build.py single     build, then write packages/genlab-<build>.html (one file, no server)

Standard library only. Every third-party file comes from the table in build/pins.py, is checked
against its sha256 while it streams, and lands in the cache only once it has passed. With the
cache filled, a rebuild needs no network. The modules: common, pins (downloads), wheel, bytecode
(with bytecode.mjs and bytecode_compile.py), site (dist/), server, scorm, single (with bundler and
single_page_boot.js, single_worker_boot.js), testing (the test and bench runs).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .bytecode import BYTECODE, NODE_MAJOR_MIN, build_bytecode
from .bundler import bundle, esbuild
from .common import ARTIFACTS_ENV, DEFAULT_CACHE, DIST, FIXED_ZIP_TIME, PACKAGES, PY, ROOT, WEB, BuildError, log
from .pins import ESBUILD, PIN_BY_FILE, PIN_BY_NAME, PINS, RUNTIME_WHEELS, SCORM_SCHEMAS, TEST_PINS, Pin, \
    check_pins_against_lock, fetch, sha256_file
from .scorm import QUIZ_SCORES, SCORM_EDITIONS, SCORM_MASTERY, build_scorm, scorm2004_manifest, scorm_manifest
from .server import CSP, MIME, Handler, Server, make_server, serve
from .single import SINGLE_BASE, build_single
from .site import BUILD_TOKEN, HASH_TOKEN, RUNTIME_JS, WHEEL_TOKEN, build, source_digest
from .testing import ENGINE_NPM, TEST_REQUIREMENTS, find_chromium, find_engines, run_bench, run_tests
from .wheel import TRAINING_ONLY, build_wheel, package_files

__all__ = [  # what tests and tools use as build.X
    "ARTIFACTS_ENV", "BUILD_TOKEN", "BYTECODE", "CSP", "DEFAULT_CACHE", "DIST", "ENGINE_NPM", "ESBUILD",
    "FIXED_ZIP_TIME", "HASH_TOKEN", "MIME", "NODE_MAJOR_MIN", "PACKAGES", "PIN_BY_FILE", "PIN_BY_NAME", "PINS", "PY",
    "QUIZ_SCORES", "ROOT", "RUNTIME_JS", "RUNTIME_WHEELS", "SCORM_EDITIONS", "SCORM_MASTERY", "SCORM_SCHEMAS",
    "SINGLE_BASE", "TEST_PINS", "TEST_REQUIREMENTS", "TRAINING_ONLY", "WEB", "WHEEL_TOKEN", "BuildError",
    "Handler", "Pin", "Server", "build", "build_bytecode", "build_scorm", "build_single", "build_wheel", "bundle",
    "check_pins_against_lock", "esbuild", "fetch", "find_chromium", "find_engines", "log", "main", "make_server",
    "package_files", "run_bench", "run_tests", "scorm2004_manifest", "scorm_manifest", "serve", "sha256_file",
    "source_digest",
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=("build", "serve", "test", "bench", "scorm", "single"))
    parser.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (0 picks one)")
    parser.add_argument("--artifacts", type=Path, default=os.environ.get(ARTIFACTS_ENV) or None,
                        help=f"folder of pinned files fetched elsewhere (or ${ARTIFACTS_ENV})")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="verified download cache")
    parser.add_argument("--force", action="store_true", help="build even if dist/ is up to date")
    parser.add_argument("--out", help="bench: where to write the JSON (default dist/bench.json)")
    parser.add_argument("--only", help="bench: measure one part alone (gan, diffusion, art, soak, llm)")
    parser.add_argument("--edition", choices=tuple(SCORM_EDITIONS), default="12",
                        help="scorm: SCORM 1.2 (12, the default) or SCORM 2004 4th edition (2004)")
    parser.add_argument("--quiz-score", choices=QUIZ_SCORES, default="first",
                        help="scorm: grade each question's first answer (first, the default) or the latest "
                             "answers, the LMS keeping the best score (best)")
    return parser


def main(argv: list[str]) -> int:
    """`python build.py …`; the commands are looked up here, so a test can stand in for one."""
    parser = _parser()
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
        elif args.command == "single":
            build_single(args.cache, args.artifacts)
        else:
            build(args.cache, args.artifacts, args.force)
            if args.command == "serve":
                serve(args.port)
        return 0
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
