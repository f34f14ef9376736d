"""The benchmark command runs end to end on the tiny dataset and prints every figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.__main__ import main


def test_the_benchmark_prints_stages_floor_and_ratios(
    tiny_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["bench", "--data", str(tiny_data), "--runs", "1", "--scale", "1", "--naive-runs", "2"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    for stage in ("load", "cells", "suppression", "charts", "svg", "render", "write", "audit"):
        assert f"\n  {stage} " in out
    assert "site behouden: ja" in out
    assert "Vloer: renderer" in out
    assert "Koude build / vloer:" in out
    assert "Naïef / koude build:" in out
    assert out.count("Naïeve site byte-gelijk aan de echte") == 2  # the same pages, naively
    assert "Naïef / koude build, mediaan van 2 paren:" in out
    assert "Na een wijziging van één getal" in out
