"""The Algemene Rekenkamer's file on the samenwerkingsverbanden (2013–2016), in DUO conventions.

Reads ``duo/rekenkamer/samenwerkingsverbanden.csv``: one row per SWV (``SWV CODE``) with the
finance per year (``RIJKSBIJDRAGE 2014`` …), the 2015-2016 characteristics (``TELLING 2015`` …)
and the pupils per category and schooljaar (``SBAO 2014-2015``, ``SO LAAG ONDER 8 2013-2014`` …;
empty for the other sector's categories), and ``duo/rekenkamer/landelijk.csv``
(``SCHOOLJAAR;SOORT ONDERSTEUNING;AANTAL LEERLINGEN``). Returns the four tables of
``passend-onderwijs-swv`` in its schema's column order. Amounts may use a decimal comma; a count
the source suppressed (``<5`` or empty) stays empty. Columns headed with the title of one of
our derived fields of ``kenmerken`` (``AANDEEL DOORBETALINGEN 2015``, ``STERKE KRIMP``,
``PERCENTAGE LGF`` …) may be there: they are not taken over but compared with what ``derive``
computes (``verschillen``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.importers import duo, verschillen
from generator.importers.reading import Table, header_key, raise_if
from generator.importers.verschillen import Given
from generator.model import InputError

PACKAGE = "passend-onderwijs-swv"
FOLDER = "rekenkamer"
SWV_FILE = "samenwerkingsverbanden.csv"
NATIONAL_FILE = "landelijk.csv"
YEARS = ("2014", "2015")
FINANCE = {
    "RIJKSBIJDRAGE": "rijksbijdrage",
    "OVERIGE SUBSIDIES": "overige_subsidies",
    "DOORBETALINGEN": "doorbetalingen",
}
KENMERKEN = {
    "VEREVENINGSPERCENTAGE": "vereveningspercentage",
    "VEREVENING TOTAAL": "verevening_totaal",
    "NORMATIEVE ONDERSTEUNING": "normatieve_ondersteuning",
    "TELLING 2015": "telling_2015",
    "PROGNOSE 2020": "prognose_2020",
    "LGF 31 JULI 2014": "lgf_31_juli_2014",
    "OPP 2015-2016": "opp_2015_2016",
}
MAXIMUM = 1_000_000
NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


@dataclass(frozen=True)
class RekenkamerRows:
    financien: list[duo.Row]
    kenmerken: list[duo.Row]
    leerlingen: list[duo.Row]
    landelijk: list[duo.Row]
    givens: tuple[Given, ...] = ()

    def tables(self) -> dict[str, Sequence[Sequence[str]]]:
        """The package's four tables by resource name."""
        return {
            "financien": self.financien,
            "kenmerken": self.kenmerken,
            "leerlingen": self.leerlingen,
            "landelijk": self.landelijk,
        }


def read(
    source: Path,
    swvs: Collection[str],
    schemas: dict[str, Any],
    derived: Sequence[Mapping[str, Any]] = (),
) -> RekenkamerRows | None:
    """The Rekenkamer files, or None when there are none; ``swvs``: the known SWV codes;
    ``derived``: the derived fields of ``kenmerken`` (a column with one's title is compared)."""
    folder = source / duo.FOLDER / FOLDER
    if not folder.is_dir():
        return None
    tables = {t.label.rsplit("/", 1)[1]: t for t in duo.tables(source, FOLDER)}
    missing = [name for name in (SWV_FILE, NATIONAL_FILE) if name not in tables]
    if missing:
        raise InputError([f"{duo.FOLDER}/{FOLDER}/{name}: bestand ontbreekt" for name in missing])
    financien, kenmerken, leerlingen, givens = _per_swv(tables[SWV_FILE], swvs, schemas, derived)
    national = _national(tables[NATIONAL_FILE], schemas)
    return RekenkamerRows(financien, kenmerken, leerlingen, national, givens)


def _enum(schemas: dict[str, Any], resource: str, field: str) -> list[str]:
    fields = {f["name"]: f for f in schemas[resource]["fields"]}
    return [str(v) for v in fields[field]["constraints"]["enum"]]


def _sector(categorie: str) -> str:
    return "vo" if categorie in ("vo", "pro") or categorie.startswith("vso") else "po"


def _per_swv(
    table: Table,
    swvs: Collection[str],
    schemas: dict[str, Any],
    derived: Sequence[Mapping[str, Any]],
) -> tuple[list[duo.Row], list[duo.Row], list[duo.Row], tuple[Given, ...]]:
    years = _enum(schemas, "leerlingen", "schooljaar")
    categories = _enum(schemas, "leerlingen", "categorie")
    pupils = {f"{c.replace('-', ' ').upper()} {y}": (c, y) for c in categories for y in years}
    wanted = {
        "SWV CODE": "swv",
        **{f"{h} {y}": f"{n}:{y}" for h, n in FINANCE.items() for y in YEARS},
    }
    wanted |= KENMERKEN | {h: f"{c}:{y}" for h, (c, y) in pupils.items()}
    kinds = {f["name"]: f.get("type", "string") for f in derived}
    optional = {header_key(f.get("title", f["name"])): f["name"] for f in derived}
    financien, kenmerken, leerlingen, errors, places, givens = [], [], [], [], [], []
    for cells in duo.rows_of(table, wanted, (), optional):
        code = _swv(cells, swvs)
        givens += [_given(cells, code, name, kind) for name, kind in kinds.items()]
        places.append(((code,), cells.where()))
        for year in YEARS:
            amounts = [_number(cells, f"{n}:{year}", minimum=0) for n in FINANCE.values()]
            financien.append((code, year, *amounts))
        kenmerken.append((code, *(_kenmerk(cells, name) for name in KENMERKEN.values())))
        for year in years:
            leerlingen += [_pupils(cells, code, c, year) for c in categories]
        errors += cells.errors
    raise_if(errors)
    _, duplicates = duo.unique(places, 1)
    raise_if(duplicates)
    in_order = sorted((r for r in leerlingen if r), key=lambda row: row[0])  # stable: enum order
    return sorted(financien), sorted(kenmerken), in_order, tuple(g for g in givens if g)


def _given(cells: duo.Cells, code: str, name: str, kind: str) -> Given | None:
    """The source's value of our derived field ``name``, checked as that field's type."""
    if not cells.has(name) or not cells.text(name) or not code:
        return None
    if kind == "integer":
        value = cells.count(name, MAXIMUM)
    elif kind == "number":
        value = _number(cells, name, minimum=None)
    elif kind == "boolean":
        value = verschillen.boolean(cells.text(name)) or ""
        if not value:
            cells.fail(name, f"{cells.text(name)!r} is geen ja of nee")
    else:
        value = re.sub(r"\s+", " ", cells.text(name))
    if not value:
        return None
    return Given(PACKAGE, "kenmerken", (code,), name, *cells.place(name), value)


def _swv(cells: duo.Cells, swvs: Collection[str]) -> str:
    code = cells.text("swv").upper()
    if code not in swvs:
        cells.fail("swv", f"onbekende SWV-code {code!r}: staat niet in referentie/swv.csv")
    return code


def _kenmerk(cells: duo.Cells, name: str) -> str:
    if name in ("telling_2015", "lgf_31_juli_2014", "opp_2015_2016"):
        return cells.count(name, MAXIMUM)
    if name == "prognose_2020":
        return _number(cells, name, minimum=0, integer=True)
    if name == "vereveningspercentage":
        return _number(cells, name, minimum=-100, maximum=100)
    return _number(cells, name, minimum=None if name == "verevening_totaal" else 0)


def _pupils(cells: duo.Cells, code: str, categorie: str, year: str) -> duo.Row:
    """One row; empty (no row) for a category of the other sector."""
    name = f"{categorie}:{year}"
    sector = code[:2].lower()
    if _sector(categorie) == sector:
        return (code, year, categorie, cells.count(name, MAXIMUM))
    if cells.text(name):
        cells.fail(name, f"{categorie} hoort niet bij een {sector}-SWV; laat de cel leeg")
    return ()


def _number(
    cells: duo.Cells,
    name: str,
    minimum: float | None,
    maximum: float | None = None,
    integer: bool = False,
) -> str:
    """An amount or percentage: ``1234``, ``-12,5`` or ``7.9``; empty when not given."""
    text = cells.text(name).replace(" ", "")
    if not text:
        return ""
    if not NUMBER.fullmatch(text):
        cells.fail(name, f"{cells.text(name)!r} is geen getal")
        return ""
    value = float(text.replace(",", "."))
    if integer and not value.is_integer():
        cells.fail(name, f"{text} is geen geheel getal")
    elif minimum is not None and value < minimum:
        cells.fail(name, f"{text} is kleiner dan {minimum:g}")
    elif maximum is not None and value > maximum:
        cells.fail(name, f"{text} is groter dan {maximum:g}")
    return text.replace(",", ".")


def _national(table: Table, schemas: dict[str, Any]) -> list[duo.Row]:
    years = _enum(schemas, "landelijk", "schooljaar")
    kinds = {k.upper(): k for k in _enum(schemas, "landelijk", "soort_ondersteuning")}
    wanted = {"SCHOOLJAAR": "jaar", "SOORT ONDERSTEUNING": "soort", "AANTAL LEERLINGEN": "aantal"}
    rows, errors = [], []
    for cells in duo.rows_of(table, wanted, ()):
        key = (duo.schooljaar(cells, "jaar", years), cells.choice("soort", kinds))
        value = cells.count("aantal", MAXIMUM)
        if all(key):
            rows.append(((*key, value), cells.where()))
        errors += cells.errors
    raise_if(errors)
    result, duplicates = duo.unique(rows, 2)
    raise_if(duplicates)
    order = list(kinds.values())
    return sorted(result, key=lambda row: (row[0], order.index(row[1])))
