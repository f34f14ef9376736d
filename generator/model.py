"""The typed values that pass between the build stages.

Stages import this module (and ``config``), never each other; only ``build`` wires them.
Every value is frozen. Values that hold a pandas frame use ``eq=False``: they are compared by
identity, and their frames are never modified after construction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

Level = Literal["dataset", "swv", "gemeente"]
Sector = Literal["po", "vo"]


class InputError(Exception):
    """Bad input data: each line names file, row, field and the rule broken."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class FieldInfo:
    """One column of a table, with its Table Schema description.

    ``is_count`` marks counts of persons, which the privacy stage suppresses; ``inputs`` names
    the columns of the same row a derived value is computed from (empty for source columns).
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


@dataclass(frozen=True)
class Swv:
    code: str
    naam: str
    sector: Sector


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

    @property
    def is_split(self) -> bool:
        return bool(self.postcodes)


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
    vestiging_swvs: Mapping[str, tuple[str, ...]]

    def swvs_of(self, gemeente: str) -> tuple[Membership, ...]:
        return tuple(m for m in self.memberships if m.gemeente == gemeente)

    def gemeenten_of(self, swv: str) -> tuple[Membership, ...]:
        return tuple(m for m in self.memberships if m.swv == swv)


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
        """The rows of each entity, still masked, split in one pass."""
        if self.entity is None:
            return {}
        groups = self.frame.groupby(self.entity, sort=True, observed=True)
        return {
            str(code): self._with(
                part.reset_index(drop=True), self.hidden.loc[part.index].reset_index(drop=True)
            )
            for code, part in groups
        }

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


@dataclass(frozen=True, eq=False)
class Masked:
    """Every published view, masked, by (dataset, resource, level)."""

    views: Mapping[tuple[str, str, Level], MaskedView]
    suppressed: int
    published: int


@dataclass(frozen=True, eq=False)
class Chart:
    """One chart: its Vega-Lite spec (data embedded), title and text alternative."""

    slug: str
    title: str
    description: str
    spec: dict[str, Any]

    @property
    def spec_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, sort_keys=True, indent=1)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.spec_json.encode()).hexdigest()
