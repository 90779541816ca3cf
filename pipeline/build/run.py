"""`gvb build`: run the SQL models of ``data_marts/`` in their explicit order into a new DuckDB
file for an edition, and swap it in with an atomic rename.

The raw store is attached read-only; the reference data is loaded as ``ref_*`` tables; build
parameters (edition, its last month, region) are the one-row table ``build_params``. Only the
secondary suppression is Python (``pipeline.build.suppress``): it iterates until no suppressed cell can
be recovered, which SQL expresses badly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.kernel.config import Settings, settings
from pipeline.kernel.edition import check_edition_covered, edition_period, previous_edition, work_db
from pipeline.kernel.errors import GvbError
from pipeline.kernel.periods import BOUNDS_MACROS, KIND_MACRO, today
from pipeline.kernel.rules import SIGNIFICANCE_LEVEL, STRONG_CHANGE_PCT
from pipeline.kernel.store import LOADS_TABLE, connect, open_store
from pipeline.reference import Reference, reference
from pipeline.validate.coverage import COLUMNS, coverage_by_source

PYTHON_STEPS = {"suppression": "pipeline.build.suppress:apply"}


def models_dir() -> Path:
    return settings().models_dir


def build_order() -> list[str]:
    """Model names in build order, from ``data_marts/build_order.txt``."""
    lines = (models_dir() / "build_order.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def _model_path(name: str) -> Path:
    for layer in ("staging", "intermediate", "marts"):
        path = models_dir() / layer / f"{name}.sql"
        if path.exists():
            return path
    raise GvbError(f"model {name} staat in build_order.txt maar er is geen {name}.sql in data_marts/")


def indicator_filters(ref: Reference) -> pd.DataFrame:
    """Which (categorie, subcategorie) of a source count towards each indicator ('*' = all)."""
    rows = []
    burgernet_fields = {"deelnemers_klassiek+deelnemers_app": "deelnemers", "acties": "acties",
                        "acties_succesvol": "acties_succesvol", "burgernet_mails": "burgernet_mails"}  # fmt: skip
    for indicator in ref.indicators:
        definition = indicator.definitie
        if indicator.bron == "burgernet":
            if definition in burgernet_fields:
                rows.append((indicator.code, indicator.bron, burgernet_fields[definition], "*"))
            continue
        if indicator.bron == "veiligheidsmonitor":
            continue
        parts = dict(part.split("=", 1) for part in definition.split(";"))
        if "soort_code" in parts:
            rows += [(indicator.code, indicator.bron, code, "*") for code in parts["soort_code"].split("+")]
        elif "maatstaf" in parts:
            rows.append((indicator.code, indicator.bron, parts["maatstaf"], parts.get("thema", "*")))
        else:
            (value,) = parts.values()
            rows.append((indicator.code, indicator.bron, value, "*"))
    return pd.DataFrame(rows, columns=["indicator_code", "bron", "categorie", "subcategorie"])


def load_reference(
    con: duckdb.DuckDBPyConnection, ref: Reference, settings: Settings, edition: str, demo: bool
) -> None:
    period = edition_period(edition)
    indeling_year = max(period.end.year, today().year)  # history is harmonised to the current indeling
    gemeenten = pd.DataFrame(
        [(g.code, ref.display_names[g.code], g.eerste_jaar, g.laatste_jaar) for g in ref.gemeenten.values()],
        columns=["gemeente_code", "gemeente_naam", "eerste_jaar", "laatste_jaar"],
    )
    successors = pd.DataFrame(
        [(old, new, ref.merger_year[old], share) for old, parts in ref.successors.items() for new, share in parts],
        columns=["oud_code", "nieuw_code", "jaar", "aandeel"],
    )
    members = pd.DataFrame(
        [
            (code, year)
            for year in range(2010, indeling_year + 1)
            for code in sorted(ref.region_members(settings.region, year))
        ],
        columns=["gemeente_code", "jaar"],
    )
    districts = pd.DataFrame(ref.districten.values())
    district_map = pd.DataFrame(ref.district_indeling)[["gebied_code", "district_code", "van_jaar", "tot_jaar"]]
    district_map["van_jaar"] = district_map["van_jaar"].astype(int)
    district_map["tot_jaar"] = pd.to_numeric(district_map["tot_jaar"].replace("", None)).astype("Int64")
    wijken = pd.DataFrame(ref.wijken.values())
    wijken["inwoners_2024"] = wijken["inwoners_2024"].astype(int)
    population = pd.DataFrame(
        [
            (code, year, total, youth, *ref.population_basis[(code, year)])
            for (code, year), (total, youth) in ref.population.items()
        ],
        columns=["gemeente_code", "jaar", "inwoners", "inwoners_12_17", "peiljaar", "bron"],
    )
    indicators = pd.DataFrame([i.__dict__ for i in ref.indicators]).rename(columns={"code": "indicator_code"})
    params = pd.DataFrame(
        [
            {
                "edition": edition,
                "edition_type": "halfjaar" if period.kind == "half" else "jaar",
                "edition_end_month": period.end.year * 12 + period.end.month,
                "edition_year": period.end.year,
                "indeling_year": indeling_year,
                "region": settings.region,
                "region_name": ref.region_name(settings.region),
                "is_demo": demo,
                "built_on": today(),
                "significance_level": SIGNIFICANCE_LEVEL,
                "strong_change_pct": STRONG_CHANGE_PCT,
            }
        ]
    )
    for name, frame in {
        "ref_gemeenten": gemeenten,
        "ref_herindelingen": successors,
        "ref_regio_leden": members,
        "ref_districten": districts,
        "ref_district_indeling": district_map,
        "ref_wijken": wijken,
        "ref_bevolking": population,
        "ref_indicatoren": indicators,
        "ref_indicator_filters": indicator_filters(ref),
        "build_params": params,
    }.items():
        con.register("frame", frame)
        con.execute(f"create or replace table {name} as select * from frame")
        con.unregister("frame")


def _load_coverage(con: duckdb.DuckDBPyConnection, ref: Reference, settings: Settings) -> None:
    """``ref_niet_aangeleverd``: the gemeente-periods a source did not deliver (``pipeline.validate.coverage``)."""
    indeling_year = con.execute("select indeling_year from build_params").fetchall()[0][0]
    frames = list(coverage_by_source(con, ref, settings.region, indeling_year, schema="raw.").values())
    missing = pd.concat(frames) if frames else pd.DataFrame(columns=COLUMNS)
    missing = missing[missing["ontbreekt"].notna()][["bron", "periode", "gemeente_code"]].astype("string")
    con.register("frame", missing)
    con.execute(
        "create or replace table ref_niet_aangeleverd as "
        "select bron::varchar as bron, periode::varchar as periode, gemeente_code::varchar as gemeente_code from frame"
    )
    con.unregister("frame")


def _run_python_step(con: duckdb.DuckDBPyConnection, target: str) -> None:
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    getattr(module, function_name)(con)


def remove_stale_builds(folder: Path) -> None:
    """Builds left behind by a killed process (their pid is gone) are deleted."""
    for path in [*folder.glob(".*.bouw*"), *folder.glob(".*.publiek*"), *folder.glob(".*.tmp")]:
        match = re.search(r"\.(\d+)\.(bouw|publiek|tmp)", path.name)
        if match and not _pid_alive(int(match.group(1))):
            path.unlink(missing_ok=True)


def remove_database(path: Path) -> None:
    """A DuckDB file and its write-ahead log (``<file>.wal`` stays behind when a build fails)."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_into(
    temporary: Path, settings: Settings, edition: str, progress: Callable[[str], None] | None = None
) -> None:
    """Run every model for ``edition`` into the new file ``temporary`` (deleted again on failure)."""
    edition_period(edition)
    if not settings.store_path.exists():
        raise GvbError(f"er is nog geen opslag in {settings.home}; laad eerst bestanden met 'gvb ingest'")
    check_edition_covered(settings, edition)
    with open_store(settings):
        pass  # a store made by an older gvb gets the tables added since (the notes)
    temporary.parent.mkdir(parents=True, exist_ok=True)
    remove_database(temporary)
    ref = reference()
    con = connect(temporary)
    try:
        con.execute("attach ? as raw (read_only)", [str(settings.store_path)])
        previous = previous_edition(settings, edition)
        if previous:
            con.execute("attach ? as previous_edition (read_only)", [str(previous[1])])
        demo = bool(con.execute(f"select coalesce(bool_or(demo), false) from raw.{LOADS_TABLE}").fetchall()[0][0])
        load_reference(con, ref, settings, edition, demo)
        _load_coverage(con, ref, settings)
        con.execute("create table vorige_editie as select ?::varchar as edition", [previous[0] if previous else None])
        if not previous:
            con.execute("attach ':memory:' as previous_edition")
        _register_udf(con)
        for name in build_order():
            if progress:
                progress(name)
            if name in PYTHON_STEPS:
                _run_python_step(con, PYTHON_STEPS[name])
                continue
            if name == "revisions" and not previous:
                con.execute("create table previous_edition.indicator_values as select * from indicator_values limit 0")
            sql = _model_path(name).read_text(encoding="utf-8")
            try:
                con.execute(f"create or replace table {name} as\n{sql}")
            except duckdb.Error as exc:
                raise GvbError(f"model {name} faalt: {str(exc).splitlines()[0]}") from None
        con.execute("detach raw")
        con.execute("detach previous_edition")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        remove_database(temporary)
        raise
    con.close()


def build(settings: Settings, edition: str, progress: Callable[[str], None] | None = None) -> Path:
    """Build an edition into the work folder (not published), atomically."""
    final = work_db(settings, edition)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(final.parent)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.bouw")
    build_into(temporary, settings, edition, progress)
    os.replace(temporary, final)
    return final


def _register_udf(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(KIND_MACRO)  # period_type_of(period): the period kind rule of pipeline.kernel.periods
    for macro in BOUNDS_MACROS:  # period_start_of(period), period_end_of(period)
        con.execute(macro)
    import numpy as np
    import pyarrow as pa

    from pipeline.build.stats import poisson_rate_p_values

    def udf(x1, x2, e1, e2):
        arrays = [np.asarray(a.to_numpy(zero_copy_only=False), dtype="float64") for a in (x1, x2, e1, e2)]
        return pa.array(poisson_rate_p_values(*arrays), type=pa.float64(), from_pandas=True)

    con.create_function("poisson_p_value", udf, ["DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE"], "DOUBLE", type="arrow")
