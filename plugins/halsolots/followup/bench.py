"""How fast the follow-up reads access logs: `python -m halsolots.followup.bench [--lines 1000000] [--gzip]`.

Writes a synthetic log of the site's own format (pages, assets, feeds, searches, robots, 404s and a few broken
lines, in the proportions of a public site), then counts it as `make uppfoljning` does and prints lines per second
and the peak memory. BENCHMARKS.md has the figures ("Uppföljningen: loggläsning").
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from .logs import log_files, read_lines
from .visits import SiteMap, count_lines

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
AGENTS = [BROWSER, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "iOS/18.1 (22B83) dataaccessd/1.0", "Google-Calendar-Importer"]
PATHS = ["/", "/program/", "/aktivitet/qigong-angered/", "/omrade/nordost/", "/halsa/somn/", "/filmer/",
         "/en/", "/en/programme/", "/kalender/", "/theme/css/site.css", "/theme/js/search.js",
         "/pagefind/pagefind.js", "/media/bild.webp", "/kalender/alla.ics", "/kalender/omrade/nordost.ics",
         "/sok/?q=s%C3%B6mn", "/sok/?q=yoga", "/finns-inte/", "/api/v1/activities.json"]
WEIGHTS = [12, 8, 10, 5, 5, 3, 3, 2, 2, 15, 10, 5, 6, 2, 1, 1, 1, 2, 1]


def write_log(path: Path, lines: int, compress: bool = False, seed: int = 1) -> None:
    """`lines` lines over a year (the halsolots format), written in chunks."""
    rng = random.Random(seed)
    opener = gzip.open if compress else open
    with opener(path, "wt", encoding="utf-8") as handle:
        chunk = []
        for index in range(lines):
            day = 1 + index * 365 // lines
            month, mday = _month_day(day)
            target = rng.choices(PATHS, WEIGHTS)[0]
            status = 404 if target == "/finns-inte/" else (304 if rng.random() < 0.1 else 200)
            agent = rng.choice(AGENTS)
            if index % 10_000 == 9_999:
                chunk.append("broken line\n")
                continue
            chunk.append(f'2027-{month:02d}-{mday:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+01:00 '
                         f'"GET {target} HTTP/1.1" {status} {rng.randrange(200, 90000)} "{agent}"\n')
            if len(chunk) >= 10_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))


def _month_day(day_of_year: int) -> tuple[int, int]:
    lengths = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    day = min(day_of_year, 365)
    for month, length in enumerate(lengths, start=1):
        if day <= length:
            return month, day
        day -= length
    return 12, 31


class _Site:
    """The URL scheme alone (site.DEFAULT_PATHS) for two languages: no content needs reading to time the logs."""

    def __init__(self):
        from ..site.site import DEFAULT_PATHS

        self.paths, self.languages, self.default_lang = dict(DEFAULT_PATHS), ["sv", "en"], "sv"


def measure(lines: int, compress: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("access.log.1.gz" if compress else "access.log")
        write_log(path, lines, compress)
        size = os.path.getsize(path)
        started, cpu = time.perf_counter(), time.process_time()
        figures = count_lines(read_lines(log_files([str(path)])), 2027, SiteMap(_Site()))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"lines": figures.lines, "seconds": seconds, "per_second": figures.lines / seconds, "bytes": size,
            "cpu_per_second": figures.lines / cpu,
            "visits": figures.visits, "broken": figures.broken,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m halsolots.followup.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true", help="a gzip-rotated file instead of a plain one")
    args = parser.parse_args(argv)
    result = measure(args.lines, args.gzip)
    print(f"{result['lines']:,} lines ({result['bytes'] / 1e6:.0f} MB{' gzip' if args.gzip else ''}) in "
          f"{result['seconds']:.1f} s: {result['per_second']:,.0f} lines/s ({result['cpu_per_second']:,.0f} a CPU second); "
          f"{result['visits']:,} visits, "
          f"{result['broken']:,} broken lines; peak memory {result['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
