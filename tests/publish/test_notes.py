"""Duiding in editions (issue 16): a note goes with every edition whose figures it explains, marked
with the edition it was written for; a retired note leaves new editions, never a published one;
the open data has the notes as a table of their own."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb


def _notes(home: Path, edition: str) -> list[tuple]:
    con = duckdb.connect(str(home / "edities" / edition / f"gvb_{edition}.duckdb"), read_only=True)
    try:
        return con.execute(
            "select note_id, indicator_code, area_code, first_period, last_period, written_for_edition, edition "
            "from notes order by note_id"
        ).fetchall()
    finally:
        con.close()


def _add(gvb, data: Path, indicator: str, area: str, periods: str, text: str, edition: str) -> None:
    result = gvb(
        "duiding", "add", "--data", data, "--indicator", indicator, "--gebied", area, "--perioden", periods,
        "--tekst", text, "--auteur", "Analist RE07", "--editie", edition,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_notes_follow_the_editions_they_explain(gvb, home: Path, tmp_path: Path) -> None:
    data = tmp_path / "data_raw"
    _add(gvb, data, "M_CYBERCRIME", "alle", "2023-01 t/m 2024-12", "Stijging door een registratiewijziging.", "2024")
    _add(gvb, data, "M_TOTAAL", "GM0363", "2024", "Over Amsterdam: niet in deze regio.", "2024")
    _add(gvb, data, "H_VERWIJZINGEN", "GM0599", "2024H1", "Daling na de inzet in Feijenoord.", "2024")
    _add(gvb, data, "M_ZEDEN", "alle", "2025H1", "Geschreven voor een latere editie.", "2025H1")
    assert gvb("ingest", data).exit_code == 0
    assert gvb("publish", "--edition", "2024").exit_code == 0
    first = _notes(home, "2024")
    assert first == [
        ("D0001", "M_CYBERCRIME", "alle", "2023-01", "2024-12", "2024", "2024"),
        ("D0003", "H_VERWIJZINGEN", "GM0599", "2024H1", "2024H1", "2024", "2024"),
    ]  # not the note on a gemeente outside the region, nor the one written for a later edition

    # the next edition: one note retired, one written for it; the published edition stays as it was
    _add(gvb, data, "M_WONINGINBRAAK", "RE07", "2025H1", "Minder inbraken na de campagne.", "2025H1")
    assert gvb("duiding", "retire", "D0003", "--editie", "2025H1", "--data", data).exit_code == 0
    assert gvb("ingest", data).exit_code == 0
    result = gvb("publish", "--edition", "2025H1")
    assert result.exit_code == 0, result.output
    assert _notes(home, "2025H1") == [
        ("D0001", "M_CYBERCRIME", "alle", "2023-01", "2024-12", "2024", "2025H1"),  # still shown, written for 2024
        ("D0004", "M_ZEDEN", "alle", "2025H1", "2025H1", "2025H1", "2025H1"),
        ("D0005", "M_WONINGINBRAAK", "RE07", "2025H1", "2025H1", "2025H1", "2025H1"),
    ]
    assert _notes(home, "2024") == first
    manifest = json.loads((home / "edities" / "2025H1" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["bestand"] for entry in manifest["invoer"] if entry["bron"] == "duiding"] == ["duiding.yaml"]

    # the open data: a table of its own, not mixed into indicator_values
    target = tmp_path / "notes.csv"
    result = gvb("export", "--edition", "2025H1", "--tabel", "notes", "--out", target)
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["note_id"] for row in rows] == ["D0001", "D0004", "D0005"]
    assert rows[2]["note_text"] == "Minder inbraken na de campagne." and rows[0]["written_for_edition"] == "2024"
    assert "onbekende tabel" in gvb("export", "--edition", "2025H1", "--tabel", "geheim").output


def test_the_reports_of_a_gemeente_carry_its_notes(gvb, home: Path, tmp_path: Path) -> None:
    """PDF and Excel, read back: the note on Rotterdam and the one on every area, with their periods,
    author and edition; not the note on Schiedam."""
    import subprocess

    import openpyxl

    data = tmp_path / "data_raw"
    _add(gvb, data, "M_WONINGINBRAAK", "GM0599", "2024-01 t/m 2025-06", "Daling na de inzet in Feijenoord.", "2025H1")
    _add(gvb, data, "M_CYBERCRIME", "alle", "2025H1", "Registratiewijziging per 2025.", "2025H1")
    _add(gvb, data, "M_TOTAAL", "GM0606", "2025H1", "Over Schiedam.", "2025H1")
    assert gvb("ingest", data).exit_code == 0
    assert gvb("publish", "--edition", "2025H1").exit_code == 0
    assert gvb("report", "--edition", "2025H1", "--gemeente", "GM0599").exit_code == 0
    folder = home / "edities" / "2025H1" / "rapporten"
    pdf = subprocess.run(["pdftotext", "-raw", str(folder / "gvb_2025H1_GM0599.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    pdf = " ".join(pdf.split())  # lines wrap where the page ends them
    assert "Duiding" in pdf and "Daling na de inzet in Feijenoord." in pdf and "Registratiewijziging per 2025." in pdf
    assert "januari 2024 t/m juni 2025" in pdf and "Analist RE07, geschreven voor editie 2025H1" in pdf
    assert "Over Schiedam." not in pdf
    workbook = openpyxl.load_workbook(folder / "gvb_2025H1_GM0599.xlsx")
    rows = [[c.value for c in row] for row in workbook["Duiding"].iter_rows(min_row=5)]
    assert rows == [
        ["Woninginbraak", "Rotterdam", "januari 2024 t/m juni 2025", "Daling na de inzet in Feijenoord.",
         "Analist RE07", "2025H1"],
        ["Cybercrime", "alle gebieden", "eerste halfjaar 2025", "Registratiewijziging per 2025.", "Analist RE07",
         "2025H1"],
    ]  # fmt: skip
    overview = [c.value for row in workbook["Overzicht"].iter_rows() for c in row if c.value]
    assert "Duiding bij de cijfers: 2 notitie(s), zie het werkblad Duiding" in overview
