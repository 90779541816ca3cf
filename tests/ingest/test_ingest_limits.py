"""Readers that cannot lose rows or explode (issue 12): every planted file is either read whole or
refused with a named reason, the run goes on with the other files, and nothing reaches the
terminal as a traceback."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["Periode", "Gemeentecode", "Gemeente", "Thema", "Signalen", "Casussen"]
THEMES = ["Drugs", "Mensenhandel", "Vastgoedfraude", "Witwassen", "Overig"]


def riec_rows(count: int) -> list[list]:
    codes = ["GM0505", "GM0599", "GM0606", "GM0597", "GM0613"]
    rows = []
    for i in range(count):
        year, rest = divmod(i, len(codes) * len(THEMES) * 2)
        half, rest = divmod(rest, len(codes) * len(THEMES))
        code, theme = divmod(rest, len(THEMES))
        rows.append([f"{2012 + year}H{half + 1}", codes[code], "", THEMES[theme], i % 9 + 1, i % 3])
    return rows


def good_csv(path: Path) -> Path:
    path.write_text("Periode;Gemeentecode;Thema;Signalen;Casussen\n2024H1;GM0599;Drugs;12;3\n", encoding="utf-8")
    return path


def rewrite_member(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_understated_dimension_loses_no_row(gvb, tmp_path: Path) -> None:
    path = tmp_path / "riec" / "riec.xlsx"
    path.parent.mkdir()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    rows = riec_rows(553)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:F100"', xml),
    )
    assert b'ref="A1:F100"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result = gvb("ingest", path)
    assert result.exit_code == 0, result.output
    assert gvb.query("select count(*) from raw_riec")[0][0] == len(rows)


def test_zip_bomb_is_refused_before_parsing(gvb, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GVB_MAX_UNPACKED_MB", "0.2")
    path = tmp_path / "riec" / "bom.xlsx"
    path.parent.mkdir()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in riec_rows(3000):
        workbook.active.append(row)
    workbook.save(path)
    result = gvb("ingest", path)
    assert result.exit_code == 1 and "uitgepakt" in result.output and "GVB_MAX_UNPACKED_MB" in result.output


def test_hostile_files_in_a_folder_are_each_refused_and_the_run_goes_on(gvb, gvb_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "riec"
    folder.mkdir()
    (folder / "a_breed.csv").write_text(";".join(f"k{i}" for i in range(100_000)) + "\n1;2\n", encoding="utf-8")
    (folder / "b_lange_regel.csv").write_text("Periode;Thema\n2024H1;" + "x" * 10_000_000 + "\n", encoding="utf-8")
    (folder / "c_enorm.csv").write_text(
        "Periode;Gemeentecode;Thema;Signalen;Casussen\n2024H1;GM0505;Drugs;99999999999999999999;1\n", encoding="utf-8"
    )
    entity = folder / "d_entiteit.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["2024H1", "GM0606", "", "Drugs", 4, 1])
    workbook.save(entity)
    rewrite_member(
        entity,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"<worksheet", b'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet', 1
        ).replace(b"<v>4</v>", b"<v>&e;</v>"),
    )
    good_csv(folder / "z_goed.csv")
    result = gvb("ingest", folder)
    assert result.exit_code == 1
    output = result.output
    assert "Interne fout" not in output and "root:" not in output
    assert "a_breed.csv: meer dan 1000 kolommen" in output
    assert "b_lange_regel.csv" in output and "langer dan 100000 tekens" in output
    assert "c_enorm.csv" in output and "onwaarschijnlijk groot aantal" in output
    assert "d_entiteit.xlsx: deze werkmap is" in output
    assert "1 geladen, 0 ongewijzigd, 4 geweigerd" in output
    assert gvb.query("select gemeente_code, signalen from raw_riec") == [("GM0599", 12)]
    refused = {e["bestand"] for e in json.loads((gvb_home / "afgewezen.json").read_text(encoding="utf-8"))}
    assert refused == {"a_breed.csv", "b_lange_regel.csv", "c_enorm.csv", "d_entiteit.xlsx"}


def test_unreadable_file_is_refused_and_the_others_load(gvb, tmp_path: Path, monkeypatch) -> None:
    from pipeline.ingest import load

    folder = tmp_path / "riec"
    folder.mkdir()
    (folder / "a_geheim.csv").write_text("x", encoding="utf-8")
    good_csv(folder / "b_goed.csv")
    real = load.sha256_of

    def sha256_of(path: Path) -> str:
        if path.name == "a_geheim.csv":  # tests run as root, so chmod 000 would still be readable
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(load, "sha256_of", sha256_of)
    result = gvb("ingest", folder)
    assert result.exit_code == 1 and "a_geheim.csv: geen leesrechten" in result.output
    assert "1 geladen" in result.output


def test_disk_full_is_named_and_nothing_is_half_written(gvb, tmp_path: Path, monkeypatch) -> None:
    import duckdb

    from pipeline.ingest import load

    good = good_csv(tmp_path / "riec.csv")
    before = gvb.snapshot()

    def full(*args, **kwargs):
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(load, "_mark_replaced", full)
    result = gvb("ingest", good)
    assert result.exit_code == 74 and "de schijf is vol" in result.output
    assert "no transaction is active" not in result.output and "Traceback" not in result.output
    after = gvb.snapshot()
    assert after.get("load_riec", []) == before.get("load_riec", [])


def test_symlink_given_directly_is_not_followed_and_names_are_printed_escaped(gvb, tmp_path: Path) -> None:
    link = tmp_path / "passwd.csv"
    link.symlink_to("/etc/passwd")
    result = gvb("ingest", link)
    assert result.exit_code == 1 and "symbolische koppeling" in result.output and "root:" not in result.output
    odd = tmp_path / "regel\nbreuk.csv"
    odd.write_text("geen tabel\n", encoding="utf-8")
    result = gvb("ingest", odd)
    assert result.exit_code == 1 and "regel\\nbreuk.csv" in result.output


def test_ingest_build_and_report_are_refused_while_a_refresh_holds_the_lock(gvb, tmp_path: Path) -> None:
    from pipeline.kernel.config import settings
    from pipeline.kernel.locking import exclusive

    good = good_csv(tmp_path / "riec.csv")
    with exclusive(settings(), "verversing"):
        for args in (("ingest", good), ("build", "--edition", "2024H1"), ("report", "--edition", "2024H1", "--all")):
            result = gvb(*args)
            assert result.exit_code == 3 and "er loopt al een verversing" in result.output, args
    assert gvb("ingest", good).exit_code == 0
