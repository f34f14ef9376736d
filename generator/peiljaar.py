"""A new year's file into a data package: ``python -m generator add-peiljaar FILE --dataset NAME``.

Reads a CSV in the package's own format (one resource's columns, one new period), checks it
against the schema and the earlier years, and returns the package's new files: the resource
with the rows appended (a correction replaces its period's rows), a derived resource brought
up to date where the package has one (CBS: today's gemeenten), and the descriptor with the new
version and a changelog entry. Every problem is one line naming file, row and column; nothing
is changed when there is one. Not a build stage: the command writes and rebuilds.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import dataclasses
import re
import shutil
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from generator import config
from generator.importers import cbs_so, verschillen
from generator.importers.reading import Table, delimited, raise_if, read_text
from generator.importers.writer import csv_text, descriptor_text
from generator.model import Catalog, InputError, Package, Resource
from generator.packages import typed_column
from generator.regions import memberships

REFERENCE = config.REFERENCE_PACKAGE
PERIODS = ("schooljaar", "peiljaar", "jaar")
CODES = {
    "gemeente_code": ("gemeenten", "code"),
    "swv_code": ("swv", "code"),
    "vestiging_code": ("schoolvestigingen", "vestiging_code"),
}
"""Code columns checked against ``referentie`` (table, key column) and the earlier years."""
MAY_VANISH = ("vestiging_code",)
"""A vestiging that closed is news, not a mistake: it may be missing from a new year."""
MOVE = re.compile(r"(GM\d{4})=((PO|VO)\d{4})")
FACTOR = 5
"""A count that grows or shrinks more than this factor in one year is a mistake, not news."""
PERIOD_BOUNDS = ("enum", "maximum")
"""Constraints of a period field that list the years so far; a new year extends them."""
SMALLEST_JUMP = 50
"""Below this (on both sides) a jump is noise of small numbers, not checked."""


@dataclass(frozen=True)
class Change:
    """What add-peiljaar writes: the package's changed files and what it did, in words."""

    package: str
    files: dict[str, str]
    version: str
    summary: str
    others: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    """Other packages' changed files (``referentie`` when a gemeente moved: ``--verhuisd``)."""
    notes: tuple[str, ...] = ()
    """What the check of the source's own totals found (``verschillen``)."""


def add(
    path: Path,
    catalog: Catalog,
    data_dir: Path,
    dataset: str,
    datum: str,
    correction: bool = False,
    moves: Sequence[str] = (),
) -> Change:
    """Reads the new file ``path`` and the package under ``data_dir``; returns the package's
    new files, or raises InputError.

    ``moves`` (``GM0363=PO2707``): gemeenten that legitimately joined another SWV from this
    year on; ``referentie/gemeente_swv`` gets their new indeling, ``vanaf_peiljaar`` this year.
    """
    if dataset not in catalog.packages or dataset == REFERENCE:
        known = ", ".join(p.name for p in catalog.datasets)
        raise InputError([f"--dataset {dataset}: onbekende dataset (bekend: {known})"])
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", datum):
        raise InputError([f"--datum {datum}: verwacht een datum als 2026-11-23"])
    package = catalog.packages[dataset]
    table = delimited(read_text(path, path.name, ("utf-8-sig",)), path.name, ",")
    resource = _resource_of(table, package)
    period = _period_column(resource)
    new = _typed(table, resource)
    year = _new_period(table, new, resource, period, correction)
    accepted = _moves(moves, catalog, int(year[:4]))
    old = resource.frame
    kept = old[old[period].astype(str) != year] if correction else old
    raise_if(_against_history(table, new, kept, resource, period, catalog, accepted))
    folder = data_dir / dataset
    files = {resource.path: _appended(folder / resource.path, period, year, table.rows)}
    files.update(_derived(package, resource, folder, new, catalog, year))
    kind = "patch" if correction else "minor"
    version = bump(package.version, kind)
    what = f"correctie van {period} {year}" if correction else f"{period} {year} toegevoegd"
    descriptor = with_release(package.descriptor, version, datum, f"{what} ({path.name})")
    _extend_periods(descriptor, year)
    notes = _compared(package, table, new, year, folder, descriptor, files)
    files["datapackage.json"] = descriptor_text(descriptor)
    summary = f"{dataset} {version}: {what}"
    if not accepted:
        return Change(dataset, files, version, summary, notes=notes)
    reference, moved = _moved_reference(
        catalog, data_dir, accepted, datum, path.name, int(year[:4])
    )
    return Change(dataset, files, version, f"{summary}; {moved}", {REFERENCE: reference}, notes)


def _compared(
    package: Package,
    table: Table,
    new: pd.DataFrame,
    year: str,
    folder: Path,
    descriptor: dict[str, Any],
    files: dict[str, str],
) -> tuple[str, ...]:
    """CBS: the new year's totals beside the sums of their parts, as the import compares them;
    differences go into ``verschillen.csv`` (replacing that year's) and are returned as lines.
    Reported, never a reason to refuse the year."""
    if package.name != cbs_so.PACKAGE:
        return ()
    rows = [
        (str(code), str(soort), str(jaar), str(aantal))
        for code, soort, jaar, aantal in zip(
            new["gemeente_code"],
            new["onderwijssoort"],
            new["schooljaar"],
            new["aantal"],
            strict=True,
        )
    ]
    lines = {row[:3]: i for i, row in enumerate(rows)}
    givens = cbs_so.totals(rows, lines, table, "aantal")
    if not givens:
        return ()
    outcome = verschillen.compare(givens, Catalog(packages={}))
    earlier = folder / verschillen.FILE
    kept: list[list[str]] = []
    if earlier.is_file():
        with earlier.open(encoding="utf-8", newline="") as handle:
            kept = [r for r in list(csv.reader(handle))[1:] if not r[3].endswith(f" {year}")]
    rows_out = [*kept, *(list(d.row()) for d in outcome.differences)]
    files[verschillen.FILE] = csv_text(verschillen.HEADER, rows_out)
    if not any(r["name"] == "verschillen" for r in descriptor["resources"]):
        descriptor["resources"].append(verschillen.resource())
    return tuple(outcome.lines())


def bump(version: str, kind: str) -> str:
    """Semantic version: major for a schema change, minor for a new year, patch for a fix."""
    parts = [int(p) for p in (version or "0.0.0").split(".")]
    major, minor, patch = [*parts, 0, 0, 0][:3]
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def with_release(
    descriptor: Mapping[str, Any], version: str, datum: str, description: str
) -> dict[str, Any]:
    """The descriptor with its new version and the changelog entry that says why."""
    result = copy.deepcopy(dict(descriptor))
    result["version"] = version
    entry = {"version": version, "date": datum, "description": description}
    result["changelog"] = [*result.get("changelog", []), entry]
    return result


def _extend_periods(descriptor: dict[str, Any], year: str) -> None:
    """Period fields that list their years (an enum or a maximum) get the new year too."""
    for resource in descriptor.get("resources", []):
        for field in resource.get("schema", {}).get("fields", []):
            rules = field.get("constraints", {})
            if field["name"] not in PERIODS:
                continue
            if "enum" in rules and year not in [str(v) for v in rules["enum"]]:
                value: Any = int(year) if field.get("type") in ("integer", "year") else year
                rules["enum"] = sorted([*rules["enum"], value], key=str)
            if "maximum" in rules and year.isdigit() and int(year) > int(rules["maximum"]):
                rules["maximum"] = int(year)


def _resource_of(table: Table, package: Package) -> Resource:
    """The resource whose columns the file has; else what differs from the closest one."""
    columns = list(table.header)
    best = max(
        (r for r in package.resources.values() if not _is_derived_resource(package, r.name)),
        key=lambda r: len(set(columns) & {f.name for f in r.fields}),
    )
    wanted = [f.name for f in best.fields]
    if columns == wanted:
        return best
    missing = [c for c in wanted if c not in columns]
    extra = [c for c in columns if c not in wanted]
    label = f"{table.label}, regel 1"
    errors = []
    for index, name in enumerate(columns):
        if name in extra and index < len(wanted) and wanted[index] in missing:
            errors.append(
                f"{label}, kolom {name!r}: hernoemd? het schema heet hier {wanted[index]!r}"
            )
            missing.remove(wanted[index])
        elif name in extra:
            errors.append(
                f"{label}, kolom {name!r}: onbekende kolom (een schemawijziging is een "
                "major-versie: pas eerst datapackage.json aan)"
            )
    errors += [f"{label}: kolom {name!r} ontbreekt" for name in missing]
    if not errors:
        errors.append(f"{label}: kolommen in een andere volgorde dan {', '.join(wanted)}")
    raise InputError(errors)


def _period_column(resource: Resource) -> str:
    for name in PERIODS:
        if name in resource.primary_key:
            return name
    raise InputError([f"{resource.name}: deze tabel heeft geen peiljaar of schooljaar"])


def _typed(table: Table, resource: Resource) -> pd.DataFrame:
    """The file's rows, each value checked against its field (type, required, pattern, enum,
    minimum, rounding); the frame has the catalog's types."""
    errors: list[str] = []
    period = _period_column(resource)
    for i, row in enumerate(table.rows):
        for field, text in zip(resource.fields, row, strict=True):
            rules = field.constraints
            if field.name == period:  # a new year lies beyond the years listed so far
                rules = {k: v for k, v in rules.items() if k not in PERIOD_BOUNDS}
            problem = _value_problem(field.type, rules, field.rounding, text)
            if problem:
                errors.append(f"{table.where(i, field.name)}: {problem}")
    raise_if(errors[:50] + ([f"… en {len(errors) - 50} fouten meer"] if len(errors) > 50 else []))
    raw = pd.DataFrame(list(table.rows), columns=list(table.header), dtype=str)
    return pd.DataFrame({f.name: typed_column(raw[f.name], f.type) for f in resource.fields})


def _value_problem(kind: str, rules: Mapping[str, Any], rounding: int, text: str) -> str:
    if text == "":
        return "verplichte waarde ontbreekt" if rules.get("required") else ""
    if kind in ("integer", "year"):
        if not re.fullmatch(r"-?[0-9]+", text):
            return f"{text!r} is geen geheel getal"
        if int(text) < rules.get("minimum", -(10**18)):
            return f"{text} is kleiner dan {rules['minimum']}"
        if rounding and int(text) % rounding:
            return f"{text} is niet afgerond op {rounding}, zoals de bron dat doet"
    if kind == "number" and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        return f"{text!r} is geen getal"
    if kind == "boolean" and text not in ("true", "false"):
        return f"{text!r} is geen true of false"
    if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
        return f"{text!r} heeft niet de vorm {rules['pattern']}"
    if "enum" in rules and text not in [str(v) for v in rules["enum"]]:
        return f"{text!r} is geen van {', '.join(map(str, rules['enum']))}"
    return ""


def _new_period(
    table: Table, new: pd.DataFrame, resource: Resource, period: str, correction: bool
) -> str:
    periods = sorted(set(new[period].astype(str)))
    column = table.header.index(period)
    if len(periods) != 1:
        raise InputError(
            [f"{table.label}: één {period} per bestand, gevonden: {', '.join(periods)}"]
        )
    year = periods[0]
    present = year in set(resource.frame[period].astype(str))
    first = next(i for i, row in enumerate(table.rows) if row[column] == year)
    if present and not correction:
        raise InputError(
            [
                f"{table.where(first, period)}: {period} {year} staat al in {resource.path} "
                "(een correctie gaat met --correctie)"
            ]
        )
    if correction and not present:
        raise InputError(
            [
                f"{table.where(first, period)}: {year} staat nog niet in {resource.path}: "
                "niets te corrigeren"
            ]
        )
    duplicated = new.duplicated(list(resource.primary_key))
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax())
        raise InputError(
            [f"{table.where(row)}: dubbele sleutel ({', '.join(resource.primary_key)})"]
        )
    return year


def _against_history(
    table: Table,
    new: pd.DataFrame,
    old: pd.DataFrame,
    resource: Resource,
    period: str,
    catalog: Catalog,
    accepted: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """Codes unknown, vanished, merged or moved to another SWV (unless ``accepted``: the
    moves given with ``--verhuisd``); implausible jumps."""
    errors: list[str] = []
    latest = max(old[period].astype(str)) if not old.empty else None
    before = old[old[period].astype(str) == latest] if latest else old
    year = str(new[period].iloc[0])
    for column, reference in CODES.items():
        if column in new.columns:
            errors += _codes(table, new, before, column, reference, catalog, year)
    if "gemeente_code" in new.columns:
        errors += _moved(table, new, catalog, year, {g for g, _ in accepted})
    errors += _jumps(table, new, before, resource, period)
    return errors


def _codes(
    table: Table,
    new: pd.DataFrame,
    before: pd.DataFrame,
    column: str,
    reference: tuple[str, str],
    catalog: Catalog,
    year: str,
) -> list[str]:
    name, key = reference
    if name not in catalog.packages[REFERENCE].resources:
        return [f"{table.label}, kolom {column!r}: referentie/{name} ontbreekt"]
    ref = catalog.resource(REFERENCE, name).frame
    known = set(ref[key].astype(str))
    ended = _ended(ref, year)
    merged = _merged_into(catalog)
    errors = []
    codes = new[column].astype(str)
    for i, code in enumerate(codes):
        if code not in known:
            errors.append(f"{table.where(i, column)}: {_unknown(code, name)}")
        elif code in ended:
            into = merged.get(code, "?")
            errors.append(
                f"{table.where(i, column)}: {code} bestaat in {year} niet meer (opgegaan in {into})"
            )
    present = set(codes)
    if column in MAY_VANISH:
        return errors
    for code in sorted(set(before[column].astype(str)) - present):
        if merged.get(code) in present:
            continue  # merged into a gemeente of the file: the charts mark the break
        errors.append(
            f"{table.label}, kolom {column!r}: {code} staat in het vorige jaar maar ontbreekt"
        )
    return errors


def _unknown(code: str, reference: str) -> str:
    if reference == "schoolvestigingen":
        return (
            f"onbekende vestiging {code} (niet in referentie/schoolvestigingen; een nieuwe "
            "vestiging komt daar eerst bij, met naam, gemeente en postcode)"
        )
    return f"onbekende code {code} (niet in referentie/{reference})"


def _ended(gemeenten: pd.DataFrame, year: str) -> set[str]:
    if "geldig_tot" not in gemeenten.columns:
        return set()
    start = int(year[:4])
    until = gemeenten["geldig_tot"]
    return set(gemeenten.loc[until.notna() & (until.astype("Float64") < start), "code"].astype(str))


def _merged_into(catalog: Catalog) -> dict[str, str]:
    """Each merged-away gemeente → the current gemeente it went into (followed to the end)."""
    referentie = catalog.packages[REFERENCE].resources
    if "herindelingen" not in referentie:
        return {}
    frame = referentie["herindelingen"].frame
    targets: dict[str, set[str]] = defaultdict(set)
    for old, new in zip(
        frame["gemeente_oud"].astype(str), frame["gemeente_nieuw"].astype(str), strict=True
    ):
        targets[old].add(new)
    result = {}
    for old in targets:
        ends = _ends(old, targets, set())
        if len(ends) == 1:
            result[old] = ends.pop()
    return result


def _ends(code: str, targets: Mapping[str, set[str]], seen: set[str]) -> set[str]:
    if code not in targets or code in seen:
        return {code}
    seen = seen | {code}
    return set().union(*(_ends(t, targets, seen) for t in targets[code]))


def _moved(
    table: Table, new: pd.DataFrame, catalog: Catalog, year: str, accepted: set[str]
) -> list[str]:
    """A gemeente that joined another SWV of a sector from this year on (it has an earlier
    row of that sector too): every year of its SWV's series would change. One line per
    gemeente, at its first row, saying how to accept the move."""
    links = catalog.resource(REFERENCE, "gemeente_swv").frame
    start = int(year[:4])
    rows = list(
        zip(
            links["gemeente_code"].astype(str),
            links["swv_code"].astype(str),
            links["vanaf_peiljaar"].astype("Int64"),
            strict=True,
        )
    )
    earlier = {(g, swv[:2]) for g, swv, since in rows if since < start}
    moved = {g: swv for g, swv, since in rows if since == start and (g, swv[:2]) in earlier}
    errors = []
    for i, code in enumerate(new["gemeente_code"].astype(str)):
        if code in moved and code not in accepted:
            swv = moved.pop(code)
            errors.append(
                f"{table.where(i, 'gemeente_code')}: {code} is vanaf {start} bij een ander "
                f"samenwerkingsverband ingedeeld ({swv}, referentie/gemeente_swv); klopt dat, "
                f"geef dan --verhuisd {code}={swv} (de oude indeling geldt dan tot {start} en de "
                "verhuizing komt in de changelog van referentie)"
            )
    return errors


def _moves(texts: Sequence[str], catalog: Catalog, start: int) -> list[tuple[str, str]]:
    """``--verhuisd GM0363=PO2707``: (gemeente, new SWV), each checked against referentie."""
    reference = catalog.packages[REFERENCE].resources
    gemeenten = reference["gemeenten"].frame
    current = set(gemeenten.loc[gemeenten["geldig_tot"].isna(), "code"].astype(str))
    swvs = set(reference["swv"].frame["code"].astype(str))
    # The indeling of the year before: a move already in referentie is still this year's move.
    before = [m for m in memberships(reference["gemeente_swv"].frame) if m.holds(start - 1)]
    errors: list[str] = []
    moves: list[tuple[str, str]] = []
    for text in texts:
        match = MOVE.fullmatch(text.strip().upper())
        if not match:
            errors.append(f"--verhuisd {text}: verwacht GEMEENTE=SWV, bijvoorbeeld GM0363=PO2707")
            continue
        gemeente, swv = match[1], match[2]
        same = {m.swv for m in before if m.gemeente == gemeente and m.swv[:2] == swv[:2]}
        if gemeente not in current:
            errors.append(f"--verhuisd {text}: {gemeente} is geen huidige gemeente in referentie")
        elif swv not in swvs:
            errors.append(f"--verhuisd {text}: onbekend samenwerkingsverband {swv}")
        elif not same - {swv}:
            errors.append(f"--verhuisd {text}: {gemeente} hoort al bij {swv}; niets te verhuizen")
        elif any(g == gemeente and s[:2] == swv[:2] for g, s in moves):
            errors.append(f"--verhuisd {text}: {gemeente} staat twee keer in één sector")
        else:
            moves.append((gemeente, swv))
    raise_if(errors)
    return moves


def _moved_reference(
    catalog: Catalog,
    data_dir: Path,
    moves: Sequence[tuple[str, str]],
    datum: str,
    label: str,
    start: int,
) -> tuple[dict[str, str], str]:
    """``referentie``'s new gemeente_swv and descriptor: each moved gemeente gets a row of its
    new SWV from ``start``; its earlier rows of the sector stay (they hold until ``start``, and
    the years before count at the old SWV), a row of ``start`` or later is replaced. A changelog
    entry per move."""
    package = catalog.packages[REFERENCE]
    resource = package.resources["gemeente_swv"]
    with (data_dir / REFERENCE / resource.path).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    words = []
    for gemeente, swv in moves:
        ours = [r for r in rows if r[0] == gemeente and r[1][:2] == swv[:2]]
        before = [r for r in ours if int(r[2]) < start]
        last = max((int(r[2]) for r in before), default=None)
        was = sorted({r[1] for r in before if int(r[2]) == last} - {swv})
        new = [r for r in ours if r[1] == swv and r[2] == str(start)] or [
            [gemeente, swv, str(start), ""]
        ]
        rows = sorted(
            [r for r in rows if r not in ours or int(r[2]) < start] + new,
            key=lambda r: (r[0], r[1], int(r[2])),
        )
        words.append(f"{gemeente} vanaf peiljaar {start} bij {swv} (was {', '.join(was)})")
    version = bump(package.version, "minor")
    what = "; ".join(words)
    descriptor = with_release(package.descriptor, version, datum, f"{what} (add-peiljaar {label})")
    files = {resource.path: csv_text(header, rows), "datapackage.json": descriptor_text(descriptor)}
    return files, f"{REFERENCE} {version}: {what}"


def _jumps(
    table: Table, new: pd.DataFrame, before: pd.DataFrame, resource: Resource, period: str
) -> list[str]:
    key = [k for k in resource.primary_key if k != period]
    counts = [f.name for f in resource.fields if f.is_count or f.rounding]
    if before.empty or not counts:
        return []
    joined = new.assign(rij=range(len(new))).merge(
        before, on=key, how="left", suffixes=("", "_vorig")
    )
    errors = []
    for column in counts:
        now, then = joined[column].astype("Float64"), joined[f"{column}_vorig"].astype("Float64")
        large = (now.fillna(0) >= SMALLEST_JUMP) | (then.fillna(0) >= SMALLEST_JUMP)
        jump = large & ((now > then * FACTOR) | (then > now * FACTOR))
        for row in joined[jump.fillna(False).to_numpy(dtype=bool)].to_dict("records"):
            errors.append(
                f"{table.where(int(row['rij']), column)}: sprong van {row[column + '_vorig']} "
                f"naar {row[column]} (meer dan factor {FACTOR} ten opzichte van het vorige jaar)"
            )
    return errors


def _appended(path: Path, period: str, year: str, rows: Any) -> str:
    """The resource's CSV as it was, without the rows of ``year`` (a correction), then
    ``rows``: earlier years keep their exact text."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *old = list(csv.reader(handle))
    column = header.index(period)
    return csv_text(header, [*(r for r in old if r[column] != year), *(list(r) for r in rows)])


@contextlib.contextmanager
def staged(data_dir: Path, change: Change) -> Iterator[Path]:
    """A copy of ``data_dir`` with the change written into it; when the block succeeds the
    changed package is swapped into ``data_dir``, otherwise ``data_dir`` stays as it was."""
    temporary = data_dir.parent / f".{data_dir.name}.add-peiljaar"
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        shutil.copytree(data_dir, temporary)
        changed = {change.package: change.files, **change.others}
        for package, files in changed.items():
            for name, text in files.items():
                (temporary / package / name).write_text(text, encoding="utf-8")
        yield temporary
        for package in changed:
            (data_dir / package).rename(temporary / f".{package}.oud")
            (temporary / package).rename(data_dir / package)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


DERIVED = {"leerlingen-speciaal-onderwijs-gemeente": ("leerlingen", "leerlingen_huidige_gemeenten")}
"""Packages with a resource made from another: (source resource, derived resource)."""


def _is_derived_resource(package: Package, name: str) -> bool:
    return DERIVED.get(package.name, ("", ""))[1] == name


def _derived(
    package: Package,
    resource: Resource,
    folder: Path,
    new: pd.DataFrame,
    catalog: Catalog,
    year: str,
) -> dict[str, str]:
    """CBS: the new year summed onto today's gemeenten, as the importer does."""
    source, target = DERIVED.get(package.name, ("", ""))
    if resource.name != source:
        return {}
    derived = package.resources[target]
    merged = _merged_into(catalog)
    sums: dict[tuple[str, str], list[int]] = defaultdict(list)
    records = zip(new["gemeente_code"], new["onderwijssoort"], new["aantal"], strict=True)
    for code, soort, aantal in records:
        sums[(merged.get(str(code), str(code)), str(soort))].append(int(aantal))
    voorlopig = "true" if bool(new["voorlopig"].any()) else "false"
    rows = [
        (code, soort, year, str(sum(values)), str(len(values)), "false", voorlopig)
        for (code, soort), values in sorted(sums.items())
    ]
    return {derived.path: _appended(folder / derived.path, "schooljaar", year, rows)}
