"""A fetched folder: the raw pages as the feed served them and ``manifest.json`` beside them.

The manifest names the table, the table's own modified date, every page's address, row count and
sha256, and when it was fetched. ``gvb ingest`` reads the folder as one delivery after checking
every page against it; its identity (:func:`content_digest`) leaves out the time of fetching, so
the same table fetched twice is recognised as the same delivery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.kernel.errors import InputError

MANIFEST = "manifest.json"
#: marks a manifest as gvb's own (a partner's folder may hold a manifest.json of its own)
MARK = "gvb_fetch"


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    rows: int
    sha256: str


def is_fetched(folder: Path) -> bool:
    path = folder / MANIFEST
    if not folder.is_dir() or not path.is_file():
        return False
    try:
        return MARK in json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise InputError(f"{MANIFEST} is niet te lezen ({exc})", file=folder.name) from None
    if not isinstance(manifest, dict) or MARK not in manifest or not isinstance(manifest.get("paginas"), list):
        raise InputError(f"{MANIFEST} is geen manifest van gvb fetch", file=folder.name)
    return manifest


def pages_of(manifest: dict) -> list[Page]:
    return [Page(p["bestand"], p["url"], int(p["rijen"]), p["sha256"]) for p in manifest["paginas"]]


def content_digest(manifest: dict) -> str:
    """What the delivery is: table, its modified date, the query and each page's bytes (not when)."""
    identity = {
        "tabel": manifest.get("tabel"),
        "gewijzigd": manifest.get("gewijzigd"),
        "verzoeken": manifest.get("verzoeken"),
        "paginas": [p["sha256"] for p in manifest["paginas"]],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def read_pages(folder: Path) -> tuple[dict, Iterator[list[dict]]]:
    """The manifest and, page by page, the records, each page checked against the manifest as it is
    read: a page missing, changed or with another number of rows refuses the whole folder."""
    manifest = read_manifest(folder)

    def pages() -> Iterator[list[dict]]:
        total = 0
        for page in pages_of(manifest):
            path = folder / page.file
            if not path.is_file() or path.parent != folder:
                raise InputError(f"pagina {page.file} ontbreekt; haal de tabel opnieuw op met gvb fetch",
                                 file=folder.name)  # fmt: skip
            body = path.read_bytes()
            if hashlib.sha256(body).hexdigest() != page.sha256:
                raise InputError(
                    f"pagina {page.file} is veranderd sinds het ophalen (sha256 klopt niet met {MANIFEST}); haal de "
                    "tabel opnieuw op met gvb fetch",
                    file=folder.name,
                )
            values = json.loads(body).get("value", [])
            if len(values) != page.rows:
                raise InputError(f"pagina {page.file} heeft {len(values)} rijen, het manifest {page.rows}",
                                 file=folder.name)  # fmt: skip
            total += len(values)
            yield values
        if total != int(manifest.get("rijen", -1)):
            raise InputError(f"de pagina's hebben samen {total} rijen, het manifest {manifest.get('rijen')}",
                             file=folder.name)  # fmt: skip

    return manifest, pages()


def read_records(folder: Path) -> tuple[dict, list[dict]]:
    """Every record of every page (for small tables), checked as :func:`read_pages` does."""
    manifest, pages = read_pages(folder)
    return manifest, [record for page in pages for record in page]
