"""The typed values that pass between the build stages.

Stages import this module (and ``config``), never each other; only ``build`` wires them.
Every value is frozen. Values that hold a pandas frame use ``eq=False``: they are compared by
identity, and their frames are never modified after construction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

Level = Literal["dataset", "swv", "gemeente"]
Sector = Literal["po", "vo"]


class InputError(Exception):
    """Bad input data: each line names file, row, field and the rule broken."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class UnsafeSite(Exception):
    """The audit found a number that gives a protected count away: nothing is published."""

    def __init__(self, summary: tuple[str, ...], failures: tuple[str, ...]) -> None:
        super().__init__(f"{len(failures)} cellen niet veilig")
        self.summary = summary
        self.failures = failures


@dataclass(frozen=True)
class FieldInfo:
    """One column of a table, with its Table Schema description.

    ``is_count`` marks counts of persons, which the privacy stage suppresses; ``inputs`` names
    the columns of the same row a derived value is computed from (empty for source columns);
    ``terms`` gives the coefficient of each input when the value is their signed sum.
    """

    name: str
    type: str
    title: str
    description: str
    is_count: bool = False
    derived: bool = False
    inputs: tuple[str, ...] = ()
    constraints: Mapping[str, Any] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    unit: str = ""
    terms: Mapping[str, int] = field(default_factory=dict)
    rounding: int = 0
    """A count the source already rounded (CBS: to tens, 0 meaning 0–4): source-side
    protection, so not a count of our suppression; 0 when not rounded."""

    def label(self, value: object) -> str:
        """The display label of a code value (from the schema's categories), else the value."""
        return self.labels.get(str(value), str(value))


@dataclass(frozen=True, eq=False)
class Resource:
    """One validated table of a data package, with typed columns."""

    name: str
    title: str
    description: str
    fields: tuple[FieldInfo, ...]
    derived: tuple[FieldInfo, ...]
    primary_key: tuple[str, ...]
    frame: pd.DataFrame
    path: str
    notes: Mapping[str, str] = field(default_factory=dict)
    """Per level (``gemeente``, ``swv``): how the figures of that level were made, shown
    under the table's heading (the descriptor's ``toelichting``)."""


@dataclass(frozen=True, eq=False)
class Package:
    """One data package: its descriptor (all metadata) and its resources by name."""

    name: str
    descriptor: Mapping[str, Any]
    resources: Mapping[str, Resource]

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title", self.name))

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def is_demo(self) -> bool:
        return bool(self.descriptor.get("demonstratiedata", False))

    @property
    def release_dates(self) -> tuple[str, ...]:
        """The ISO dates of the changelog, oldest first: first issued ... last published."""
        changes = self.descriptor.get("changelog", [])
        return tuple(sorted(str(c["date"]) for c in changes if c.get("date")))


@dataclass(frozen=True, eq=False)
class Catalog:
    """Every data package of a build, validated, by name."""

    packages: Mapping[str, Package]

    def resource(self, package: str, resource: str) -> Resource:
        return self.packages[package].resources[resource]

    @property
    def datasets(self) -> tuple[Package, ...]:
        """The packages shown as datasets: all but the reference tables."""
        return tuple(p for name, p in sorted(self.packages.items()) if name != "referentie")

    def code_field(self, table: str, name: str) -> FieldInfo:
        """The code field of a referentie table (``swv``, ``gemeenten``), required, under the
        name a view gives it (``swv_code``)."""
        code = self.resource("referentie", table).fields[0]
        return replace(code, name=name, constraints={**code.constraints, "required": True})

    def without_rows(self) -> Catalog:
        """The same packages with every table emptied: the metadata the pages read, without
        the rows that the tables and the cell model were made from."""
        return Catalog(
            {
                name: replace(
                    package,
                    resources={
                        r.name: replace(r, frame=r.frame.iloc[:0])
                        for r in package.resources.values()
                    },
                )
                for name, package in self.packages.items()
            }
        )


@dataclass(frozen=True)
class Swv:
    code: str
    naam: str
    sector: Sector

    @property
    def label(self) -> str:
        """``PO2001 · Naam``; a name made from the region already starts with the code."""
        return self.naam if self.naam.startswith(self.code) else f"{self.code} · {self.naam}"


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    provincie: str


@dataclass(frozen=True)
class Membership:
    """A gemeente (or the postcodes of it listed) belonging to an SWV region."""

    gemeente: str
    swv: str
    postcodes: tuple[str, ...] = ()
    vanaf: int = 0
    """The peiljaar from which the gemeente belongs to this SWV (``vanaf_peiljaar``)."""
    tot: int | None = None
    """The first peiljaar of the gemeente's next indeling in this sector; None: it holds now."""
    first: bool = True
    """The gemeente's first indeling in this sector: it counts for the years before too."""

    def holds(self, year: int) -> bool:
        """Whether the gemeente (or its postcodes) belongs to the SWV in peiljaar ``year``."""
        return (self.first or self.vanaf <= year) and (self.tot is None or year < self.tot)

    @property
    def is_split(self) -> bool:
        return bool(self.postcodes)

    @property
    def note(self) -> str:
        """The postcodes of a split gemeente, three or more consecutive ones as a range:
        ``alleen postcodes 1011–1019, 1021, 1022``; empty when the whole gemeente belongs."""
        if not self.postcodes:
            return ""
        ranges: list[list[int]] = []
        for code in sorted(int(p) for p in self.postcodes):
            if ranges and code == ranges[-1][-1] + 1:
                ranges[-1].append(code)
            else:
                ranges.append([code])
        parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in ranges]
        return f"alleen postcodes {', '.join(parts)}"


@dataclass(frozen=True)
class Vestiging:
    code: str
    naam: str
    gemeente: str
    postcode: str


@dataclass(frozen=True)
class Regions:
    """SWVs, current gemeenten, schoolvestigingen and how they relate."""

    swvs: Mapping[str, Swv]
    gemeenten: Mapping[str, Gemeente]
    vestigingen: Mapping[str, Vestiging]
    memberships: tuple[Membership, ...]
    """The indeling of today."""
    vestiging_swvs: Mapping[str, tuple[str, ...]]
    mergers: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Per current gemeente: the years (1 January) in which another gemeente merged into it,
    directly or through earlier mergers. Its series has a break there."""
    ended: tuple[Membership, ...] = ()
    """Earlier indelingen: a gemeente that belonged to another SWV until ``tot``."""

    @property
    def history(self) -> tuple[Membership, ...]:
        """Every indeling, today's and the ended ones: the SWV sums count each year by it."""
        return self.memberships + self.ended

    def swvs_of(self, gemeente: str) -> tuple[Membership, ...]:
        return self._today_by_gemeente.get(gemeente, ())

    def gemeenten_of(self, swv: str) -> tuple[Membership, ...]:
        return self._today_by_swv.get(swv, ())

    def former_gemeenten_of(self, swv: str) -> tuple[Membership, ...]:
        """The gemeenten that belonged to the SWV before and no longer do, even in part."""
        now = {m.gemeente for m in self.gemeenten_of(swv)}
        ended = self._ended_by_swv.get(swv, ())
        return _last_of_each(m for m in ended if m.gemeente not in now)

    def former_swvs_of(self, gemeente: str) -> tuple[Membership, ...]:
        """The SWVs the gemeente belonged to before and no longer does, even in part."""
        now = {m.swv for m in self.swvs_of(gemeente)}
        ended = self._ended_by_gemeente.get(gemeente, ())
        return _last_of_each(m for m in ended if m.swv not in now)

    # Indexed once: every SWV and gemeente page, map and search entry asks for its own, and a
    # scan of all memberships each time made the site grow with the square of its size.
    @cached_property
    def _today_by_gemeente(self) -> dict[str, tuple[Membership, ...]]:
        return _grouped(self.memberships, "gemeente")

    @cached_property
    def _today_by_swv(self) -> dict[str, tuple[Membership, ...]]:
        return _grouped(self.memberships, "swv")

    @cached_property
    def _ended_by_gemeente(self) -> dict[str, tuple[Membership, ...]]:
        return _grouped(self.ended, "gemeente")

    @cached_property
    def _ended_by_swv(self) -> dict[str, tuple[Membership, ...]]:
        return _grouped(self.ended, "swv")

    def since(self, membership: Membership) -> str:
        """``sinds 2024`` for a gemeente that joined the SWV after the first indeling;
        ``tot 2024`` for one that left it."""
        if membership.tot is not None:
            return f"tot {membership.tot}"
        return "" if membership.first else f"sinds {membership.vanaf}"


def _grouped(
    memberships: tuple[Membership, ...], by: Literal["gemeente", "swv"]
) -> dict[str, tuple[Membership, ...]]:
    """The memberships per gemeente or per SWV, each group in the order of ``memberships``."""
    groups: dict[str, list[Membership]] = {}
    for m in memberships:
        groups.setdefault(getattr(m, by), []).append(m)
    return {code: tuple(group) for code, group in groups.items()}


def _last_of_each(memberships: Iterable[Membership]) -> tuple[Membership, ...]:
    """Per gemeente and SWV the membership that ended last."""
    last: dict[tuple[str, str], Membership] = {}
    for m in sorted(memberships, key=lambda m: (m.gemeente, m.swv, m.tot or 0)):
        last[(m.gemeente, m.swv)] = m
    return tuple(last.values())


@dataclass(frozen=True, eq=False)
class View:
    """One table the site publishes, for every entity of one level at once (unmasked).

    ``entity`` is the column holding the SWV or gemeente code; the dataset level has none.
    The frame's columns are exactly ``fields``, key columns first.
    """

    dataset: str
    resource: str
    level: Level
    entity: str | None
    fields: tuple[FieldInfo, ...]
    key: tuple[str, ...]
    frame: pd.DataFrame


@dataclass(frozen=True, eq=False)
class ViewCells:
    """Which cell of the ``CellModel`` each count of one view is (-1: no number there)."""

    key: tuple[str, ...]
    keys: pd.DataFrame
    """The view's key columns as text (categorical: few distinct values), one row per view row."""
    cells: Mapping[str, Any]
    """Count column → numpy array of cell indices, one per view row."""
    derived_inputs: Mapping[str, tuple[str, ...]]
    """Columns computed from others in the same row, not linearly (percentages, flags)."""
    rounded: Mapping[str, int] = field(default_factory=dict)
    """Columns of counts the source rounded (column → rounding): not cells of the model;
    the audit checks that every value shown there is such a rounded count."""


@dataclass(frozen=True, eq=False)
class CellModel:
    """Every count the site publishes, as a linear form over the source's base cells.

    ``forms`` is a sparse (cells × base cells) integer matrix and ``values`` the true value of
    each cell. ``relations`` pairs a total with the cells it sums; ``dependents`` pairs a
    derived signed sum (verzuim *actueel*) with its input cells, which the privacy rule of the
    package ties to it (suppressed when an input is). ``names`` name each cell by where it is
    first published; they are stable between releases, for the publication ledger.
    """

    forms: Any
    values: Any
    names: Sequence[str]
    base_names: Sequence[str]
    """Kept packed (``memory.PackedTexts``): read them in order where you read many."""
    relations: tuple[tuple[int, tuple[int, ...]], ...]
    dependents: tuple[tuple[int, tuple[int, ...]], ...]
    views: Mapping[tuple[str, str, Level], ViewCells]
    facts: Any
    """Bool array: cells no page shows but everyone knows (value 0: a signed sum minus its slack
    base cell), so that the attacker's knowledge that such a sum is never negative is modelled."""


class _MaskingKey:
    """Only the privacy stage holds the key that constructs masked values."""


MASKING_KEY = _MaskingKey()


@dataclass(frozen=True, eq=False)
class MaskedView:
    """A view after suppression: suppressed cells are missing (``pd.NA``), never a number.

    It carries the view's description but not its unmasked frame. ``hidden`` is True for every
    cell the reader must see as suppressed (by us, or a count already suppressed at the source);
    a missing value that is not hidden is "not applicable". Only ``privacy`` holds the key that
    constructs these; every stage that writes into the site accepts nothing else.
    """

    dataset: str
    resource: str
    level: Level
    entity: str | None
    fields: tuple[FieldInfo, ...]
    key: tuple[str, ...]
    frame: pd.DataFrame
    hidden: pd.DataFrame
    masking_key: _MaskingKey = field(repr=False)

    def __post_init__(self) -> None:
        if self.masking_key is not MASKING_KEY:
            raise TypeError("MaskedView is made by the privacy stage only")

    def by_entity(self) -> dict[str, MaskedView]:
        """The rows of each entity, still masked."""
        return {code: self.rows(positions) for code, positions in self.entity_rows().items()}

    def entity_rows(self) -> dict[str, np.ndarray]:
        """The positions of each entity's rows, found in one pass (the rows stay where they
        are: ``rows`` takes one entity's when it is needed)."""
        if self.entity is None:
            return {}
        groups = self.frame.groupby(self.entity, sort=True, observed=True).indices
        return {str(code): np.asarray(positions) for code, positions in groups.items()}

    def rows(self, positions: np.ndarray) -> MaskedView:
        """The rows at ``positions``, still masked, their codes categorical over theirs alone."""
        frame = _own_categories(self.frame.take(positions).reset_index(drop=True))
        return self._with(frame, self.hidden.take(positions).reset_index(drop=True))

    def subset(self, rows: pd.Series, measures: tuple[str, ...]) -> MaskedView:
        """The chosen rows with the key columns and the given measures, still masked."""
        columns = [f.name for f in self.fields if f.name in self.key or f.name in measures]
        frame = self.frame.loc[rows, columns].reset_index(drop=True)
        hidden = self.hidden.loc[rows, columns].reset_index(drop=True)
        return replace(self._with(frame, hidden), fields=self._fields_of(columns))

    def _fields_of(self, columns: list[str]) -> tuple[FieldInfo, ...]:
        return tuple(f for f in self.fields if f.name in columns)

    def _with(self, frame: pd.DataFrame, hidden: pd.DataFrame) -> MaskedView:
        return MaskedView(
            self.dataset,
            self.resource,
            self.level,
            self.entity,
            self.fields,
            self.key,
            frame,
            hidden,
            self.masking_key,
        )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts of plain Python values by column name (missing values as
    ``pd.NA`` or NaN, as in the frame): ``to_dict("records")`` at a third of its cost."""
    names = [str(c) for c in frame.columns]
    columns = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def missing(value: object) -> bool:
    """Whether one value of a column (from ``Series.tolist()``) is missing: NA, None or NaN.
    As ``pd.isna`` on a single value, at a fraction of its cost on a million cells."""
    return value is pd.NA or value is None or value != value


def _own_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each categorical column's unused categories dropped. A page's rows would
    otherwise carry every code of the whole view: each page's data grew with the number of
    SWVs and gemeenten, and so did pickling it for the page cache and every pass over it."""
    categorical = [c for c, kind in frame.dtypes.items() if isinstance(kind, pd.CategoricalDtype)]
    if not categorical:
        return frame
    return frame.assign(**{str(c): frame[c].cat.remove_unused_categories() for c in categorical})


@dataclass(frozen=True, eq=False)
class EarlierReleases:
    """What the publication ledger fixes for this build, per cell of the ``CellModel``."""

    published: Any
    """Bool array: published before with the same form and value; known to everyone."""
    suppressed: Any
    """Bool array: suppressed before; stays suppressed."""


@dataclass(frozen=True)
class PrivacyFigures:
    """The protection of one build in numbers, over distinct cells (for the privacy page)."""

    cells: int
    published: int
    primary: int
    derived: int
    """Hidden because an input is (verzuim *actueel*), not small themselves."""
    secondary: int
    secondary_sum: int
    rounds: int


@dataclass(frozen=True, eq=False)
class Masked:
    """Every published view, masked, by (dataset, resource, level).

    ``suppressed`` and ``published`` count table cells as shown (a cell on three pages counts
    three times); ``figures`` counts distinct cells.
    """

    views: Mapping[tuple[str, str, Level], MaskedView]
    suppressed: int
    published: int
    figures: PrivacyFigures


@dataclass(frozen=True, eq=False)
class Chart:
    """One chart: its Vega-Lite spec (data embedded), title, text alternative and its data."""

    slug: str
    title: str
    description: str
    spec: dict[str, Any]
    data: MaskedView | None
    """Exactly the rows and the measure the chart draws, for its own CSV download (a map
    has none: it shows names only)."""
    spec_json: str = field(init=False, repr=False)
    """The spec as the site writes it (made once: the SVG cache, the writer and tests use it)."""
    digest: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # no indent: only then does json use its C encoder (ten times faster on 1,800 specs)
        text = json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        object.__setattr__(self, "spec_json", text)
        object.__setattr__(self, "digest", hashlib.sha256(text.encode()).hexdigest())
