"""Read-only views on the store: `gvb status` and `gvb sql`."""

from __future__ import annotations

import re

import duckdb

from pipeline.kernel.config import Settings
from pipeline.kernel.edition import edition_dir, published
from pipeline.kernel.errors import GvbError
from pipeline.kernel.sources import SOURCES
from pipeline.kernel.store import LOADS_TABLE, NOTES_SOURCE, NOTES_TABLE, open_store

ALLOWED_STATEMENTS = {"SELECT", "EXPLAIN"}


def status(settings: Settings) -> dict:
    """Per source: files, periods covered, rows, last load, demo flag."""
    from pipeline.validate import rejections

    result: dict = {
        "opslag": str(settings.store_path),
        "regio": settings.region,
        "bronnen": [],
        "afgewezen": rejections.load(settings),
        "edities": published_editions(settings),
        "duiding": None,
    }
    if not settings.store_path.exists():
        result["bronnen"] = [
            {"bron": s.name, "label": s.label, "bestanden": 0, "rijen": 0, "perioden": 0,
             "periode_van": None, "periode_tot": None, "laatst_geladen": None, "demo": False}
            for s in SOURCES.values()
        ]  # fmt: skip
        return result
    with open_store(settings, read_only=True) as con:
        for source in SOURCES.values():
            files, rows, n_periods, low, high = con.execute(
                f"""
                select count(distinct load_id), count(*), count(distinct periode), min(periode), max(periode)
                from {source.table}
                """
            ).fetchall()[0]
            last, demo = con.execute(
                f"""
                select max(geladen_op), coalesce(bool_or(demo), false) from {LOADS_TABLE}
                where bron = ? and load_id in (select distinct load_id from {source.table})
                """,
                [source.name],
            ).fetchall()[0]
            result["bronnen"].append(
                {
                    "bron": source.name,
                    "label": source.label,
                    "bestanden": files,
                    "rijen": rows,
                    "perioden": n_periods,
                    "periode_van": low,
                    "periode_tot": high,
                    "laatst_geladen": last.isoformat(sep=" ") if last else None,
                    "demo": bool(demo),
                }
            )
        result["duiding"] = _notes_status(con)
    return result


def _notes_status(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The analysts' notes in the store: how many, how many retired, from which file, loaded when."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [NOTES_TABLE]
    ).fetchall()[0][0]
    if not present:
        return None
    notes, retired = con.execute(f"select count(*), count(ingetrokken) from {NOTES_TABLE}").fetchall()[0]
    latest = con.execute(
        f"select bestand, geladen_op from {LOADS_TABLE} where bron = ? order by load_id desc limit 1", [NOTES_SOURCE]
    ).fetchall()
    if not latest:
        return None
    return {"notities": int(notes), "ingetrokken": int(retired), "bestand": latest[0][0],
            "laatst_geladen": latest[0][1].isoformat(sep=" ")}  # fmt: skip


def published_editions(settings: Settings) -> list[dict]:
    """The published editions, newest first (``2025`` before ``2025H1``: the year ends later)."""
    import json

    editions = []
    for code in published(settings.home):
        try:
            data = json.loads((edition_dir(settings, code) / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        editions.append(
            {"editie": data.get("editie"), "gepubliceerd_op": data.get("gepubliceerd_op"), "demo": data.get("demo"),
             "opvallende_ontwikkelingen": data.get("opvallende_ontwikkelingen")}
        )  # fmt: skip
    return editions


def run_sql(settings: Settings, query: str) -> tuple[list[str], list[tuple], bool]:
    """Run one read-only query: the statement is checked by DuckDB's own parser, the store is opened
    read-only, and the query is stopped after ``settings.sql_seconds`` and cut at ``settings.sql_rows``
    rows. Returns columns, rows and whether rows were cut."""
    import threading

    with open_store(settings, read_only=True) as con:
        try:
            statements = con.extract_statements(query)
        except duckdb.Error as exc:
            raise GvbError(f"SQL-fout: {str(exc).splitlines()[0]}") from None
        words = re.sub(r"(--[^\n]*|/\*.*?\*/)", " ", query, flags=re.DOTALL).split()
        first = words[0].upper() if words else ""
        if len(statements) != 1:
            raise GvbError("geef precies één SQL-opdracht (SELECT ...)")
        kind = statements[0].type.name
        if kind == "MULTI" and first in ("PIVOT", "UNPIVOT"):
            kind = "SELECT"  # DuckDB plans a PIVOT as several steps; it only reads
        if kind not in ALLOWED_STATEMENTS:
            shown = first if first.isalpha() else kind
            raise GvbError(f"alleen lezen is toegestaan: een {shown}-opdracht wordt geweigerd")
        timer = threading.Timer(settings.sql_seconds, con.interrupt)
        timer.start()
        try:
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchmany(settings.sql_rows + 1)
        except duckdb.InterruptException:
            raise GvbError(
                f"de query duurde langer dan {settings.sql_seconds:g} s en is gestopt (GVB_SQL_SECONDS)"
            ) from None
        except duckdb.Error as exc:
            if not timer.is_alive():
                raise GvbError(
                    f"de query duurde langer dan {settings.sql_seconds:g} s en is gestopt (GVB_SQL_SECONDS)"
                ) from None
            raise GvbError(f"SQL-fout: {str(exc).splitlines()[0]}") from None
        finally:
            timer.cancel()
        return columns, rows[: settings.sql_rows], len(rows) > settings.sql_rows
