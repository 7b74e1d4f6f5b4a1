"""The package layout rules, checked on the source: no import cycles, no reaching into another
subpackage's private names, the core never imports the Dask add-on, one front module per
package that says what comes in and goes out, few modules at the top."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
ADDON = "toolkit.dask"
STAGES = ("sources", "extract", "ingest", "text", "entities", "plots", "report", "widgets",
          "dask", "cli")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _owner(name: str) -> str | None:
    """The module of ``name`` (a module, or a name inside one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports() -> dict[str, list[tuple[str, str | None]]]:
    """Module -> (imported module, imported name or None), function-level imports included."""
    edges: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("toolkit") and (target := _owner(alias.name)):
                        edges[module].append((target, None))
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                if not base.startswith("toolkit"):
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    target = full if full in MODULES else _owner(base)
                    if target:
                        edges[module].append((target, None if full in MODULES else alias.name))
    return edges


IMPORTS = _imports()


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else ""


def test_there_are_no_import_cycles():
    graph = {m: {t for t, _ in IMPORTS.get(m, ()) if t != m} for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in MODULES:
        if module not in index:
            visit(module)
    assert cycles == []


def _private_reaches(imports: dict) -> list[str]:
    return [
        f"{module} -> {target}.{name}"
        for module, targets in imports.items()
        for target, name in targets
        if name and name.startswith("_") and not name.startswith("__")
        and _stage(module) != _stage(target)
    ]


def test_no_module_imports_another_subpackages_private_names():
    assert _private_reaches(IMPORTS) == []


def test_the_core_never_imports_the_dask_addon():
    core_to_addon = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        if not module.startswith(ADDON)
        for target, _ in targets
        if target.startswith(ADDON)
    ]
    # nor by name at run time
    by_name = [
        module for module, path in MODULES.items()
        if not module.startswith(ADDON)
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Constant) and str(arg.value).startswith(ADDON)
            for arg in node.args
        )
    ]
    assert core_to_addon == [] and by_name == []


def test_a_broken_rule_is_caught():
    """The private-name check can fail: a made-up import of another package's _name is found."""
    fake = dict(IMPORTS)
    fake["toolkit.text.counts"] = [*fake["toolkit.text.counts"], ("toolkit.report.run", "_x")]
    assert _private_reaches(fake) == ["toolkit.text.counts -> toolkit.report.run._x"]


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_package_with_a_front_module_saying_what_comes_in_and_out(stage):
    front = PACKAGE / stage / "__init__.py"
    doc = ast.get_docstring(ast.parse(front.read_text("utf-8"))) or ""
    assert doc, f"{front} has no docstring"
    assert "In:" in doc and "Out:" in doc, f"{front}'s docstring does not say what comes in and out"


def test_few_modules_sit_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


def test_layers_point_down():
    """Lower stages never import higher ones (the order of the data flow)."""
    rank = {"sources": 0, "extract": 0, "ingest": 1, "text": 2, "entities": 2,
            "plots": 3, "report": 4, "widgets": 4, "cli": 5, "dask": 6}
    upward = [
        f"{module} -> {target}"
        for module, targets in IMPORTS.items()
        for target, _ in targets
        if _stage(module) in rank and _stage(target) in rank
        and rank[_stage(target)] > rank[_stage(module)]
    ]
    assert upward == []
