"""The plugin package's layers: imports point one way only (content ← site ← generators ← followup ← build ←
commands), the content layer knows nothing of Pelican, and no module imports itself round a circle. Read from the source (ast),
so a lazy import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "halsolots"
LAYERS = ["content", "site", "generators", "followup", "build", "commands"]
# The plugin's entry point registers generators and build hooks with Pelican; `python -m halsolots` is a command.
TOP_LEVEL = {"halsolots": "build", "halsolots.__main__": "commands"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["halsolots", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    return module.split(".")[1]


def imports(module: str, path: Path) -> set[str]:
    """Modules of the package that `module` imports (a name imported from a package counts as its module)."""
    known = modules()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("halsolots"):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("halsolots")}
    return {name for name in found if name in known and name != module}


def graph() -> dict[str, set[str]]:
    return {module: imports(module, path) for module, path in modules().items()}


def test_every_module_is_in_a_layer():
    assert {layer(module) for module in modules()} <= set(LAYERS)


def test_imports_point_one_way():
    wrong = [f"{module} ({layer(module)}) imports {target} ({layer(target)})"
             for module, targets in graph().items() for target in sorted(targets)
             if LAYERS.index(layer(target)) > LAYERS.index(layer(module))]
    assert wrong == []


def test_the_content_layer_does_not_import_pelican():
    wrong = []
    for module, path in modules().items():
        if layer(module) != "content":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            wrong += [f"{module} imports {name}" for name in names if name.split(".")[0] in ("pelican", "jinja2")]
    assert wrong == []


def test_the_followup_layer_does_not_import_pelican():
    """The yearly report reads content and logs without Pelican (the site layer's URL scheme is all it needs)."""
    wrong = []
    for module, path in modules().items():
        if layer(module) != "followup":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            wrong += [f"{module} imports {name}" for name in names if name.split(".")[0] == "pelican"]
    assert wrong == []


def test_no_import_circles():
    edges = graph()
    circles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges[module]):
            # A package's __init__ importing its own modules is how a package is put together, not a circle.
            if target.startswith(module + "."):
                continue
            if state.get(target) == 1:
                circles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert circles == []


def test_the_test_sees_the_imports():
    """The reader itself: it finds the imports it is meant to judge."""
    edges = graph()
    assert "halsolots.content.settings" in edges["halsolots.site.site"]
    assert "halsolots.build.build" in edges["halsolots.commands.cli"]
