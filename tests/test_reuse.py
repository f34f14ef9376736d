"""Reuse: every chart offers exactly its data, its pictures and an embed page; every page a zip."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from generator import bundles
from tests.site_files import parse_html

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def chart_specs(site: Path) -> list[Path]:
    """The specs of the charts, not of the maps (which show names, not data)."""
    return [p for p in sorted(site.rglob("*.vl.json")) if not p.name.startswith("kaart")]


def test_each_chart_links_its_csv_svg_png_spec_and_embed_code(shipped_site: Path) -> None:
    page = shipped_site / "swv" / "PO2001"
    html = (page / "index.html").read_text(encoding="utf-8")
    specs = chart_specs(page)
    assert specs
    for spec in specs:
        base = spec.name.removesuffix(".vl.json")
        for suffix in (".grafiek.csv", ".svg", ".png", ".vl.json"):
            assert f'href="{base}{suffix}"' in html, (base, suffix)
        assert (page / f"{base}.png").read_bytes().startswith(PNG_MAGIC)
        embed = f"https://passendonderwijsincijfers.nl/swv/PO2001/{base}.html"
        assert f"&lt;iframe src=&#34;{embed}&#34;" in html or f'&lt;iframe src="{embed}"' in html
        assert (page / f"{base}.html").is_file()


def test_an_embed_page_shows_the_chart_with_its_source_and_no_script(shipped_site: Path) -> None:
    embed = next(p for p in sorted((shipped_site / "swv").glob("*/*.html")) if p.stem != "index")
    html = embed.read_text(encoding="utf-8")
    parsed = parse_html(embed)
    for link in parsed.links:
        if "://" not in link:
            assert (embed.parent / link).resolve().exists(), link
    assert f'src="{embed.stem}.svg"' in html
    assert "<script" not in html
    assert 'target="_top"' in html


def test_a_chart_csv_holds_exactly_the_points_of_its_chart(shipped_site: Path) -> None:
    specs = chart_specs(shipped_site)
    assert len(specs) > 500
    for spec_path in specs[::25]:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        measure = spec["usermeta"]["bron"]["kolom"]
        key = spec["usermeta"]["bron"]["sleutel"]
        csv = spec_path.with_name(spec_path.name.replace(".vl.json", ".grafiek.csv"))
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        assert list(frame.columns) == [*[c for c in frame.columns if c in key], measure]
        from_csv = sorted((tuple(row[k] for k in key), row[measure]) for _, row in frame.iterrows())
        from_chart = sorted(
            (tuple(p["rij"]), "" if p["y"] is None else str(p["y"])) for p in spec["data"]["values"]
        )
        assert from_csv == from_chart, spec_path


def test_a_page_zip_repeats_its_files_with_a_readme_and_the_citation(shipped_site: Path) -> None:
    for page in [shipped_site / "swv" / "PO2001", *sorted(shipped_site.glob("gemeente/*"))[:3]]:
        name = f"{page.parent.name}-{page.name.lower()}.zip"
        with zipfile.ZipFile(page / name) as archive:
            members = archive.namelist()
            assert {m for m in members if m.endswith(".csv")} == {
                p.name for p in page.glob("*.csv")
            }
            for member in members:
                if member != bundles.README:
                    assert archive.read(member) == (page / member).read_bytes(), member
            readme = archive.read(bundles.README).decode("utf-8")
        html = (page / "index.html").read_text(encoding="utf-8")
        citation = re.search(r'<p class="citation"><strong>Citeren:</strong> (.*?)</p>', html)
        assert citation, page
        assert citation.group(1).replace("&amp;", "&") in readme
        assert f"https://passendonderwijsincijfers.nl/{page.parent.name}/{page.name}/" in readme
        assert "afgeschermd" in readme


def test_the_bulk_zip_holds_every_dataset_download(shipped_site: Path) -> None:
    bulk = shipped_site / bundles.BULK_FILE
    with zipfile.ZipFile(bulk) as archive:
        names = set(archive.namelist())
        for dataset in sorted((shipped_site / "datasets").iterdir()):
            if not dataset.is_dir():
                continue
            for path in [*dataset.glob("*.csv"), dataset / "datapackage.json"]:
                member = f"{dataset.name}/{path.name}"
                assert member in names
                assert archive.read(member) == path.read_bytes()
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{bundles.BULK_FILE}"' in home


def test_zip_bytes_do_not_depend_on_when_they_are_made() -> None:
    files = [("a.csv", b"x,y\n1,2\n"), (bundles.README, b"leesmij\n")]
    first = bundles.zip_bytes(files)
    assert first == bundles.zip_bytes(files)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert [i.date_time for i in archive.infolist()] == [bundles.ZIP_TIME] * 2


def test_each_dataset_section_states_version_latest_peiljaar_and_publication_date(
    shipped_site: Path,
) -> None:
    html = (shipped_site / "swv" / "PO2001" / "index.html").read_text(encoding="utf-8")
    editions = re.findall(r'<p class="edition">(.*?)\. <a', html)
    assert len(editions) == 4
    for edition in editions:
        assert re.fullmatch(
            r"Versie \d+\.\d+\.\d+ · laatste peiljaar \d{4}(-\d{4})? · "
            r"gepubliceerd op \d{1,2} [a-z]+ \d{4}",
            edition,
        ), edition
