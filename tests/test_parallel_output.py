"""The output phase on two processes (parallel.py): the same bytes as one process, and a failure in either
process fails the whole build, leaves the previous site in place and no process behind."""

from __future__ import annotations

import os

import pytest

from halsolots.generators import feeds
from halsolots.build import parallel, run
from halsolots.site import processes

from conftest import FIXTURE_CONTENT, build_site
from site_pages import tree_differences

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the output phase forks only where os.fork exists")


def test_two_processes_write_the_same_bytes_as_one(tmp_path):
    one, two = tmp_path / "one" / "output", tmp_path / "two" / "output"
    assert build_site(one, FIXTURE_CONTENT, PARALLEL_OUTPUT=1) == 0
    assert build_site(two, FIXTURE_CONTENT, PARALLEL_OUTPUT=2) == 0
    assert tree_differences(one, two) == []
    # Both languages' pages and feeds are there (each written by its own process).
    assert (two / "kalender" / "alla.ics").exists() and (two / "en" / "kalender" / "alla.ics").exists()
    assert (two / "index.html").exists() and (two / "en" / "index.html").exists()


def test_processes_follow_the_setting_and_the_languages():
    assert parallel.processes({"PARALLEL_OUTPUT": 1, "LANGUAGES": ["sv", "en"], "DEFAULT_LANG": "sv"}) == 1
    assert parallel.processes({"PARALLEL_OUTPUT": 4, "LANGUAGES": ["sv", "en"], "DEFAULT_LANG": "sv"}) == 2
    assert parallel.processes({"PARALLEL_OUTPUT": 2, "LANGUAGES": ["sv"], "DEFAULT_LANG": "sv"}) == 1


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as handle:
        return {int(pid) for pid in handle.read().split()}


@pytest.mark.parametrize("failing", ["child", "parent"])
def test_a_failure_in_either_process_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch, capsys, failing):
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT, PARALLEL_OUTPUT=2) == 0
    before = (output / "index.html").read_bytes()
    children = _children()
    original = feeds.FeedGenerator.generate_output

    def broken(self, writer):
        if (run.active().index > 0) == (failing == "child"):  # the child writes the second share
            raise RuntimeError(f"broken feed writer in the {failing}")
        return original(self, writer)

    monkeypatch.setattr(feeds.FeedGenerator, "generate_output", broken)
    assert build_site(output, FIXTURE_CONTENT, PARALLEL_OUTPUT=2) == 1
    assert f"broken feed writer in the {failing}" in capsys.readouterr().err
    assert (output / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("output.")) == []
    assert _children() == children  # no output process left running or unreaped


def test_reading_on_two_cores_keeps_the_order_and_reports_the_childs_errors(caplog):
    import logging

    settings = {"PARALLEL_OUTPUT": 2, "LANGUAGES": ["sv", "en"], "DEFAULT_LANG": "sv"}
    items = list(range(200))

    def square(number):
        if number == 150:  # in the child's half
            logging.getLogger("halsolots.test").error("a broken file: %d", number)
        return number * number

    with caplog.at_level(logging.ERROR):
        assert processes.map_in_two(square, items, settings) == [n * n for n in items]
    assert "a broken file: 150" in caplog.text  # logged by the parent, so the build fails on it


def test_a_failure_while_reading_in_the_child_fails_in_the_parent():
    settings = {"PARALLEL_OUTPUT": 2, "LANGUAGES": ["sv", "en"], "DEFAULT_LANG": "sv"}
    children = _children()

    def broken(number):
        if number == 199:
            raise ValueError("unreadable")
        return number

    with pytest.raises(processes.OutputFailed, match="unreadable"):
        processes.map_in_two(broken, list(range(200)), settings)
    assert _children() == children
