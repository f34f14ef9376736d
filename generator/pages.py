"""Stage 8, pages: the site plan, the ``Page``s with their template data and downloads.

Reads the Catalog (metadata only), the Regions, the ``Masked`` views and the Markdown content;
yields every page of the site, one at a time. All table data comes from masked views. Charts
are made by the function the build passes in, so this stage does not depend on the charts
stage.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import markdown
import numpy as np
import pandas as pd

from generator import bundles, config, dutch, lookup
from generator.context import (
    Block,
    Cell,
    ChartFile,
    ContentPage,
    DatasetPage,
    FieldRow,
    GemeentePage,
    IndexPage,
    Link,
    MetaRow,
    Page,
    ResourceInfo,
    Section,
    SwvPage,
    TableDisplay,
    TableFile,
)
from generator.model import (
    Catalog,
    Chart,
    FieldInfo,
    Level,
    Masked,
    MaskedView,
    Membership,
    Package,
    PrivacyFigures,
    Regions,
    Resource,
    missing,
)

ChartMaker = Callable[[MaskedView, Mapping[str, str]], Chart | None]

HOME = Link("Home", "")
SECTOR_LABEL = {"po": "primair onderwijs", "vo": "voortgezet onderwijs"}


def site_plan(
    catalog: Catalog, regions: Regions, masked: Masked, make_chart: ChartMaker, content: Path
) -> Iterator[Page]:
    """Reads metadata, regions, masked views and content; yields every page of the site.

    One page at a time, each made when it is asked for: the build writes a page and lets it go
    before it makes the next, so the site's tables and charts are never in memory all at once.
    """
    entities = _Entities(
        catalog, regions, _split_views(masked), make_chart, _display_names(regions)
    )
    made: Iterator[Page] = itertools.chain(
        (_home(catalog, regions), *_lists(regions), _search_page(catalog, regions)),
        (_swv_page(code, entities) for code in regions.swvs),
        (_gemeente_page(code, entities) for code in regions.gemeenten),
        (_dataset_page(p, masked, content) for p in catalog.datasets),
        (_content_page(name, content) for name in config.CONTENT_PAGES),
    )
    for page in made:
        yield _with_citation(_with_privacy_figures(page, masked.figures), catalog)


def _with_citation(page: Page, catalog: Catalog) -> Page:
    if not page.tables:
        return page
    used = (catalog.packages[t.masked.dataset] for t in page.tables)
    return replace(page, citation=bundles.citation(page.title, page.url, used))


def _with_privacy_figures(page: Page, figures: PrivacyFigures) -> Page:
    """The privacy page states the protection of this release in figures."""
    if page.url != config.content_url("privacy"):
        return page
    facts = (
        ("Verschillende getallen (cellen) in alle tabellen, grafieken en downloads", figures.cells),
        ("Daarvan gepubliceerd", figures.published),
        ("Verborgen omdat het aantal 1 tot en met 4 is (regel 1)", figures.primary),
        ("Verborgen omdat ze berekend zijn uit een verborgen getal", figures.derived),
        ("Extra verborgen zodat niets terug te rekenen is (regel 2)", figures.secondary),
        ("Som van die extra verborgen getallen", figures.secondary_sum),
    )
    assert isinstance(page.data, ContentPage)
    data = replace(
        page.data,
        facts_title="De bescherming van deze versie in cijfers",
        facts=tuple((what, dutch.getal(n)) for what, n in facts),
    )
    return replace(page, data=data)


def _display_names(regions: Regions) -> dict[str, str]:
    names = {code: g.naam for code, g in regions.gemeenten.items()}
    names.update({code: v.naam for code, v in regions.vestigingen.items()})
    names.update({code: s.naam for code, s in regions.swvs.items()})
    return names


SplitViews = dict[Level, list[tuple[MaskedView, dict[str, np.ndarray]]]]


@dataclass(frozen=True)
class _Entities:
    """What every SWV and gemeente page is made from."""

    catalog: Catalog
    regions: Regions
    split: SplitViews
    make_chart: ChartMaker
    names: Mapping[str, str]


def _split_views(masked: Masked) -> SplitViews:
    """Per level, each masked view with the positions of each entity's rows (one pass per
    view; a page takes its rows when it is made)."""
    split: SplitViews = {"swv": [], "gemeente": [], "dataset": []}
    for (_, _, level), view in sorted(masked.views.items()):
        split[level].append((view, view.entity_rows()))
    return split


def _home(catalog: Catalog, regions: Regions) -> Page:
    data = _index(catalog, regions)
    return Page("", "index.html", config.SITE_NAME, data)


def _lists(regions: Regions) -> list[Page]:
    data = _index(None, regions)
    return [
        Page("swv/", "swv_list.html", "Samenwerkingsverbanden", data, (HOME,)),
        Page("gemeente/", "gemeente_list.html", "Gemeenten", data, (HOME,)),
    ]


def _search_page(catalog: Catalog, regions: Regions) -> Page:
    """The target of the search forms: without JavaScript it lists every SWV and gemeente."""
    return Page(config.SEARCH_URL, "zoeken.html", "Zoeken", _index(catalog, regions), (HOME,))


def _index(catalog: Catalog | None, regions: Regions) -> IndexPage:
    swvs = sorted(regions.swvs.values(), key=lambda s: s.code)
    gemeenten = lookup.gemeente_entries(regions)
    return IndexPage(
        swvs_po=tuple(_swv_link(s.code, regions) for s in swvs if s.sector == "po"),
        swvs_vo=tuple(_swv_link(s.code, regions) for s in swvs if s.sector == "vo"),
        gemeenten=tuple(
            Link(g.naam, config.gemeente_url(g.code), g.provincie)
            for g in sorted(regions.gemeenten.values(), key=lambda g: (g.naam, g.code))
        ),
        datasets=tuple(
            Link(p.title, config.dataset_url(p.name), str(p.descriptor.get("description", "")))
            for p in (catalog.datasets if catalog else ())
        ),
        swv_index=lookup.swv_entries(regions),
        gemeente_index=gemeenten,
        provincies=lookup.provincies(gemeenten),
    )


def _swv_link(code: str, regions: Regions, note: str = "") -> Link:
    swv = regions.swvs[code]
    return Link(swv.label, config.swv_url(code), note)


def _swv_page(code: str, entities: _Entities) -> Page:
    regions = entities.regions
    swv = regions.swvs[code]
    gemeenten = tuple(
        Link(regions.gemeenten[m.gemeente].naam, config.gemeente_url(m.gemeente), _note(m, regions))
        for m in regions.gemeenten_of(code) + regions.former_gemeenten_of(code)
    )
    empty = "" if gemeenten else "Dit samenwerkingsverband is landelijk en heeft geen eigen regio."
    sections = tuple(_sections(code, "swv", entities, empty))
    data = SwvPage(swv=swv, gemeenten=gemeenten, sections=sections)
    crumbs = (HOME, Link("Samenwerkingsverbanden", "swv/"), _sector_crumb(swv.sector))
    return _entity_page(config.swv_url(code), "swv.html", swv.label, data, crumbs)


def _gemeente_page(code: str, entities: _Entities) -> Page:
    regions = entities.regions
    gemeente = regions.gemeenten[code]
    swvs = tuple(
        _swv_link(m.swv, regions, _note(m, regions))
        for m in regions.swvs_of(code) + regions.former_swvs_of(code)
    )
    sections = tuple(_sections(code, "gemeente", entities, ""))
    data = GemeentePage(gemeente=gemeente, swvs=swvs, sections=sections)
    provincie = Link(gemeente.provincie, lookup.provincie_url(gemeente.provincie))
    crumbs = (HOME, Link("Gemeenten", "gemeente/"), provincie)
    return _entity_page(config.gemeente_url(code), "gemeente.html", gemeente.naam, data, crumbs)


def _note(membership: Membership, regions: Regions) -> str:
    """What a region list says beside a member: its postcodes if split, since when if later,
    until when if it no longer belongs."""
    return "; ".join(part for part in (membership.note, regions.since(membership)) if part)


def _sector_crumb(sector: str) -> Link:
    return Link(SECTOR_LABEL[sector].capitalize(), f"swv/#{sector}")


def _entity_page(
    url: str, template: str, title: str, data: SwvPage | GemeentePage, crumbs: tuple[Link, ...]
) -> Page:
    blocks = [b for s in data.sections for b in s.blocks]
    charts = tuple(b.chart for b in blocks if b.chart)
    return Page(
        url,
        template,
        title,
        data,
        crumbs,
        tables=tuple(b.download for b in blocks) + tuple(_chart_download(c) for c in charts),
        charts=charts,
    )


def _chart_download(chart: ChartFile) -> TableFile:
    title = f"Grafiek: {chart.chart.title}"
    description = f"Precies de cijfers van de grafiek ‘{chart.chart.title}’."
    assert chart.chart.data is not None, "a chart of a table has the table's rows"
    return TableFile(chart.chart.data, chart.csv_file, title, description)


def _sections(code: str, level: Level, entities: _Entities, reason: str) -> Iterator[Section]:
    names = entities.names
    for package in entities.catalog.datasets:
        views = [(v, rows) for v, rows in entities.split[level] if v.dataset == package.name]
        if not views:
            continue
        single = len(package.resources) == 1
        blocks = tuple(
            _block(view.rows(rows[code]), package, entities.make_chart, names, single)
            for view, rows in views
            if code in rows
        )
        empty = "" if blocks else _no_data(package, names.get(code, code), reason)
        edition = _edition(package, [b.download.masked for b in blocks])
        yield Section(package.title, config.dataset_url(package.name), blocks, empty, edition)


PERIOD_FIELDS = ("peiljaar", "schooljaar")


def _edition(package: Package, shown: list[MaskedView]) -> str:
    """Which data the section shows: dataset version, latest period, publication date."""
    parts = [f"Versie {package.version}"]
    periods = [
        str(value)
        for masked in shown
        for name in PERIOD_FIELDS
        if name in masked.frame.columns
        for value in masked.frame[name].dropna().unique()
    ]
    if periods:
        parts.append(f"laatste peiljaar {max(periods)}")
    if package.release_dates:
        parts.append(f"gepubliceerd op {dutch.datum(package.release_dates[-1])}")
    return " · ".join(parts)


def _no_data(package: Package, entity: str, reason: str) -> str:
    sentence = f"Voor {entity} zijn er geen cijfers in de dataset ‘{package.title}’."
    return f"{sentence} {reason}".strip()


def _block(
    masked: MaskedView,
    package: Package,
    make_chart: ChartMaker,
    names: Mapping[str, str],
    single: bool,
) -> Block:
    resource = package.resources[masked.resource]
    filename = config.csv_name(package.name, resource.name, single)
    chart = make_chart(masked, names)
    chart_file = None
    if chart is not None:
        chart_file = ChartFile(chart, filename.removesuffix(".csv"))
    return Block(
        heading=resource.title,
        table=table_display(masked, resource.title, names, filename),
        chart=chart_file,
        download=TableFile(masked, filename, resource.title, resource.description),
        method=_method(resource, masked.level),
    )


def _method(resource: Resource, level: Level) -> str:
    """How the figures were made: the comparison groups, or the resource's note for a level."""
    if resource.name == config.COMPARISON_RESOURCE:
        return resource.description
    return resource.notes.get(level, "")


def table_display(
    masked: MaskedView, caption: str, names: Mapping[str, str], source: str
) -> TableDisplay:
    """A masked view as a display table; a single row is shown as Veld / Waarde."""
    fields = [f for f in masked.fields if f.name != masked.entity]
    if len(masked.frame) == 1 and len(masked.key) <= 1:
        return _transposed(masked, fields, caption, source)
    headers = [f.title for f in fields]
    columns = [
        _column_cells(
            f, masked.frame[f.name].tolist(), masked.hidden[f.name].tolist(), masked, names
        )
        for f in fields
    ]
    rows = tuple(zip(*columns, strict=True))
    return TableDisplay(
        caption=caption,
        headers=tuple(headers),
        numeric=tuple(f.name not in masked.key and f.type != "string" for f in fields),
        rows=rows,
        row_headers=sum(1 for f in fields if f.name in masked.key),
        has_suppressed=any(c.suppressed for row in rows for c in row),
        fields=tuple(f.name for f in fields),
        source=source,
    )


def _transposed(
    masked: MaskedView, fields: list[FieldInfo], caption: str, source: str
) -> TableDisplay:
    row, hide = masked.frame.iloc[0], masked.hidden.iloc[0]
    rows = tuple(
        (Cell(f.title, "text"), _cell(f, row[f.name], bool(hide[f.name]), False, {}))
        for f in fields
    )
    return TableDisplay(
        caption=caption,
        headers=("Veld", "Waarde"),
        numeric=(False, True),
        rows=rows,
        row_headers=1,
        has_suppressed=any(c.suppressed for _, c in rows),
        transposed=True,
        fields=tuple(f.name for f in fields),
        source=source,
    )


def _column_cells(
    field: FieldInfo,
    values: list[Any],
    hidden: list[bool],
    masked: MaskedView,
    names: Mapping[str, str],
) -> list[Cell]:
    """One column's display cells, top to bottom."""
    if field.name in masked.key:
        return [_key_cell(field, value, names) for value in values]
    kind = _kind(field)
    return [
        Cell(None, kind, suppressed=True)
        if hide
        else Cell(None, kind)
        if missing(value)
        else Cell(value, kind, rounding=field.rounding)
        for value, hide in zip(values, hidden, strict=True)
    ]


def _key_cell(field: FieldInfo, value: Any, names: Mapping[str, str]) -> Cell:
    text = str(value)
    label = names.get(text) or field.label(text)
    return Cell(label if label == text else f"{label} ({text})", "text")


def _cell(
    field: FieldInfo, value: Any, hidden: bool, is_key: bool, names: Mapping[str, str]
) -> Cell:
    """A display cell; a missing value that is not hidden is "not applicable" (shown as –)."""
    if is_key:
        return _key_cell(field, value, names)
    if hidden:
        return Cell(None, _kind(field), suppressed=True)
    if pd.isna(value):
        return Cell(None, _kind(field))
    return Cell(value, _kind(field), rounding=field.rounding)


def _kind(field: FieldInfo) -> str:
    if field.rounding:
        return "rounded"
    if field.is_count:
        return "count"
    if field.unit in ("euro", "procent"):
        return "euro" if field.unit == "euro" else "percent"
    return {"integer": "integer", "number": "number", "boolean": "boolean"}.get(field.type, "text")


def _dataset_page(package: Package, masked: Masked, content: Path) -> Page:
    single = len(package.resources) == 1
    resources = tuple(
        _resource_info(package, masked.views[(package.name, name, "dataset")], single)
        for name in package.resources
    )
    url = config.dataset_url(package.name)
    data = DatasetPage(
        name=package.name,
        title=package.title,
        description_html=_markdown_file(content / "datasets" / f"{package.name}.md"),
        meta=metadata_rows(package),
        resources=resources,
        changelog=tuple(
            MetaRow(f"{c['version']} ({c['date']})", c["description"])
            for c in package.descriptor.get("changelog", [])
        ),
        description=str(package.descriptor.get("description", "")),
        json_ld=_schema_org(package, url, resources),
    )
    crumbs = (HOME, Link("Datasets", "#datasets"))
    return Page(
        url,
        "dataset.html",
        package.title,
        data,
        crumbs,
        tables=tuple(r.download for r in resources),
    )


def _schema_org(package: Package, url: str, resources: tuple[ResourceInfo, ...]) -> str:
    """schema.org ``Dataset`` for search engines, escaped to sit inside ``<script>``."""
    d, site = package.descriptor, config.SITE_URL
    dates = package.release_dates
    files = [(r.title, r.download.csv_file, "text/csv") for r in resources]
    files.append(("datapackage.json", "datapackage.json", "application/json"))
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": package.title,
        "description": str(d.get("description", "")),
        "url": site + url,
        "identifier": site + url + "#dataset",
        "version": package.version,
        "inLanguage": "nl",
        "keywords": list(d.get("keywords", [])),
        "license": (d.get("licenses") or [{}])[0].get("path", ""),
        "isAccessibleForFree": True,
        "creator": _organisation(_contributor(d, "author")),
        "maintainer": _organisation(_contributor(d, "maintainer")),
        "isBasedOn": [s["path"] for s in d.get("sources", []) if s.get("path")],
        "datePublished": dates[0] if dates else "",
        "dateModified": dates[-1] if dates else "",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "contentUrl": site + url + file,
                "encodingFormat": kind,
            }
            for name, file, kind in files
        ],
    }
    text = json.dumps({k: v for k, v in dataset.items() if v}, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _organisation(contributor: Mapping[str, str]) -> dict[str, str]:
    found = {"name": contributor.get("title", ""), "email": contributor.get("email", "")}
    return {"@type": "Organization", **found} if found["name"] else {}


def _resource_info(package: Package, masked: MaskedView, single: bool) -> ResourceInfo:
    resource = package.resources[masked.resource]
    filename = config.csv_name(package.name, resource.name, single)
    return ResourceInfo(
        title=resource.title,
        description=resource.description,
        fields=tuple(
            FieldRow(f.name, f.title, f.type, f.description, f.derived) for f in resource.fields
        ),
        download=TableFile(masked, filename, resource.title, resource.description),
    )


def metadata_rows(package: Package) -> tuple[MetaRow, ...]:
    """The Veld / Waarde table of the source documentation, from the package descriptor."""
    d = package.descriptor
    author = _contributor(d, "author")
    maintainer = _contributor(d, "maintainer")
    sources = d.get("sources", [])
    licence = (d.get("licenses") or [{}])[0]
    privacy = d.get("privacy", {})
    return (
        MetaRow("Bron", "; ".join(s.get("title", "") for s in sources), _first_path(sources)),
        MetaRow("Versie", package.version),
        MetaRow("Auteur", author.get("title", "")),
        MetaRow("Auteur e-mail", author.get("email", ""), _mailto(author)),
        MetaRow("Beheerder", maintainer.get("title", "")),
        MetaRow("Beheerder e-mail", maintainer.get("email", ""), _mailto(maintainer)),
        MetaRow("Peildatum", str(d.get("peildatum", ""))),
        MetaRow("Periode", str(d.get("periode", ""))),
        MetaRow("Licentie", licence.get("title", licence.get("name", "")), licence.get("path", "")),
        MetaRow("Privacyregel", str(privacy.get("regel", ""))),
    )


def _contributor(descriptor: Mapping[str, Any], role: str) -> dict[str, str]:
    for contributor in descriptor.get("contributors", []):
        if role in contributor.get("roles", [contributor.get("role")]):
            return dict(contributor)
    return {}


def _first_path(sources: list[dict[str, str]]) -> str:
    return sources[0].get("path", "") if sources else ""


def _mailto(contributor: Mapping[str, str]) -> str:
    return f"mailto:{contributor['email']}" if contributor.get("email") else ""


def _content_page(name: str, content: Path) -> Page:
    text = (content / f"{name}.md").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    data = ContentPage(html=_markdown(body))
    return Page(config.content_url(name), "content.html", title.lstrip("# ").strip(), data, (HOME,))


def _markdown_file(path: Path) -> str:
    return _markdown(path.read_text(encoding="utf-8")) if path.exists() else ""


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "toc", "attr_list"], output_format="html")
