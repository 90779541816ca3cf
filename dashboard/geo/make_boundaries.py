"""Derive the packaged gemeente boundaries from the open data beside the project.

    python -m dashboard.geo.make_boundaries [../shared/data/open/geo/cartomap_gemeente_2023_nl_wgs84.geojson]

Reads CBS/PDOK's generalised boundaries of all gemeenten (indeling 2023, which is also the 2026
indeling; via cartomap, CC BY 4.0), keeps only what the map needs (``statcode``, ``statnaam`` and
the rings, with points that coincide after rounding dropped) and writes
``dashboard/geo/gemeenten_2023_nl.geojson`` with its source and licence in the file itself. The
dashboard draws every eenheid, and a national edition, from it offline; ``GVB_GEO`` overrides it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent.parent / "shared" / "data" / "open" / "geo" / "cartomap_gemeente_2023_nl_wgs84.geojson"
TARGET = HERE / "gemeenten_2023_nl.geojson"
ATTRIBUTION = "Bron: CBS/PDOK (cartomap), gemeentegrenzen 2023, gegeneraliseerd; licentie CC BY 4.0"
DIGITS = 3  # about 100 m: enough for a map of gemeenten


def _ring(points: list[list[float]]) -> list[list[float]]:
    kept: list[list[float]] = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not kept or kept[-1] != point:
            kept.append(point)
    if kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r) for r in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(r) for r in p] for p in geometry["coordinates"]]}
    raise ValueError(f"onbekend geometrietype {geometry['type']}")


def derive(source: Path) -> dict[str, Any]:
    document = json.loads(source.read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "properties": {"statcode": f["properties"]["statcode"], "statnaam": f["properties"]["statnaam"]},
            "geometry": _geometry(f["geometry"]),
        }
        for f in document["features"]
    ]
    features.sort(key=lambda f: f["properties"]["statcode"])
    return {"type": "FeatureCollection", "bron": ATTRIBUTION, "features": features}


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else SOURCE
    document = derive(source)
    TARGET.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(document['features'])} gemeenten geschreven naar {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
