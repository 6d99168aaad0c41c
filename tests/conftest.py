"""Shared test helpers: build a site (the demo content or a fixture) into a temporary folder, parse HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from halsolots import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "site"
# Builds in tests pretend it is this day, so the programme is the same whenever the tests run.
TODAY = "2026-12-01"


def build_site(output: Path, content: Path | None = None, settings_file: Path | None = None, **overrides) -> int:
    """Build like `make html` does (atomic, same checks) and return its exit code."""
    settings = {"TODAY": TODAY, "CACHE_PATH": str(output.parent / f"{output.name}-cache"), **overrides}
    if content is not None:
        settings["PATH"] = str(content)
    return cli.build(str(settings_file or REPO / "pelicanconf.py"), str(output), settings)


def copy_content(source: Path, target: Path) -> Path:
    """A writable copy of some content (to break on purpose)."""
    shutil.copytree(source, target)
    return target


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The real demo content in content/, built once per test run."""
    output = tmp_path_factory.mktemp("demo") / "output"
    assert build_site(output) == 0
    return output


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small fixture site in tests/fixtures/site, built once per test run."""
    output = tmp_path_factory.mktemp("fixture") / "output"
    assert build_site(output, FIXTURE_CONTENT) == 0
    return output
