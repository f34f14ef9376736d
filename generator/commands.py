"""What each command does, and how it reports: errors as lines, never a traceback for bad data."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import (
    archive,
    audit,
    bench,
    build,
    importers,
    kept,
    ledger,
    links,
    packages,
    peiljaar,
    serve,
    suppress,
)
from generator.model import InputError, UnsafeSite

_print_audit = kept.print_audit


def run(args: argparse.Namespace) -> int:
    """Runs one parsed command; returns the exit code."""
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        for line in error.lines:
            print(f"fout: {line}", file=sys.stderr)
        print(f"{len(error.lines)} fout(en); er is niets gepubliceerd.", file=sys.stderr)
        return 1
    except suppress.SuppressionConflict as error:
        print(f"fout: de afscherming kan niet aan alle eisen voldoen: {error}", file=sys.stderr)
        print(
            "Meestal botst een eerder gepubliceerd getal (publicatieregister) met een "
            "gecorrigeerd getal; er is niets gepubliceerd.",
            file=sys.stderr,
        )
        return 1
    except UnsafeSite as error:
        _print_audit(error.summary, error.failures)
        print("De audit keurt de site af; er is niets gepubliceerd.", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    report = build.build(args.data, args.out, full=args.full)
    seconds = time.perf_counter() - start
    if report.unchanged:
        kept.print_kept(args.out, report.pages, report.files, seconds)
        _print_audit(report.audit.summary, ())
        return 0
    print(
        f"Site gebouwd in {args.out}: {report.pages} pagina's ({report.rendered} opnieuw "
        f"gemaakt), {report.files} bestanden, {report.published} cellen gepubliceerd, "
        f"{report.suppressed} afgeschermd ({seconds:.1f} s)."
    )
    _print_audit(report.audit.summary, ())
    return 0


def _audit(args: argparse.Namespace) -> int:
    report = _audited(args.site, args.data)
    _print_audit(report.summary, report.failures)
    return 0 if report.passed else 1


def _register(args: argparse.Namespace) -> int:
    """Appends what an audited site publishes to the ledger, as one release."""
    data = build.inputs(args.data)
    report = audit.audit(args.site, data.model, data.register)
    if not report.passed:
        _print_audit(report.summary, report.failures)
        print("De site is niet veilig; er is niets geregistreerd.", file=sys.stderr)
        return 1
    path = args.data / ledger.FILE_NAME
    count = ledger.append(path, args.release, data.model, report.status)
    print(f"Uitgave {args.release}: {count} cellen toegevoegd aan {path}.")
    return 0


def _audited(site: Path, data_dir: Path) -> audit.AuditReport:
    if not (site / "index.html").is_file():
        raise InputError([f"{site}: geen gebouwde site (index.html ontbreekt)"])
    data = build.inputs(data_dir)
    return audit.audit(site, data.model, data.register)


def _validate(args: argparse.Namespace) -> int:
    catalog = packages.load_catalog(args.data)
    print(f"Alle {len(catalog.packages)} datapakketten in {args.data} zijn geldig.")
    return 0


def _import(args: argparse.Namespace) -> int:
    report = importers.import_sources(args.source, args.out)
    for line in report.notes:
        print(f"let op: {line}")
    for line in report.missing:
        print(f"niet geschreven: {line}")
    for line in report.figures:
        print(f"  {line}")
    for line in report.differences.lines():
        print(line)
    print(f"Datapakketten geschreven in {args.out}: {', '.join(report.written)}.")
    return 0


def _bench(args: argparse.Namespace) -> int:
    naive_runs = 0 if args.no_naive else args.naive_runs
    return bench.run(args.data, args.runs, args.scale, naive_runs, args.scale_runs, args.scale_only)


def _archive(args: argparse.Namespace) -> int:
    """Rebuilds every release tag into the built site's ``archief/``."""
    demo = any(d.demo for d in archive.data_versions(args.data))
    releases = archive.archive(args.repo, args.out, demo)
    for release in releases:
        print(f"  {release.url}: {release.tag} ({release.date}), {release.versions}")
    print(f"Archief geschreven in {args.out / 'archief'}: {len(releases)} uitgave(n).")
    return 0


def _add_peiljaar(args: argparse.Namespace) -> int:
    """Checks and appends a new year's file, raises the version, rebuilds; all or nothing."""
    catalog = packages.load_catalog(args.data)
    change = peiljaar.add(
        args.file, catalog, args.data, args.dataset, args.datum, args.correctie, args.verhuisd
    )
    with peiljaar.staged(args.data, change) as data:
        packages.load_catalog(data)
        report = build.build(data, args.out)
    for line in change.notes:
        print(line)
    folders = ", ".join(str(args.data / p) for p in (change.package, *change.others))
    print(f"{change.summary}; {folders} bijgewerkt.")
    print(f"Site gebouwd in {args.out}: {report.pages} pagina's.")
    _print_audit(report.audit.summary, ())
    return 0


def _serve(args: argparse.Namespace) -> int:
    return serve.serve(args.dir, args.port)


def _links(args: argparse.Namespace) -> int:
    """Lists every internal link or anchor of a built site that leads nowhere."""
    if not (args.site / "index.html").is_file():
        raise InputError([f"{args.site}: geen gebouwde site (index.html ontbreekt)"])
    broken = links.broken_links(args.site)
    for link in broken:
        print(f"kapotte link: {link}", file=sys.stderr)
    print(f"{len(broken)} kapotte links." if broken else "Alle interne links en ankers kloppen.")
    return 1 if broken else 0


COMMANDS = {
    "build": _build,
    "validate": _validate,
    "serve": _serve,
    "audit": _audit,
    "register": _register,
    "import": _import,
    "archive": _archive,
    "links": _links,
    "bench": _bench,
    "add-peiljaar": _add_peiljaar,
}
