"""The output phase on both cores: one process per language share, over the same read content.

After every generator's generate_context, Pelican's output loop reaches `OutputProcesses` (plugin.py), the first
of the plugin's generators (Pelican's own pages and news have been written by then). With two cores it starts a
child (site/processes.py) that writes the second share of the site's languages by calling generate_output of
each of the plugin's generators with a writer for that share, and returns what the parent must know (the output
cache's files and memos, the sitemap's pages, what its memory kept). The parent goes on with Pelican's loop
writing the first share, the files of no language and the static files, and joins the child when the output is
complete (run.py). Every file is written by exactly one process from the same inputs, so the output is
byte-identical to one process's.

Settings: PARALLEL_OUTPUT = number of processes (default: the cores, at most 2 — one per language of a
two-language site; 1 turns it off).
"""

from __future__ import annotations

from ..content.settings import site_languages
from ..site.processes import Child, OutputFailed, cores


def processes(settings: dict) -> int:
    """Processes of the output phase: one per language at most (the output is split by language)."""
    return min(cores(settings), len(site_languages(settings)))


def share(languages: list[str], index: int, count: int) -> list[str]:
    """The languages process `index` of `count` writes."""
    return [lang for position, lang in enumerate(languages) if position % count == index]


def start_child(run, parent_writer) -> Child:
    def work() -> dict:
        run.become_child()
        writer = run.writer_class(parent_writer.output_path, settings=parent_writer.settings)
        for generator in run.plugin_generators:
            generator.generate_output(writer)
        return run.report()

    return Child(work)


def join(child: Child) -> dict:
    """The child's report once it has finished; OutputFailed when it failed or logged an error."""
    report, errors, failure = child.result()
    if failure or errors:
        raise OutputFailed(f"the output process for some languages failed: {failure or chr(10).join(errors)}")
    return report
