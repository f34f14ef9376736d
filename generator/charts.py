"""Stage 6, charts: Altair line charts over the years, from masked views only.

Reads a ``MaskedView`` (one entity's rows); returns ``Chart``s: a Vega-Lite spec with the data
embedded and a plain-Dutch sentence describing it. Each chart kind's spec is built with Altair
once and only the data is swapped in per chart. Suppressed values are nulls in the data, drawn
as gaps in the line, never as zero.
"""

from __future__ import annotations

import collections
import copy
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import altair as alt
import pandas as pd

from generator import dutch
from generator.model import Chart, FieldInfo, Level, MaskedView, Membership, records


@dataclass(frozen=True)
class ChartKind:
    """Which column runs along the x axis, which is drawn, and which splits the lines."""

    x: str
    y: str
    series: tuple[str, ...]
    title: str
    only: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sums_gemeenten: bool = False
    """The entity's values are sums over its gemeenten: their mergers are breaks too."""
    decimals: int = 0
    """Decimals of the drawn value: 0 for counts, 1 for a share such as per 1,000."""
    national: str = ""
    """The series value of the national figure: the sentence says where each series stands."""
    swv_by_code: bool = False
    """Series name an SWV by its code ("SWV PO2205"): its name is too long for a legend."""

    def series_name(self, field: FieldInfo, value: object, names: Mapping[str, str]) -> str:
        code = str(value)
        if self.swv_by_code and SWV_CODE.fullmatch(code):
            return f"SWV {code}"
        return names.get(code) or field.label(code)


SWV_CODE = re.compile(r"(PO|VO)[0-9]{4}")


SPECIAL_CATEGORIES = (
    "sbao",
    "so-laag-onder-8",
    "so-laag-8-plus",
    "so-midden-onder-8",
    "so-midden-8-plus",
    "so-hoog-onder-8",
    "so-hoog-8-plus",
    "pro",
    "vso-laag",
    "vso-midden",
    "vso-hoog",
)
"""Categories drawn in the SWV pupil chart: bao and vo would flatten every other line."""

KINDS: dict[tuple[str, str, Level], ChartKind] = {
    ("leerlingen-cluster-1-2", "leerlingen", "swv"): ChartKind(
        "peiljaar",
        "aantal_leerlingen",
        ("cluster", "onderwijssoort"),
        "Leerlingen cluster 1 en 2 in de regio",
    ),
    ("leerlingen-cluster-1-2", "leerlingen", "gemeente"): ChartKind(
        "peiljaar",
        "aantal_leerlingen",
        ("vestiging_code", "onderwijssoort"),
        "Leerlingen cluster 1 en 2 per schoolvestiging",
    ),
    ("passend-onderwijs-swv", "leerlingen", "swv"): ChartKind(
        "schooljaar",
        "aantal_leerlingen",
        ("categorie",),
        "Leerlingen in sbao, so, vso en pro per categorie",
        only=(("categorie", SPECIAL_CATEGORIES),),
    ),
    ("langdurig-relatief-verzuim", "verzuim", "gemeente"): ChartKind(
        "schooljaar", "actueel", ("onderwijssoort",), "Langdurig relatief verzuim (actueel)"
    ),
    ("langdurig-relatief-verzuim", "verzuim", "swv"): ChartKind(
        "schooljaar",
        "actueel",
        ("gemeente_code",),
        "Langdurig relatief verzuim (actueel) per gemeente",
        only=(("onderwijssoort", ("po", "vo")),),
    ),
    ("leerlingen-speciaal-onderwijs-gemeente", "leerlingen_huidige_gemeenten", "gemeente"): (
        ChartKind(
            "schooljaar",
            "aantal",
            ("onderwijssoort",),
            "Leerlingen in sbao, so en vso (CBS)",
            only=(("onderwijssoort", ("sbao", "so", "vso")),),
        )
    ),
    ("leerlingen-speciaal-onderwijs-gemeente", "leerlingen_huidige_gemeenten", "swv"): ChartKind(
        "schooljaar",
        "aantal",
        ("onderwijssoort",),
        "Leerlingen in sbao, so en vso in de regio (CBS)",
        only=(("onderwijssoort", ("sbao", "so", "vso")),),
        sums_gemeenten=True,
    ),
    ("leerlingen-speciaal-onderwijs-gemeente", "vergelijking_gemeenten", "gemeente"): ChartKind(
        "schooljaar",
        "per_1000",
        ("sector", "gebied"),
        "Speciaal onderwijs per 1.000 leerlingen (CBS)",
        decimals=1,
        national="landelijk",
        swv_by_code=True,
    ),
    ("leerlingen-speciaal-onderwijs-gemeente", "vergelijking_swv", "swv"): ChartKind(
        "schooljaar",
        "per_1000",
        ("sector", "gebied"),
        "Speciaal onderwijs per 1.000 leerlingen (CBS)",
        sums_gemeenten=True,
        decimals=1,
        national="landelijk",
        swv_by_code=True,
    ),
}


def chart_for(
    masked: MaskedView,
    names: Mapping[str, str],
    mergers: Mapping[str, tuple[int, ...]] | None = None,
    members: Mapping[str, tuple[str, ...]] | None = None,
    changes: Mapping[str, tuple[RegionChange, ...]] | None = None,
    template: Template | None = None,
) -> Chart | None:
    """The chart of one entity's masked rows, or None when this view has no chart kind.

    ``names`` gives display names for codes in series (gemeente names, vestiging names);
    ``mergers`` the merger years of gemeenten, drawn as breaks in their series; ``members``
    the gemeenten of each SWV, whose mergers break an SWV's sums over its gemeenten;
    ``changes`` the region changes of SWVs and gemeenten (``region_changes``); ``template``
    makes the spec the data goes into (``kind_spec`` unless given: the naive build's differs).
    """
    kind = KINDS.get((masked.dataset, masked.resource, masked.level))
    if kind is None or masked.frame.empty:
        return None
    fields = {f.name: f for f in masked.fields}
    drawn = _drawn(masked.frame, kind)
    frame = masked.frame[drawn]
    rows = records(frame)
    rounding = fields[kind.y].rounding
    values = [_point(row, kind, fields, names, masked.key, rounding) for row in rows]
    spec = (template or kind_spec)(
        kind, fields[kind.x].title, fields[kind.y].title, rounding, values
    )
    if kind.national:
        spec["encoding"]["color"]["legend"]["columns"] = _legend_columns(values)
    description = describe(kind, fields, rows, int(masked.hidden.loc[drawn, kind.y].sum()))
    if kind.national:
        groups = _group_order(frame[kind.series[0]])
        description += position(kind, fields, rows, groups, names)
    breaks = series_breaks(masked, kind, frame, names, mergers or {}, members or {})
    breaks += region_breaks(masked, kind, frame, names, changes or {})
    breaks += provisional(kind, masked.frame[drawn])
    if breaks:
        spec = _with_breaks(spec, breaks, sorted(frame[kind.x].astype(str).unique()))
        description += " " + " ".join(b["zin"] for b in breaks)
    spec["data"] = {"values": values}
    spec["description"] = description
    spec["usermeta"] = {"bron": _source(masked, kind)}
    slug = f"{masked.dataset}-{masked.resource}"
    data = masked.subset(drawn, (kind.y,))
    return Chart(slug=slug, title=kind.title, description=description, spec=spec, data=data)


def series_breaks(
    masked: MaskedView,
    kind: ChartKind,
    frame: pd.DataFrame,
    names: Mapping[str, str],
    mergers: Mapping[str, tuple[int, ...]],
    members: Mapping[str, tuple[str, ...]] | None = None,
) -> list[dict[str, str]]:
    """Where a gemeente in the chart merged with another: the first period counted on the new
    gemeente, with a label and a sentence. Only periods inside the chart count."""
    codes = set()
    if masked.entity == "gemeente_code" and not frame.empty:
        codes.add(str(frame["gemeente_code"].iloc[0]))
    if kind.sums_gemeenten and masked.entity == "swv_code" and not frame.empty:
        codes |= set((members or {}).get(str(frame["swv_code"].iloc[0]), ()))
    if "gemeente_code" in kind.series:
        codes |= set(frame["gemeente_code"].astype(str))
    periods = sorted(frame[kind.x].astype(str).unique())
    breaks = []
    for code in sorted(codes):
        for year in mergers.get(code, ()):
            period = _break_period(kind, periods, year)
            if period:
                breaks.append(_break(period, names.get(code, code), year))
    return breaks


def _break_period(kind: ChartKind, periods: list[str], year: int) -> str:
    """The first period counted the new way from ``year`` on; empty when it is not inside the
    chart (a change before or at its first period breaks nothing)."""
    period = f"{year}-{year + 1}" if kind.x == "schooljaar" else str(year)
    return period if periods and periods[0] < period <= periods[-1] else ""


class RegionChange(NamedTuple):
    """A gemeente that joined or left an SWV: seen from the SWV (``other`` is the gemeente) or
    from the gemeente (``other`` is the SWV)."""

    other: str
    year: int
    joined: bool


def region_changes(history: tuple[Membership, ...]) -> dict[str, tuple[RegionChange, ...]]:
    """Who joined or left whom after the first indeling, per SWV and per gemeente: a membership
    that is not the gemeente's first in its sector joined in ``vanaf``; an ended one left in
    ``tot``."""
    found: dict[str, set[RegionChange]] = {}
    for m in history:
        moves = [(m.vanaf, True)] if not m.first else []
        moves += [(m.tot, False)] if m.tot is not None else []
        for year, joined in moves:
            found.setdefault(m.swv, set()).add(RegionChange(m.gemeente, year, joined))
            found.setdefault(m.gemeente, set()).add(RegionChange(m.swv, year, joined))
    return {code: tuple(sorted(changes)) for code, changes in found.items()}


def region_breaks(
    masked: MaskedView,
    kind: ChartKind,
    frame: pd.DataFrame,
    names: Mapping[str, str],
    changes: Mapping[str, tuple[RegionChange, ...]],
) -> list[dict[str, str]]:
    """Where the region behind a series changed: a gemeente joined or left an SWV after the
    first indeling. An SWV's series counts each gemeente in the years it belonged to the SWV;
    on a gemeente's comparison the line of its new SWV starts there."""
    if frame.empty or masked.entity not in ("swv_code", "gemeente_code"):
        return []
    if masked.entity == "gemeente_code" and not kind.national:
        return []  # the gemeente's own series does not change with its SWV
    code = str(frame[masked.entity].iloc[0])
    periods = sorted(frame[kind.x].astype(str).unique())
    breaks = []
    for change in changes.get(code, ()):
        period = _break_period(kind, periods, change.year)
        if not period or (masked.entity == "gemeente_code" and not change.joined):
            continue  # on a gemeente's chart the old SWV's line simply ends at the new one
        gemeente, swv = (change.other, code)
        if masked.entity == "gemeente_code":
            gemeente, swv = code, change.other
        breaks.append(_region_break(period, names.get(gemeente, gemeente), swv, change.joined))
    return breaks


def _region_break(period: str, gemeente: str, swv: str, joined: bool) -> dict[str, str]:
    if joined:
        sentence = (
            f"Vanaf {period} hoort {gemeente} bij {swv}: de reeks van {swv} telt {gemeente} "
            "vanaf dat jaar mee, de regio is daar veranderd."
        )
        return {"x": period, "tekst": f"{gemeente} naar {swv}", "zin": sentence}
    sentence = (
        f"Vanaf {period} hoort {gemeente} niet meer bij {swv}: de reeks van {swv} telt "
        f"{gemeente} in de jaren daarvoor mee en vanaf dan niet meer, de regio is daar veranderd."
    )
    return {"x": period, "tekst": f"{gemeente} weg uit {swv}", "zin": sentence}


def provisional(kind: ChartKind, frame: pd.DataFrame) -> list[dict[str, str]]:
    """The provisional periods of a chart (a ``voorlopig`` column), marked like a break."""
    if "voorlopig" not in frame.columns:
        return []
    periods = sorted(frame.loc[frame["voorlopig"].fillna(False).astype(bool), kind.x].astype(str))
    return [
        {"x": p, "tekst": PROVISIONAL, "zin": f"De cijfers van {p} zijn voorlopig."}
        for p in dict.fromkeys(periods)
    ]


def swv_members(memberships: tuple[Membership, ...]) -> dict[str, tuple[str, ...]]:
    """The gemeenten of each SWV region (whole or in part), for the breaks of SWV sums."""
    found: dict[str, list[str]] = {}
    for m in memberships:
        found.setdefault(m.swv, []).append(m.gemeente)
    return {swv: tuple(sorted(set(codes))) for swv, codes in found.items()}


def _break(period: str, naam: str, year: int) -> dict[str, str]:
    sentence = (
        f"Vanaf {period} telt {naam} ook een samengevoegde gemeente mee (herindeling per "
        f"1 januari {year}): de reeks heeft daar een breuk."
    )
    return {"x": period, "tekst": f"herindeling {naam}", "zin": sentence}


def _with_breaks(
    spec: dict[str, Any], breaks: list[dict[str, str]], periods: list[str]
) -> dict[str, Any]:
    """The chart as a layer: its lines, then a dashed rule and a label at each break.

    A label in the first half of the chart runs to the right of its rule, later ones to the
    left, so that they stay inside; a provisional period's label sits lower than a merger's."""
    lines = {"mark": spec.pop("mark"), "encoding": spec.pop("encoding")}
    rule, right, left = copy.deepcopy(_break_layers())
    points = [
        {"x": b["x"], "tekst": b["tekst"], "hoogte": 16 if b["tekst"] == PROVISIONAL else 2}
        for b in breaks
    ]
    rule["data"] = {"values": [{"x": p["x"], "tekst": p["tekst"]} for p in points]}
    layers = [lines, rule]
    early = set(periods[: (len(periods) + 1) // 2])
    for layer, first_half in ((right, True), (left, False)):
        chosen = [p for p in points if (p["x"] in early) == first_half]
        if chosen:
            layer["data"] = {"values": chosen}
            layers.append(layer)
    return {**spec, "layer": layers}


@functools.cache
def _break_layers() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    x = alt.X("x", type="ordinal")
    y = alt.Y("hoogte", type="quantitative", scale=None)
    text = alt.Text("tekst", type="nominal")
    rule = alt.Chart().mark_rule(color=BREAK_COLOUR, strokeDash=[4, 3], aria=False).encode(x=x)
    right = alt.Chart().mark_text(
        color=BREAK_COLOUR, align="left", dx=3, baseline="top", aria=False
    )
    left = alt.Chart().mark_text(
        color=BREAK_COLOUR, align="right", dx=-3, baseline="top", aria=False
    )
    labels = [mark.encode(x=x, y=y, text=text) for mark in (right, left)]
    made = [_layer(c.to_dict(validate=False)) for c in (rule, *labels)]
    return made[0], made[1], made[2]


def _layer(spec: dict[str, Any]) -> dict[str, Any]:
    """A layer holds only its own mark, encoding and data: top-level keys are not allowed."""
    return {k: v for k, v in spec.items() if k not in ("$schema", "config", "datasets")}


BREAK_COLOUR = "#545454"
PROVISIONAL = "voorlopig"


def _drawn(frame: pd.DataFrame, kind: ChartKind) -> pd.Series:
    """Which rows the chart draws."""
    drawn = pd.Series(True, index=frame.index)
    for column, allowed in kind.only:
        drawn &= frame[column].isin(allowed)
    return drawn


def _source(masked: MaskedView, kind: ChartKind) -> dict[str, Any]:
    """Where the chart's numbers come from: each point's ``rij`` is its row key in this table."""
    return {
        "dataset": masked.dataset,
        "tabel": masked.resource,
        "niveau": masked.level,
        "kolom": kind.y,
        "sleutel": list(masked.key),
    }


def _point(
    row: dict[str, Any],
    kind: ChartKind,
    fields: dict[str, FieldInfo],
    names: Mapping[str, str],
    key: tuple[str, ...],
    rounding: int = 0,
) -> dict[str, Any]:
    y = row[kind.y]
    parts = [kind.series_name(fields[s], row[s], names) for s in kind.series]
    point = {
        "x": str(row[kind.x]),
        "y": None if pd.isna(y) else _number(y, kind.decimals),
        "reeks": " · ".join(parts),
        "rij": [str(row[k]) for k in key],
    }
    if rounding:
        point["tekst"] = "" if pd.isna(y) else dutch.afgerond(int(y), rounding)
    return point


def _legend_columns(values: list[dict[str, Any]]) -> int:
    """A comparison's legend has a row per sector: the gemeente or SWV, the groups it is
    compared with, the country."""
    series = dict.fromkeys(str(v["reeks"]) for v in values)
    per_sector = collections.Counter(name.split(" · ")[0] for name in series)
    return min(max(per_sector.values(), default=2), 4)


def number_formats(kind: ChartKind) -> tuple[str, str]:
    """d3 formats of a drawn value and of the axis ticks (``~``: no trailing zeros)."""
    if kind.decimals:
        return f",.{kind.decimals}f", f",.{kind.decimals}~f"
    return ",d", ",d"


def _number(value: Any, decimals: int) -> int | float:
    return round(float(value), decimals) if decimals else int(value)


Template = Callable[[ChartKind, str, str, int, list[dict[str, Any]]], dict[str, Any]]
"""Makes the spec of one chart of a kind (x title, y title, rounding, points), data left out."""


def kind_spec(
    kind: ChartKind, x_title: str, y_title: str, rounding: int, values: list[dict[str, Any]]
) -> dict[str, Any]:
    """A copy of the chart kind's spec, made once per kind (the points are not needed)."""
    return copy.deepcopy(_template(kind, x_title, y_title, rounding))


@functools.cache
def _template(kind: ChartKind, x_title: str, y_title: str, rounding: int = 0) -> dict[str, Any]:
    """The chart kind's spec without data, built once with explicit Altair channels."""
    spec: dict[str, Any] = altair_chart(kind, x_title, y_title, rounding).to_dict(validate=False)
    spec.pop("datasets", None)
    return spec


CHANNEL_TYPES = {"O": "ordinal", "Q": "quantitative", "N": "nominal"}


def altair_chart(
    kind: ChartKind,
    x_title: str,
    y_title: str,
    rounding: int = 0,
    values: Sequence[dict[str, Any]] = (),
    shorthand: bool = False,
) -> alt.Chart:
    """A chart of the kind as an Altair chart: the build makes one per kind, without points
    and with explicit channel types; the naive build one per chart, with its points and
    shorthand (``"x:O"``). The tooltip of a rounded count shows its text (``< 5`` for a 0)."""

    def channel(cls: Any, name: str, code: str, **options: Any) -> Any:
        if shorthand:
            return cls(f"{name}:{code}", **options)
        return cls(name, type=CHANNEL_TYPES[code], **options)

    number, axis = number_formats(kind)
    y_tip = channel(alt.Tooltip, "y", "Q", title=y_title, format=number)
    if rounding:
        y_tip = channel(alt.Tooltip, "tekst", "N", title=f"{y_title} (afgerond)")
    return (
        alt.Chart(alt.Data(values=list(values)), title=kind.title)
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=channel(
                alt.X,
                "x",
                "O",
                title=x_title,
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
            ),
            y=channel(alt.Y, "y", "Q", title=y_title, axis=alt.Axis(format=axis)),
            color=channel(
                alt.Color,
                "reeks",
                "N",
                title=None,
                scale=alt.Scale(range=list(PALETTE)),
                legend=alt.Legend(orient="bottom", columns=2),
                # a comparison lists its series as the table does: the gemeente, its SWVs, the
                # country; other charts alphabetically
                sort=None if kind.national else alt.Undefined,
            ),
            tooltip=[
                channel(alt.Tooltip, "reeks", "N", title="Reeks"),
                channel(alt.Tooltip, "x", "O", title=x_title),
                y_tip,
            ],
        )
        .properties(width=520, height=240)
        .configure(locale={"number": DUTCH_NUMBERS})
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_title(color=TEXT_COLOUR)
    )


TEXT_COLOUR = "#1b1b1b"
"""Every text in a chart: 17:1 on white (WCAG 1.4.3), also in the interactive view."""

PALETTE = (
    "#1f5a96",
    "#b3471b",
    "#2e7d32",
    "#7b1fa2",
    "#a61e4d",
    "#00695c",
    "#5d4037",
    "#455a64",
    "#827717",
    "#283593",
)
"""Series colours, each at least 3:1 against white (WCAG 1.4.11, non-text contrast)."""

DUTCH_NUMBERS = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€\u00a0", ""],
}


def describe(
    kind: ChartKind, fields: dict[str, FieldInfo], rows: list[dict[str, Any]], hidden: int
) -> str:
    """A Dutch sentence saying what the chart shows, from published values only.

    ``rows``: the drawn rows as records; ``hidden``: how many drawn values are suppressed; a
    missing value that is not suppressed (a share of no pupils) cannot be computed. Plain
    Python over the records: the frames are small, and pandas' cost per call was most of it.
    """
    x_values = sorted({str(row[kind.x]) for row in rows})
    published = _published(rows, kind.y)
    missing = len(rows) - len(published)
    keys = ([row[s] for s in kind.series] for row in rows)
    series = len({tuple(key) for key in keys if not any(pd.isna(k) for k in key)})
    sentence = (
        f"Lijngrafiek van {fields[kind.y].title.lower()} per {fields[kind.x].title.lower()}, "
        f"{x_values[0]} tot en met {x_values[-1]}, in {series} "
        f"{'reeks' if series == 1 else 'reeksen'}."
    )
    rounding = fields[kind.y].rounding
    if published:
        period, latest = _latest(published, kind.x)
        top = _number(max(row[kind.y] for row in latest), kind.decimals)
        shown = dutch.afgerond(top, rounding) if rounding else dutch.getal(top, kind.decimals)
        sentence += f" In {period} is de hoogste gepubliceerde waarde {shown}."
    if rounding:
        sentence += _rounding_sentence([row[kind.y] for row in published], rounding)
    if missing > hidden:
        absent = missing - hidden
        sentence += f" {absent} {'waarde is' if absent == 1 else 'waarden zijn'} niet te berekenen."
    if hidden:
        sentence += f" {hidden} {'waarde is' if hidden == 1 else 'waarden zijn'} afgeschermd."
    return sentence


def _published(rows: list[dict[str, Any]], y: str) -> list[dict[str, Any]]:
    """The rows whose drawn value is shown (not suppressed, not missing)."""
    return [row for row in rows if not pd.isna(row[y])]


def _latest(rows: list[dict[str, Any]], x: str) -> tuple[str, list[dict[str, Any]]]:
    """The latest period among the rows, and the rows of that period."""
    period = max(str(row[x]) for row in rows)
    return period, [row for row in rows if str(row[x]) == period]


def position(
    kind: ChartKind,
    fields: dict[str, FieldInfo],
    rows: list[dict[str, Any]],
    groups: list[Any],
    names: Mapping[str, str],
) -> str:
    """Where each series stands against the national figure in the latest period it has.

    ``kind.series`` is (group, area): each group (a sector) has one national series;
    ``groups`` are the group values in the order the sentences take."""
    group, area = kind.series
    published = _published(rows, kind.y)
    sentences = []
    for key in groups:
        in_group = [row for row in published if row[group] == key]
        if not in_group:
            continue
        period, latest = _latest(in_group, kind.x)
        national = [row for row in latest if row[area] == kind.national]
        if not national:
            continue
        level = float(national[0][kind.y])
        parts = []
        for row in (row for row in latest if row[area] != kind.national):
            value = float(row[kind.y])
            name = kind.series_name(fields[area], row[area], names)
            parts.append(f"{name} {dutch.getal(value, kind.decimals)}, {_against(value, level)}")
        sentences.append(
            f" In {period} ({fields[group].label(key)}): {'; '.join(parts)}; "
            f"landelijk {dutch.getal(level, kind.decimals)}."
        )
    return "".join(sentences)


def _group_order(column: pd.Series) -> list[Any]:
    """A column's values in the order pandas groups them: a categorical's categories, or sorted."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.categories)
    return sorted(column.dropna().unique())


def _against(value: float, national: float) -> str:
    if value == national:
        return "gelijk aan landelijk"
    return "hoger dan landelijk" if value > national else "lager dan landelijk"


def _rounding_sentence(values: list[Any], rounding: int) -> str:
    zeros = sum(1 for value in values if value == 0)
    sentence = (
        f" De bron heeft elk aantal afgerond op {'tientallen' if rounding == 10 else rounding}; "
        f"een 0 betekent {dutch.afgerond(0, rounding)}."
    )
    if zeros:
        waarden = "waarde is" if zeros == 1 else "waarden zijn"
        small = dutch.afgerond(0, rounding)
        sentence += f" {zeros} {waarden} zo’n 0, getekend als 0 en te lezen als {small}."
    return sentence
