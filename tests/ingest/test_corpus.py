"""Every malformed or hostile file of the corpus is refused cleanly and leaves the store as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corpus.build_corpus import CASES, build

SEED = "periode,gebied_code,soort_code,aantal\n2024-01,GM0599,1.1.1,1\n"


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, Path]]:
    return {case.name: (case, path) for case, path in build(tmp_path_factory.mktemp("corpus"))}


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile_file_is_refused(name: str, corpus, gvb, tmp_path: Path, monkeypatch) -> None:
    case, path = corpus[name]
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    seed = tmp_path / "seed.csv"
    seed.write_text(SEED, encoding="utf-8")
    assert gvb("ingest", seed).exit_code == 0
    before = gvb.snapshot()
    target = path.parent if case.ingest_folder else path
    result = gvb("ingest", target)
    assert result.exit_code == 1, result.output
    assert path.name in result.output
    for fragment in case.expect:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"
    assert "Traceback" not in result.output and "Interne fout" not in result.output
    assert gvb.snapshot() == before
    # the refusal is remembered for `gvb status`, outside the store
    assert "afgewezen bestand" in gvb("status").output


def test_formula_payload_in_a_label_is_stored_as_inert_text(gvb, tmp_path: Path) -> None:
    path = tmp_path / "riec.csv"
    path.write_text(
        "Periode;Gemeentecode;Gemeente;Thema;Signalen;Casussen\n"
        '2024-H1;GM0505;"=HYPERLINK(""http://x"",""klik"")";Drugs;3;1\n',
        encoding="utf-8",
    )
    assert gvb("ingest", path).exit_code == 0
    assert gvb.query("select gemeente_naam from raw_riec") == [('=HYPERLINK("http://x","klik")',)]
    # in a category column it is no known value: refused, naming the cell
    path.write_text(
        "Periode;Gemeentecode;Gemeente;Thema;Signalen;Casussen\n"
        '2024-H2;GM0505;Dordrecht;"=HYPERLINK(""http://x"",""klik"")";3;1\n',
        encoding="utf-8",
    )
    result = gvb("ingest", path)
    assert result.exit_code == 1 and "onbekende waarde" in result.output and "rij 2" in result.output
