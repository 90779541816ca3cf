"""Accessible HTML tables: a caption, column headers with scope, sortable by keyboard and mouse.

Sorting is done in the browser by ``assets/sortable.js`` (served locally): each header of a
sortable table is a button; numbers sort by their ``data-sort`` value, not their Dutch text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import html


@dataclass
class Column:
    label: str
    numeric: bool = False
    #: a column that does not apply to these rows (a rate where there is no denominator) is left out
    shown: bool = True


@dataclass
class Cell:
    """A cell: what is shown, the value it sorts by, and an optional explanation (title/tooltip)."""

    content: Any
    sort: float | str | None = None
    explanation: str | None = None
    #: the explanation must be reachable by keyboard too (suppressed values): a focusable span
    focusable: bool = False


def table(
    caption: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]], sortable: bool = True, id: str | None = None
) -> html.Div:
    keep = [i for i, c in enumerate(columns) if c.shown]
    if len(keep) < len(columns):
        columns = [columns[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    head = html.Tr(
        [
            html.Th(
                html.Button(c.label, className="sort-button", type="button") if sortable else c.label,
                scope="col",
                className="num" if c.numeric else None,
                **({"aria-sort": "none"} if sortable else {}),
            )
            for c in columns
        ]
    )
    body = []
    for row in rows:
        cells = []
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            cell = value if isinstance(value, Cell) else Cell(value)
            content = cell.content
            attributes = {} if cell.sort is None else {"data-sort": str(cell.sort)}
            if cell.explanation and cell.focusable:
                content = html.Span(content, title=cell.explanation, tabIndex=0, className="explained")
            elif cell.explanation:
                attributes["title"] = cell.explanation
            tag = html.Th if index == 0 else html.Td
            # on a phone each figure is shown with its column's name (see gvb.css)
            extra = {"scope": "row"} if index == 0 else {"data-label": column.label}
            cells.append(tag(content, className="num" if column.numeric else None, **attributes, **extra))
        body.append(html.Tr(cells))
    classes = "data-table sortable" if sortable else "data-table"
    kwargs = {"id": id} if id else {}
    return html.Div(
        html.Table([html.Caption(caption), html.Thead(head), html.Tbody(body)], className=classes),
        className="table-wrap",
        tabIndex=0,
        role="region",
        **{"aria-label": caption},
        **kwargs,
    )
