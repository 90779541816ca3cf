"""The GVB dashboard: a Dash app that reads published editions read-only (see ``dashboard.app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dash

    from pipeline.kernel.config import Settings


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the app on ``settings`` (default: the environment's); Dash is imported only now."""
    from dashboard.app import create_app as build

    return build(settings)
