"""Every address of the dashboard, in one place: the page paths and the links that are built.

Pages register their path from here, and every link to a gemeente, a download or a view is made
here, so a path is written once.
"""

from __future__ import annotations

OVERZICHT = "/"
GEMEENTE = "/gemeente/<code>"
VERGELIJKEN = "/vergelijken"
THEMAS = "/themas"
DOWNLOADS = "/downloads"
TOELICHTING = "/toelichting"
DATAKWALITEIT = "/datakwaliteit"
NIET_GEVONDEN = "/404"
#: the main menu, in this order
NAVIGATION = (OVERZICHT, VERGELIJKEN, THEMAS, DOWNLOADS, TOELICHTING, DATAKWALITEIT)
#: served by Flask routes, not by pages
DOWNLOAD = "/download/"
DATA_DOCS = "/data-docs/"


def gemeente(code: str, query: str = "") -> str:
    """A gemeente's page, keeping the view (``query`` starts with "?" or is empty)."""
    return GEMEENTE.replace("<code>", code) + query


def page(path: str, query: str = "") -> str:
    """A page with a view: ``page(THEMAS, "?thema=jeugd")``."""
    return path + query


def download(edition: str, name: str) -> str:
    """A file of an edition: ``GM0505.pdf``, ``GM0505.csv``, ``indicator_values.csv``."""
    return f"{DOWNLOAD}{edition}/{name}"
