"""Stage 5a, cells: every count the site publishes as a linear form over base cells.

Reads the derived ``Catalog``, the ``Regions`` and the unmasked ``View``s; returns the
``CellModel``. Base cells are the source's own counts (each count column of each row of a
dataset's tables). A published count is a sum of base cells (an SWV total of its schools, a
national total of its SWVs) or a signed sum (verzuim *actueel*). The same form shown in several
places (a gemeente's verzuim on its own page and on each SWV's page) is one cell.

Each form is checked against the value the tables computed, so this model cannot drift from
what the site shows: a mismatch stops the build.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from generator import config, memory, peers
from generator.model import (
    Catalog,
    CellModel,
    FieldInfo,
    Regions,
    Resource,
    View,
    ViewCells,
    missing,
    records,
)
from generator.regions import vestiging_years

Form = tuple[tuple[int, int], ...]
"""Sorted (base cell, coefficient) pairs."""

CLUSTER = "leerlingen-cluster-1-2"
SWV_DATA = "passend-onderwijs-swv"
PUPIL_TOTALS = {"leerlingen_2014_2015": "2014-2015", "leerlingen_2015_2016": "2015-2016"}
SBAO = ("sbao_2015_2016", "2015-2016", "sbao")
PUPILS = "aantal_leerlingen"


def model(catalog: Catalog, regions: Regions, views: tuple[View, ...]) -> CellModel:
    """Reads the catalog, regions and views; returns the model of every published count."""
    builder = _Builder(catalog, regions)
    view_cells = {(v.dataset, v.resource, v.level): builder.view(v) for v in views}
    return builder.finish(view_cells)


class _Builder:
    """Collects base cells, distinct forms and the sum relations between them."""

    def __init__(self, catalog: Catalog, regions: Regions) -> None:
        self.base: dict[tuple[str, str, str], dict[tuple[str, ...], int]] = {}
        self.base_keys: dict[tuple[str, str], tuple[str, ...]] = {}
        self.base_values: list[int] = []
        self.base_names = memory.PackedTexts()
        self.cell_of: dict[Form, int] = {}
        self.names = memory.PackedTexts()
        """Each cell's name when it was made ("" for a part not yet seen in a view)."""
        self.named = bytearray()
        self.late_names: dict[int, str] = {}
        """Names of cells made unnamed and seen in a view later."""
        self.cell_values: list[int] = []
        """Each cell's value from its form, to check against the value the tables computed."""
        self.relations: dict[int, tuple[int, ...]] = {}
        self.dependents: dict[int, tuple[int, ...]] = {}
        for package in catalog.datasets:
            for resource in package.resources.values():
                self._add_base(package.name, resource)
        self.schools = _schools(catalog, regions)
        self.category: dict[str, str] = {}
        self.size_peers: dict[str, tuple[str, ...]] = {}
        self.groups: dict[tuple[str, str, str], tuple[Form, tuple]] = {}
        """Per (sector, comparison group, column): its sum, made once (not once per SWV)."""
        self.kenmerken = self._kenmerken_forms(catalog) if SWV_DATA in catalog.packages else {}

    def _add_base(self, dataset: str, resource: Resource) -> None:
        name = resource.name
        self.base_keys[(dataset, name)] = resource.primary_key
        keys = list(_key_tuples(resource.frame, resource.primary_key))
        for field in resource.fields:
            if not field.is_count or field.derived:
                continue
            lookup = self.base.setdefault((dataset, name, field.name), {})
            for row_key, value in zip(keys, resource.frame[field.name], strict=True):
                if not pd.isna(value):
                    lookup[row_key] = len(self.base_values)
                    self.base_values.append(int(value))
                    self.base_names.append(f"{dataset}/{name}/{'/'.join(row_key)}/{field.name}")

    def base_form(self, dataset: str, resource: str, column: str, key: tuple[str, ...]) -> Form:
        index = self.base.get((dataset, resource, column), {}).get(key)
        if index is None:
            raise _Missing
        return ((index, 1),)

    def cell(self, form: Form, name: str) -> int:
        index = self.cell_of.get(form)
        if index is None:
            index = self.cell_of[form] = len(self.names)
            self.names.append(name)
            self.named.append(bool(name))
            self.cell_values.append(sum(c * self.base_values[b] for b, c in form))
        elif name and not self.named[index]:
            self.late_names[index] = name
            self.named[index] = True
        return index

    def view(self, view: View) -> ViewCells:
        keys = list(_key_tuples(view.frame, view.key))
        cells: dict[str, np.ndarray] = {}
        row_forms = _RowForms(self, view)
        for field in view.fields:
            if field.is_count and field.name not in view.key:
                cells[field.name] = self._column(view, field, keys, row_forms)
        key_frame = view.frame[list(view.key)].astype(str).astype("category").reset_index(drop=True)
        inputs = {f.name: f.inputs for f in view.fields if f.inputs and not f.terms}
        rounded = {f.name: f.rounding for f in view.fields if f.rounding and not f.is_count}
        return ViewCells(view.key, key_frame, cells, inputs, rounded)

    def _column(
        self, view: View, field: FieldInfo, keys: list[tuple[str, ...]], row_forms: _RowForms
    ) -> np.ndarray:
        out = np.full(len(keys), -1, dtype=np.int64)
        prefix = f"{view.dataset}/{view.resource}/{view.level}"
        for row, value in enumerate(view.frame[field.name].tolist()):
            if missing(value):
                continue
            form, parts = row_forms.form(row, field)
            out[row] = index = self.cell(form, f"{prefix}/{'/'.join(keys[row])}/{field.name}")
            self._check(index, int(value), view, field, keys[row])
            if parts and len(parts) > 1 and index not in self.relations:
                self.relations[index] = tuple(self.cell(p, "") for p in parts)
            if field.inputs and field.terms:
                inputs = tuple(row_forms.form(row, _named(view, n))[0] for n in field.inputs)
                self.dependents.setdefault(index, tuple(self.cell(p, "") for p in inputs))
        return out

    def _check(
        self, index: int, value: int, view: View, field: FieldInfo, key: tuple[str, ...]
    ) -> None:
        computed = self.cell_values[index]
        if computed != value:
            raise AssertionError(
                f"cell model out of step with the tables: {view.dataset}/{view.resource} "
                f"{view.level} {key} {field.name}: form gives {computed}, table has {value}"
            )

    def _kenmerken_forms(self, catalog: Catalog) -> dict[tuple[str, str], tuple[Form, tuple]]:
        """Per (SWV, column): the form of each kenmerken count, and its parts when a sum."""
        leerlingen = catalog.resource(SWV_DATA, "leerlingen").frame
        categories: dict[tuple[str, str], list[str]] = defaultdict(list)
        for swv, jaar, categorie in _key_tuples(
            leerlingen, ("swv_code", "schooljaar", "categorie")
        ):
            categories[(swv, jaar)].append(categorie)
        kenmerken = catalog.resource(SWV_DATA, "kenmerken")
        self.category = dict(
            zip(kenmerken.frame["swv_code"], kenmerken.frame["vereveningscategorie"], strict=True)
        )
        sized = kenmerken.frame[kenmerken.frame["telling_2015"].notna()]
        self.size_peers = peers.size_classes(
            dict(zip(sized["swv_code"], sized["telling_2015"], strict=True))
        )
        forms: dict[tuple[str, str], tuple[Form, tuple]] = {}
        own = [f.name for f in kenmerken.fields if f.is_count and not f.derived]
        for (swv,) in _key_tuples(kenmerken.frame, ("swv_code",)):
            wanted: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
                c: [(SWV_DATA, "kenmerken", c, (swv,))] for c in own
            }
            for column, jaar in PUPIL_TOTALS.items():
                wanted[column] = [
                    (SWV_DATA, "leerlingen", PUPILS, (swv, jaar, c))
                    for c in categories[(swv, jaar)]
                ]
            wanted[SBAO[0]] = [(SWV_DATA, "leerlingen", PUPILS, (swv, *SBAO[1:]))]
            for column, addresses in wanted.items():
                try:
                    parts = tuple(self.base_form(*address) for address in addresses)
                except _Missing:
                    continue  # empty in the tables too; _check catches any disagreement
                forms[(swv, column)] = (add(parts), parts if len(parts) > 1 else ())
        return forms

    def _add_facts(self) -> list[bool]:
        """What everyone knows beyond the published numbers: a signed sum is never negative.

        Verzuim *actueel* (minimum 0 in its schema) = begin + nieuw − … ≥ 0 bounds its inputs.
        Each such sum gets a slack base cell (its own value) and a known cell "sum − slack = 0":
        the interval solvers see the inequality without knowing anything but equations.
        """
        facts = [False] * len(self.names)
        for form, index in list(self.cell_of.items()):
            if not any(c < 0 for _, c in form):
                continue
            slack = len(self.base_values)
            self.base_values.append(sum(c * self.base_values[b] for b, c in form))
            name = self.late_names.get(index) or self.names[index]
            self.base_names.append(f"{name} (rest boven 0)")
            self.cell((*form, (slack, -1)), f"{name} >= 0")
            facts.append(True)
        return facts

    def finish(self, view_cells: dict) -> CellModel:
        facts = self._add_facts()
        forms = list(self.cell_of)  # in the order of their numbers: numbered as inserted
        matrix = _matrix(forms, len(self.base_values))
        base_values = np.array(self.base_values, dtype=np.int64)
        names = (
            self.late_names.get(index) or name or _base_name(form, self.base_names)
            for index, (name, form) in enumerate(zip(self.names, forms, strict=True))
        )
        return CellModel(
            forms=matrix,
            values=matrix @ base_values,
            names=memory.PackedTexts(names),
            base_names=self.base_names,
            relations=tuple(sorted(self.relations.items())),
            dependents=tuple(sorted(self.dependents.items())),
            views=view_cells,
            facts=np.array(facts, dtype=bool),
        )


def _matrix(forms: list[Form], width: int) -> sparse.csr_array:
    """The forms as rows of a sparse matrix (a form's base cells are sorted and distinct)."""
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    size = int(lengths.sum())
    columns = np.fromiter((b for form in forms for b, _ in form), dtype=np.int64, count=size)
    data = np.fromiter((c for form in forms for _, c in form), dtype=np.int64, count=size)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    return sparse.csr_array((data, columns, indptr), shape=(len(forms), width))


class _Missing(Exception):
    """A form needs a base cell the source left empty."""


class _RowForms:
    """The form of each count in one view's rows, by the rule that made the view."""

    def __init__(self, builder: _Builder, view: View) -> None:
        self.builder = builder
        self.view = view
        self.records = records(view.frame)
        self.base_keys: list[tuple[str, ...]] | None = None
        """Each row's key in its source resource, when first needed."""

    def form(self, row: int, field: FieldInfo) -> tuple[Form, tuple]:
        try:
            return self._form(row, field)
        except _Missing:
            raise AssertionError(
                f"{self.view.dataset}/{self.view.resource}: {field.name} in row {row} has a "
                "value but one of its parts is missing at the source"
            ) from None

    def _form(self, row: int, field: FieldInfo) -> tuple[Form, tuple]:
        view, builder, record = self.view, self.builder, self.records[row]
        if field.terms:
            parts = tuple(self._form(row, _named(view, n))[0] for n in field.terms)
            return add(parts, tuple(field.terms.values())), ()
        if view.dataset == CLUSTER and view.level == "swv":
            return self._school_sum(record, field)
        if view.resource == "kenmerken":
            return builder.kenmerken[(str(record["swv_code"]), field.name)]
        if view.resource == config.COMPARISON_RESOURCE:
            return self._group_sum(record, field)
        if self.base_keys is None:
            columns = builder.base_keys[(view.dataset, view.resource)]
            self.base_keys = [tuple(str(r[c]) for c in columns) for r in self.records]
        key = self.base_keys[row]
        return builder.base_form(view.dataset, view.resource, field.name, key), ()

    def _school_sum(self, record: dict, field: FieldInfo) -> tuple[Form, tuple]:
        year = str(record["peiljaar"])
        schools = self.builder.schools.get((str(record["swv_code"]), year), [])
        rest = (str(record["cluster"]), str(record["onderwijssoort"]))
        lookup = self.builder.base[(CLUSTER, "leerlingen", field.name)]
        parts = tuple(((lookup[key], 1),) for v in schools if (key := (year, v, *rest)) in lookup)
        return add(parts), parts

    def _group_sum(self, record: dict, field: FieldInfo) -> tuple[Form, tuple]:
        swv, groep = str(record["swv_code"]), str(record["groep"])
        kenmerken = self.builder.kenmerken
        if groep == "dit samenwerkingsverband":
            return kenmerken[(swv, field.name)]
        # A size class is named alike in every sector; the other groups by their own name.
        owner = swv if groep == peers.SIZE_GROUP else swv[:2]
        group = (owner, groep, field.name)
        if group not in self.builder.groups:
            if groep == peers.SIZE_GROUP:
                members = list(self.builder.size_peers[swv])
            else:
                members = _group_members(swv, groep, self.builder.category)
            parts = tuple(kenmerken[(m, field.name)][0] for m in members)
            self.builder.groups[group] = (add(parts), parts)
        return self.builder.groups[group]


def _schools(catalog: Catalog, regions: Regions) -> dict[tuple[str, str], list[str]]:
    """Per SWV and peiljaar, its schoolvestigingen in code order (looked up once, not per
    row); as ``tables`` sums them."""
    if CLUSTER not in catalog.packages:
        return {}
    years = catalog.resource(CLUSTER, "leerlingen").frame["peiljaar"]
    schools: dict[tuple[str, str], list[str]] = defaultdict(list)
    links = vestiging_years(regions, years).sort_values(["vestiging_code", "peiljaar"])
    for school, swv, year in links.itertuples(index=False):
        schools[(swv, str(year))].append(school)
    return schools


def _group_members(swv: str, groep: str, category: Mapping[str, str]) -> list[str]:
    """The SWVs summed in a comparison group: the sector, or the sector's category."""
    sector = [s for s in category if s[:2] == swv[:2]]
    if groep == "landelijk":
        return sorted(sector)
    return sorted(s for s in sector if groep.endswith(" " + category[s]))


def add(parts: tuple[Form, ...], coefficients: tuple[int, ...] | None = None) -> Form:
    """The signed sum of forms, with zero terms dropped."""
    total: dict[int, int] = defaultdict(int)
    for i, form in enumerate(parts):
        sign = 1 if coefficients is None else coefficients[i]
        for base, coefficient in form:
            total[base] += sign * coefficient
    return tuple(sorted((b, c) for b, c in total.items() if c))


def _named(view: View, name: str) -> FieldInfo:
    return next(f for f in view.fields if f.name == name)


def _key_tuples(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    yield from frame[list(columns)].astype(str).itertuples(index=False, name=None)


def _base_name(form: Form, base_names: Sequence[str]) -> str:
    return " + ".join(base_names[b] for b, _ in form)
