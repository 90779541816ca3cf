"""The analyst notebooks run from top to bottom against a real store."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _run(name: str, env: dict[str, str]) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        ).execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


@pytest.mark.slow
def test_notebooks_run(home: Path, demo_dir: Path) -> None:
    env = {"GVB_HOME": str(home), "GVB_DATA": str(demo_dir), "GVB_EDITIE": "2025H1", "GVB_TODAY": "2026-11-24"}
    refresh = _run("01_verversing.ipynb", env)
    text = "\n".join(
        str(output.get("text", output.get("data", ""))) for cell in refresh.cells for output in cell.get("outputs", [])
    )
    assert "Gepubliceerd:" in text and "exitcode 0" in text
    explore = _run("02_verkenning.ipynb", env)
    text = "\n".join(
        str(output.get("text", output.get("data", ""))) for cell in explore.cells for output in cell.get("outputs", [])
    )
    assert "DEMO, fictieve cijfers" in text and "Woninginbraak per 1.000 inwoners" in text
