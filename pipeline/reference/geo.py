"""`gvb geo download`: the official gemeente boundaries (CBS via cartomap), cut to the region."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError
from pipeline.kernel.files import write_atomically
from pipeline.reference import reference

SOURCE = "https://cartomap.github.io/nl/wgs84/gemeente_{year}.geojson"


def download(settings: Settings, year: int) -> Path:
    url = SOURCE.format(year=year)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            document = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GvbError(f"kan {url} niet ophalen ({getattr(exc, 'reason', exc)}); is er internet?") from None
    except ValueError:
        raise GvbError(f"{url} gaf geen geldige GeoJSON") from None
    members = reference().region_members(settings.region, year) if settings.region != "NL" else None
    features = [
        f for f in document.get("features", []) if members is None or f.get("properties", {}).get("statcode") in members
    ]
    if not features:
        raise GvbError(f"{url} bevat geen gemeenten van regio {settings.region}")
    target = settings.home / "geo" / "gemeenten.geojson"
    return write_atomically(target, json.dumps({"type": "FeatureCollection", "features": features}))
