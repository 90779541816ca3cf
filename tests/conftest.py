"""Shared fixtures: an isolated GVB_HOME per test, the real open data, a small demo set."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
OPEN_DATA = ROOT.parent / "shared" / "data" / "open"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the run, shared by the xdist workers: the search for suppressions of the
    same figures is done once (the result depends only on the checksum of its input, so sharing it
    changes no outcome; each process writes its own temporary file and renames it)."""
    folder = built_once(tmp_path_factory, "cache", lambda path: path.mkdir())
    _CACHE[:] = [folder]  # the shared stores' builds (gvb_in) use it too
    return folder


_CACHE: list[Path] = []


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


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder made once for the whole run, also when pytest-xdist runs several workers: the first
    worker to ask builds it under a file lock, the others wait and read the same folder. Tests must
    treat it as read-only (copy it first to change anything)."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    target = root / f"shared-{name}"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"shared-{name}.klaar").exists():
            shutil.rmtree(target, ignore_errors=True)
            build(target)
            (root / f"shared-{name}.klaar").touch()
    return target


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo set (2018-07 .. 2025-06): every source and format, predecessors included."""
    from pipeline.demo import generate

    os.environ.setdefault("GVB_TODAY", "2026-11-24")
    return built_once(tmp_path_factory, "demo", lambda out: generate(out, seed=11, start="2018-07", end="2025-06"))


def gvb_in(home: Path, *args: str) -> str:
    """Run `gvb` with GVB_HOME at ``home`` (for fixtures shared beyond one test), with the run's
    shared cache once there is one; it must succeed."""
    env = {"GVB_HOME": str(home), **({"GVB_CACHE": str(_CACHE[0])} if _CACHE else {})}
    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        for name, value in previous.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def run_gvb_in():
    """:func:`gvb_in` for test modules (they cannot import conftest)."""
    return gvb_in


@pytest.fixture(scope="session")
def loaded_home(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> Path:
    """A store with the whole demo set loaded, made once; tests work on copies."""
    return built_once(tmp_path_factory, "loaded", lambda home: gvb_in(home, "ingest", str(demo_dir)))


@pytest.fixture
def home(loaded_home: Path, gvb_home: Path) -> Path:
    shutil.copytree(loaded_home, gvb_home)
    return gvb_home


def _publish_2025h1(loaded_home: Path) -> Callable[[Path], None]:
    def build(home: Path) -> None:
        shutil.copytree(loaded_home, home)
        gvb_in(home, "publish", "--edition", "2025H1")
        gvb_in(home, "validate", "--edition", "2025H1")

    return build


@pytest.fixture(scope="session")
def published_home(loaded_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with edition 2025H1 validated and published (read by the dashboard tests)."""
    return built_once(tmp_path_factory, "published", _publish_2025h1(loaded_home))


@pytest.fixture
def published(published_home: Path, gvb_home: Path) -> Path:
    """A copy of :func:`published_home` for a test that writes (reports, mail, press release)."""
    shutil.copytree(published_home, gvb_home)
    return gvb_home


# Duiding for two editions (issue 16): (indicator, gebied, perioden, tekst, geschreven voor editie)
NOTES_BEFORE_2024 = (
    ("M_CYBERCRIME", "alle", "2023-01 t/m 2024-12", "Stijging door een registratiewijziging.", "2024"),  # D0001
    ("M_TOTAAL", "GM0363", "2024", "Over Amsterdam: niet in deze regio.", "2024"),  # D0002
    ("H_VERWIJZINGEN", "GM0599", "2024H1", "Meer verwijzingen na de inzet in Feijenoord.", "2024"),  # D0003
    ("M_ZEDEN", "alle", "2025H1", "Geschreven voor een latere editie.", "2025H1"),  # D0004
)
NOTES_BEFORE_2025H1 = (
    ("M_WONINGINBRAAK", "RE07", "2025H1", "Campagne in de hele eenheid.", "2025H1"),  # D0005
    ("M_WONINGINBRAAK", "GM0505", "2024H1", "Een inbrekersbende in Sterrenburg.", "2025H1"),  # D0006
    ("M_WONINGINBRAAK", "GM0599", "2024-01 t/m 2025-06", "Daling na de inzet in Feijenoord.", "2025H1"),  # D0007
    ("M_CYBERCRIME", "alle", "2025H1", "Registratiewijziging per 2025.", "2025H1"),  # D0008
    ("M_TOTAAL", "GM0606", "2025H1", "Over Schiedam.", "2025H1"),  # D0009
    ("M_TOTAAL", "alle", "2020 t/m 2021", "Coronajaren.", "2025H1"),  # D0010
)
# a re-delivery between the editions: far more home burglaries in one wijk of Dordrecht in March 2024
# (18 became 90), so the woninginbraak of GM0505 in 2024H1 "was 92, nu 164"
REDELIVERY = "periode,gebied_code,soort_code,aantal\n2024-03,WK050503,1.1.1,90\n"


def _add_notes(home: Path, data: Path, notes: tuple[tuple[str, ...], ...]) -> None:
    for indicator, area, periods, text, edition in notes:
        gvb_in(
            home, "duiding", "add", "--data", str(data), "--indicator", indicator, "--gebied", area, "--perioden",
            periods, "--tekst", text, "--auteur", "Analist RE07", "--editie", edition,
        )  # fmt: skip


def _publish_two_editions(loaded_home: Path) -> Callable[[Path], None]:
    def build(home: Path) -> None:
        shutil.copytree(loaded_home, home)
        data = home.parent / "news_data_raw"
        _add_notes(home, data, NOTES_BEFORE_2024)
        gvb_in(home, "ingest", str(data))
        gvb_in(home, "publish", "--edition", "2024")
        _add_notes(home, data, NOTES_BEFORE_2025H1)
        gvb_in(home, "duiding", "retire", "D0003", "--editie", "2025H1", "--data", str(data))
        fix = data / "politie_misdrijven" / "correctie_2024-03.csv"
        fix.parent.mkdir(parents=True)
        fix.write_text(REDELIVERY, encoding="utf-8")
        gvb_in(home, "ingest", str(data))
        gvb_in(home, "publish", "--edition", "2025H1")

    return build


@pytest.fixture(scope="session")
def news_home(loaded_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with editions 2024 and 2025H1 published, duiding written for each (one note
    retired for 2025H1) and a police re-delivery in between: what the digest, "Nieuw in deze editie"
    and the notes in dashboard and reports are tested on. Read-only: copy it to change anything."""
    return built_once(tmp_path_factory, "news", _publish_two_editions(loaded_home))


@pytest.fixture
def news(news_home: Path, gvb_home: Path) -> Path:
    """A copy of :func:`news_home` for a test that writes."""
    shutil.copytree(news_home, gvb_home)
    return gvb_home


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
