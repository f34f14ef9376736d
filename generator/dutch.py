"""Dutch formatting of numbers, percentages, amounts and yes/no, for pages and charts."""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd


def getal(value: object, decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (Dutch: dot for thousands, comma for decimals)."""
    if not isinstance(value, Real) or math.isnan(float(value)):
        return ""
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def afgerond(value: object, rounding: int = 10) -> str:
    """A count the source rounded: ``0`` → ``< 5`` (it means 0 up to half the rounding)."""
    if isinstance(value, Real) and float(value) == 0:
        return f"<\u00a0{(rounding + 1) // 2}"
    return getal(value)


def procent(value: object, decimals: int = 1) -> str:
    """``12.5`` (percentage points) → ``12,5 %``."""
    text = getal(value, decimals)
    return f"{text}\u00a0%" if text else ""


def bedrag(value: object) -> str:
    """``1234567.8`` → ``€ 1.234.568`` (whole euros)."""
    text = getal(value)
    return f"€\u00a0{text}" if text else ""


def ja_nee(value: object) -> str:
    """``True`` → ``ja``, ``False`` → ``nee`` (also for numpy and pandas booleans)."""
    if value is None or value is pd.NA:
        return ""
    return "ja" if bool(value) else "nee"


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def datum(iso: str) -> str:
    """``2026-11-23`` → ``23 november 2026``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"
