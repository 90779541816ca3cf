"""A client's mistake is a 4xx, never a 5xx: callback payloads are checked before Dash sees them,
and a path that climbs out of a folder is a 404 on every route.

Dash answers a malformed callback request (an unknown output, a dict where an id value belongs,
a string as ``clickData``, JSON nested a thousand deep) with an exception and a 500. The checks
here are structural: what any request to ``/_dash-update-component`` must look like, and what the
few properties our callbacks read (``clickData``) may hold.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Response, abort, request

log = logging.getLogger(__name__)
CALLBACK_PATH = "/_dash-update-component"
MAX_BODY = 1024 * 1024
MAX_DEPTH = 40
_SCALAR = (str, int, float, bool)


def _depth(value: Any) -> int:
    """How deep a parsed JSON value nests (iteratively: no recursion limit to hit)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _valid_id(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, _SCALAR) for k, v in value.items())
    )


def _valid_item(item: Any) -> bool:
    """One input or state: {"id": ..., "property": ..., "value": ...}, or a list of them (ALL)."""
    if isinstance(item, list):
        return all(_valid_item(i) for i in item)
    if not isinstance(item, dict) or not _valid_id(item.get("id")) or not isinstance(item.get("property"), str):
        return False
    value = item.get("value")
    if item["property"] in ("pathname", "search", "hash", "href") and not isinstance(value, str | None):
        return False  # dcc.Location's properties are text
    if item["property"] == "pathname" and value is not None and not value.startswith("/"):
        return False  # a browser's path always starts at the root
    if item["property"] == "value" and not (
        value is None
        or isinstance(value, _SCALAR)
        or (isinstance(value, list) and all(isinstance(v, _SCALAR) for v in value))
    ):
        return False  # a picker's value: one choice or a list of choices
    if item["property"] == "clickData":
        data = item.get("value")
        if data is not None:
            points = data.get("points") if isinstance(data, dict) else None
            if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
                return False
    return True


def _valid_outputs(outputs: Any) -> bool:
    items = outputs if isinstance(outputs, list) else [outputs]
    for item in items:
        if isinstance(item, list):
            if not _valid_outputs(item):
                return False
        elif not isinstance(item, dict) or not _valid_id(item.get("id")) or not isinstance(item.get("property"), str):
            return False
    return True


def _same_id(spec_id: Any, given: Any) -> bool:
    """A payload id against the callback's: equal, or for a pattern (``{"key": ["ALL"], ...}``) the
    same keys, with every key that is not a wildcard equal."""
    if isinstance(spec_id, str) and spec_id.startswith("{"):
        try:
            spec_id = json.loads(spec_id)
        except ValueError:
            return False
    if isinstance(spec_id, dict):
        if not isinstance(given, dict) or set(given) != set(spec_id):
            return False
        return all(isinstance(v, list) or given[k] == v for k, v in spec_id.items())
    return given == spec_id


def _is_pattern(spec_id: Any) -> bool:
    return isinstance(spec_id, dict) or (isinstance(spec_id, str) and spec_id.startswith("{"))


def _matches_spec(spec: list[dict[str, Any]], given: list[Any]) -> bool:
    if len(spec) != len(given):
        return False
    for want, item in zip(spec, given, strict=True):
        items = item if _is_pattern(want["id"]) else [item]
        if _is_pattern(want["id"]) and not isinstance(item, list):
            return False
        for one in items:
            if (
                not isinstance(one, dict)
                or one.get("property") != want["property"]
                or not _same_id(want["id"], one.get("id"))
            ):
                return False
    return True


def _matches_outputs(spec: Any, given: Any) -> bool:
    wanted = spec if isinstance(spec, list) else [spec]
    items = given if isinstance(spec, list) else [given]
    if not isinstance(items, list) or len(items) != len(wanted):
        return False
    for want, item in zip(wanted, items, strict=True):
        spec_id, prop = getattr(want, "component_id", None), getattr(want, "component_property", None)
        for one in item if _is_pattern(spec_id) and isinstance(item, list) else [item]:
            if not isinstance(one, dict) or not isinstance(one.get("property"), str):
                return False
            # an output that other callbacks also write carries "@<hash>" after its property
            if one["property"].split("@")[0] != prop or not _same_id(spec_id, one.get("id")):
                return False
    return True


def _refuse(message: str, check: int) -> None:
    log.info("callback-verzoek geweigerd (controle %d): %s", check, request.get_data(cache=True)[:500])
    abort(400, message)


def check_callback(callback_map: dict[str, Any]) -> Response | None:
    """Before Dash: a callback request that cannot be one of ours is a 400."""
    if request.path != CALLBACK_PATH or request.method != "POST":
        return None
    if (request.content_length or 0) > MAX_BODY:
        _refuse("Dit verzoek is te groot.", 1)
    try:
        payload = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError):
        _refuse("Dit verzoek is geen geldige JSON.", 2)
    if not isinstance(payload, dict) or _depth(payload) > MAX_DEPTH:
        _refuse("Dit verzoek heeft niet de vorm van een callback.", 3)
    output = payload.get("output")
    if not isinstance(output, str) or output not in callback_map:
        _refuse("Deze callback bestaat niet.", 4)
    inputs, state = payload.get("inputs", []), payload.get("state", [])
    if not isinstance(inputs, list) or not isinstance(state, list):
        _refuse("Dit verzoek heeft niet de vorm van een callback.", 5)
    if not all(_valid_item(i) for i in [*inputs, *state]) or not _valid_outputs(payload.get("outputs", [])):
        _refuse("Dit verzoek heeft niet de vorm van een callback.", 6)
    spec = callback_map[output]
    if not _matches_spec(spec.get("inputs", []), inputs) or not _matches_spec(spec.get("state", []), state):
        _refuse("Dit verzoek past niet bij de callback.", 7)
    if not _matches_outputs(spec.get("output"), payload.get("outputs")):
        _refuse("Dit verzoek past niet bij de callback.", 8)
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        _refuse("Dit verzoek heeft niet de vorm van een callback.", 9)
    return None


def check_path() -> Response | None:
    """``/_dash-component-suites/../../etc/passwd`` and its encoded forms are a 404 on every route."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
    for text in (request.path, raw.lower()):
        segments = text.replace("\\", "/").split("/")
        if ".." in segments or "%2e%2e" in text or "%252e" in text or "\x00" in text:
            abort(404, "Deze pagina bestaat niet.")
    return None
