"""Vega-Lite compiled once per form of chart: the filled Vega is the compiler's, chart by chart."""

import json
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from generator import svg, vega


def compiled(spec_json: str) -> dict[str, Any]:
    return dict(vl_convert.vegalite_to_vega(spec_json, vl_version=svg.VL_VERSION))


def bars(values: list[dict[str, Any]], description: str, **layers: list[dict[str, Any]]) -> str:
    """A small chart like the site's: a series of bars, and optionally labelled rule layers."""
    bar = {"mark": "bar", "encoding": {"x": {"field": "x", "type": "ordinal"}}}
    bar["encoding"]["y"] = {"field": "y", "type": "quantitative"}  # type: ignore[index]
    layer: list[dict[str, Any]] = [{"data": {"values": values}, **bar}]
    for name, rows in layers.items():
        rule = {"mark": {"type": "rule", "description": name}}
        layer.append({"data": {"values": rows}, **rule, "encoding": {"x": {"field": "x"}}})
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "layer": layer}
    return json.dumps({**spec, "description": description, "title": "Leerlingen"})


def points(*ys: int) -> list[dict[str, Any]]:
    return [{"x": f"20{20 + i}", "y": y} for i, y in enumerate(ys)]


def test_charts_of_one_form_are_compiled_once_and_each_keeps_its_own_data() -> None:
    calls: list[str] = []

    def counting(spec_json: str) -> dict[str, Any]:
        calls.append(spec_json)
        return compiled(spec_json)

    forms = vega.Forms(svg.VL_VERSION, counting)
    first = bars(points(3, 5), "Staafgrafiek van PO2001: hoogste waarde 5.")
    second = bars(points(40, 7, 12), "Staafgrafiek van PO2002: hoogste waarde 40.")
    filled = [forms.vega(first), forms.vega(second)]
    assert len(calls) == 1
    assert [json.loads(v) for v in filled] == [compiled(first), compiled(second)]
    drawn = [vl_convert.vega_to_svg(v) for v in filled]
    assert drawn == [svg.render(first), svg.render(second)]
    assert drawn[0] != drawn[1]


def test_layers_with_equal_data_are_merged_as_the_compiler_merges_them() -> None:
    forms = vega.Forms(svg.VL_VERSION)
    mark = [{"x": "2021"}]
    same = bars(points(1, 2), "gelijk", voorlopig=mark, lijn=list(mark))
    other = bars(points(1, 2), "anders", voorlopig=mark, lijn=[{"x": "2020"}])
    merged = compiled(same)
    assert len(merged["data"]) < len(compiled(other)["data"])  # the case is real
    for spec in (same, other, same):
        assert json.loads(forms.vega(spec)) == compiled(spec)


def test_a_chart_without_data_or_description_is_its_own_form() -> None:
    forms = vega.Forms(svg.VL_VERSION)
    empty = bars([], "leeg")
    silent = json.loads(bars(points(2), ""))
    del silent["description"]
    for spec in (bars(points(4), "vol"), empty, json.dumps(silent), empty):
        assert json.loads(forms.vega(spec)) == compiled(spec)


def test_a_worker_keeps_no_more_forms_than_the_bound_and_still_draws_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vega, "MAX_FORMS", 2)
    forms = vega.Forms(svg.VL_VERSION)
    titled = [json.loads(bars(points(i, 2 * i), f"grafiek {i}")) for i in range(1, 5)]
    specs = [json.dumps({**spec, "title": f"Titel {i}"}) for i, spec in enumerate(titled)]
    for spec in specs:
        assert json.loads(forms.vega(spec)) == compiled(spec)
    assert len(forms.templates) == 2


def test_a_compiler_that_works_a_placeholder_into_other_text_gets_each_chart_whole() -> None:
    """Were the description also worked into the title, filling in the description would leave
    the placeholder in the title: such a form is compiled chart by chart instead."""

    def copying(spec_json: str) -> dict[str, Any]:
        result = compiled(spec_json)
        result["title"] = {"text": f"Over: {json.loads(spec_json)['description']}"}
        return result

    forms = vega.Forms(svg.VL_VERSION, copying)
    for description in ("eerste", "tweede"):
        spec = bars(points(1), description)
        assert json.loads(forms.vega(spec)) == copying(spec)


def test_every_chart_of_the_built_sites_fills_to_its_compiled_vega(
    tiny_site: Path, shipped_site: Path
) -> None:
    """Every chart and map of the tiny site, and of every third page folder of the shipped
    site, through one set of forms (as a worker draws them): the same Vega as compiled alone."""
    folders = sorted({p.parent for p in shipped_site.rglob("*.vl.json")})
    specs = [*tiny_site.rglob("*.vl.json")]
    specs += [spec for folder in folders[::3] for spec in sorted(folder.glob("*.vl.json"))]
    forms = vega.Forms(svg.VL_VERSION)
    differ = [
        spec
        for spec in specs
        if json.loads(forms.vega(text := spec.read_text(encoding="utf-8"))) != compiled(text)
    ]
    assert len(specs) > 700
    assert len(forms.templates) < len(specs) / 4  # most charts were filled in, not compiled
    assert differ == []


def test_the_site_draws_what_the_compiler_draws_from_each_spec_alone(shipped_site: Path) -> None:
    specs = sorted(shipped_site.glob("swv/*/*.vl.json"))[:12]
    for spec in specs:
        drawn = spec.with_name(spec.name.removesuffix(".vl.json") + ".svg")
        assert drawn.read_text(encoding="utf-8") == svg.render(spec.read_text(encoding="utf-8"))
