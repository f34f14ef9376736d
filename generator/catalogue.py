"""Catalogue: ``catalogus.json``, the DCAT-AP-NL 3.0 catalogue of every dataset.

Reads the Catalog (the package descriptors: title, description, version, licences,
contributors, keywords, changelog) and the sizes of the downloads already written into the
site; returns the catalogue as JSON-LD with an inline ``@context`` (no remote context, so a
harvester parses it offline). Every referenced resource is typed in the document itself, as
the DCAT-AP range shapes demand. Dates come from the descriptors' changelogs, never from the
clock: the text is the same for the same input.

Publisher and contact point of a dataset are its ``maintainer`` contributor, its creator is
the ``author``; the catalogue's are the first dataset's maintainer (the site's own team).
Each dataset offers its full CSV downloads and their ``datapackage.json`` (``docs/urls.md``).
The site has no bulk download, so the catalogue lists none.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator import config
from generator.model import Catalog, InputError, Package

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

EU = "http://publications.europa.eu/resource/authority/"
LICENCES = "https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/"
GEONOVUM_LICENCE = {
    "CC0-1.0": "cc0",
    "CC-BY-4.0": "naamsvermelding40",
    "CC-BY-SA-4.0": "naamsvermelding_gelijkdelen40",
}
"""The descriptors' licence names (SPDX) → the DCAT-AP-NL licence list (Geonovum)."""

THEMES = {
    EU + "data-theme/EDUC": "Onderwijs, cultuur en sport",
    "http://standaarden.overheid.nl/owms/terms/Onderwijs_en_wetenschap": "Onderwijs en wetenschap",
}
"""Every dataset is about education: the EU data theme (required) and the DONL main theme."""

DESCRIPTION = (
    "Open data over passend onderwijs per samenwerkingsverband en gemeente: "
    "afgeschermde CSV-bestanden met een datapackage.json per dataset."
)

FORMATS = {
    "csv": (EU + "file-type/CSV", "https://www.iana.org/assignments/media-types/text/csv"),
    "json": (
        EU + "file-type/JSON",
        "https://www.iana.org/assignments/media-types/application/json",
    ),
}
RANK = {"dcat:Catalog": 0, "dcat:Dataset": 1, "dcat:Distribution": 2}
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"


def catalogue_json(catalog: Catalog, site: Path) -> str:
    """Reads the Catalog and the downloads written under ``site``; returns ``catalogus.json``."""
    nodes = _Nodes()
    datasets = catalog.datasets
    if not datasets:
        raise InputError(["catalogus.json: er is geen enkele dataset om te beschrijven"])
    maintainer = _contributor(datasets[0], "maintainer")
    nodes.add(
        {
            "@id": config.SITE_URL + "catalogus.json",
            "@type": "dcat:Catalog",
            "dct:title": _nl(config.SITE_NAME),
            "dct:description": _nl(DESCRIPTION),
            "dct:publisher": nodes.agent(maintainer),
            "dcat:contactPoint": nodes.contact(maintainer),
            "foaf:homepage": nodes.typed(config.SITE_URL, "foaf:Document"),
            "dct:language": nodes.typed(EU + "language/NLD", "dct:LinguisticSystem"),
            "dcat:dataset": [_ref(_dataset_iri(p)) for p in datasets],
        }
    )
    for package in datasets:
        _dataset(package, site, nodes)
    document = {"@context": CONTEXT, "@graph": nodes.graph()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class _Nodes:
    """The nodes of the graph in order of first use; shared nodes are added once."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}

    def add(self, node: dict[str, Any]) -> dict[str, str]:
        if self.nodes.setdefault(node["@id"], node) != node:
            raise ValueError(f"two different nodes are called {node['@id']} in catalogus.json")
        return _ref(node["@id"])

    def typed(self, iri: str, kind: str, label: str = "") -> dict[str, str]:
        node: dict[str, Any] = {"@id": iri, "@type": kind}
        if label:
            node["skos:prefLabel"] = _nl(label)
        return self.add(node)

    def agent(self, contributor: Mapping[str, str]) -> dict[str, str]:
        name = contributor["title"]
        return self.add({"@id": f"_:{_slug(name)}", "@type": "foaf:Agent", "foaf:name": _nl(name)})

    def contact(self, contributor: Mapping[str, str]) -> dict[str, str]:
        name = contributor["title"]
        node: dict[str, Any] = {
            "@id": f"_:contact-{_slug(name)}",
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": _nl(name),
        }
        if contributor.get("email"):
            node["vcard:hasEmail"] = _ref(f"mailto:{contributor['email']}")
        return self.add(node)

    def graph(self) -> list[dict[str, Any]]:
        """The catalogue, its datasets, their distributions, then what they refer to."""
        return sorted(self.nodes.values(), key=lambda node: RANK.get(str(node["@type"]), 3))


def _dataset(package: Package, site: Path, nodes: _Nodes) -> None:
    d = package.descriptor
    maintainer = _contributor(package, "maintainer")
    dates = _dates(package)
    node: dict[str, Any] = {
        "@id": _dataset_iri(package),
        "@type": "dcat:Dataset",
        "dct:identifier": _dataset_iri(package),
        "dct:title": _nl(package.title),
        "dct:description": _nl(str(d.get("description", ""))),
        "dcat:landingPage": nodes.typed(_landing(package), "foaf:Document"),
        "dct:publisher": nodes.agent(maintainer),
        "dct:creator": nodes.agent(_contributor(package, "author") or maintainer),
        "dcat:contactPoint": nodes.contact(maintainer),
        "dcat:theme": [nodes.typed(iri, "skos:Concept", label) for iri, label in THEMES.items()],
        "dct:accessRights": nodes.typed(EU + "access-right/PUBLIC", "dct:RightsStatement"),
        "dct:language": nodes.typed(EU + "language/NLD", "dct:LinguisticSystem"),
        "dcat:keyword": [_nl(k) for k in d.get("keywords", [])],
        **dates,
    }
    if package.version:
        node["dcat:version"] = package.version
    notes = _version_notes(package)
    if notes:
        node["adms:versionNotes"] = notes
    nodes.add(node)
    node["dcat:distribution"] = [
        nodes.add(dist | {"dct:license": _licence(package, nodes), **dates})
        for dist in _distributions(package, site, nodes)
    ]


def _distributions(package: Package, site: Path, nodes: _Nodes) -> list[dict[str, Any]]:
    """The full CSV download of each resource, then the ``datapackage.json`` beside them."""
    single = len(package.resources) == 1
    files = [
        (config.csv_name(package.name, r.name, single), r.title, r.description)
        for r in package.resources.values()
    ]
    title = f"Beschrijving van de downloads van ‘{package.title}’ (datapackage.json)"
    about = "Frictionless Data Package: schema, licentie, bronnen, versie, peildatum, privacyregel."
    files.append(("datapackage.json", title, about))
    dists = [_distribution(package, *file, site, nodes) for file in files]
    dists[-1]["dct:conformsTo"] = nodes.typed(DATA_PACKAGE_SPEC, "dct:Standard")
    return dists


def _distribution(
    package: Package, file: str, title: str, description: str, site: Path, nodes: _Nodes
) -> dict[str, Any]:
    path = config.dataset_url(package.name) + file
    file_type, media_type = FORMATS[file.rsplit(".", 1)[-1]]
    return {
        "@id": f"{_landing(package)}#{file}",
        "@type": "dcat:Distribution",
        "dct:title": _nl(title),
        "dct:description": _nl(description),
        "dcat:accessURL": _ref(config.SITE_URL + path),
        "dcat:downloadURL": _ref(config.SITE_URL + path),
        "dct:format": nodes.typed(file_type, "dct:MediaTypeOrExtent"),
        "dcat:mediaType": nodes.typed(media_type, "dct:MediaType"),
        "dcat:byteSize": _typed(str(_size(site, path)), "xsd:nonNegativeInteger"),
    }


def _size(site: Path, path: str) -> int:
    """The size of a download already written into the site; a missing file is a bug."""
    target = site / path
    if not target.is_file():
        raise ValueError(f"catalogus.json would list {path}, which the site does not have")
    return target.stat().st_size


def _licence(package: Package, nodes: _Nodes) -> dict[str, str]:
    """The package's licence from the DCAT-AP-NL list (one per distribution)."""
    licences = package.descriptor.get("licenses") or [{}]
    name = str(licences[0].get("name", ""))
    if name not in GEONOVUM_LICENCE:
        raise InputError(
            [f"{package.name}/datapackage.json: licentie '{name}' staat niet in GEONOVUM_LICENCE"]
        )
    return nodes.typed(LICENCES + GEONOVUM_LICENCE[name], "dct:LicenseDocument")


def _dates(package: Package) -> dict[str, Any]:
    """Issued and modified: the first and the last date of the package's changelog."""
    dates = package.release_dates
    if not dates:
        return {}
    return {
        "dct:issued": _typed(datetime.date.fromisoformat(dates[0]).isoformat(), "xsd:date"),
        "dct:modified": _typed(datetime.date.fromisoformat(dates[-1]).isoformat(), "xsd:date"),
    }


def _version_notes(package: Package) -> list[dict[str, str]]:
    changes = package.descriptor.get("changelog", [])
    return [_nl(str(c["description"])) for c in changes if c.get("version") == package.version]


def _contributor(package: Package, role: str) -> dict[str, str]:
    for contributor in package.descriptor.get("contributors", []):
        if role in contributor.get("roles", [contributor.get("role")]) and contributor.get("title"):
            return dict(contributor)
    if role == "author":
        return {}
    raise InputError([f"{package.name}/datapackage.json: geen contributor met rol '{role}'"])


def _dataset_iri(package: Package) -> str:
    return _landing(package) + "#dataset"


def _landing(package: Package) -> str:
    return config.SITE_URL + config.dataset_url(package.name)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _nl(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "nl"}


def _typed(value: str, datatype: str) -> dict[str, str]:
    return {"@value": value, "@type": datatype}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}
