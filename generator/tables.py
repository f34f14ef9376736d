"""Stage 4, tables: every table the site will publish, overlaps included, still unmasked.

Reads the derived ``Catalog`` and the ``Regions``; returns the ``View``s: each dataset in full,
each dataset's view per SWV and per gemeente. Overlaps are explicit rows: a gemeente in two SWVs
appears under both; so/vso, geen onderwijs and onbekend verzuim appear at the po and the vo SWV.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from generator import cbs_comparison
from generator.model import Catalog, FieldInfo, Level, Regions, Resource, View
from generator.regions import vestiging_years, yearly

CLUSTER = "leerlingen-cluster-1-2"
SWV_DATA = "passend-onderwijs-swv"
VERZUIM = "langdurig-relatief-verzuim"
CBS = "leerlingen-speciaal-onderwijs-gemeente"
CBS_TODAY = "leerlingen_huidige_gemeenten"

VERZUIM_PER_SECTOR = {
    "po": ("po", "so-vso", "geen-onderwijs", "onbekend"),
    "vo": ("vo", "so-vso", "geen-onderwijs", "onbekend"),
}
"""Onderwijssoorten shown at an SWV of each sector: the ones that cannot be split go to both."""

CBS_PER_SECTOR = {
    "po": ("totaal-bao-sbao", "bao", "sbao", "totaal-so-vso", "so"),
    "vo": ("totaal-so-vso", "vso", "vo"),
}
"""CBS onderwijssoorten summed at an SWV of each sector (so is of po age, vso of vo age)."""


def tables(catalog: Catalog, regions: Regions) -> tuple[View, ...]:
    """Reads the derived Catalog and Regions; returns every view the site publishes."""
    views = [
        _whole(package.name, resource)
        for package in catalog.datasets
        for resource in package.resources.values()
    ]
    views += _swv_views(catalog, regions)
    views += _gemeente_views(catalog, regions)
    return tuple(views)


def _whole(dataset: str, resource: Resource) -> View:
    return _view(
        dataset,
        resource.name,
        "dataset",
        None,
        resource.fields,
        resource.frame,
        resource.primary_key,
    )


def _view(
    dataset: str,
    resource: str,
    level: Level,
    entity: str | None,
    fields: tuple[FieldInfo, ...],
    frame: pd.DataFrame,
    key: tuple[str, ...],
) -> View:
    if entity is not None and entity not in key:
        key = (entity, *key)
    columns = [f.name for f in fields]
    frame = frame[columns].sort_values(list(key), kind="stable").reset_index(drop=True)
    return View(dataset, resource, level, entity, fields, key, frame)


def _swv_views(catalog: Catalog, regions: Regions) -> list[View]:
    views = []
    if SWV_DATA in catalog.packages:
        for resource in catalog.packages[SWV_DATA].resources.values():
            if "swv_code" in resource.frame.columns:
                views.append(
                    _view(
                        SWV_DATA,
                        resource.name,
                        "swv",
                        "swv_code",
                        resource.fields,
                        resource.frame,
                        resource.primary_key,
                    )
                )
    if CLUSTER in catalog.packages:
        views.append(_cluster_per_swv(catalog, regions))
    if VERZUIM in catalog.packages:
        views.append(_verzuim_per_swv(catalog, regions))
    if CBS in catalog.packages:
        views.append(_cbs_per_swv(catalog, regions))
        compared = catalog.resource(CBS, cbs_comparison.SWV_NAME)
        frame = compared.frame[compared.frame["swv_code"].isin(list(regions.swvs))]
        key = compared.primary_key
        views.append(_view(CBS, compared.name, "swv", "swv_code", compared.fields, frame, key))
    return views


def _gemeente_views(catalog: Catalog, regions: Regions) -> list[View]:
    views = []
    if CLUSTER in catalog.packages:
        resource = catalog.resource(CLUSTER, "leerlingen")
        gemeente = pd.Series({v.code: v.gemeente for v in regions.vestigingen.values()})
        frame = resource.frame.assign(gemeente_code=resource.frame["vestiging_code"].map(gemeente))
        fields = (catalog.code_field("gemeenten", "gemeente_code"), *resource.fields)
        views.append(
            _view(
                CLUSTER,
                "leerlingen",
                "gemeente",
                "gemeente_code",
                fields,
                frame,
                resource.primary_key,
            )
        )
    if VERZUIM in catalog.packages:
        resource = catalog.resource(VERZUIM, "verzuim")
        views.append(
            _view(
                VERZUIM,
                "verzuim",
                "gemeente",
                "gemeente_code",
                resource.fields,
                resource.frame,
                resource.primary_key,
            )
        )
    if CBS in catalog.packages:
        views.append(_cbs_per_gemeente(catalog, regions, CBS_TODAY))
        views.append(_cbs_per_gemeente(catalog, regions, cbs_comparison.NAME))
    return views


def _cbs_per_gemeente(catalog: Catalog, regions: Regions, name: str) -> View:
    """A CBS resource's rows of each current gemeente: today's series (mergers already summed
    by the import), or its comparison with its SWVs and the country."""
    resource = catalog.resource(CBS, name)
    frame = resource.frame[resource.frame["gemeente_code"].isin(list(regions.gemeenten))]
    key = resource.primary_key
    return _view(CBS, name, "gemeente", "gemeente_code", resource.fields, frame, key)


def _cbs_per_swv(catalog: Catalog, regions: Regions) -> View:
    """The CBS counts of an SWV's gemeenten summed; a split gemeente counts in full at each."""
    resource = catalog.resource(CBS, CBS_TODAY)
    links = _links(regions, resource.frame["schooljaar"], CBS_PER_SECTOR)
    keys = ["swv_code", "onderwijssoort", "schooljaar"]
    frame = (
        links.merge(resource.frame, on=["gemeente_code", "onderwijssoort", "schooljaar"])
        .groupby(keys, observed=True)
        .agg(
            aantal=("aantal", "sum"),
            aantal_gemeenten_bron=("aantal_gemeenten_bron", "sum"),
            onvolledig=("onvolledig", "any"),
            voorlopig=("voorlopig", "any"),
        )
        .reset_index()
    )
    by_name = {f.name: f for f in resource.fields}
    summed = (
        " Opgeteld over de gemeenten die in dat schooljaar bij de regio horen; een gemeente die "
        "over twee samenwerkingsverbanden is verdeeld, telt bij elk volledig mee."
    )
    fields = (
        catalog.code_field("swv", "swv_code"),
        by_name["onderwijssoort"],
        by_name["schooljaar"],
        replace(
            by_name["aantal"],
            title="Leerlingen (som over de gemeenten)",
            description=by_name["aantal"].description + summed,
        ),
        replace(
            by_name["aantal_gemeenten_bron"],
            description=by_name["aantal_gemeenten_bron"].description + summed,
        ),
        by_name["onvolledig"],
        by_name["voorlopig"],
    )
    return _view(CBS, CBS_TODAY, "swv", "swv_code", fields, frame, tuple(keys))


def _cluster_per_swv(catalog: Catalog, regions: Regions) -> View:
    """Pupils of cluster 1/2 summed over the vestigingen in each SWV region."""
    resource = catalog.resource(CLUSTER, "leerlingen")
    links = vestiging_years(regions, resource.frame["peiljaar"])
    keys = ["swv_code", "peiljaar", "cluster", "onderwijssoort"]
    frame = (
        resource.frame.merge(links, on=["vestiging_code", "peiljaar"])
        .groupby(keys, observed=True)["aantal_leerlingen"]
        .sum(skipna=False)  # a total is missing when one of its parts is missing
        .reset_index()
    )
    count = next(f for f in resource.fields if f.name == "aantal_leerlingen")
    count = replace(
        count,
        description=f"{count.description} Opgeteld over de schoolvestigingen in de regio.",
    )
    by_name = {f.name: f for f in resource.fields}
    fields = (
        catalog.code_field("swv", "swv_code"),
        by_name["peiljaar"],
        by_name["cluster"],
        by_name["onderwijssoort"],
        count,
    )
    return _view(CLUSTER, "leerlingen", "swv", "swv_code", fields, frame, tuple(keys))


def _links(
    regions: Regions, periods: pd.Series, per_sector: Mapping[str, tuple[str, ...]]
) -> pd.DataFrame:
    """For each period: the SWV, gemeente and onderwijssoort of every membership that held in
    its peiljaar (a gemeente that changed SWV counts at its old SWV before the change)."""
    held = yearly(regions.history, periods)
    soorten = pd.DataFrame(
        [
            (swv, soort)
            for swv in held["swv_code"].unique()
            for soort in per_sector[regions.swvs[swv].sector]
        ],
        columns=["swv_code", "onderwijssoort"],
    )
    links = held.merge(soorten, on="swv_code")
    column = str(periods.name)
    return links[["swv_code", "gemeente_code", "onderwijssoort", column]]


def _verzuim_per_swv(catalog: Catalog, regions: Regions) -> View:
    """Each SWV's gemeenten, in full, with the onderwijssoorten of the SWV's sector."""
    resource = catalog.resource(VERZUIM, "verzuim")
    links = _links(regions, resource.frame["schooljaar"], VERZUIM_PER_SECTOR)
    frame = links.merge(resource.frame, on=["gemeente_code", "onderwijssoort", "schooljaar"])
    fields = (catalog.code_field("swv", "swv_code"), *resource.fields)
    return _view(VERZUIM, "verzuim", "swv", "swv_code", fields, frame, resource.primary_key)
