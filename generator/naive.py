"""The naive build, for the benchmark only: how the site would be made without any care.

Every chart is a new Altair chart with its points and shorthand encodings (``"x:O"``),
validated by ``to_dict()``; every chart's SVG and PNG are each drawn from its own Vega-Lite, as
Altair's ``chart.save`` does once per format, in this one process, with no cache; every page
is rendered and written, with no page cache; the data is validated before it is read, in this
process too. Everything else (loading, suppression, the audit, the chart's breaks and text) is
the real build's, so the site is the same, byte for byte (``python -m generator bench``
compares them), and the difference is the cost of the charts, the drawings, the pages and
the validation the real build does beside its reading.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import vl_convert

from generator import archive_pages, charts, config, maps, output, pages, svg, timing
from generator import build as real
from generator.model import Chart, UnsafeSite


def build(data_dir: Path, out_dir: Path, stages: timing.Stages) -> real.BuildReport:
    """The whole site, the naive way, into ``out_dir`` (audited like the real build)."""
    data = real.inputs(data_dir, stages, checks_aside=False)  # one process, also here
    catalog = data.catalog
    with stages.stage("suppression"):
        masked = real.protected(data)
    with stages.stage("pages"):
        maker = real.timed(stages, "charts", real.chart_maker_for(data.regions, spec_in_altair))
        made = pages.site_plan(catalog, data.regions, masked, maker, config.CONTENT)
        plan = (*maps.with_maps(made, data.regions, data.shapes), archive_pages.index_page(()))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent) as temporary:  # no cache: new each build
        folder = Path(temporary)
        with stages.stage("svg"):  # every chart drawn, in this process, even a repeated one
            for page in plan:
                for c in page.charts:
                    save(c.chart, svg.svg_file(folder, c.chart.digest))
                for m in page.maps:
                    svg.draw(svg.task(svg.Job(m.chart.digest, m.chart.spec_json, False), folder))
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


def save(chart: Chart, path: Path) -> None:
    """A chart's SVG (to ``path``) and PNG, each drawn from its own Vega-Lite, as Altair's
    ``chart.save`` does once per format."""
    drawn = vl_convert.vegalite_to_svg(chart.spec_json, vl_version=svg.VL_VERSION)
    image = vl_convert.vegalite_to_png(
        chart.spec_json, vl_version=svg.VL_VERSION, scale=svg.PNG_SCALE
    )
    svg.store(path, str(drawn).encode("utf-8"), bytes(image))


def spec_in_altair(
    kind: charts.ChartKind, x_title: str, y_title: str, rounding: int, values: list[dict[str, Any]]
) -> dict[str, Any]:
    """A new Altair chart of this chart's points with shorthand encodings (``"x:O"``),
    validated by ``to_dict()``; the real build makes one per chart kind, unvalidated."""
    chart = charts.altair_chart(kind, x_title, y_title, rounding, values, shorthand=True)
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("datasets", None)  # the points go in as the real build's do
    return spec
