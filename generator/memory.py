"""Giving memory back between stages, so that the build's peak is its largest stage alone."""

from __future__ import annotations

import ctypes
import gc
import pickle
import zlib
from typing import Generic, TypeVar

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
