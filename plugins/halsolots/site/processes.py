"""Both cores, with the standard library's multiprocessing and its fork start method: the child sees everything
the parent has read (copy-on-write, nothing pickled) and only its result comes back, pickled, through a pipe.

Plain process helpers (no build state): the build layer uses them for the second output process, the reading of
uncached Markdown and the compression of `make publish`. Without fork (Windows) everything runs in one process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import traceback

log = logging.getLogger(__name__)
_MIN_SPLIT = 64  # below this many items a second process costs more than it saves


class OutputFailed(Exception):
    """The other process failed; its messages were printed as it ran."""


class ErrorCollector(logging.Handler):
    """Appends the message of every error logged to `messages`: a child's errors for its report to the
    parent, and a build's (build.py), since Pelican logs rather than raises many problems."""

    def __init__(self, messages: list[str]):
        super().__init__(level=logging.ERROR)
        self.messages = messages

    def emit(self, record):
        self.messages.append(record.getMessage())


class _DropErrors(logging.Filter):
    """In a child whose errors the parent logs: not printed twice."""

    def filter(self, record):
        return record.levelno < logging.ERROR


def cores(settings: dict) -> int:
    """How many processes a build may use: PARALLEL_OUTPUT, else the cores (at most 2); 1 without fork."""
    wanted = settings.get("PARALLEL_OUTPUT")
    if wanted is None:
        wanted = min(2, os.cpu_count() or 1)
    return max(1, int(wanted)) if "fork" in multiprocessing.get_all_start_methods() else 1


class Child:
    """`work()` in a forked process. `result()` waits for it: (its return value, the errors it logged, the
    traceback of what it raised or None). `quiet_errors`: the child does not print its errors itself."""

    def __init__(self, work, quiet_errors: bool = False):
        self._pipe, send = multiprocessing.Pipe(duplex=False)

        def run() -> None:
            errors: list[str] = []
            root = logging.getLogger()
            if quiet_errors:
                for handler in root.handlers:
                    handler.addFilter(_DropErrors())
            root.addHandler(ErrorCollector(errors))
            try:
                result, failure = work(), None
            except BaseException:  # noqa: BLE001 - reported to the parent
                result, failure = None, traceback.format_exc()
            send.send((result, errors, failure))

        self._process = multiprocessing.get_context("fork").Process(target=run, daemon=True)
        # What both processes share stays out of the collector's way until the child has joined (the standard
        # library's advice for fork without exec): otherwise each process's first full collection writes to every
        # object it traverses and copies the whole shared heap, page by page.
        gc.freeze()
        self._frozen = True
        self._process.start()
        send.close()

    def result(self) -> tuple:
        try:
            result, errors, failure = self._pipe.recv()
        except EOFError:
            result, errors, failure = None, [], "it stopped without a report"
        self._process.join()
        self._pipe.close()
        self._thaw()
        if self._process.exitcode and not failure:
            failure = f"exit status {self._process.exitcode}"
        return result, errors, failure

    def kill(self) -> None:
        """The parent failed: the child is stopped, not left writing."""
        self._process.kill()
        self._process.join()
        self._pipe.close()
        self._thaw()

    def _thaw(self) -> None:
        if self._frozen:
            self._frozen = False
            gc.unfreeze()


def map_in_two(function, items: list, settings: dict) -> list:
    """[function(item) for item in items], the second half computed in a child. Errors the child logs are logged
    by the parent, so a build still fails on them."""
    if cores(settings) == 1 or len(items) < _MIN_SPLIT:
        return [function(item) for item in items]
    half = len(items) // 2
    child = Child(lambda: [function(item) for item in items[half:]], quiet_errors=True)
    try:
        first = [function(item) for item in items[:half]]
    except BaseException:
        child.kill()
        raise
    rest, errors, failure = child.result()
    for message in errors:
        log.error("%s", message)
    if failure:
        raise OutputFailed(f"the reading process failed: {failure}")
    return first + rest
