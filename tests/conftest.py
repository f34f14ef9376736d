"""Shared fixtures: the tiny hand-made dataset, sites built from it and from the shipped data,
and the shipped site served on localhost with Debian's Chromium to open it.

The tests run in two processes (pytest-xdist, ``-n 2`` in pyproject.toml). The shipped site and
the drawing cache are made once for both: the shipped site's 2,291 drawings are most of a cold
build, and a second build would draw them all again."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
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


HEAVY_FIRST = ("test_import_real.py", "test_browser.py")
"""The files handed out first, one to each process: the real sites' builds and the shipped
site's (the browser tests' set-up), which then run at once instead of one process waiting
for the other's shipped site."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order the files are handed out in (``--no-loadscope-reorder``): ``HEAVY_FIRST``,
    then the files with the most tests, as pytest-xdist orders them by itself."""
    tests = Counter(item.path for item in items)
    first = {name: rank for rank, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda i: (first.get(i.path.name, len(first)), -tests[i.path], str(i.path)))


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this test run shares (each xdist worker's own temporary folder
    lies below it); the run's own temporary folder when pytest runs in one process."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(target: Path, make: Callable[[Path], object]) -> Path:
    """``target``, made by ``make`` in the first process that asks for it; the others wait for
    it and take what it made."""
    target.parent.mkdir(parents=True, exist_ok=True)
    done = target.with_name(f"{target.name}.done")
    with target.with_name(f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            make(target)
            done.touch()
    return target


@pytest.fixture(scope="session")
def svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drawing cache of every build in the run: a chart one test drew is not drawn again."""
    folder = run_folder(tmp_path_factory) / "svg-cache"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    data = assemble_tiny(tmp_path_factory.mktemp("tiny") / "data")
    out = tmp_path_factory.mktemp("tiny-site") / "site"
    build(data, out, svg_cache)
    return out


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    """The site built from the shipped data, once for the whole run: no test changes it."""
    site = run_folder(tmp_path_factory) / "shipped-site" / "site"
    return made_once(site, lambda out: build(SHIPPED, out, svg_cache))


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
