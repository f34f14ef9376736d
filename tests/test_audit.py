"""The audit has teeth: it reads a built site back and fails it when a protected count leaks."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator import audit, build, bundles, ledger, privacy, sightings, suppress, svg
from generator.__main__ import main
from generator.model import EarlierReleases, UnsafeSite
from tests.conftest import SHIPPED


@pytest.fixture(scope="module")
def shipped_inputs() -> build.Inputs:
    return build.inputs(SHIPPED)


@pytest.fixture
def site_copy(shipped_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(shipped_site, tmp_path / "site"))


def no_history(size: int) -> EarlierReleases:
    return EarlierReleases(np.zeros(size, dtype=bool), np.zeros(size, dtype=bool))


def test_the_built_site_passes_the_audit(shipped_site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["audit", str(shipped_site), "--data", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "cellen gepubliceerd:" in out
    assert "secundair afgeschermd:" in out
    assert "aandeel gepubliceerde cellen per pagina" in out
    assert "alle criteria C1–C5 gehaald" in out


def test_every_count_of_the_site_is_seen_by_the_audit(
    shipped_site: Path, shipped_inputs: build.Inputs
) -> None:
    seen = sightings.read_site(shipped_site, shipped_inputs.model)
    assert not seen.problems
    assert ((seen.status != sightings.UNSEEN) | shipped_inputs.model.facts).all()


def fill_in(site: Path, inputs: build.Inputs, cell: int) -> list[str]:
    """Writes a hidden cell's true value back into every CSV that hides it."""
    changed = []
    value = str(int(inputs.model.values[cell]))
    size = len(inputs.model.names)
    empty = np.full(size, sightings.UNSEEN, dtype=np.int64)
    reader = sightings._Reader(site, inputs.model, sightings.Sightings(empty, empty.copy()))
    for path in sorted(site.rglob("*.csv")):
        view = reader.view_of(path, path.name.removesuffix(".csv"))
        if view is None:
            continue
        cells = inputs.model.views[view]
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = reader.rows(view, [table[k].tolist() for k in cells.key])
        for column, indices in cells.cells.items():
            hits = indices[rows] == cell
            if hits.any():
                table.loc[hits, column] = value
                table.to_csv(path, index=False, lineterminator="\n")
                changed.append(path.relative_to(site).as_posix())
    return changed


def necessary_secondary(inputs: build.Inputs) -> int:
    """A secondary of the verzuim data: filled back in, it gives a primary away."""
    size = len(inputs.model.names)
    suppressed, _ = privacy.protect(inputs.model, no_history(size))
    secondary = suppressed & ~privacy.is_small_count(inputs.model.values)
    relevant = [
        c for c in np.flatnonzero(secondary) if inputs.model.names[c].startswith("langdurig")
    ]
    return int(relevant[0])


def test_filling_in_a_necessary_secondary_fails_and_names_the_cell(
    site_copy: Path, shipped_inputs: build.Inputs, capsys: pytest.CaptureFixture
) -> None:
    cell = necessary_secondary(shipped_inputs)
    assert fill_in(site_copy, shipped_inputs, cell)
    assert main(["audit", str(site_copy), "--data", str(SHIPPED)]) == 1
    err = capsys.readouterr().err
    risks = [line for line in err.splitlines() if line.startswith("risico: C")]
    assert any(line.startswith(("risico: C1", "risico: C2")) for line in risks), err[:2000]
    assert shipped_inputs.model.names[cell] in err


def test_a_small_count_in_a_chart_spec_fails_c5(
    site_copy: Path, shipped_inputs: build.Inputs
) -> None:
    spec_path, point = next(_hidden_points(site_copy))
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["data"]["values"][point]["y"] = 3
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    report = audit.audit(site_copy, shipped_inputs.model, ledger.EMPTY)
    assert not report.passed
    assert any(line.startswith("C5") or line.startswith("C4") for line in report.failures)
    where = spec_path.relative_to(site_copy).as_posix()
    assert any(where in line for line in report.failures)


def _hidden_points(site: Path):  # type: ignore[no-untyped-def]
    for path in sorted(site.rglob("*.vl.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["usermeta"].get("soort") == "kaart":
            continue
        values = spec["data"]["values"]
        for index, point in enumerate(values):
            if point["y"] is None:
                yield path, index


def test_a_count_shown_in_a_page_table_but_hidden_in_the_csv_fails(
    site_copy: Path, shipped_inputs: build.Inputs
) -> None:
    page = next(
        p for p in sorted(site_copy.glob("gemeente/*/index.html")) if "supp" in p.read_text()
    )
    html = page.read_text(encoding="utf-8")
    start = html.index('<span class="supp" title="afgeschermd">')
    end = html.index("</span>", start) + len("</span>")
    page.write_text(html[:start] + "3" + html[end:], encoding="utf-8")
    report = audit.audit(site_copy, shipped_inputs.model, ledger.EMPTY)
    assert any(line.startswith("C4") and "index.html" in line for line in report.failures)


def test_the_tiny_site_passes_and_hides_a_primary_behind_a_national_total(
    tiny_site: Path, tiny_data: Path
) -> None:
    def lgf(swv: str) -> dict[str, float]:
        table = pd.read_csv(tiny_site / "swv" / swv / "passend-onderwijs-swv-vergelijking.csv")
        return dict(zip(table["groep"], table["lgf_31_juli_2014"], strict=True))

    own, other = lgf("PO2001"), lgf("PO2002")
    assert pd.isna(own["dit samenwerkingsverband"])  # 3: primary
    assert own["landelijk"] == 51  # the national total stays, so the other part is hidden too
    assert pd.isna(other["dit samenwerkingsverband"])
    report = audit.audit(tiny_site, build.inputs(tiny_data).model, ledger.EMPTY)
    assert report.passed, report.failures


def test_the_build_refuses_to_publish_a_site_that_fails_the_audit(
    tiny_data: Path, tmp_path: Path, svg_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build.build(tiny_data, out, svg_cache)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def primaries_only(forms, values, primary, forced, fixed, priority, relations, threshold):  # type: ignore[no-untyped-def]
        return suppress.Protection(primary | forced, np.zeros_like(primary), 0)

    monkeypatch.setattr(suppress, "protect", primaries_only)
    with pytest.raises(UnsafeSite) as refused:  # full: the patched code is not on disk
        build.build(tiny_data, out, svg_cache, full=True)
    assert any("lgf_31_juli_2014" in line for line in refused.value.failures)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".site.bouw-*"))


def test_a_zip_that_differs_from_the_files_beside_it_fails_c4(
    site_copy: Path, shipped_inputs: build.Inputs
) -> None:
    page = site_copy / "swv" / "PO2001"
    archive = page / "swv-po2001.zip"
    with zipfile.ZipFile(archive) as source:
        members = [(m, source.read(m)) for m in source.namelist()]
    name, data = next((m, d) for m, d in members if m.endswith(".csv") and b",\n" in d)
    filled = data.replace(b",\n", b",3\n", 1)
    archive.write_bytes(bundles.zip_bytes([(m, filled if m == name else d) for m, d in members]))
    report = audit.audit(site_copy, shipped_inputs.model, ledger.EMPTY)
    assert not report.passed
    assert any(line.startswith("C4") and "swv-po2001.zip" in line for line in report.failures)


def _pages_with_tables(site: Path) -> list[Path]:
    return [p for p in sorted(site.glob("gemeente/*/index.html")) if "data-bron" in p.read_text()]


def test_a_forged_count_in_a_page_table_is_read_wherever_a_browser_shows_it(
    site_copy: Path, shipped_inputs: build.Inputs
) -> None:
    def forge(page: Path, pattern: str, new: str) -> str:
        html = page.read_text(encoding="utf-8")
        page.write_text(re.sub(pattern, new, html, count=1), encoding="utf-8")
        assert page.read_text(encoding="utf-8") != html
        return page.relative_to(site_copy).as_posix()

    pages = _pages_with_tables(site_copy)
    count = r'<td class="num count">(\d+)</td>'
    # Inside markup in the cell, after a comment that still holds the true value.
    wrapped = forge(pages[0], count, r'<td class="num count"><!-- \1 --><b>1\1</b></td>')
    # In a table left for the browser to close (no </table>).
    forge(pages[1], count, r'<td class="num count">1\1</td>')
    unclosed = forge(pages[1], "</table>", "")
    # In a transposed table (one field per row) of a swv page.
    swv = site_copy / "swv" / "PO2001" / "index.html"
    transposed = forge(
        swv, r'(data-veld="telling_2015">[^<]*</th>\s*<td class="num[^"]*">)[^<]*', r"\g<1>4"
    )

    seen = sightings.read_site(site_copy, shipped_inputs.model)
    caught = {p.where for p in seen.problems if p.criterion == "C4"}
    assert {wrapped, unclosed, transposed} <= caught


def test_a_page_table_with_a_row_left_out_or_without_its_csv_fails(
    site_copy: Path, shipped_inputs: build.Inputs
) -> None:
    pages = _pages_with_tables(site_copy)
    html = pages[0].read_text(encoding="utf-8")
    body = html.index("<tbody>", html.index("data-bron")) + len("<tbody>")
    row_end = html.index("</tr>", body) + len("</tr>")
    pages[0].write_text(html[:body] + html[row_end:], encoding="utf-8")
    source = re.search(r'data-bron="([^"]+)"', pages[1].read_text(encoding="utf-8"))
    assert source
    (pages[1].parent / source[1]).unlink()

    failures = audit.audit(site_copy, shipped_inputs.model, ledger.EMPTY).failures
    shorter = pages[0].relative_to(site_copy).as_posix()
    orphan = pages[1].relative_to(site_copy).as_posix()
    assert any(f.startswith(f"C4 {shorter}: tabel") and "anders dan de CSV" in f for f in failures)
    assert any(f.startswith(f"C5 {orphan}: tabel zonder CSV-bestand") for f in failures)


def test_a_csv_a_spreadsheet_could_read_otherwise_fails(
    tiny_site: Path, tiny_data: Path, tmp_path: Path
) -> None:
    site = Path(shutil.copytree(tiny_site, tmp_path / "site"))
    doubled = site / "swv" / "PO2001" / "passend-onderwijs-swv-vergelijking.csv"
    ragged = site / "swv" / "PO2002" / "passend-onderwijs-swv-vergelijking.csv"
    header, *rows = doubled.read_text(encoding="utf-8").splitlines()
    name = header.rsplit(",", 1)[-1]
    # A second column of the same name: a reader keeps one of the two.
    doubled.write_text("\n".join([f"{header},{name}", *(f"{r},9" for r in rows)]) + "\n")
    lines = ragged.read_text(encoding="utf-8").splitlines()
    lines[1] += ",3"  # a field more than the header names
    ragged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = sightings.read_site(site, build.inputs(tiny_data).model)
    problems = {(p.criterion, p.where): p.message for p in seen.problems}
    assert "twee keer" in problems["C5", doubled.relative_to(site).as_posix()]
    assert "regel 2" in problems["C5", ragged.relative_to(site).as_posix()]


def test_the_build_reads_back_each_drawing_it_publishes(tiny_data: Path, tmp_path: Path) -> None:
    """A drawing that shows a number its data does not have stops the build (the SVGs come
    from the drawing cache: the audit reads them as written into the site)."""
    cache = tmp_path / "cache"
    build.build(tiny_data, tmp_path / "site", cache)
    forged = _forge_a_drawn_point(svg.cache_folder(cache))
    with pytest.raises(UnsafeSite) as refused:
        build.build(tiny_data, tmp_path / "site", cache, full=True)
    assert any("getekend punt" in line and forged in line for line in refused.value.failures)


def _forge_a_drawn_point(drawings: Path) -> str:
    """Draws one point of a cached chart at 1,000 more, as a renderer with a bug would (its
    sums as the worker writes them); returns the point's label."""
    for path in sorted(drawings.glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        for label in sightings.MARK_LABEL.findall(text):
            x_part, y_part, rest = label.split("; ", 2)
            title, _, y = y_part.partition(": ")
            if y.isdigit():
                forged = f"{x_part}; {title}: {int(y) + 1000}; {rest}"
                path.write_text(text.replace(label, forged, 1), encoding="utf-8")
                _sum_again(path)
                return forged
    raise AssertionError("no drawn point with a number in the drawings")


def _sum_again(drawing: Path) -> None:
    """Writes a drawing's new sha256 into the sums beside it."""
    sums = drawing.with_suffix(".sha256")
    digest = hashlib.sha256(drawing.read_bytes()).hexdigest()
    lines = sums.read_text(encoding="ascii").splitlines(keepends=True)
    mended = [f"{digest}  {drawing.name}\n" if drawing.name in line else line for line in lines]
    sums.write_text("".join(mended), encoding="ascii")
