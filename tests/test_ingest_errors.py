"""Bad input: a clear message naming file, row, column and rule; exit != 0; store untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

H = "periode,gebied_code,soort_code,aantal\n"
PARTNER = "Periode;Gemeentecode;Gemeente;Thema;Signalen;Casussen\n"

CASES = {
    # name: (file name, content, expected fragments)
    "unknown_format": ("x.csv", "naam,leeftijd\nPiet,4\n", ["onbekend formaat", "'naam'"]),
    "missing_column": (
        "x.csv",
        "periode,gebied_code,aantal\n2024-01,GM0505,4\n",
        ["verplichte kolom ontbreekt: soort_code"],
    ),
    "extra_column": (
        "x.csv",
        "periode,gebied_code,soort_code,aantal,opmerking\n2024-01,GM0505,1.1.1,4,x\n",
        ["onbekende of dubbele kolom 'opmerking'"],
    ),
    "unknown_gemeente": (
        "x.csv",
        H + "2024-01,GM0505,1.1.1,4\n2024-01,GM4321,1.1.1,4\n",
        ["rij 3, kolom 'gebied_code': onbekende gemeentecode", "GM4321"],
    ),
    "predecessor_after_merger": (
        "x.csv",
        H + "2023-05,GM0501,1.1.1,4\n",
        ["rij 2", "GM0501 (Brielle) bestond in 2023 niet meer: opgegaan in GM1992 (Voorne aan Zee)"],
    ),
    "successor_before_merger": (
        "x.csv",
        H + "2018-05,GM1963,1.1.1,4\n",
        ["GM1963 (Hoeksche Waard) bestond in 2018 nog niet"],
    ),
    "text_count": ("x.csv", H + "2024-01,GM0505,1.1.1,veel\n", ["rij 2, kolom 'aantal': geen getal", "'veel'"]),
    "negative_count": ("x.csv", H + "2024-01,GM0505,1.1.1,-4\n", ["kolom 'aantal': negatief aantal"]),
    "fractional_count": ("x.csv", H + "2024-01,GM0505,1.1.1,4.5\n", ["kolom 'aantal': geen geheel getal"]),
    "duplicate_key": (
        "x.csv",
        H + "2024-01,GM0505,1.1.1,4\n2024-01,GM0505,1.1.1,5\n",
        ["rij 3", "dubbele sleutel", "zelfde als rij 2"],
    ),
    "empty_file": ("x.csv", "", ["het bestand is leeg"]),
    "header_only": ("x.csv", H, ["alleen een kopregel"]),
    "unknown_crime_code": ("x.csv", H + "2024-01,GM0505,9.9.9,4\n", ["kolom 'soort_code': onbekende code"]),
    "future_period": ("x.csv", H + "2027-01,GM0505,1.1.1,4\n", ["kolom 'periode': periode ligt in de toekomst"]),
    "bad_period": ("x.csv", H + "januari,GM0505,1.1.1,4\n", ["kolom 'periode': onbekende periode"]),
    "rollup_mixed_with_parts": (
        "x.csv",
        H + "2024-01,GM0599,1.1.1,40\n2024-01,WK059901,1.1.1,4\n",
        ["rij 2", "totaal en de delen ervan"],
    ),
    "ragged_row": (
        "x.csv",
        H + "2024-01,GM0505,1.1.1,4\n2024-01,GM0505,1.2.1,4,9,9\n",
        ["rij 3", "velden in plaats van 4"],
    ),
    "binary_garbage": ("x.csv", bytes(range(256)) * 40, ["geen tekstbestand"]),
    "corrupt_excel": ("x.xlsx", b"PK\x03\x04 this is not really a zip archive", ["werkmap is beschadigd"]),
    "excel_named_text": ("x.xlsx", "Periode;Gemeentecode\n", ["werkmap is beschadigd of geen Excel-bestand"]),
    "legacy_or_encrypted_excel": (
        "x.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ["wachtwoord beveiligd of in het oude .xls-formaat"],
    ),
    "partner_wrong_period_kind": (
        "riec.csv",
        PARTNER + "2024-03;GM0505;Dordrecht;Drugs;3;1\n",
        ["periode is een maand; bron riec levert per halfjaar"],
    ),
    "partner_empty_required": (
        "riec.csv",
        PARTNER + "2024-H1;GM0505;Dordrecht;;3;1\n",
        ["kolom 'thema': verplicht veld is leeg"],
    ),
    "wrong_folder": (
        "halt/x.csv",
        H + "2024-01,GM0505,1.1.1,4\n",
        ["kolommen kloppen niet met het formaat van bron halt"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_cleanly(case: str, gvb, tmp_path: Path) -> None:
    name, content, fragments = CASES[case]
    # a store with something in it, so "unchanged" is a real check
    seed = tmp_path / "seed.csv"
    seed.write_text(H + "2024-01,GM0599,1.1.1,1\n", encoding="utf-8")
    assert gvb("ingest", seed).exit_code == 0
    before = gvb.snapshot()
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = gvb("ingest", path)
    assert result.exit_code == 1, result.output
    assert path.name in result.output
    for fragment in fragments:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"
    assert "Traceback" not in result.output and "Interne fout" not in result.output
    assert gvb.snapshot() == before


def test_size_limit_refuses_before_reading(gvb, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GVB_MAX_FILE_MB", "0.01")
    path = tmp_path / "big.csv"
    path.write_text(H + "2024-01,GM0505,1.1.1,4\n" * 2000, encoding="utf-8")
    result = gvb("ingest", path)
    assert result.exit_code == 1 and "groter dan de grens" in result.output
    assert all(rows == [] for rows in gvb.snapshot().values())


def test_statline_with_unknown_gemeente_name(gvb, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        '"Geregistreerde misdrijven; soort misdrijf, gemeente"\n"Soort misdrijf: Totaal misdrijven"\n""\n'
        '"Onderwerp";"Geregistreerde misdrijven"\n"Perioden";"2024"\n"Regio\'s";"aantal"\n'
        '"Dordrecht";"100"\n"Atlantis";"5"\n"Brielle";"7"\n"Bron: Politie"\n',
        encoding="utf-8",
    )
    result = gvb("ingest", path)
    assert result.exit_code == 1
    assert "rij 8, kolom 'Regio's': onbekende gemeente" in result.output and "Atlantis" in result.output
    assert "rij 9" in result.output and "'Brielle' bestond niet in 2024" in result.output
