"""The output phase on both cores.
"""

from __future__ import annotations

import logging
import traceback
from . import fragments
from . import outputcache
from ..content.settings import site_languages
from ..site.processes import ErrorCollector, OutputFailed, _fork, _receive, _send_and_exit, _stop, cores


class _State:
    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.index = 0  # this process's share
        self.count = 1  # processes writing output
        self.languages: list[str] = []
        self.child_pid: int | None = None
        self.pipe: int | None = None  # parent: read end; child: write end
        self.generators: list | None = None
        self.errors: list[str] = []
        self.sharding = False  # a ShardedOutput is writing

    @property
    def in_child(self) -> bool:
        return self.index > 0


_state = _State()


def mine(lang: str | None) -> bool:
    """Whether this process writes the output of a page or feed in `lang` (always, outside the split)."""
    if _state.count == 1 or not _state.sharding:
        return True
    languages = _state.languages
    position = languages.index(lang) if lang in languages else 0
    return position % _state.count == _state.index


class ShardedOutput:
    """Mixin for a generator whose output is split between the processes by language: subclasses implement
    write_output(writer) and check `mine(lang)` before any work that writes a file outside the writer."""

    def generate_output(self, writer):
        _state.sharding = True
        try:
            self.write_output(writer)
        except BaseException:
            if _state.in_child:
                _exit_child(1, traceback.format_exc())
            raise
        finally:
            _state.sharding = False

    def write_output(self, writer):  # pragma: no cover - abstract
        raise NotImplementedError


def processes(settings: dict) -> int:
    """Processes of the output phase: one per language at most (the output is split by language)."""
    return min(cores(settings), len(site_languages(settings)))


def remember_generators(generators) -> None:
    """all_generators_finalized: Pelican's own list, which its output loop iterates after get_writer."""
    _state.generators = generators


def start(pelican) -> None:
    """Called as the writer is created (after every generate_context): fork the output processes."""
    settings = pelican.settings
    generators, _state.generators = _state.generators, None
    _state.reset()
    count = processes(settings)
    if count == 1 or generators is None:
        return
    _state.languages = site_languages(settings)
    pid, pipe = _fork()
    if pid == 0:  # the child writes the second share and only runs the sharded generators
        _state.index, _state.count, _state.pipe = 1, count, pipe
        logging.getLogger().addHandler(ErrorCollector(_state.errors))
        generators[:] = [g for g in generators if isinstance(g, ShardedOutput)]
        return
    _state.index, _state.count, _state.child_pid, _state.pipe = 0, count, pid, pipe


def finish(pelican) -> None:
    """finalized (connected first): the child reports and exits; the parent waits for it."""
    if _state.in_child:
        _exit_child(1 if _state.errors else 0, None)
    if _state.child_pid is None:
        return
    pid, pipe = _state.child_pid, _state.pipe
    _state.child_pid = _state.pipe = None
    report, code = _receive(pid, pipe)
    _state.reset()
    if report.get("cache") and outputcache.current is not None:
        outputcache.current.merge(report["cache"])  # the files and memos the child wrote
    if report.get("fragments"):
        fragments.merge(report["fragments"])
    if report["failure"] or report["errors"] or code != 0:
        details = report["failure"] or "\n".join(report["errors"]) or f"exit status {code}"
        raise OutputFailed(f"the output process for some languages failed: {details}")


def abandon() -> None:
    """After a failed build in the parent: stop a child still writing into the staging folder."""
    if _state.in_child:
        _exit_child(1, traceback.format_exc())
    if _state.child_pid is not None:
        _stop(_state.child_pid, _state.pipe)
    _state.reset()


def _exit_child(code: int, failure: str | None) -> None:
    cache = outputcache.current.report() if outputcache.current is not None else None
    _send_and_exit(_state.pipe, {"errors": _state.errors, "failure": failure, "cache": cache,
                                 "fragments": fragments.report()}, code)
