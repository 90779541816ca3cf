"""Every delivery format a real deployment meets is read into the same raw rows."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

CANONICAL = "periode,gebied_code,soort_code,aantal\n2024-01,WK059901,1.1.1,12\n2024-01,WK059901,0.0.0,340\n2024-02,GM0505,1.1.1,7\n"


def test_real_statline_export_gives_23_gemeenten(gvb, open_data: Path) -> None:
    path = open_data / "crime" / "politie_47013NED_totaal_misdrijven_gemeente_2024_raw.csv"
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert "Rotterdam (RE)" in result.output  # recognised as a region total, not a gemeente
    rows = gvb.query(
        "select periode, soort_code, count(*), sum(aantal) from raw_politie_misdrijven "
        "where gemeente_code is not null group by all"
    )
    assert rows == [("2024", "0.0.0", 23, 98403)]
    # the police's own eenheid total is kept beside its gemeenten
    assert gvb.query("select gebied_code, aantal from raw_politie_misdrijven where gemeente_code is null") == [
        ("RE07", 98405)
    ]
    assert gvb.query("select aantal from raw_politie_misdrijven where gebied_code = 'GM0599'") == [(54505,)]


def test_canonical_csv_with_lineage(gvb, tmp_path: Path) -> None:
    path = tmp_path / "misdrijven.csv"
    path.write_text(CANONICAL, encoding="utf-8")
    assert gvb("ingest", path).exit_code == 0
    rows = gvb.query(
        "select periode, gebied_code, gemeente_code, soort_code, aantal, bron_bestand, bron_rij, length(bron_sha256), "
        "geladen_op is not null from raw_politie_misdrijven order by bron_rij"
    )
    assert rows[0] == ("2024-01", "WK059901", "GM0599", "1.1.1", 12, "misdrijven.csv", 2, 64, True)
    assert rows[2][:5] == ("2024-02", "GM0505", "GM0505", "1.1.1", 7)


def test_odata_json_with_padded_keys(gvb, tmp_path: Path) -> None:
    path = tmp_path / "47022NED.json"
    records = [
        {"ID": 0, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": "WK059901  ", "Perioden": "2024MM03", "GeregistreerdeMisdrijven_1": 5},
        {"ID": 1, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": "NL01      ", "Perioden": "2024MM03", "GeregistreerdeMisdrijven_1": 999},
        {"ID": 2, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": "GM0505    ", "Perioden": "2024JJ00", "GeregistreerdeMisdrijven_1": None},
    ]  # fmt: skip
    path.write_text(json.dumps({"odata.metadata": "x", "value": records}), encoding="utf-8")
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert gvb.query("select periode, gebied_code, soort_code, aantal from raw_politie_misdrijven") == [
        ("2024-03", "WK059901", "1.1.1", 5)
    ]
    assert "regiototalen" in result.output and "zonder gepubliceerde waarde" in result.output


def test_odata_csv_for_incidents(gvb, tmp_path: Path) -> None:
    path = tmp_path / "47024NED.csv"
    path.write_text(
        'ID;Overlast;WijkenEnBuurten;Perioden;GeregistreerdeOverlast_1\n0;"E33   ";"WK059903  ";2025MM01;17\n',
        encoding="utf-8",
    )
    assert gvb("ingest", path).exit_code == 0
    assert gvb.query("select periode, gebied_code, soort_code, aantal from raw_politie_incidenten") == [
        ("2025-01", "WK059903", "E33", 17)
    ]


def test_partner_csv_latin1_semicolon_dutch_decimals(gvb, tmp_path: Path) -> None:
    path = tmp_path / "burgernet.csv"
    text = (
        "Periode;Gemeentecode;Gemeente;Deelnemers klassiek;Deelnemers app;Acties;Acties succesvol;Burgernet-mails;Dekking (%)\n"
        "2024-03;GM0505;Dordrecht;1.234;5.678;4;1;3;5,7\n"
        "2024-03;613;Albrandswaard;800;900;0;0;1;6,4\n"
    )
    path.write_bytes(text.encode("latin-1"))
    assert gvb("ingest", path).exit_code == 0, gvb("status").output
    rows = gvb.query(
        "select gemeente_code, deelnemers_klassiek, deelnemers_app, dekking_pct from raw_burgernet order by 1"
    )
    assert rows == [("GM0505", 1234, 5678, 5.7), ("GM0613", 800, 900, 6.4)]


def test_utf16_and_bom_are_read(gvb, tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_bytes(CANONICAL.encode("utf-16"))
    b = tmp_path / "b.csv"
    b.write_bytes(b"\xef\xbb\xbf" + CANONICAL.replace("2024-0", "2023-0").encode("utf-8"))
    result = gvb("ingest", a, b)
    assert result.exit_code == 0, result.output
    assert gvb.query("select count(*) from raw_politie_misdrijven") == [(6,)]


def test_excel_with_title_rows_and_notes_sheet(gvb, tmp_path: Path) -> None:
    path = tmp_path / "halt.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Halt-verwijzingen eerste halfjaar 2025"])
    sheet.append([])
    sheet.append(["Periode", "Gemeentecode", "Gemeente", "Delictgroep", "Leeftijd", "Geslacht", "Aantal verwijzingen"])
    sheet.append(["2025-H1", "GM0599", "Rotterdam", "Vermogen", "15-17", "Jongen", 31])
    sheet.append(["2025-H1", "GM0599", "Rotterdam", '=HYPERLINK("http://x")', "15-17", "Meisje", 2.0])
    workbook.create_sheet("Toelichting").append(["Alleen uitleg"])
    workbook.save(path)
    result = gvb("ingest", path)
    # a formula is refused, never evaluated
    assert result.exit_code == 1 and "formule" in result.output and "rij 5" in result.output
    sheet["D5"] = '\'=HYPERLINK("http://x")'  # the same text stored as text is a label, but no delict group
    sheet["D5"].data_type = "s"
    workbook.save(path)
    result = gvb("ingest", path)
    assert result.exit_code == 1 and "onbekende waarde" in result.output and "werkblad 'Sheet', rij 5" in result.output
    sheet["C5"] = '\'=HYPERLINK("http://x")'  # as a (free) gemeente name it is stored as inert text
    sheet["C5"].data_type = "s"
    sheet["D5"] = "Vermogen"
    workbook.save(path)
    assert gvb("ingest", path).exit_code == 0
    assert gvb.query("select gemeente_naam, aantal from raw_halt order by aantal") == [
        ('\'=HYPERLINK("http://x")', 2),
        ("Rotterdam", 31),
    ]


def test_survey_with_margins_and_insufficient_response(gvb, tmp_path: Path) -> None:
    path = tmp_path / "vm.csv"
    path.write_text(
        "Jaar;Gebiedcode;Gebied;Indicator;Eenheid;Waarde;Marge;Respons\n"
        "2023;GM0599;Rotterdam;VM_ONVEILIG;percentage;41,2;1,8;2500\n"
        "2023;GM0523;Hardinxveld-Giessendam;VM_ONVEILIG;percentage;.;.;64\n"
        "2023;RE07-RS;Rotterdam-Stad;VM_CIJFER_VEILIGHEID;rapportcijfer;6,8;0,07;1200\n"
        "2023;RE07;Rotterdam;VM_ONVEILIG;percentage;36,0;0,9;9000\n",
        encoding="utf-8",
    )
    assert gvb("ingest", path).exit_code == 0
    rows = gvb.query("select gebied_code, waarde, marge, respons from raw_veiligheidsmonitor order by bron_rij")
    assert rows == [
        ("GM0599", 41.2, 1.8, 2500),
        ("GM0523", None, None, 64),
        ("RE07-RS", 6.8, 0.07, 1200),
        ("RE07", 36.0, 0.9, 9000),
    ]


def test_outside_region_is_skipped_with_info(gvb, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "periode,gebied_code,soort_code,aantal\n2024-01,GM0363,1.1.1,50\n2024-01,GM0505,1.1.1,5\n", encoding="utf-8"
    )
    result = gvb("ingest", path)
    assert result.exit_code == 0 and "GM0363 Amsterdam" in result.output
    assert gvb.query("select gemeente_code from raw_politie_misdrijven") == [("GM0505",)]


def test_region_is_configuration(gvb, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GVB_REGIO", "RE05")
    path = tmp_path / "m.csv"
    path.write_text(
        "periode,gebied_code,soort_code,aantal\n2024-01,GM0363,1.1.1,50\n2024-01,GM0505,1.1.1,5\n", encoding="utf-8"
    )
    assert gvb("ingest", path).exit_code == 0
    assert gvb.query("select gemeente_code from raw_politie_misdrijven") == [("GM0363",)]
    monkeypatch.setenv("GVB_REGIO", "RE99")
    result = gvb("ingest", path)
    assert result.exit_code != 0 and "Onbekende regio" in result.output
