"""The map of the build: every stage in order, wired by typed values.

packages → derive → regions → tables → cells → privacy → charts → svg → pages → render →
output, with the audit on the written site before it is swapped in.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np

from generator import (
    archive_pages,
    audit,
    bundles,
    catalogue,
    cells,
    charts,
    config,
    derive,
    downloads,
    incremental,
    ledger,
    lookup,
    maps,
    memory,
    output,
    packages,
    pages,
    privacy,
    render,
    svg,
    tables,
    timing,
)
from generator import regions as regions_stage
from generator.context import MapFile, Page, TableFile
from generator.model import (
    Catalog,
    CellModel,
    Chart,
    Masked,
    MaskedView,
    Regions,
    UnsafeSite,
    View,
)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: for the command line, the tests and the benchmark."""

    pages: int
    files: int
    suppressed: int
    published: int
    audit: audit.AuditReport
    unchanged: bool = False
    """Nothing changed since the last build of this folder: the site was kept as it was."""
    rendered: int = 0
    """Pages rendered in this build; the others were copied from the page cache."""
    stages: Mapping[str, timing.StageTime] = field(default_factory=dict)


@dataclass(frozen=True)
class Inputs:
    """Everything the site is made from: validated data, its tables, their cells, the ledger."""

    catalog: Catalog
    regions: Regions
    views: tuple[View, ...]
    model: CellModel
    register: ledger.Ledger
    shapes: dict[str, maps.Shape]


def inputs(
    data_dir: Path, stages: timing.Stages | None = None, checks_aside: bool = True
) -> Inputs:
    """Reads and validates the data packages and the ledger; builds the tables and cells.
    Unless ``checks_aside`` is false, large data is validated in a process of its own
    meanwhile (``packages.checked_meanwhile``)."""
    stages = stages or timing.Stages()
    with contextlib.ExitStack() as checking:
        with stages.stage("load"):
            catalog = checking.enter_context(packages.checked_meanwhile(data_dir, checks_aside))
            register = ledger.read(data_dir / ledger.FILE_NAME)
        with stages.stage("derive"):
            catalog = derive.derive(catalog)
        with stages.stage("tables"):
            regions = regions_stage.regions(catalog)
            views = tables.tables(catalog, regions)
        with stages.stage("cells"):
            model = cells.model(catalog, regions, views)
        with stages.stage("load"):
            shapes = maps.boundaries(data_dir, catalog)
            checking.close()  # waits for the checks of the data: raises what they found
    return Inputs(catalog, regions, views, model, register, shapes)


def protected(data: Inputs) -> Masked:
    """The views masked over the whole cell model, honouring earlier releases."""
    return privacy.mask(data.views, data.model, ledger.known(data.register, data.model))


def build(
    data_dir: Path,
    out_dir: Path,
    cache_dir: Path | None = None,
    *,
    full: bool = False,
    stages: timing.Stages | None = None,
    engine: list[float] | None = None,
) -> BuildReport:
    """Builds the site from the data packages in ``data_dir`` into ``out_dir``, atomically.

    The written site is audited before it is swapped in; a site that fails is not published.
    Unless ``full``, a site whose inputs and files are unchanged is kept as it is, and pages
    whose data did not change are copied from the cache in ``cache_dir``. ``stages`` records
    each stage's cost and ``engine`` the SVG renderer's seconds per chart (for the benchmark).
    """
    try:
        with memory.seldom_collected():
            return _build(data_dir, out_dir, cache_dir, full, stages or timing.Stages(), engine)
    finally:
        memory.thaw()


def _build(
    data_dir: Path,
    out_dir: Path,
    cache_dir: Path | None,
    full: bool,
    stages: timing.Stages,
    engine: list[float] | None,
) -> BuildReport:
    cache = incremental.Cache(cache_dir or default_cache(out_dir))
    with stages.stage("load"):
        digest = incremental.inputs_digest(data_dir)
        kept = None if full else cache.kept(digest, out_dir)
    if kept is not None:
        return _kept_report(kept, stages)
    data = inputs(data_dir, stages)
    regions = data.regions
    with contextlib.ExitStack() as stack:
        drawer = stack.enter_context(svg.Drawer(svg.cache_folder(cache.root), engine))
        with stages.stage("pages"):
            site_maps = maps.site_maps(regions, data.shapes)
        with stages.stage("svg"):  # the maps show no data: drawn while the data is protected
            drawer.submit_together(
                svg.Job(m.chart.digest, m.chart.spec_json, False)
                for made in site_maps.values()
                for m in made
            )
        with stages.stage("suppression"):
            masked = protected(data)
            catalog, register = data.catalog.without_rows(), data.register
            model = memory.Parked(data.model)  # only the audit reads it again
            del data  # the unmasked views, the packages' rows and the cell model go
            memory.settle()
        with stages.stage("pages"):
            make_chart = chart_maker_for(regions)
            chart_maker = drawing(drawer, stages, timed(stages, "charts", make_chart))
            plan = pages.site_plan(catalog, regions, masked, chart_maker, config.CONTENT)
            plan = maps.placed(plan, site_maps)
        demo = any(p.is_demo for p in catalog.packages.values())
        writer = stack.enter_context(output.staging(out_dir))
        salt = incremental.page_salt(catalog, demo)
        writing = PageWriter(writer, catalog, demo, stages)
        plan = itertools.chain(  # `archive` rewrites the archive's index with the releases
            timed_each(stages, "pages", plan), [archive_pages.index_page(())]
        )
        written = [writing.page(page, cache, None if full else salt) for page in plan]
        with stages.stage("write"):
            write_static(writer)
            write_site_files(writer, [w.url for w in written], catalog, regions)
        suppressed, published = masked.suppressed, masked.published
        # what made the pages goes before the audit reads the model back (at 10x: a gigabyte)
        del masked, plan, site_maps, writing, chart_maker, make_chart, catalog, regions
        # The charts are still being drawn: the audit reads the rest of the site meanwhile, with
        # one worker drawing on beside it (two would take more memory than the pages did).
        with stages.stage("svg"):
            drawer.narrow()
        with stages.stage("audit"):
            memory.thaw()  # what settle froze can be collected again
            memory.release()
            report = audit.audit(writer.root, model.value(), register, drawings=False)
            memory.release()  # the model read back goes before the workers start again
        if not report.passed:
            raise UnsafeSite(report.summary, report.failures)
        with stages.stage("svg"):
            drawer.widen()
        drawn_wrongly = _link_drawings(drawer, writer, written, stages)
        if drawn_wrongly:
            raise UnsafeSite(report.summary, tuple(drawn_wrongly))
        with stages.stage("write"):
            writer.write(svg.SCRIPT_FILE, svg.script(drawer.cache))
    result = BuildReport(
        len(written), len(writer.written), suppressed, published, report,
        rendered=sum(w.rendered for w in written), stages=stages.times,
    )  # fmt: skip
    cache.remember(digest, out_dir, writer.written, _remembered(result))
    return result


def _link_drawings(
    drawer: svg.Drawer, writer: output.SiteWriter, written: list[Written], stages: timing.Stages
) -> list[str]:
    """Waits for the drawings, linking each into the site and reading it back (the audit of
    the charts' SVGs) as it gets there; returns the audit's failures in them."""
    links, wrongly = ChartLinks(writer, written, drawer.cache), []
    link = timed(stages, "write", links.link)
    read_back = timed(stages, "audit", audit.drawn_wrongly)
    with stages.stage("svg"):
        drawer.finish(lambda drawn: wrongly.extend(read_back(writer.root, link(drawn))))
    links.check_all_linked()
    return wrongly


default_cache = incremental.default_cache


def chart_maker_for(
    regions: Regions, template: charts.Template | None = None
) -> Callable[[MaskedView, Mapping[str, str]], Chart | None]:
    """Makes each view's chart for a page, with the breaks of the regions' mergers and changes."""
    return functools.partial(
        charts.chart_for,
        mergers=regions.mergers,
        members=charts.swv_members(regions.history),
        changes=charts.region_changes(regions.history),
        template=template,
    )


def timed_each(stages: timing.Stages, name: str, items: Iterable[R]) -> Iterator[R]:
    """``items``, with the time of making each one counted as stage ``name``."""
    made = iter(items)
    while True:
        with stages.stage(name):
            item = next(made, None)
        if item is None:
            return
        yield item


def timed(stages: timing.Stages, name: str, work: Callable[P, R]) -> Callable[P, R]:
    """``work``, with the time of each call counted as stage ``name``."""

    def counted(*args: P.args, **kwargs: P.kwargs) -> R:
        with stages.stage(name):
            return work(*args, **kwargs)

    return counted


def drawing(
    drawer: svg.Drawer, stages: timing.Stages, make_chart: Callable[P, Chart | None]
) -> Callable[P, Chart | None]:
    """``make_chart``, with each chart handed to the drawer as soon as it is made (the handing
    over, and any wait for the pool to catch up, counted as stage ``svg``)."""

    def made(*args: P.args, **kwargs: P.kwargs) -> Chart | None:
        chart = make_chart(*args, **kwargs)
        if chart is not None:
            with stages.stage("svg"):
                drawer.submit(svg.Job(chart.digest, chart.spec_json, True))
        return chart

    return made


def _kept_report(kept: incremental.Kept, stages: timing.Stages) -> BuildReport:
    unseen = audit.AuditReport(kept.audit_summary, (), np.zeros(0, dtype=np.int64))
    return BuildReport(
        kept.pages, kept.files, kept.suppressed, kept.published, unseen,
        unchanged=True, stages=stages.times,
    )  # fmt: skip


def _remembered(report: BuildReport) -> dict[str, object]:
    return {
        "pages": report.pages,
        "suppressed": report.suppressed,
        "published": report.published,
        "audit": list(report.audit.summary),
    }


class PageWriter:
    """Writes each page's files: from the page cache when its data is unchanged, else made."""

    def __init__(
        self,
        writer: output.SiteWriter,
        catalog: Catalog,
        demo: bool,
        stages: timing.Stages,
    ) -> None:
        self.writer, self.catalog, self.demo = writer, catalog, demo
        self.stages = stages

    def page(self, page: Page, cache: incremental.Cache, salt: str | None) -> Written:
        """Writes one page's files, from the cache if it has them; what is kept of the page.
        Its charts and maps are with the drawer already (handed over when they were made)."""
        with self.stages.stage("cache"):
            key = cache.page_key(page, salt) if salt is not None else None
            files = cache.page_files(key) if key is not None else None
        made = files is None
        if files is None:
            files = self.files(page)
            if key is not None:
                with self.stages.stage("cache"):
                    cache.keep_page(key, files)
        with self.stages.stage("write"):
            for path, text in files.items():
                self.writer.write(path, text)
        return Written.of(page, made)

    def files(self, page: Page) -> dict[str, str | bytes]:
        """Every file of one page but its SVGs and PNGs: HTML, embed pages, CSVs, their
        datapackage.json and zip, chart and map specs."""
        with self.stages.stage("render"):
            files: dict[str, str | bytes] = {
                config.page_file(page.url): render.render(page, self.demo)
            }
            for chart in page.charts:
                files[page.url + chart.embed_file] = render.render_embed(page, chart, self.demo)
        with self.stages.stage("downloads"):
            written = [(t, output.csv_bytes(t.masked)) for t in page.tables]
            files.update((page.url + t.csv_file, data.decode("utf-8")) for t, data in written)
            if written:
                files.update(self.bundle(page, written))
            drawn: tuple[MapFile, ...] = (*page.charts, *page.maps)
            for item in drawn:
                files[page.url + item.spec_file] = item.chart.spec_json + "\n"
        return files

    def bundle(self, page: Page, written: list[tuple[TableFile, bytes]]) -> dict[str, str | bytes]:
        """The page's datapackage.json, and its zip of every CSV, the descriptor and a readme."""
        name, catalog = page.download_name, self.catalog
        descriptor = downloads.datapackage_json(name, page.title, written, catalog)
        listed = [(t.csv_file, t.description) for t, _ in written]
        listed.append(("datapackage.json", "beschrijving van de bestanden"))
        readme = bundles.readme(page.title, page.url, listed, page.citation)
        members = [(t.csv_file, data) for t, data in written]
        members += [("datapackage.json", descriptor.encode()), (bundles.README, readme)]
        return {
            page.url + "datapackage.json": descriptor,
            page.url + page.zip_file: bundles.zip_bytes(members),
        }


@dataclass(frozen=True)
class Written:
    """What the build keeps of a page once its files are written (the page itself goes, so
    that memory holds one page at a time): its URL and its drawings."""

    url: str
    drawn: tuple[tuple[str, str, str | None], ...]
    """(chart digest, path in the site of its SVG, of its PNG or None for a map) of each chart
    and map the page shows."""
    rendered: bool
    """Rendered in this build, not copied from the page cache."""

    @classmethod
    def of(cls, page: Page, rendered: bool) -> Written:
        drawn: list[tuple[str, str, str | None]] = [
            (c.chart.digest, page.url + c.svg_file, page.url + c.png_file) for c in page.charts
        ]
        drawn += [(m.chart.digest, page.url + m.svg_file, None) for m in page.maps]
        return cls(page.url, tuple(drawn), rendered)


class ChartLinks:
    """Links each chart's SVG and PNG, and each map's SVG, from the folder they were drawn in,
    with the sha256 the worker wrote beside them (checked when a drawing came from the cache):
    each as soon as the drawer has it, while the others are still being drawn."""

    def __init__(self, writer: output.SiteWriter, written: Iterable[Written], drawn: Path) -> None:
        self.writer, self.drawn = writer, drawn
        self.places: dict[svg.Drawn, list[tuple[str, str | None]]] = {}
        for page in written:
            for digest, svg_path, png_path in page.drawn:
                where = self.places.setdefault((digest, png_path is not None), [])
                where.append((svg_path, png_path))

    def link(self, drawings: Iterable[svg.Drawn]) -> list[str]:
        """Links these drawings wherever the site shows them; returns the charts' SVGs (site
        paths: the maps' are left out, they draw no numbers)."""
        charts = []
        for digest, with_png in drawings:
            sums = svg.drawn_sums(self.drawn, digest)  # one file for a chart's SVG and PNG
            for svg_path, png_path in self.places.pop((digest, with_png), ()):
                files = [(svg_path, svg.svg_file(self.drawn, digest))]
                if png_path is not None:
                    files.append((png_path, svg.png_file(self.drawn, digest)))
                    charts.append(svg_path)
                for path, source in files:
                    self.writer.link(path, source, sums[source.name])
        return charts

    def check_all_linked(self) -> None:
        if self.places:
            missing = sorted(path for places in self.places.values() for path, _ in places)
            raise RuntimeError(f"niet getekend: {', '.join(missing[:5])}")


def write_charts(writer: output.SiteWriter, written: Iterable[Written], drawn: Path) -> None:
    """Links every chart's drawings at once, for a build that has drawn them all."""
    links = ChartLinks(writer, written, drawn)
    links.link(list(links.places))


def write_static(writer: output.SiteWriter) -> None:
    for path in sorted(config.STATIC.rglob("*")):
        if path.is_file():
            writer.write("assets/" + path.relative_to(config.STATIC).as_posix(), path.read_bytes())


def write_site_files(
    writer: output.SiteWriter, urls: Sequence[str], catalog: Catalog, regions: Regions
) -> None:
    write_bulk(writer, catalog)
    writer.write("404.html", render.render_not_found())
    writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.SITE_URL}sitemap.xml\n")
    writer.write("sitemap.xml", render.sitemap(urls))
    writer.write("_headers", render.headers_file())
    writer.write("catalogus.json", catalogue.catalogue_json(catalog, writer.root))
    datasets = ((p.name, p.title) for p in catalog.datasets)
    writer.write(config.SEARCH_INDEX, lookup.index_json(regions, datasets))


def write_bulk(writer: output.SiteWriter, catalog: Catalog) -> None:
    """Every dataset's full download (CSVs and datapackage.json) in one zip."""
    members, files = [], []
    for package in catalog.datasets:
        folder = writer.root / config.dataset_url(package.name)
        for path in [*sorted(folder.glob("*.csv")), folder / "datapackage.json"]:
            name = f"{package.name}/{path.name}"
            members.append((name, path.read_bytes()))
            files.append((name, f"{package.title} ({path.name})"))
    cite = bundles.citation("Alle datasets", "", catalog.datasets)
    readme = bundles.readme("alle datasets", "", files, cite)
    writer.write(bundles.BULK_FILE, bundles.zip_bytes([*members, (bundles.README, readme)]))
