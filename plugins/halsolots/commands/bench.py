"""Build-speed benchmark: `make bench` / `python -m halsolots.commands.bench [--large] [--sizes 1000,5000]`.

Generates a synthetic site in the project's real content format (the vocabularies from content/data, N
activities — single dates and weekly series with exceptions, every district and group, Swedish originals
and ~30 % English translations — plus copies of every other content kind the repository has), then builds
it twice, each in a fresh child process: with the project (all plugins, both languages, every page and
feed) and with plain Pelican (no plugins, the simple theme, every Markdown file a page). The headline is
the ratio of the two. The project child also rebuilds in-process after editing one activity, the way the
devserver does. Results go to stdout and, with --write, into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from ..content.memory import Memory, remembering
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 1)
# Folders of the repository's content that are not "a kind of content" to copy and multiply.
_NOT_KINDS = {"aktiviteter", "data", "media"}
# pelicanconf.py's IGNORE_FILES: never multiplied, and the plain build ignores them too.
_IGNORED = (".#*", "README.md", "*.template.md")

_WORDS = ("vi träffas varje vecka och pratar om hälsa sömn stress rörelse mat och gemenskap tillsammans med "
          "andra i samma situation ledaren berättar kort om dagens tema sedan finns tid för frågor och samtal "
          "alla är välkomna oavsett erfarenhet du behöver inte anmäla dig i förväg ta gärna med en vän kaffe "
          "och frukt finns på plats lokalen är tillgänglig och det finns hörslinga promenaden går i lugnt tempo "
          "längs vattnet och genom parken vi stannar ofta och pratar om hur kroppen mår").split()
_EN_WORDS = ("we meet every week and talk about health sleep stress movement food and community together with "
             "others in the same situation the leader gives a short talk on the theme then there is time for "
             "questions everyone is welcome no experience needed you do not need to register bring a friend "
             "coffee and fruit are served the room is accessible and has a hearing loop").split()


# --- the synthetic site ----------------------------------------------------------------------------------


def _ids(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [entry for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or [] if isinstance(entry, dict)]


def _prose(rng: random.Random, words: tuple[str, ...] | list[str], count: int) -> str:
    paragraphs = []
    while count > 0:
        size = min(count, rng.randint(40, 90))
        text = " ".join(rng.choice(words) for _ in range(size))
        paragraphs.append(text[0].upper() + text[1:] + ".")
        count -= size
    return "\n\n".join(paragraphs)


def _weekday_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _activity_files(index: int, rng: random.Random, vocab: dict) -> dict[str, str]:
    """One activity: the Swedish original and, about a third of the time, an English translation."""
    slug = f"bench-aktivitet-{index:05d}"
    district = vocab["districts"][index % len(vocab["districts"])]
    venues = [v for v in vocab["venues"] if v.get("district") == district] or vocab["venues"]
    venue = "online" if rng.random() < 0.08 or not venues else rng.choice(venues)["id"]
    groups = [vocab["groups"][index % len(vocab["groups"])]]
    groups += rng.sample(vocab["groups"], rng.randint(0, 2))
    category = vocab["categories"][index % len(vocab["categories"])]
    hour = rng.choice((9, 10, 13, 15, 17, 18))
    # Mostly current or future: a file whose last date has passed is archived by the communicators.
    first = TODAY + timedelta(days=rng.randint(-90, 150))
    header = [f"Title: Aktivitet {index} – {category} i {district}", f"Slug: {slug}", "Lang: sv",
              f"Summary: {_prose(rng, _WORDS, 20)}"]
    if rng.random() < 0.6:  # weekly series of 6–30 weeks, often with a break or two
        weeks = max(rng.randint(6, 30), (TODAY - first).days // 7 + 3)
        until = first + timedelta(weeks=weeks - 1)
        header += [f"Start: {first} {hour:02d}:00", f"End: {hour + 1:02d}:30", "Repeat: weekly", f"Until: {until}"]
        dates = [first + timedelta(weeks=k) for k in range(weeks)]
        skipped = rng.sample(dates[1:], min(len(dates) - 1, rng.randint(0, 3)))
        if skipped:
            header.append("Except: " + ", ".join(str(d) for d in sorted(skipped)))
        left = [d for d in dates if d not in skipped]
        if rng.random() < 0.1 and len(left) > 2:
            header.append(f"Cancelled-dates: {left[1]}")
    else:
        first = max(first, TODAY + timedelta(days=rng.randint(1, 60)))
        header += [f"Start: {first} {hour:02d}:00", f"End: {hour + 1:02d}:00"]
    header += [f"Venue: {venue}", f"Districts: {district}", "Groups: " + ", ".join(dict.fromkeys(groups)),
               f"Category: {category}"]
    if vocab["themes"]:
        header.append("Themes: " + ", ".join(rng.sample(vocab["themes"], min(2, len(vocab["themes"])))))
    header += ["Organiser: Hälsolots Centrum", "Partners: Stadsbiblioteket, Närhälsan"]
    required = rng.random() < 0.3
    header.append(f"Registration: {'required' if required else 'drop-in'}")
    if required:
        header.append("How-to-register: Ring 031-365 00 00 eller mejla halsolots@goteborg.example")
    header += ["Languages: sv, en" if rng.random() < 0.4 else "Languages: sv",
               f"Sign-language: {'yes' if rng.random() < 0.1 else 'no'}"]
    if rng.random() < 0.03:
        header += ["Status: cancelled", "Cancellation-note: Ledaren är sjuk. Ett nytt datum kommer."]
    header.append(f"Modified: {TODAY - timedelta(days=rng.randint(1, 60))}")
    files = {f"{slug}.md": "\n".join(header) + "\n\n" + _prose(rng, _WORDS, rng.randint(150, 450)) + "\n"}
    if rng.random() < 0.3:
        english = [f"Title: Activity {index}", f"Slug: {slug}", "Lang: en", f"Summary: {_prose(rng, _EN_WORDS, 20)}"]
        if required:
            english.append("How-to-register: Call 031-365 00 00 or e-mail halsolots@goteborg.example")
        files[f"{slug}.en.md"] = "\n".join(english) + "\n\n" + _prose(rng, _EN_WORDS, rng.randint(150, 450)) + "\n"
    return files


def _copy_kind(source: Path, target: Path, copies: int) -> int:
    """Copy one content folder, plus `copies` renamed copies of each file (same Slug suffix for a translation)."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    count = 0
    for path in sorted(source.rglob("*.md")):
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in _IGNORED):
            continue
        text = path.read_text(encoding="utf-8")
        stem, _, rest = path.name.partition(".")
        for k in range(1, copies + 1):
            copy = re.sub(r"^(Slug:\s*)(\S+)", rf"\g<1>\g<2>-bench{k}", text, count=1, flags=re.M)
            copy = re.sub(r"^(Title:\s*)(.+)$", rf"\g<1>\g<2> ({k})", copy, count=1, flags=re.M)
            (target / path.relative_to(source).parent / f"{stem}-bench{k}.{rest}").write_text(copy, encoding="utf-8")
            count += 1
    return count


def generate_site(root: Path, activities: int, seed: int = 9) -> dict:
    """Write a synthetic content folder into root/content; returns what it holds."""
    content = root / "content"
    source = REPO / "content"
    shutil.copytree(source / "data", content / "data")
    if (source / "media").exists():
        shutil.copytree(source / "media", content / "media")
    data = content / "data"
    vocab = {
        "districts": [e["id"] for e in _ids(data / "districts.yaml")],
        "groups": [e["id"] for e in _ids(data / "target-groups.yaml")],
        "categories": [e["id"] for e in _ids(data / "categories.yaml")],
        "themes": [e["id"] for e in _ids(data / "themes.yaml")],
        "venues": _ids(data / "venues.yaml"),
    }
    # The demo activities come along: other content (health pages, films) may link to them by Slug.
    shutil.copytree(source / "aktiviteter", content / "aktiviteter")
    demo = sum(1 for p in (source / "aktiviteter").glob("*.md") if p.name.count(".") == 1)
    rng = random.Random(seed)
    written = {"activities": max(activities, demo), "translations": 0, "other": {}}
    for index in range(max(0, activities - demo)):
        for name, text in _activity_files(index, rng, vocab).items():
            (content / "aktiviteter" / name).write_text(text, encoding="utf-8")
            written["translations"] += name.endswith(".en.md")
    # Every other kind of content (pages, news, health pages, films…): the repository's files, multiplied
    # so the site grows with the programme (one copy per 100 activities).
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and p.name not in _NOT_KINDS):
        written["other"][folder.name] = _copy_kind(folder, content / folder.name, activities // 100)
    return written


def edit_one_activity(content: Path, which: int = -1) -> Path:
    """Change the text of one activity, as a communicator saving a file does."""
    path = sorted(p for p in (content / "aktiviteter").glob("*.md") if p.name.count(".") == 1)[which]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\nEn ny mening från en kommunikatör.\n")
    return path


# --- the measured builds (each in its own child process) --------------------------------------------------


def _plain_settings(content: Path, output: Path) -> dict:
    from pelican.settings import DEFAULT_CONFIG

    folders = sorted(p.name for p in content.iterdir() if p.is_dir() and p.name not in ("data", "media"))
    return {
        "PATH": str(content), "OUTPUT_PATH": str(output), "THEME": "simple", "PLUGINS": [],
        "PAGE_PATHS": folders, "ARTICLE_PATHS": [], "STATIC_PATHS": ["media"], "DEFAULT_LANG": "sv",
        "IGNORE_FILES": list(_IGNORED), "TIMEZONE": "Europe/Stockholm",
        # Like the project's builds, the cold build writes Pelican's content cache and the warm one reads it.
        "SITEURL": "", "CACHE_PATH": str(output) + "-cache", "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": False,
        "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None, "SLUGIFY_SOURCE": "basename",
        "MARKDOWN": DEFAULT_CONFIG["MARKDOWN"],
        # The simple theme lists every page in every page's menu (pages × pages): off, or the baseline
        # would be quadratic and flatter the ratio.
        "DISPLAY_PAGES_ON_MENU": False, "DISPLAY_CATEGORIES_ON_MENU": False,
        # One folder per content kind, as in the project (a health page and a film may share a slug).
        "PATH_METADATA": r"(?P<kind>[^/]+)/.*", "PAGE_URL": "{kind}/{slug}.html", "PAGE_SAVE_AS": "{kind}/{slug}.html",
        "PAGE_LANG_URL": "{lang}/{kind}/{slug}.html", "PAGE_LANG_SAVE_AS": "{lang}/{kind}/{slug}.html",
    }


def _child(kind: str, content: Path, output: Path, rebuild: bool) -> dict:
    result = _child_builds(kind, content, output, rebuild)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return result


class _Timer:
    """Wall-clock and CPU seconds (this process and its children) of a block: CPU time stays meaningful
    when other work shares the machine."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), sum(os.times()[:4])
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, sum(os.times()[:4]) - self.cpu


def _child_builds(kind: str, content: Path, output: Path, rebuild: bool) -> dict:
    import logging

    logging.basicConfig(level=logging.CRITICAL)
    result: dict = {}
    if kind == "plain":
        from pelican import Pelican
        from pelican.settings import configure_settings, DEFAULT_CONFIG

        settings = _plain_settings(content, output)
        with _Timer() as timer:
            Pelican(configure_settings({**DEFAULT_CONFIG, **settings})).run()
        result.update(build=timer.wall, build_cpu=timer.cpu)
        with _Timer() as timer:  # the same again, its content cache warm
            Pelican(configure_settings({**DEFAULT_CONFIG, **settings, "LOAD_CONTENT_CACHE": True})).run()
        result.update(warm=timer.wall, warm_cpu=timer.cpu)
        return result
    from ..build import build as build_module
    from ..build import searchindex

    overrides = {"PATH": str(content), "TODAY": TODAY.isoformat(), "CACHE_PATH": str(output) + "-cache"}
    settings_file = str(REPO / "pelicanconf.py")

    def timed(name: str, *args, **kwargs) -> None:
        with _Timer() as timer:
            code = build_module.build(*args, **kwargs)
        if code:
            raise SystemExit(f"{name} of {content} failed ({code})")
        result.update({name: timer.wall, f"{name}_cpu": timer.cpu})

    if kind == "again":  # `make html` a second time: a new process, Pelican's and the output cache on disk
        timed("again", settings_file, str(output), overrides)
        return result
    # The builds of one process that keeps its memory between them (as the devserver does): cold, the same
    # content again, then one edit (its pages, listings and feeds rendered again, the search index made again).
    with remembering(Memory()):
        timed("build", settings_file, str(output), overrides)  # cold: nothing cached
        timed("warm", settings_file, str(output), overrides)
        if rebuild:
            edit_one_activity(content, 0)
            timed("edit_build", settings_file, str(output), overrides)
    if rebuild:
        # The devserver's first build (not measured: it fills the in-memory caches), then a save and its
        # rebuild; then the search index it refreshes in the background, timed on its own.
        memory = Memory()  # what the devserver's process keeps between its builds
        _devserver_rebuild(settings_file, output, overrides, memory)
        edit_one_activity(content)
        with _Timer() as timer:
            code = _devserver_rebuild(settings_file, output, overrides, memory)
        if code:
            raise SystemExit(f"the rebuild of {content} failed ({code})")
        result.update(rebuild=timer.wall, rebuild_cpu=timer.cpu)
        with _Timer() as timer:
            searchindex.index_later(str(output))
        result.update(search_refresh=timer.wall)
    return result


def _devserver_rebuild(settings_file: str, output: Path, overrides: dict, memory) -> int:
    """A build in the same process with the devserver's settings and memory, as `make devserver` does after a save."""
    from ..build import build as build_module
    from . import devserver

    with remembering(memory):
        return build_module.build(settings_file, str(output), {**overrides, **devserver.PREVIEW_SETTINGS},
                                  preview=True)


def run_child(kind: str, content: Path, output: Path, rebuild: bool = False) -> dict:
    """One build in a fresh Python process: its own timings, wall time and peak memory (max RSS)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    command = [sys.executable, "-m", "halsolots.commands.bench", "--child", kind, "--content", str(content),
               "--output", str(output)] + (["--rebuild"] if rebuild else [])
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{kind} build failed:\n{stderr.decode(errors='replace')[-3000:]}")
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    result["wall"] = wall
    result["pages"] = sum(1 for _ in output.rglob("*.html"))
    return result


# --- the report -------------------------------------------------------------------------------------------


def machine(work: Path) -> dict:
    """The machine, the library versions and the file system the sites are built on (`work`)."""
    import pelican

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram, 1), "python": platform.python_version(),
            "pelican": pelican.__version__, "os": platform.platform(terse=True), "work_fs": filesystem(work)}


def filesystem(path: Path, mounts: str | None = None) -> str:
    """The type of the file system holding `path` (the longest mount point above it in /proc/mounts), or
    "unknown". Builds create thousands of files and folders, so where the site is built can weigh as much as
    the code: on some disks creating a file costs ten times what it does in memory (tmpfs)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return "unknown"
    target, best, kind = os.path.realpath(path), "", "unknown"
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def measure(size: int, work: Path) -> dict:
    root = work / f"site-{size}"
    written = generate_site(root, size)
    content = root / "content"
    plain = run_child("plain", content, root / "plain-output")
    project = run_child("project", content, root / "output", rebuild=True)
    project["again"] = run_child("again", content, root / "output")["again"]
    shutil.rmtree(root, ignore_errors=True)
    return {"size": size, "written": written, "plain": plain, "project": project,
            "ratio": project["build"] / plain["build"], "ratio_cpu": project["build_cpu"] / plain["build_cpu"],
            "ratio_warm": project["warm"] / plain["warm"]}


def table(results: list[dict]) -> str:
    rows = ["| activities | pages (plain) | project cold | plain cold | **ratio cold** (CPU) | project warm | "
            "plain warm | **ratio warm** | `make html` again (new process) | per page (cold) | `make html` after 1 edit "
            "| **devserver after 1 edit** (search index after it) | peak memory (plain) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        p, q = r["project"], r["plain"]
        rows.append(f"| {r['size']:,} | {p['pages']:,} ({q['pages']:,}) | {p['build']:.2f} s | {q['build']:.2f} s | "
                    f"**{r['ratio']:.2f}×** ({r['ratio_cpu']:.2f}×) | {p['warm']:.2f} s | {q['warm']:.2f} s | "
                    f"**{r['ratio_warm']:.2f}×** | {p['again']:.2f} s ({p['again'] / q['warm']:.2f}×) | "
                    f"{p['build'] / p['pages'] * 1000:.2f} ms | {p['edit_build']:.2f} s | "
                    f"**{p['rebuild']:.2f} s** ({p['search_refresh']:.2f} s) | {p['peak_mb']:.0f} MB "
                    f"({q['peak_mb']:.0f} MB) |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halsolots.commands.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated activity counts (default 1000,5000)")
    parser.add_argument("--large", action="store_true", help="also measure 10,000 activities")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    parser.add_argument("--work", help="folder to build the synthetic sites in (default: the system's temporary "
                                       "folder; /dev/shm measures the build without the disk)")
    parser.add_argument("--child", choices=("project", "plain", "again"), help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, Path(args.content), Path(args.output), args.rebuild)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [1000, 5000]
    if args.large and 10000 not in sizes:
        sizes.append(10000)
    results = []
    with tempfile.TemporaryDirectory(prefix="halsolots-bench-", dir=args.work) as work:
        info = machine(Path(work))
        print(f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, Python {info['python']}, "
              f"Pelican {info['pelican']}; sites built on {info['work_fs']}", flush=True)
        for size in sizes:
            result = measure(size, Path(work))
            results.append(result)
            project, plain = result["project"], result["plain"]
            print(f"N={size}: project {project['build']:.2f} s cold, {project['warm']:.2f} s warm "
                  f"({project['pages']} pages), devserver after 1 edit {project['rebuild']:.2f} s, peak "
                  f"{project['peak_mb']:.0f} MB; plain Pelican {plain['build']:.2f} s cold, {plain['warm']:.2f} s "
                  f"warm ({plain['pages']} pages); ratio {result['ratio']:.2f}× cold (CPU {result['ratio_cpu']:.2f}×),"
                  f" {result['ratio_warm']:.2f}× warm", flush=True)
    print()
    print(table(results))
    if args.write:
        write_benchmarks(results, info)
    return 0


_START, _END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_benchmarks(results: list[dict], info: dict) -> None:
    """Replace the figures between the markers in BENCHMARKS.md (the prose around them is kept)."""
    path = REPO / "BENCHMARKS.md"
    stamp = datetime.now().strftime("%Y-%m-%d")
    block = (f"{_START}\nMeasured {stamp} on {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, "
             f"{info['os']}, Python {info['python']}, Pelican {info['pelican']}, the sites built on "
             f"{info['work_fs']}.\n\n{table(results)}\n{_END}")
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Build speed\n\n{_START}\n{_END}\n"
    if _START not in text:
        text += f"\n{_START}\n{_END}\n"
    before, rest = text.split(_START, 1)
    after = rest.split(_END, 1)[1]
    path.write_text(before + block + after, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
