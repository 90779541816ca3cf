"""Bad input beyond the corpus (tests/corpus): size limit by configuration, StatLine name errors."""

from __future__ import annotations

from pathlib import Path

H = "periode,gebied_code,soort_code,aantal\n"


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
