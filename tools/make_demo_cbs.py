"""Write the synthetic demonstration package ``leerlingen-speciaal-onderwijs-gemeente``.

Usage: ``python -m tools.make_demo_cbs [--data datapackages]`` (from the repository root).

It reads the demo gemeenten and their mergers from ``DATA/referentie`` and writes, for every
gemeente in each schooljaar it existed, invented pupil counts per onderwijssoort rounded to
tens the way CBS rounds them (0 meaning 0–4; totals rounded on their own), then today's series
summed through the mergers, exactly as the importer does for the real 85701NED export. The
descriptor is the importer's (one schema for both), marked ``demonstratiedata``. No real CBS
number is used. A fixed seed per gemeente makes two runs byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.importers import descriptors  # noqa: E402

NAME = "leerlingen-speciaal-onderwijs-gemeente"
YEARS = range(2013, 2024)
"""Schooljaren 2013-2014 up to 2023-2024, like the real export; the last is provisional."""
SEED = 20_261_124
DEMO_NOTE = (
    " Dit is demonstratiedata: de gemeenten en alle aantallen zijn verzonnen en volgen alleen "
    "de opbouw van CBS-tabel 85701NED (afgerond op tientallen; het laatste jaar voorlopig)."
)


def rounded(value: float) -> int:
    """CBS rounding to tens: 0–4 → 0, 5–14 → 10, …"""
    return (round(value) + 5) // 10 * 10


def profile(rng: random.Random) -> dict[str, float]:
    """A gemeente's shares of sbao, so, vso and vo pupils per bao pupil, drawn once."""
    return {
        "sbao": rng.uniform(0.005, 0.035),
        "so": rng.uniform(0.002, 0.02),
        "vso": rng.uniform(0.003, 0.025),
        "vo": rng.uniform(0.75, 0.95),
    }


def counts(rng: random.Random, bao: float, shares: dict[str, float]) -> dict[str, int]:
    """One gemeente-year: true counts around ``bao`` and its shares, each value rounded."""
    true = {soort: bao * share * rng.uniform(0.9, 1.1) for soort, share in shares.items()}
    return {
        "totaal-bao-sbao": rounded(bao + true["sbao"]),
        "bao": rounded(bao),
        "sbao": rounded(true["sbao"]),
        "totaal-so-vso": rounded(true["so"] + true["vso"]),
        "so": rounded(true["so"]),
        "vso": rounded(true["vso"]),
        "vo": rounded(true["vo"]),
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def existed(gemeente: dict[str, str], year: int) -> bool:
    """Whether the gemeente existed on 1 October of schooljaar ``year``-``year + 1``."""
    until = int(gemeente["geldig_tot"]) if gemeente["geldig_tot"] else 9999
    return int(gemeente["geldig_van"]) <= year <= until


def successor(code: str, merged_into: dict[str, str]) -> str:
    while code in merged_into:
        code = merged_into[code]
    return code


def source_rows(
    gemeenten: list[dict[str, str]], merged_into: dict[str, str]
) -> list[tuple[str, str, str, int, bool]]:
    """Each current gemeente's pupils shared over the gemeenten it was made of, year by year:
    a merged gemeente's part moves into the one that took it over, so today's series runs on
    (apart from rounding) across a merger, as it does in the real data."""
    by_code = {g["code"]: g for g in gemeenten}
    parts: dict[str, list[str]] = defaultdict(list)
    for code in sorted(by_code):
        parts[successor(code, merged_into)].append(code)
    rows = []
    for current in sorted(parts):
        rng = random.Random(f"{SEED}-{current}")
        size = rng.lognormvariate(7.3, 0.9)  # median about 1,500 bao pupils; a few tiny ones
        new = [c for c in parts[current] if int(by_code[c]["geldig_van"]) > 2010]
        share = {c: 0.0 if c in new else rng.uniform(0.5, 1.5) for c in parts[current]}
        total = sum(share.values())
        shares = profile(rng)
        for year in YEARS:
            size *= rng.uniform(0.97, 1.02)
            alive = [c for c in parts[current] if existed(by_code[c], year)]
            for code in alive:
                own = share[code] + sum(
                    share[c]
                    for c in parts[current]
                    if c not in alive and merged_into.get(c) == code
                )
                for soort, aantal in counts(rng, size * own / total, shares).items():
                    rows.append((code, soort, f"{year}-{year + 1}", aantal, year == YEARS[-1]))
    return rows


def today_rows(
    rows: list[tuple[str, str, str, int, bool]], merged_into: dict[str, str]
) -> list[tuple[str, str, str, int, int, bool, bool]]:
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    provisional = {jaar: flag for _, _, jaar, _, flag in rows}
    for code, soort, jaar, aantal, _ in rows:
        sums[(successor(code, merged_into), soort, jaar)].append(aantal)
    return [
        (code, soort, jaar, sum(values), len(values), False, provisional[jaar])
        for (code, soort, jaar), values in sorted(sums.items())
    ]


def csv_text(header: list[str], rows: list[tuple[Any, ...]], order: list[str]) -> str:
    rank = {soort: i for i, soort in enumerate(order)}
    rows = sorted(rows, key=lambda r: (r[0], rank[r[1]], r[2]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return out.getvalue()


def descriptor() -> dict[str, Any]:
    """The importer's descriptor, marked as demonstration data."""
    path = descriptors.METADATA / f"{NAME}.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    result["description"] += DEMO_NOTE
    result["sources"] = [
        {
            "title": "Synthetische demonstratiedata in de vorm van CBS StatLine 85701NED "
            "(tools/make_demo_cbs.py)",
            "path": result["sources"][0]["path"],
        }
    ]
    result["demonstratiedata"] = True
    result["changelog"] = [
        {
            "version": result["version"],
            "date": result["changelog"][0]["date"],
            "description": "Eerste versie (demonstratiedata).",
        }
    ]
    return result


def files(data: Path) -> dict[str, str]:
    """The package's files by name, made from ``data/referentie``."""
    referentie = data / "referentie"
    gemeenten = read_csv(referentie / "gemeenten.csv")
    merged_into = {
        r["gemeente_oud"]: r["gemeente_nieuw"] for r in read_csv(referentie / "herindelingen.csv")
    }
    meta = descriptor()
    order = descriptors.resource(meta, "leerlingen")["schema"]["fields"][1]["constraints"]["enum"]
    rows = source_rows(gemeenten, merged_into)
    return {
        "datapackage.json": json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
        "leerlingen.csv": csv_text(descriptors.header(meta, "leerlingen"), list(rows), order),
        "leerlingen_huidige_gemeenten.csv": csv_text(
            descriptors.header(meta, "leerlingen_huidige_gemeenten"),
            list(today_rows(rows, merged_into)),
            order,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "datapackages")
    args = parser.parse_args()
    folder = args.data / NAME
    folder.mkdir(exist_ok=True)
    written = files(args.data)
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"{folder}: {', '.join(sorted(written))}")


if __name__ == "__main__":
    main()
