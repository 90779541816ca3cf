"""An edition: its name, its order, where it lives, and which editions are published.

An edition is named after its period: a first half-year (``2025H1``, "GVB eerste halfjaar 2025")
or a whole year (``2024``). The year 2025 ends after its first half-year, so the edition ``2025``
is newer than ``2025H1``. A published edition is ``edities/<E>/gvb_<E>.duckdb`` with its
``manifest.json`` beside it (``edities/<E>`` is the current publication, see
:mod:`pipeline.kernel.publication`). A kernel module: it imports only the kernel.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError
from pipeline.kernel.periods import Period, parse_period
from pipeline.kernel.periods import sort_key as period_sort_key

#: how an edition is written in a URL or on the command line
EDITION_PATTERN = re.compile(r"^\d{4}(H1)?$")


def edition_period(edition: str) -> Period:
    """The period an edition covers; a clear refusal for anything that is not an edition's name."""
    period = parse_period(edition)
    if period is None or edition != period.text or period.kind not in ("half", "year") or edition.endswith("H2"):
        raise GvbError(
            f"onbekende editie '{edition}'; een editie is een eerste halfjaar (bv. 2025H1) of een heel jaar (bv. 2024)"
        )
    return period


def sort_key(edition: str) -> tuple[int, int, int]:
    """Oldest first: by the end of the period, so ``2025H1`` comes before ``2025`` (the period order)."""
    return period_sort_key(edition)


def edition_dir(settings: Settings, edition: str) -> Path:
    """The edition's current publication (``edities/<E>``)."""
    return settings.home / "edities" / edition


def edition_db(settings: Settings, edition: str) -> Path:
    """Where the published edition's DuckDB file lives."""
    return edition_dir(settings, edition) / f"gvb_{edition}.duckdb"


def work_db(settings: Settings, edition: str) -> Path:
    """Where `gvb build` puts an unpublished build (for inspection; `gvb publish` builds anew)."""
    return settings.home / "bouw" / f"gvb_{edition}.duckdb"


def published(home: Path) -> list[str]:
    """The published editions under ``home``, newest first: a name that is an edition's, with its
    DuckDB file and its manifest in place."""
    folder = home / "edities"
    found = [
        d.name
        for d in (folder.iterdir() if folder.is_dir() else [])
        if EDITION_PATTERN.fullmatch(d.name)
        and (d / f"gvb_{d.name}.duckdb").is_file()
        and (d / "manifest.json").is_file()
    ]
    return sorted(found, key=sort_key, reverse=True)


def previous_edition(settings: Settings, edition: str) -> tuple[str, Path] | None:
    """The newest published edition that ends before this one (for the revisions mart); of two
    that end together (``2025H1`` and a half-year edition rebuilt as such), the other half-year."""
    this = edition_period(edition)
    candidates = []
    for name in published(settings.home):
        period = edition_period(name)
        if period.end < this.end or (period.end == this.end and name != edition and period.kind == "half"):
            candidates.append((period.end, name, edition_db(settings, name)))
    if not candidates:
        return None
    _, name, path = max(candidates)
    return name, path
