"""Giving memory back between stages, so that the build's peak is its largest stage alone."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")


YOUNG_OBJECTS = 20_000
"""The collector's first threshold during a build (Python's default is 700): the build makes
millions of objects that die young, and each collection also walks older generations now and
then, which grows with the data. Cycles wait a little longer to be freed (a few megabytes)."""


@contextlib.contextmanager
def seldom_collected() -> Iterator[None]:
    """Runs the block with the collector looking for cycles less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def settle() -> None:
    """Collects the garbage of the stages before and freezes what survives.

    What lives now (the data, the cell model, the masked views) lives until the end of the
    build: frozen, the collector no longer walks it again and again while pages are made.
    ``thaw`` when the build ends, or a process that builds twice never frees the first.
    """
    gc.collect()
    gc.freeze()
    release()


def thaw() -> None:
    """Hands what ``settle`` froze back to the collector."""
    gc.unfreeze()


def release() -> None:
    """Collects garbage and hands freed memory back to the operating system."""
    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: freed memory stays with the process
        return
    libc.malloc_trim(0)


class Parked(Generic[T]):
    """A value kept compressed until it is needed again: the cell model (60 MB in memory, 3 MB
    parked) waits so while the pages are made, since only the audit reads it again."""

    def __init__(self, value: T) -> None:
        self._blob = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def value(self) -> T:
        found: T = pickle.loads(zlib.decompress(self._blob))
        return found


class PackedTexts(Sequence[str]):
    """Many texts kept compressed in blocks: the names of the cell model (1.4 million names of
    about 80 characters in the 10x benchmark: 200 MB as strings, a tenth packed). Reading them
    in order decompresses each block once; a lookup here and there (a message) costs one block.
    Texts are appended; the last block stays open (unpacked) until it is full.
    """

    BLOCK = 1024
    _SEPARATOR = "\0"

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._blocks: list[bytes] = []
        self._packed = 0
        self._chunk: list[str] = []
        self._open: tuple[int, list[str]] = (-1, [])
        for text in texts:
            self.append(text)

    def append(self, text: str) -> None:
        if self._SEPARATOR in text:
            raise ValueError("a text holds the separator of PackedTexts")
        self._chunk.append(text)
        if len(self._chunk) == self.BLOCK:
            self._blocks.append(zlib.compress(self._SEPARATOR.join(self._chunk).encode(), 6))
            self._packed += len(self._chunk)
            self._chunk = []

    def _block(self, number: int) -> list[str]:
        if number == len(self._blocks):
            return self._chunk
        if self._open[0] != number:
            self._open = (number, self._unpack(number))
        return self._open[1]

    def _unpack(self, number: int) -> list[str]:
        return zlib.decompress(self._blocks[number]).decode().split(self._SEPARATOR)

    def __len__(self) -> int:
        return self._packed + len(self._chunk)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        size = len(self)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(size))]
        if not -size <= index < size:
            raise IndexError("PackedTexts index out of range")
        block, at = divmod(index % size, self.BLOCK)
        return self._block(block)[at]

    def __iter__(self) -> Iterator[str]:
        for number in range(len(self._blocks)):
            yield from self._unpack(number)
        yield from list(self._chunk)

    def __getstate__(self) -> dict[str, object]:
        return {"_blocks": self._blocks, "_packed": self._packed, "_chunk": self._chunk}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._open = (-1, [])
