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


def test_notes_follow_the_editions_they_explain(gvb, news: Path, tmp_path: Path) -> None:
    """The notes of conftest's two editions: D0002 is on Amsterdam (not in the region), D0004 was
    written for 2025H1, D0003 was retired for 2025H1."""
    first = _notes(news, "2024")
    assert first == [
        ("D0001", "M_CYBERCRIME", "alle", "2023-01", "2024-12", "2024", "2024"),
        ("D0003", "H_VERWIJZINGEN", "GM0599", "2024H1", "2024H1", "2024", "2024"),
    ]  # not the note on a gemeente outside the region, nor the one written for a later edition
    assert _notes(news, "2025H1") == [
        ("D0001", "M_CYBERCRIME", "alle", "2023-01", "2024-12", "2024", "2025H1"),  # still shown, written for 2024
        ("D0004", "M_ZEDEN", "alle", "2025H1", "2025H1", "2025H1", "2025H1"),
        ("D0005", "M_WONINGINBRAAK", "RE07", "2025H1", "2025H1", "2025H1", "2025H1"),
        ("D0006", "M_WONINGINBRAAK", "GM0505", "2024H1", "2024H1", "2025H1", "2025H1"),
        ("D0007", "M_WONINGINBRAAK", "GM0599", "2024-01", "2025-06", "2025H1", "2025H1"),
        ("D0008", "M_CYBERCRIME", "alle", "2025H1", "2025H1", "2025H1", "2025H1"),
        ("D0009", "M_TOTAAL", "GM0606", "2025H1", "2025H1", "2025H1", "2025H1"),
        ("D0010", "M_TOTAAL", "alle", "2020", "2021", "2025H1", "2025H1"),
    ]  # D0003 retired; the published 2024 still has it
    manifest = json.loads((news / "edities" / "2025H1" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["bestand"] for entry in manifest["invoer"] if entry["bron"] == "duiding"] == ["duiding.yaml"]

    # the open data: a table of its own, not mixed into indicator_values
    target = tmp_path / "notes.csv"
    result = gvb("export", "--edition", "2025H1", "--tabel", "notes", "--out", target)
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["note_id"] for row in rows] == [f"D{n:04d}" for n in (1, 4, 5, 6, 7, 8, 9, 10)]
    assert rows[2]["note_text"] == "Campagne in de hele eenheid." and rows[0]["written_for_edition"] == "2024"
    assert "onbekende tabel" in gvb("export", "--edition", "2025H1", "--tabel", "geheim").output


def test_the_reports_of_a_gemeente_carry_its_notes(gvb, news: Path) -> None:
    """PDF and Excel, read back: the notes on Rotterdam and those on every area, with their periods,
    author and edition; not the notes on Schiedam, Dordrecht or the eenheid (conftest's two editions)."""
    import subprocess

    import openpyxl

    assert gvb("report", "--edition", "2025H1", "--gemeente", "GM0599").exit_code == 0
    folder = news / "edities" / "2025H1" / "rapporten"
    pdf = subprocess.run(["pdftotext", "-raw", str(folder / "gvb_2025H1_GM0599.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    pdf = " ".join(pdf.split())  # lines wrap where the page ends them
    assert "Duiding" in pdf and "Daling na de inzet in Feijenoord." in pdf and "Registratiewijziging per 2025." in pdf
    assert "januari 2024 t/m juni 2025" in pdf and "Analist RE07, geschreven voor editie 2025H1" in pdf
    assert "Over Schiedam." not in pdf and "Campagne in de hele eenheid." not in pdf and "Sterrenburg" not in pdf
    workbook = openpyxl.load_workbook(folder / "gvb_2025H1_GM0599.xlsx")
    rows = [[c.value for c in row] for row in workbook["Duiding"].iter_rows(min_row=5)]
    # not the retired D0003, the eenheid's D0005, Dordrecht's D0006 nor Schiedam's D0009
    assert rows == [
        ["Cybercrime", "alle gebieden", "januari 2023 t/m december 2024", "Stijging door een registratiewijziging.",
         "Analist RE07", "2024"],
        ["Zedenmisdrijven", "alle gebieden", "eerste halfjaar 2025", "Geschreven voor een latere editie.",
         "Analist RE07", "2025H1"],
        ["Woninginbraak", "Rotterdam", "januari 2024 t/m juni 2025", "Daling na de inzet in Feijenoord.",
         "Analist RE07", "2025H1"],
        ["Cybercrime", "alle gebieden", "eerste halfjaar 2025", "Registratiewijziging per 2025.", "Analist RE07",
         "2025H1"],
        ["Misdrijven totaal", "alle gebieden", "2020 t/m 2021", "Coronajaren.", "Analist RE07", "2025H1"],
    ]  # fmt: skip
    overview = [c.value for row in workbook["Overzicht"].iter_rows() for c in row if c.value]
    assert "Duiding bij de cijfers: 5 notitie(s), zie het werkblad Duiding" in overview
