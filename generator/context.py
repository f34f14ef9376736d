"""The template data of each page kind: documented, frozen dataclasses.

The pages stage makes these from masked views only; templates only loop and format.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Chart, Gemeente, MaskedView, Sector, Swv

CHART_CSV_SUFFIX = ".grafiek.csv"


@dataclass(frozen=True)
class Link:
    """A link with its visible text; ``url`` is relative to the site root."""

    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Cell:
    """One table cell: the value, how to format it, and whether it is suppressed.

    ``kind`` is one of: text, count, rounded, integer, percent, euro, number, boolean.
    A suppressed cell has ``value`` None and shows the neutral mark.
    """

    value: object
    kind: str
    suppressed: bool = False
    rounding: int = 0
    """For kind ``rounded``: the source's rounding (a 0 is shown as ``< 5``)."""


@dataclass(frozen=True)
class TableDisplay:
    """A data table: caption, column headers, rows; the first ``row_headers`` cells head a row."""

    caption: str
    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: int
    has_suppressed: bool
    transposed: bool = False
    fields: tuple[str, ...] = ()
    """The field name of each column (of each row when transposed), for the audit and reusers."""
    source: str = ""
    """The CSV file beside the page that holds exactly this table's data."""

    @property
    def is_long(self) -> bool:
        """Long tables are folded in a disclosure; a Veld / Waarde table never is."""
        return len(self.rows) > 12 and not self.transposed


@dataclass(frozen=True)
class MapFile:
    """A map (or chart) written beside its page as ``<base>.svg`` and ``<base>.vl.json``."""

    chart: Chart
    base: str

    @property
    def svg_file(self) -> str:
        return f"{self.base}.svg"

    @property
    def spec_file(self) -> str:
        return f"{self.base}.vl.json"


@dataclass(frozen=True)
class ChartFile(MapFile):
    """A chart of a table: besides its SVG and spec also ``<base>.png``,
    ``<base>.grafiek.csv`` (exactly the chart's data) and ``<base>.html`` (for an iframe)."""

    @property
    def png_file(self) -> str:
        return f"{self.base}.png"

    @property
    def csv_file(self) -> str:
        return f"{self.base}{CHART_CSV_SUFFIX}"

    @property
    def embed_file(self) -> str:
        return f"{self.base}.html"


@dataclass(frozen=True)
class TableFile:
    """A masked table written beside its page as CSV."""

    masked: MaskedView
    csv_file: str
    title: str
    description: str


@dataclass(frozen=True)
class Block:
    """One resource's view on a page: its chart (if any), its table and its CSV."""

    heading: str
    table: TableDisplay
    chart: ChartFile | None
    download: TableFile
    method: str = ""
    """How the figures were made, shown under the heading (the comparison groups)."""


@dataclass(frozen=True)
class Section:
    """One dataset on an SWV or gemeente page; ``empty`` explains in words why it has no data."""

    title: str
    url: str
    blocks: tuple[Block, ...]
    empty: str = ""
    edition: str = ""
    """Version, latest peiljaar and publication date of the data shown."""


@dataclass(frozen=True)
class SwvPage:
    """Template data of ``/swv/<code>/``."""

    swv: Swv
    gemeenten: tuple[Link, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class GemeentePage:
    """Template data of ``/gemeente/<code>/``."""

    gemeente: Gemeente
    swvs: tuple[Link, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class MetaRow:
    """One row of the Veld / Waarde metadata table; ``url`` makes the value a link."""

    veld: str
    waarde: str
    url: str = ""


@dataclass(frozen=True)
class FieldRow:
    """One field of a resource as shown on its dataset page."""

    name: str
    title: str
    type: str
    description: str
    derived: bool


@dataclass(frozen=True)
class ResourceInfo:
    """One resource of a dataset: its description, fields and full masked download."""

    title: str
    description: str
    fields: tuple[FieldRow, ...]
    download: TableFile


@dataclass(frozen=True)
class DatasetPage:
    """Template data of ``/datasets/<name>/``."""

    name: str
    title: str
    description_html: str
    meta: tuple[MetaRow, ...]
    resources: tuple[ResourceInfo, ...]
    changelog: tuple[MetaRow, ...]
    description: str = ""
    """The descriptor's one-paragraph description, plain text (the page's meta description)."""
    json_ld: str = ""
    """schema.org ``Dataset`` as JSON, safe inside ``<script>``: no raw ``<``, ``>`` or ``&``."""


@dataclass(frozen=True)
class SwvEntry:
    """An SWV in the indexes: its page, the provincies and gemeenten of its region."""

    code: str
    naam: str
    sector: Sector
    url: str
    provincies: tuple[str, ...]
    gemeenten: tuple[Link, ...]
    """Its gemeenten by name; ``note`` names the postcodes when only part of one belongs."""


@dataclass(frozen=True)
class GemeenteEntry:
    """A gemeente in the indexes: its page, provincie and the SWVs it belongs to."""

    code: str
    naam: str
    provincie: str
    url: str
    swvs: tuple[Link, ...]
    """Its po and vo SWVs by code; ``note`` names the postcodes when only part belongs."""


@dataclass(frozen=True)
class Provincie:
    """A provincie with its gemeenten by name; ``anchor`` is its id on the gemeente list."""

    naam: str
    anchor: str
    gemeenten: tuple[GemeenteEntry, ...]


@dataclass(frozen=True)
class IndexPage:
    """Template data of the home page, the ``/swv/`` and ``/gemeente/`` lists and ``/zoeken/``."""

    swvs_po: tuple[Link, ...]
    swvs_vo: tuple[Link, ...]
    gemeenten: tuple[Link, ...]
    datasets: tuple[Link, ...]
    swv_index: tuple[SwvEntry, ...] = ()
    """Every SWV by code with the provincies and gemeenten of its region."""
    gemeente_index: tuple[GemeenteEntry, ...] = ()
    """Every gemeente by name with its SWVs: the gemeente → SWV lookup."""
    provincies: tuple[Provincie, ...] = ()
    """The same gemeenten grouped by provincie."""


@dataclass(frozen=True)
class ContentPage:
    """Template data of a Markdown page from ``content/``, with facts of this build if any."""

    html: str
    facts_title: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    """(what, figure) rows, shown as a table after the text (the privacy page's figures)."""


@dataclass(frozen=True, eq=False)
class Page:
    """One page of the site plan: where it goes, which template, what it shows and offers.

    ``data`` is the page kind's template data; ``tables`` and ``charts`` are the files written
    beside the page (its downloads).
    """

    url: str
    template: str
    title: str
    data: object
    breadcrumbs: tuple[Link, ...] = ()
    tables: tuple[TableFile, ...] = ()
    charts: tuple[ChartFile, ...] = ()
    maps: tuple[MapFile, ...] = ()
    citation: str = ""
    """How to cite the page's data; set on pages with downloads."""

    @property
    def download_name(self) -> str:
        """The name of the page's ``datapackage.json`` and zip: ``swv-po2001``."""
        return self.url.strip("/").replace("/", "-").lower() or "site"

    @property
    def zip_file(self) -> str:
        return f"{self.download_name}.zip"
