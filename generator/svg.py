"""Stage 7, svg: every chart rendered to SVG offline, cached by a hash of its spec.

Reads the charts' Vega-Lite specs; returns their SVGs by spec digest. vl-convert renders each
spec with no access to any URL (a spec that needs a data file fails instead of drawing an empty
chart). Rendered SVGs are kept in a cache folder, so an unchanged chart is never rendered twice;
new ones are rendered over a process pool sized to the machine.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import vl_convert

from generator.model import Chart

PARALLEL_FROM = 40
"""Below this many charts to render, a pool costs more (start-up) than it saves."""


def svgs(charts: Iterable[Chart], cache: Path) -> dict[str, str]:
    """Reads charts; returns each one's SVG by spec digest, rendering only uncached specs."""
    wanted = {chart.digest: chart.spec_json for chart in charts}
    cache.mkdir(parents=True, exist_ok=True)
    result = {d: (cache / f"{d}.svg").read_text() for d in wanted if (cache / f"{d}.svg").exists()}
    missing = sorted(set(wanted) - set(result))
    for digest, svg in zip(missing, _render_all([wanted[d] for d in missing]), strict=True):
        (cache / f"{digest}.svg").write_text(svg)
        result[digest] = svg
    return result


def _render_all(specs: list[str]) -> list[str]:
    workers = min(os.cpu_count() or 1, 8)
    if len(specs) < PARALLEL_FROM or workers == 1:
        return [render(spec) for spec in specs]
    # spawn, not fork: a forked worker inherits vl-convert's threads from an earlier render in
    # this process and can deadlock.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        return list(pool.map(render, specs, chunksize=max(1, len(specs) // (workers * 4))))


def render(spec_json: str) -> str:
    """One Vega-Lite spec (JSON text) as SVG, with no URL allowed."""
    return str(vl_convert.vegalite_to_svg(spec_json, vl_version="6.4", allowed_base_urls=[]))
