"""The benchmark command runs end to end on the tiny dataset and prints every figure."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from generator import naive, packages, timing
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


def test_the_naive_build_checks_the_data_in_its_own_one_process(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packages, "ASIDE_FROM_BYTES", 0)  # the real build would check aside
    started: list[object] = []
    monkeypatch.setattr(
        multiprocessing.process.BaseProcess, "start", lambda process: started.append(process)
    )
    report = naive.build(tiny_data, tmp_path / "site", timing.Stages())
    assert report.audit.passed
    assert started == []
