"""Running the GX suites on pandas DataFrames (GX's SQL route does not work on DuckDB).

Great Expectations is imported here only, lazily: importing it costs seconds, and the dashboard
must never import it.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

MAX_EXAMPLES = 5
_counter = itertools.count()
_context: Any = None


@dataclass
class Finding:
    """One failed expectation, in words the analyst reads."""

    bron: str
    expectation: str
    kolom: str | None
    ernst: str
    regel: str
    omschrijving: str
    aantal: int | None
    voorbeelden: list[dict[str, Any]] = field(default_factory=list)
    waargenomen: Any = None
    batch: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "bron": self.bron,
            "expectation": self.expectation,
            "kolom": self.kolom,
            "ernst": self.ernst,
            "regel": self.regel,
            "omschrijving": self.omschrijving,
            "aantal_onverwacht": self.aantal,
            "voorbeelden": self.voorbeelden,
            "waargenomen": self.waargenomen,
            "batch": self.batch,
        }


@dataclass
class SuiteOutcome:
    bron: str
    evaluated: int
    passed: int
    findings: list[Finding]
    result: Any  # the GX validation result (for data docs)
    #: every check with its outcome, in the suite's words (for our own Dutch rendering of the result)
    checks: list[dict[str, Any]] = field(default_factory=list)


def _import_gx() -> Any:
    from pipeline.kernel.config import quiet_third_parties

    quiet_third_parties()
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def new_context(docs_dir: Path | None = None) -> Any:
    """An in-memory GX context without progress bars; with a Data Docs site when asked."""
    gx = _import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    if docs_dir is not None:
        context.add_data_docs_site(
            site_name="gvb",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def shared_context() -> Any:
    global _context
    if _context is None:
        _context = new_context()
    return _context


def json_value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if value is None or isinstance(value, str | bool | int):
        return value
    if value is pd.NA or value is pd.NaT:
        return None  # an empty cell, not the text '<NA>'
    if isinstance(value, float):
        return None if value != value else round(value, 4)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def example_of(row: dict[str, Any], column: str | None) -> dict[str, Any]:
    """One failing row as a finding names it: its file and row, or its mart cell, and the value."""
    example = {
        "bestand": json_value(row.get("bron_bestand")),
        "rij": json_value(row.get("bron_rij")),
        "kolom": column,
        "waarde": json_value(row.get(column)) if column else None,
    }
    if "area_code" in row:  # a mart cell instead of a delivered row
        example["cel"] = " ".join(
            str(json_value(row.get(c))) for c in ("level", "area_code", "period", "indicator_code")
        )
    return example


def _identity(config: Any) -> tuple:
    kwargs = config.kwargs
    return (config.type, kwargs.get("column"), tuple(kwargs.get("column_list") or ()), str(kwargs.get("regex")))


def _run(context: Any, gx_suite: Any, asset_name: str, batch: str | None, frame: pd.DataFrame,
         parameters: dict[str, Any] | None, result_format: dict[str, Any]) -> Any:  # fmt: skip
    gx = _import_gx()
    if "_gvb_source" not in context.__dict__:
        context.__dict__["_gvb_source"] = context.data_sources.add_pandas("gvb")
    asset = context.__dict__["_gvb_source"].add_dataframe_asset(asset_name)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(
            name=asset_name, data=asset.add_batch_definition_whole_dataframe(batch or "alles"), suite=gx_suite
        )
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters or {},
                result_format=result_format,
            )
    finally:
        # GX keeps every batch's DataFrame in its execution engine (and the asset and definition that
        # name it) for the life of the context: 35 national batches held 3 GB. The results stay.
        batches = context.__dict__["_gvb_source"].get_execution_engine().batch_manager
        batches.reset_batch_cache()
        batches.batch_data_cache.clear()
        context.validation_definitions.delete(asset_name)
        context.__dict__["_gvb_source"].delete_asset(asset_name)


def run_suite(
    context: Any,
    suite: dict,
    frame: pd.DataFrame,
    parameters: dict[str, Any] | None = None,
    only_blocking: bool = False,
    batch: str | None = None,
) -> SuiteOutcome:
    gx = _import_gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    unique = f"{suite['name']}_{next(_counter)}"
    # one GX suite object per suite (and severity filter) per context, reused for every batch
    cache: dict[tuple[str, bool], Any] = context.__dict__.setdefault("_gvb_suites", {})
    key = (suite["name"], only_blocking)
    if key not in cache:
        specs = [s for s in suite["expectations"] if not only_blocking or s["meta"]["ernst"] == "blokkerend"]
        configurations = [
            ExpectationConfiguration(
                type=s["type"], kwargs=s["kwargs"], meta=s["meta"], severity=s.get("severity", "critical")
            )
            for s in specs
        ]
        name = suite["name"] if not only_blocking else f"{suite['name']} (blokkerend)"
        cache[key] = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=[c.to_domain_obj() for c in configurations])
        )
    gx_suite = cache[key]
    index_columns = [c for c in ("bron_bestand", "bron_rij") if c in frame.columns] or [
        c for c in ("level", "area_code", "period", "indicator_code") if c in frame.columns
    ]
    # first pass without row indices (cheap); only failed expectations are run again to name rows
    result = _run(context, gx_suite, f"{suite['name']} {batch or 'alles'} {unique}", batch, frame, parameters,
                  {"result_format": "BASIC", "partial_unexpected_count": MAX_EXAMPLES})  # fmt: skip
    failed = [item.expectation_config for item in result.results if not item.success]
    details_by_id: dict[int, Any] = {}
    if failed and index_columns:
        follow_up = context.suites.add(
            gx.ExpectationSuite(
                name=f"{gx_suite.name} — details {unique}",
                expectations=[
                    ExpectationConfiguration(
                        type=c.type, kwargs=c.kwargs, meta=c.meta, severity=c.severity
                    ).to_domain_obj()
                    for c in failed
                ],
            )
        )
        detailed = _run(context, follow_up, f"{suite['name']} {batch or 'alles'} {unique} details", batch, frame, parameters,
                        {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES,
                         "unexpected_index_column_names": index_columns, "return_unexpected_index_query": False})  # fmt: skip
        # match on what identifies an expectation here: its type and column(s)
        by_identity = {_identity(item.expectation_config): item for item in detailed.results}
        details_by_id = {id(config): by_identity.get(_identity(config)) for config in failed}
        details_by_id = {k: v for k, v in details_by_id.items() if v is not None}
    findings = []
    checks = []
    passed = 0
    for item in result.results:
        config = item.expectation_config
        meta = config.meta or {}
        column = config.kwargs.get("column")
        checks.append(
            {
                "omschrijving": meta.get("omschrijving", config.type),
                "kolom": column or (",".join(config.kwargs.get("column_list", [])) or None),
                "ernst": meta.get("ernst", "blokkerend"),
                "geslaagd": bool(item.success),
            }
        )
        if item.success:
            passed += 1
            continue
        item = details_by_id.get(id(config), item)
        details = item.result or {}
        examples = []
        column = config.kwargs.get("column")
        for row in (details.get("partial_unexpected_index_list") or [])[:MAX_EXAMPLES]:
            if not isinstance(row, dict):
                row = {}
            examples.append(example_of(row, column))
        error = (item.exception_info or {}).get("exception_message") if isinstance(item.exception_info, dict) else None
        findings.append(
            Finding(
                bron=suite["name"],
                expectation=config.type,
                kolom=column or (",".join(config.kwargs.get("column_list", [])) or None),
                ernst=meta.get("ernst", "blokkerend"),
                regel=meta.get("regel", config.type),
                omschrijving=meta.get("omschrijving", config.type)
                + (f" (fout bij controleren: {error})" if error else ""),
                aantal=json_value(details.get("unexpected_count")),
                voorbeelden=examples,
                waargenomen=json_value(details.get("observed_value")),
                batch=batch,
            )
        )
    return SuiteOutcome(suite["name"], len(result.results), passed, findings, result, checks)
