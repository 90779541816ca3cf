"""Two maps of an indicator per gemeente.

- **Tegelkaart** (always available): one equal tile per gemeente, laid out roughly as the map
  (``dashboard/geo/tegels_RE07.csv``, hand-designed), because Rotterdam and Albrandswaard differ
  a hundredfold in area. Each tile is a plain link to the gemeente's page: keyboard and screen
  readers use it like any link.
- **Geografische kaart**: the real boundaries from the GeoJSON that ``GVB_GEO`` points to, drawn
  with ``choropleth_map`` on a blank background (no tiles are fetched; works offline).
"""

from __future__ import annotations

import csv
import functools
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import urls
from dashboard.components.charts import GRAPH_CONFIG, base_layout
from pipeline.kernel.config import settings
from pipeline.presentation.dutch import rate

TILES = Path(__file__).resolve().parent.parent / "geo" / "tegels_RE07.csv"
#: five classes of viridis (colour-blind safe, light to dark) with a readable text colour each
CLASSES = (
    ("#fde725", "#1a1a1a"),
    ("#5ec962", "#1a1a1a"),
    ("#21918c", "#1a1a1a"),
    ("#3b528b", "#ffffff"),
    ("#440154", "#ffffff"),
)


@functools.lru_cache(maxsize=1)
def _hand_laid() -> dict[str, tuple[int, int, str]]:
    with TILES.open(encoding="utf-8", newline="") as fh:
        return {r["gemeente_code"]: (int(r["rij"]), int(r["kolom"]), r["afkorting"]) for r in csv.DictReader(fh)}


def tile_layout(gemeenten: tuple[tuple[str, str], ...] = ()) -> dict[str, tuple[int, int, str]]:
    """Row, column and abbreviation per gemeente: the hand-laid RE07 layout when it covers them all,
    else one made from the boundaries (any eenheid, or the whole country)."""
    hand = _hand_laid()
    if not gemeenten or all(code in hand for code, _ in gemeenten):
        return hand
    return _generated(gemeenten)


def _centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    rings = geometry.get("coordinates", [])
    if geometry.get("type") == "MultiPolygon":
        rings = [ring for polygon in rings for ring in polygon]
    points = [p for ring in rings[:1] + rings[1:] for p in ring]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _abbreviations(names: dict[str, str]) -> dict[str, str]:
    """Three letters per gemeente (``DOR``), unique within the map (``DEN``, ``DE2`` ...)."""
    taken: set[str] = set()
    result = {}
    for code, name in sorted(names.items(), key=lambda item: item[1]):
        letters = "".join(ch for ch in name.upper() if ch.isalpha()) or code[2:]
        short = letters[:3]
        index = 2
        while short in taken:
            short = f"{letters[:2]}{index}"
            index += 1
        taken.add(short)
        result[code] = short
    return result


@functools.lru_cache(maxsize=8)
def _generated(gemeenten: tuple[tuple[str, str], ...]) -> dict[str, tuple[int, int, str]]:
    """A tile layout from the gemeenten's centres: scaled onto a grid about as wide as the region,
    each gemeente in the free cell nearest to where it lies (north at the top)."""
    shapes = geojson() or {}
    centres = {}
    for feature in shapes.get("features", []):
        code = feature.get("properties", {}).get("statcode")
        if code in dict(gemeenten):
            centre = _centroid(feature.get("geometry") or {})
            if centre:
                centres[code] = centre
    names = dict(gemeenten)
    if not centres:  # no boundaries at all: alphabetical rows
        columns = max(1, math.ceil(math.sqrt(len(names))))
        order = sorted(names, key=names.get)
        return {c: (i // columns, i % columns, _abbreviations(names)[c]) for i, c in enumerate(order)}
    lons = [c[0] for c in centres.values()]
    lats = [c[1] for c in centres.values()]
    width = max(max(lons) - min(lons), 1e-6) * math.cos(math.radians(sum(lats) / len(lats)))
    height = max(max(lats) - min(lats), 1e-6)
    columns = max(3, math.ceil(math.sqrt(len(centres) * width / height) * 1.3))
    rows = max(3, math.ceil(len(centres) / columns * 1.7))
    taken: dict[tuple[int, int], str] = {}
    short = _abbreviations(names)
    # in a fixed order (by code), each gemeente takes the free cell nearest to where it lies
    for code, (lon, lat) in sorted(centres.items(), key=lambda item: item[0]):
        want = (
            round((max(lats) - lat) / height * (rows - 1)),
            round((lon - min(lons)) / (max(lons) - min(lons) or 1) * (columns - 1)),
        )
        cell = min(
            ((r, c) for r in range(rows + 4) for c in range(columns + 4) if (r, c) not in taken),
            key=lambda rc: (rc[0] - want[0]) ** 2 + (rc[1] - want[1]) ** 2,
        )
        taken[cell] = code
    return {code: (r, c, short[code]) for (r, c), code in taken.items()}


def _as_shown(value: float) -> float:
    """A rate as the reader sees it (two decimals below 1, else one): equal shown values get one class."""
    return round(value, 2 if abs(value) < 1 else 1)


def classes(values: pd.Series) -> tuple[pd.Series, list[float]]:
    """Quintile class (0–4) per value, and the class limits; missing values get no class. Classes are
    made on the values as shown, so two tiles that read the same never get two colours."""
    known = values.dropna().map(_as_shown)
    if known.empty:
        return pd.Series(pd.NA, index=values.index), []
    limits = sorted({_as_shown(float(known.quantile(q))) for q in (0.2, 0.4, 0.6, 0.8)})
    result = values.apply(lambda v: pd.NA if pd.isna(v) else sum(_as_shown(v) > limit for limit in limits))
    return result, limits


def legend(limits: list[float], unit: str) -> html.Ul:
    """One line per class, with limits that do not overlap: "t/m 0,37", "meer dan 0,37 t/m 0,50"."""
    bounds = [None, *limits, None]
    items = []
    for index in range(len(limits) + 1):
        low, high = bounds[index], bounds[index + 1]
        text = (
            f"t/m {rate(high)}"
            if low is None
            else f"meer dan {rate(low)}"
            if high is None
            else f"meer dan {rate(low)} t/m {rate(high)}"
        )
        background = CLASSES[min(index, len(CLASSES) - 1)][0]
        items.append(html.Li([html.Span(className="swatch", style={"background": background}), text]))
    items.append(html.Li([html.Span(className="swatch swatch-none"), "geen cijfer of afgeschermd"]))
    return html.Ul(items, className="map-legend", **{"aria-label": f"Legenda ({unit})"})


def tile_map(frame: pd.DataFrame, measure: str, unit: str, query: str, title: str) -> html.Div:
    """``frame``: one row per gemeente with ``area_code``, ``area_name``, ``display_value`` and ``measure``."""
    layout = tile_layout(tuple(zip(frame["area_code"], frame["area_name"], strict=True)))
    klass, limits = classes(frame[measure].astype("float64"))
    rows = max(r for r, _, _ in layout.values()) + 1
    columns = max(c for _, c, _ in layout.values()) + 1
    # many gemeenten (a national map): small tiles with the abbreviation only; the figure is in the
    # tile's name for screen readers, in its title on hover, and in the ranking beside the map
    dense = len(frame) > 60
    tiles, keys = [], []
    for (_, row), k in zip(frame.iterrows(), klass, strict=True):
        position = layout.get(row["area_code"])
        if position is None:
            continue
        r, c, short = position
        shown = rate(row[measure]) if pd.notna(row[measure]) else str(row["display_value"] or "geen cijfer")
        if pd.isna(k):
            background, foreground, extra = "#f2f2f2", "#1a1a1a", " tile-none"
        else:
            background, foreground = CLASSES[int(k)]
            extra = ""
        # the link's name is its own text (what is seen is what is read: WCAG 2.5.3), the gemeente's
        # full name and the unit only for screen readers; the abbreviations are listed under the map
        tiles.append(
            html.A(
                [
                    html.Span(short, className="tile-code", **{"aria-hidden": "true"}),
                    html.Span(f"{row['area_name']}: ", className="visually-hidden"),
                    html.Span(shown, className="tile-value" + (" visually-hidden" if dense else "")),
                    html.Span(f" ({unit})", className="visually-hidden"),
                ],
                href=urls.gemeente(row["area_code"], query),
                className="tile" + extra,
                title=f"{row['area_name']}: {shown} ({unit})",
                style={"gridRow": r + 1, "gridColumn": c + 1, "background": background, "color": foreground},
            )
        )
        keys.append((short, str(row["area_name"])))
    return html.Div(
        [
            html.H3(title, className="map-title"),
            html.Nav(
                tiles,
                className="tile-map" + (" dense" if dense else ""),
                style={
                    "gridTemplateColumns": f"repeat({columns}, minmax(0, 1fr))",
                    "gridTemplateRows": f"repeat({rows}, minmax(0, 1fr))",
                    "aspectRatio": f"{columns} / {rows}",
                },
                **{"aria-label": f"Tegelkaart: {title}"},
            ),
            legend(limits, unit),
            html.P(
                "Afkortingen: " + ", ".join(f"{short} {name}" for short, name in sorted(keys)) + ".",
                className="muted tile-key",
            ),
        ],
        className="map-block",
    )


#: generalised boundaries of every gemeente (indeling 2023 = 2026), shipped with the package
#: (made by ``python -m dashboard.geo.make_boundaries``; Bron: CBS/PDOK (cartomap), CC BY 4.0)
PACKAGED_GEO = Path(__file__).resolve().parent.parent / "geo" / "gemeenten_2023_nl.geojson"
ATTRIBUTION = "Kaart: CBS/PDOK (cartomap), CC BY 4.0"


def geo_path() -> Path | None:
    """The boundaries to draw: an override from the settings (``GVB_GEO``, or what ``gvb geo
    download`` saved), else the packaged ones."""
    path = settings().geo_override or PACKAGED_GEO
    return path if path.is_file() else None


@functools.lru_cache(maxsize=4)
def _geojson(path: Path, mtime: float) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def geojson() -> dict[str, Any] | None:
    path = geo_path()
    if path is None:
        return None
    try:
        return _geojson(path, path.stat().st_mtime)
    except (OSError, ValueError):
        return None


def choropleth(frame: pd.DataFrame, measure: str, unit: str, title: str) -> go.Figure | None:
    """The real boundaries, coloured by ``measure``; ``None`` when no boundaries are configured."""
    shapes = geojson()
    if shapes is None:
        return None
    codes = {f["properties"].get("statcode") for f in shapes.get("features", [])}
    shown = frame[frame["area_code"].isin(codes)]
    fig = go.Figure(
        go.Choroplethmap(
            geojson=shapes,
            featureidkey="properties.statcode",
            locations=shown["area_code"],
            z=shown[measure].astype("float64"),
            customdata=shown[["area_name", "display_value"]].to_numpy(),
            colorscale="Viridis",
            reversescale=True,
            marker={"line": {"color": "#ffffff", "width": 1}},
            colorbar={"title": {"text": unit}, "thickness": 12},
            hovertemplate="%{customdata[0]}: %{z:,.2f}<extra></extra>",
        )
    )
    center, zoom = _view({"features": [f for f in shapes.get("features", []) if f["properties"].get("statcode") in
                                       set(shown["area_code"])]})  # fmt: skip
    fig.update_layout(map={"style": "white-bg", "center": center, "zoom": zoom})
    fig = base_layout(fig, title, height=460)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0})
    return fig


def _view(shapes: dict[str, Any], width_px: int = 330) -> tuple[dict[str, float], float]:
    """Centre and zoom that show every boundary in a map of about ``width_px`` pixels wide."""
    points: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list) and len(node) == 2 and all(isinstance(v, int | float) for v in node):
            points.append((float(node[0]), float(node[1])))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for feature in shapes.get("features", []):
        walk((feature.get("geometry") or {}).get("coordinates", []))
    if not points:
        return {"lat": 51.85, "lon": 4.5}, 8.0
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.6, 0.01)
    zoom = min(11.0, math.log2(360 * width_px / (512 * span)))
    return {"lat": (min(lats) + max(lats)) / 2, "lon": (min(lons) + max(lons)) / 2}, round(zoom, 2)


def choropleth_graph(fig: go.Figure, graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=fig, config=GRAPH_CONFIG, className="chart geo-map")
