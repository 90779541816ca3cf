"""The command line: help with examples everywhere, and the README names every command."""

from __future__ import annotations

from pathlib import Path

import typer.main

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_every_command_has_help_with_an_example(gvb) -> None:
    commands = _commands()
    assert {"demo", "demo-data", "ingest", "status", "sql"} <= set(commands)
    for command in commands:
        result = gvb(command, "--help")
        assert result.exit_code == 0
        assert "Voorbeeld:" in result.output, command


def test_readme_starts_with_the_two_commands_and_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code_lines = [line.strip() for line in readme.split("```")[1].splitlines() if line.strip()]
    assert code_lines == ["make demo", "make test"]
    for command in _commands():
        assert f"gvb {command}" in readme, command
    for view in ("raw_politie_misdrijven", "raw_politie_incidenten", "raw_halt", "raw_riec", "raw_veiligheidshuis",
                 "raw_burgernet", "raw_veiligheidsmonitor"):  # fmt: skip
        assert view in readme


def test_unexpected_errors_are_not_tracebacks(gvb, monkeypatch) -> None:
    import pipeline.inspect

    def broken(_settings):
        raise RuntimeError("kapot")

    monkeypatch.setattr(pipeline.inspect, "status", broken)
    result = gvb("status")
    assert result.exit_code == 70 and "Interne fout" in result.output and "Traceback" not in result.output


def test_version() -> None:
    from typer.testing import CliRunner

    assert "gvb 0.1.0" in CliRunner().invoke(app, ["--version"]).output
