"""`gvb persbericht` (issue 16): a real Word file, read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import duckdb
from docx import Document


def test_the_press_release_opens_in_word_with_the_eenheid_total_and_the_notable_sentences(
    gvb, published: Path, tmp_path: Path
) -> None:
    target = tmp_path / "persbericht.docx"
    result = gvb("persbericht", "--edition", "2025H1", "--out", target)
    assert result.exit_code == 0, result.output
    document = Document(str(target))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    con = duckdb.connect(str(published / "edities" / "2025H1" / "gvb_2025H1.duckdb"), read_only=True)
    try:
        total = con.execute(
            "select display_value from indicator_values where area_code = 'RE07' and period = '2025H1' "
            "and indicator_code = 'M_TOTAAL'"
        ).fetchall()[0][0]
        checksum = con.execute("select manifest_json from manifest").fetchall()[0][0]
    finally:
        con.close()
    assert document.paragraphs[0].text.startswith(f"{total} geregistreerde misdrijven in politie-eenheid Rotterdam")
    assert "fictief" in text  # a demo edition says so in the text itself
    from pipeline.kernel.config import settings
    from pipeline.report.press import make_press_release

    release = make_press_release(settings(), "2025H1")
    assert release.notable and all(sentence in text for sentence in release.notable)
    assert 3 <= len(release.notable) <= 5
    assert "Noot voor de redactie" in text and release.checksum in text and release.checksum in checksum
    assert "Misdrijven totaal:" in text  # its definition
    markdown = tmp_path / "persbericht.md"
    assert gvb("persbericht", "--edition", "2025H1", "--format", "md", "--out", markdown).exit_code == 0
    assert markdown.read_text(encoding="utf-8").startswith(f"# {total} geregistreerde misdrijven")
