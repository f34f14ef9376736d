"""Benchmark of the privacy stage and the audit on the full shipped data.

Usage: ``python bench/privacy.py [--data DIR] [--runs N]``. Builds the site once into a
temporary folder, then times (median of N runs) the cell model, the suppression and the audit,
and prints the audit's figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import audit, build, cells, ledger, privacy


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The median wall time of ``runs`` calls, and the last result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("datapackages"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = build.inputs(args.data)
    earlier = ledger.known(data.register, data.model)
    model_s, model = timed(args.runs, lambda: cells.model(data.catalog, data.regions, data.views))
    protect_s, (_, figures) = timed(args.runs, lambda: privacy.protect(model, earlier))
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build_s, report = timed(1, lambda: build.build(args.data, site))
        audit_s, result = timed(args.runs, lambda: audit.audit(site, model, data.register))
    print(f"cellen in het model: {len(model.names)} over {model.forms.shape[1]} basiscellen")
    print(f"model van de cellen: {model_s:.2f} s (mediaan van {args.runs})")
    print(f"onderdrukking (primair, secundair, intervalstap, redundantie): {protect_s:.2f} s")
    print(
        f"  primair {figures.primary}, om een afgeschermde invoer {figures.derived}, "
        f"secundair {figures.secondary} (samen {figures.secondary_sum}), "
        f"rondes intervalstap {figures.rounds}"
    )
    print(f"audit van de gebouwde site: {audit_s:.2f} s (mediaan van {args.runs})")
    print(f"hele build, inclusief audit: {build_s:.2f} s ({report.pages} pagina's)")
    for line in result.summary:
        print(f"  {line}")
    print("audit: " + ("geslaagd" if result.passed else f"{len(result.failures)} risico's"))


if __name__ == "__main__":
    main()
