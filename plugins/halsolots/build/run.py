"""One build as the build layer sees it: the output cache, the memory, the output processes and what comes after
the pages (the sitemap, the search index), hooked into Pelican through its documented signals.

`build.py` makes a `BuildRun` and makes it `active` while Pelican runs; the signal handlers below find it there.
A Pelican run without it (`pelican content` with this plugin) gets a plain run: one process, nothing reused.
"""

from __future__ import annotations

import contextlib

from ..content.memory import NO_MEMORY, Memory
from ..content.memory import current as current_memory
from ..generators.contents import rebind_contexts
from ..site.site import get_site
from . import parallel, searchindex
from .fragments import Fragments, bytecode_cache, remembered_qr_codes
from .outputcache import OutputCache
from .writer import writer_class

_active: list["BuildRun"] = []


@contextlib.contextmanager
def activated(run: "BuildRun"):
    """`run` is the build Pelican's signals belong to while Pelican runs."""
    _active.append(run)
    try:
        yield run
    finally:
        _active.remove(run)


def active() -> "BuildRun":
    if not _active:
        _active.append(BuildRun(None, {}))  # a plain Pelican run: for its whole process
    return _active[-1]


class BuildRun:
    def __init__(self, settings: dict | None, options: dict):
        """`options`: output (the folder being replaced), staging (Pelican's OUTPUT_PATH), cache_root,
        preview (the devserver: update the served folder in place)."""
        self.options = options
        # The process's memory (the devserver's), else one for this build alone.
        self.persistent = current_memory() is not NO_MEMORY
        self.memory: Memory = current_memory() if self.persistent else Memory()
        self.process_count = parallel.processes(settings) if settings is not None and options else 1
        self.index = 0  # this process's share of the languages
        self.cache: OutputCache | None = None
        self.fragments: Fragments | None = None
        self.writer = None
        self.child = None  # the second output process (parallel.py)
        self.plugin_generators: list = []
        self.writer_class = writer_class(self)

    # --- the shares of the output phase ---------------------------------------------------------------

    def languages(self, languages: list[str]) -> list[str]:
        return parallel.share(languages, self.index, self.process_count)

    @property
    def writes_shared(self) -> bool:
        return self.index == 0

    def become_child(self) -> None:
        self.index = 1
        self.memory.start_share()
        self.cache.memos.start_share()

    def report(self) -> dict:
        """What the child hands the parent."""
        return {"cache": self.cache.report(), "sitemap": self.writer.sitemap if self.writer else {},
                "memory": self.memory.report()}

    # --- Pelican's signals ----------------------------------------------------------------------------

    def context_ready(self, generators, plugin_generators) -> None:
        """all_generators_finalized: every generator has read its content. Digest the site and the activities
        (once, before the output processes part) and note the plugin's generators for the second process."""
        rebind_contexts(generators)
        context = generators[0].context
        site = get_site(context)
        options = self.options
        self.cache = OutputCache(context, site.today, context.get("activities", []),
                                 previous_output=options.get("output", ""),
                                 output=options.get("staging", context["OUTPUT_PATH"]),
                                 cache_root=options.get("cache_root", context.get("CACHE_PATH", "cache")),
                                 enabled=bool(options and context.get("BUILD_CACHE", True)),
                                 in_place=options.get("preview", False))
        self.fragments = Fragments(self.cache)
        cache_root = options.get("cache_root") if options and context.get("BUILD_CACHE", True) else None
        qr_codes = remembered_qr_codes(self.cache)
        for generator in generators:
            generator.env.globals["fragment"] = self.fragments
            generator.env.globals["qr_code"] = qr_codes
            # Compiled templates shared by every generator's environment (and kept by the memory).
            generator.env.bytecode_cache = bytecode_cache(generator.env, self.memory, cache_root)
        self.plugin_generators = plugin_generators

    def start_output_processes(self, writer) -> None:
        """The output phase begins (plugin.OutputProcesses): fork the second output process."""
        if self.process_count > 1:
            self.child = parallel.start_child(self, writer)

    def finish(self, pelican) -> None:
        """finalized: the output is complete once the child has joined; then the sitemap and the search index."""
        writer = self.writer
        sitemap = dict(writer.sitemap) if writer is not None else {}
        if self.child is not None:
            child, self.child = self.child, None
            report = parallel.join(child)
            self.cache.merge(report["cache"])
            self.memory.merge(report["memory"])
            sitemap.update(report["sitemap"])
        from ..generators.production import write_sitemap

        write_sitemap(pelican.settings, pelican.output_path, sitemap)
        searchindex.index_site(pelican, self.cache)

    def abandon(self) -> None:
        """The build failed in the parent: a child still writing into the staging folder is stopped."""
        if self.child is not None:
            self.child.kill()
            self.child = None


def _get_writer(pelican):
    return active().writer_class


def _finish(pelican) -> None:
    active().finish(pelican)


def connect(signals) -> None:
    signals.get_writer.connect(_get_writer)
    signals.finalized.connect(_finish)
