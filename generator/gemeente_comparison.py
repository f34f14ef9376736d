"""Each gemeente beside its samenwerkingsverbanden and the country: pupils in special education
per 1,000 pupils, from the CBS counts (a derived resource of the CBS package).

Why these figures and not our own counts: CBS rounded every count to tens before publishing
(source-side protection), so sums and shares of them reveal no person and need no suppression.
A share of our own suppressed counts (verzuim) summed over an SWV or the country would tie
hundreds of hidden cells into one equation system (see docs/architecture.md).

Per sector the share compares like with like: po counts pupils of primary age (sbao and so among
bao, sbao and so), vo those of secondary age (vso among vo and vso). An SWV's figure sums its
gemeenten, a gemeente split over two SWVs in full at each (as on the SWV pages); the national
figure sums every current gemeente. A figure is the sum of the parts divided by the sum of the
wholes, never an average of shares.
"""

from __future__ import annotations

import pandas as pd

from generator.model import FieldInfo, Resource

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


def comparison(source: Resource, memberships: pd.DataFrame) -> Resource:
    """Reads the CBS counts of today's gemeenten and the indeling (gemeente_code, swv_code);
    returns the comparison of each current gemeente with its SWVs and the country."""
    memberships = memberships[["gemeente_code", "swv_code"]].drop_duplicates()
    current = sorted(memberships["gemeente_code"].unique())
    own = _sector_sums(source.frame[source.frame["gemeente_code"].isin(current)])
    frames = [own.assign(gebied=own["gemeente_code"])]
    in_swv = memberships.assign(sector=memberships["swv_code"].str[:2].str.lower())
    swv_sums = _summed(own.merge(in_swv, on=["gemeente_code", "sector"]), ["swv_code"])
    frames.append(
        in_swv.merge(swv_sums, on=["swv_code", "sector"]).rename(columns={"swv_code": "gebied"})
    )
    national = _summed(own, []).assign(gebied=NATIONAL)
    everyone = pd.DataFrame({"gemeente_code": current})
    frames.append(everyone.merge(national, how="cross"))
    rows = pd.concat(frames, ignore_index=True)
    rows["per_1000"] = per_thousand(rows["speciaal"], rows["leerlingen"])
    fields = _fields(source)
    frame = rows[[f.name for f in fields]].sort_values(list(KEY), kind="stable")
    return Resource(
        name=NAME,
        title="Vergelijking met de samenwerkingsverbanden en het land",
        description=DESCRIPTION,
        fields=fields,
        derived=(),
        primary_key=KEY,
        frame=frame.reset_index(drop=True),
        path=f"{NAME}.csv",
        notes={"gemeente": DESCRIPTION},
    )


DESCRIPTION = (
    "Per gemeente en schooljaar: het aantal leerlingen in het speciaal onderwijs per 1.000 "
    "leerlingen, naast hetzelfde cijfer van elk samenwerkingsverband waar de gemeente bij hoort "
    "en van heel Nederland. Po: leerlingen in sbao en so per 1.000 leerlingen in bao, sbao en so "
    "(leeftijd van het primair onderwijs); vo: leerlingen in vso per 1.000 leerlingen in vo en "
    "vso. Een samenwerkingsverband telt de leerlingen van zijn gemeenten op; een gemeente die "
    "over twee samenwerkingsverbanden is verdeeld, telt bij elk volledig mee. Het cijfer van een "
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


def _fields(source: Resource) -> tuple[FieldInfo, ...]:
    by_name = {f.name: f for f in source.fields}
    rounding = by_name["aantal"].rounding
    count = {"required": True, "minimum": 0}
    return (
        by_name["gemeente_code"],
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
            "De gemeente zelf (haar GM-code), een samenwerkingsverband waar zij bij hoort (zijn "
            f"code) of heel Nederland ({NATIONAL}).",
            constraints={"required": True},
            labels={NATIONAL: "Nederland"},
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
