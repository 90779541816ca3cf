"""Real police/CBS deliveries give exactly the published figures (issue: real deliveries, right numbers).

The fixtures are built here in the formats as they really are: StatLine website exports titled
"… gemeente 2026" with every year in that indeling, a delivery that lacks a gemeente, name
variants, and a national run over mergers and a split.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.reference import reference

CURRENT_RE07 = sorted(reference().region_members("RE07", 2026))


def statline(path: Path, title: str, columns: dict[str, dict[str, str]], extra_rows: list[str] = ()) -> Path:
    """A StatLine website export: title lines, one column per period, one row per region name."""
    path.parent.mkdir(exist_ok=True)
    periods = list(columns)
    names = list(dict.fromkeys(name for values in columns.values() for name in values))
    lines = [f'"{title}"', '"Soort misdrijf: Totaal misdrijven"', '""']
    lines.append('"Onderwerp";' + ";".join('"Geregistreerde misdrijven"' for _ in periods))
    lines.append('"Perioden";' + ";".join(f'"{p}"' for p in periods))
    lines.append('"Regio\'s";' + ";".join('"aantal"' for _ in periods))
    lines += list(extra_rows)
    for name in names:
        lines.append(f'"{name}";' + ";".join(f'"{columns[p].get(name, ".")}"' for p in periods))
    lines.append('"Bron: Politie"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def re07_values(year: int, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """A figure per current RE07 gemeente, by its current name (as a "gemeente 2026" table has it)."""
    ref = reference()
    return {
        ref.gemeente(code).naam: str(1000 + 7 * i + year % 10)
        for i, code in enumerate(CURRENT_RE07)
        if code not in skip
    }


def edition_db(home: Path, edition: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(home / "edities" / edition / f"gvb_{edition}.duckdb"), read_only=True)


TITLE_2026 = "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026"


def test_multi_year_table_in_current_indeling_is_read_in_that_indeling(gvb, gvb_home: Path, tmp_path: Path) -> None:
    values = {"2022": re07_values(2022), "2023": re07_values(2023)}
    path = statline(tmp_path / "data" / "47013NED_2022_2023.csv", TITLE_2026, values, ['"Nederland";"800000";"810000"'])
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert "indeling van 2026" in result.output
    # Voorne aan Zee (2023) has a 2022 figure in a "gemeente 2026" table
    assert gvb.query(
        "select periode, gemeente_code, indeling, aantal from raw_politie_misdrijven where gemeente_code = 'GM1992' order by 1"
    ) == [
        ("2022", "GM1992", 2026, int(values["2022"]["Voorne aan Zee"])),
        ("2023", "GM1992", 2026, int(values["2023"]["Voorne aan Zee"])),
    ]

    result = gvb("refresh", "--data", tmp_path / "data")
    assert result.exit_code == 0, result.output
    assert "Editie 2023 gepubliceerd" in result.output  # the newest period the figures cover
    con = edition_db(gvb_home, "2023")
    rows = dict(con.execute(
        "select period, value from indicator_values where indicator_code = 'M_TOTAAL' and level = 'eenheid'"
    ).fetchall())  # fmt: skip
    assert rows == {p: sum(int(v) for v in values[p].values()) for p in values}
    # not harmonised a second time: every gemeente keeps exactly the figure the table gives
    for period in values:
        for name, value in values[period].items():
            code = reference().code_for_name(name, 2026)
            got = con.execute(
                "select value from indicator_values where indicator_code = 'M_TOTAAL' and area_code = ? and period = ?",
                [code, period],
            ).fetchall()
            assert got == [(float(value),)], (name, period)


def test_same_table_without_its_indeling_is_refused_then_read_with_the_option(gvb, tmp_path: Path) -> None:
    values = {"2022": re07_values(2022)}
    path = statline(tmp_path / "zonder_titel.csv", "Geregistreerde misdrijven; soort misdrijf, gemeente", values)
    result = gvb("ingest", path)
    assert result.exit_code == 1
    assert "Voorne aan Zee" in result.output and "bestond niet in 2022" in result.output
    result = gvb("ingest", "--indeling", "2026", path)
    assert result.exit_code == 0, result.output
    assert gvb.query("select count(*), min(indeling) from raw_politie_misdrijven") == [(23, 2026)]


def test_redelivery_in_the_current_indeling_replaces_the_predecessors(gvb, tmp_path: Path) -> None:
    ref = reference()
    own = {ref.gemeente(c).naam: "100" for c in ref.region_members("RE07", 2022)}
    first = statline(
        tmp_path / "eigen_indeling.csv", "Geregistreerde misdrijven; soort misdrijf, gemeente", {"2022": own}
    )
    assert gvb("ingest", first).exit_code == 0
    assert gvb.query(
        "select count(*) from raw_politie_misdrijven where gemeente_code in ('GM0501', 'GM0530', 'GM0614')"
    ) == [(3,)]
    second = statline(tmp_path / "indeling_2026.csv", TITLE_2026, {"2022": re07_values(2022)})
    result = gvb("ingest", second)
    assert result.exit_code == 0, result.output
    assert "vervangt 25 rijen" in result.output
    # Brielle, Hellevoetsluis and Westvoorne are gone: Voorne aan Zee is not counted twice
    assert gvb.query("select count(*), count(distinct gemeente_code) from raw_politie_misdrijven") == [(23, 23)]


def test_missing_gemeente_blocks_then_is_geen_cijfer(gvb, gvb_home: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    statline(data / "misdrijven_2022.csv", TITLE_2026, {"2022": re07_values(2022, skip=("GM0505",))})
    statline(data / "misdrijven_2023.csv", TITLE_2026, {"2023": re07_values(2023)})
    result = gvb("refresh", "--data", data)
    assert result.exit_code == 2, result.output
    assert not (gvb_home / "edities" / "2023" / "gvb_2023.duckdb").exists()
    result = gvb("validate", "--edition", "2023")
    assert result.exit_code == 2
    assert "Dordrecht (GM0505) in 2022" in result.output and "misdrijven_2022.csv" in result.output

    result = gvb("refresh", "--data", data, "--ook-onvolledig")
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2023")
    cell = con.execute(
        "select period, value, display_value, change_label, significant, rank from indicator_values "
        "where indicator_code = 'M_TOTAAL' and area_code = 'GM0505' order by period"
    ).fetchall()
    assert cell[0] == ("2022", None, "geen cijfer (niet aangeleverd)", None, None, None)
    assert cell[1][1] is not None and cell[1][3] is None and cell[1][4] is None  # 2023: no change against nothing
    eenheid = con.execute(
        "select period, value, change_pct, significant from indicator_values "
        "where indicator_code = 'M_TOTAAL' and level = 'eenheid' order by period"
    ).fetchall()
    assert eenheid[0][1] is None  # the eenheid total of 2022 would be short by Dordrecht
    assert eenheid[1][2] is None and eenheid[1][3] is None
    district = con.execute(
        "select value, display_value from indicator_values where area_code = 'RE07-ZHZ' and period = '2022' "
        "and indicator_code = 'M_TOTAAL'"
    ).fetchall()
    assert district == [(None, "geen cijfer (niet aangeleverd)")]


def test_districts_from_gemeente_figures_say_why_rotterdam_districts_have_none(
    gvb, gvb_home: Path, tmp_path: Path
) -> None:
    values = {"2023": re07_values(2023)}
    statline(tmp_path / "data" / "m.csv", TITLE_2026, values)
    assert gvb("refresh", "--data", tmp_path / "data").exit_code == 0
    con = edition_db(gvb_home, "2023")
    districts = dict(con.execute(
        "select area_code, display_value from indicator_values where level = 'district' and indicator_code = 'M_TOTAAL'"
    ).fetchall())  # fmt: skip
    assert len(districts) == 6  # none vanishes
    rotterdam = {d for d in reference().rotterdam_districts}
    for code, shown in districts.items():
        if code in rotterdam:
            assert shown == "geen cijfer (Rotterdam niet per wijk aangeleverd)"
        else:
            assert shown[0].isdigit()
    whole = {c: int(v) for c, v in ((reference().code_for_name(n, 2026), v) for n, v in values["2023"].items())}
    zhz = con.execute(
        "select value from indicator_values where area_code = 'RE07-ZHZ' and indicator_code = 'M_TOTAAL'"
    ).fetchall()[0][0]
    members = [r["gebied_code"] for r in reference().district_indeling if r["district_code"] == "RE07-ZHZ"]
    assert zhz == sum(whole[c] for c in members if c in whole)


def test_editions_follow_the_data(gvb, tmp_path: Path) -> None:
    data = tmp_path / "data"
    statline(data / "m2023.csv", TITLE_2026, {"2023": re07_values(2023)})
    assert gvb("ingest", data).exit_code == 0
    result = gvb("publish", "--edition", "2022")
    assert result.exit_code == 2
    assert "editie 2022 kan niet" in result.output and "2023" in result.output
    result = gvb("refresh", "--data", data, "--edition", "2025H1")
    assert result.exit_code == 2 and "te publiceren edities: 2023" in result.output
    result = gvb("refresh", "--data", data)
    assert result.exit_code == 0 and "Editie 2023 gepubliceerd" in result.output


def test_name_variants_and_aggregates_are_recognised(gvb, tmp_path: Path) -> None:
    ref = reference()
    values = {ref.gemeente(c).naam: "50" for c in CURRENT_RE07}
    for official, variant in [
        ("Capelle aan den IJssel", "Capelle a/d IJssel"),
        ("Krimpen aan den IJssel", "Krimpen a/d IJssel"),
        ("Hendrik-Ido-Ambacht", "Hendrik Ido Ambacht"),
        ("Voorne aan Zee", "Voorne aan Zee "),
    ]:
        values[variant] = values.pop(official)
    values.update(
        {"Den Bosch": "5", "’s-Gravenhage": "5", "Bergen (NH)": "5"}
    )  # outside the region: skipped, not refused
    extra = ['"Rotterdam (RE07)";"1153"', '"Niet-gemeentelijk ingedeeld";"3"', '"Politie-eenheid Limburg";"900"']
    path = statline(tmp_path / "namen.csv", TITLE_2026, {"2024": values}, extra)
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert gvb.query("select count(*), sum(aantal) from raw_politie_misdrijven where gemeente_code is not null") == [
        (23, 23 * 50)
    ]
    # the eenheid's own total is kept (Limburg's is another region's): 3 crimes are in no gemeente
    assert gvb.query("select gebied_code, aantal from raw_politie_misdrijven where gemeente_code is null") == [
        ("RE07", 1153)
    ]
    assert "3 niet aan een gemeente toe te delen" in result.output

    values["Dordrecth"] = values.pop("Dordrecht")
    result = gvb("ingest", statline(tmp_path / "typo.csv", TITLE_2026, {"2024": values}))
    assert result.exit_code == 1
    assert "Dordrecth" in result.output and "bedoelt u 'Dordrecht'" in result.output


def test_aliases_name_one_gemeente_and_never_shadow_another() -> None:
    from pipeline.reference import normalise_name

    ref = reference()
    official = {}
    for gemeente in ref.gemeenten.values():
        official.setdefault(normalise_name(gemeente.naam), set()).add(gemeente.code)
    for alias, code in ref.aliases.items():
        assert code in ref.gemeenten, alias
        assert official.get(alias, {code}) == {code}, f"alias {alias!r} would hide another gemeente"


@pytest.mark.parametrize(
    ("old", "shares"),
    [
        ("GM0788", {"GM0757": 0.150091, "GM0824": 0.406761, "GM0855": 0.100712, "GM0865": 0.342436}),  # Haaren 2021
        ("GM0457", {"GM0363": 1.0}),  # Weesp joined Amsterdam on 2022-03-24
        ("GM0693", {"GM1978": 1.0}),  # Graafstroom -> Molenwaard (2013) -> Molenlanden (2019)
        ("GM1921", {"GM1940": 1.0}),  # De Friese Meren -> De Fryske Marren (code change)
    ],
)
def test_national_successors(old: str, shares: dict[str, float]) -> None:
    assert reference().current_shares(old) == pytest.approx(shares)


def test_national_run_reproduces_every_years_total(gvb, gvb_home: Path, tmp_path: Path, monkeypatch) -> None:
    """2020 and 2021 in each year's own indeling, for all of the Netherlands: Haaren (split over
    four gemeenten in 2021) and Appingedam/Delfzijl/Loppersum (merged into Eemsdelta) included."""
    monkeypatch.setenv("GVB_REGIO", "NL")
    ref = reference()
    columns: dict[str, dict[str, str]] = {}
    for year in (2020, 2021):
        codes = sorted(ref.region_members("NL", year))
        columns[str(year)] = {ref.gemeente(c).naam: str(37 + (int(c[2:]) * 13 + year) % 4000) for c in codes}
    data = tmp_path / "data"
    own = {p: sum(int(v) for v in columns[p].values()) for p in columns}
    national = f'"Nederland";"{own["2020"] + 282}";"{own["2021"] + 282}"'  # 282 crimes in no gemeente
    statline(data / "nl.csv", "Geregistreerde misdrijven; soort misdrijf, gemeente", columns, [national])
    result = gvb("refresh", "--data", data)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2021")
    totals = dict(con.execute(
        "select period, value from indicator_values where indicator_code = 'M_TOTAAL' and level = 'eenheid'"
    ).fetchall())  # fmt: skip
    assert totals == {p: float(own[p] + 282) for p in columns}  # the police's own national total
    rest = dict(con.execute(
        "select period, value from indicator_values where indicator_code = 'M_TOTAAL' and level = 'niet toe te delen'"
    ).fetchall())  # fmt: skip
    assert rest == {"2020": 282.0, "2021": 282.0}
    gemeente = dict(con.execute(
        "select area_code, value from indicator_values where indicator_code = 'M_TOTAAL' and period = '2020' "
        "and level = 'gemeente'"
    ).fetchall())  # fmt: skip
    assert len(gemeente) == 342  # harmonised to today's indeling
    own = {ref.code_for_name(name, 2020): int(value) for name, value in columns["2020"].items()}  # per gemeente
    haaren_successors = ["GM0757", "GM0824", "GM0855", "GM0865"]  # Boxtel, Oisterwijk, Tilburg, Vught
    assert sum(gemeente[c] for c in haaren_successors) == sum(own[c] for c in haaren_successors) + own["GM0788"]
    for code in haaren_successors:  # each gets its share of Haaren, rounded (largest remainder)
        share = ref.current_shares("GM0788")[code] * own["GM0788"]
        assert abs(gemeente[code] - own[code] - share) < 1
    assert gemeente["GM1979"] == own["GM0003"] + own["GM0010"] + own["GM0024"]  # Eemsdelta


def test_source_detection_says_what_it_saw(gvb, tmp_path: Path) -> None:
    """An incident-level file without a source: the columns found and the two nearest contracts
    with what each misses, not one wrong source named as the answer."""
    path = tmp_path / "incidenten.csv"
    path.write_text("datum;gemeente;postcode;omschrijving\n2024-03-02;Dordrecht;3311;Woninginbraak\n", encoding="utf-8")
    result = gvb("ingest", path)
    assert result.exit_code == 1
    assert "onbekend formaat" in result.output and "'postcode'" in result.output
    named = [line for line in result.output.splitlines() if line.strip().startswith("- ") and "bron " in line]
    assert len(named) == 2 and all("mist" in line for line in named), result.output


def test_real_export_reconciles_with_the_police_eenheid_total(gvb, gvb_home: Path, tmp_path: Path, open_data) -> None:
    """The real 47013NED export: 23 gemeenten 98,403, the police's own 'Rotterdam (RE)' 98,405."""
    result = gvb("refresh", "--data", open_data / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv")
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2024")
    rows = dict(con.execute(
        "select level, sum(value) from indicator_values where indicator_code = 'M_TOTAAL' and period = '2024' "
        "and level <> 'district' group by all"
    ).fetchall())  # fmt: skip
    assert rows == {"gemeente": 98403.0, "eenheid": 98405.0, "niet toe te delen": 2.0}


def test_real_buurt_table_gives_every_district_a_figure(gvb, gvb_home: Path, tmp_path: Path, open_data) -> None:
    """47018NED: all 1,223 buurten of the 23 gemeenten, total crimes 2023, raw OData columns."""
    name = "politie_47018NED_totaal_misdrijven_buurt_2023_eenheid_rotterdam.csv"
    result = gvb("refresh", "--data", open_data / "crime" / name)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2023")
    districts = dict(con.execute(
        "select area_code, value from indicator_values where indicator_code = 'M_TOTAAL' and level = 'district'"
    ).fetchall())  # fmt: skip
    assert len(districts) == 6 and all(v is not None and v > 0 for v in districts.values())
    assert sum(districts.values()) == 96347  # the buurt rows (crimes without a buurt are not in them)
    assert con.execute(
        "select value from indicator_values where indicator_code = 'M_TOTAAL' and area_code = 'GM0599'"
    ).fetchall() == [(53654.0,)]


def test_own_total_of_an_eenheid_that_has_changed_since_is_not_used(gvb, tmp_path: Path) -> None:
    """RE07 in 2015 still held Leerdam and Zederik: its own total of that year is not today's eenheid."""
    ref = reference()
    values = {ref.gemeente(c).naam: "10" for c in ref.region_members("RE07", 2015)}
    extra = [f'"Rotterdam (RE)";"{10 * len(values) + 4}"']
    path = statline(
        tmp_path / "2015.csv", "Geregistreerde misdrijven; soort misdrijf, gemeente", {"2015": values}, extra
    )
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert "eigen totaal van RE07 voor 2015 niet gebruikt" in result.output
    assert gvb.query("select count(*) from raw_politie_misdrijven where gemeente_code is null") == [(0,)]


def test_own_total_of_one_code_is_not_the_total_of_a_sum_of_codes(gvb, gvb_home: Path, tmp_path: Path) -> None:
    """Woninginbraak comes with the eenheid's own total, straatroof without: high impact crime
    (a sum of codes) is the sum of its gemeenten, not the woninginbraak total."""
    data = tmp_path / "data"
    per_gemeente = sum(int(v) for v in re07_values(2023).values())
    for code_label, extra in (
        ("Diefstal/inbraak woning", [f'"Rotterdam (RE)";"{per_gemeente + 5}"']),
        ("Straatroof", []),
    ):
        path = statline(data / f"{len(extra)}.csv", TITLE_2026, {"2023": re07_values(2023)}, extra)
        path.write_text(path.read_text(encoding="utf-8").replace("Totaal misdrijven", code_label), encoding="utf-8")
    result = gvb("refresh", "--data", data)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2023")
    values = dict(con.execute(
        "select indicator_code, value from indicator_values where level = 'eenheid' and period = '2023' "
        "and indicator_code in ('M_WONINGINBRAAK', 'M_HIC')"
    ).fetchall())  # fmt: skip
    assert values == {"M_WONINGINBRAAK": per_gemeente + 5.0, "M_HIC": 2.0 * per_gemeente}


def test_own_total_of_a_sensitive_code_hides_a_small_remainder(gvb, gvb_home: Path, tmp_path: Path) -> None:
    """Zeden with 'Rotterdam (RE)' two above its gemeenten: the eenheid is the police's total, and
    the 2 in no gemeente is a small sensitive number, suppressed like a gemeente's. M_GEWELD's
    eenheid is the sum of its gemeenten (it has several codes), so zeden's eenheid minus it would
    give the 2 away: one of the two is hidden as well, and the audit finds nothing to derive."""
    from pipeline.build.disclosure.table import audit_values

    values = re07_values(2024)
    values["Dordrecht"] = "3"
    own = sum(int(v) for v in values.values())
    path = statline(tmp_path / "data" / "zeden.csv", TITLE_2026, {"2024": values}, [f'"Rotterdam (RE)";"{own + 2}"'])
    path.write_text(path.read_text(encoding="utf-8").replace("Totaal misdrijven", "Zedenmisdrijf"), encoding="utf-8")
    result = gvb("refresh", "--data", path.parent)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2024")
    shown = dict(
        con.execute(
            "select level || ' ' || indicator_code, suppressed from indicator_values "
            "where indicator_code in ('M_ZEDEN', 'M_GEWELD') and level in ('eenheid', 'niet toe te delen')"
        ).fetchall()
    )
    assert shown["niet toe te delen M_ZEDEN"] is True
    assert shown["eenheid M_ZEDEN"] or shown["eenheid M_GEWELD"]
    assert con.execute(
        "select suppressed from indicator_values where indicator_code = 'M_ZEDEN' and area_code = 'GM0505'"
    ).fetchall() == [(True,)]
    tables = [
        con.execute(f"select * from {t}").df() for t in ("indicator_values", "ref_indicator_filters", "ref_indicatoren")
    ]
    assert audit_values(*tables).failing == []


def long_83648ned(open_data: Path, path: Path) -> Path:
    """The real CBS 83648NED figures 2013-2017 (23 gemeenten and their 11 predecessors, each year in
    its own indeling) written as StatLine's long export: one row per group, year and region."""
    import csv

    source = open_data / "crime" / "cbs_83648NED_hoofdgroepen_2013_2017_eenheid_rotterdam.csv"
    lines = [
        '"Geregistreerde criminaliteit; soort misdrijf, regio"',
        '""',
        '"Soort misdrijf";"Perioden";"Regio\'s";"Geregistreerde misdrijven/Totaal geregistreerde misdrijven '
        '(aantal)";"Geregistreerde misdrijven/Geregistreerde misdrijven, relatief (%)";"Geregistreerde '
        'misdrijven/Geregistreerde misdrijven per 1000 inw. (per 1 000 inwoners)"',
    ]
    with source.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            count = row["geregistreerde_misdrijven"]
            count = str(int(float(count))) if count else "."
            relative = row["relatief_pct_van_totaal"].replace(".", ",")
            per_1000 = row["per_1000_inwoners"].replace(".", ",")
            lines.append(
                f'"{row["soort_misdrijf"]}";"{row["jaar"]}";"{row["regio"]}";"{count}";"{relative}";"{per_1000}"'
            )
    lines.append('"Bron: CBS"')
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_long_83648ned_export_is_harmonised_to_today(gvb, gvb_home: Path, tmp_path: Path, open_data) -> None:
    import csv

    path = long_83648ned(open_data, tmp_path / "data" / "83648NED.csv")
    # the real table starts in 2010, in an indeling (Anna Paulowna ...) before the reference data's
    text = path.read_text(encoding="utf-8").replace(
        '"Bron: CBS"', '"Misdrijven, totaal";"2010";"Anna Paulowna";"500";"100,0";"35,0"\n"Bron: CBS"'
    )
    path.write_text(text, encoding="utf-8")
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert "2010 overgeslagen" in result.output
    result = gvb("refresh", "--data", path.parent)
    assert result.exit_code == 0, result.output
    delivered: dict[tuple[str, str, str], int] = {}
    with (open_data / "crime" / "cbs_83648NED_hoofdgroepen_2013_2017_eenheid_rotterdam.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            if row["geregistreerde_misdrijven"]:
                delivered[(row["soort_misdrijf"], row["jaar"], row["regio"])] = int(
                    float(row["geregistreerde_misdrijven"])
                )
    con = edition_db(gvb_home, "2017")
    ref = reference()

    def value(indicator: str, area: str, year: str) -> float:
        return con.execute(
            "select value from indicator_values where indicator_code = ? and area_code = ? and period = ?",
            [indicator, area, year],
        ).fetchall()[0][0]

    total = "Misdrijven, totaal"
    for year in ("2013", "2015", "2017"):
        # Voorne aan Zee (2023) is Brielle + Hellevoetsluis + Westvoorne in every year of the table
        voorne = sum(delivered[(total, year, n)] for n in ("Brielle", "Hellevoetsluis", "Westvoorne"))
        assert value("C_TOTAAL", "GM1992", year) == voorne
        assert value("C_TOTAAL", "GM0505", year) == delivered[(total, year, "Dordrecht")]
        # the eenheid of today: the 23 gemeenten, predecessors included, exactly as CBS published them
        own = [(total, year, n) for (s, y, n) in delivered if s == total and y == year]
        current = {ref.current_code(ref.code_for_name(n, int(year))) for (_, _, n) in own}
        assert current == ref.region_members("RE07", 2026)
        assert value("C_TOTAAL", "RE07", year) == sum(delivered[k] for k in own)
    # Nissewaard before 2015 is Bernisse + Spijkenisse; a main group gets its own indicator
    assert value("C_VERMOGEN", "GM1930", "2013") == sum(
        delivered[("1 Vermogensmisdrijven", "2013", n)] for n in ("Bernisse", "Spijkenisse")
    )
    assert value("C_WAPENS", "GM0599", "2016") == delivered[("7 (Vuur)wapenmisdrijven", "2016", "Rotterdam")]


def test_incident_level_file_is_counted_per_month_gemeente_and_code(gvb, tmp_path: Path) -> None:
    path = tmp_path / "incidenten.csv"
    path.write_text(
        "datum;gemeente;postcode;omschrijving\n"
        "2024-01-03;Dordrecht;3311;Woninginbraak\n"
        "2024-01-03;Dordrecht;3311;Woninginbraak\n"
        "02-01-2024;Schiedam;3111;Poging tot woninginbraak\n"
        "2024-02-14;Capelle a/d IJssel;2901;Fietsdiefstal\n"
        "2024-03-30;Rotterdam;3011;Straatroof\n",
        encoding="utf-8",
    )
    result = gvb("ingest", path)  # without a source: says what it looks like
    assert result.exit_code == 1 and "--bron politie_misdrijven" in result.output
    result = gvb("ingest", "--bron", "politie_misdrijven", path)
    assert result.exit_code == 0, result.output
    assert "5 incidenten geteld" in result.output and "rijen 2, 3" in result.output  # the exact duplicates
    counts = dict(((p, g, s), n) for p, g, s, n in gvb.query(
        "select periode, gebied_code, soort_code, aantal from raw_politie_misdrijven"
    ))  # fmt: skip
    assert counts[("2024-01", "GM0505", "1.1.1")] == 2  # both duplicate rows count
    assert counts[("2024-01", "GM0606", "1.1.1")] == 1  # an attempt is 1.1.1 (the code includes attempts)
    assert counts[("2024-02", "GM0502", "1.2.3")] == 1
    assert counts[("2024-03", "GM0599", "1.4.6")] == 1
    # every gemeente of the region has every counted code in every month: 0 where nothing happened
    assert len(counts) == 3 * 23 * 3 and sum(counts.values()) == 5


def test_incident_file_by_postcode_and_an_unknown_label(gvb, tmp_path: Path) -> None:
    path = tmp_path / "politie_misdrijven" / "pc.csv"
    path.parent.mkdir()
    path.write_text("pleegdatum,postcode,omschrijving\n2022-05-01,3231,Mishandeling\n", encoding="utf-8")
    result = gvb("ingest", path)  # the folder says which source
    assert result.exit_code == 0, result.output
    # postcode 3231 is Brielle, which is Voorne aan Zee in the indeling (2023) of the postcode table
    assert gvb.query("select gebied_code, indeling, aantal from raw_politie_misdrijven where aantal > 0") == [
        ("GM1992", 2023, 1)
    ]
    bad = tmp_path / "politie_misdrijven" / "onbekend.csv"
    bad.write_text("pleegdatum,postcode,omschrijving\n2022-06-01,3231,Ruzie op straat\n", encoding="utf-8")
    result = gvb("ingest", bad)
    assert result.exit_code == 1
    assert "rij 2" in result.output and "Ruzie op straat" in result.output and "incident_soorten.csv" in result.output


def test_gemeente_table_and_buurt_table_of_one_period(gvb, gvb_home: Path, tmp_path: Path, open_data) -> None:
    """The real 47018NED buurten of 2023 beside a gemeente table of 2023 whose totals are higher
    (crimes without a buurt; Rotterdam 53,939 against 53,654 in its buurten): gemeenten and eenheid
    take the totals, Rotterdam's districts its buurten, and the part without a buurt is shown."""
    import csv

    buurten = open_data / "crime" / "politie_47018NED_totaal_misdrijven_buurt_2023_eenheid_rotterdam.csv"
    in_buurten: dict[str, int] = {}
    with buurten.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            in_buurten[row["gemeentecode"]] = in_buurten.get(row["gemeentecode"], 0) + int(
                row["GeregistreerdeMisdrijven_1"]
            )
    ref = reference()
    totals = {code: n + (285 if code == "GM0599" else 3) for code, n in in_buurten.items()}
    table = statline(
        tmp_path / "data" / "gemeenten_2023.csv",
        TITLE_2026,
        {"2023": {ref.gemeente(c).naam: str(n) for c, n in totals.items()}},
    )
    assert gvb("ingest", buurten).exit_code == 0
    result = gvb("ingest", table)
    assert result.exit_code == 0, result.output
    assert "vervangt" not in result.output  # the buurten stay beside the gemeente totals
    result = gvb("refresh", "--data", table.parent)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2023")
    rows = {(level, area): value for level, area, value in con.execute(
        "select level, area_code, value from indicator_values where indicator_code = 'M_TOTAAL' and period = '2023'"
    ).fetchall()}  # fmt: skip
    assert rows[("gemeente", "GM0599")] == 53939 and rows[("eenheid", "RE07")] == sum(totals.values())
    assert rows[("niet toe te delen", "GM0599-ZB")] == 285 and rows[("niet toe te delen", "GM0505-ZB")] == 3
    districts = {area: v for (level, area), v in rows.items() if level == "district"}
    assert len(districts) == 6 and all(v is not None for v in districts.values())
    # Σ districts + Rotterdam's part without a buurt = eenheid
    assert sum(districts.values()) + 285 == rows[("eenheid", "RE07")]
    zhz = [r["gebied_code"] for r in ref.district_indeling if r["district_code"] == "RE07-ZHZ"]
    assert districts["RE07-ZHZ"] == sum(totals[c] for c in zhz if c in totals)  # whole gemeenten: their totals


def test_validation_warns_when_a_deliverys_own_total_is_not_its_parts(gvb, open_data: Path) -> None:
    assert (
        gvb("ingest", open_data / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv").exit_code == 0
    )
    result = gvb("validate", "--edition", "2024")
    assert result.exit_code == 1  # a warning, not blocking
    assert "eigen totaal van de eenheid" in result.output and "waarde 2" in result.output


def test_odata_page_with_its_table_title_is_read_in_that_indeling(gvb, tmp_path: Path) -> None:
    import json

    records = [
        {
            "ID": 0,
            "SoortMisdrijf": "0.0.0 ",
            "RegioS": "GM1992    ",
            "Perioden": "2021JJ00",
            "GeregistreerdeMisdrijven_1": 812,
        }
    ]
    document = {
        "odata.metadata": "https://example.invalid/47013NED/$metadata",
        "TableInfos": {"value": [{"Identifier": "47013NED", "Title": TITLE_2026}]},
        "value": records,
    }
    path = tmp_path / "47013NED.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output  # Voorne aan Zee in 2021: fine in the indeling of 2026
    assert gvb.query("select gebied_code, indeling, aantal from raw_politie_misdrijven") == [("GM1992", 2026, 812)]


def test_long_export_for_the_whole_country_over_a_split(gvb, gvb_home: Path, tmp_path: Path, monkeypatch) -> None:
    """The long layout (as CBS 83648NED for all of the Netherlands) with Haaren in 2020, the year
    before it was split over Boxtel, Oisterwijk, Tilburg and Vught, and the national total."""
    monkeypatch.setenv("GVB_REGIO", "NL")
    ref = reference()
    lines = ['"Geregistreerde criminaliteit; soort misdrijf, regio"', "\"Soort misdrijf\";\"Perioden\";\"Regio's\";"
             '"Geregistreerde misdrijven/Totaal geregistreerde misdrijven (aantal)"']  # fmt: skip
    own: dict[str, dict[str, int]] = {}
    for year in ("2020", "2021"):
        own[year] = {c: 40 + (int(c[2:]) * 7 + int(year)) % 3000 for c in ref.region_members("NL", int(year))}
        lines += [f'"Misdrijven, totaal";"{year}";"{ref.gemeente(c).naam}";"{n}"' for c, n in own[year].items()]
        lines.append(f'"Misdrijven, totaal";"{year}";"Nederland";"{sum(own[year].values()) + 150}"')
        lines.append(f'"Misdrijven, totaal";"{year}";"Noord-Brabant (PV)";"1"')
    path = tmp_path / "data" / "83648NED_nl.csv"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + '\n"Bron: CBS"\n', encoding="utf-8")
    result = gvb("refresh", "--data", path.parent)
    assert result.exit_code == 0, result.output
    con = edition_db(gvb_home, "2021")
    values = {(a, p): v for a, p, v in con.execute(
        "select area_code, period, value from indicator_values where indicator_code = 'C_TOTAAL'"
    ).fetchall()}  # fmt: skip
    for year in own:
        assert values[("NL", year)] == sum(own[year].values()) + 150  # CBS's own national figure
        assert values[("NL-NTD", year)] == 150
    successors = ["GM0757", "GM0824", "GM0855", "GM0865"]
    assert (
        sum(values[(c, "2020")] for c in successors) == sum(own["2020"][c] for c in successors) + own["2020"]["GM0788"]
    )
