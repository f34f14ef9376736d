"""Giving memory back between stages, so that the build's peak is its largest stage alone."""

from __future__ import annotations

import ctypes
import gc
import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")


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
    """

    BLOCK = 1024
    _SEPARATOR = "\0"

    def __init__(self, texts: Iterable[str]) -> None:
        self._blocks: list[bytes] = []
        self._count = 0
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == self.BLOCK:
                self._pack(chunk)
                chunk = []
        if chunk:
            self._pack(chunk)
        self._open: tuple[int, list[str]] = (-1, [])

    def _pack(self, chunk: list[str]) -> None:
        if any(self._SEPARATOR in text for text in chunk):
            raise ValueError("a text holds the separator of PackedTexts")
        self._blocks.append(zlib.compress(self._SEPARATOR.join(chunk).encode("utf-8"), 6))
        self._count += len(chunk)

    def _block(self, number: int) -> list[str]:
        if self._open[0] != number:
            texts = zlib.decompress(self._blocks[number]).decode("utf-8").split(self._SEPARATOR)
            self._open = (number, texts)
        return self._open[1]

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError("PackedTexts index out of range")
        block, at = divmod(index % self._count, self.BLOCK)
        return self._block(block)[at]

    def __iter__(self) -> Iterator[str]:
        for number in range(len(self._blocks)):
            yield from zlib.decompress(self._blocks[number]).decode("utf-8").split(self._SEPARATOR)

    def __getstate__(self) -> dict[str, object]:
        return {"_blocks": self._blocks, "_count": self._count}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._open = (-1, [])
