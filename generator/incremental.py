"""Incremental builds: keep a site whose inputs did not change, reuse pages that did not change.

Two records live in the build cache (beside the SVG cache):

- the *manifest* of a site (one per output folder): the digest of every input (data packages
  and ledger, templates, content, static files, the generator's own source, the versions of the
  libraries that shape the output) and the sha256 of every file the build wrote, with the
  audit's summary. When the inputs' digest is the same and the output folder still holds
  exactly those files, the build keeps the site as it is: the audit that passed it still holds,
  as neither its inputs nor its files changed.
- the *page cache*: every file a page writes (HTML, CSVs, datapackage.json, SVG, chart spec),
  keyed by a digest of the page's complete template data (its pickle without a memo, so equal
  data gives the same key; a masked view the page shows twice is pickled once, a chart's spec
  as its digest) and of the code that turns it into files. A page whose
  data did not change is copied from the cache instead of being rendered again.

Suppression and the audit are global and always run when anything changed.
"""

from __future__ import annotations

import base64
import copyreg
import hashlib
import json
import os
import pickle
import platform
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import config

if TYPE_CHECKING:  # kept light: ``kept.py`` answers an unchanged build without pandas
    from generator.context import Page
    from generator.model import Catalog

SOURCE = Path(__file__).resolve().parent
LIBRARIES = ("altair", "vl-convert-python", "jinja2", "pandas", "numpy", "markdown", "scipy")
"""Libraries whose version can change a byte of the output (numbers, SVG, HTML, CSV)."""


def default_cache(out_dir: Path) -> Path:
    """The build cache of a site: ``.cache`` beside its folder."""
    return out_dir.resolve().parent / ".cache"


def files_digest(folders: Iterable[Path], pattern: str = "*") -> str:
    """One digest of every file under the folders: their relative paths and their bytes."""
    total = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            total.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


def code_digest() -> str:
    """The generator's source, templates and library versions: what turns data into files."""
    versions = [f"{name}={metadata.version(name)}" for name in LIBRARIES]
    parts = [files_digest([SOURCE], "*.py"), files_digest([config.TEMPLATES])]
    parts += [platform.python_version(), *versions]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def inputs_digest(data_dir: Path) -> str:
    """Everything the site is made from: data, ledger, content, static files and code."""
    data = files_digest([data_dir, config.CONTENT, config.STATIC])
    return hashlib.sha256(f"{data}\n{code_digest()}".encode()).hexdigest()


def site_files(root: Path) -> dict[str, str]:
    """The sha256 of every file in a folder, by path relative to it."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@dataclass(frozen=True)
class Kept:
    """A site the last build wrote from the same inputs, found unchanged in its folder."""

    pages: int
    suppressed: int
    published: int
    audit_summary: tuple[str, ...]
    files: int


class Cache:
    """The manifests and page cache in one cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _manifest(self, out_dir: Path) -> Path:
        where = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        return self.root / "sites" / f"{where}.json"

    def kept(self, digest: str, out_dir: Path) -> Kept | None:
        """The last build of ``out_dir``, when it had these inputs and its files are intact."""
        path = self._manifest(out_dir)
        if not path.is_file() or not out_dir.is_dir():
            return None
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            report = manifest["report"]
        except (OSError, ValueError, KeyError):
            return None  # an unreadable record: build again
        if manifest["inputs"] != digest or site_files(out_dir) != manifest["files"]:
            return None
        return Kept(
            report["pages"],
            report["suppressed"],
            report["published"],
            tuple(report["audit"]),
            len(manifest["files"]),
        )

    def remember(
        self, digest: str, out_dir: Path, files: Mapping[str, str], report: Mapping[str, object]
    ) -> None:
        """Records what the build of ``out_dir`` wrote from the inputs with this digest."""
        path = self._manifest(out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = {"inputs": digest, "report": report, "files": dict(sorted(files.items()))}
        write_whole(path, json.dumps(manifest, ensure_ascii=False, indent=0).encode())

    def page_key(self, page: Page, salt: str) -> str:
        """The digest of a page's template data and of everything else its files depend on."""
        total = hashlib.sha256(salt.encode() + b"\0")
        pickler = pickle.Pickler(_Feed(total), protocol=5)
        pickler.dispatch_table = _page_reducers()
        # Fast mode keeps no memo: an object seen twice is written twice, so equal pages give
        # equal bytes however their objects happen to be shared (a memo made the key of every
        # page depend on how strings were shared across the whole site's data).
        pickler.fast = True
        pickler.dump(page)
        return total.hexdigest()

    def page_files(self, key: str) -> dict[str, str | bytes] | None:
        """The files a page with this key wrote before (site path → text or bytes), or None."""
        path = self._page_path(key)
        if not path.is_file():
            return None
        kept = json.loads(path.read_text(encoding="utf-8"))
        files: dict[str, str | bytes] = dict(kept["text"])
        files.update((name, base64.b64decode(data)) for name, data in kept["binary"].items())
        return files

    def keep_page(self, key: str, files: Mapping[str, str | bytes]) -> None:
        path = self._page_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = {n: f for n, f in files.items() if isinstance(f, str)}
        binary = {
            n: base64.b64encode(f).decode("ascii") for n, f in files.items() if isinstance(f, bytes)
        }
        write_whole(path, json.dumps({"text": text, "binary": binary}, ensure_ascii=False).encode())

    def _page_path(self, key: str) -> Path:
        return self.root / "pages" / key[:2] / f"{key}.json"


def _page_reducers() -> dict[type, Callable[[Any], Any]]:
    """How a page is pickled for its key: as usual, but a masked view once (the page's tables,
    its blocks and its charts share them: without a memo each would be pickled three times,
    and pandas' pickling of a small frame costs more than the rest of the page) and a chart
    as its spec's digest (the spec is pickled as its digest, not as a second nest of dicts)."""
    from generator.model import Chart, MaskedView  # here: an unchanged build needs no pandas

    seen: dict[int, int] = {}  # the page holds every view while it is pickled: ids are unique

    def view(masked: MaskedView) -> tuple[Any, ...]:
        if id(masked) in seen:
            return tuple, (("as before", seen[id(masked)]),)
        seen[id(masked)] = len(seen)
        fields = (masked.dataset, masked.resource, masked.level, masked.entity, masked.fields)
        return tuple, ((*fields, masked.key, masked.frame, masked.hidden),)

    def chart(made: Chart) -> tuple[Any, ...]:
        return tuple, ((made.slug, made.title, made.description, made.digest, made.data),)

    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    table.update({MaskedView: view, Chart: chart})
    return table


class _Feed:
    """A file to pickle into that only feeds a digest: no page is held twice in memory."""

    def __init__(self, total: hashlib._Hash) -> None:
        self.total = total

    def write(self, data: bytes) -> None:
        self.total.update(data)


def page_salt(catalog: Catalog, demo: bool) -> str:
    """What every page's files depend on beyond its own data: code, descriptors, the banner."""
    descriptors = json.dumps(
        {name: p.descriptor for name, p in sorted(catalog.packages.items())},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(f"{code_digest()}\n{descriptors}\n{demo}".encode()).hexdigest()


def write_whole(path: Path, data: bytes) -> None:
    """Writes a cache file whole or not at all: a crash never leaves half a record or half a
    drawing, and builds that share a cache never write into one temporary file."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
