"""Spreadsheet formula injection: text that a spreadsheet would run is made inert.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe (OWASP's advice), so Excel and LibreOffice show it as text instead of evaluating it.
Numbers are never touched: only text goes through here.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value
