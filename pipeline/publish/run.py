"""`gvb publish` and `gvb refresh`: build an edition in a new file, check the marts, and only then
switch to it with one atomic rename; a manifest records inputs, code version and data checksums.

A crash or SIGKILL at any moment leaves the previously published edition as it was: the database,
manifest and validation are written into a new publication directory, and replacing the link
``edities/<E>`` is the single commit point (see ``pipeline.kernel.publication``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipeline import __version__
from pipeline.build.disclosure.audit import SPAN
from pipeline.build.disclosure.table import Verdict, describe
from pipeline.build.disclosure.table import check_edition as check_disclosure
from pipeline.build.run import build_into, remove_database, remove_stale_builds
from pipeline.kernel import publication
from pipeline.kernel.code import code_checksum
from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError
from pipeline.kernel.locking import exclusive
from pipeline.kernel.sources import SOURCES
from pipeline.kernel.store import LOADS_TABLE, NOTES_VIEW, connect
from pipeline.presentation.notable import NOTABLE_SQL
from pipeline.validate import edition_totals
from pipeline.validate.run import promote, store_version

CHECKSUM_TABLES = ("indicator_values", "veiligheidsmonitor_values", "revisions", "notes")


@dataclass
class Publication:
    edition: str
    path: Path
    manifest: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)


def table_checksum(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """sha256 over the rows of a table in a fixed order: the same data gives the same checksum."""
    digest = hashlib.sha256()
    cursor = con.execute(f"select * from {table} order by all")
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            digest.update(repr(row).encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def _inputs(settings: Settings) -> list[dict[str, Any]]:
    con = connect(settings.store_path, read_only=True)
    try:
        views = [*(s.view for s in SOURCES.values()), NOTES_VIEW]  # the notes file is an input too
        in_use = " or ".join(f"exists (select 1 from {view} where load_id = l.load_id)" for view in views)
        rows = con.execute(
            f"""
            select bron, bestand, sha256, formaat, geladen_op, demo, rijen
            from {LOADS_TABLE} l
            where {in_use}
            order by bron, bestand, sha256
            """
        ).fetchall()
    finally:
        con.close()
    return [
        {
            "bron": b,
            "bestand": f,
            "sha256": s,
            "formaat": fmt,
            "geleverd_op": t.isoformat(sep=" "),
            "demo": d,
            "rijen": n,
        }
        for b, f, s, fmt, t, d, n in rows
    ]


#: what a published edition file holds: the marts, their metadata and public reference facts. The
#: staging and intermediate tables (unsuppressed counts) stay in the build and never leave it.
PUBLIC_TABLES = ("indicator_values", "veiligheidsmonitor_values", "revisions", "notes", "manifest", "build_params",
                 "vorige_editie")  # fmt: skip


def _public_copy(built: Path) -> Path:
    """A new file with only the public tables: dropping the others would leave their blocks in the
    file, readable to anyone with a hex editor."""
    target = built.with_name(built.name.replace(".bouw", ".publiek"))
    remove_database(target)
    con = connect(built)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()]
        public = [t for t in tables if t in PUBLIC_TABLES or t.startswith("ref_")]
        con.execute("attach ? as publiek", [str(target)])
        for table in public:
            con.execute(f"create table publiek.{table} as select * from main.{table}")
        con.execute("detach publiek")
    except BaseException:
        remove_database(target)
        raise
    finally:
        con.close()
    return target


def _notable(con: duckdb.DuckDBPyConnection, edition: str) -> int:
    return con.execute(
        f"select count(*) from indicator_values where level = 'gemeente' and period = ? and {NOTABLE_SQL}",
        [edition],
    ).fetchall()[0][0]


def _check_disclosure(con: duckdb.DuckDBPyConnection, edition: str) -> Verdict:
    """No hidden cell may be derivable from the public table: refused (exit 2) with the cells."""
    verdict = check_disclosure(con)
    if verdict.failing:
        shown = [describe(interval) for interval in verdict.failing[:10]]
        more = f"\n  … en nog {len(verdict.failing) - 10}" if len(verdict.failing) > 10 else ""
        raise GvbError(
            f"editie {edition} niet gepubliceerd: {len(verdict.failing)} afgeschermde cel(len) zijn uit de "
            f"gepubliceerde cijfers af te leiden (een interval smaller dan {SPAN} of onder {SPAN}); "
            "de vorige publicatie blijft staan:\n  - " + "\n  - ".join(shown) + more,
            exit_code=2,
        )
    return verdict


def publish(
    settings: Settings, edition: str, progress: Callable[[str], None] | None = None, lock: bool = True
) -> Publication:
    """Build, check and atomically publish ``edition``; refused (exit 2) when a mart check fails.

    ``lock=False`` is for a caller that already holds the lock (``gvb refresh`` holds it for all steps).
    """
    from pipeline.validate.marts import check_edition

    with exclusive(settings, f"publicatie editie {edition}") if lock else contextlib.nullcontext():
        publication.remove_leftovers(settings)
        remove_stale_builds(edition_totals.snapshot_path(settings, edition).parent)
        staged = publication.new(settings, edition)
        temporary = staged / f".gvb_{edition}.{os.getpid()}.bouw"
        totals = None
        try:
            version = store_version(settings)
            build_into(temporary, settings, edition, progress)
            if progress:
                progress("controles op de marts")
            findings = check_edition(temporary)
            blocking = [f for f in findings if f["ernst"] == "blokkerend"]
            if blocking:
                lines = [f"{f['omschrijving']} ({f['aantal_onverwacht']}×)" for f in blocking]
                raise GvbError(
                    f"editie {edition} niet gepubliceerd: {len(blocking)} controle(s) op de marts mislukt; "
                    "de vorige publicatie blijft staan:\n  - " + "\n  - ".join(lines),
                    exit_code=2,
                )
            con = connect(temporary)
            try:
                if progress:
                    progress("controle op afscherming")
                verdict = _check_disclosure(con, edition)
                manifest = {
                    "editie": edition,
                    "publicatie": staged.name.removesuffix(publication.STAGING_SUFFIX),
                    "gepubliceerd_op": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                    "gvb_versie": __version__,
                    "code_checksum": code_checksum(),
                    "regio": settings.region,
                    "opslag_versie": version,
                    "demo": bool(con.execute("select is_demo from build_params").fetchall()[0][0]),
                    "vorige_editie": con.execute("select edition from vorige_editie").fetchall()[0][0],
                    "invoer": _inputs(settings),
                    "data_checksums": {table: table_checksum(con, table) for table in CHECKSUM_TABLES},
                    "opvallende_ontwikkelingen": _notable(con, edition),
                    "revisies": con.execute("select count(*) from revisions").fetchall()[0][0],
                    "afscherming": {"afgeschermde_cellen_gecontroleerd": verdict.audited, "checksum": verdict.checksum},
                }
                con.execute(
                    "create or replace table manifest as select ? as manifest_json",
                    [json.dumps(manifest, ensure_ascii=False)],
                )
                con.execute("checkpoint")
            finally:
                con.close()
            public = _public_copy(temporary)
            remove_database(temporary)
            final_db = staged / f"gvb_{edition}.duckdb"
            os.replace(public, final_db)
            publication.fault_point(settings, "database")
            (staged / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            publication.fault_point(settings, "manifest")
            # the validation of exactly this data goes with it
            promote(settings, edition, staged)
            publication.fault_point(settings, "validatie")
            totals = edition_totals.stage_snapshot(settings, edition)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            if totals:
                totals.unlink(missing_ok=True)
            raise
        publication.switch(settings, edition, staged)
        final = publication.link(settings, edition) / f"gvb_{edition}.duckdb"
        edition_totals.commit(totals, settings, edition)
        publication.fault_point(settings, "klaar")
    return Publication(edition, final, manifest, findings)
