"""What the URL says: edition, period, gemeente(n), indicator, thema, kaart — checked before use.

A page's whole state is in its URL, so a copied link reopens the same view. Anything a user can
type there is checked against what the edition holds: an unknown code is a 404, a malformed value
a 400 (``BadRequest``), never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard import data
from pipeline.kernel.edition import EDITION_PATTERN
from pipeline.presentation.wording import THEMES

MAX_PARAMETER = 200
THEME_SLUGS = {name.replace(" ", "-"): name for name in THEMES}
KNOWN_PARAMETERS = {"editie", "periode", "indicator", "gemeenten", "kaart", "thema"}
MAPS = ("tegels", "geografisch")
DEFAULT_INDICATOR = "M_WONINGINBRAAK"
_SAFE = re.compile(r"^[A-Za-z0-9_,\-]*$")


#: the heading of an error page or panel, per HTTP status
ERROR_TITLES = {400: "Dit adres klopt niet", 404: "Niet gevonden", 500: "Er ging iets mis"}


class BadRequest(Exception):
    """The URL is malformed (HTTP 400)."""

    status = 400

    def explain(self) -> str:
        return f"Het adres is ongeldig: {self}."


class NotFound(Exception):
    """The URL names something the edition does not have (HTTP 404)."""

    status = 404

    def explain(self) -> str:
        return f"Niet gevonden: {self}."


@dataclass
class ViewState:
    edition: data.Edition
    period: str
    indicator: str
    gemeenten: list[str] = field(default_factory=list)
    kaart: str = "tegels"
    thema: str | None = None

    def query(self, **changes: Any) -> str:
        """The query string of this state (with ``changes``), for links that keep the view."""
        values = {
            "editie": self.edition.code,
            "periode": self.period,
            "indicator": self.indicator,
            "kaart": self.kaart,
        }
        values.update({k: v for k, v in changes.items() if v is not None})
        return "?" + "&".join(f"{k}={v}" for k, v in values.items())


def _text(parameters: Mapping[str, Any], name: str) -> str | None:
    value = parameters.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        value = value[-1]
    value = str(value)
    if len(value) > MAX_PARAMETER or not _SAFE.fullmatch(value):
        raise BadRequest(f"de waarde van '{name}' is ongeldig")
    return value


def check_parameters(parameters: Mapping[str, Any]) -> None:
    """Only known parameters, each short and plain."""
    for name in parameters:
        if name not in KNOWN_PARAMETERS:
            raise BadRequest(f"onbekende parameter '{str(name)[:40]}'")
        _text(parameters, name)


def resolve(parameters: Mapping[str, Any], gemeente: str | None = None) -> ViewState:
    """The view a URL asks for, with defaults for what it leaves out."""
    check_parameters(parameters)
    code = _text(parameters, "editie")
    if code is not None and not EDITION_PATTERN.fullmatch(code):
        raise BadRequest("een editie heet bijvoorbeeld 2025H1 of 2024")
    edition = data.edition(code)
    if edition is None:
        raise NotFound(f"editie {code} is niet gepubliceerd" if code else "er is nog geen editie gepubliceerd")
    period = _text(parameters, "periode") or edition.code
    if not data.PERIOD_PATTERN.fullmatch(period):
        raise BadRequest("een periode heet bijvoorbeeld 2025H1 of 2024")
    if period not in data.periods(edition):
        raise NotFound(f"periode {period} staat niet in editie {edition.code}")
    # the Veiligheidsmonitor's indicators are chosen on its theme page
    available = data.indicators(edition)["indicator_code"].tolist()
    surveyed = data.survey_indicators(edition)["indicator_code"].tolist()
    if not available:
        raise NotFound(f"editie {edition.code} heeft geen cijfers")
    # an edition from one real police table may hold only 'misdrijven totaal'
    indicator = _text(parameters, "indicator") or (
        DEFAULT_INDICATOR if DEFAULT_INDICATOR in available else available[0]
    )
    if indicator not in available and indicator not in surveyed:
        raise NotFound(f"indicator {indicator} is onbekend")
    known = set(data.gemeenten(edition)["area_code"])
    codes = [c for c in (_text(parameters, "gemeenten") or "").split(",") if c]
    if gemeente is not None:
        codes = [gemeente]
    for c in codes:
        if not data.GEMEENTE_PATTERN.fullmatch(c):
            raise BadRequest("een gemeentecode heet bijvoorbeeld GM0505")
        if c not in known:
            raise NotFound(f"gemeente {c} hoort niet bij deze editie")
    kaart = _text(parameters, "kaart") or "tegels"
    if kaart not in MAPS:
        raise BadRequest("kaart is 'tegels' of 'geografisch'")
    thema = _text(parameters, "thema")
    if thema is not None and thema not in THEME_SLUGS:
        raise NotFound(f"thema {thema} bestaat niet")
    return ViewState(edition, period, indicator, list(dict.fromkeys(codes)), kaart, THEME_SLUGS.get(thema or ""))
