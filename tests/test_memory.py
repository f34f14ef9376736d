"""Values kept compact while the build runs: the packed names of the cell model."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.memory import PackedTexts

TEXTS = st.lists(st.text(st.characters(blacklist_characters="\0")), max_size=3000)


@settings(max_examples=30, deadline=None)
@given(TEXTS)
def test_packed_texts_read_back_as_they_went_in(texts: list[str]) -> None:
    packed = PackedTexts(texts)
    assert len(packed) == len(texts)
    assert list(packed) == texts
    assert [packed[i] for i in range(len(texts))] == texts
    assert [packed[i] for i in reversed(range(len(texts)))] == texts[::-1]
    if texts:
        assert packed[-1] == texts[-1]
        assert packed[1:4] == texts[1:4]
    assert list(pickle.loads(pickle.dumps(packed))) == texts
    packed.append("één meer")
    assert packed[-1] == "één meer" and list(packed) == [*texts, "één meer"]


def test_packed_texts_refuse_an_index_past_the_end_and_the_separator() -> None:
    packed = PackedTexts(["a", "b"])
    with pytest.raises(IndexError):
        packed[2]
    with pytest.raises(ValueError, match="separator"):
        PackedTexts(["a\0b"])
