"""`gvb report`: PDF, Excel and CSV per gemeente, opened back and compared with the mart."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from pdf_layout import last_line, overlapping_words, pages
from PIL import Image, ImageStat
from pypdf import PdfReader

EDITION = "2025H1"


def mart(home: Path, sql: str, *params: object) -> pd.DataFrame:
    con = duckdb.connect(str(home / "edities" / EDITION / f"gvb_{EDITION}.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.fixture(scope="session")
def planted_home(loaded_home: Path, demo_dir: Path, tmp_path_factory: pytest.TempPathFactory, run_gvb_in) -> Path:
    """The demo store with Dordrecht's Halt vuurwerk in 2025H1 corrected to 3 (a re-delivery of the
    Halt file), a formula as a label, and the reports: Excel and CSV of every gemeente, all formats
    of the three whose reports the tests read (a PDF costs seconds; the loop is the same)."""
    home = tmp_path_factory.mktemp("planted") / "home"
    shutil.copytree(loaded_home, home)
    raw = tmp_path_factory.mktemp("planted_raw")
    halt = raw / "demo_halt_verwijzingen_2025.csv"
    lines = [line for line in (demo_dir / "halt" / halt.name).read_text(encoding="utf-8").splitlines()
             if not line.startswith("2025-H1;GM0505;Dordrecht;Vuurwerk;")]  # fmt: skip
    lines.append("2025-H1;GM0505;Dordrecht;Vuurwerk;15-17;Jongen;3")
    halt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_gvb_in(home, "ingest", "--bron", "halt", str(halt))
    run_gvb_in(home, "publish", "--edition", EDITION)
    # a label that a spreadsheet would evaluate, planted in the published mart itself
    database = home / "edities" / EDITION / f"gvb_{EDITION}.duckdb"
    con = duckdb.connect(str(database))
    con.execute("""update indicator_values set indicator_label = '=HYPERLINK("http://x")'
                   where indicator_code = 'M_ZAKKENROLLERIJ'""")  # fmt: skip
    con.close()
    for extension in ("xlsx", "csv"):
        run_gvb_in(home, "report", "--edition", EDITION, "--all", "--format", extension)
    run_gvb_in(home, "report", "--edition", EDITION, *[a for g in READ for a in ("--gemeente", g)])
    return home


#: the gemeenten whose reports the tests read (Dordrecht with the planted 3, Rotterdam split over districts)
READ = ("GM0505", "GM0599", "GM0606")


def report(home: Path, gemeente: str, extension: str) -> Path:
    return home / "edities" / EDITION / "rapporten" / f"gvb_{EDITION}_{gemeente}.{extension}"


def test_every_gemeente_gets_every_format(planted_home: Path) -> None:
    gemeenten = mart(planted_home, "select distinct area_code from indicator_values where level = 'gemeente'")
    for code in gemeenten["area_code"]:
        for extension in ("pdf", "xlsx", "csv") if code in READ else ("xlsx", "csv"):
            assert report(planted_home, code, extension).stat().st_size > 1000, (code, extension)
    assert len(gemeenten) == 23
    assert not list((planted_home / "edities" / EDITION / "rapporten").glob(".*tmp"))


def test_pdf_names_gemeente_edition_checksum_and_the_marts_figures(planted_home: Path) -> None:
    path = report(planted_home, "GM0505", "pdf")
    text = pdf_text(path)
    manifest = json.loads((planted_home / "edities" / EDITION / "manifest.json").read_text(encoding="utf-8"))
    checksum = manifest["data_checksums"]["indicator_values"][:16]
    assert "Dordrecht" in text and "GVB eerste halfjaar 2025" in text and checksum in text
    figures = mart(planted_home, "select indicator_label, display_value from indicator_values where area_code = "
                   "'GM0505' and period = ? and indicator_code in ('M_WONINGINBRAAK', 'M_FIETSDIEFSTAL', "
                   "'M_VERNIELING', 'M_WINKELDIEFSTAL', 'I_GELUID')", EDITION)  # fmt: skip
    for label, shown in figures.itertuples(index=False):
        assert re.search(rf"{re.escape(label)}\s+{re.escape(shown)}\s", text), (label, shown)
    pages = len(PdfReader(path).pages)
    assert pages >= 5
    for page in range(1, pages + 1):  # the edition and the checksum are in every page's footer
        footer = pdf_text(path, page)
        assert f"editie {EDITION}" in footer and checksum in footer and f"pagina {page} van {pages}" in footer


def test_pdf_is_tagged_dutch_and_marked_as_demo(planted_home: Path) -> None:
    reader = PdfReader(report(planted_home, "GM0505", "pdf"))
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "nl"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert "DEMO — fictieve cijfers" in pdf_text(report(planted_home, "GM0505", "pdf"), 1)


def test_pdf_pages_render_to_non_blank_images(planted_home: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(report(planted_home, "GM0599", "pdf")), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) >= 5
    for image in images:
        stats = ImageStat.Stat(Image.open(image).convert("L"))
        assert stats.stddev[0] > 5, image.name  # text and lines, not an empty page


@pytest.mark.parametrize("gemeente", ["GM0505", "GM0599", "GM0606"])
def test_pdf_words_never_overprint_and_no_heading_ends_a_page(planted_home: Path, gemeente: str) -> None:
    """Every page read back word by word with its position: no two words printed over each other,
    and no page ends on a heading whose text follows on the next page."""
    path = report(planted_home, gemeente, "pdf")
    headings = set(re.findall(r"<h[1-3]>(.*?)</h[1-3]>", _document_html(planted_home, gemeente)))
    assert {"Kerncijfers per thema", "Misdrijven", "Toelichting"} <= headings
    for page in pages(path):
        assert overlapping_words(page) == [], (gemeente, page.number)
        footer = page.height - 22 * 72 / 25.4  # the bottom margin holds only the footer
        assert last_line(page, footer) not in headings, (gemeente, page.number)


def _document_html(home: Path, gemeente: str) -> str:
    from html import unescape

    from pipeline.report import pdf
    from pipeline.report.content import EditionReader

    with EditionReader(home / "edities" / EDITION / f"gvb_{EDITION}.duckdb") as reader:
        return unescape(pdf.document(reader.report(gemeente), None))


def test_burgernetdekking_reads_the_same_in_every_output(planted_home: Path) -> None:
    """A percentage: the same value and unit everywhere, its change in percentage points, its target."""
    row = mart(planted_home, "select * from indicator_values where area_code = 'GM0505' and period = ? "
               "and indicator_code = 'B_DEKKING'", EDITION).iloc[0]  # fmt: skip
    assert row.unit == "percentage" and pd.isna(row.change_pct) and pd.notna(row.change_abs)
    value = f"{row.display_value} %"  # e.g. "10,6 %"
    points = f"{'+' if row.change_abs > 0 else '−' if row.change_abs < 0 else ''}{abs(row.change_abs):.1f}".replace(
        ".", ","
    )
    text = re.sub(r"\s+", " ", pdf_text(report(planted_home, "GM0505", "pdf")))
    assert f"Burgernetdekking {value} (streefwaarde 10 %) " in text and f"{points} procentpunt" in text
    sheet = openpyxl.load_workbook(report(planted_home, "GM0505", "xlsx"))["Burgernet"]
    header = [c.value for c in sheet[4]]
    cells = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "Burgernetdekking")
    assert cells[1].value == pytest.approx(row.value) and cells[1].number_format == "#,##0.0"
    difference = cells[header.index("Verschil")]
    assert difference.value == pytest.approx(row.change_abs) and '" pp"' in difference.number_format
    assert cells[header.index("Verandering (%)")].value == "zie verschil"
    assert cells[header.index("Streefwaarde")].value == 10
    lines = list(csv.reader(io.StringIO(report(planted_home, "GM0505", "csv").read_text("utf-8-sig")), delimiter=";"))
    found = next(dict(zip(lines[1], r, strict=True)) for r in lines[2:] if r[1] == "B_DEKKING" and r[3] == EDITION)
    assert found["Waarde"] == value and found["Verandering (%)"] == "" and found["Streefwaarde"] == "10"
    assert found["Verschil (bij een percentage: procentpunten)"] == points.replace("+", "").replace("−", "-")


def test_no_output_states_a_range_for_a_hidden_figure(planted_home: Path) -> None:
    for extension in ("csv", "pdf"):
        for path in (planted_home / "edities" / EDITION / "rapporten").glob(f"*.{extension}"):
            text = pdf_text(path) if extension == "pdf" else path.read_text("utf-8-sig")
            assert not re.search(r"<\s*5|&lt;\s*5|kleiner dan 5", text), path.name
    for path in (planted_home / "edities" / EDITION / "rapporten").glob("*.xlsx"):
        workbook = openpyxl.load_workbook(path)
        values = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None}
        assert not any(re.search(r"<\s*5", v) for v in values), path.name


def test_excel_has_the_sheets_values_and_formats(planted_home: Path) -> None:
    workbook = openpyxl.load_workbook(report(planted_home, "GM0505", "xlsx"))
    assert workbook.sheetnames[0] == "Overzicht" and workbook.sheetnames[-1] == "Definities"
    assert {"Misdrijven", "Overlast en incidenten", "Jeugd (Halt)", "Burgernet", "Veiligheidsmonitor"} <= set(
        workbook.sheetnames
    )
    assert all(len(name) < 31 for name in workbook.sheetnames)  # none cut off by Excel's limit of 31
    sheet = workbook["Misdrijven"]
    assert sheet.freeze_panes == "B5"
    assert sheet["A4"].value == "Indicator" and sheet["A4"].font.bold
    header = [c.value for c in sheet[4]]
    assert "Per 1.000 inwoners" in header and "Per 1.000" not in header  # a rate names its denominator
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    expected = mart(planted_home, "select value, rate_per_1000 from indicator_values where area_code = 'GM0505' "
                    "and period = ? and indicator_code = 'M_WONINGINBRAAK'", EDITION).iloc[0]  # fmt: skip
    woninginbraak = rows["Woninginbraak"]
    assert woninginbraak[1].value == expected.value and woninginbraak[1].number_format == "#,##0"
    rate = woninginbraak[header.index("Per 1.000 inwoners")]
    assert rate.value == pytest.approx(expected.rate_per_1000) and rate.number_format == "#,##0.00"
    halt = [c.value for c in workbook["Jeugd (Halt)"][4]]
    assert "Per 1.000 jongeren van 12–17 jaar" in halt
    # the time series: every period of the edition, not only its own
    periods = {r[1].value for r in workbook["Tijdreeks"].iter_rows(min_row=5) if r[0].value == "Woninginbraak"}
    assert {"eerste halfjaar 2025", "2024", "eerste halfjaar 2019"} <= periods


def test_planted_three_is_shown_as_less_than_five_in_every_format(planted_home: Path) -> None:
    cell = mart(planted_home, "select * from indicator_values where area_code = 'GM0505' and period = ? "
                "and indicator_code = 'H_VUURWERK'", EDITION).iloc[0]  # fmt: skip
    assert cell.suppressed and pd.isna(cell.value) and cell.display_value == "afgeschermd"
    sheet = openpyxl.load_workbook(report(planted_home, "GM0505", "xlsx"))["Jeugd (Halt)"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "Halt-verwijzingen vuurwerk")
    assert row[1].value == "afgeschermd" and row[1].comment is not None and "Afgeschermd" in row[1].comment.text
    assert [c.value for c in row[2:8]] == [None] * 6  # nothing to derive it from
    text = report(planted_home, "GM0505", "csv").read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    rows = [dict(zip(lines[1], r, strict=True)) for r in lines[2:]]
    csv_row = next(r for r in rows if r["Indicatorcode"] == "H_VUURWERK" and r["Periode"] == EDITION)
    assert csv_row["Waarde"] == "afgeschermd"
    assert [csv_row[c] for c in ("Per 1.000", "Een jaar eerder", "Verschil (bij een percentage: procentpunten)",
                                 "Verandering (%)", "Oordeel", "Gemiddelde 3 jaar ervoor")] == [""] * 6  # fmt: skip
    assert re.search(r"Halt-verwijzingen\s+vuurwerk\s+afgeschermd\s", pdf_text(report(planted_home, "GM0505", "pdf")))
    # the 3 itself is in none of them
    assert 3 not in [c.value for c in row] and "3" not in csv_row.values()


def test_formula_labels_come_out_inert(planted_home: Path) -> None:
    sheet = openpyxl.load_workbook(report(planted_home, "GM0505", "xlsx"))["Misdrijven"]
    labels = [r[0] for r in sheet.iter_rows(min_row=5) if r[0].value and "HYPERLINK" in str(r[0].value)]
    assert labels and all(c.value.startswith("'=") and c.data_type == "s" for c in labels)
    text = report(planted_home, "GM0505", "csv").read_text(encoding="utf-8-sig")
    assert ';\'=HYPERLINK(""http://x"");' in text or ';"\'=HYPERLINK(""http://x"")";' in text
    assert '=HYPERLINK("http://x")' in pdf_text(report(planted_home, "GM0505", "pdf"))  # shown as text


def test_csv_opens_with_dutch_settings(planted_home: Path) -> None:
    path = report(planted_home, "GM0505", "csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, sep=";", decimal=",", skiprows=1, encoding="utf-8-sig", dtype={"Waarde": str})
    assert {"Indicator", "Periode", "Waarde", "Per 1.000", "Per 1.000 van", "Lege cellen"} <= set(frame.columns)
    # which year's inhabitants a rate divides by (issue 17): here each year's own count
    rated = frame[frame["Per 1.000"].notna()]
    assert (rated["Inwoners geteld op 1 januari"] == rated["Periode"].astype(str).str[:4].astype(int)).all()
    assert frame["Per 1.000"].dropna().map(lambda v: isinstance(v, float)).all()  # numbers stay numbers
    # every period of the edition, and every empty figure of a shown row says why
    assert {EDITION, "2024", "2019H1"} <= set(frame["Periode"].astype(str))
    shown = frame[frame["Afgeschermd"] == "nee"]
    assert (shown["Per 1.000"].notna() | shown["Lege cellen"].str.contains("Per 1.000: ", na=False)).all()
    shown = mart(planted_home, "select display_value from indicator_values where area_code = 'GM0505' and period = ? "
                 "and indicator_code = 'M_TOTAAL'", EDITION).display_value[0]  # fmt: skip
    this = frame[(frame["Indicatorcode"] == "M_TOTAAL") & (frame["Periode"].astype(str) == EDITION)]
    assert this["Waarde"].iloc[0] == shown


def test_dashboard_serves_the_generated_reports(dash_app, planted_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GVB_HOME", str(planted_home))
    client = dash_app.server.test_client()
    for extension, content_type in (("pdf", "application/pdf"), ("xlsx", "application/vnd.openxmlformats")):
        response = client.get(f"/download/{EDITION}/GM0505.{extension}")
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(content_type)
        assert f"gvb_{EDITION}_GM0505.{extension}" in response.headers["Content-Disposition"]
        assert response.data == report(planted_home, "GM0505", extension).read_bytes()


def test_unknown_gemeente_or_missing_choice_is_a_clear_error(published_home: Path, gvb, tmp_path: Path) -> None:
    shutil.copytree(published_home, gvb.home)
    result = gvb("report", "--edition", EDITION, "--gemeente", "GM9999")
    assert result.exit_code != 0 and "GM9999 hoort niet bij editie 2025H1" in result.output
    result = gvb("report", "--edition", EDITION)
    assert result.exit_code != 0 and "--gemeente" in result.output
    result = gvb("report", "--edition", "2099H1", "--all")
    assert result.exit_code != 0 and "gvb publish" in result.output


def test_without_chromium_report_says_so_at_once(published_home: Path, tmp_path: Path) -> None:
    """A fresh machine without Chromium: one Dutch sentence with the fix, a quick non-zero exit, no
    traceback and no half-made report (kaleido itself would print its traceback and hang)."""
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    env = {k: v for k, v in os.environ.items() if k != "BROWSER_PATH"} | {"GVB_HOME": str(home), "PATH": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "report", "--edition", EDITION, "--all"],
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0 and time.monotonic() - started < 30
    message = result.stdout + result.stderr
    assert "Chromium" in message and "apt-get install chromium" in message and "Traceback" not in message
    assert not list((home / "edities" / EDITION).glob("rapporten/*"))
    # Excel and CSV need no browser
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "report", "--edition", EDITION, "--gemeente",
                             "GM0505", "--format", "xlsx"], env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_publishing_an_edition_again_removes_its_old_reports(published_home: Path, gvb) -> None:
    shutil.copytree(published_home, gvb.home)
    assert gvb("report", "--edition", EDITION, "--gemeente", "GM0505", "--format", "csv").exit_code == 0
    assert report(gvb.home, "GM0505", "csv").is_file()
    assert gvb("publish", "--edition", EDITION).exit_code == 0
    assert not report(gvb.home, "GM0505", "csv").exists()  # its numbers were the old publication's


def test_open_data_csv_neutralises_formulas_too(dash_app, planted_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("GVB_HOME", str(planted_home))
    text = dash_app.server.test_client().get(f"/download/{EDITION}/indicator_values.csv").get_data(as_text=True)
    labels = [line.split(";")[8] for line in text.splitlines() if ";M_ZAKKENROLLERIJ;" in line]
    assert labels and all(label.startswith("\"'=HYPERLINK") for label in labels)
    # in its own process: this one holds the edition open for the dashboard, with other settings
    subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--edition", EDITION, "--out",
                    str(planted_home / "iv.csv")], check=True, env={**os.environ, "GVB_HOME": str(planted_home)})  # fmt: skip
    exported = (planted_home / "iv.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in exported and ",=HYPERLINK" not in exported and ',"=HYPERLINK' not in exported


def test_an_edition_from_before_a_new_mart_column_still_gives_reports_and_open_data(gvb, published: Path,
                                                                                   tmp_path: Path) -> None:  # fmt: skip
    """`rate_population_year` came with issue 17: an edition published before it reads that column as
    empty in the reports, the press release and the export, instead of failing."""
    import duckdb

    database = published / "edities" / "2025H1" / "gvb_2025H1.duckdb"
    con = duckdb.connect(str(database))
    try:
        con.execute("alter table indicator_values drop column rate_population_year")
    finally:
        con.close()
    result = gvb("report", "--edition", "2025H1", "--gemeente", "GM0599", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert gvb("persbericht", "--edition", "2025H1", "--format", "md", "--out", tmp_path / "p.md").exit_code == 0
    target = tmp_path / "iv.csv"
    result = gvb("export", "--edition", "2025H1", "--out", target)
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["rate_population_year"] for row in rows} == {""} and len(rows) > 1000
