"""The analysts' duiding beside the figures: a link at the indicator, the notes in a list below."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from pipeline.presentation.notes import note_heading, note_source


def anchor(note_id: str) -> str:
    return f"duiding-{note_id}"


def note_links(notes: pd.DataFrame, indicator_code: str, label: str) -> list[Any]:
    """Links from an indicator to its notes ("duiding", read aloud with the indicator's name)."""
    own = notes[notes["indicator_code"] == indicator_code]
    return [
        html.A(
            ["duiding", html.Span(f" bij {label}", className="visually-hidden")],
            href=f"#{anchor(note_id)}",
            className="note-link",
        )
        for note_id in own["note_id"]
    ]


def with_note_links(label: str, notes: pd.DataFrame, indicator_code: str) -> Any:
    """An indicator's name, followed by a link to each note on it (the name alone without notes)."""
    links = note_links(notes, indicator_code, label)
    return html.Span([label, *(part for link in links for part in (" ", link))]) if links else label


def notes_section(notes: pd.DataFrame, area_names: dict[str, str]) -> html.Section | None:
    """Every note, with what it is about, for which periods, by whom and for which edition."""
    if notes.empty:
        return None
    items = [
        html.Li(
            [
                html.Strong(f"{note_heading(note, area_names)}: "),
                note["note_text"],
                html.Span(f" — {note_source(note)}", className="note-source"),
            ],
            id=anchor(note["note_id"]),
            tabIndex=-1,
        )
        for note in notes.to_dict("records")
    ]
    return html.Section(
        [
            html.H2("Duiding"),
            html.P("Toelichting van de analisten bij cijfers van deze pagina."),
            html.Ul(items, className="notes"),
        ],
        id="duiding",
    )
