"""Each documented rule, tested with the wording of the source documentation."""

import pandas as pd
import pytest

from generator import derive


def series(*values: float) -> pd.Series:
    return pd.Series(values, dtype="Float64")


def test_actueel_is_start_plus_new_minus_resolved_minus_turned_18_minus_moved() -> None:
    frame = pd.DataFrame(
        {
            "begin_schooljaar": [10],
            "nieuw": [5],
            "opgelost": [3],
            "achttien_jaar_geworden": [1],
            "verhuisd": [2],
        }
    )
    assert derive.actueel(frame).tolist() == [9]


def test_meer_doorbetaling_dan_centrale_regie_when_share_is_more_than_50_percent() -> None:
    assert derive.meer_doorbetaling_dan_centrale_regie(series(50.0, 50.01, 75)).tolist() == [
        False,
        True,
        True,
    ]


def test_procentuele_ontwikkeling_is_prognose_minus_telling_over_telling() -> None:
    assert derive.procentuele_ontwikkeling(series(1000), series(940)).tolist() == [-6.0]


def test_sterke_krimp_is_a_fall_of_more_than_5_percent() -> None:
    assert derive.sterke_krimp(series(-5.0, -5.01, 3)).tolist() == [False, True, False]


def test_hoog_aandeel_sbao_is_2_5_percent_or_more() -> None:
    assert derive.hoog_aandeel_sbao(series(2.49, 2.5, 4)).tolist() == [False, True, True]


def test_sterke_negatieve_verevening_is_10_percent_or_more_negative() -> None:
    assert derive.sterke_negatieve_verevening(series(-9.99, -10, -20, 12)).tolist() == [
        False,
        True,
        True,
        False,
    ]


def test_vereveningscategorie_has_three_bands_at_minus_and_plus_10_percent() -> None:
    assert derive.vereveningscategorie(series(-10, -9.9, 9.9, 10)).tolist() == [
        "sterk negatief",
        "binnen -10% en +10%",
        "binnen -10% en +10%",
        "sterk positief",
    ]


@pytest.mark.parametrize(
    ("sector", "expected"),
    [("po", 3), ("vo", 2)],
)
def test_aantal_factoren_financiele_druk_counts_3_flags_for_po_and_2_for_vo(
    sector: str, expected: int
) -> None:
    flags = pd.Series([True], dtype="boolean")
    result = derive.aantal_factoren_financiele_druk(pd.Series([sector]), flags, flags, flags)
    assert result.tolist() == [expected]


def test_percentage_is_missing_when_the_whole_is_zero() -> None:
    result = derive.percentage(series(3, 1), series(0, 4))
    assert result.isna().tolist() == [True, False]
    assert result.iloc[1] == 25.0
