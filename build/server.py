"""`python build.py serve`: dist/ on 127.0.0.1 with the headers a strict host would send."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
from pathlib import Path

from .common import DIST

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
