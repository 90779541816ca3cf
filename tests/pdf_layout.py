"""Read a PDF's words back with their positions (poppler's ``pdftotext -bbox-layout``), to test layout.

Diagonal text (the "DEMO — fictieve cijfers" watermark) is left out by ``-nodiag``: it crosses
the page on purpose.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        """Do the two boxes share more than a hairline (``slack`` points on each side)?"""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > slack
            and min(self.y1, other.y1) - max(self.y0, other.y0) > slack
        )


@dataclass
class Page:
    number: int
    height: float
    words: list[Box]
    lines: list[Box]


def pages(pdf: Path) -> list[Page]:
    xhtml = subprocess.run(
        ["pdftotext", "-nodiag", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    root = ET.fromstring(xhtml)
    result = []
    for number, page in enumerate(root.iter(f"{NS}page"), start=1):

        def box(element: ET.Element, text: str) -> Box:
            return Box(text, *(float(element.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))

        words = [box(w, w.text or "") for w in page.iter(f"{NS}word")]
        lines = [box(line, " ".join(w.text or "" for w in line.iter(f"{NS}word"))) for line in page.iter(f"{NS}line")]
        result.append(Page(number, float(page.get("height")), words, lines))
    return result


def overlapping_words(page: Page) -> list[tuple[str, str]]:
    """Pairs of words on the page that are printed over each other."""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, word in enumerate(words):
        for other in words[i + 1 :]:
            if other.y0 > word.y1:
                break
            if word.overlaps(other):
                found.append((word.text, other.text))
    return found


def last_line(page: Page, footer_from: float) -> str:
    """The text of the lowest line above the footer (the page's last line of content)."""
    body = [line for line in page.lines if line.y1 < footer_from]
    return max(body, key=lambda line: line.y1).text if body else ""
