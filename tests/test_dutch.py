import numpy as np
import pandas as pd

from generator import dutch


def test_getal_uses_dot_for_thousands_and_comma_for_decimals() -> None:
    assert dutch.getal(1234) == "1.234"
    assert dutch.getal(1234567.891, 2) == "1.234.567,89"
    assert dutch.getal(-1234) == "-1.234"


def test_procent_and_bedrag() -> None:
    assert dutch.procent(12.5) == "12,5\u00a0%"
    assert dutch.bedrag(1234567.4) == "€\u00a01.234.567"


def test_missing_values_format_as_empty_text() -> None:
    assert dutch.getal(None) == ""
    assert dutch.getal(float("nan")) == ""
    assert dutch.procent(None) == ""


def test_ja_nee() -> None:
    assert dutch.ja_nee(True) == "ja"
    assert dutch.ja_nee(False) == "nee"
    assert dutch.ja_nee(np.bool_(True)) == "ja"
    assert dutch.ja_nee(pd.array([False], "boolean")[0]) == "nee"
    assert dutch.ja_nee(None) == ""
