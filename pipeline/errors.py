"""Errors a user sees: always a Dutch sentence naming file, row, column and the rule broken."""

from __future__ import annotations

from dataclasses import dataclass, field


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
            where.append(file)
        if self.sheet:
            where.append(f"werkblad '{self.sheet}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        location = ", ".join(where)
        shown = ""
        if self.value is not None:
            value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            shown = f" (waarde: {value!r})"
        return f"{location}: {self.message}{shown} [regel: {self.rule}]" if location else f"{self.message}{shown}"


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
        head = f"{self.file}: {self.message}" if self.file else self.message
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
