"""The cell model: every published count as a linear form over the source's base cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build
from generator.model import CellModel
from tests.conftest import SHIPPED


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> CellModel:
    from tests.conftest import assemble_tiny

    return build.inputs(assemble_tiny(tmp_path_factory.mktemp("cells") / "data")).model


def cell(model: CellModel, view: tuple[str, str, str], key: tuple[str, ...], column: str) -> int:
    cells = model.views[view]  # type: ignore[index]
    row = cells.keys.index[(cells.keys == list(key)).all(axis=1)]
    assert len(row) == 1, f"no single row {key} in {view}"
    return int(cells.cells[column][row[0]])


def terms(model: CellModel, index: int) -> dict[str, int]:
    row = model.forms[[index]].tocoo()
    return {model.base_names[b]: int(c) for b, c in zip(row.col, row.data, strict=True)}


VERZUIM = ("langdurig-relatief-verzuim", "verzuim")


def test_actueel_is_the_signed_sum_of_its_inputs(tiny_model: CellModel) -> None:
    index = cell(tiny_model, (*VERZUIM, "dataset"), ("GM0001", "2022-2023", "po"), "actueel")
    prefix = "langdurig-relatief-verzuim/verzuim/GM0001/2022-2023/po/"
    assert terms(tiny_model, index) == {
        prefix + "begin_schooljaar": 1,
        prefix + "nieuw": 1,
        prefix + "opgelost": -1,
        prefix + "achttien_jaar_geworden": -1,
        prefix + "verhuisd": -1,
    }
    assert tiny_model.values[index] == 4 + 6 - 5 - 0 - 1
    inputs = dict(tiny_model.dependents)[index]
    assert len(inputs) == 5


def test_a_gemeente_in_two_swvs_is_one_cell_on_every_page(tiny_model: CellModel) -> None:
    key = ("GM0003", "2022-2023", "po")
    own = cell(tiny_model, (*VERZUIM, "gemeente"), key, "nieuw")
    first = cell(tiny_model, (*VERZUIM, "swv"), ("PO2001", *key), "nieuw")
    second = cell(tiny_model, (*VERZUIM, "swv"), ("PO2002", *key), "nieuw")
    assert own == first == second


def test_so_vso_verzuim_is_one_cell_at_the_po_and_the_vo_swv(tiny_model: CellModel) -> None:
    key = ("GM0001", "2022-2023", "so-vso")
    at_po = cell(tiny_model, (*VERZUIM, "swv"), ("PO2001", *key), "begin_schooljaar")
    at_vo = cell(tiny_model, (*VERZUIM, "swv"), ("VO2001", *key), "begin_schooljaar")
    assert at_po == at_vo


def test_an_swv_with_one_school_shows_that_schools_cell(tiny_model: CellModel) -> None:
    view = ("leerlingen-cluster-1-2", "leerlingen", "swv")
    total = cell(tiny_model, view, ("PO2002", "2023", "2", "so"), "aantal_leerlingen")
    school = cell(
        tiny_model,
        ("leerlingen-cluster-1-2", "leerlingen", "dataset"),
        ("2023", "02CD00", "2", "so"),
        "aantal_leerlingen",
    )
    assert total == school  # Dalwijk (postcode 9303) lies in PO2002's part of GM0003


def test_swv_cluster_totals_sum_the_schools_of_the_region() -> None:
    model = build.inputs(SHIPPED).model
    sums = [
        (total, parts)
        for total, parts in model.relations
        if model.names[total].startswith("leerlingen-cluster-1-2/leerlingen/swv/")
    ]
    assert sums
    for total, parts in sums:
        assert model.values[total] == sum(model.values[p] for p in parts)
        assert all("/dataset/" in model.names[p] for p in parts)


def test_national_comparison_sums_every_swv_of_the_sector(tiny_model: CellModel) -> None:
    view = ("passend-onderwijs-swv", "vergelijking", "dataset")
    national = cell(tiny_model, view, ("PO2001", "landelijk"), "lgf_31_juli_2014")
    swvs = {name.split("/")[2] for name in terms(tiny_model, national)}
    assert swvs == {"PO2001", "PO2002"}


def test_every_count_of_every_view_is_its_cells_value(tiny_data: Path) -> None:
    data = build.inputs(tiny_data)
    for view in data.views:
        cells = data.model.views[(view.dataset, view.resource, view.level)]
        for column, indices in cells.cells.items():
            values = view.frame[column]
            assert (values.isna().to_numpy() == (indices < 0)).all()
            shown = values[indices >= 0].astype(int).to_numpy()
            assert (shown == data.model.values[indices[indices >= 0]]).all()


def test_a_model_out_of_step_with_the_tables_stops_the_build(tiny_data: Path) -> None:
    data = build.inputs(tiny_data)
    view = next(v for v in data.views if v.dataset == "leerlingen-cluster-1-2" and v.level == "swv")
    view.frame.loc[0, "aantal_leerlingen"] += 1
    from generator import cells

    with pytest.raises(AssertionError, match="out of step"):
        cells.model(data.catalog, data.regions, data.views)
