"""How SWVs and split gemeenten are named in links, titles and lists."""

from __future__ import annotations

from generator.model import Membership, Swv


def test_an_swv_label_names_the_code_once() -> None:
    assert (
        Swv("PO2001", "Passend Onderwijs Wakant", "po").label == "PO2001 · Passend Onderwijs Wakant"
    )
    assert Swv("PO2707", "PO2707 · Amsterdam, Diemen", "po").label == "PO2707 · Amsterdam, Diemen"


def test_the_postcodes_of_a_split_gemeente_are_shown_as_ranges() -> None:
    split = Membership("GM0363", "PO2707", ("1013", "1011", "1012", "1021", "1030", "1031"))
    assert split.note == "alleen postcodes 1011–1013, 1021, 1030, 1031"
    assert Membership("GM0363", "PO2707").note == ""
