"""The shape of the code: who may read the environment, and what the dashboard may load."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the bottom of the house: its modules import nothing of ours but each other (ARCHITECTURE.md)
KERNEL_PACKAGE = "pipeline.kernel"
#: the stages that write: the dashboard only reads published editions and must not load them
WRITE_SIDE = ("fetch", "ingest", "validate", "build", "report", "publish", "refresh")


def test_only_the_settings_read_the_environment() -> None:
    """One place says what every GVB_* variable means (pipeline/kernel/config.py); no module reads
    os.environ or getenv behind its back."""
    readers = []
    for package in ("pipeline", "dashboard"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "pipeline" / "kernel" / "config.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\bos\.environ\b|\bgetenv\(|\bfrom os import environ\b", line):
                    readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []


def test_the_dashboard_loads_no_write_side_code() -> None:
    """Importing the app and building it (every page) loads none of ingest, validate, build, report,
    suppression or publish: the dashboard reads published editions through its own data module."""
    probe = (
        "import sys\n"
        "from dashboard import create_app\n"
        "create_app()\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('pipeline.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert "pipeline.kernel.config" in loaded  # the probe saw the modules
    assert sorted(m for m in loaded if m.split(".")[1] in WRITE_SIDE) == []


def test_one_list_of_published_editions_in_one_order(tmp_path: Path) -> None:
    """The year ends after its first half-year: 2025 is newer than 2025H1, everywhere editions are listed."""
    import json

    from pipeline.inspect import published_editions
    from pipeline.kernel.config import Settings
    from pipeline.kernel.edition import previous_edition, published

    for code in ("2024", "2025H1", "2025", "2023H1"):
        folder = tmp_path / "edities" / code
        folder.mkdir(parents=True)
        (folder / f"gvb_{code}.duckdb").write_bytes(b"")
        (folder / "manifest.json").write_text(json.dumps({"editie": code}), encoding="utf-8")
    (tmp_path / "edities" / "2022H2").mkdir()  # not an edition's name
    (tmp_path / "edities" / "2022").mkdir()  # no database: not published
    settings = Settings(home=tmp_path, region="RE07", max_file_bytes=1)
    assert published(tmp_path) == ["2025", "2025H1", "2024", "2023H1"]
    assert [e["editie"] for e in published_editions(settings)] == ["2025", "2025H1", "2024", "2023H1"]
    assert previous_edition(settings, "2025")[0] == "2025H1"
    assert previous_edition(settings, "2025H1")[0] == "2024"


def _imports() -> dict[str, set[str]]:
    """Every module of pipeline/ and dashboard/ with the modules of ours it imports, also inside
    functions (a lazy import that only dodges a cycle is still a cycle)."""
    modules = {}
    for package in ("pipeline", "dashboard"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_the_import_graph_has_no_cycle_and_the_kernel_imports_nothing_above_it() -> None:
    graph = _imports()
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
    kernel = {m for m in graph if m == KERNEL_PACKAGE or m.startswith(KERNEL_PACKAGE + ".")}
    assert len(kernel) >= 10  # the walk found the kernel
    upward = {m: sorted(graph[m] - kernel) for m in kernel if graph[m] - kernel}
    assert upward == {}
    # the pipeline does not depend on the app: only the CLI starts the dashboard (gvb serve)
    assert [m for m in graph if m.startswith("pipeline") and any(t.startswith("dashboard") for t in graph[m])] == [
        "pipeline.cli"
    ]


def test_the_dashboard_writes_each_address_once() -> None:
    """Page paths and built links live in dashboard/urls.py; pages and components ask it."""
    pattern = re.compile(
        r"""(path(_template)?=["']/|f["']/(gemeente|download|themas|vergelijken)|href=["']/(?!assets))"""
    )
    found = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        if path.name == "urls.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_tests_mirror_the_packages_and_all_of_them_run() -> None:
    """tests/<stage>/ holds the tests of pipeline/<stage>/ (or of the dashboard), and pytest collects
    every test file: it skips a folder named "build" unless told otherwise."""
    folders = {path.parent for path in (ROOT / "tests").rglob("test_*.py") if "node_modules" not in path.parts}
    for folder in folders - {ROOT / "tests"}:
        assert (ROOT / "pipeline" / folder.name).is_dir() or folder.name == "dashboard", folder
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py") if "node_modules" not in p.parts}
    assert on_disk - collected == set()
