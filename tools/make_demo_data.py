"""Write the synthetic demonstration CSVs of the four data packages.

Usage: ``python tools/make_demo_data.py [--out datapackages] [--scale N]``

Every value is invented. A fixed seed drives ``random.Random``; rows are sorted on their leading
(key) columns, enum columns in the order of their enum; files are UTF-8, comma-separated,
with a header row and ``\\n`` line endings, so two runs give byte-identical files. The
hand-written ``datapackage.json`` files are never written; when one exists, each CSV header is
checked against the fields of its resource.

``--scale N`` (for the benchmark) writes a site with N times the entities: N times the
gemeenten, SWVs and schoolvestigingen, with two postcodes per gemeente so that the four-digit
postcodes last. Scale 1 is the shipped demonstration data.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

SEED = 20_261_123
Row = Sequence[object]
LeerlingRow = tuple[str, str, str, int]  # swv_code, schooljaar, categorie, aantal
Tables = dict[str, Sequence[Row]]


class Province(NamedTuple):
    prefix: int  # of the SWV codes: PO<prefix><nn>
    naam: str  # CBS spelling
    gemeenten: int
    po: int  # number of PO SWVs
    vo: int  # number of VO SWVs


PROVINCES = (
    Province(20, "Groningen", 16, 6, 6),
    Province(21, "Fryslân", 20, 6, 6),
    Province(22, "Drenthe", 15, 6, 6),
    Province(23, "Overijssel", 27, 6, 6),
    Province(24, "Flevoland", 14, 6, 6),
    Province(25, "Gelderland", 45, 7, 6),
    Province(26, "Utrecht", 26, 6, 6),
    Province(27, "Noord-Holland", 42, 6, 6),
    Province(28, "Zuid-Holland", 46, 7, 7),
    Province(29, "Zeeland", 14, 6, 6),
    Province(30, "Noord-Brabant", 48, 7, 7),
    Province(31, "Limburg", 29, 6, 6),
)
SPLITS = {"po": 15, "vo": 12}
VANAF_PEILJAAR = 2014
LANDELIJK_VO = ("VO0001", "Samenwerkingsverband VO reformatorisch (landelijk)")

_STEMS = (
    "Aal Abbe Appel Aster Bar Bleker Bree Brug Dal Dinkel Dron Eem Elder Els Ember Gaster Gel Gra"
    " Ham Hee Hol Holter IJssel Kamp Kol Laar Lin Linge Lutter Maes Mark Meer Mol Nes Olde Ot"
    " Ravens Regge Rijn Ros Scher Sle Sta Ter Tol Ulen Val Ven Vlie Vries Wa Wes Wolder Zeven Zui"
)
_SUFFIXES = (
    "broek dam veen horst wijk dijk kerk zand hoven loo meer woude rade um haar donk beek berg"
    " holt stede burg wolde recht sel waard ingen"
)
STEMS, SUFFIXES = _STEMS.split(), _SUFFIXES.split()
DIRECTIONS = ("Ooster", "Wester", "Noorder", "Zuider")
QUALIFIERS = ("Nieuw-", "Oud-", "Groot-", "Klein-")
LANDSCAPES = ("dal", "land", "streek", "waard", "gouw", "zoom", "vallei", "delta", "kant", "mond")

# naam-sjabloon, cluster, aantal vestigingen
INSTELLINGEN: tuple[tuple[str, int, int], ...] = (
    ("Expertisecentrum Zichtpunt locatie {plaats}", 1, 18),
    ("Lichtboog school {plaats}", 1, 12),
    ("Hoorzaam school {plaats}", 2, 30),
    ("Klankrijk locatie {plaats}", 2, 22),
    ("Taalhaven {plaats}", 2, 18),
)
PEILJAREN = range(2010, 2026)

SWV_SCHOOLJAREN = ("2013-2014", "2014-2015", "2015-2016")
PO_SO_SHARES = {
    "so-laag-onder-8": 0.23,
    "so-laag-8-plus": 0.56,
    "so-midden-onder-8": 0.05,
    "so-midden-8-plus": 0.115,
    "so-hoog-onder-8": 0.015,
    "so-hoog-8-plus": 0.03,
}
VO_VSO_SHARES = {"vso-laag": 0.015, "vso-midden": 0.0015, "vso-hoog": 0.0003}
SOORTEN_ONDERSTEUNING = ("lgf", "sbao", "so", "vso", "lwoo", "pro", "opp")

VERZUIM_SCHOOLJAREN = tuple(f"{y}-{y + 1}" for y in range(2015, 2025))
VERZUIM_TREND = (1.0, 1.03, 1.05, 1.08, 0.97, 0.86, 1.04, 1.1, 1.14, 1.17)
# onderwijssoort: new cases per 10,000 inhabitants, chance of turning 18
VERZUIM_SOORTEN: dict[str, tuple[float, float]] = {
    "po": (2.0, 0.0),
    "vo": (5.0, 0.07),
    "so-vso": (1.2, 0.08),
    "geen-onderwijs": (1.0, 0.12),
    "onbekend": (0.4, 0.05),
}


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    provincie: str
    inwoners: int
    postcodes: tuple[str, ...]
    geldig_van: int = 2010
    geldig_tot: int | None = None


@dataclass(frozen=True)
class Swv:
    code: str
    naam: str
    sector: str


@dataclass(frozen=True)
class Link:
    """One row of gemeente_swv; ``postcodes`` is empty when the whole gemeente belongs."""

    gemeente: Gemeente
    swv: Swv
    postcodes: tuple[str, ...]


@dataclass(frozen=True)
class Vestiging:
    code: str
    naam: str
    cluster: int
    gemeente: Gemeente
    postcode: str


@dataclass(frozen=True)
class World:
    """The reference tables every package points to."""

    swvs: list[Swv]
    gemeenten: list[Gemeente]
    historisch: list[Gemeente]
    herindelingen: list[tuple[int, str, str]]
    links: list[Link]
    vestigingen: list[Vestiging]


# --- random helpers -------------------------------------------------------------------------


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth for small means, normal approximation for large ones)."""
    if lam >= 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def count(rng: random.Random, lam: float) -> int:
    """A count around ``lam``: Poisson noise when small, about 1.5 % noise when large."""
    return poisson(rng, lam) if lam < 40 else round(lam * rng.gauss(1, 0.015))


def sample_set(rng: random.Random, codes: Sequence[str], fraction: float) -> set[str]:
    return set(rng.sample(list(codes), round(fraction * len(codes))))


# --- names ----------------------------------------------------------------------------------


class NameMaker:
    """Invented, unique Dutch-sounding place and region names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make: Callable[[], str]) -> str:
        while (name := make()) in self.used:
            pass
        self.used.add(name)
        return name

    def _place(self) -> str:
        stem, suffix = self.rng.choice(STEMS), self.rng.choice(SUFFIXES)
        roll = self.rng.random()
        if roll < 0.1:
            return self.rng.choice(DIRECTIONS) + suffix
        name = stem + suffix
        return self.rng.choice(QUALIFIERS) + name if roll > 0.88 else name

    def _region(self) -> str:
        part = self.rng.choice(STEMS) + self.rng.choice(LANDSCAPES)
        if self.rng.random() < 0.5:
            return part
        return f"{part}-{self.rng.choice(STEMS)}{self.rng.choice(SUFFIXES)}"

    def place(self) -> str:
        return self._unique(self._place)

    def region(self) -> str:
        return self._unique(self._region)


# --- referentie -----------------------------------------------------------------------------


def make_gemeenten(
    rng: random.Random, names: NameMaker, codes: list[int], scale: int = 1
) -> list[Gemeente]:
    """Current gemeenten, province by province, each with a block of PC4 postcodes.

    Takes the gemeente codes from the end of ``codes``.
    """
    gemeenten, next_postcode = [], 1000
    for province in PROVINCES:
        for _ in range(province.gemeenten * scale):
            inwoners = round(min(900_000, max(1_000, rng.lognormvariate(math.log(30_000), 0.8))))
            n_postcodes = min(60, max(2, round(inwoners / 4_500))) if scale == 1 else 2
            postcodes = tuple(str(pc) for pc in range(next_postcode, next_postcode + n_postcodes))
            next_postcode += n_postcodes + (rng.randrange(4) if scale == 1 else 0)
            code = f"GM{codes.pop():04d}"
            gemeenten.append(Gemeente(code, names.place(), province.naam, inwoners, postcodes))
    assert next_postcode <= 10_000, "postcodes beyond 9999"
    return gemeenten


def make_mergers(
    rng: random.Random, names: NameMaker, current: list[Gemeente], codes: list[int]
) -> tuple[list[Gemeente], list[Gemeente], list[tuple[int, str, str]]]:
    """Three mergers into a new gemeente (2012 to 2014), six absorptions (2015 to 2023).

    Returns the current gemeenten, the historic ones and the herindelingen rows.
    """
    current, historisch, rows = list(current), [], []
    targets = rng.sample(range(len(current)), 9)
    new_codes = rng.sample(range(1900, 1990), 3)
    for i, index in enumerate(targets):
        jaar = (2012, 2013, 2014)[i] if i < 3 else rng.randrange(2015, 2024)
        nieuw = current[index]
        if i < 3:
            nieuw = replace(nieuw, code=f"GM{new_codes[i]:04d}", geldig_van=jaar)
            current[index] = nieuw
            olds = [f"GM{codes.pop():04d}" for _ in range(2)]
        else:
            olds = [f"GM{codes.pop():04d}"]
        for oud in olds:
            naam = names.place()
            historisch.append(Gemeente(oud, naam, nieuw.provincie, 0, (), 2010, jaar - 1))
            rows.append((jaar, oud, nieuw.code))
    return current, historisch, sorted(rows)


def partition(rng: random.Random, items: list[Gemeente], k: int) -> list[list[Gemeente]]:
    """Split ``items`` into ``k`` contiguous groups of at least two (when possible)."""
    sizes = [2 if len(items) >= 2 * k else 1] * k
    for _ in range(len(items) - sum(sizes)):
        sizes[rng.randrange(k)] += 1
    groups, start = [], 0
    for size in sizes:
        groups.append(items[start : start + size])
        start += size
    return groups


def make_swvs(names: NameMaker, sector: str, prefix: int, k: int) -> list[Swv]:
    label = "Samenwerkingsverband " + ("Passend Onderwijs" if sector == "po" else "VO")
    return [
        Swv(f"{sector.upper()}{prefix}{i:02d}", f"{label} {names.region()}", sector)
        for i in range(1, k + 1)
    ]


def region_groups(
    rng: random.Random, names: NameMaker, current: list[Gemeente], sector: str, scale: int = 1
) -> list[tuple[Swv, list[Gemeente]]]:
    """Every SWV of one sector with its gemeenten; the groups partition each province."""
    result: list[tuple[Swv, list[Gemeente]]] = []
    for province in PROVINCES:
        k = (province.po if sector == "po" else province.vo) * scale
        members = [g for g in current if g.provincie == province.naam]
        if sector == "vo":
            shift = rng.randrange(len(members))
            members = members[shift:] + members[:shift]
        groups = partition(rng, members, k)
        result += zip(make_swvs(names, sector, province.prefix, k), groups, strict=True)
    return result


def make_links(
    rng: random.Random, groups: list[tuple[Swv, list[Gemeente]]], n_splits: int
) -> list[Link]:
    """gemeente_swv rows; ``n_splits`` boundary gemeenten are split by postcode."""
    boundaries = [
        i for i in range(len(groups) - 1) if groups[i][0].code[:4] == groups[i + 1][0].code[:4]
    ]
    split = set(rng.sample(boundaries, n_splits))
    links = []
    for i, (swv, members) in enumerate(groups):
        for gemeente in members:
            if i in split and gemeente is members[-1]:
                cut = rng.randrange(1, len(gemeente.postcodes))
                links.append(Link(gemeente, swv, gemeente.postcodes[:cut]))
                links.append(Link(gemeente, groups[i + 1][0], gemeente.postcodes[cut:]))
            else:
                links.append(Link(gemeente, swv, ()))
    return links


def brin_codes(rng: random.Random, n: int, used: set[str]) -> list[str]:
    codes: list[str] = []
    while len(codes) < n:
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXZ") for _ in range(2))
        code = f"{rng.randrange(10, 100)}{letters}"
        if code not in used:
            used.add(code)
            codes.append(code)
    return codes


def make_vestigingen(rng: random.Random, links: list[Link], scale: int = 1) -> list[Vestiging]:
    """About 100 cluster 1/2 vestigingen, placed by population; 4+ in split gemeenten."""
    gemeenten = list({link.gemeente.code: link.gemeente for link in links}.values())
    split = [link.gemeente for link in links if link.postcodes]
    weights = [g.inwoners for g in gemeenten]
    vestigingen: list[Vestiging] = []
    used_brin: set[str] = set()
    used_names: set[str] = set()
    for template, cluster, per_scale in INSTELLINGEN:
        n = per_scale * scale
        brins = brin_codes(rng, math.ceil(n / 8), used_brin)
        for i in range(n):
            forced = len(vestigingen) % 25 == 0
            gemeente = rng.choice(split) if forced else rng.choices(gemeenten, weights)[0]
            postcode = rng.choice(gemeente.postcodes)
            naam = template.format(plaats=gemeente.naam)
            code = f"{brins[i // 8]}{i % 8:02d}"
            naam = f"{naam} ({postcode})" if naam in used_names else naam
            naam = f"{naam} {code}" if naam in used_names else naam  # only at --scale > 1
            used_names.add(naam)
            vestigingen.append(Vestiging(code, naam, cluster, gemeente, postcode))
    return sorted(vestigingen, key=lambda v: v.code)


def make_world(rng: random.Random, scale: int = 1) -> World:
    names = NameMaker(rng)
    if scale == 1:
        codes = rng.sample(range(3, 1900), 354)
    else:  # four-digit codes, clear of the range that new (merged) gemeenten take
        codes = rng.sample([*range(3, 1900), *range(1990, 10_000)], 354 * scale)
    current = make_gemeenten(rng, names, codes, scale)
    current, historisch, herindelingen = make_mergers(rng, names, current, codes)
    links: list[Link] = []
    swvs = [Swv(LANDELIJK_VO[0], LANDELIJK_VO[1], "vo")]
    for sector in ("po", "vo"):
        groups = region_groups(rng, names, current, sector, scale)
        links += make_links(rng, groups, SPLITS[sector] * scale)
        swvs += [swv for swv, _ in groups]
    links.sort(key=lambda link: (link.gemeente.code, link.swv.code))
    vestigingen = make_vestigingen(rng, links, scale)
    current.sort(key=lambda g: g.code)
    return World(
        sorted(swvs, key=lambda s: s.code), current, historisch, herindelingen, links, vestigingen
    )


def referentie_tables(world: World) -> Tables:
    alle = sorted(world.gemeenten + world.historisch, key=lambda g: g.code)
    return {
        "swv": [(s.code, s.naam, s.sector) for s in world.swvs],
        "gemeenten": [(g.code, g.naam, g.provincie, g.geldig_van, g.geldig_tot) for g in alle],
        "herindelingen": list(world.herindelingen),
        "gemeente_swv": [
            (link.gemeente.code, link.swv.code, VANAF_PEILJAAR, " ".join(link.postcodes))
            for link in world.links
        ],
        "schoolvestigingen": [
            (v.code, v.naam, v.gemeente.code, v.postcode) for v in world.vestigingen
        ],
    }


# --- leerlingen-cluster-1-2 -----------------------------------------------------------------


def vestiging_bases(rng: random.Random, cluster: int) -> tuple[float, float]:
    """Base levels (so, vso) of one vestiging: tiny, so only, vso only or both."""
    scale = 0.6 if cluster == 1 else 1.0

    def big() -> float:
        return min(130.0, scale * rng.lognormvariate(math.log(35), 0.7))

    roll = rng.random()
    if roll < 0.3:
        return rng.uniform(0.5, 5), 0.0 if rng.random() < 0.25 else rng.uniform(0.5, 4)
    if roll < 0.45:
        return big(), 0.0
    if roll < 0.55:
        return 0.0, big()
    return big(), big()


def yearly_series(rng: random.Random, base: float, years: int) -> list[int]:
    """A smooth series around ``base``; a base of 0 stays 0."""
    if base == 0:
        return [0] * years
    trend, level, series = rng.uniform(-0.03, 0.03), base, []
    for _ in range(years):
        level = min(150.0, level * math.exp(trend + rng.gauss(0, 0.04)))
        series.append(max(0, round(level + rng.gauss(0, 0.5))))
    return series


def cluster_tables(rng: random.Random, world: World) -> Tables:
    series: dict[tuple[str, str], list[int]] = {}
    for vestiging in world.vestigingen:
        bases = vestiging_bases(rng, vestiging.cluster)
        for soort, base in zip(("so", "vso"), bases, strict=True):
            series[(vestiging.code, soort)] = yearly_series(rng, base, len(PEILJAREN))
    clusters = {v.code: v.cluster for v in world.vestigingen}
    rows: list[Row] = [
        (jaar, code, clusters[code], soort, series[(code, soort)][i])
        for i, jaar in enumerate(PEILJAREN)
        for code, soort in sorted(series)
    ]
    return {"leerlingen": rows}


# --- passend-onderwijs-swv ------------------------------------------------------------------


@dataclass(frozen=True)
class SwvProfile:
    swv: Swv
    size: int  # pupils in 2015-2016
    trend: float  # yearly factor
    share: float  # sbao (po) or pro (vo) share of the total
    so_scale: float  # scale of the (v)so categories


def swv_profiles(rng: random.Random, world: World) -> list[SwvProfile]:
    inwoners: dict[str, float] = defaultdict(float)
    for link in world.links:
        part = len(link.postcodes) / len(link.gemeente.postcodes) if link.postcodes else 1.0
        inwoners[link.swv.code] += part * link.gemeente.inwoners
    po_codes = [s.code for s in world.swvs if s.sector == "po"]
    hoog_sbao = sample_set(rng, po_codes, 0.3)
    profiles = []
    for swv in world.swvs:
        if swv.code == LANDELIJK_VO[0]:
            size, share, so_scale = rng.randrange(11_000, 14_000), 0.008, 0.05
        else:
            rate = 0.085 if swv.sector == "po" else 0.065
            size = round(inwoners[swv.code] * rate * rng.uniform(0.9, 1.1))
            share, so_scale = rng.uniform(0.015, 0.045), rng.uniform(0.7, 1.3)
            if swv.sector == "po":
                high = swv.code in hoog_sbao
                share = rng.uniform(0.026, 0.04) if high else rng.uniform(0.014, 0.0235)
        profiles.append(SwvProfile(swv, size, rng.uniform(0.975, 1.01), share, so_scale))
    return profiles


def swv_year(rng: random.Random, profile: SwvProfile, total: int) -> list[tuple[str, int]]:
    """The pupil counts of one SWV in one schooljaar, in category order."""
    if profile.swv.sector == "po":
        so_total = total * rng.uniform(0.012, 0.02) * profile.so_scale
        so = [(cat, count(rng, so_total * s)) for cat, s in PO_SO_SHARES.items()]
        sbao = round(profile.share * total)
        return [("bao", total - sbao - sum(n for _, n in so)), ("sbao", sbao), *so]
    vso = [(cat, count(rng, total * s * profile.so_scale)) for cat, s in VO_VSO_SHARES.items()]
    pro = round(profile.share * total)
    return [("vo", total - pro - sum(n for _, n in vso)), ("pro", pro), *vso]


def swv_leerlingen(rng: random.Random, profiles: list[SwvProfile]) -> list[LeerlingRow]:
    rows: list[LeerlingRow] = []
    for profile in profiles:
        for i, schooljaar in enumerate(SWV_SCHOOLJAREN):
            total = round(profile.size * profile.trend ** (i - 2))
            for categorie, aantal in swv_year(rng, profile, total):
                rows.append((profile.swv.code, schooljaar, categorie, aantal))
    return rows


def small_or(rng: random.Random, tiny: bool, value: float) -> int:
    return rng.randint(1, 4) if tiny else round(value)


def kenmerken(rng: random.Random, profiles: list[SwvProfile]) -> list[Row]:
    """Verevening, telling 2015, prognose 2020, LGF and OPP per SWV."""
    codes = [p.swv.code for p in profiles]
    negatief, krimp = sample_set(rng, codes, 0.2), sample_set(rng, codes, 0.25)
    weinig_lgf = {LANDELIJK_VO[0], *rng.sample(codes, 2)}
    weinig_opp = {LANDELIJK_VO[0], *rng.sample(codes, 2)}
    rows: list[Row] = []
    for p in profiles:
        code, telling = p.swv.code, round(p.size * rng.uniform(0.985, 1.015))
        pct = rng.uniform(-25, -10.1) if code in negatief else rng.uniform(-9.9, 25)
        pct = round(pct, 1)
        low, high = (470, 530) if p.swv.sector == "po" else (560, 640)
        normatief = round(telling * rng.uniform(low, high))
        factor = rng.uniform(0.82, 0.935) if code in krimp else rng.uniform(0.955, 1.06)
        lgf = small_or(rng, code in weinig_lgf, telling * rng.uniform(0.008, 0.025))
        opp = small_or(rng, code in weinig_opp, telling * rng.uniform(0.02, 0.06))
        verevening = round(normatief * pct / 100)
        rows.append(
            (code, f"{pct:.1f}", verevening, normatief, telling, round(telling * factor), lgf, opp)
        )
    return rows


def financien(rng: random.Random, profiles: list[SwvProfile]) -> list[Row]:
    """Rijksbijdrage, overige subsidies and doorbetalingen for 2014 (from August) and 2015."""
    veel_door = sample_set(rng, [p.swv.code for p in profiles], 0.2)
    rows: list[Row] = []
    for p in profiles:
        rate = rng.uniform(560, 660) if p.swv.sector == "po" else rng.uniform(640, 760)
        rijk_2015 = p.size * rate
        share = rng.uniform(0.55, 0.92) if p.swv.code in veel_door else rng.uniform(0.05, 0.47)
        for jaar, deel in ((2014, 5 / 12 * rng.uniform(0.97, 1.03)), (2015, 1.0)):
            rijk = round(rijk_2015 * deel)
            overig = 0 if rng.random() < 0.4 else round(rijk * rng.uniform(0.001, 0.03))
            aandeel = share if jaar == 2015 else min(0.95, max(0.0, share + rng.gauss(0, 0.05)))
            rows.append((p.swv.code, jaar, rijk, overig, round((rijk + overig) * aandeel)))
    return rows


def landelijk(rng: random.Random, leerlingen: list[LeerlingRow]) -> list[Row]:
    """The national table: close to, but deliberately not equal to, sums over the SWVs."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for _, schooljaar, categorie, aantal in leerlingen:
        totals[(schooljaar, categorie.split("-")[0])] += aantal
    rows: list[Row] = []
    for i, jaar in enumerate(SWV_SCHOOLJAREN):
        alle = sum(totals[(jaar, g)] for g in ("bao", "sbao", "so", "vo", "pro", "vso"))
        basis = {
            "lgf": alle * (0.017, 0.008, 0.0015)[i],
            "sbao": totals[(jaar, "sbao")] * 1.02,
            "so": totals[(jaar, "so")] * 1.12,
            "vso": totals[(jaar, "vso")] * 1.1,
            "lwoo": totals[(jaar, "vo")] * 0.085,
            "pro": totals[(jaar, "pro")] * 1.01,
            "opp": alle * (0.012, 0.024, 0.03)[i],
        }
        noise = [rng.uniform(0.99, 1.01) for _ in SOORTEN_ONDERSTEUNING]
        rows += [(jaar, s, round(basis[s] * f)) for s, f in zip(basis, noise, strict=True)]
    return rows


def swv_tables(rng: random.Random, world: World) -> Tables:
    profiles = swv_profiles(rng, world)
    leerlingen = swv_leerlingen(rng, profiles)
    return {
        "financien": financien(rng, profiles),
        "kenmerken": kenmerken(rng, profiles),
        "leerlingen": leerlingen,
        "landelijk": landelijk(rng, leerlingen),
    }


# --- langdurig-relatief-verzuim -------------------------------------------------------------


def verzuim_series(rng: random.Random, gemeente: Gemeente, soort: str) -> list[Row]:
    """Ten schooljaren of one gemeente and onderwijssoort; begin is close to last actueel."""
    per_10k, p_18 = VERZUIM_SOORTEN[soort]
    lam = per_10k * gemeente.inwoners / 10_000 * rng.uniform(0.6, 1.4)
    begin = poisson(rng, lam * 0.6)
    rows: list[Row] = []
    for schooljaar, trend in zip(VERZUIM_SCHOOLJAREN, VERZUIM_TREND, strict=True):
        nieuw = poisson(rng, lam * trend)
        totaal = begin + nieuw
        langer = binomial(rng, totaal, 0.35)
        opgelost = binomial(rng, totaal, 0.55)
        achttien = binomial(rng, totaal - opgelost, p_18)
        verhuisd = binomial(rng, totaal - opgelost - achttien, 0.06)
        rows.append(
            (gemeente.code, schooljaar, soort, begin, nieuw, langer, verhuisd, achttien, opgelost)
        )
        # DUO recounts at the start of each year (late reports, corrections), so a begin is
        # not exactly last year's actueel: no cross-year identity an attacker could use.
        begin = max(0, totaal - opgelost - achttien - verhuisd + rng.randint(-2, 2))
    return rows


def verzuim_tables(rng: random.Random, world: World) -> Tables:
    rows: list[Row] = []
    for gemeente in world.gemeenten:
        series = [verzuim_series(rng, gemeente, soort) for soort in VERZUIM_SOORTEN]
        rows += [row for year in zip(*series, strict=True) for row in year]
    return {"verzuim": rows}


# --- output ---------------------------------------------------------------------------------

HEADERS: dict[str, dict[str, str]] = {
    "referentie": {
        "swv": "code naam sector",
        "gemeenten": "code naam provincie geldig_van geldig_tot",
        "herindelingen": "jaar gemeente_oud gemeente_nieuw",
        "gemeente_swv": "gemeente_code swv_code vanaf_peiljaar postcodes",
        "schoolvestigingen": "vestiging_code naam gemeente_code postcode",
    },
    "leerlingen-cluster-1-2": {
        "leerlingen": "peiljaar vestiging_code cluster onderwijssoort aantal_leerlingen",
    },
    "passend-onderwijs-swv": {
        "financien": "swv_code jaar rijksbijdrage overige_subsidies doorbetalingen",
        "kenmerken": "swv_code vereveningspercentage verevening_totaal normatieve_ondersteuning"
        " telling_2015 prognose_2020 lgf_31_juli_2014 opp_2015_2016",
        "leerlingen": "swv_code schooljaar categorie aantal_leerlingen",
        "landelijk": "schooljaar soort_ondersteuning aantal_leerlingen",
    },
    "langdurig-relatief-verzuim": {
        "verzuim": "gemeente_code schooljaar onderwijssoort begin_schooljaar nieuw"
        " langer_dan_3_maanden verhuisd achttien_jaar_geworden opgelost",
    },
}


def check_header(package_dir: Path, resource: str, header: Sequence[str]) -> None:
    """Fail when the hand-written descriptor declares other columns than we write."""
    descriptor = package_dir / "datapackage.json"
    if not descriptor.exists():
        return
    resources = json.loads(descriptor.read_text(encoding="utf-8"))["resources"]
    tables = [r for r in resources if "schema" in r]  # the boundaries have none
    fields = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in tables}
    if fields.get(f"{resource}.csv") != list(header):
        raise SystemExit(f"{descriptor}: columns of {resource}.csv differ from {list(header)}")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Row]) -> int:
    """Write one CSV; ``None`` becomes an empty cell. Returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            n += 1
    return n


def make_tables(seed: int, scale: int = 1) -> dict[str, Tables]:
    """Every table of every package, from one seeded generator."""
    rng = random.Random(seed)
    world = make_world(rng, scale)
    return {
        "referentie": referentie_tables(world),
        "leerlingen-cluster-1-2": cluster_tables(rng, world),
        "passend-onderwijs-swv": swv_tables(rng, world),
        "langdurig-relatief-verzuim": verzuim_tables(rng, world),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("datapackages"))
    parser.add_argument("--scale", type=int, default=1, help="times the entities (benchmark)")
    args = parser.parse_args(argv)
    out: Path = args.out
    for package, resources in HEADERS.items():
        for resource, columns in resources.items():
            check_header(out / package, resource, columns.split())
    for package, tables in make_tables(SEED, args.scale).items():
        for resource, rows in tables.items():
            header = HEADERS[package][resource].split()
            n = write_csv(out / package / f"{resource}.csv", header, rows)
            print(f"{package}/{resource}.csv: {n} rows")


if __name__ == "__main__":
    main()
