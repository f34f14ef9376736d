"""Stage 2, derive: the documented rules that compute derived columns from base columns.

Reads the ``Catalog``; returns a ``Catalog`` whose resources carry their derived columns, as
declared (with title, description and inputs) under ``derivedFields`` in each resource's
descriptor. Each rule is one small function whose docstring quotes the source's wording.
Percentages are percentage points (12.5 means 12,5 %).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from generator.model import Catalog, Package, Resource

CENTRALE_REGIE_DREMPEL = 50.0
KRIMP_DREMPEL = -5.0
SBAO_DREMPEL = 2.5
VEREVENING_DREMPEL = 10.0


def actueel(frame: pd.DataFrame) -> pd.Series:
    """Actueel = begin schooljaar + nieuw − opgelost − 18 jaar geworden − verhuisd."""
    return (
        frame["begin_schooljaar"]
        + frame["nieuw"]
        - frame["opgelost"]
        - frame["achttien_jaar_geworden"]
        - frame["verhuisd"]
    )


def percentage(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Part as a percentage of whole; missing where whole is zero or missing."""
    whole = whole.astype("Float64").mask(whole == 0)
    return (part.astype("Float64") / whole * 100).round(2)


def meer_doorbetaling_dan_centrale_regie(aandeel_doorbetalingen: pd.Series) -> pd.Series:
    """Meer doorbetaling dan besteding onder centrale regie: doorbetalingen > 50 %."""
    return aandeel_doorbetalingen > CENTRALE_REGIE_DREMPEL


def procentuele_ontwikkeling(telling: pd.Series, prognose: pd.Series) -> pd.Series:
    """Procentuele ontwikkeling = (prognose 2020 − telling 2015) / telling 2015."""
    return percentage(prognose - telling, telling)


def sterke_krimp(ontwikkeling: pd.Series) -> pd.Series:
    """Sterke krimp: een daling van meer dan 5 %."""
    return ontwikkeling < KRIMP_DREMPEL


def hoog_aandeel_sbao(aandeel_sbao: pd.Series) -> pd.Series:
    """Hoog aandeel sbao: 2,5 % of meer (alleen po)."""
    return aandeel_sbao >= SBAO_DREMPEL


def sterke_negatieve_verevening(vereveningspercentage: pd.Series) -> pd.Series:
    """Sterke negatieve verevening: 10 % of meer negatieve verevening."""
    return vereveningspercentage <= -VEREVENING_DREMPEL


def vereveningscategorie(vereveningspercentage: pd.Series) -> pd.Series:
    """Sterk negatief (≥ 10 % negatief), binnen −10 % en +10 %, of sterk positief (≥ 10 %)."""
    category = np.select(
        [
            vereveningspercentage <= -VEREVENING_DREMPEL,
            vereveningspercentage >= VEREVENING_DREMPEL,
        ],
        ["sterk negatief", "sterk positief"],
        default="binnen -10% en +10%",
    )
    return pd.Series(category, index=vereveningspercentage.index, dtype=str)


def aantal_factoren_financiele_druk(
    sector: pd.Series, krimp: pd.Series, sbao: pd.Series, verevening: pd.Series
) -> pd.Series:
    """Aantal factoren financiële druk: po telt 3 vlaggen (krimp, sbao, verevening), vo 2."""
    po_only = sbao.fillna(False).astype(bool) & (sector == "po")
    total = krimp.fillna(False).astype(int) + verevening.fillna(False).astype(int)
    return (total + po_only.astype(int)).astype("Int64")


def derive(catalog: Catalog) -> Catalog:
    """Reads the Catalog; returns it with every declared derived column computed."""
    packages = dict(catalog.packages)
    for (package_name, resource_name), rule in RULES.items():
        if package_name not in packages:
            continue
        package = packages[package_name]
        resource = package.resources[resource_name]
        columns = rule(resource.frame, catalog)
        packages[package_name] = _with_resource(package, _extended(resource, columns))
    return Catalog(packages=packages)


def _extended(resource: Resource, columns: pd.DataFrame) -> Resource:
    declared = [f.name for f in resource.derived]
    if list(columns.columns) != declared:
        raise ValueError(f"{resource.name}: derived {list(columns.columns)} != {declared}")
    frame = pd.concat([resource.frame, columns], axis=1)
    return replace(resource, fields=resource.fields + resource.derived, derived=(), frame=frame)


def _with_resource(package: Package, resource: Resource) -> Package:
    resources = {**package.resources, resource.name: resource}
    return replace(package, resources=resources)


def _verzuim(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame({"actueel": actueel(frame)})


def _kenmerken(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    package = "passend-onderwijs-swv"
    codes = frame["swv_code"]
    totals = _pupil_totals(catalog.resource(package, "leerlingen").frame)
    money = catalog.resource(package, "financien").frame
    money_2015 = money[money["jaar"] == 2015].set_index("swv_code").reindex(codes)
    sector = pd.Series(codes.str[:2].str.lower().to_numpy(), index=frame.index)
    out = pd.DataFrame(index=frame.index)
    for column in ("leerlingen_2014_2015", "leerlingen_2015_2016", "sbao_2015_2016"):
        out[column] = totals[column].reindex(codes).to_numpy()
    out["sbao_2015_2016"] = out["sbao_2015_2016"].astype("Int64").mask(sector != "po")
    funding = money_2015["rijksbijdrage"] + money_2015["overige_subsidies"]
    out["aandeel_doorbetalingen_2015"] = percentage(
        money_2015["doorbetalingen"], funding
    ).to_numpy()
    out["meer_doorbetaling_dan_centrale_regie"] = meer_doorbetaling_dan_centrale_regie(
        out["aandeel_doorbetalingen_2015"]
    )
    out["ontwikkeling_leerlingen"] = procentuele_ontwikkeling(
        frame["telling_2015"], frame["prognose_2020"]
    )
    out["sterke_krimp"] = sterke_krimp(out["ontwikkeling_leerlingen"])
    out["aandeel_sbao"] = percentage(out["sbao_2015_2016"], out["leerlingen_2015_2016"])
    out["hoog_aandeel_sbao"] = hoog_aandeel_sbao(out["aandeel_sbao"])
    out["sterke_negatieve_verevening"] = sterke_negatieve_verevening(frame["vereveningspercentage"])
    out["vereveningscategorie"] = vereveningscategorie(frame["vereveningspercentage"])
    out["aantal_factoren_financiele_druk"] = aantal_factoren_financiele_druk(
        sector, out["sterke_krimp"], out["hoog_aandeel_sbao"], out["sterke_negatieve_verevening"]
    )
    out["percentage_lgf"] = percentage(frame["lgf_31_juli_2014"], out["leerlingen_2014_2015"])
    out["percentage_opp"] = percentage(frame["opp_2015_2016"], out["leerlingen_2015_2016"])
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].astype("boolean")
    return out


def _pupil_totals(leerlingen: pd.DataFrame) -> pd.DataFrame:
    """Per SWV: total pupils 2014-2015 and 2015-2016, and sbao pupils 2015-2016."""
    by_year = leerlingen.pivot_table(
        index="swv_code", columns="schooljaar", values="aantal_leerlingen", aggfunc="sum"
    )
    sbao = leerlingen[
        (leerlingen["categorie"] == "sbao") & (leerlingen["schooljaar"] == "2015-2016")
    ].set_index("swv_code")["aantal_leerlingen"]
    return pd.DataFrame(
        {
            "leerlingen_2014_2015": by_year["2014-2015"].astype("Int64"),
            "leerlingen_2015_2016": by_year["2015-2016"].astype("Int64"),
            "sbao_2015_2016": sbao.reindex(by_year.index).astype("Int64"),
        }
    )


Rule = Callable[[pd.DataFrame, Catalog], pd.DataFrame]

RULES: dict[tuple[str, str], Rule] = {
    ("langdurig-relatief-verzuim", "verzuim"): _verzuim,
    ("passend-onderwijs-swv", "kenmerken"): _kenmerken,
}
