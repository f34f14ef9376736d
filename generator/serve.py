"""Serves a built site on localhost, for looking at it before publishing."""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
from pathlib import Path


def serve(directory: Path, port: int) -> int:
    """Serves ``directory`` on http://localhost:<port>/ until interrupted."""
    if not (directory / "index.html").is_file():
        print(f"fout: {directory} bevat geen gebouwde site; draai eerst 'build'.", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"De site staat op http://localhost:{port}/ (stoppen: Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
