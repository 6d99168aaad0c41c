"""Both cores for a build: reading splits the uncached Markdown in two, and after all content is read the
build forks and each process writes the pages of some site languages.

Rendering is most of a build and every page is rendered from the same read-only context, so after Pelican's
generate_context the process forks (copy-on-write: nothing is pickled) and each process renders the pages
of its languages. Splitting by language keeps each language's shared fragments (fragments.py) in one
process. Only generators that subclass `ShardedOutput` run in the child; in the parent they render
only the parent's languages, and every other generator (Pelican's pages and news, static files, CSS)
runs as usual. The output is byte-identical to a one-process build: each file is written by exactly one
process, from the same inputs. The child reports what the parent must know (errors, the output cache's
files and memos, fragments to keep) through a pipe.

Settings: PARALLEL_OUTPUT = number of processes (default: the cores, at most 2 — one per language of a
two-language site; 1 turns it off). Without os.fork (Windows) the build runs in one process.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import traceback

from . import fragments, outputcache
from .site import site_languages

log = logging.getLogger(__name__)


class OutputFailed(Exception):
    """The other process of the output phase failed; its messages were printed as it ran."""


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


class ErrorCollector(logging.Handler):
    """Appends the message of every error logged to `messages`: a child's errors for its report to the
    parent, and a build's (cli.build), since Pelican logs rather than raises many problems."""

    def __init__(self, messages: list[str]):
        super().__init__(level=logging.ERROR)
        self.messages = messages

    def emit(self, record):
        self.messages.append(record.getMessage())


# --- a child process and its report ------------------------------------------------------------------------


def _fork() -> tuple[int, int]:
    """Fork with a pipe from the child to the parent: (pid, read end) in the parent, (0, write end) in the child."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()  # or the child would print what the parent has buffered a second time
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        return 0, write_end
    os.close(write_end)
    return pid, read_end


def _send_and_exit(pipe: int, report: dict, code: int) -> None:
    """The child's last act: its report, pickled, to the parent; then exit without the parent's clean-up."""
    try:
        try:
            data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - what cannot be pickled is reported as a failure
            data, code = pickle.dumps({"errors": report.get("errors", []), "failure": traceback.format_exc()}), 1
        sys.stdout.flush()
        sys.stderr.flush()
        with os.fdopen(pipe, "wb") as writer:
            writer.write(data)
    finally:
        os._exit(code)


def _receive(pid: int, pipe: int) -> tuple[dict, int]:
    """The parent: the child's report and exit code, once it has exited."""
    with os.fdopen(pipe, "rb") as reader:
        data = reader.read()
    _, status = os.waitpid(pid, 0)
    report = pickle.loads(data) if data else {"errors": [], "failure": "it stopped without a report"}
    return report, os.waitstatus_to_exitcode(status)


def _stop(pid: int, pipe: int) -> None:
    """The parent failed: a child still running is killed, not left writing."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
    os.close(pipe)


def cores(settings: dict) -> int:
    """How many processes a build may use: PARALLEL_OUTPUT, else the cores (at most 2); 1 without os.fork."""
    wanted = settings.get("PARALLEL_OUTPUT")
    if wanted is None:
        wanted = min(2, os.cpu_count() or 1)
    return max(1, int(wanted)) if hasattr(os, "fork") else 1


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


# --- reading on both cores --------------------------------------------------------------------------------

_MIN_SPLIT = 64  # below this many items a fork costs more than it saves


class _DropErrors(logging.Filter):
    """In a reading child: errors are reported to the parent, which logs them (once)."""

    def filter(self, record):
        return record.levelno < logging.ERROR


def map_in_two(function, items: list, settings: dict) -> list:
    """[function(item) for item in items], the second half computed in a forked child whose results come
    back pickled. For reading before the output phase; errors the child logs are logged by the parent, so
    the build still fails on them."""
    if cores(settings) == 1 or len(items) < _MIN_SPLIT:
        return [function(item) for item in items]
    half = len(items) // 2
    pid, pipe = _fork()
    if pid == 0:
        errors: list[str] = []
        root = logging.getLogger()
        for handler in root.handlers:
            handler.addFilter(_DropErrors())
        root.addHandler(ErrorCollector(errors))
        try:
            report = {"results": [function(item) for item in items[half:]], "errors": errors, "failure": None}
            code = 0
        except BaseException:  # noqa: BLE001 - reported to the parent
            report, code = {"errors": errors, "failure": traceback.format_exc()}, 1
        _send_and_exit(pipe, report, code)
    try:
        first = [function(item) for item in items[:half]]
    except BaseException:
        _stop(pid, pipe)
        raise
    report, _code = _receive(pid, pipe)
    for message in report["errors"]:
        log.error("%s", message)
    if report["failure"]:
        raise OutputFailed(f"the reading process failed: {report['failure']}")
    return first + report["results"]
