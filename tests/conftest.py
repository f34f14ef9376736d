"""Shared fixtures: the tiny hand-made dataset, sites built from it and from the shipped data,
and the shipped site served on localhost with Debian's Chromium to open it."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "datapackages"
TINY_CSVS = ROOT / "tests" / "data" / "tiny"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def assemble_tiny(target: Path) -> Path:
    """The tiny CSVs with the shipped descriptors beside them: one schema for both."""
    for package in sorted(SHIPPED.iterdir()):
        if not (package / "datapackage.json").exists():
            continue
        folder = target / package.name
        folder.mkdir(parents=True)
        shutil.copy(package / "datapackage.json", folder)
        for path in sorted((TINY_CSVS / package.name).glob("*.*")):
            shutil.copy(path, folder)
    return target


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    return assemble_tiny(tmp_path / "data")


@pytest.fixture(scope="session")
def svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("svg-cache")


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    data = assemble_tiny(tmp_path_factory.mktemp("tiny") / "data")
    out = tmp_path_factory.mktemp("tiny-site") / "site"
    build(data, out, svg_cache)
    return out


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    out = tmp_path_factory.mktemp("shipped-site") / "site"
    build(SHIPPED, out, svg_cache)
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without writing a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site served on 127.0.0.1 (a free port) for the browser tests."""
    handler = functools.partial(QuietHandler, directory=str(shipped_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never Playwright's own download); one per session."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):  # .ci/run installs it: in CI a missing browser is a failure
            pytest.fail("Chromium is not installed at /usr/bin/chromium")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
