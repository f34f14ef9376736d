"""Primary suppression and its guarantees; every rule is attacked with a value that would leak."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from generator import cells, privacy
from generator.model import (
    MASKING_KEY,
    Catalog,
    EarlierReleases,
    FieldInfo,
    Masked,
    MaskedView,
    Package,
    Regions,
    Resource,
    View,
)
from generator.output import csv_bytes

NO_REGIONS = Regions(swvs={}, gemeenten={}, vestigingen={}, memberships=(), vestiging_swvs={})


def mask(views: tuple[View, ...]) -> Masked:
    """Masks views of one table ``d/r`` that is its own source, with no earlier release."""
    (only,) = views
    resource = Resource("r", "r", "", only.fields, (), only.key, only.frame, "r.csv")
    catalog = Catalog(packages={"d": Package("d", {}, {"r": resource})})
    model = cells.model(catalog, NO_REGIONS, views)
    none = np.zeros(len(model.names), dtype=bool)
    return privacy.mask(views, model, EarlierReleases(none, none.copy()))


def count(name: str, inputs: tuple[str, ...] = ()) -> FieldInfo:
    return FieldInfo(name, "integer", name, "", is_count=True, inputs=inputs)


def key(name: str) -> FieldInfo:
    return FieldInfo(name, "string", name, "", constraints={"required": True})


def view(frame: pd.DataFrame, fields: tuple[FieldInfo, ...]) -> View:
    return View("d", "r", "dataset", None, fields, ("code",), frame)


def test_counts_1_to_4_are_suppressed_and_0_and_5_are_published() -> None:
    frame = pd.DataFrame({"code": list("abcdef"), "n": pd.array([0, 1, 2, 4, 5, 120], "Int64")})
    masked = mask((view(frame, (key("code"), count("n"))),))
    result = masked.views[("d", "r", "dataset")].frame["n"]
    assert result.isna().tolist() == [False, True, True, True, False, False]
    assert result.dropna().tolist() == [0, 5, 120]
    assert (masked.suppressed, masked.published) == (3, 3)


def test_a_value_derived_from_a_suppressed_count_is_suppressed() -> None:
    frame = pd.DataFrame(
        {
            "code": ["a", "b"],
            "deel": pd.array([3, 30], "Int64"),
            "totaal": pd.array([100, 100], "Int64"),
            "aandeel": pd.array([3.0, 30.0], "Float64"),
        }
    )
    fields = (
        key("code"),
        count("deel"),
        count("totaal"),
        FieldInfo("aandeel", "number", "aandeel", "", inputs=("deel", "totaal")),
    )
    result = mask((view(frame, fields),)).views[("d", "r", "dataset")].frame
    assert result["aandeel"].isna().tolist() == [True, False]


def test_a_derived_count_between_1_and_4_is_suppressed_even_if_its_inputs_are_not() -> None:
    frame = pd.DataFrame(
        {"code": ["a"], "begin": pd.array([9], "Int64"), "actueel": pd.array([3], "Int64")}
    )
    fields = (key("code"), count("begin"), count("actueel", inputs=("begin",)))
    result = mask((view(frame, fields),)).views[("d", "r", "dataset")].frame
    assert result["begin"].tolist() == [9]
    assert result["actueel"].isna().tolist() == [True]


def test_masked_views_cannot_be_made_outside_the_privacy_stage() -> None:
    frame = pd.DataFrame({"code": ["a"], "n": [2]})
    with pytest.raises(TypeError):
        MaskedView("d", "r", "dataset", None, (), ("code",), frame, frame, object())  # type: ignore[arg-type]


def test_the_csv_writer_refuses_an_unmasked_view() -> None:
    frame = pd.DataFrame({"code": ["a"], "n": [2]})
    unmasked = view(frame, (key("code"), count("n")))
    with pytest.raises(TypeError):
        csv_bytes(unmasked)  # type: ignore[arg-type]


def test_a_masked_view_does_not_carry_the_unmasked_frame() -> None:
    names = {f.name for f in dataclasses.fields(MaskedView)}
    assert "view" not in names
    frame = pd.DataFrame({"code": ["a"], "n": pd.array([2], "Int64")})
    masked = mask((view(frame, (key("code"), count("n"))),)).views[("d", "r", "dataset")]
    assert all(not isinstance(v, View) for v in vars(masked).values())
    assert masked.masking_key is MASKING_KEY


def test_only_the_privacy_module_uses_the_masking_key() -> None:
    from pathlib import Path

    package = Path(__file__).parent.parent / "generator"
    users = sorted(p.name for p in package.glob("*.py") if "MASKING_KEY" in p.read_text())
    assert users == ["model.py", "privacy.py"]


def test_counts_missing_at_the_source_are_hidden_but_not_applicable_values_are_not() -> None:
    frame = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "deel": pd.array([None, 30, 40], "Int64"),
            "aandeel": pd.array([None, None, 40.0], "Float64"),
        }
    )
    fields = (
        key("code"),
        count("deel"),
        FieldInfo("aandeel", "number", "aandeel", "", inputs=("deel",)),
    )
    hidden = mask((view(frame, fields),)).views[("d", "r", "dataset")].hidden
    assert hidden["deel"].tolist() == [True, False, False]
    assert hidden["aandeel"].tolist() == [True, False, False]


def test_a_derived_value_that_does_not_apply_is_not_marked_hidden() -> None:
    frame = pd.DataFrame(
        {
            "code": ["vo"],
            "sbao": pd.array([None], "Int64"),
            "factoren": pd.array([1], "Int64"),
        }
    )
    fields = (
        key("code"),
        dataclasses.replace(count("sbao"), derived=True),
        FieldInfo("factoren", "integer", "factoren", "", derived=True, inputs=("sbao",)),
    )
    masked = mask((view(frame, fields),)).views[("d", "r", "dataset")]
    assert masked.hidden[["sbao", "factoren"]].to_numpy().tolist() == [[False, False]]
    assert masked.frame["factoren"].tolist() == [1]
