"""The naive build, for the benchmark only: how the site would be made without any care.

Every chart is a new Altair chart with shorthand encodings (``"x:O"``), validated by
``to_dict()``; every chart's SVG is compiled from its own Vega-Lite and rendered in this one
process, with no cache; every page is rendered and written, with no page cache. Everything else
(loading, suppression, the audit) is the real build's, so the difference is the cost of the
charts, the SVGs and the pages.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from generator import archive_pages, charts, config, maps, output, pages, svg, timing
from generator import build as real
from generator.context import Page
from generator.model import Chart, MaskedView, UnsafeSite


def build(data_dir: Path, out_dir: Path, stages: timing.Stages) -> real.BuildReport:
    """The whole site, the naive way, into ``out_dir`` (audited like the real build)."""
    data = real.inputs(data_dir, stages)
    catalog = data.catalog
    with stages.stage("suppression"):
        masked = real.protected(data)
    with stages.stage("pages"):
        maker = real.timed(stages, "charts", chart)
        made = pages.site_plan(catalog, data.regions, masked, maker, config.CONTENT)
        plan = (*maps.with_maps(made, data.regions, data.shapes), archive_pages.index_page(()))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as temporary:  # no cache: new each build
        folder = Path(temporary)
        with stages.stage("svg"):  # every chart drawn, in this process, even a repeated one
            for job in (job for page in plan for job in drawings(page)):
                svg.draw(svg.task(job, folder))
        demo = any(p.is_demo for p in catalog.packages.values())
        with output.staging(out_dir) as writer:
            writing = real.PageWriter(writer, catalog, demo, stages)
            for page in plan:
                files = writing.files(page)
                with stages.stage("write"):
                    for path, text in files.items():
                        writer.write(path, text)
            with stages.stage("write"):
                real.write_charts(writer, [real.Written.of(p, True) for p in plan], folder)
                real.write_static(writer)
                writer.write(svg.SCRIPT_FILE, vl_convert.javascript_bundle(svg.BROWSER_GLOBALS))
                real.write_site_files(writer, [p.url for p in plan], catalog, data.regions)
            with stages.stage("audit"):
                report = real.audit.audit(writer.root, data.model, data.register)
            if not report.passed:
                raise UnsafeSite(report.summary, report.failures)
    return real.BuildReport(
        len(plan), len(writer.written), masked.suppressed, masked.published, report,
        rendered=len(plan), stages=stages.times,
    )  # fmt: skip


def drawings(page: Page) -> list[svg.Job]:
    """Every chart and map of a page: charts as SVG and PNG, maps as SVG."""
    jobs = [svg.Job(c.chart.digest, c.chart.spec_json, True) for c in page.charts]
    return jobs + [svg.Job(m.chart.digest, m.chart.spec_json, False) for m in page.maps]


def chart(masked: MaskedView, names: Mapping[str, str]) -> Chart | None:
    """The same points and text as ``charts.chart_for``, drawn with a new Altair chart."""
    finished = charts.chart_for(masked, names)
    if finished is None:
        return None
    kind = charts.KINDS[(masked.dataset, masked.resource, masked.level)]
    fields = {f.name: f for f in masked.fields}
    x_title, y_title = fields[kind.x].title, fields[kind.y].title
    spec = finished.spec
    number, axis = charts.number_formats(kind)
    drawn = (
        alt.Chart(
            alt.Data(values=spec["data"]["values"]),
            title=kind.title,
            description=spec["description"],
            usermeta=spec["usermeta"],
        )
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("x:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("y:Q", title=y_title, axis=alt.Axis(format=axis)),
            color=alt.Color(
                "reeks:N",
                title=None,
                scale=alt.Scale(range=list(charts.PALETTE)),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("x:O", title=x_title),
                alt.Tooltip("y:Q", title=y_title, format=number),
            ],
        )
        .properties(width=520, height=240)
        .configure(locale={"number": charts.DUTCH_NUMBERS})
    )
    result: dict[str, Any] = drawn.to_dict()
    return Chart(finished.slug, finished.title, finished.description, result, finished.data)
