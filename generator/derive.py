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

from generator import cbs_comparison, config, peers
from generator.model import Catalog, FieldInfo, Package, Resource
from generator.regions import memberships

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
    """Reads the Catalog; returns it with every declared derived column computed.

    The SWV package also gets a derived resource ``vergelijking``: each SWV beside the national
    figure and the figure of its vereveningscategorie, in its sector; the CBS package gets
    ``vergelijking_gemeenten``: each gemeente beside its SWVs and the country, and
    ``vergelijking_swv``: each SWV beside its size class and the country (``cbs_comparison``).
    """
    packages = dict(catalog.packages)
    for (package_name, resource_name), rule in RULES.items():
        if package_name not in packages:
            continue
        package = packages[package_name]
        resource = package.resources[resource_name]
        columns = rule(resource.frame, catalog)
        packages[package_name] = _with_resource(package, _extended(resource, columns))
    if SWV_PACKAGE in packages:
        swv = packages[SWV_PACKAGE]
        packages[SWV_PACKAGE] = _with_resource(swv, comparison(swv.resources["kenmerken"]))
    if CBS_PACKAGE in packages and config.REFERENCE_PACKAGE in packages:
        cbs = packages[CBS_PACKAGE]
        indeling = packages[config.REFERENCE_PACKAGE].resources["gemeente_swv"].frame
        history = memberships(indeling)
        source = cbs.resources[cbs_comparison.SOURCE]
        cbs = _with_resource(cbs, cbs_comparison.comparison(source, history))
        swv_code = Catalog(packages).code_field("swv", "swv_code")
        packages[CBS_PACKAGE] = _with_resource(
            cbs, cbs_comparison.swv_comparison(source, history, swv_code)
        )
    return Catalog(packages=packages)


SWV_PACKAGE = "passend-onderwijs-swv"
CBS_PACKAGE = "leerlingen-speciaal-onderwijs-gemeente"
COMPARED = (
    ("lgf_31_juli_2014", "leerlingen_2014_2015", "percentage_lgf"),
    ("opp_2015_2016", "leerlingen_2015_2016", "percentage_opp"),
)


def comparison(kenmerken: Resource) -> Resource:
    """Each SWV's LGF, OPP and pupil development beside its sector and its category.

    Group figures are ratios of sums over the SWVs of the group (not averages of ratios).
    """
    frame = kenmerken.frame.assign(sector=kenmerken.frame["swv_code"].str[:2].str.lower())
    own = frame.assign(groep="1 dit samenwerkingsverband", aantal_swv=1)
    national = _group_sums(frame, ["sector"]).assign(groep="2 landelijk")
    category = _group_sums(frame, ["sector", "vereveningscategorie"])
    category["groep"] = "3 vereveningscategorie " + category["vereveningscategorie"]
    groups = pd.concat([national, category], ignore_index=True)
    others = frame[["swv_code", "sector", "vereveningscategorie"]].merge(groups, on="sector")
    others = others[
        (others["groep"] == "2 landelijk")
        | (others["vereveningscategorie_y"] == others["vereveningscategorie_x"])
    ]
    rows = pd.concat([own, others, _size_groups(frame)], ignore_index=True)
    for part, whole, share in COMPARED:
        rows[share] = percentage(rows[part], rows[whole])
    rows["ontwikkeling_leerlingen"] = procentuele_ontwikkeling(
        rows["telling_2015"], rows["prognose_2020"]
    )
    rows = rows.sort_values(["swv_code", "groep"], kind="stable")  # in the order of the prefix
    rows["groep"] = rows["groep"].str[2:]
    fields = _comparison_fields(kenmerken)
    frame = rows[[f.name for f in fields]]
    return Resource(
        name=config.COMPARISON_RESOURCE,
        title="Vergelijking met het land, de vereveningscategorie en SWV's van gelijke omvang",
        description=(
            "Per samenwerkingsverband: LGF, OPP en leerlingontwikkeling naast het landelijke "
            "cijfer van dezelfde sector, het cijfer van de samenwerkingsverbanden in dezelfde "
            "vereveningscategorie en dat van de samenwerkingsverbanden van vergelijkbare omvang: "
            "de samenwerkingsverbanden van een sector zijn op leerlingaantal (telling 2015) "
            f"gerangschikt en in groepen van ongeveer {peers.CLASS_SIZE} verdeeld; dit "
            "samenwerkingsverband telt mee in zijn eigen groep. Een groepscijfer is de som van "
            "de tellers gedeeld door de som van de noemers, geen gemiddelde van percentages. "
            "Berekend."
        ),
        fields=fields,
        derived=(),
        primary_key=("swv_code", "groep"),
        frame=frame.reset_index(drop=True),
        path="vergelijking.csv",
    )


def _size_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Per SWV, the sums over the SWVs of its size class (``peers.size_classes``)."""
    sized = frame[frame["telling_2015"].notna()]
    groups = peers.size_classes(dict(zip(sized["swv_code"], sized["telling_2015"], strict=True)))
    members = pd.DataFrame(
        [(swv, member) for swv, group in groups.items() for member in group],
        columns=["eigen_swv", "swv_code"],
    )
    joined = members.merge(frame, on="swv_code")
    sums = _group_sums(joined, ["eigen_swv"]).rename(columns={"eigen_swv": "swv_code"})
    return sums.assign(groep="4 " + peers.SIZE_GROUP)


def _group_sums(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    counts = [c for part, whole, _ in COMPARED for c in (part, whole)]
    columns = [*counts, "telling_2015", "prognose_2020"]
    grouped = frame.groupby(by, observed=True)
    sums = grouped[columns].sum(skipna=False).astype("Int64")
    sums["aantal_swv"] = grouped.size()
    return sums.reset_index()


def _comparison_fields(kenmerken: Resource) -> tuple[FieldInfo, ...]:
    by_name = {f.name: f for f in kenmerken.fields}
    groep = FieldInfo(
        "groep",
        "string",
        "Groep",
        "Dit samenwerkingsverband, het land (zelfde sector), de vereveningscategorie of de "
        "samenwerkingsverbanden van vergelijkbare omvang.",
        constraints={"required": True},
    )
    aantal = FieldInfo(
        "aantal_swv", "integer", "Aantal SWV's", "Samenwerkingsverbanden in de groep."
    )
    names = [
        "lgf_31_juli_2014",
        "leerlingen_2014_2015",
        "percentage_lgf",
        "opp_2015_2016",
        "leerlingen_2015_2016",
        "percentage_opp",
        "telling_2015",
        "prognose_2020",
        "ontwikkeling_leerlingen",
    ]
    return (by_name["swv_code"], groep, aantal, *(by_name[n] for n in names))


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
        out[column] = pd.array(totals[column].reindex(codes).to_numpy(), dtype="Int64")
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
    by_year = (
        leerlingen.groupby(["swv_code", "schooljaar"])["aantal_leerlingen"]
        .sum(skipna=False)  # a total is missing when one of its parts is missing
        .unstack("schooljaar")
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
