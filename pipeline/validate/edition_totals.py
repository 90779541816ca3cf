"""What the previous edition saw: every source's gemeente figures per period, kept at publication.

``gvb validate`` warns when a figure for a period changed by more than a plausible factor since
the previous edition (a re-delivery that rewrites history). The snapshot holds unsuppressed source
totals, so it lives beside the store in ``$GVB_HOME/bouw/`` and never in an edition's folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.sources import SOURCES
from pipeline.kernel.store import connect
from pipeline.validate.frames import totals_sql


def snapshot_path(settings: Settings, edition: str) -> Path:
    return settings.home / "bouw" / f"bron_totalen_{edition}.parquet"


def stage_snapshot(settings: Settings, edition: str) -> Path:
    """Write the snapshot for ``edition`` to a temporary file; :func:`commit` puts it in place."""
    target = snapshot_path(settings, edition)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    parts = []
    for source in SOURCES.values():
        if source.name == "veiligheidsmonitor":
            continue  # survey figures are not counts; the survey has its own range checks
        rows = f"(select *, coalesce(gemeente_code, '') as _gm, coalesce(periode, '') as _per from {source.view})"
        parts.append(f"select '{source.name}' as bron, * from ({totals_sql(source, rows)})")
    con = connect(settings.store_path, read_only=True)
    try:
        con.execute(f"copy ({' union all '.join(parts)} order by all) to ? (format parquet)", [str(staged)])
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    return staged


def commit(staged: Path, settings: Settings, edition: str) -> None:
    os.replace(staged, snapshot_path(settings, edition))


def previous_snapshot(settings: Settings, edition: str) -> tuple[str, Path] | None:
    """The snapshot of the edition that precedes ``edition`` (as the revisions mart picks it)."""
    from pipeline.kernel.edition import previous_edition

    previous = previous_edition(settings, edition)
    if previous is None:
        return None
    path = snapshot_path(settings, previous[0])
    return (previous[0], path) if path.exists() else None
