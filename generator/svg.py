"""Stage 7, svg: every chart rendered to SVG and PNG offline, cached by a hash of its spec.

Reads the charts' Vega-Lite specs; returns their SVGs by spec digest. vl-convert renders each
spec with no access to any URL (a spec that needs a data file fails instead of drawing an empty
chart). Rendered SVGs are kept in a cache folder, so an unchanged chart is never rendered twice;
new ones are rendered over a process pool sized to the machine.
"""

from __future__ import annotations

import importlib.metadata
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import vl_convert

from generator.model import Chart

VL_VERSION = "6.4"
"""The Vega-Lite version of the SVGs and of the browser script: one engine for both."""
SCRIPT_FILE = "assets/vega/vega.js"
BROWSER_GLOBALS = "window.vegaEmbed = vegaEmbed;"
"""What the browser script exposes: ``assets/charts.js`` needs only vega-embed."""

PARALLEL_FROM = 40
"""Below this many charts to render, a pool costs more (start-up) than it saves."""


def svgs(charts: Iterable[Chart], cache: Path) -> dict[str, str]:
    """Reads charts; returns each one's SVG by spec digest, rendering only uncached specs."""
    wanted = {chart.digest: chart.spec_json for chart in charts}
    rendered = _cached(wanted, cache, ".svg", render)
    return {digest: data.decode() for digest, data in rendered.items()}


def pngs(svgs: dict[str, str], cache: Path) -> dict[str, bytes]:
    """Reads SVGs by spec digest; returns each one as PNG."""
    return _cached(svgs, cache, ".png", png)


def _cached(
    wanted: dict[str, str], cache: Path, suffix: str, make: Callable[[str], str | bytes]
) -> dict[str, bytes]:
    """``make`` applied to each wanted text, by digest; results are kept in ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    files = {digest: cache / f"{digest}{suffix}" for digest in wanted}
    result = {d: path.read_bytes() for d, path in files.items() if path.exists()}
    missing = sorted(set(wanted) - set(result))
    for digest, made in zip(missing, _map(make, [wanted[d] for d in missing]), strict=True):
        data = made.encode() if isinstance(made, str) else made
        files[digest].write_bytes(data)
        result[digest] = data
    return result


def _map(make: Callable[[str], str | bytes], items: list[str]) -> list[str | bytes]:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_FROM or workers == 1:
        return [make(item) for item in items]
    # spawn, not fork: a forked worker inherits vl-convert's threads from an earlier render in
    # this process and can deadlock.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        return list(pool.map(make, items, chunksize=max(1, len(items) // (workers * 4))))


def render(spec_json: str) -> str:
    """One Vega-Lite spec (JSON text) as SVG, with no URL allowed."""
    return str(vl_convert.vegalite_to_svg(spec_json, vl_version=VL_VERSION, allowed_base_urls=[]))


def png(svg: str) -> bytes:
    """One SVG as PNG at one and a half times its size (sharp enough for slides)."""
    return bytes(vl_convert.svg_to_png(svg, scale=1.5))


def script(cache: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one browser script, made offline and cached."""
    engine = importlib.metadata.version("vl-convert-python")
    path = cache / f"vega-{engine}-{VL_VERSION}.js"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(vl_convert.javascript_bundle(BROWSER_GLOBALS, vl_version=VL_VERSION))
    return path.read_text()
