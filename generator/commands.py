"""What each command does, and how it reports: errors as lines, never a traceback for bad data."""

from __future__ import annotations

import argparse
import sys
import time

from generator import build, packages, serve
from generator.model import InputError


def run(args: argparse.Namespace) -> int:
    """Runs one parsed command; returns the exit code."""
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        for line in error.lines:
            print(f"fout: {line}", file=sys.stderr)
        print(f"{len(error.lines)} fout(en); er is niets gepubliceerd.", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    report = build.build(args.data, args.out)
    seconds = time.perf_counter() - start
    print(
        f"Site gebouwd in {args.out}: {report.pages} pagina's, {report.files} bestanden, "
        f"{report.published} cellen gepubliceerd, {report.suppressed} afgeschermd "
        f"({seconds:.1f} s)."
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    catalog = packages.load_catalog(args.data)
    print(f"Alle {len(catalog.packages)} datapakketten in {args.data} zijn geldig.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    return serve.serve(args.dir, args.port)


COMMANDS = {"build": _build, "validate": _validate, "serve": _serve}
