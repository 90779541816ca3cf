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
from pipeline.kernel.periods import Period, parse_period, sort_key
from pipeline.kernel.store import open_store

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
    return sorted(found, key=sort_key, reverse=True)  # 2025 is newer than 2025H1: the period order


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


def publishable_editions(settings: Settings) -> list[str]:
    """Editions the police figures in the store fully cover, oldest first: a year when all twelve
    months (or the year itself) are there, its first half-year when January to June are."""
    if not settings.store_path.exists():
        return []
    with open_store(settings, read_only=True) as con:
        periods = [row[0] for row in con.execute("select distinct periode from raw_politie_misdrijven").fetchall()]
    months: dict[int, set[int]] = {}
    years: set[int] = set()
    for text in periods:
        period = parse_period(text or "")
        if period is None:
            continue
        if period.kind == "month":
            months.setdefault(period.year, set()).add(period.start.month)
        elif period.kind == "year":
            years.add(period.year)
    editions = []
    for year in years | set(months):
        present = months.get(year, set())
        if set(range(1, 7)) <= present:
            editions.append(f"{year}H1")
        if year in years or set(range(1, 13)) <= present:
            editions.append(str(year))
    return sorted(editions, key=sort_key)


def default_edition(settings: Settings) -> str:
    """The newest edition the police figures fully cover (a half-year when monthly figures allow,
    else the year); refused when the store has no police figures."""
    editions = publishable_editions(settings)
    if not editions:
        raise GvbError(
            "de opslag heeft geen politiecijfers (misdrijven) die een heel jaar of eerste halfjaar dekken, "
            "dus er is geen editie te maken; lees eerst politiecijfers in met 'gvb ingest'",
            exit_code=2,
        )
    return editions[-1]


def check_edition_covered(settings: Settings, edition: str) -> None:
    """Refuse an edition for which the store has no (complete) police figures (exit 2)."""
    edition_period(edition)
    editions = publishable_editions(settings)
    if edition in editions:
        return
    shown = ", ".join(editions[-12:]) if editions else "geen (lees eerst politiecijfers in)"
    raise GvbError(
        f"editie {edition} kan niet: de opslag heeft voor die periode geen volledige politiecijfers; "
        f"te publiceren edities: {shown}",
        exit_code=2,
    )
