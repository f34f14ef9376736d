"""Vega-Lite compiled to Vega once per chart form, for the drawing workers.

The site's charts of one kind differ only in their data and their description, so compiling
each one's Vega-Lite to Vega again (about a sixth of the renderer's time per drawing) repeats
the same work. A worker compiles the first chart of each form, with its data and description
replaced by placeholders, and fills the others' data and description into that compiled Vega.

Only what is known to pass through the compiler unchanged is replaced: each non-empty inline
``values`` list (equal lists share one placeholder, so the compiler merges the same datasets as
it would for the real data) and a text ``description``. A form whose compiled Vega holds a
placeholder anywhere else, or not where expected, is compiled chart by chart as before. The
tests compare the filled Vega with the compiled one for every chart of a built site.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import vl_convert

VALUES_SLOT = "\u0000values"
DESCRIPTION_SLOT = "\u0000description"
ESCAPED_NUL = json.dumps("\u0000")[1:-1]
"""How the placeholders' first character looks in JSON text (no chart's data holds it)."""

MAX_FORMS = 2000
"""How many forms a worker keeps at most (the site has about 130, ten times its entities about
300): were every chart a form of its own, the worker would otherwise keep every compiled chart."""

Compile = Callable[[str], dict[str, Any]]


class Forms:
    """Turns Vega-Lite specs into Vega, compiling each form of chart once."""

    def __init__(self, vl_version: str, compile_vl: Compile | None = None) -> None:
        self.vl_version = vl_version
        self.compile_vl = compile_vl or self._compile
        self.templates: dict[str, _Template | None] = {}

    def vega(self, spec_json: str) -> str:
        """The Vega spec (JSON text) the compiler would make of ``spec_json``."""
        spec = json.loads(spec_json)
        slots: list[str] = []  # each distinct data list, as JSON
        form = _hollow(spec, slots)
        description = spec.get("description")
        if isinstance(description, str):
            form["description"] = DESCRIPTION_SLOT
        key = json.dumps(form, ensure_ascii=False)
        if key not in self.templates and len(self.templates) < MAX_FORMS:
            self.templates[key] = _Template.of(self.compile_vl(key), len(slots))
        template = self.templates.get(key)
        if template is None:  # a form beyond the bound, or one that cannot be filled in
            return json.dumps(self.compile_vl(spec_json))
        return template.fill(slots, description)

    def _compile(self, spec_json: str) -> dict[str, Any]:
        return dict(vl_convert.vegalite_to_vega(spec_json, vl_version=self.vl_version))


def _hollow(spec: Any, slots: list[str]) -> Any:
    """A copy of ``spec`` with each non-empty inline data list replaced by a placeholder
    (``slots``: the lists as JSON text, in placeholder order; equal lists share one)."""
    if isinstance(spec, list):
        return [_hollow(item, slots) for item in spec]
    if not isinstance(spec, dict):
        return spec
    hollow = {}
    for key, value in spec.items():
        if key == "values" and isinstance(value, list) and value:
            text = json.dumps(value, ensure_ascii=False)
            if text not in slots:
                slots.append(text)
            hollow[key] = [{VALUES_SLOT: slots.index(text)}]
        else:
            hollow[key] = _hollow(value, slots)
    return hollow


class _Template:
    """A compiled form as JSON text, cut at its placeholders."""

    def __init__(self, pieces: list[str], holes: list[int | None]) -> None:
        self.pieces, self.holes = pieces, holes  # hole: a slot's number, None: the description

    @classmethod
    def of(cls, compiled: dict[str, Any], slot_count: int) -> _Template | None:
        """The template of a compiled form; None when a placeholder is somewhere unexpected."""
        text = json.dumps(compiled, ensure_ascii=False)
        marks: dict[str, int | None] = {
            json.dumps([{VALUES_SLOT: k}], ensure_ascii=False): k for k in range(slot_count)
        }
        if compiled.get("description") == DESCRIPTION_SLOT:
            marks[json.dumps(DESCRIPTION_SLOT)] = None
        pieces, holes = _cut(text, marks)
        if any(ESCAPED_NUL in piece for piece in pieces):
            return None  # a placeholder the compiler moved, copied or changed
        if set(holes) != set(marks.values()):
            return None
        return cls(pieces, holes)

    def fill(self, slots: list[str], description: Any) -> str:
        parts = [self.pieces[0]]
        for hole, piece in zip(self.holes, self.pieces[1:], strict=True):
            parts.append(json.dumps(description) if hole is None else slots[hole])
            parts.append(piece)
        return "".join(parts)


def _cut(text: str, marks: dict[str, int | None]) -> tuple[list[str], list[int | None]]:
    """``text`` split at each occurrence of a mark, with the mark's hole between the pieces."""
    pieces: list[str] = []
    holes: list[int | None] = []
    start = 0
    while True:
        found = [(at, mark) for mark in marks if (at := text.find(mark, start)) >= 0]
        if not found:
            pieces.append(text[start:])
            return pieces, holes
        at, mark = min(found)
        pieces.append(text[start:at])
        holes.append(marks[mark])
        start = at + len(mark)
