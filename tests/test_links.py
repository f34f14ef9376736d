"""The link checker on a hand-made site, and on the whole shipped site."""

from pathlib import Path

from generator.links import BrokenLink, broken_links
from tests.test_cli import run


def write(site: Path, path: str, html: str) -> None:
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"<!doctype html><html><body>{html}</body></html>", encoding="utf-8")


def small_site(site: Path) -> Path:
    write(site, "index.html", '<h2 id="datasets">D</h2><a href="swv/">lijst</a>')
    write(
        site,
        "swv/index.html",
        '<a href="../">home</a> <a href="../#datasets">datasets</a> <a href="#top">boven</a>'
        '<h1 id="top">SWV</h1><a href="PO2001/?q=x#kaart">SWV met kaart</a>'
        '<a href="https://example.org/nergens">extern</a> <a href="mailto:a@b.nl">mail</a>'
        '<img src="data:image/png;base64,AAAA" alt="">'
        '<form action="/zoeken/" data-zoekindex="../zoekindex.json"></form>',
    )
    write(site, "swv/PO2001/index.html", '<figure id="kaart"></figure>')
    write(site, "zoeken/index.html", "<p>zoek</p>")
    (site / "zoekindex.json").write_text("{}", encoding="utf-8")
    return site


def test_a_site_whose_links_all_resolve_has_no_broken_link(tmp_path: Path) -> None:
    assert broken_links(small_site(tmp_path)) == ()


def test_every_kind_of_broken_link_is_reported_with_page_and_reason(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    write(
        site,
        "gemeente/index.html",
        '<a href="GM0001/">ontbreekt</a> <a href="../swv/PO2001/#grafiek">ander anker</a>'
        ' <a href="#nergens">eigen anker</a> <a href="../swv/PO2001">zonder slash</a>'
        ' <a href="../../buiten.html">buiten</a> <link rel="stylesheet" href="/assets/x.css">'
        ' <img src="kaart.svg" alt=""> <div data-zoekindex="../index.json"></div>',
    )
    assert set(broken_links(site)) == {
        BrokenLink("gemeente/index.html", "GM0001/", "bestand bestaat niet"),
        BrokenLink("gemeente/index.html", "../swv/PO2001/#grafiek", "anker #grafiek bestaat niet"),
        BrokenLink("gemeente/index.html", "#nergens", "anker #nergens bestaat niet"),
        BrokenLink("gemeente/index.html", "../swv/PO2001", "map zonder index.html"),
        BrokenLink("gemeente/index.html", "../../buiten.html", "buiten de site"),
        BrokenLink("gemeente/index.html", "/assets/x.css", "bestand bestaat niet"),
        BrokenLink("gemeente/index.html", "kaart.svg", "bestand bestaat niet"),
        BrokenLink("gemeente/index.html", "../index.json", "bestand bestaat niet"),
    }


def test_the_shipped_site_has_no_broken_link_or_anchor(shipped_site: Path) -> None:
    broken = broken_links(shipped_site)
    assert broken == (), "\n".join(map(str, broken[:20]))


def test_the_links_command_names_each_broken_link_and_exits_1(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    good = run("links", str(site))
    assert good.returncode == 0, good.stderr
    assert "kloppen" in good.stdout
    write(site, "over/index.html", '<a href="../nergens/">weg</a>')
    bad = run("links", str(site))
    assert bad.returncode == 1
    assert "over/index.html: ../nergens/ (bestand bestaat niet)" in bad.stderr
    missing = run("links", str(tmp_path / "leeg"))
    assert missing.returncode == 1 and "geen gebouwde site" in missing.stderr
    assert "Traceback" not in missing.stderr
