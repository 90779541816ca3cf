"""The half-yearly job: ingest → validate → gate → build and publish, under one lock.

`gvb refresh`, `gvb demo` and the analyst's notebook all run this one function, so a second
refresh is refused rather than interleaved, and blocking findings stop it before anything is
published (the previous edition stays). Progress is reported through :class:`Steps`, which the
CLI draws as bars and a notebook may leave out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.kernel.config import Settings
from pipeline.kernel.errors import GvbError


class Steps(Protocol):
    """Where progress goes: a step starts with a number of units, then advances one at a time."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self) -> None: ...


class _Quiet:
    def start(self, description: str, total: int) -> None:
        return None

    def advance(self) -> None:
        return None


@dataclass
class Refreshed:
    """What a refresh did: the files read, the validation, and the publication (``None`` when stopped)."""

    edition: str
    ingested: list[Any] = field(default_factory=list)
    validation: Any = None
    publication: Any = None

    @property
    def refused(self) -> list[Any]:
        return [r for r in self.ingested if r.status == "geweigerd"]

    @property
    def blocking(self) -> int:
        return self.validation.blocking if self.validation else 0

    @property
    def warnings(self) -> int:
        return self.validation.warnings if self.validation else 0


class RefreshBlocked(GvbError):
    """Blocking findings: nothing was published. Carries what was done, for the caller to show."""

    def __init__(self, message: str, done: Refreshed) -> None:
        super().__init__(message, exit_code=2)
        self.done = done


def refresh(
    settings: Settings,
    raw: Path,
    edition: str | None = None,
    allow_missing: bool = False,
    steps: Steps | None = None,
) -> Refreshed:
    """Read everything under ``raw``, validate ``edition`` (default: the newest the police figures
    cover), and publish it unless a blocking finding stops it (:class:`RefreshBlocked`, exit 2)."""
    from pipeline.build.run import build_order
    from pipeline.ingest.load import collect_files, ingest
    from pipeline.kernel.edition import check_edition_covered, default_edition
    from pipeline.kernel.locking import exclusive
    from pipeline.publish.run import publish
    from pipeline.validate.run import validate

    steps = steps or _Quiet()
    files, _ = collect_files([raw], settings.home)
    with exclusive(settings, "verversing"):  # one lock for all four steps
        steps.start("1/4 inlezen", max(len(files), 1))
        ingested = ingest([raw], settings, progress=lambda _path: steps.advance())
        edition = edition or default_edition(settings)
        check_edition_covered(settings, edition)
        done = Refreshed(edition, ingested)
        steps.start("2/4 valideren", 1)
        done.validation = validate(settings, edition, allow_missing=allow_missing)
        steps.advance()
        if done.blocking:
            raise RefreshBlocked(
                f"0 opvallende ontwikkelingen, {done.blocking} blokkerende fout(en): editie {edition} niet "
                f"gepubliceerd; zie {done.validation.json_path} (gvb validate toont de details)",
                done,
            )
        steps.start("3/4 bouwen en 4/4 publiceren", len(build_order()) + 1)
        done.publication = publish(settings, edition, progress=lambda _name: steps.advance(), lock=False)
    return done
