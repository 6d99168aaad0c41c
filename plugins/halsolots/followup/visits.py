"""Visits, searches and calendar subscriptions counted from access-log lines, in one pass and bounded memory.

What counts (docs/guide-for-kommunikatorer.md, "Uppföljning", says it for communicators):
- a **visit** is a successful GET (200, or 304 when the browser's copy is still fresh) of an HTML page of the
  site by a client whose user agent is not a robot (BOT_WORDS); assets (theme/, pagefind/, media/, api/), feeds,
  other files, the preview (drafts) and error pages are left out, and so is a search request;
- a **search** is such a GET of a search page with a non-empty `q` (the form without JavaScript, and the one
  request the JavaScript search makes once the person has stopped typing); a term is shown only when at least
  TERM_THRESHOLD searches used it, and never when it has four digits (a phone or personal number), an e-mail
  address or a web address;
- a **subscriber** estimate per calendar feed: distinct clients a day, averaged over the days the logs cover. A
  client is a salted hash of its address (combined logs) or its user agent (the site's own log has no
  addresses), with a new random salt each day, kept in memory only until the counts are made.

Nothing here keeps a line: the caller streams lines through `count_lines`; what is kept grows with the site
(pages, feeds, distinct terms), not with the log.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .logs import HALSOLOTS, parse

# A user agent containing one of these words (in lower case) is a robot, not a person: search engines, AI and SEO
# crawlers, link previews, uptime monitors, validators and command-line tools. An empty agent ('-') is one too.
BOT_WORDS = ("bot", "crawl", "spider", "slurp", "scrap", "archiver", "curl", "wget", "python", "java/", "go-http",
             "okhttp", "libwww", "httpclient", "axios", "node-fetch", "headless", "phantomjs", "lighthouse",
             "pagespeed", "pingdom", "uptime", "monitor", "statuscake", "validator", "linkcheck", "preview",
             "facebookexternalhit", "embedly", "whatsapp", "telegram", "skypeuripreview", "scan", "nagios",
             "zgrab", "masscan", "nmap", "nikto", "sqlmap")
TERM_THRESHOLD = 5  # a term used fewer times is never shown: a rare query could point at one person
SUCCESS = frozenset({200, 304})
ASSET_FOLDERS = frozenset({"theme", "pagefind", "media", "api"})
# A term that names a person or a way to reach one is never shown, however often it was searched.
_PRIVATE_TERM = re.compile(r"(?:\d[\s./-]?){4}|@|https?:|www\.", re.IGNORECASE)  # 4 digits: a phone number, an id
_CACHE_LIMIT = 200_000  # entries in each lookup cache before it starts again (scanners invent endless paths)

# The sections of the report and the page kinds (site.DEFAULT_PATHS) in each; every other page is "other".
SECTIONS = {
    "home": ("home",),
    "programme": ("programme", "programme_week"),
    "district": ("district", "district_group"),
    "activity": ("activity",),
    "health": ("health_index", "health", "theme"),
    "films": ("films", "film", "film_theme", "film_series"),
    "calendars": ("calendars",),
    "other": (),
}
SECTION_NAMES = {"home": "Startsidan", "programme": "Programmet", "district": "Områden", "activity": "Aktiviteter",
                 "health": "Hälsa", "films": "Filmer", "calendars": "Kalendrar", "other": "Övriga sidor"}


def _pattern(site, lang: str, kind: str) -> str:
    pattern = site.paths[kind]
    if isinstance(pattern, dict):  # one pattern per language (the default language's for one not listed)
        pattern = pattern.get(lang) or pattern.get(site.default_lang) or next(iter(pattern.values()))
    return pattern


def _regex(pattern: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(pattern)) + "$")


class SiteMap:
    """Which section and language a requested path is, from the site's own URL scheme (site.Site)."""

    def __init__(self, site, settings: dict | None = None):
        settings = settings or {}
        self.default_lang = site.default_lang
        self.prefixes = {f"{lang}/": lang for lang in site.languages if lang != site.default_lang}
        self.sections = {lang: [(_regex(_pattern(site, lang, kind)), section)
                                for section, kinds in SECTIONS.items() for kind in kinds if kind in site.paths]
                         for lang in site.languages}
        # A search page in each language: its own words, and the default language's (a former address).
        self.search = {(lang, pattern) for lang in site.languages for pattern in
                       {_pattern(site, lang, "search"), _pattern(site, site.default_lang, "search")}}
        # The preview's drafts (DRAFT_URL, DRAFT_PAGE_URL): their first folder, e.g. utkast/.
        self.preview = {str(settings.get(name, "utkast/x")).split("/")[0] + "/"
                        for name in ("DRAFT_URL", "DRAFT_PAGE_URL")}

    def split(self, path: str) -> tuple[str, str]:
        """(language, path below its prefix) of a path without its leading '/'."""
        head = path.split("/", 1)[0] + "/"
        lang = self.prefixes.get(head)
        return (lang, path[len(head):]) if lang else (self.default_lang, path)

    def page(self, path: str) -> tuple[str, str, str] | None:
        """(page path, language, section) of an HTML page, or None for anything else."""
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        elif not path.endswith("/") and (not path.endswith(".html") or path.endswith("404.html")):
            return None
        lang, rest = self.split(path.lstrip("/"))
        if rest.split("/", 1)[0] in ASSET_FOLDERS or any(rest.startswith(folder) for folder in self.preview):
            return None
        for regex, section in self.sections[lang]:
            if regex.match(rest):
                return path, lang, section
        return path, lang, "other"

    def is_search(self, page: str) -> bool:
        lang, rest = self.split(page.lstrip("/"))
        return (lang, rest) in self.search


def is_bot(agent: str) -> bool:
    lowered = agent.lower()
    return agent in ("", "-") or any(word in lowered for word in BOT_WORDS)


def normalise_term(value: str) -> str:
    """How searches for the same thing are counted together: lower case, single spaces."""
    return " ".join(value.split()).casefold()


def shown_term(term: str) -> bool:
    return not _PRIVATE_TERM.search(term)


@dataclass
class LogFigures:
    """What the access logs of one year say; every mapping in a stable order for the CSVs."""

    year: int
    lines: int = 0
    broken: int = 0
    other_years: int = 0
    bots: int = 0
    days: int = 0  # distinct days of the year the logs cover
    pages: Counter = field(default_factory=Counter)  # path → visits
    months: Counter = field(default_factory=Counter)  # YYYY-MM → visits
    sections: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    searches: Counter = field(default_factory=Counter)  # YYYY-MM → searches
    terms: Counter = field(default_factory=Counter)  # every term (the CSV and page show only the frequent ones)
    feed_requests: Counter = field(default_factory=Counter)
    subscribers: dict = field(default_factory=dict)  # feed → estimated subscribers (int)

    @property
    def visits(self) -> int:
        return sum(self.pages.values())

    def shown_terms(self, threshold: int = TERM_THRESHOLD) -> list[tuple[str, int]]:
        """Terms used at least `threshold` times, most used first."""
        return sorted(((term, count) for term, count in self.terms.items() if count >= threshold and shown_term(term)),
                      key=lambda item: (-item[1], item[0]))


def count_lines(lines: Iterable[str], year: int, sitemap: SiteMap) -> LogFigures:
    """One pass over the lines (any iterable: a generator over rotated files keeps memory flat)."""
    figures = LogFigures(year)
    prefix = f"{year}-"
    views: Counter = Counter()  # ((page, language, section), month) → visits: one increment a line, summed after
    searches: Counter = Counter()  # (term, month) → searches
    feed_requests = figures.feed_requests
    targets: dict[str, tuple | None] = {}  # what a requested path and query is, worked out once
    agents: dict[str, bool] = {}
    days: set[str] = set()
    salts: dict[str, bytes] = {}
    clients: dict[tuple[str, str], set[bytes]] = defaultdict(set)
    blake2b = hashlib.blake2b
    lines_read = broken = other_years = bots = 0
    own_format = HALSOLOTS.match  # the site's own lines, read here without a call per line
    success = {str(code) for code in SUCCESS}
    last_day = None
    for line in lines:
        lines_read += 1
        match = own_format(line)
        if match:
            day, method, target, status, agent = match.groups()
            address = None
        else:
            request = parse(line)
            if request is None:
                broken += 1
                continue
            day, method, target, status, agent, address = request
            status = str(status)
        if day != last_day:  # a line of the same day as the one before needs no check (logs come in order)
            if not "01" <= day[5:7] <= "12" or not "01" <= day[8:] <= "31":
                broken += 1
                continue
            if not day.startswith(prefix):
                other_years += 1
                continue
            days.add(day)
            last_day = day
        if method != "GET" or status not in success:
            continue
        bot = agents.get(agent)
        if bot is None:
            if len(agents) > _CACHE_LIMIT:
                agents.clear()
            bot = agents[agent] = is_bot(agent)
        if bot:
            bots += 1
            continue
        kind = targets.get(target, False)
        if kind is False:
            if len(targets) > _CACHE_LIMIT:
                targets.clear()
            kind = targets[target] = _target(target, sitemap)
        if kind is None:
            continue
        what, value = kind
        if what == "page":
            views[(value, day[:7])] += 1
        elif what == "search":
            searches[(value, day[:7])] += 1
        else:  # a feed: one more request, and the client's hash for that day
            feed_requests[value] += 1
            salt = salts.get(day) or salts.setdefault(day, os.urandom(16))
            who = (address or agent).encode("utf-8", "replace")
            clients[(value, day)].add(blake2b(who, digest_size=8, key=salt).digest())
    figures.lines, figures.broken, figures.other_years, figures.bots = lines_read, broken, other_years, bots
    figures.days = len(days)
    for ((page, lang, section), month), count in views.items():
        figures.pages[page] += count
        figures.months[month] += count
        figures.sections[section] += count
        figures.languages[lang] += count
    for (term, month), count in searches.items():
        figures.searches[month] += count
        figures.terms[term] += count
    # The estimate, then the hashes and salts are gone: only counts leave this function.
    client_days: Counter = Counter()
    for (feed, _day), seen in clients.items():
        client_days[feed] += len(seen)
    clients.clear()
    salts.clear()
    figures.subscribers = {feed: int(total / figures.days + 0.5) for feed, total in client_days.items()}
    return figures


def _target(target: str, sitemap: SiteMap) -> tuple[str, object] | None:
    """("page", (page, language, section)), ("search", term), ("feed", path) or None (not counted)."""
    path, _, query = target.partition("?")
    if path.endswith(".ics"):
        return "feed", path
    found = sitemap.page(path)
    if found is None:
        return None
    if query and sitemap.is_search(found[0]):
        term = normalise_term(" ".join(parse_qs(query).get("q", [])))
        if term:
            return "search", term
    return "page", found
