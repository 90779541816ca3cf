"""The version of what makes the numbers: one hash over the code, models, suites and reference data."""

from __future__ import annotations

import hashlib
from pathlib import Path

CODE_ROOT = Path(__file__).resolve().parents[2]


def code_checksum() -> str:
    """One hash over the code and models that produce the numbers (pipeline, SQL, suites, reference)."""
    digest = hashlib.sha256()
    for folder, pattern in (
        ("pipeline", "*.py"),
        ("pipeline", "*.csv"),
        ("data_marts", "*.sql"),
        ("data_marts", "*.txt"),
        ("expectations", "*.json"),
    ):
        for path in sorted((CODE_ROOT / folder).rglob(pattern)):
            digest.update(str(path.relative_to(CODE_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
