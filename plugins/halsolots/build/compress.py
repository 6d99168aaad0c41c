"""Pre-compressed copies of text files (`PRECOMPRESS`), for servers that serve them as they are.
"""

from __future__ import annotations

import gzip
import os
import brotli


# Pre-compressed copies of a text file, name + suffix: gzip, then Brotli (_compress makes them in this order;
# the output cache links a file's copies with it).
COPIES = (".gz", ".br")


COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".ics", ".xml", ".json", ".txt", ".svg", ".vtt", ".webmanifest")


# Brotli's quality 10 makes files ~2 % larger than 11 in a quarter of the time (thousands of pages per build).
BROTLI_QUALITY = 10


def precompress(output_path: str, settings: dict | None = None, unchanged=lambda name: False) -> int:
    """.gz and .br copies of text files for servers that serve them as they are (nginx gzip_static/brotli_static).

    gzip with mtime=0 and no file name, so the copies are reproducible. A copy no smaller than its original
    is not written. `unchanged(name)` says a file's previous copies were linked into the output (the output
    cache); a file whose copies are already there (linked with their folder) is left as it is. The work is
    shared by both cores (parallel.map_in_two). Returns how many copies were written.
    """
    from ..site.processes import map_in_two

    todo = []
    for folder, dirs, files in os.walk(output_path):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(COMPRESSIBLE) or unchanged(os.path.relpath(path, output_path)):
                continue
            if not any(os.path.exists(path + suffix) for suffix in COPIES):
                todo.append(path)
    return sum(map_in_two(_compress, todo, settings or {"PARALLEL_OUTPUT": 1}))


def _compress(path: str) -> int:
    with open(path, "rb") as handle:
        data = handle.read()
    written = 0
    for suffix, packed in zip(COPIES, (gzip.compress(data, compresslevel=9, mtime=0),
                                       brotli.compress(data, quality=BROTLI_QUALITY))):
        if len(packed) < len(data):
            with open(path + suffix, "wb") as handle:
                handle.write(packed)
            written += 1
    return written
