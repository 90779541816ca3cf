"""Settings that bound the machine: DuckDB's memory and threads come from configuration."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.kernel.store import connect


def test_every_connection_keeps_to_the_configured_memory_and_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GVB_MEMORY", "512MB")
    monkeypatch.setenv("GVB_THREADS", "1")
    con = connect(config={"memory_limit": "4GB"})  # the configuration wins over what a caller asks
    limit, threads = con.execute("select current_setting('memory_limit'), current_setting('threads')").fetchall()[0]
    con.close()
    assert limit == "488.2 MiB" and int(threads) == 1  # DuckDB shows 512 MB in MiB
    monkeypatch.delenv("GVB_MEMORY")
    monkeypatch.delenv("GVB_THREADS")
    con = connect(config={"memory_limit": "300MB"})
    assert con.execute("select current_setting('memory_limit')").fetchall()[0][0] == "286.1 MiB"
    con.close()
    # without a setting or a caller's limit, not DuckDB's default (most of the machine) but 1 GB
    con = connect()
    assert con.execute("select current_setting('memory_limit')").fetchall()[0][0] == "953.6 MiB"
    con.close()


@pytest.mark.parametrize(("name", "value"), [("GVB_MEMORY", "veel"), ("GVB_MEMORY", "2"), ("GVB_THREADS", "0"),
                                             ("GVB_THREADS", "twee")])  # fmt: skip
def test_a_bad_bound_is_refused_with_a_dutch_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path, name: str,
                                                      value: str) -> None:  # fmt: skip
    monkeypatch.setenv("GVB_HOME", str(tmp_path))
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code != 0 and f"{name}='{value}'" in result.output
    assert "Traceback" not in result.output
