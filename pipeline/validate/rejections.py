"""The list of delivered files that were refused, kept beside the store (never inside it, so a
refused file leaves the store exactly as it was). `gvb status` and `gvb validate` report them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError
from pipeline.kernel.files import write_atomically

FILE_NAME = "afgewezen.json"


def _path(settings: Settings) -> Path:
    return settings.home / FILE_NAME


def load(settings: Settings) -> list[dict[str, Any]]:
    path = _path(settings)
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return data if isinstance(data, list) else []


def record(settings: Settings, refused: list[tuple[Path, str | None, GvbError]], accepted: list[Path]) -> None:
    """Add refused files, forget files that have since been loaded (matched on their full path)."""
    entries = {e["pad"]: e for e in load(settings)}
    for path in accepted:
        entries.pop(str(path.resolve()), None)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for path, source, error in refused:
        entries[str(path.resolve())] = {
            "bestand": path.name,
            "pad": str(path.resolve()),
            "bron": source,
            "afgewezen_op": now,
            "melding": error.message,
            "problemen": [
                {
                    "regel": p.rule,
                    "melding": p.message,
                    "werkblad": p.sheet,
                    "rij": p.row,
                    "kolom": p.column,
                    "waarde": p.value,
                }
                for p in error.problems[:20]
            ],
        }
    settings.home.mkdir(parents=True, exist_ok=True)
    write_atomically(
        _path(settings), json.dumps(sorted(entries.values(), key=lambda e: e["pad"]), ensure_ascii=False, indent=2)
    )
