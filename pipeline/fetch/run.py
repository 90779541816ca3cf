"""Follow a table's pages to the end and put them, with their manifest, where ingest looks.

The pages go to a hidden folder beside the target (``.<naam>.deel``, which ingest never reads),
each page and the progress written whole as it comes. Only when the last page is in does the
folder get its manifest and take the target's place, so a fetch that fails leaves nothing
half-written where ingest looks; the next fetch of the same request goes on from the pages kept.
An unchanged table (same modified date, same request) is not fetched again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pipeline.fetch.feed import Feed, FetchError, NoNetwork
from pipeline.fetch.manifest import MANIFEST, MARK, read_manifest
from pipeline.fetch.tables import Request
from pipeline.kernel.files import write_atomically
from pipeline.kernel.locking import exclusive_at

PROGRESS = "voortgang.json"


@dataclass
class Fetched:
    folder: Path
    status: str  # opgehaald | ongewijzigd
    table: str
    title: str
    modified: str
    rows: int = 0
    pages: int = 0
    resumed: int = 0  # pages kept from an interrupted fetch
    replaced: bool = False  # an earlier fetch of the table was in the folder


#: how a table's explanation states the area division all its years are given in ("Cijfers worden
#: gepresenteerd volgens de nieuwe buurtindeling van 2024", 47018NED/47022NED)
_STATED_INDELING = re.compile(r"\b(?:buurt|wijk|gemeentelijke |gebieds)?indeling\s+(?:van\s+)?(\d{4})\b", re.IGNORECASE)


def stated_indeling(info: dict) -> int | None:
    """The indeling a table's TableInfos says it gives every year in, if it says one."""
    for key in ("ExplanatoryText", "ShortDescription", "Description", "Title"):
        match = _STATED_INDELING.search(str(info.get(key) or ""))
        if match:
            return int(match.group(1))
    return None


def _info(feed: Feed, table: str) -> tuple[dict, list[str]]:
    """The table's TableInfos (title, modified date, explanation) and its column keys (DataProperties)."""
    infos = _metadata(feed, table, "TableInfos")
    values = infos.get("value")
    if not isinstance(values, list) or not values or not isinstance(values[0], dict):
        raise FetchError(f"de feed kent tabel {table} niet (TableInfos zonder inhoud)")
    info = values[0]
    if not str(info.get("Modified") or ""):
        raise FetchError(f"TableInfos van {table} noemt geen wijzigingsdatum (Modified)")
    properties = _metadata(feed, table, "DataProperties")
    keys = [str(p.get("Key", "")).strip() for p in properties.get("value", []) if isinstance(p, dict)]
    return info, keys


def _metadata(feed: Feed, table: str, name: str) -> dict:
    try:
        return feed.get(f"{feed.base}/{table}/{name}?$format=json")[1]
    except NoNetwork:
        raise
    except FetchError as exc:
        raise FetchError(f"{name} van {table}: {exc}") from None


def _check_columns(table: str, columns: list[str], keys: list[str]) -> None:
    missing = [c for c in columns if c != "ID" and c not in keys]
    if missing:
        offered = ", ".join(k for k in keys if k.endswith(tuple("0123456789"))) or ", ".join(keys[:10])
        raise FetchError(
            f"tabel {table} heeft de kolom {', '.join(missing)} niet (meer); de feed biedt {offered or 'niets'}. "
            "De tabel is veranderd: gvb moet worden aangepast voordat deze tabel wordt ingelezen. Er is niets "
            "opgehaald of geschreven"
        )


def fetch_table(
    feed: Feed,
    table: str,
    requests: list[Request],
    target: Path,
    description: dict,
    progress: Callable[[int, int], None] | None = None,
) -> Fetched:
    """Fetch ``requests`` of ``table`` into the folder ``target`` (see the module's docstring); one
    fetch of a target at a time (a second gets a clear refusal). Nothing is written before the feed
    has answered and has the columns asked for."""
    info, keys = _info(feed, table)
    _check_columns(table, requests[0].select, keys)
    title, modified = str(info.get("Title") or table), str(info["Modified"])
    description = {**description, "indeling": stated_indeling(info)}
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    with exclusive_at(lock, f"gvb fetch {table}", f"er loopt al een gvb fetch naar {target}"):
        try:
            return _fetch_table(feed, table, requests, target, description, progress, title, modified)
        finally:
            lock.unlink(missing_ok=True)  # by the holder only, before it lets go


def _fetch_table(
    feed: Feed,
    table: str,
    requests: list[Request],
    target: Path,
    description: dict,
    progress: Callable[[int, int], None] | None,
    title: str,
    modified: str,
) -> Fetched:
    urls = [request.url(feed.base, table) for request in requests]
    plan = {"tabel": table, "gewijzigd": modified, "feed": feed.base, "verzoeken": urls}
    if target.is_dir() and (target / MANIFEST).is_file():
        try:
            earlier = read_manifest(target)
        except Exception:  # an unreadable manifest is fetched anew
            earlier = {}
        if all(earlier.get(key) == value for key, value in plan.items()):
            return Fetched(target, "ongewijzigd", table, title, modified, int(earlier.get("rijen", 0)),
                           len(earlier.get("paginas", [])))  # fmt: skip
    partial = target.parent / f".{target.name}.deel"
    pages, resumed = _resume(partial, plan)
    seen: set[object] = set()
    for page in pages:
        seen.update(r.get("ID") for r in json.loads((partial / page["bestand"]).read_bytes())["value"])
    columns = set(requests[0].select)
    fetched_urls = {page["url"] for page in pages}
    try:
        for index, first in enumerate(urls):
            own = [page for page in pages if page["verzoek"] == index]
            if own and own[-1]["volgende"] is None:
                continue
            url: str | None = own[-1]["volgende"] if own else first
            while url:
                number = len(pages) + 1
                try:
                    body, document = feed.get(url)
                except FetchError as exc:
                    raise FetchError(f"pagina {number} van {table}: {exc}") from None
                values = document.get("value")
                if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
                    raise FetchError(f"pagina {number} van {table} heeft geen lijst 'value' met records")
                _check_records(table, number, values, columns, seen)
                following = _next(feed, document, url, fetched_urls | {url})
                name = f"pagina_{number:04d}.json"
                write_atomically(partial / name, body)
                pages.append({"bestand": name, "url": url, "rijen": len(values),
                              "sha256": hashlib.sha256(body).hexdigest(), "verzoek": index, "volgende": following})  # fmt: skip
                write_atomically(partial / PROGRESS, json.dumps({**plan, "paginas": pages}, indent=1))
                fetched_urls.add(url)
                if progress:
                    progress(number, sum(p["rijen"] for p in pages))
                url = following
    except FetchError as exc:
        if isinstance(exc, _Unreliable):
            shutil.rmtree(partial, ignore_errors=True)
            raise
        kept = len(pages)
        if kept:
            raise FetchError(
                f"{exc}. {kept} pagina's zijn bewaard in {partial}; dezelfde opdracht gaat verder waar het stopte. "
                "Waar gvb ingest kijkt is niets veranderd",
                partial=True,
            ) from None
        shutil.rmtree(partial, ignore_errors=True)
        raise
    counts = _counted(feed, table, requests, pages, partial)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    manifest = {
        MARK: 1,
        **description,
        "titel": title,
        **plan,
        "opgehaald_op": now,
        "rijen": sum(p["rijen"] for p in pages),
        "tellingen": counts,
        "paginas": [{k: p[k] for k in ("bestand", "url", "rijen", "sha256")} for p in pages],
    }
    write_atomically(partial / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    (partial / PROGRESS).unlink()
    replaced = target.exists()
    _swap(partial, target)
    return Fetched(target, "opgehaald", table, title, modified, manifest["rijen"], len(pages), resumed, replaced)


class _Unreliable(FetchError):
    """The feed itself is wrong (a page repeated, other columns): resuming would not help."""


def _check_records(table: str, number: int, values: list[dict], columns: set[str], seen: set[object]) -> None:
    for record in values:
        if record.keys() != columns:
            missing, extra = sorted(columns - set(record)), sorted(set(record) - columns)
            raise _Unreliable(
                f"pagina {number} van {table} heeft andere kolommen dan gevraagd (ontbreekt: "
                f"{', '.join(missing) or '-'}; extra: {', '.join(extra) or '-'}); er is niets geschreven"
            )
    ids = [record.get("ID") for record in values]
    repeated = [i for i in ids if i in seen]
    if repeated or len(set(ids)) != len(ids):
        shown = ", ".join(str(i) for i in repeated[:3])
        raise _Unreliable(
            f"pagina {number} van {table} herhaalt {len(repeated) or len(ids) - len(set(ids))} rijen die al "
            f"eerder kwamen (ID {shown or 'dubbel binnen de pagina'}); de feed geeft zijn pagina's niet betrouwbaar, "
            "dus er is niets geschreven. Probeer het later opnieuw"
        )
    seen.update(ids)


def _counted(feed: Feed, table: str, requests: list[Request], pages: list[dict], partial: Path) -> list[int | None]:
    """The feed's own count of each request against the rows its pages gave: a feed that stops
    paging early (a cap without a next link) would otherwise lose rows without a word. A feed
    without ``/$count`` is taken at its pages (``None`` in the manifest)."""
    counts = []
    for index, request in enumerate(requests):
        try:
            expected = feed.count(request.count_url(feed.base, table))
        except FetchError as exc:
            raise FetchError(
                f"de telling van {table}: {exc}. De pagina's zijn bewaard in {partial}", partial=True
            ) from None
        got = sum(page["rijen"] for page in pages if page["verzoek"] == index)
        if expected is not None and expected != got:
            shutil.rmtree(partial, ignore_errors=True)
            raise _Unreliable(
                f"de feed telt {expected:n} rijen voor {table}, maar zijn pagina's gaven er {got:n}: hij stopte te vroeg "
                "of gaf er te veel. Er is niets geschreven; probeer het later opnieuw"
            )
        counts.append(expected)
    return counts


def _next(feed: Feed, document: dict, url: str, fetched: set[str]) -> str | None:
    link = document.get("odata.nextLink") or document.get("@odata.nextLink")
    if not link:
        return None
    following = urljoin(url, str(link))
    if urlsplit(following).netloc != urlsplit(feed.base).netloc:
        raise _Unreliable(f"de volgende pagina ligt op een andere server ({urlsplit(following).netloc}); niet gevolgd")
    if following in fetched:
        raise _Unreliable(f"de feed verwijst terug naar een pagina die al is opgehaald ({following})")
    return following


def _resume(partial: Path, plan: dict) -> tuple[list[dict], int]:
    """The pages of an interrupted fetch of the same request and table version, checked; else none."""
    progress = partial / PROGRESS
    if progress.is_file():
        try:
            state = json.loads(progress.read_text(encoding="utf-8"))
            pages = state["paginas"]
            if all(state.get(key) == value for key, value in plan.items()) and all(
                hashlib.sha256((partial / p["bestand"]).read_bytes()).hexdigest() == p["sha256"] for p in pages
            ):
                return pages, len(pages)
        except (ValueError, KeyError, OSError):
            pass
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    return [], 0


def _swap(partial: Path, target: Path) -> None:
    """Put the complete folder in the target's place; an earlier fetch goes only once it is there."""
    old = target.parent / f".{target.name}.oud"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(partial, target)
    shutil.rmtree(old, ignore_errors=True)
