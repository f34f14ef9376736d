"""Matching gemeente names across sources that write them differently."""

from __future__ import annotations

import functools
import re
import unicodedata


def repair(name: str) -> str:
    """Undoes one known mojibake: Latin-1 text once read as Mac Roman (``S˙dwest-Frysl‚n``).

    Gemeente names only use Latin-1 letters, so a character beyond U+00FF marks the damage.
    """
    if all(ord(c) <= 0xFF for c in name):
        return name
    try:
        return name.encode("mac_roman").decode("latin-1")
    except UnicodeError:
        return name


@functools.cache
def key(name: str) -> str:
    """A spelling-blind key: ``'s-Gravenhage (gemeente)`` and ``s-Gravenhage`` are one name,
    and so are ``Súdwest-Fryslân`` and ``Sudwest Fryslan``."""
    text = unicodedata.normalize("NFKD", repair(name).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("(gemeente)", "").replace(".", "").replace("-", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.lstrip("'").strip()


@functools.cache
def bare(name: str) -> str:
    """The key without a CBS suffix: ``Hengelo (O.)`` → ``hengelo``."""
    return re.sub(r"\s*\([^)]*\)$", "", key(name))
