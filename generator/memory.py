"""Giving memory back between stages, so that the build's peak is its largest stage alone."""

from __future__ import annotations

import ctypes
import gc


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
