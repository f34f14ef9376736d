"""The fast path of ``build``: a site whose inputs and files did not change is kept as it is.

Imports neither pandas nor the pipeline, so ``python -m generator build`` answers *niets
veranderd* in a fraction of a second (``incremental.Cache.kept`` decides; the build itself
checks the same).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from generator import incremental


def unchanged(data_dir: Path, out_dir: Path) -> bool:
    """Prints the kept site and returns True when nothing changed since its last build."""
    start = time.perf_counter()
    cache = incremental.Cache(incremental.default_cache(out_dir))
    kept = cache.kept(incremental.inputs_digest(data_dir), out_dir)
    if kept is None:
        return False
    print_kept(out_dir, kept.pages, kept.files, time.perf_counter() - start)
    print_audit(kept.audit_summary, ())
    return True


def print_kept(out_dir: Path, pages: int, files: int, seconds: float) -> None:
    print(
        f"Niets veranderd sinds de vorige build: de site in {out_dir} blijft zoals zij is "
        f"({pages} pagina's, {files} bestanden; {seconds:.1f} s)."
    )


def print_audit(summary: tuple[str, ...], failures: tuple[str, ...]) -> None:
    print("Audit:")
    for line in summary:
        print(f"  {line}")
    for line in failures:
        print(f"risico: {line}", file=sys.stderr)
    verdict = f"{len(failures)} cellen niet veilig" if failures else "alle criteria C1–C5 gehaald"
    print(f"Audit: {verdict}.")
