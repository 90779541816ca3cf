"""`gvb digest` (issue 16): what is new for a gemeente since the previous published edition."""

from __future__ import annotations

import re
from pathlib import Path


def test_the_digest_lists_the_planted_revision_significance_and_note(gvb, news: Path, tmp_path: Path) -> None:
    """conftest's two editions: between them a re-delivery (Dordrecht, one wijk, March 2024: 18
    burglaries became 90) and a note on Dordrecht written for 2025H1."""
    result = gvb("digest", "--edition", "2025H1", "--gemeente", "GM0505")
    assert result.exit_code == 0, result.output
    text = result.output
    sections = dict(re.findall(r"## ([^\n]+)\n(.*?)(?=\n## |\Z)", text, re.S))
    revised = sections["Herziene cijfers"]
    assert "Woninginbraak, eerste halfjaar 2024: was" in revised and "Woninginbraak, 2024: was" in revised
    # exactly the planted change: woninginbraak and the sum it is part of, in the periods holding March 2024
    revised_figures = {line.split(": was")[0] for line in revised.splitlines() if line.startswith("- ")}
    assert revised_figures == {
        "- Woninginbraak, eerste halfjaar 2024", "- Woninginbraak, 2024",
        "- High impact crime, eerste halfjaar 2024", "- High impact crime, 2024",
    }, revised  # fmt: skip
    assert "was 92, nu 164" in revised  # 18 burglaries in that wijk became 90
    assert "Woninginbraak, eerste halfjaar 2024: nu significant" in sections["Nu wel of niet meer significant"]
    assert "Een inbrekersbende in Sterrenburg." in sections["Nieuwe duiding"]
    assert "http://127.0.0.1:8050/gemeente/GM0505?editie=2025H1&periode=2024H1&indicator=M_WONINGINBRAAK" in text
    assert "sinds editie 2024" in text and "DEMO" in text

    # e-mail-ready HTML for every gemeente: no scripts, no remote images, only inline styles
    out = tmp_path / "nieuw"
    result = gvb("digest", "--edition", "2025H1", "--all", "--format", "html", "--out", out)
    assert result.exit_code == 0, result.output
    pages = sorted(out.glob("nieuw_2025H1_GM*.html"))
    assert len(pages) > 10
    page = (out / "nieuw_2025H1_GM0505.html").read_text(encoding="utf-8")
    assert "Een inbrekersbende in Sterrenburg." in page
    for forbidden in ("<script", "<img", "<link", "<style", "http://cdn", "https://"):
        assert forbidden not in page.lower()
    other = (out / "nieuw_2025H1_GM0599.html").read_text(encoding="utf-8")
    assert "Sterrenburg" not in other
