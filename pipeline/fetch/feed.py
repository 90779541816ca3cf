"""One request to an OData feed, asked again when the answer may come next time.

A 429, a 5xx, a time-out, a dropped connection or a truncated JSON body is tried again after a
wait that doubles each time (a ``Retry-After`` of the server counts); other answers (400, 404) are
refused at once. When the feed cannot be reached at all on the first request (no name resolution,
no route, connection refused) there is no network to wait for: that is refused at once too.
"""

from __future__ import annotations

import errno
import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError

#: answers that say "try again later"
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
#: a server's Retry-After is honoured up to this many seconds
MAX_RETRY_AFTER = 120.0


class FetchError(GvbError):
    """A fetch that did not complete; ``partial`` says whether pages already fetched were kept."""

    def __init__(self, message: str, partial: bool = False) -> None:
        super().__init__(message)
        self.partial = partial


class NoNetwork(FetchError):
    pass


class Refused(FetchError):
    """The feed answered, and said no (a 4xx other than 408 and 429): asking again will not help."""


def _unreachable(exc: BaseException) -> bool:
    """No name resolution, no route, nobody listening, no connection within the time-out: waiting
    will not help (a read that times out on a connection made is a slow server, and is retried)."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror | ConnectionRefusedError):
        return True
    if isinstance(exc, urllib.error.URLError) and isinstance(reason, TimeoutError | socket.timeout):
        return True  # urllib wraps only a time-out while connecting
    return isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED)


class Feed:
    """The JSON pages of one feed (``base``), asked with the configured patience."""

    def __init__(self, settings: Settings, base: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = base.rstrip("/")
        self.timeout = settings.fetch_timeout
        self.retries = settings.fetch_retries
        self.wait = settings.fetch_wait
        self.sleep = sleep
        self.reached = False  # has any request of this feed been answered?

    def host(self) -> str:
        return urlsplit(self.base).netloc

    def get(self, url: str) -> tuple[bytes, dict]:
        """The body and its JSON document; raises :class:`FetchError` when it does not come."""
        body, document = self._answer(url, "application/json", json.loads)
        if not isinstance(document, dict):
            raise FetchError(f"de feed gaf geen JSON-object maar {type(document).__name__}")
        return body, document

    def count(self, url: str) -> int | None:
        """The feed's own count of a query's records (OData ``/$count``); None when it offers none."""
        try:
            text = self._answer(url, "text/plain", lambda body: body.decode("ascii", "replace").strip())[1]
        except Refused:
            return None
        return int(text) if text.isdigit() else None

    def _answer(self, url: str, accept: str, read: Callable[[bytes], Any]) -> tuple[bytes, Any]:
        """The body of ``url`` and what ``read`` makes of it, asked again while the answer may come
        next time; ``read`` raises :class:`json.JSONDecodeError` for a body that came incomplete."""
        last = ""
        for attempt in range(self.retries + 1):
            pause = self.wait * 2**attempt
            try:
                request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "gvb"})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                self.reached = True
                return body, read(body)
            except urllib.error.HTTPError as exc:
                self.reached = True
                if exc.code not in RETRY_STATUS:
                    raise Refused(f"de feed weigert het verzoek: HTTP {exc.code} {exc.reason}") from None
                last = f"HTTP {exc.code} {exc.reason}"
                retry_after = (exc.headers or {}).get("Retry-After", "")
                if str(retry_after).strip().isdigit():
                    pause = min(float(retry_after), MAX_RETRY_AFTER)
            except json.JSONDecodeError as exc:
                last = f"onvolledig of ongeldig JSON-antwoord (teken {exc.pos} van {len(exc.doc)})"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                if not self.reached and _unreachable(exc):
                    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                    raise NoNetwork(
                        f"geen verbinding met {self.host()} ({reason}); is er netwerk? Er is niets opgehaald of "
                        "geschreven. Een spiegel of testserver stelt u in met GVB_POLITIE_ODATA of GVB_CBS_ODATA"
                    ) from None
                last = _describe(exc)
            if attempt < self.retries:
                self.sleep(pause)
        tries = self.retries + 1
        raise FetchError(f"geen antwoord na {tries} poging{'en' if tries > 1 else ''}: {last}")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout) or "timed out" in str(exc):
        return "de feed antwoordde niet op tijd (GVB_FETCH_TIMEOUT)"
    if isinstance(exc, http.client.IncompleteRead):
        return "de verbinding werd midden in een pagina verbroken"
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return "de server verbrak de verbinding"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return f"verbindingsfout ({reason})"
