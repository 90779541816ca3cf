"""Errors a user sees: always a Dutch sentence naming file, row, column and the rule broken."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: object, limit: int = 300) -> str:
    """Text from a file or a file name, safe on one terminal line: control characters (a newline
    in a file name, an escape sequence) shown escaped, and long excerpts cut."""
    shown = _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


@dataclass
class Problem:
    """One broken rule at one place in one file."""

    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None  # the worksheet of a workbook

    def render(self, file: str | None = None) -> str:
        where = []
        if file:
            where.append(printable(file))
        if self.sheet:
            where.append(f"werkblad '{printable(self.sheet, 60)}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{printable(self.column, 80)}'")
        location = ", ".join(where)
        shown = ""
        if self.value is not None:
            value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            shown = f" (waarde: {value!r})"
        message = printable(self.message, 500)
        return f"{location}: {message}{shown} [regel: {self.rule}]" if location else f"{message}{shown}"


@dataclass
class GvbError(Exception):
    """A failure with a message meant for the user; the CLI prints it and exits non-zero."""

    message: str
    file: str | None = None
    problems: list[Problem] = field(default_factory=list)
    exit_code: int = 1

    def __str__(self) -> str:
        return self.render()

    def render(self, limit: int = 10) -> str:
        message = printable(self.message, 1000)
        head = f"{printable(self.file)}: {message}" if self.file else message
        lines = [head]
        for problem in self.problems[:limit]:
            lines.append("  - " + problem.render(self.file))
        if len(self.problems) > limit:
            lines.append(f"  ... en nog {len(self.problems) - limit} andere fout(en) van dezelfde soort")
        return "\n".join(lines)


class InputError(GvbError):
    """The delivered file breaks a rule; nothing from it was loaded."""


class StoreBusyError(GvbError):
    """Another gvb process holds the store."""


def disk_full(path: object) -> GvbError:
    """The disk is full: said as such, with the path, and that nothing was half-written."""
    return GvbError(
        f"de schijf is vol ({path}); er is niets half geschreven: maak ruimte en voer de opdracht opnieuw uit",
        exit_code=74,
    )


def os_error(exc: OSError) -> GvbError | None:
    """A full disk, missing rights or a read-only disk named as such, in Dutch, with the path;
    None for other system errors (those are bugs or need their own message)."""
    path = printable(exc.filename) if exc.filename else "onbekend pad"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return GvbError(f"geen rechten om {path} te schrijven of te lezen; controleer de rechten van $GVB_HOME",
                        exit_code=73)  # fmt: skip
    if exc.errno == errno.EROFS:
        return GvbError(f"{path} staat op een alleen-lezen schijf; kies met GVB_HOME een map waarin gvb mag schrijven",
                        exit_code=73)  # fmt: skip
    return None
