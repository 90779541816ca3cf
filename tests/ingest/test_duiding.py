"""Duiding (issue 16, first part): the analysts' notes are an input with lineage, edited safely with
``gvb duiding add|list|retire`` and checked like any delivery, hostile texts refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTE = [
    "--indicator", "M_CYBERCRIME", "--gebied", "alle", "--perioden", "2024-01 t/m 2025-12",
    "--tekst", "Stijging cybercrime door een registratiewijziging per 2024.", "--auteur", "A. Analist",
    "--editie", "2026H1",
]  # fmt: skip


def _add(gvb, data: Path, **changes: str):
    arguments = list(NOTE)
    for option, value in changes.items():
        arguments[arguments.index(f"--{option}") + 1] = value
    return gvb("duiding", "add", *arguments, "--data", data)


def test_notes_are_added_listed_retired_and_loaded_with_lineage(gvb, tmp_path: Path) -> None:
    data = tmp_path / "data_raw"
    assert _add(gvb, data).exit_code == 0
    result = _add(
        gvb,
        data,
        indicator="H_VERWIJZINGEN",
        gebied="GM0599",
        perioden="2025H1",
        tekst="Daling na de inzet in Feijenoord.",
    )
    assert result.exit_code == 0 and "D0002" in result.output
    path = data / "duiding" / "duiding.yaml"
    assert "registratiewijziging" in path.read_text(encoding="utf-8")

    listed = gvb("duiding", "list", "--data", data)
    assert "D0001" in listed.output and "GM0599" in listed.output and "2024-01 t/m 2025-12" in listed.output

    result = gvb("ingest", data)
    assert result.exit_code == 0, result.output
    rows = gvb.query(
        "select id, indicator_code, gebied, eerste_periode, laatste_periode, editie, ingetrokken, bron_bestand, "
        "bron_rij from raw_duiding order by id"
    )
    assert rows == [
        ("D0001", "M_CYBERCRIME", "alle", "2024-01", "2025-12", "2026H1", None, "duiding.yaml", 1),
        ("D0002", "H_VERWIJZINGEN", "GM0599", "2025H1", "2025H1", "2026H1", None, "duiding.yaml", 2),
    ]
    assert gvb.query("select bron, formaat, rijen from ingest_loads where bron = 'duiding'") == [("duiding", "yaml", 2)]
    assert "ongewijzigd" in gvb("ingest", data).output  # the same file again changes nothing

    assert gvb("duiding", "retire", "D0001", "--editie", "2027H1", "--data", data).exit_code == 0
    assert "ingetrokken: 2027H1" in path.read_text(encoding="utf-8")
    result = gvb("ingest", data)
    assert result.exit_code == 0 and "vervangt 2 eerder geladen notities" in result.output
    assert gvb.query("select id, ingetrokken from raw_duiding order by id") == [("D0001", "2027H1"), ("D0002", None)]
    status = gvb("status")
    assert "Duiding: 2 notitie(s), waarvan 1 ingetrokken (duiding.yaml, geladen" in status.output
    import json

    assert json.loads(gvb("status", "--json").output)["duiding"]["notities"] == 2


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("tekst", "<script>alert(1)</script> stijging", "HTML"),
        ("tekst", "=cmd|' /C calc'!A0", "formule"),
        ("tekst", "Stijging " + "x" * 100_000, "het maximum is 1000"),
        ("tekst", "Stijging&nbsp;cybercrime", "HTML"),
        ("auteur", "@analist", "formule"),
        ("indicator", "M_BESTAAT_NIET", "onbekende indicator"),
        ("gebied", "GM9999", "onbekend gebied"),
        ("perioden", "2025-12 t/m 2024-01", "vóór de eerste"),
        ("perioden", "ergens in 2024", "onbekende perioden"),
        ("perioden", "2099", "toekomst"),
        ("editie", "2026H2", "editie"),
    ],
)
def test_a_hostile_or_wrong_note_is_refused_with_its_field_and_nothing_is_written(
    option: str, value: str, expected: str, gvb, tmp_path: Path
) -> None:
    data = tmp_path / "data_raw"
    assert _add(gvb, data).exit_code == 0
    path = data / "duiding" / "duiding.yaml"
    before = path.read_bytes()
    result = _add(gvb, data, **{option: value})
    assert result.exit_code == 1
    assert expected in result.output and option in result.output
    assert path.read_bytes() == before


def test_a_hand_edited_file_with_a_bad_note_is_refused_whole_with_the_line(gvb, tmp_path: Path) -> None:
    path = tmp_path / "data_raw" / "duiding" / "duiding.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# duiding\n"
        "- id: D0001\n  indicator: M_TOTAAL\n  gebied: RE07\n  perioden: 2025\n  tekst: Goed.\n"
        "  auteur: A\n  datum: 2026-01-05\n  editie: 2026H1\n"
        "- id: D0001\n  indicator: M_TOTAAL\n  gebied: RE07\n  perioden: 2025\n  tekst: '+31 meldingen'\n"
        "  auteur: B\n  datum: 2026-01-05\n  editie: 2026H1\n  kleur: rood\n",
        encoding="utf-8",
    )
    result = gvb("ingest", path.parent)
    assert result.exit_code == 1
    assert "rij 10" in result.output  # the second note starts on line 10
    assert "onbekend veld kleur" in result.output
    assert gvb.query("select count(*) from raw_duiding") == [(0,)]

    path.write_text("- id: D0001\n  tekst: [niet af\n", encoding="utf-8")
    result = gvb("ingest", path.parent)
    assert result.exit_code == 1 and "geen geldige YAML op regel" in result.output
