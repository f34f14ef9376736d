"""Stage 7, svg: every chart rendered to SVG (and PNG) offline, cached by a hash of its spec.

Reads the charts' Vega-Lite specs; returns their SVGs by spec digest. vl-convert renders each
spec with no access to any URL (a spec that needs a data file fails instead of drawing an empty
chart). Rendered SVGs are kept in a cache folder, so an unchanged chart is never rendered twice;
new ones are rendered over a process pool sized to the machine, in the background while the
build writes the pages.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert

if TYPE_CHECKING:  # the pool's workers import this module: keep them free of pandas
    from generator.model import Chart

VL_VERSION = "6.4"
"""The Vega-Lite version of the SVGs and of the browser script: one engine for both."""
SCRIPT_FILE = "assets/vega/vega.js"
BROWSER_GLOBALS = "window.vegaEmbed = vegaEmbed;"
"""What the browser script exposes: ``assets/charts.js`` needs only vega-embed."""
PARALLEL_FROM = 40
"""Below this many charts to render, a pool costs more (start-up) than it saves."""


def cache_folder(root: Path) -> Path:
    """The SVG cache under a build cache: one folder per renderer version."""
    return root / f"svg-{metadata.version('vl-convert-python')}-vl{VL_VERSION}"


def svgs(charts: Iterable[Chart], cache: Path, engine: list[float] | None = None) -> dict[str, str]:
    """Reads charts; returns each one's SVG by spec digest, rendering only uncached specs.

    When ``engine`` is given, the renderer's own seconds for each rendered chart are added to it.
    """
    with rendering(charts, cache, engine) as finished:
        return finished()


@contextlib.contextmanager
def rendering(
    charts: Iterable[Chart], cache: Path, engine: list[float] | None = None
) -> Iterator[Callable[[], dict[str, str]]]:
    """Starts rendering the uncached charts in the background (over a pool when there are many).

    Yields a function that waits for the rendering and returns every SVG by spec digest; the
    caller does other work in between. Leaving the block stops the pool.
    """
    wanted = {chart.digest: chart.spec_json for chart in charts}
    cache.mkdir(parents=True, exist_ok=True)
    result = {d: (cache / f"{d}.svg").read_text() for d in wanted if (cache / f"{d}.svg").exists()}
    missing = sorted(set(wanted) - set(result))
    specs = [wanted[d] for d in missing]
    count = workers()
    pool = None
    if len(specs) >= PARALLEL_FROM and count > 1:
        # spawn, not fork: a forked worker inherits vl-convert's threads from an earlier render
        # in this process and can deadlock.
        pool = ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context("spawn")
        )
        pending = pool.map(timed_render, specs, chunksize=max(1, len(specs) // (count * 4)))

    def finished() -> dict[str, str]:
        rendered = list(pending) if pool is not None else [timed_render(s) for s in specs]
        if pool is not None:
            pool.shutdown()  # the workers' CPU time is counted from here
        for digest, (svg, seconds) in zip(missing, rendered, strict=True):
            (cache / f"{digest}.svg").write_text(svg)
            result[digest] = svg
            if engine is not None:
                engine.append(seconds)
        return result

    try:
        yield finished
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def workers() -> int:
    """The pool's size: the cores this process may use (not more than 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def timed_render(spec_json: str) -> tuple[str, float]:
    """One spec's SVG and the renderer's CPU seconds for it (all threads of this process).

    CPU time, not wall time: a worker that waits for a core is not counted as working.
    """
    start = time.process_time()
    svg = render(spec_json)
    return svg, time.process_time() - start


def render(spec_json: str) -> str:
    """One Vega-Lite spec (JSON text) as SVG, with no URL allowed."""
    return str(vl_convert.vegalite_to_svg(spec_json, vl_version=VL_VERSION, allowed_base_urls=[]))


def pngs(svgs: dict[str, str], cache: Path) -> dict[str, bytes]:
    """Reads SVGs by spec digest; returns each one as PNG, converting only uncached ones."""
    files = {digest: cache / f"{digest}.png" for digest in svgs}
    result = {d: path.read_bytes() for d, path in files.items() if path.exists()}
    missing = sorted(set(svgs) - set(result))
    texts = [svgs[d] for d in missing]
    count = workers()
    if len(texts) >= PARALLEL_FROM and count > 1:
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=count, mp_context=spawn) as pool:
            made = list(pool.map(png, texts, chunksize=max(1, len(texts) // (count * 4))))
    else:
        made = [png(text) for text in texts]
    for digest, data in zip(missing, made, strict=True):
        files[digest].write_bytes(data)
        result[digest] = data
    return result


def png(svg: str) -> bytes:
    """One SVG as PNG at one and a half times its size (sharp enough for slides)."""
    return bytes(vl_convert.svg_to_png(svg, scale=1.5))


def script(cache: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one browser script, made offline and cached."""
    path = cache / "vega.js"  # the cache folder is already one per renderer version
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(vl_convert.javascript_bundle(BROWSER_GLOBALS, vl_version=VL_VERSION))
    return path.read_text()
