"""Shared fixtures: the tiny hand-made dataset, and sites built from it and from shipped data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "datapackages"
TINY_CSVS = ROOT / "tests" / "data" / "tiny"


def assemble_tiny(target: Path) -> Path:
    """The tiny CSVs with the shipped descriptors beside them: one schema for both."""
    for package in sorted(SHIPPED.iterdir()):
        if not (package / "datapackage.json").exists():
            continue
        folder = target / package.name
        folder.mkdir(parents=True)
        shutil.copy(package / "datapackage.json", folder)
        for path in sorted((TINY_CSVS / package.name).glob("*.*")):
            shutil.copy(path, folder)
    return target


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    return assemble_tiny(tmp_path / "data")


@pytest.fixture(scope="session")
def svg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("svg-cache")


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    data = assemble_tiny(tmp_path_factory.mktemp("tiny") / "data")
    out = tmp_path_factory.mktemp("tiny-site") / "site"
    build(data, out, svg_cache)
    return out


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Path:
    out = tmp_path_factory.mktemp("shipped-site") / "site"
    build(SHIPPED, out, svg_cache)
    return out
