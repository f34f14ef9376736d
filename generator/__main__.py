"""Command line: ``python -m generator build | validate | serve | audit | register | import |
links | bench | archive | add-peiljaar``.

Only parses arguments (and answers a build with nothing changed before loading the pipeline)."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m generator",
        description="Passend onderwijs in cijfers: bouwt de site uit de datapakketten.",
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="valideer, bereken, scherm af en schrijf de site")
    _data_option(build)
    build.add_argument(
        "--out", type=Path, default=Path("site"), help="map voor de site (standaard: site)"
    )
    build.add_argument(
        "--full",
        action="store_true",
        help="bouw alles opnieuw, ook wat niet veranderd is (negeert de bouwcache)",
    )
    validate = sub.add_parser("validate", help="controleer alleen de datapakketten")
    _data_option(validate)
    serve = sub.add_parser("serve", help="toon de gebouwde site op localhost")
    serve.add_argument(
        "--dir", type=Path, default=Path("site"), help="map van de site (standaard: site)"
    )
    serve.add_argument("--port", type=int, default=8000, help="poort (standaard: 8000)")
    audit = sub.add_parser(
        "audit", help="val de gebouwde site aan: is elk afgeschermd aantal veilig?"
    )
    audit.add_argument("site", type=Path, help="map van de gebouwde site")
    _data_option(audit)
    register = sub.add_parser(
        "register", help="leg vast wat een geauditeerde site publiceert (publicatieregister)"
    )
    register.add_argument("site", type=Path, help="map van de gebouwde site")
    register.add_argument("--release", required=True, help="naam van de uitgave, bv. 2025-1")
    _data_option(register)
    importer = sub.add_parser(
        "import", help="maak de datapakketten uit de bronbestanden (CBS, OCW, DUO)"
    )
    importer.add_argument("source", type=Path, help="bronmap (zie docs/datasets.md)")
    importer.add_argument(
        "--out", type=Path, required=True, help="map voor de datapakketten (wordt vervangen)"
    )
    archive = sub.add_parser(
        "archive", help="bouw elke uitgave (git-tag uitgave-NAAM) opnieuw in SITE/archief/"
    )
    archive.add_argument(
        "--out", type=Path, default=Path("site"), help="de gebouwde site (standaard: site)"
    )
    archive.add_argument(
        "--repo", type=Path, default=Path("."), help="git-repository met de tags (standaard: .)"
    )
    _data_option(archive)
    adder = sub.add_parser(
        "add-peiljaar",
        help="voeg het bestand van een nieuw jaar toe aan een dataset (gecontroleerd) en bouw",
    )
    adder.add_argument("file", type=Path, help="CSV in het formaat van de tabel van de dataset")
    adder.add_argument("--dataset", required=True, help="naam van de dataset")
    _data_option(adder)
    adder.add_argument(
        "--out", type=Path, default=Path("site"), help="map voor de site (standaard: site)"
    )
    adder.add_argument(
        "--datum",
        default=datetime.date.today().isoformat(),
        help="datum van de wijziging in de changelog (standaard: vandaag)",
    )
    adder.add_argument(
        "--correctie",
        action="store_true",
        help="vervang de cijfers van een jaar dat er al is (patch-versie)",
    )
    adder.add_argument(
        "--verhuisd",
        action="append",
        default=[],
        metavar="GEMEENTE=SWV",
        help="aanvaard dat een gemeente vanaf dit jaar bij een ander samenwerkingsverband hoort, "
        "bv. GM0363=PO2707 (legt de nieuwe indeling vast in referentie; herhaalbaar)",
    )
    links = sub.add_parser("links", help="controleer elke interne link en elk anker van een site")
    links.add_argument("site", type=Path, help="map van de gebouwde site")
    bench = sub.add_parser("bench", help="meet de snelheid en het geheugen van de build")
    _data_option(bench)
    bench.add_argument(
        "--runs", type=int, default=3, help="herhalingen van de snelle metingen (standaard: 3)"
    )
    bench.add_argument(
        "--scale", type=int, default=10, help="keer de entiteiten van de grote site (standaard: 10)"
    )
    bench.add_argument(
        "--scale-runs",
        type=int,
        default=1,
        help="paren van een kleine en een grote build, met de mediaan (standaard: 1)",
    )
    bench.add_argument("--scale-only", action="store_true", help="meet alleen de groei")
    bench.add_argument("--no-naive", action="store_true", help="sla de naïeve build over")
    bench.add_argument(
        "--naive-runs",
        type=int,
        default=1,
        help="paren van een koude en een naïeve build, met de mediaan (standaard: 1)",
    )
    return main


def _data_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--data",
        type=Path,
        default=Path("datapackages"),
        help="map met datapakketten (standaard: datapackages)",
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build" and not args.full:
        from generator import kept  # light: an unchanged site is answered without the pipeline

        if kept.unchanged(args.data, args.out):
            return 0
    from generator import commands  # the whole pipeline, imported only when there is work

    return commands.run(args)


if __name__ == "__main__":
    sys.exit(main())
