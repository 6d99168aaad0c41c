"""Build speed behind one door: generators say what to write, only the build layer decides whether a file is
rendered or reused, and a template sees nothing but the values that key its page — so a template that
reaches for anything else fails the build loudly instead of serving a stale page."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, build_site, copy_content, replace_text

PACKAGE = REPO / "plugins" / "halsolots"


@pytest.fixture
def theme(tmp_path) -> Path:
    return Path(shutil.copytree(REPO / "theme", tmp_path / "theme"))


@pytest.mark.parametrize("cache", [True, False])
def test_a_template_reading_outside_its_values_fails_the_build(tmp_path, theme, capsys, cache):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "output"
    assert build_site(output, content, THEME=str(theme), BUILD_CACHE=cache) == 0
    before = (output / "omrade" / "centrum" / "index.html").read_bytes()
    # The listing starts to show every activity of the site: nothing in its key says which.
    replace_text(theme / "templates" / "listing.html", '<div data-finder-static>',
                 '<p>{{ activities | length }}</p><div data-finder-static>')
    capsys.readouterr()
    assert build_site(output, content, THEME=str(theme), BUILD_CACHE=cache) == 1
    error = capsys.readouterr().err
    assert "'activities'" in error and "not among its page's values" in error
    assert (output / "omrade" / "centrum" / "index.html").read_bytes() == before  # the old site stays


def test_what_every_page_may_read_is_in_the_site_key():
    """The context entries every template sees are content the site key digests (everything but activities)."""
    from halsolots.generators.writer import SHARED

    assert "activities" not in SHARED and "generated_content" not in SHARED
    assert {"pages", "articles", "health_pages", "films", "calendars"} <= SHARED


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.lstrip("."))
            found |= {f"{node.module.lstrip('.')}.{alias.name}" for alias in node.names}
    return found


def test_generators_never_touch_the_caches_or_the_processes():
    for path in sorted((PACKAGE / "generators").glob("*.py")):
        imported = _imports(path)
        assert not {name for name in imported if name.startswith("build")}, path.name
        text = path.read_text(encoding="utf-8")
        for word in ("outputcache", "reuse(", ".key(", "mine(", "os.fork", "render_once"):
            assert word not in text, (path.name, word)


def test_components_build_no_cache_keys():
    for path in sorted((REPO / "theme").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "render_once" not in text, path
        # {{ fragment(_macro, arguments…) }}: the key is made by the build from the macro and its arguments.
        for macro in re.findall(r"\{\{-?\s*fragment\(\s*([^,)\s]*)", text):
            assert macro.startswith("_"), (path, macro)


_ALLOWED_GLOBALS = {
    # The active state of a build, not a cache: catalogues loaded at its start, the builds running.
    ("site/i18n.py", "_catalogues"), ("content/messages.py", "_catalogues"), ("build/run.py", "_active"),
    # Pure functions of their key, never stale: Babel's parsed locales, a type's fingerprint handler.
    ("site/i18n.py", "_locales"), ("build/outputcache.py", "_BY_TYPE"),
}
_MUTATORS = {"append", "add", "update", "setdefault", "extend", "insert", "pop", "clear", "remove", "discard"}


def _mutated(tree: ast.AST, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id == name:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            return True
    return False


def test_the_devserver_memory_is_one_object_not_module_globals():
    """A module-level dictionary, set or list that builds fill would be a second memory (content/memory.py)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) and node.value is not None else []
            value = getattr(node, "value", None)
            mutable = isinstance(value, (ast.Dict, ast.Set, ast.List, ast.DictComp, ast.SetComp, ast.ListComp)) or (
                isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("dict", "set", "list", "defaultdict"))
            for target in targets:
                if mutable and isinstance(target, ast.Name) and _mutated(tree, target.id) \
                        and (relative, target.id) not in _ALLOWED_GLOBALS:
                    found.append(f"{relative}: {target.id}")
    assert found == []


def test_the_code_key_covers_every_layer():
    """A cached page is keyed by the plugin's code: all of it, not only the build layer's folder."""
    from halsolots.build import outputcache

    assert Path(outputcache._PLUGIN) == PACKAGE
