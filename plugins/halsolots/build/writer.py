"""The one door to the output: every page and file a generator asks for is rendered here or reused.

`BuildWriter` is the generators' writer (generators/writer.py) with the build's decisions added: a file whose
key (outputcache.py) is the one the previous build wrote it from is linked from the previous output instead of
rendered; a process of the split output phase (parallel.py) writes only its own languages' files. The key of a
page is made from exactly the values its template sees, so what a template can read and what decides reuse
are the same thing.
"""

from __future__ import annotations

from ..generators.writer import LocalisedWriter


def writer_class(run):
    """A writer class bound to the running build (Pelican's get_writer signal wants a class)."""
    return type("BuildWriter", (BuildWriter,), {"run": run})


class BuildWriter(LocalisedWriter):
    run = None  # the BuildRun (run.py)

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.languages = self.run.languages(self.languages)
        self.run.writer = self

    def writes_shared(self) -> bool:
        return self.run.writes_shared

    def memo(self, values, produce):
        cache = self.run.cache
        key = cache.key("memo", *values)
        return produce() if key is None else cache.memo(key, produce)

    def _make(self, name, key_values, make):
        cache = self.run.cache
        key = None if key_values is None else cache.key(*key_values)
        if cache.reuse(name, key):
            return None
        made = make()
        cache.wrote(name, key)
        return made
