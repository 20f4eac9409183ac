"""The package tree shows the flow: few modules at the top of `pipeline/`, sub-packages for the
readers, the writers and the batch, and no import cycle among the project's modules (an import
inside a function counts too: it is a dependency all the same)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "extractors", "schemas")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules a module imports, wherever in the module the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    return {name: _imports(path, set(files)) - {name} for name, path in files.items()}


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_pipeline_has_the_shape_of_the_flow() -> None:
    top = sorted(p.name for p in (ROOT / "pipeline").glob("*.py"))
    packages = sorted(p.parent.name for p in (ROOT / "pipeline").glob("*/__init__.py"))
    assert len(top) <= 9, top
    assert {"process.py", "normalise.py", "diff.py", "cli.py"} <= set(top)
    assert {"inputs", "outputs", "batch"} <= set(packages)
    for package in packages:  # each says what lives there
        assert ast.get_docstring(ast.parse((ROOT / "pipeline" / package / "__init__.py").read_text(encoding="utf-8")))


def test_the_parent_of_a_batch_never_imports_the_pipeline(graph: dict[str, set[str]]) -> None:
    """The batch's parent stays light: nothing it imports at the top reaches spaCy or jieba."""
    heavy = {"extractors.nlp", "extractors.segment", "pipeline.process"}
    reached: set[str] = set()
    todo = ["pipeline.batch.runner", "pipeline.batch.jobs"]
    top_level = {name: _top_level_imports(name, graph) for name in graph}
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(top_level[name])
    assert reached & heavy == set()


def _top_level_imports(name: str, graph: dict[str, set[str]]) -> set[str]:
    path = ROOT / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / name.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & set(graph)
