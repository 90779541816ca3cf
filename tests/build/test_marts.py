"""The marts, checked against figures worked out by hand and against CBS's own numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from scipy.stats import binom

from pipeline.build.disclosure.table import audit_values
from pipeline.reference import reference

POLICE = """periode,gebied_code,soort_code,aantal
2018,GM0505,0.0.0,1000
2018,GM0642,0.0.0,300
2018,GM0689,0.0.0,40
2018,GM1927,0.0.0,60
2019,GM0505,0.0.0,1200
2019,GM0642,0.0.0,290
2019,GM1978,0.0.0,104
"""
# a police table lists every gemeente (absent means "not delivered"): the others have 0 here
POLICE += "".join(
    f"{year},{code},0.0.0,0\n"
    for year in (2018, 2019)
    for code in sorted(reference().region_members("RE07", year))
    if f"{year},{code}," not in POLICE
)
HALT = """Periode;Gemeentecode;Gemeente;Delictgroep;Leeftijd;Geslacht;Aantal verwijzingen
2019-H1;GM0505;Dordrecht;Vermogen;15-17;Jongen;12
2019-H1;GM0642;Zwijndrecht;Vermogen;15-17;Jongen;3
2019-H1;GM1978;Molenlanden;Vermogen;15-17;Jongen;7
2019-H2;GM0505;Dordrecht;Vermogen;15-17;Jongen;10
2019-H2;GM0642;Zwijndrecht;Vermogen;15-17;Jongen;6
2019-H2;GM1978;Molenlanden;Vermogen;15-17;Jongen;8
"""


def _ingest_fixture_files(gvb, folder: Path) -> None:
    """The police table and the Halt file above, ingested."""
    (folder / "politie_misdrijven").mkdir()
    (folder / "politie_misdrijven" / "m.csv").write_text(POLICE, encoding="utf-8")
    (folder / "halt").mkdir()
    (folder / "halt" / "h.csv").write_text(HALT, encoding="utf-8")
    assert gvb("ingest", folder).exit_code == 0


@pytest.fixture
def fixture_edition(gvb, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Three gemeenten of district Zuid-Holland-Zuid, one merger (Molenlanden 2019), Halt with a 3."""
    _ingest_fixture_files(gvb, tmp_path)
    result = gvb("publish", "--edition", "2019")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(gvb.home / "edities" / "2019" / "gvb_2019.duckdb"), read_only=True)
    yield con
    con.close()


def _public_tables(con: duckdb.DuckDBPyConnection) -> tuple:
    """What the audit reads of a published edition: the public table and the indicator definitions."""
    return (
        con.execute("select * from indicator_values").df(),
        con.execute("select * from ref_indicator_filters").df(),
        con.execute("select * from ref_indicatoren").df(),
    )


def _row(con, indicator: str, area: str, period: str) -> dict:
    cursor = con.execute(
        "select * from indicator_values where indicator_code = ? and area_code = ? and period = ?",
        [indicator, area, period],
    )
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def test_merger_is_harmonised_and_totals_add_up(fixture_edition) -> None:
    con = fixture_edition
    assert _row(con, "M_TOTAAL", "GM1978", "2018")["value"] == 100  # Giessenlanden 40 + Molenwaard 60
    assert _row(con, "M_TOTAAL", "RE07-ZHZ", "2019")["value"] == 1594
    assert _row(con, "M_TOTAAL", "RE07", "2019")["value"] == 1594
    dordrecht = _row(con, "M_TOTAAL", "GM0505", "2019")
    population = reference().population[("GM0505", 2019)][0]
    assert dordrecht["rate_per_1000"] == pytest.approx(1000 * 1200 / population, abs=1e-3)
    assert dordrecht["display_value"] == "1.200"
    assert (dordrecht["prev_value"], dordrecht["change_abs"], dordrecht["change_pct"]) == (1000, 200, 20.0)


def test_significance_and_labels(fixture_edition) -> None:
    con = fixture_edition
    ref = reference()
    dordrecht = _row(con, "M_TOTAAL", "GM0505", "2019")
    e1, e2 = ref.population[("GM0505", 2018)][0], ref.population[("GM0505", 2019)][0]
    p = e2 / (e1 + e2)  # exact conditional test, two-sided by doubling the smaller tail
    expected = min(1.0, 2 * min(binom.cdf(1200, 2200, p), binom.sf(1199, 2200, p)))
    assert dordrecht["p_value"] == pytest.approx(expected, rel=1e-3)
    assert dordrecht["significant"] is True and dordrecht["change_label"] == "stijging"
    # a label says what it means: a change that may be chance is called so, whatever its size
    zwijndrecht = _row(con, "M_TOTAAL", "GM0642", "2019")  # -10 of 300: chance
    assert zwijndrecht["significant"] is False and zwijndrecht["change_label"] == "geen significante verandering"
    molenlanden = _row(con, "M_TOTAAL", "GM1978", "2019")  # +4
    assert molenlanden["change_abs"] == 4 and molenlanden["change_label"] == "geen significante verandering"
    labels = {r[0] for r in con.execute("select distinct change_label from indicator_values").fetchall()}
    assert labels <= {None, "geen significante verandering", "stijging", "daling", "sterke stijging", "sterke daling"}


def test_every_empty_comparison_says_why(fixture_edition) -> None:
    con = fixture_edition
    first = _row(con, "M_TOTAAL", "GM0505", "2018")  # the first year delivered
    assert first["prev_value"] is None and first["prev_empty_reason"] == "geen cijfer een jaar eerder"
    assert first["avg_3y_empty_reason"] == "nog geen drie jaar" and first["rate_empty_reason"] is None
    assert first["rate_denominator"] == "inwoners"
    shown = _row(con, "M_TOTAAL", "GM0505", "2019")
    assert shown["prev_empty_reason"] is None and shown["benchmark_district_empty_reason"] is None
    hidden = _row(con, "H_VERWIJZINGEN", "GM0642", "2019H1")
    assert hidden["suppressed"] and hidden["rate_denominator"] == "jongeren van 12–17 jaar"
    assert {hidden[c] for c in ("prev_empty_reason", "avg_3y_empty_reason", "rate_empty_reason")} == {"afgeschermd"}
    # a reason stands exactly where the figure is missing, nowhere else
    wrong = con.execute(
        """select count(*) from indicator_values where (prev_value is null) = (prev_empty_reason is null)
           or (avg_3y is null) = (avg_3y_empty_reason is null) or (rate_per_1000 is null) = (rate_empty_reason is null)
           or (benchmark_eenheid_rate is null) = (benchmark_eenheid_empty_reason is null)
           or (benchmark_district_rate is null) = (benchmark_district_empty_reason is null)"""
    ).fetchall()
    assert wrong == [(0,)]


def test_primary_and_secondary_suppression(fixture_edition) -> None:
    con = fixture_edition
    zwijndrecht_h1 = _row(con, "H_VERWIJZINGEN", "GM0642", "2019H1")
    assert (
        zwijndrecht_h1["suppressed"]
        and zwijndrecht_h1["value"] is None
        and zwijndrecht_h1["display_value"] == "afgeschermd"
    )
    assert zwijndrecht_h1["rate_per_1000"] is None and zwijndrecht_h1["change_abs"] is None
    # the eenheid total (22) minus Dordrecht (12) would reveal Zwijndrecht: Molenlanden (7) goes too
    assert _row(con, "H_VERWIJZINGEN", "GM1978", "2019H1")["suppressed"]
    assert not _row(con, "H_VERWIJZINGEN", "GM0505", "2019H1")["suppressed"]
    assert _row(con, "H_VERWIJZINGEN", "RE07", "2019H1")["value"] == 22
    # the year minus the second half would reveal the first half: one of them goes too
    year, second = _row(con, "H_VERWIJZINGEN", "GM0642", "2019"), _row(con, "H_VERWIJZINGEN", "GM0642", "2019H2")
    assert year["suppressed"] or second["suppressed"]
    # Halt-verwijzingen minus its other delictgroepen (all 0) would reveal the same 3 under "vermogen"
    assert _row(con, "H_VERMOGEN", "GM0642", "2019H1")["suppressed"]
    dordrecht = _row(con, "H_VERWIJZINGEN", "GM0505", "2019")
    youths = reference().population[("GM0505", 2019)][1]
    assert dordrecht["value"] == 22 and dordrecht["rate_per_1000"] == pytest.approx(1000 * 22 / youths, abs=1e-3)
    # and nothing hidden can be narrowed down to fewer than 5 values from all that is published
    verdict = audit_values(*_public_tables(con))
    assert verdict.audited >= 4 and verdict.failing == []


def test_no_sensitive_small_number_anywhere(fixture_edition) -> None:
    con = fixture_edition
    leaks = con.execute(
        """
        select count(*) from indicator_values v join ref_indicatoren i using (indicator_code)
        where i.gevoeligheid = 'gevoelig'
          and (v.value between 1 and 4 or v.prev_value between 1 and 4)
        """
    ).fetchall()
    assert leaks == [(0,)]


def test_export_has_the_documented_columns(gvb, fixture_edition, tmp_path: Path) -> None:
    from pipeline.kernel.mart_columns import EXPORT_COLUMNS

    result = gvb("export", "--edition", "2019", "--out", "-")
    header = result.output.splitlines()[0].split(",")
    assert header == EXPORT_COLUMNS
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for column in EXPORT_COLUMNS:
        assert f"| `{column}` |" in readme, column
    target = tmp_path / "o'neill; drop table x" / "iv.parquet"  # a path is data, never SQL
    assert gvb("export", "--edition", "2019", "--format", "parquet", "--out", target).exit_code == 0
    assert duckdb.execute("select count(*) from read_parquet(?)", [str(target)]).fetchall()[0][0] > 0


def test_real_cbs_figures_harmonise_and_rates_agree(gvb, open_data: Path, tmp_path: Path) -> None:
    """CBS 83648NED 2013-2017: predecessors add up to Hoeksche Waard; rates match CBS for stable gemeenten."""
    ref = reference()
    source = open_data / "crime" / "cbs_83648NED_hoofdgroepen_2013_2017_eenheid_rotterdam.csv"
    rows, published = [], {}
    with source.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["soort_misdrijf"] != "Misdrijven, totaal" or not row["geregistreerde_misdrijven"]:
                continue
            year = int(row["jaar"])
            code = ref.code_for_name(row["regio"], year)
            rows.append(f"{year},{code},0.0.0,{int(float(row['geregistreerde_misdrijven']))}")
            published[(code, year)] = (int(float(row["geregistreerde_misdrijven"])), float(row["per_1000_inwoners"]))
    path = tmp_path / "politie_misdrijven" / "cbs.csv"
    path.parent.mkdir()
    path.write_text("periode,gebied_code,soort_code,aantal\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert gvb("ingest", path).exit_code == 0
    result = gvb("publish", "--edition", "2017")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(gvb.home / "edities" / "2017" / "gvb_2017.duckdb"), read_only=True)
    hoeksche_waard = _row(con, "M_TOTAAL", "GM1963", "2017")["value"]
    predecessors = sum(published[(code, 2017)][0] for code in ("GM0585", "GM0611", "GM0588", "GM0584", "GM0617"))
    assert hoeksche_waard == predecessors
    for code in ("GM0482", "GM0505", "GM0599", "GM0606", "GM1621"):
        for year in (2015, 2016, 2017):
            ours = _row(con, "M_TOTAAL", code, str(year))["rate_per_1000"]
            assert ours == pytest.approx(published[(code, year)][1], abs=0.15), (code, year)
    con.close()


def test_mart_check_finds_a_recoverable_cell() -> None:
    """The publication check itself: one hidden cell beside a published total is a leak."""
    import pandas as pd

    from pipeline.validate.marts import checked_marts

    cells = pd.DataFrame(
        {
            "level": ["eenheid", "gemeente", "gemeente", "gemeente"],
            "area_code": ["RE07", "GM0505", "GM0642", "GM1978"],
            "district_code": [None, "RE07-ZHZ", "RE07-ZHZ", "RE07-ZHZ"],
            "period": ["2019H1"] * 4,
            "period_type": ["halfjaar"] * 4,
            "indicator_code": ["H_VERWIJZINGEN"] * 4,
            "unit": ["aantal"] * 4,
            "value": [22.0, 12.0, None, 7.0],
            "rate_per_1000": [None] * 4,
            "suppressed": [False, False, True, False],
        }
    )

    def recoverable(frame: pd.DataFrame) -> list[bool]:
        con = duckdb.connect()
        con.register("cells", frame)
        con.execute("create table indicator_values as select * from cells")
        con.execute(
            "create table int_indicator_basis as select level, area_code, period, indicator_code, "
            "value as denominator from cells where false"
        )
        con.execute(
            "create table ref_indicatoren as select 'H_VERWIJZINGEN' as indicator_code, "
            "'gevoelig' as gevoeligheid, 'som' as aggregatie, null::double as max_waarde"
        )
        con.execute("create table ref_districten as select 'RE07-ZHZ' as district_code, 'RE07' as eenheid_code")
        con.execute("create table build_params as select 'RE07' as region")
        con.execute(
            "create table veiligheidsmonitor_values as select level, area_code, period, indicator_code, value, "
            "value as lower, value as upper, value as margin from cells where false"
        )
        table = checked_marts(con)["indicator_values"]
        return [row[0] for row in con.execute(f"select _af_te_leiden from {table} order by _rij").fetchall()]

    assert recoverable(cells) == [False, False, True, False]
    cells.loc[3, ["value", "suppressed"]] = [None, True]  # a second hidden cell protects the first
    assert recoverable(cells) == [False, False, False, False]


#: input names (the raw_<bron> views and the ref_ tables, as partners and analysts write them)
#: that the models name in English from staging on (ARCHITECTURE.md, "One naming rule")
DUTCH_INPUT_NAMES = {
    "bron", "periode", "periode_soort", "aantal", "categorie", "subcategorie", "gebied_code", "jaar", "halfjaar",
    "niveau", "waarde", "marge", "respons", "eenheid", "huidige_code", "aandeel", "gemeente_naam", "district_naam",
    "noemer", "gevoeligheid", "aggregatie", "streefwaarde", "reden", "delen", "feit_id", "van_jaar", "tot_jaar",
}  # fmt: skip


def test_the_models_use_one_naming_rule_from_staging_to_marts(gvb, tmp_path: Path) -> None:
    """English column names with the domain's Dutch nouns (gemeente, thema, inwoners) in every model;
    the same key names in every layer; the raw_ views and ref_ tables keep their input names."""
    _ingest_fixture_files(gvb, tmp_path)
    result = gvb("build", "--edition", "2019")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(gvb.home / "bouw" / "gvb_2019.duckdb"), read_only=True)
    columns: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from information_schema.columns").fetchall():
        columns.setdefault(table, set()).add(column)
    con.close()
    models = {t: c for t, c in columns.items() if t.startswith(("stg_", "int_")) or t in ("indicator_values",
              "veiligheidsmonitor_values", "revisions")}  # fmt: skip
    facts = [
        f"stg_{s}" for s in ("politie_misdrijven", "politie_incidenten", "halt", "riec", "veiligheidshuis", "burgernet")
    ]
    assert set(facts) <= set(models) and "stg_indicators" in models and "int_indicator_basis" in models
    assert {t: sorted(c & DUTCH_INPUT_NAMES) for t, c in models.items() if c & DUTCH_INPUT_NAMES} == {}
    for key in ("period", "period_type", "indicator_code", "gemeente_code", "source", "value"):
        holders = [t for t in models if key in models[t]]
        assert holders, key
    assert all({"source", "area_code", "period", "period_type", "value"} <= models[t] for t in facts)
    assert "periode" in columns["ref_niet_aangeleverd"]  # the inputs keep their names
