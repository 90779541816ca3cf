"""The GVB dashboard: a Dash app that reads published editions read-only (see ``dashboard.app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dash


def create_app() -> dash.Dash:
    """Build the app (Dash is imported only when an app is asked for)."""
    from dashboard.app import create_app as build

    return build()
