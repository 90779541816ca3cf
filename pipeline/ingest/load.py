"""Load deliveries into the store: one transaction per file, idempotent, newest delivery wins."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline.fetch.manifest import MANIFEST as FETCH_MANIFEST
from pipeline.fetch.manifest import content_digest, is_fetched, read_manifest
from pipeline.ingest.canonical import read_canonical
from pipeline.ingest.duiding import is_notes_file, read_notes
from pipeline.ingest.fetched import read_fetched
from pipeline.ingest.normalise import Normalised, normalise
from pipeline.ingest.readers import read_delivery
from pipeline.ingest.textfile import sha256_of
from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError, InputError, Problem, disk_full
from pipeline.kernel.periods import sort_key, today
from pipeline.kernel.sources import LINEAGE, SOURCES, Source
from pipeline.kernel.store import LOADS_TABLE, NOTES_SOURCE, NOTES_TABLE, open_store, table_columns
from pipeline.reference import reference

#: lineage the store adds to a delivery's own columns when it loads them (the row number is the file's)
LINEAGE_ADDED = tuple(name for name, _, _ in LINEAGE if name != "bron_rij")
DELIVERY_SUFFIXES = {".csv", ".json", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet", ".tsv", ".txt"}
#: files in a delivery folder that are plainly not deliveries: listed as skipped, never silently
NOT_DELIVERIES = {".md", ".pdf", ".docx", ".doc", ".png", ".jpg", ".jpeg", ".msg", ".eml", ".zip", ".html"}


@dataclass
class FileResult:
    path: Path
    status: str  # geladen | ongewijzigd | geweigerd | overgeslagen (not a delivery: a README, a PDF)
    source: str | None = None
    rows: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    error: GvbError | None = None
    demo: bool = False


def collect_files(paths: Iterable[Path], own: Path | None = None) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest from the given files and folders, plus refusals for unsafe entries.

    ``own`` is gvb's own output folder ($GVB_HOME): never read as deliveries when it lies inside a
    folder being ingested."""
    own = own.resolve() if own is not None and own.exists() else None
    files: list[Path] = []
    refused: list[FileResult] = []
    for path in paths:
        if path.is_symlink():
            refused.append(
                FileResult(
                    path,
                    "geweigerd",
                    error=InputError(
                        "symbolische koppeling wordt niet gevolgd; geef het bestand zelf op", file=str(path)
                    ),
                )
            )
            continue
        if not path.exists():
            refused.append(
                FileResult(path, "geweigerd", error=InputError("bestand of map bestaat niet", file=str(path)))
            )
            continue
        if path.is_dir() and is_fetched(path):
            files.append(path)  # a table gvb fetch wrote: its pages are one delivery
            continue
        if path.is_dir():
            root = path.resolve()
            fetched = {
                m.parent for m in path.rglob(FETCH_MANIFEST)
                if is_fetched(m.parent) and not any(p.startswith(".") for p in m.relative_to(path).parts)
            }  # fmt: skip
            files.extend(sorted(fetched))
            for entry in sorted(path.rglob("*")):
                if any(part.startswith((".", "~$")) for part in entry.relative_to(path).parts):
                    continue
                if any(entry.is_relative_to(folder) for folder in fetched):
                    continue
                if own is not None and entry.resolve().is_relative_to(own):
                    continue
                if entry.is_symlink():
                    refused.append(
                        FileResult(
                            entry,
                            "geweigerd",
                            error=InputError(
                                "symbolische koppeling in een map wordt niet gevolgd; kopieer het bestand zelf",
                                file=str(entry),
                            ),
                        )
                    )
                    continue
                if not entry.is_file():
                    continue
                if entry.suffix.lower() not in DELIVERY_SUFFIXES and not is_notes_file(entry):
                    # every file gets a line: a delivery in an unexpected format is refused, a
                    # README or PDF beside the deliveries is named as skipped
                    if entry.suffix.lower() in NOT_DELIVERIES or entry.name.upper().startswith(("LEESMIJ", "README")):
                        kind = entry.suffix.lower() or "zonder extensie"
                        refused.append(
                            FileResult(entry, "overgeslagen", notes=[f"geen aanleverformaat ({kind}); niet ingelezen"])
                        )
                    else:
                        refused.append(
                            FileResult(
                                entry,
                                "geweigerd",
                                error=InputError(
                                    f"onbekend bestandstype '{entry.suffix or '(geen extensie)'}'; lever .csv, .xlsx, "
                                    ".ods, .xls, .json of .parquet aan",
                                    file=str(entry),
                                ),
                            )
                        )
                    continue
                if not entry.resolve().is_relative_to(root):
                    refused.append(
                        FileResult(
                            entry,
                            "geweigerd",
                            error=InputError("bestand ligt buiten de opgegeven map", file=str(entry)),
                        )
                    )
                    continue
                files.append(entry)
        elif path.is_file() and is_fetched(path.parent):
            refused.append(FileResult(path, "geweigerd", error=InputError(
                f"een pagina van een opgehaalde tabel is geen levering op zich; lees de map {path.parent} in",
                file=str(path),
            )))  # fmt: skip
        elif path.is_file():
            files.append(path)
        else:
            refused.append(FileResult(path, "geweigerd", error=InputError("geen gewoon bestand", file=str(path))))
    return files, refused


def _source_hint(path: Path) -> str | None:
    folder = path.parent.name.lower()
    return folder if folder in SOURCES else None


def prepare(
    path: Path, settings: Settings, hint: str | None = None, indeling: int | None = None
) -> tuple[Normalised, bool, str]:
    """Read and check one file without touching the store: (rows, demo flag, format)."""
    name = path.name
    if path.is_dir():  # a table gvb fetch wrote
        parsed = read_fetched(path, hint or _source_hint(path), settings.limits.rows)
        parsed.indeling = indeling or parsed.indeling  # --indeling counts over what the table says
        return normalise(parsed, name, reference(), settings.region, today()), False, parsed.format
    size = path.stat().st_size
    if size == 0:
        raise InputError("het bestand is leeg", file=name)
    if size > settings.max_file_bytes:
        limit = settings.max_file_bytes // (1024 * 1024)
        raise InputError(
            f"het bestand is {size / 1024 / 1024:.0f} MB, groter dan de grens van {limit} MB; "
            "splits de levering of verhoog GVB_MAX_FILE_MB",
            file=name,
        )
    ref = reference()
    fast = read_canonical(path, settings, ref, today(), hint or _source_hint(path), indeling)
    if fast is not None:
        return fast
    parsed = read_delivery(path, hint or _source_hint(path), indeling, settings.limits)
    normalised = normalise(parsed, name, ref, settings.region, today())
    return normalised, parsed.demo, parsed.format


def _load_one(
    con: duckdb.DuckDBPyConnection, path: Path, settings: Settings, hint: str | None, indeling: int | None = None
) -> FileResult:
    if is_notes_file(path):
        return _load_notes(con, path)
    if path.is_dir():
        manifest = read_manifest(path)
        if manifest.get("bron") not in SOURCES:
            return FileResult(path, "overgeslagen", notes=[
                f"opgehaalde {manifest.get('tabel')} is geen levering; zet haar in de referentiegegevens met "
                f"'gvb referentie bevolking {path}'"
            ])  # fmt: skip
        digest = content_digest(manifest)
    else:
        digest = sha256_of(path)
    previous = con.execute(
        f"select load_id, bestand, geladen_op, bron, rijen from {LOADS_TABLE} where sha256 = ? order by load_id desc limit 1",
        [digest],
    ).fetchall()
    if previous:
        load_id, earlier_name, loaded_at, bron, rows = previous[0]
        active = con.execute(f"select count(*) from {SOURCES[bron].table} where load_id = ?", [load_id]).fetchall()[0][
            0
        ]
        if active > 0 or rows == 0:
            return FileResult(
                path, "ongewijzigd", source=bron, rows=active,
                notes=[f"al geladen als levering {load_id} ({earlier_name}, {loaded_at:%Y-%m-%d %H:%M}); niets gewijzigd"],
            )  # fmt: skip
    normalised, demo, fmt = prepare(path, settings, hint, indeling)
    source = normalised.source
    frame = normalised.frame
    if len(frame) and not normalised.checked:
        from pipeline.validate.run import blocking_check

        blocking_check(source, frame, path.name, digest, settings)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    periods = normalised.periods
    con.execute("begin transaction")
    try:
        load_id = con.execute(f"select coalesce(max(load_id), 0) + 1 from {LOADS_TABLE}").fetchall()[0][0]
        columns = [name for name, _ in table_columns(source)]
        own = [name for name in columns if name not in LINEAGE_ADDED]
        con.register("incoming_rows", frame)
        lineage = {"load_id": [load_id], "bron_bestand": [path.name], "bron_sha256": [digest], "geladen_op": [now]}
        con.register("incoming_lineage", pa.table(lineage))
        con.execute(
            f"""create or replace temp view incoming as
            select {", ".join(f"r.{name}" for name in own)}, l.*
            from incoming_rows r cross join incoming_lineage l"""
        )
        _mark_replaced(con, source)
        replaced = con.execute(
            f"""
            select l.load_id, l.bestand, count(*) as rijen, min(t.periode), max(t.periode)
            from {source.table} t
            join _vervangen v on v.rid = t.rowid
            join {LOADS_TABLE} l on l.load_id = t.load_id
            group by all order by l.load_id
            """
        ).fetchall()
        if replaced:
            con.execute(f"delete from {source.table} where rowid in (select rid from _vervangen)")
        con.execute(f"insert into {source.table} ({', '.join(columns)}) select {', '.join(columns)} from incoming")
        replaced_text = [
            f"vervangt {rows} rijen van levering {old_id} ({old_name}, perioden {low} t/m {high})"
            for old_id, old_name, rows, low, high in replaced
        ]
        notes = normalised.notes + replaced_text
        con.execute(
            f"insert into {LOADS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id, source.name, path.name, str(path.resolve()), digest, fmt, len(frame), normalised.skipped,
                periods[0] if periods else None, periods[-1] if periods else None, demo, now, "; ".join(notes) or None,
            ],
        )  # fmt: skip
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a full disk may have ended the transaction already
            con.execute("rollback")
        raise
    finally:
        con.execute("drop view if exists incoming")
        con.unregister("incoming_rows")
        con.unregister("incoming_lineage")
        con.execute("drop table if exists _opvolgers")
        con.execute("drop table if exists _vervangen")
    return FileResult(
        path, "geladen", source=source.name, rows=len(frame), skipped=normalised.skipped,
        notes=notes, replaced=replaced_text, demo=demo,
    )  # fmt: skip


def _load_notes(con: duckdb.DuckDBPyConnection, path: Path) -> FileResult:
    """The notes file (``pipeline.ingest.duiding``): checked whole, then it replaces the notes
    loaded before, in one transaction. The same file again changes nothing."""
    digest = sha256_of(path)
    latest = con.execute(
        f"select load_id, sha256, bestand from {LOADS_TABLE} where bron = ? order by load_id desc limit 1",
        [NOTES_SOURCE],
    ).fetchall()
    if latest and latest[0][1] == digest:
        rows = con.execute(f"select count(*) from {NOTES_TABLE}").fetchall()[0][0]
        return FileResult(
            path, "ongewijzigd", source=NOTES_SOURCE, rows=rows,
            notes=[f"al geladen als levering {latest[0][0]} ({latest[0][2]}); niets gewijzigd"],
        )  # fmt: skip
    notes = read_notes(path, reference(), today())
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    con.execute("begin transaction")
    try:
        load_id = con.execute(f"select coalesce(max(load_id), 0) + 1 from {LOADS_TABLE}").fetchall()[0][0]
        before = con.execute(f"select count(*) from {NOTES_TABLE}").fetchall()[0][0]
        con.execute(f"delete from {NOTES_TABLE}")
        con.executemany(
            f"insert into {NOTES_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (n.id, n.indicator, n.gebied, n.eerste_periode, n.laatste_periode, n.tekst, n.auteur, n.datum,
                 n.editie, n.ingetrokken, load_id, path.name, digest, number, now)
                for number, n in enumerate(notes, start=1)
            ],
        )  # fmt: skip
        replaced = [f"vervangt {before} eerder geladen notities"] if latest else []
        periods = sorted({n.eerste_periode for n in notes} | {n.laatste_periode for n in notes}, key=sort_key)
        con.execute(
            f"insert into {LOADS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id, NOTES_SOURCE, path.name, str(path.resolve()), digest, "yaml", len(notes), 0,
                periods[0] if periods else None, periods[-1] if periods else None, False, now,
                "; ".join(replaced) or None,
            ],
        )  # fmt: skip
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    return FileResult(path, "geladen", source=NOTES_SOURCE, rows=len(notes), notes=replaced, replaced=replaced)


def _mark_replaced(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Put the row ids of the stored rows this delivery replaces into the temp table ``_vervangen``.

    Rows with the same replace key (period, gemeente, ...). A police table may come in another
    indeling than the rows it corrects (a "gemeente 2026" table re-delivering 2022, which was
    loaded with Brielle, Hellevoetsluis and Westvoorne): across indelingen, gemeenten match when
    they share an area today. A gemeente table and a table of its wijken or buurten replace only
    their own level: both may stand beside each other (totals for gemeenten, buurten for districts).
    """
    key = list(source.replace_key)
    if "indeling" not in {c.name for c in source.columns}:
        join = " and ".join(f"t.{k} = n.{k}" for k in key)
        con.execute(
            f"""create or replace temp table _vervangen as
            select t.rowid as rid from {source.table} t
            join (select distinct {", ".join(key)} from incoming) n on {join}"""
        )
        return
    ref = reference()
    pairs = [(code, current) for code in ref.gemeenten for current in ref.current_shares(code)]
    con.register("_opvolgers_frame", pd.DataFrame(pairs, columns=["gemeente_code", "huidige_code"]))
    con.execute("create or replace temp table _opvolgers as select * from _opvolgers_frame")
    con.unregister("_opvolgers_frame")
    others = [k for k in key if k != "gemeente_code"]
    own_year = "coalesce({a}.indeling, cast(substr({a}.periode, 1, 4) as integer))"
    same = " and ".join(f"t.{k} = n.{k}" for k in others)
    con.execute(
        f"""create or replace temp table _vervangen as
        with n as (
            select distinct {", ".join(f"i.{k}" for k in key)}, {own_year.format(a="i")} as _indeling,
                   o.huidige_code as _huidig, left(i.gebied_code, 2) = 'GM' as _totaal
            from incoming i join _opvolgers o on o.gemeente_code = i.gemeente_code
        )
        select distinct t.rowid as rid
        from {source.table} t
        join _opvolgers o on o.gemeente_code = t.gemeente_code
        join n on {same} and o.huidige_code = n._huidig and (left(t.gebied_code, 2) = 'GM') = n._totaal
        where t.gemeente_code = n.gemeente_code or {own_year.format(a="t")} <> n._indeling
        union
        -- a table's own eenheid or national total (no gemeente) is replaced by a newer one
        select t.rowid from {source.table} t
        join (select distinct {", ".join(others)}, gebied_code from incoming where gemeente_code is null) n
          on {same} and t.gebied_code = n.gebied_code
        where t.gemeente_code is null"""
    )


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    hint: str | None = None,
    progress: Callable[[Path], None] | None = None,
    indeling: int | None = None,
) -> list[FileResult]:
    """Ingest files and folders; every file in its own transaction. Never raises for bad input."""
    reference().validate_region(settings.region)
    files, results = collect_files(paths, settings.home)
    if not files:
        _remember(settings, results, hint)
        return results
    with open_store(settings) as con:
        for path in files:
            if progress:
                progress(path)
            try:
                results.append(_load_one(con, path, settings, hint, indeling))
            except GvbError as exc:
                results.append(FileResult(path, "geweigerd", error=exc))
            except (MemoryError, duckdb.OutOfMemoryException):
                error = InputError("te weinig geheugen om dit bestand te laden; splits de levering", file=path.name)
                results.append(FileResult(path, "geweigerd", error=error))
            except (UnicodeError, ValueError, pd.errors.ParserError) as exc:
                error = InputError(
                    "het bestand is niet te lezen", file=path.name, problems=[Problem("formaat", str(exc)[:200])]
                )
                results.append(FileResult(path, "geweigerd", error=error))
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise disk_full(settings.home) from None
                reason = "geen leesrechten" if isinstance(exc, PermissionError) else f"niet te lezen ({exc.strerror})"
                results.append(FileResult(path, "geweigerd", error=InputError(reason, file=path.name)))
            except duckdb.IOException as exc:
                if "space left" in str(exc).lower():
                    raise disk_full(settings.home) from None
                raise
            except Exception as exc:  # a reader's own failure: this file is refused, the others go on
                error = InputError(
                    f"het bestand is niet te lezen ({type(exc).__name__}); als het in orde lijkt, meld het met "
                    "GVB_DEBUG=1",
                    file=path.name,
                )
                results.append(FileResult(path, "geweigerd", error=error))
    _remember(settings, results, hint)
    return results


def _remember(settings: Settings, results: list[FileResult], hint: str | None) -> None:
    """Keep the list of refused files (outside the store) for `gvb status` and `gvb validate`."""
    from pipeline.validate import rejections

    refused = [(r.path, hint or _source_hint(r.path), r.error) for r in results if r.status == "geweigerd" and r.error]
    accepted = [r.path for r in results if r.status != "geweigerd"]
    if refused or accepted:
        rejections.record(settings, refused, accepted)
