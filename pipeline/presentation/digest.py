"""What is new for a gemeente since the previous edition, as sentences with a link each: the same
for the e-mailed digest (``pipeline.report.digest``) and the dashboard's "Nieuw in deze editie".

The callers read the frames (each from its own connection); this module only words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.presentation.dutch import period_label
from pipeline.presentation.notes import note_heading, note_source

#: the four kinds of news, in order, with their headings
KINDS = {
    "opvallend": "Opvallende ontwikkelingen",
    "herzien": "Herziene cijfers",
    "significantie": "Nu wel of niet meer significant",
    "duiding": "Nieuwe duiding",
}
#: the columns of indicator_values the significance comparison reads
FIGURE_COLUMNS = ("level", "area_code", "period", "indicator_code", "indicator_label", "significant", "change_label")
#: the columns of revisions the digest reads
REVISION_COLUMNS = ("indicator_code", "indicator_label", "period", "previous_display_value", "display_value")


@dataclass(frozen=True)
class Item:
    kind: str  # a key of KINDS
    text: str
    #: the query of the link into the gemeente's page (editie, periode, indicator) and an anchor
    query: tuple[tuple[str, str], ...]
    anchor: str = ""


def news(
    edition: str,
    notable: list[str],
    revised: pd.DataFrame,
    now: pd.DataFrame,
    then: pd.DataFrame | None,
    notes: pd.DataFrame | None,
    known_notes: set[str],
    area_names: dict[str, str],
) -> list[Item]:
    """The items in the order of KINDS. ``then``: the previous edition's figures (None without one);
    ``notes``: this edition's notes on the gemeente; ``known_notes``: the previous edition's note ids."""
    items = [Item("opvallend", sentence, (("editie", edition),)) for sentence in notable]
    for r in revised.sort_values(["indicator_code", "period"]).to_dict("records"):
        text = f"{r['indicator_label']}, {period_label(r['period'])}: was {r['previous_display_value']}, nu {r['display_value']}"
        items.append(Item("herzien", text, _query(edition, r)))
    if then is not None:
        keys = ["level", "area_code", "period", "indicator_code"]
        both = now.assign(significant=now["significant"].fillna(False).astype(bool)).merge(
            then.assign(significant=then["significant"].fillna(False).astype(bool))[[*keys, "significant"]],
            on=keys,
            suffixes=("", "_before"),
        )
        both = both[both["significant"] != both["significant_before"]].sort_values(["indicator_code", "period"])
        for r in both.to_dict("records"):
            where = f"{r['indicator_label']}, {period_label(r['period'])}"
            text = (
                f"{where}: nu significant ({r['change_label']})"
                if r["significant"]
                else f"{where}: niet meer significant"
            )
            items.append(Item("significantie", text, _query(edition, r)))
    if notes is not None:
        for note in notes.to_dict("records"):
            if note["note_id"] in known_notes:
                continue
            text = f"{note_heading(note, area_names)}: {note['note_text']} ({note_source(note)})"
            shown = (("editie", edition), ("periode", _page_period(note["last_period"], edition)))
            items.append(Item("duiding", text, shown, f"duiding-{note['note_id']}"))
    return items


def _page_period(period: str, edition: str) -> str:
    """The period a page shows a note with: its last one as a half-year or year, at most the edition's."""
    from pipeline.kernel.periods import parse_period

    if len(period) == 7:  # a month: its half-year
        period = f"{period[:4]}H{1 if int(period[5:]) <= 6 else 2}"
    last, end = parse_period(period), parse_period(edition)
    return edition if last is None or end is None or last.end > end.end else period


def _query(edition: str, row: dict) -> tuple[tuple[str, str], ...]:
    return (("editie", edition), ("periode", str(row["period"])), ("indicator", str(row["indicator_code"])))


def link(item: Item, gemeente: str, base: str = "", path: Callable[[str], str] | None = None) -> str:
    """The item's link: ``base`` + the gemeente's page (``path``, else ``/gemeente/<code>``) + query."""
    from urllib.parse import urlencode

    page = path(gemeente) if path else f"/gemeente/{gemeente}"
    return f"{base}{page}?{urlencode(item.query)}" + (f"#{item.anchor}" if item.anchor else "")
