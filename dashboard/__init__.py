"""The GVB dashboard: a Dash app that reads published editions read-only (see ``dashboard.app``)."""

from __future__ import annotations


def create_app():
    from dashboard.app import create_app as build

    return build()
