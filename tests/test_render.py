import pytest

from generator.context import Cell
from generator.render import cell_text, relative_url


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "swv/PO2001/", "swv/PO2001/"),
        ("swv/PO2001/", "gemeente/GM0001/", "../../gemeente/GM0001/"),
        ("swv/PO2001/", "", "../../"),
        ("swv/PO2001/", "swv/PO2001/data.csv", "data.csv"),
        ("over/", "assets/site.css", "../assets/site.css"),
        ("swv/", "#datasets", "../#datasets"),
        ("", "#datasets", "./#datasets"),
        ("over/", "https://example.org/", "https://example.org/"),
    ],
)
def test_links_are_relative_to_the_page(page: str, target: str, expected: str) -> None:
    assert relative_url(page, target) == expected


def test_cells_are_formatted_in_dutch() -> None:
    assert cell_text(Cell(12345, "count")) == "12.345"
    assert cell_text(Cell(12.25, "percent")) == "12,2\u00a0%"
    assert cell_text(Cell(True, "boolean")) == "ja"
    assert cell_text(Cell(None, "count", suppressed=True)) == ""
