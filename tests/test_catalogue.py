"""catalogue: catalogus.json conforms to DCAT-AP-NL 3.0.1 and lists real files; pages carry
schema.org and Open Graph metadata.

The SHACL shapes are read from ``../shared/data/dcat`` (see its PROVENANCE.md), never copied.
The gate is the one PROVENANCE.md recommends: DCAT-AP 3.0.1 ``shapes.ttl`` + ``range.ttl`` (the
NL profile only adds rules on top of DCAT-AP, and its documentation asks for both) plus the
three DCAT-AP-NL 3.0.1 files. None of them imports anything, so they load offline.
"""

from __future__ import annotations

import json
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef

from generator import build, charts, config, pages
from generator.context import DatasetPage
from tests.conftest import ROOT

DCAT_SHAPES = ROOT.parent / "shared" / "data" / "dcat"
GATE = (
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-nl-3.0.1/dcat-ap-nl-SHACL.ttl",
    "dcat-ap-nl-3.0.1/dcat-ap-nl-SHACL-klassebereik.ttl",
    "dcat-ap-nl-3.0.1/dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    if not DCAT_SHAPES.is_dir():
        pytest.skip(f"no SHACL shapes at {DCAT_SHAPES}")
    graph = Graph()
    for name in GATE:
        graph.parse(DCAT_SHAPES / name, format="turtle")
    return graph


def catalogue_text(site: Path) -> str:
    return (site / "catalogus.json").read_text(encoding="utf-8")


def rdf(text: str) -> Graph:
    """The JSON-LD as RDF, offline (the context is inline)."""
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser uses its deprecated class
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=text, format="json-ld")


def test_the_catalogue_has_an_inline_context_and_no_remote_one(tiny_site: Path) -> None:
    context = json.loads(catalogue_text(tiny_site))["@context"]
    assert isinstance(context, dict)
    assert all(iri.endswith(("#", "/")) for iri in context.values())  # prefixes only


def test_the_catalogue_conforms_to_dcat_ap_nl_3_0_1(tiny_site: Path, shapes: Graph) -> None:
    conforms, _, report = validate(rdf(catalogue_text(tiny_site)), shacl_graph=shapes)
    assert conforms, report


def test_the_shapes_reject_a_catalogue_without_contact_points(
    tiny_site: Path, shapes: Graph
) -> None:
    document = json.loads(catalogue_text(tiny_site))
    for node in document["@graph"]:
        node.pop("dcat:contactPoint", None)
    conforms, _, report = validate(rdf(json.dumps(document)), shacl_graph=shapes)
    assert not conforms
    assert "contactPoint" in report


def test_every_dataset_is_listed_with_its_page_licence_and_dates(tiny_site: Path) -> None:
    graph = rdf(catalogue_text(tiny_site))
    datasets = set(graph.subjects(predicate=DCT.identifier))
    names = {p.name for p in (tiny_site / "datasets").iterdir() if p.is_dir()}
    assert len(datasets) == len(names) == 4
    for name in names:
        landing = URIRef(config.SITE_URL + config.dataset_url(name))
        (dataset,) = graph.subjects(DCAT.landingPage, landing)
        assert graph.value(dataset, DCT.modified) == Literal("2026-11-23", datatype=XSD_DATE)
        assert graph.value(dataset, DCAT.version) == Literal("1.0.0")
        title = graph.value(dataset, DCT.title)
        assert isinstance(title, Literal) and title.language == "nl"
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert str(graph.value(distribution, DCT.license)).endswith("/naamsvermelding40")


def test_every_distribution_url_is_a_file_of_the_site_with_its_size(tiny_site: Path) -> None:
    graph = rdf(catalogue_text(tiny_site))
    listed = set()
    for distribution in set(graph.subjects(predicate=DCAT.accessURL)):
        (url,) = {
            graph.value(distribution, DCAT.accessURL),
            graph.value(distribution, DCAT.downloadURL),
        }
        assert str(url).startswith(config.SITE_URL)
        path = tiny_site / str(url).removeprefix(config.SITE_URL)
        assert path.is_file(), url
        size = graph.value(distribution, DCAT.byteSize)
        assert isinstance(size, Literal) and size.toPython() == path.stat().st_size
        listed.add(path)
    downloads = {
        *tiny_site.glob("datasets/*/*.csv"),
        *tiny_site.glob("datasets/*/datapackage.json"),
    }
    assert listed == downloads


class _Head(HTMLParser):
    """The <title>, the meta properties and the JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.csp = ""
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property"):
            self.meta[values["property"] or ""] = values.get("content") or ""
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values.get("content") or ""
        if tag == "title" or (tag == "script" and values.get("type") == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld[-1] += data


def head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_a_dataset_page_carries_a_schema_org_dataset_named_as_the_page(tiny_site: Path) -> None:
    for page in sorted((tiny_site / "datasets").glob("*/index.html")):
        found = head(page)
        (block,) = found.json_ld
        assert "</" not in block
        dataset = json.loads(block)
        assert dataset["@type"] == "Dataset"
        assert f"{dataset['name']} · {config.SITE_NAME}" == found.title
        assert dataset["name"] == found.meta["og:title"]
        assert dataset["url"] == found.meta["og:url"]
        for download in dataset["distribution"]:
            assert (tiny_site / download["contentUrl"].removeprefix(config.SITE_URL)).is_file()


def test_every_page_has_open_graph_tags_and_the_same_csp(tiny_site: Path) -> None:
    files = sorted(tiny_site.rglob("*.html"))
    assert len(files) > 10
    for path in files:
        found = head(path)
        assert found.meta["og:title"], path
        assert found.meta["og:description"], path
        assert found.meta["og:locale"] == "nl_NL"
        assert found.meta["og:site_name"] == config.SITE_NAME
        assert found.csp == CSP
        if path.name != "404.html":  # served at any path, so it has no URL of its own
            url = path.relative_to(tiny_site).as_posix().removesuffix("index.html")
            assert found.meta["og:url"] == config.SITE_URL + url


def test_the_schema_org_block_cannot_close_its_script_element(tiny_data: Path) -> None:
    descriptor = tiny_data / "leerlingen-cluster-1-2" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["description"] = "Zie </script><script>alert(1)</script> & <!-- verder -->"
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    data = build.inputs(tiny_data)
    plan = pages.site_plan(
        data.catalog, data.regions, build.protected(data), charts.chart_for, config.CONTENT
    )
    (page,) = [p for p in plan if p.url == config.dataset_url("leerlingen-cluster-1-2")]
    assert isinstance(page.data, DatasetPage)
    assert not set("<>&") & set(page.data.json_ld)
    assert json.loads(page.data.json_ld)["description"] == package["description"]
