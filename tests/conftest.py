"""Shared fixtures: an isolated GVB_HOME per test, the real open data, a small demo set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
OPEN_DATA = ROOT.parent / "shared" / "data" / "open"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the run: the search for suppressions of the same figures is done once
    (the result depends only on the checksum of its input, so sharing it changes no outcome)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def gvb_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    home = tmp_path / "gvb_home"
    monkeypatch.setenv("GVB_HOME", str(home))
    monkeypatch.setenv("GVB_CACHE", str(shared_cache))
    monkeypatch.setenv("GVB_TODAY", "2026-11-24")
    monkeypatch.delenv("GVB_REGIO", raising=False)
    monkeypatch.delenv("GVB_MAX_FILE_MB", raising=False)
    return home


@pytest.fixture
def open_data() -> Path:
    """The real open data beside the project; in CI its absence is a failure, not a skip."""
    if not OPEN_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{OPEN_DATA} ontbreekt; CI hoort ../shared naast de repository te hebben")
        pytest.skip("../shared/data/open is er niet")
    return OPEN_DATA


class Gvb:
    """Run `gvb` in-process like a user would, and look inside the store."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str | Path):
        result = self.runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"gvb {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
        )
        assert "Traceback" not in result.output
        return result

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.home / "gvb.duckdb"), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every table's full content, for 'the store is exactly as it was' checks."""
        if not (self.home / "gvb.duckdb").exists():
            return {}
        tables = [r[0] for r in self.query("select table_name from information_schema.tables order by 1")]
        return {t: sorted(self.query(f"select * from {t}"), key=repr) for t in tables}


@pytest.fixture
def gvb(gvb_home: Path) -> Gvb:
    return Gvb(gvb_home)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo set (2018-07 .. 2025-06): every source and format, predecessors included."""
    from pipeline.demo import generate

    os.environ.setdefault("GVB_TODAY", "2026-11-24")
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=11, start="2018-07", end="2025-06")
    return out


def gvb_in(home: Path, *args: str) -> str:
    """Run `gvb` with GVB_HOME at ``home`` (for fixtures shared beyond one test); it must succeed."""
    previous = os.environ.get("GVB_HOME")
    os.environ["GVB_HOME"] = str(home)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        if previous is None:
            del os.environ["GVB_HOME"]
        else:
            os.environ["GVB_HOME"] = previous
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def run_gvb_in():
    """:func:`gvb_in` for test modules (they cannot import conftest)."""
    return gvb_in


@pytest.fixture(scope="session")
def loaded_home(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the whole demo set loaded, made once; tests work on copies."""
    home = tmp_path_factory.mktemp("loaded") / "home"
    gvb_in(home, "ingest", str(demo_dir))
    return home


@pytest.fixture
def home(loaded_home: Path, gvb_home: Path) -> Path:
    shutil.copytree(loaded_home, gvb_home)
    return gvb_home


@pytest.fixture(scope="session")
def published_home(loaded_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with edition 2025H1 validated and published (read by the dashboard tests)."""
    home = tmp_path_factory.mktemp("published") / "home"
    shutil.copytree(loaded_home, home)
    gvb_in(home, "publish", "--edition", "2025H1")
    gvb_in(home, "validate", "--edition", "2025H1")
    return home


@pytest.fixture
def dashboard_home(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard reads the published demo edition (shared by the tests: they must not change it)."""
    monkeypatch.setenv("GVB_HOME", str(published_home))
    return published_home


@pytest.fixture(scope="session")
def dash_app():
    """One Dash app for the whole run (Dash keeps its page registry per process)."""
    from dashboard import create_app

    return create_app()
