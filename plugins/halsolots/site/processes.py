"""Both cores: a forked child with a pipe back to its parent, and `map_in_two` for work split in two halves.

Plain process helpers (no build state): the build layer uses them for the output processes, the reading of
uncached Markdown and the compression of `make publish`. Without os.fork (Windows) everything runs in one process.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import traceback


log = logging.getLogger(__name__)


class OutputFailed(Exception):
    """The other process of the output phase failed; its messages were printed as it ran."""


class ErrorCollector(logging.Handler):
    """Appends the message of every error logged to `messages`: a child's errors for its report to the
    parent, and a build's (cli.build), since Pelican logs rather than raises many problems."""

    def __init__(self, messages: list[str]):
        super().__init__(level=logging.ERROR)
        self.messages = messages

    def emit(self, record):
        self.messages.append(record.getMessage())


def fork_with_pipe() -> tuple[int, int]:
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


def send_and_exit(pipe: int, report: dict, code: int) -> None:
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


def receive(pid: int, pipe: int) -> tuple[dict, int]:
    """The parent: the child's report and exit code, once it has exited."""
    with os.fdopen(pipe, "rb") as reader:
        data = reader.read()
    _, status = os.waitpid(pid, 0)
    report = pickle.loads(data) if data else {"errors": [], "failure": "it stopped without a report"}
    return report, os.waitstatus_to_exitcode(status)


def stop(pid: int, pipe: int) -> None:
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
    pid, pipe = fork_with_pipe()
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
        send_and_exit(pipe, report, code)
    try:
        first = [function(item) for item in items[:half]]
    except BaseException:
        stop(pid, pipe)
        raise
    report, _code = receive(pid, pipe)
    for message in report["errors"]:
        log.error("%s", message)
    if report["failure"]:
        raise OutputFailed(f"the reading process failed: {report['failure']}")
    return first + report["results"]
