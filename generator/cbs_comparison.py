"""Shares of special education from the CBS counts (derived resources of the CBS package):
each gemeente beside its samenwerkingsverbanden and the country, and each SWV beside the SWVs
of its size class and the country; pupils in special education per 1,000 pupils.

Why these figures and not our own counts: CBS rounded every count to tens before publishing
(source-side protection), so sums and shares of them reveal no person and need no suppression.
A share of our own suppressed counts (verzuim) summed over an SWV or the country would tie
hundreds of hidden cells into one equation system (see docs/architecture.md).

Per sector the share compares like with like: po counts pupils of primary age (sbao and so among
bao, sbao and so), vo those of secondary age (vso among vo and vso). An SWV's figure sums its
gemeenten, a gemeente split over two SWVs in full at each (as on the SWV pages); a size class
sums its SWVs' figures; the national figure sums every current gemeente. A figure is the sum of
the parts divided by the sum of the wholes, never an average of shares.

The size classes are those of ``peers`` (each sector cut into classes of at most 10 SWVs), by
the SWV's pupils in the first schooljaar of the data: a class does not change when a year is
added.
"""

from __future__ import annotations

import pandas as pd

from generator import peers
from generator.model import FieldInfo, Membership, Resource
from generator.regions import yearly

NAME = "vergelijking_gemeenten"
SOURCE = "leerlingen_huidige_gemeenten"
NATIONAL = "landelijk"
PER = 1000

SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "po": (("sbao", "so"), ("bao", "sbao", "so")),
    "vo": (("vso",), ("vo", "vso")),
}
"""Per sector: the onderwijssoorten counted as special education, and those of all pupils."""

KEY = ("gemeente_code", "sector", "gebied", "schooljaar")
SWV_NAME = "vergelijking_swv"
SWV_KEY = ("swv_code", "sector", "gebied", "schooljaar")

GEMEENTE_AREAS = (
    "De gemeente zelf (haar GM-code), een samenwerkingsverband waar zij bij hoort (zijn code) "
    f"of heel Nederland ({NATIONAL})."
)
SIZE_CLASS = "klasse"
"""The area of an SWV's size class (sorts between the SWV's own code and the country)."""
SWV_AREAS = (
    "Het samenwerkingsverband zelf (zijn code), de samenwerkingsverbanden van dezelfde sector "
    f"en omvang ({SIZE_CLASS}) of heel Nederland ({NATIONAL})."
)


def comparison(source: Resource, history: tuple[Membership, ...]) -> Resource:
    """Reads the CBS counts of today's gemeenten and every indeling; returns the comparison of
    each current gemeente with the SWVs it belonged to in each schooljaar, and the country."""
    sums = _Sums(source, history)
    own = sums.gemeenten
    frames = [own.assign(gebied=own["gemeente_code"])]
    in_swv = sums.memberships.merge(sums.swvs, on=["swv_code", "sector", "schooljaar"])
    frames.append(in_swv.rename(columns={"swv_code": "gebied"}))
    everyone = pd.DataFrame({"gemeente_code": sums.current})
    frames.append(everyone.merge(sums.national, how="cross"))
    fields = _fields(source, _field(source, "gemeente_code"), GEMEENTE_AREAS)
    title = "Vergelijking met de samenwerkingsverbanden en het land"
    return _resource(NAME, title, DESCRIPTION, "gemeente", fields, KEY, frames)


def swv_comparison(
    source: Resource, history: tuple[Membership, ...], swv_code: FieldInfo
) -> Resource:
    """Reads the CBS counts of today's gemeenten, every indeling and the field of an SWV code;
    returns the comparison of each SWV with the SWVs of its size class and the country."""
    sums = _Sums(source, history)
    swvs = sums.swvs
    first = swvs[swvs["schooljaar"].astype(str) == swvs["schooljaar"].astype(str).min()]
    classes = peers.size_classes(dict(zip(first["swv_code"], first["leerlingen"], strict=True)))
    frames = [swvs.assign(gebied=swvs["swv_code"])]
    members = pd.DataFrame(
        [(swv, member) for swv, group in classes.items() for member in group],
        columns=["swv_code", "lid"],
    )
    peer_rows = members.merge(swvs.rename(columns={"swv_code": "lid"}), on="lid")
    frames.append(_summed(peer_rows, ["swv_code"]).assign(gebied=SIZE_CLASS))
    everyone = swvs[["swv_code", "sector"]].drop_duplicates()
    frames.append(everyone.merge(sums.national, on="sector"))
    fields = _fields(source, swv_code, SWV_AREAS)
    title = "Vergelijking met vergelijkbare samenwerkingsverbanden en het land"
    return _resource(SWV_NAME, title, SWV_DESCRIPTION, "swv", fields, SWV_KEY, frames)


class _Sums:
    """The sector sums both comparisons are made of: per current gemeente, per SWV (over the
    gemeenten it had that schooljaar, a split one in full at each) and for the country."""

    def __init__(self, source: Resource, history: tuple[Membership, ...]) -> None:
        self.current = sorted({m.gemeente for m in history if m.tot is None})
        frame = source.frame
        self.gemeenten = _sector_sums(frame[frame["gemeente_code"].isin(self.current)])
        links = yearly(history, frame["schooljaar"]).drop_duplicates()
        self.memberships = links.assign(sector=links["swv_code"].str[:2].str.lower())
        on = ["gemeente_code", "sector", "schooljaar"]
        joined = self.gemeenten.merge(self.memberships, on=on)
        self.swvs = _summed(joined, ["swv_code"])
        self.national = _summed(self.gemeenten, []).assign(gebied=NATIONAL)


def _field(resource: Resource, name: str) -> FieldInfo:
    return next(f for f in resource.fields if f.name == name)


def _resource(
    name: str,
    title: str,
    description: str,
    level: str,
    fields: tuple[FieldInfo, ...],
    key: tuple[str, ...],
    frames: list[pd.DataFrame],
) -> Resource:
    """A comparison: its rows with their share, in key order; the method shown at ``level``."""
    rows = pd.concat(frames, ignore_index=True)
    rows["per_1000"] = per_thousand(rows["speciaal"], rows["leerlingen"])
    frame = rows[[f.name for f in fields]].sort_values(list(key), kind="stable")
    return Resource(
        name=name,
        title=title,
        description=description,
        fields=fields,
        derived=(),
        primary_key=key,
        frame=frame.reset_index(drop=True),
        path=f"{name}.csv",
        notes={level: description},
    )


DESCRIPTION = (
    "Per gemeente en schooljaar: het aantal leerlingen in het speciaal onderwijs per 1.000 "
    "leerlingen, naast hetzelfde cijfer van elk samenwerkingsverband waar de gemeente bij hoort "
    "en van heel Nederland. Po: leerlingen in sbao en so per 1.000 leerlingen in bao, sbao en so "
    "(leeftijd van het primair onderwijs); vo: leerlingen in vso per 1.000 leerlingen in vo en "
    "vso. Een samenwerkingsverband telt de leerlingen op van de gemeenten die in dat schooljaar "
    "bij hem horen; een gemeente die "
    "over twee samenwerkingsverbanden is verdeeld, telt bij elk volledig mee. Het cijfer van een "
    "groep is de som van de tellers gedeeld door de som van de noemers. De aantallen zijn door "
    "het CBS afgerond op tientallen; sommen en verhoudingen zijn daardoor bij benadering. "
    "Berekend."
)


SWV_DESCRIPTION = (
    "Per samenwerkingsverband en schooljaar: het aantal leerlingen in het speciaal onderwijs per "
    "1.000 leerlingen, naast hetzelfde cijfer van de samenwerkingsverbanden van dezelfde sector "
    "en omvang (elke sector is naar het aantal leerlingen in het eerste schooljaar verdeeld in "
    "klassen van hoogstens 10) en van heel Nederland. Po: leerlingen in sbao en so per 1.000 "
    "leerlingen in bao, sbao en so; vo: leerlingen in vso per 1.000 leerlingen in vo en vso. "
    "Een samenwerkingsverband telt de leerlingen op van de gemeenten die in dat schooljaar bij "
    "hem horen; een gemeente die over "
    "twee samenwerkingsverbanden is verdeeld, telt bij elk volledig mee. Het cijfer van een "
    "groep is de som van de tellers gedeeld door de som van de noemers. De aantallen zijn door "
    "het CBS afgerond op tientallen; sommen en verhoudingen zijn daardoor bij benadering. "
    "Berekend."
)


def per_thousand(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Part per 1,000 of whole, one decimal; missing where whole is zero or missing."""
    whole = whole.astype("Float64").mask(whole == 0)
    return (part.astype("Float64") / whole * PER).round(1)


def _sector_sums(frame: pd.DataFrame) -> pd.DataFrame:
    """Per gemeente, sector and schooljaar: pupils in special education and all pupils."""
    parts = []
    for sector, (special, everyone) in SECTORS.items():
        chosen = frame[frame["onderwijssoort"].isin(everyone)]
        chosen = chosen.assign(
            speciaal=chosen["aantal"].where(chosen["onderwijssoort"].isin(special), 0),
            sector=sector,
        )
        parts.append(_summed(chosen.rename(columns={"aantal": "leerlingen"}), ["gemeente_code"]))
    return pd.concat(parts, ignore_index=True)


def _summed(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby([*by, "sector", "schooljaar"], observed=True)
    sums = grouped.agg(
        speciaal=("speciaal", "sum"),
        leerlingen=("leerlingen", "sum"),
        onvolledig=("onvolledig", "any"),
        voorlopig=("voorlopig", "any"),
    )
    return sums.reset_index()


def _fields(source: Resource, code: FieldInfo, areas: str) -> tuple[FieldInfo, ...]:
    by_name = {f.name: f for f in source.fields}
    rounding = by_name["aantal"].rounding
    count = {"required": True, "minimum": 0}
    return (
        code,
        FieldInfo(
            "sector",
            "string",
            "Sector",
            "po: leeftijd van het primair onderwijs; vo: van het voortgezet onderwijs.",
            constraints={"required": True, "enum": list(SECTORS)},
            labels={"po": "po", "vo": "vo"},
        ),
        FieldInfo(
            "gebied",
            "string",
            "Gebied",
            areas,
            constraints={"required": True},
            labels={NATIONAL: "Nederland", SIZE_CLASS: peers.SIZE_GROUP},
        ),
        by_name["schooljaar"],
        FieldInfo(
            "speciaal",
            "integer",
            "Leerlingen speciaal onderwijs",
            "Po: sbao en so; vo: vso. Som van door het CBS op tientallen afgeronde aantallen.",
            constraints=count,
            rounding=rounding,
        ),
        FieldInfo(
            "leerlingen",
            "integer",
            "Leerlingen",
            "Po: bao, sbao en so; vo: vo en vso. Som van door het CBS op tientallen afgeronde "
            "aantallen.",
            constraints=count,
            rounding=rounding,
        ),
        FieldInfo(
            "per_1000",
            "number",
            "Speciaal onderwijs per 1.000 leerlingen",
            "Leerlingen speciaal onderwijs per 1.000 leerlingen (bij benadering: uit afgeronde "
            "aantallen).",
            derived=True,
            inputs=("speciaal", "leerlingen"),
            unit="per 1.000 leerlingen",
        ),
        by_name["onvolledig"],
        by_name["voorlopig"],
    )
