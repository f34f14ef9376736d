"""The map of the build: every stage in order, wired by typed values.

packages → derive → regions → tables → cells → privacy → charts → svg → pages → render →
output, with the audit on the written site before it is swapped in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import (
    audit,
    catalogue,
    cells,
    charts,
    config,
    derive,
    downloads,
    ledger,
    lookup,
    output,
    packages,
    pages,
    privacy,
    render,
    svg,
    tables,
)
from generator import regions as regions_stage
from generator.context import Page
from generator.model import Catalog, CellModel, Masked, Regions, UnsafeSite, View


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: for the command line and the tests."""

    pages: int
    files: int
    suppressed: int
    published: int
    audit: audit.AuditReport


@dataclass(frozen=True)
class Inputs:
    """Everything the site is made from: validated data, its tables, their cells, the ledger."""

    catalog: Catalog
    regions: Regions
    views: tuple[View, ...]
    model: CellModel
    register: ledger.Ledger


def inputs(data_dir: Path) -> Inputs:
    """Reads and validates the data packages and the ledger; builds the tables and cells."""
    catalog = derive.derive(packages.load_catalog(data_dir))
    regions = regions_stage.regions(catalog)
    views = tables.tables(catalog, regions)
    model = cells.model(catalog, regions, views)
    return Inputs(catalog, regions, views, model, ledger.read(data_dir / ledger.FILE_NAME))


def protected(data: Inputs) -> Masked:
    """The views masked over the whole cell model, honouring earlier releases."""
    return privacy.mask(data.views, data.model, ledger.known(data.register, data.model))


def build(data_dir: Path, out_dir: Path, cache_dir: Path | None = None) -> BuildReport:
    """Builds the site from the data packages in ``data_dir`` into ``out_dir``, atomically.

    The written site is audited before it is swapped in; a site that fails is not published.
    """
    data = inputs(data_dir)
    catalog, regions = data.catalog, data.regions
    masked = protected(data)
    plan = pages.site_plan(catalog, regions, masked, charts.chart_for, config.CONTENT)
    rendered_svgs = svg.svgs(
        (c.chart for page in plan for c in page.charts), cache_dir or default_cache(out_dir)
    )
    demo = any(p.is_demo for p in catalog.packages.values())
    with output.staging(out_dir) as writer:
        for page in plan:
            _write_page(writer, page, catalog, rendered_svgs, demo)
        _write_static(writer)
        _write_site_files(writer, plan, catalog, regions)
        report = audit.audit(writer.root, data.model, data.register)
        if not report.passed:
            raise UnsafeSite(report.summary, report.failures)
    return BuildReport(len(plan), len(writer.written), masked.suppressed, masked.published, report)


def default_cache(out_dir: Path) -> Path:
    return out_dir.resolve().parent / ".cache" / "svg"


def _write_page(
    writer: output.SiteWriter, page: Page, catalog: Catalog, svgs: dict[str, str], demo: bool
) -> None:
    writer.write(config.page_file(page.url), render.render(page, demo))
    written = [(t, writer.write_table(page.url + t.csv_file, t.masked)) for t in page.tables]
    if written:
        name = page.url.strip("/").replace("/", "-").lower() or "site"
        descriptor = downloads.datapackage_json(name, page.title, written, catalog)
        writer.write(page.url + "datapackage.json", descriptor)
    for chart in page.charts:
        writer.write(page.url + chart.svg_file, svgs[chart.chart.digest])
        writer.write(page.url + chart.spec_file, chart.chart.spec_json + "\n")


def _write_static(writer: output.SiteWriter) -> None:
    for path in sorted(config.STATIC.rglob("*")):
        if path.is_file():
            writer.write("assets/" + path.relative_to(config.STATIC).as_posix(), path.read_bytes())


def _write_site_files(
    writer: output.SiteWriter, plan: tuple[Page, ...], catalog: Catalog, regions: Regions
) -> None:
    writer.write("404.html", render.render_not_found())
    writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.SITE_URL}sitemap.xml\n")
    writer.write("sitemap.xml", render.sitemap(plan))
    writer.write("catalogus.json", catalogue.catalogue_json(catalog, writer.root))
    datasets = ((p.name, p.title) for p in catalog.datasets)
    writer.write(config.SEARCH_INDEX, lookup.index_json(regions, datasets))
