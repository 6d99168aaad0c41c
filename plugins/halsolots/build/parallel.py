"""The output phase on both cores: one process per language share, over the same read content.

After every generator's generate_context, Pelican's output loop reaches `OutputProcesses` (plugin.py), the
first of the plugin's generators (Pelican's own pages and news have been written by then). With two cores it forks:
the child writes the second share of the site's languages by calling generate_output of each of the plugin's
generators with a writer for that share, reports what the parent must know (errors, the output cache's files
and memos, the sitemap's pages, what its memory kept) through a pipe and exits; the parent goes on with
Pelican's loop writing the first share, the files of no language and the static files, and joins the child
when the output is complete (run.py). Every file is written by exactly one process from the same inputs, so
the output is byte-identical to one process's. Forking copies the read content for free (copy-on-write).

Settings: PARALLEL_OUTPUT = number of processes (default: the cores, at most 2 — one per language of a
two-language site; 1 turns it off). Without os.fork (Windows) the build runs in one process.
"""

from __future__ import annotations

import logging
import traceback

from ..content.settings import site_languages
from ..site.processes import ErrorCollector, OutputFailed, cores, fork_with_pipe, receive, send_and_exit, stop


def processes(settings: dict) -> int:
    """Processes of the output phase: one per language at most (the output is split by language)."""
    return min(cores(settings), len(site_languages(settings)))


def share(languages: list[str], index: int, count: int) -> list[str]:
    """The languages process `index` of `count` writes."""
    return [lang for position, lang in enumerate(languages) if position % count == index]


class Child:
    """The parent's handle on the second output process."""

    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe

    @classmethod
    def start(cls, run, parent_writer) -> "Child | None":
        pid, pipe = fork_with_pipe()
        if pid:
            return cls(pid, pipe)
        # The child: its share of the languages, the plugin's generators after this one, then a report.
        errors: list[str] = []
        logging.getLogger().addHandler(ErrorCollector(errors))
        failure, code = None, 0
        try:
            run.become_child()
            writer = run.writer_class(parent_writer.output_path, settings=parent_writer.settings)
            for generator in run.plugin_generators:
                generator.generate_output(writer)
        except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
            failure, code = traceback.format_exc(), 1
        report = {"errors": errors, "failure": failure, **run.report()}
        send_and_exit(pipe, report, 1 if errors else code)  # never returns: the parent finishes the build

    def join(self) -> dict:
        report, code = receive(self.pid, self.pipe)
        if report["failure"] or report["errors"] or code != 0:
            details = report["failure"] or "\n".join(report["errors"]) or f"exit status {code}"
            raise OutputFailed(f"the output process for some languages failed: {details}")
        return report

    def kill(self) -> None:
        stop(self.pid, self.pipe)
