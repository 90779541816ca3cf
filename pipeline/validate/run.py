"""`gvb validate`: run every suite on the store, summarise in Dutch, write JSON and Data Docs.

The JSON written to ``$GVB_HOME/edities/<editie>/validatie.json`` is the stable contract the
dashboard's Datakwaliteit page reads (documented in ``expectations/README.md``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.kernel.code import code_checksum
from pipeline.kernel.config import Settings
from pipeline.kernel.edition import default_edition, edition_dir, edition_period
from pipeline.kernel.errors import InputError, Problem, os_error
from pipeline.kernel.files import write_atomically
from pipeline.kernel.periods import today
from pipeline.kernel.sources import SOURCES, Source
from pipeline.kernel.store import LOADS_TABLE, connect, open_store
from pipeline.reference import Reference, reference
from pipeline.validate import edition_totals, rejections
from pipeline.validate.frames import (
    HELPER_MEMORY,
    PlannedBatch,
    batch_plan,
    blocking_outcome,
    checked_rows,
    store_batches,
)
from pipeline.validate.prefetch import prefetched
from pipeline.validate.suites import REFERENCE_COLUMNS, load_suite

SCHEMA_VERSION = 1
EXIT_CLEAN, EXIT_WARNINGS, EXIT_BLOCKING = 0, 1, 2


@dataclass
class SourceVerdict:
    bron: str
    label: str
    rijen: int
    controles: int = 0
    geslaagd: int = 0
    bevindingen: list[dict[str, Any]] = field(default_factory=list)
    #: every check, once (a check that failed on one batch of years failed), for the Dutch report
    controlelijst: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: batches whose data did not change since an earlier validation: its results carried forward
    overgenomen: list[str] = field(default_factory=list)

    def record(self, checks: list[dict[str, Any]]) -> None:
        for check in checks:
            key = f"{check['kolom']}|{check['omschrijving']}"
            known = self.controlelijst.setdefault(key, dict(check))
            known["geslaagd"] = known["geslaagd"] and check["geslaagd"]

    @property
    def blokkerend(self) -> int:
        return sum(1 for f in self.bevindingen if f["ernst"] == "blokkerend")

    @property
    def waarschuwingen(self) -> int:
        return sum(1 for f in self.bevindingen if f["ernst"] == "waarschuwing")

    def as_json(self) -> dict[str, Any]:
        return {
            "bron": self.bron,
            "label": self.label,
            "rijen": self.rijen,
            "controles": self.controles,
            "geslaagd": self.geslaagd,
            "waarschuwingen": self.waarschuwingen,
            "blokkerend": self.blokkerend,
            "bevindingen": self.bevindingen,
            "controlelijst": list(self.controlelijst.values()),
            "overgenomen": self.overgenomen,
        }


@dataclass
class Report:
    editie: str
    verdicts: list[SourceVerdict]
    strict: bool
    json_path: Path
    docs_path: Path | None

    @property
    def blocking(self) -> int:
        """Blocking findings over all sources (the one place they are added up)."""
        return sum(v.blokkerend for v in self.verdicts)

    @property
    def warnings(self) -> int:
        return sum(v.waarschuwingen for v in self.verdicts)

    @property
    def exit_code(self) -> int:
        if self.blocking or (self.strict and self.warnings):
            return EXIT_BLOCKING
        return EXIT_WARNINGS if self.warnings else EXIT_CLEAN


def staging_dir(settings: Settings, edition: str) -> Path:
    """Where `gvb validate` writes: beside the store. A validation reaches the edition only when it
    describes exactly the data the edition was built from (see :func:`promote`)."""
    return settings.home / "validatie" / edition


def store_version(settings: Settings) -> int:
    """The store's state as the newest delivery number: every ingest (also a replacing one) raises it."""
    if not settings.store_path.exists():
        return 0
    with open_store(settings, read_only=True) as con:
        return int(con.execute(f"select coalesce(max(load_id), 0) from {LOADS_TABLE}").fetchall()[0][0])


def promote(settings: Settings, edition: str, target: Path | None = None) -> bool:
    """Put the staged validation into the published edition (or into ``target``, a publication
    being made) when both describe the same store state; otherwise remove a validation from the
    edition that describes other data. True when promoted."""
    staged = staging_dir(settings, edition)
    target = target or edition_dir(settings, edition)
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    version = manifest.get("opslag_versie")

    def version_of(folder: Path) -> object:
        try:
            return json.loads((folder / "validatie.json").read_text(encoding="utf-8")).get("opslag_versie")
        except (OSError, ValueError):
            return None

    if version is not None and version_of(staged) == version:
        if (staged / "data_docs").is_dir():
            fresh = target / ".data_docs.nieuw"
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.copytree(staged / "data_docs", fresh)
            old = target / ".data_docs.oud"
            shutil.rmtree(old, ignore_errors=True)
            if (target / "data_docs").exists():
                os.replace(target / "data_docs", old)
            os.replace(fresh, target / "data_docs")
            shutil.rmtree(old, ignore_errors=True)
        copy = target / "validatie.json.tmp"
        shutil.copyfile(staged / "validatie.json", copy)
        os.replace(copy, target / "validatie.json")
        return True
    if version_of(target) != version:  # describes data this edition does not contain
        (target / "validatie.json").unlink(missing_ok=True)
        shutil.rmtree(target / "data_docs", ignore_errors=True)
    return False


def reference_frame(ref: Reference, region: str) -> pd.DataFrame:
    district_of: dict[tuple[str, int], str] = {}
    for row in ref.district_indeling:
        start = int(row["van_jaar"])
        end = int(row["tot_jaar"]) if row["tot_jaar"] else 2100
        for year in range(start, min(end, 2030) + 1):
            district_of[(row["gebied_code"], year)] = row["district_code"]
    rows = []
    for (code, year), (total, youth) in sorted(ref.population.items()):
        members = ref.region_members(region, year) if region == "RE07" else set()
        in_region = code in members
        district = "RE07-RS" if code == "GM0599" else district_of.get((code, year))  # Rotterdam: per wijk
        rows.append([code, year, total, youth, in_region, district, district is not None or not in_region])
    frame = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    frame["district_code"] = frame["district_code"].astype("object")
    return frame


def _rejection_findings(entries: list[dict[str, Any]], source: str | None) -> list[dict[str, Any]]:
    findings = []
    for entry in entries:
        if entry.get("bron") != source:
            continue
        examples = [
            {
                "bestand": entry["bestand"],
                "rij": p.get("rij"),
                "kolom": p.get("kolom"),
                "waarde": p.get("waarde"),
                "melding": p.get("melding"),
            }
            for p in entry.get("problemen", [])[:5]
        ] or [{"bestand": entry["bestand"], "rij": None, "kolom": None, "waarde": None, "melding": entry["melding"]}]
        findings.append(
            {
                "bron": source or "onbekend",
                "expectation": "levering_afgewezen",
                "kolom": None,
                "ernst": "blokkerend",
                "regel": "levering afgewezen",
                "omschrijving": f"{entry['bestand']} is afgewezen bij het inlezen: {entry['melding']}",
                "aantal_onverwacht": len(entry.get("problemen", [])) or 1,
                "voorbeelden": examples,
                "waargenomen": None,
                "batch": None,
            }
        )
    return findings


#: one entry of the stream of batches: source, its rows, whether the batch is the source's last
#: (newest periods), the batch's years, the frame (None when carried forward), its fingerprint, and
#: the results carried forward from an earlier validation of exactly this batch (or None)
Batch = tuple[str, int, bool, str | None, pd.DataFrame | None, str | None, dict[str, Any] | None]


class CarriedResults:
    """Results of earlier validations, by the fingerprint of what a batch's result depends on: the
    code, suites and reference data (``code_checksum``), today, the edition, the previous edition's
    figures, and the deliveries of the batch's years and the year before. A batch whose
    fingerprint was validated before is not validated again; its results say so (``overgenomen``)."""

    def __init__(self, folder: Path, basis: str) -> None:
        self.folder = folder
        self.basis = basis
        self.used: set[str] = set()

    def fingerprint(self, source: str, batch: PlannedBatch) -> str:
        text = json.dumps([self.basis, source, batch.label, batch.bounds, batch.last, batch.depends_on])
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, fingerprint: str) -> dict[str, Any] | None:
        try:
            found = json.loads((self.folder / f"{fingerprint}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.used.add(fingerprint)
        return found

    def put(self, fingerprint: str, outcome: dict[str, Any]) -> None:
        self.used.add(fingerprint)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / f"{fingerprint}.json", json.dumps(outcome, ensure_ascii=False, default=str))
        except OSError:
            pass  # a result that cannot be kept only costs time the next run

    def prune(self) -> None:
        """Keep only the results of the store as it is now."""
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


def _carried_results(
    settings: Settings, edition: str, parameters: dict[str, Any], previous: Path | None
) -> CarriedResults:
    previous_hash = hashlib.sha256(previous.read_bytes()).hexdigest() if previous and previous.is_file() else ""
    basis = json.dumps(
        [code_checksum(), today().isoformat(), settings.region, edition, parameters, previous_hash, SCHEMA_VERSION]
    )
    return CarriedResults(settings.home / "validatie" / "overgenomen", basis)


def _store_batches(
    settings: Settings, ref: Reference, previous: Path | None, carried: CarriedResults
) -> Iterator[Batch]:
    """Every source's validation frames, source after source; a source without rows gives one empty
    entry, a batch validated before with the same fingerprint its carried results."""
    if not settings.store_path.exists():
        for source in SOURCES.values():
            yield source.name, 0, False, None, None, None, None
        return
    with open_store(settings, read_only=True) as con:
        for source in SOURCES.values():
            count = con.execute(f"select count(*) from {source.view}").fetchall()[0][0]
            if not count:
                yield source.name, 0, False, None, None, None, None
                continue
            plan = [(batch, carried.fingerprint(source.name, batch)) for batch in batch_plan(con, source)]
            known = {fingerprint: carried.get(fingerprint) for _, fingerprint in plan}
            wanted = [batch for batch, fingerprint in plan if known[fingerprint] is None]
            frames = store_batches(con, source, ref, today(), previous, wanted=wanted)
            try:
                for batch, fingerprint in plan:
                    if known[fingerprint] is not None:
                        yield source.name, count, batch.last, batch.label, None, fingerprint, known[fingerprint]
                        continue
                    years, frame, last = next(frames)
                    yield source.name, count, last, years, frame, fingerprint, None
            finally:
                frames.close()


def _coverage_frames(settings: Settings, ref: Reference, indeling_year: int) -> dict[str, pd.DataFrame]:
    """Per source that must deliver every gemeente: which gemeente-periods it did not deliver."""
    from pipeline.validate.coverage import coverage_by_source

    if not settings.store_path.exists():
        return {}
    with open_store(settings, read_only=True) as con:
        return coverage_by_source(con, ref, settings.region, indeling_year)


def validate(
    settings: Settings, edition: str | None = None, strict: bool = False, allow_missing: bool = False
) -> Report:
    """Run every suite. ``allow_missing``: a gemeente-period a source did not deliver is a warning
    instead of blocking (it is then published as "geen cijfer")."""
    from pipeline.validate.gx_runtime import new_context, run_suite

    ref = reference()
    ref.validate_region(settings.region)
    edition = edition or default_edition(settings)
    period = edition_period(edition)
    target = staging_dir(settings, edition)
    docs = target / "data_docs"
    target.mkdir(parents=True, exist_ok=True)
    version = store_version(settings)
    context = new_context(docs)
    parameters = {"editie_eind_index": period.end.year * 12 + period.end.month}
    refused = rejections.load(settings)
    previous = edition_totals.previous_snapshot(settings, edition)
    verdicts = []
    coverage_frames = _coverage_frames(settings, ref, max(period.end.year, today().year))
    # DuckDB prepares the next batch in a thread while GX checks this one
    carried = _carried_results(settings, edition, parameters, previous[1] if previous else None)
    stream = prefetched(_store_batches(settings, ref, previous[1] if previous else None, carried))
    with contextlib.closing(stream):
        for name, items in itertools.groupby(stream, key=lambda item: item[0]):
            source = SOURCES[name]
            verdict = SourceVerdict(source.name, source.label, 0)
            for _, count, last, years, batch, fingerprint, earlier in items:
                verdict.rijen = count
                if earlier is not None:  # the same data as validated before: its results stand
                    verdict.controles += earlier["controles"]
                    verdict.geslaagd += earlier["geslaagd"]
                    verdict.record(earlier["checks"])
                    verdict.bevindingen.extend(earlier["bevindingen"])
                    verdict.overgenomen.append(str(years))
                    continue
                if batch is None:
                    verdict.controles = 1
                    verdict.bevindingen.append(
                        {"bron": source.name, "expectation": "bron_aanwezig", "kolom": None, "ernst": "waarschuwing",
                         "regel": "bron ontbreekt", "omschrijving": "er zijn geen gegevens van deze bron ingelezen",
                         "aantal_onverwacht": None, "voorbeelden": [], "waargenomen": 0, "batch": None}
                    )  # fmt: skip
                    continue
                # "does the source reach the edition?" is asked of the batch with the newest periods only
                batch_parameters = parameters if last else {"editie_eind_index": 0}
                outcome = run_suite(context, load_suite(source.name), batch, batch_parameters, batch=years)
                verdict.controles += outcome.evaluated
                verdict.geslaagd += outcome.passed
                verdict.record(outcome.checks)
                findings = []
                for finding in outcome.findings:
                    if finding.kolom == "_editie_sprong" and previous:
                        finding.omschrijving += f" (vorige editie: {previous[0]})"
                    findings.append(finding.as_json())
                verdict.bevindingen.extend(findings)
                if fingerprint is not None:
                    carried.put(
                        fingerprint,
                        {"controles": outcome.evaluated, "geslaagd": outcome.passed, "checks": outcome.checks,
                         "bevindingen": findings},
                    )  # fmt: skip
            if source.name in coverage_frames:
                outcome = run_suite(context, load_suite("dekking"), coverage_frames[source.name], batch=source.name)
                verdict.controles += outcome.evaluated
                verdict.geslaagd += outcome.passed
                verdict.record(outcome.checks)
                for finding in outcome.findings:
                    finding.bron = source.name
                    if allow_missing and finding.regel == "niet aangeleverd":
                        finding.ernst = "waarschuwing"
                        finding.omschrijving += "; toch gepubliceerd als 'geen cijfer' (--ook-onvolledig)"
                    verdict.bevindingen.append(finding.as_json())
            rejected = _rejection_findings(refused, source.name)
            verdict.controles += len(rejected)
            verdict.bevindingen.extend(rejected)
            verdicts.append(verdict)
    carried.prune()
    unknown = _rejection_findings(refused, None)
    if unknown:
        verdicts.append(SourceVerdict("onbekend", "Bestanden van onbekende bron", 0, len(unknown), 0, unknown))
    ref_outcome = run_suite(context, load_suite("referentie"), reference_frame(ref, settings.region))
    ref_verdict = SourceVerdict(
        "referentie", "Referentiegegevens", len(ref.population), ref_outcome.evaluated, ref_outcome.passed
    )
    ref_verdict.bevindingen.extend(f.as_json() for f in ref_outcome.findings)
    ref_verdict.record(ref_outcome.checks)
    verdicts.append(ref_verdict)
    with gx_errors() as logged:
        try:
            context.build_data_docs(site_names=["gvb"])
        except OSError as exc:
            raise os_error(exc) or exc from None
        except Exception:  # Data Docs are a convenience; the verdict stands without them
            pass
    for record in logged:  # GX logs what went wrong writing the docs, and goes on
        if record.exc_info and isinstance(record.exc_info[1], OSError) and os_error(record.exc_info[1]):
            raise os_error(record.exc_info[1]) from None
    docs_path: Path | None = docs / "index.html" if (docs / "index.html").is_file() else None
    report = Report(edition, verdicts, strict, target / "validatie.json", docs_path)
    _write_json(report, settings, version)
    if promote(settings, edition):
        report.json_path = edition_dir(settings, edition) / "validatie.json"
        report.docs_path = report.json_path.parent / "data_docs" / "index.html" if docs_path else None
    return report


@contextlib.contextmanager
def gx_errors() -> Iterator[list[logging.LogRecord]]:
    """What Great Expectations logs (warnings with tracebacks, e.g. when the disk fills while it
    writes Data Docs) is collected here instead of printed: gvb says what happened itself."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("great_expectations")
    handler, propagate = Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _write_json(report: Report, settings: Settings, version: int) -> None:
    blocking, warnings = report.blocking, report.warnings
    document = {
        "schema_versie": SCHEMA_VERSION,
        "editie": report.editie,
        "gevalideerd_op": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "gvb_versie": __version__,
        "regio": settings.region,
        "opslag_versie": version,
        "uitslag": "blokkerend" if blocking else "waarschuwingen" if warnings else "schoon",
        "exit_code": report.exit_code,
        "streng": report.strict,
        "totalen": {
            "controles": sum(v.controles for v in report.verdicts),
            "geslaagd": sum(v.geslaagd for v in report.verdicts),
            "waarschuwingen": warnings,
            "blokkerend": blocking,
        },
        "bronnen": [v.as_json() for v in report.verdicts],
        "data_docs": os.path.relpath(report.docs_path, report.json_path.parent) if report.docs_path else None,
    }
    write_atomically(report.json_path, json.dumps(document, ensure_ascii=False, indent=2, default=str))


def blocking_check(source: Source, rows: pd.DataFrame, file: str, digest: str, settings: Settings) -> None:
    """Run the blocking expectations of a source's suite on a file's rows before they are committed.

    The suite's own rules, translated to SQL (``suite_sql``): GX itself would take seconds per file
    for what DuckDB checks in milliseconds; ``gvb validate`` runs the same suite in GX afterwards.
    """
    frame = rows.assign(
        load_id=0,
        bron_bestand=file,
        bron_sha256=digest,
        geladen_op=pd.Timestamp(dt.datetime.now(dt.UTC).replace(tzinfo=None)),
    )
    con = connect(config={"memory_limit": HELPER_MEMORY, "preserve_insertion_order": False})
    try:
        outcome = blocking_outcome(con, load_suite(source.name), checked_rows(con, source, frame, reference(), today()))
    finally:
        con.close()
    if not outcome.findings:
        return
    problems = []
    for finding in outcome.findings:
        if not finding.voorbeelden:
            problems.append(Problem(finding.regel, finding.omschrijving, column=finding.kolom))
        for example in finding.voorbeelden:
            value = example.get("waarde")
            problems.append(
                Problem(finding.regel, f"GX-controle mislukt: {finding.omschrijving}", row=example.get("rij"),
                        column=finding.kolom, value=None if value is None else str(value))
            )  # fmt: skip
    raise InputError("bestand geweigerd door de GX-suite van de bron, niets geladen", file=file, problems=problems)
