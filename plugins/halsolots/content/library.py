"""Health information and the film archive: models, the parser of their headers, reading, and gathering by theme.

Health pages (content/halsa/) and films (content/filmer/) are Markdown files like activities: the original in
the default language holds the facts (themes, review date, help contacts; speakers, duration, captions,
video…), translation files with the same Slug hold only text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse
from .reading import Sources, content_files, read_kind, translation_warnings
from .fields import FieldReader, check_translation, known_language
from .problems import N_, Problem, ProblemCollector
from .schema import FILM, HEALTH, Kind, check_known_fields
from .source import Header, read_text
from .vocabulary import Term, Translated
from .webvtt import WebVTTError, check_webvtt


_MINUTES = re.compile(r"^(?:(\d+)\s*h\s*)?(\d+)\s*min$", re.IGNORECASE)


_CLOCK = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$")


VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}


HEALTH_NAMES = HEALTH.names


HEALTH_FACTS = HEALTH.facts


FILM_NAMES = FILM.names


# What a health page's or film's translation may hold, and what its Title is.
TRANSLATION_TEXT = N_("Title, Slug, Lang, Summary and the text")


TRANSLATION_TITLE = N_("the title in this language")


FILM_FACTS = FILM.facts


@dataclass(frozen=True)
class LibraryText:
    """The words of a health page or film in one language; a film's body is its transcript."""

    lang: str
    title: str
    summary: str  # HTML
    body: str  # HTML


@dataclass(eq=False)
class HealthPage(Translated):
    slug: str
    source_path: str
    themes: tuple[Term, ...]
    reviewed: date
    help: tuple[Term, ...] = ()
    default_lang: str = "sv"
    texts: dict[str, LibraryText] = field(default_factory=dict)


@dataclass(frozen=True)
class Caption:
    lang: str
    path: str  # below the media folder, e.g. filmer/textning/somn.sv.vtt


@dataclass(frozen=True)
class ExternalVideo:
    """A film on a video provider: a link for everyone, a player only after the visitor asks for it."""

    url: str
    provider: str
    embed_url: str


@dataclass(eq=False)
class Film(Translated):
    slug: str
    source_path: str
    speakers: tuple[str, ...]
    recorded: date
    duration: timedelta
    themes: tuple[Term, ...]
    captions: tuple[Caption, ...]
    series: Term | None = None
    languages: tuple[str, ...] = ()
    sign_language: bool = False
    video: str = ""  # below the media folder
    external: ExternalVideo | None = None
    default_lang: str = "sv"
    texts: dict[str, LibraryText] = field(default_factory=dict)

    @property
    def video_type(self) -> str:
        return VIDEO_TYPES.get(os.path.splitext(self.video)[1].lower(), "")

    @property
    def duration_parts(self) -> tuple[int, int, int]:
        """(hours, minutes, seconds); seconds only for films shorter than a minute, else rounded to minutes."""
        total = int(self.duration.total_seconds())
        if total < 60:
            return 0, 0, total
        hours, minutes = divmod(round(total / 60), 60)
        return hours, minutes, 0

    @property
    def duration_iso(self) -> str:
        """ISO 8601 duration for <time datetime>, e.g. PT45M."""
        seconds = int(self.duration.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (
            f"{seconds}S" if seconds or not (hours or minutes) else "")


def parse_duration(value: str) -> timedelta | None:
    """'45 min', '1 h 5 min', '00:45:00' or '45:00' → timedelta; None when it is none of these."""
    value = value.strip()
    match = _MINUTES.match(value)
    if match:
        return timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2)))
    match = _CLOCK.match(value)
    if match:
        return timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2)), seconds=int(match.group(3)))
    return None


def _origin(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


def external_video(url: str) -> ExternalVideo | None:
    """The embeddable player of a YouTube or Vimeo address (privacy-enhanced YouTube domain), else None."""
    parsed = urlparse(url)
    if parsed.scheme != "https":
        return None
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parsed.path.strip("/")
    if video_id and re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video_id):
        return ExternalVideo(url, "YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1")
    if host == "vimeo.com" and re.fullmatch(r"/\d+", parsed.path):
        return ExternalVideo(url, "Vimeo", f"https://player.vimeo.com/video{parsed.path}?autoplay=1&dnt=1")
    return None


class LibraryParser:
    """Facts of health pages and films from their original file's header, reporting every problem."""

    def __init__(self, vocabularies, media_path: str, player_origins=None):
        self.vocabularies = vocabularies
        self.media_path = media_path
        # FILM_PROVIDER_ORIGINS: the players the Content-Security-Policy lets the site frame (safety.py).
        self.player_origins = None if player_origins is None else set(player_origins)

    def _required(self, kind: Kind, header: Header, problems: ProblemCollector) -> None:
        """Unknown fields, and 'is missing' for each blank required field, as schema.py describes them."""
        check_known_fields(kind, header, problems)
        options = {"options": ", ".join(self.vocabularies.themes.ids())}
        for key in kind.required:
            if header.blank(key):
                problems.add(kind.names[key], N_("is missing"), kind.field(key).missing,
                             **(options if key == "themes" else {}))

    def health(self, slug: str, path: str, header: Header, problems: ProblemCollector) -> HealthPage | None:
        self._required(HEALTH, header, problems)
        fields = FieldReader(header, problems, self.vocabularies, HEALTH_NAMES)
        themes = fields.terms("themes", "themes")
        reviewed = fields.date("reviewed")
        help_terms = fields.terms("help", "help_contacts")
        if problems.has_errors or reviewed is None:
            return None
        return HealthPage(slug, path, themes, reviewed, help_terms, self.vocabularies.default_lang)

    def film(self, slug: str, path: str, header: Header, problems: ProblemCollector) -> Film | None:
        self._required(FILM, header, problems)
        fields = FieldReader(header, problems, self.vocabularies, FILM_NAMES)
        recorded = fields.date("recorded")
        duration = None
        if header.text("duration"):
            duration = parse_duration(header.text("duration"))
            if duration is None or not duration:
                problems.add("Duration", N_("'{value}' is not a duration"), N_("minutes or hours:minutes:seconds, "
                             "e.g. 45 min or 00:45:00"), value=header.text("duration"))
        themes = fields.terms("themes", "themes")
        series = fields.terms("series", "film_series")
        if len(series) > 1:
            problems.add("Series", N_("names more than one series"), N_("one series id"))
        languages = fields.language_codes("languages", N_("two-letter codes such as sv, en"))
        sign_language = fields.yes_no("sign-language")
        captions = self._captions(header, problems)
        video, external = self._video(header, problems)
        if problems.has_errors or recorded is None or duration is None:
            return None
        return Film(slug, path, tuple(header.items_list("speakers")), recorded, duration, themes, captions,
                    series[0] if series else None, languages, sign_language, video, external,
                    self.vocabularies.default_lang)

    def _media_file(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.media_path, relative))

    def _inside_media(self, relative: str) -> bool:
        target = self._media_file(relative)
        return not os.path.isabs(relative) and target.startswith(os.path.normpath(self.media_path) + os.sep)

    def _captions(self, header, problems) -> tuple[Caption, ...]:
        captions = []
        seen = set()
        for item in header.items_list("captions"):
            lang, _, relative = (part.strip() for part in item.partition(":"))
            lang = lang.lower()
            if not relative or not known_language(lang):
                problems.add("Captions", N_("'{value}' is not 'language: file'"),
                             N_("e.g. sv: filmer/textning/film.sv.vtt"), value=item)
                continue
            if lang in seen:
                problems.add("Captions", N_("has two files for '{value}'"), N_("one caption file per language"), value=lang)
            seen.add(lang)
            if not relative.lower().endswith(".vtt") or not self._inside_media(relative):
                problems.add("Captions", N_("'{value}' is not a .vtt file in the media folder"),
                             N_("a path below content/media, e.g. filmer/textning/film.sv.vtt"), value=relative)
                continue
            target = self._media_file(relative)
            if not os.path.isfile(target):
                problems.add("Captions", N_("the caption file '{value}' does not exist"),
                             N_("a WebVTT file in content/media"), value=relative)
                continue
            text, problem = read_text(target)
            if text is None:
                problems.add("Captions", N_("the caption file '{value}' is not UTF-8 text"), N_("save it as UTF-8"),
                             value=relative)
                continue
            try:
                check_webvtt(text)
            except WebVTTError as error:
                problems.add("Captions", N_("'{value}' is not valid WebVTT: line {line}: {reason}"),
                             N_("a WebVTT file, see https://www.w3.org/TR/webvtt1/"), value=relative,
                             line=error.line, reason=error.reason, **error.values)
                continue
            captions.append(Caption(lang, relative.replace(os.sep, "/")))
        return tuple(captions)

    def _video(self, header, problems) -> tuple[str, ExternalVideo | None]:
        video, url = header.text("video"), header.text("external")
        if bool(video) == bool(url):
            problems.add("Video" if video or not url else "External",
                         N_("a film needs exactly one of Video and External"),
                         N_("Video: a file in content/media, or External: a YouTube or Vimeo address"))
            return "", None
        if video:
            if os.path.splitext(video)[1].lower() not in VIDEO_TYPES or not self._inside_media(video):
                problems.add("Video", N_("'{value}' is not an .mp4 or .webm file in the media folder"),
                             N_("a path below content/media, e.g. filmer/film.webm"), value=video)
            elif not os.path.isfile(self._media_file(video)):
                problems.add("Video", N_("the video file '{value}' does not exist"), N_("a file in content/media"),
                             value=video)
            return video, None
        external = external_video(url)
        if external is None:
            problems.add("External", N_("'{value}' is not a YouTube or Vimeo film address"),
                         N_("e.g. https://www.youtube.com/watch?v=… or https://vimeo.com/123456"), value=url)
        elif self.player_origins is not None and _origin(external.embed_url) not in self.player_origins:
            # The page could not show the player: the security policy would block the frame.
            problems.add("External", N_("films from {provider} are not allowed on this site"),
                         N_("a provider whose player is in FILM_PROVIDER_ORIGINS: {origins}"),
                         provider=external.provider, origins=", ".join(sorted(self.player_origins)) or "-")
        return "", external


# Health pages older than this since their last review get a warning.
REVIEW_INTERVAL_DAYS = 365


@dataclass
class LibrarySources:
    health: Sources
    films: Sources

    @property
    def problems(self) -> list[Problem]:
        return self.health.problems + self.films.problems

    @property
    def errors(self) -> list[Problem]:
        return self.health.errors + self.films.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.health.warnings + self.films.warnings


def read_library(content_path: str, settings: dict, site) -> LibrarySources:
    """Read and validate every health page and film (facts only, no Markdown rendering), with warnings."""
    media = os.path.join(content_path, (settings.get("STATIC_PATHS") or ["media"])[0])
    parser = LibraryParser(site.vocabularies, media, settings.get("FILM_PROVIDER_ORIGINS"))

    def read(kind: Kind, parse) -> Sources:
        files = content_files(content_path, settings.get(kind.paths_setting, [kind.default_path]), settings)

        def translation(header, problems):
            check_known_fields(kind, header, problems, translation=True)
            check_translation(header, problems, kind.names, kind.facts, TRANSLATION_TEXT, TRANSLATION_TITLE)

        return read_kind(content_path, files, site, parse, translation, Sources())

    health = read(HEALTH, parser.health)
    films = read(FILM, parser.film)
    for film in films.items:
        if not films.text_files[film.slug][0][1].has_body:
            films.problems.append(Problem(film.source_path, 1, "Transcript", N_("the transcript is missing"),
                                          N_("the spoken text below the header, after a blank line")))
    limit = site.today - timedelta(days=settings.get("REVIEW_INTERVAL_DAYS", REVIEW_INTERVAL_DAYS))
    for page in health.items:
        if page.reviewed < limit:
            collector = ProblemCollector(page.source_path, health.text_files[page.slug][0][1])
            collector.warn("Reviewed", N_("the text was last reviewed {reviewed}, more than a year ago"),
                           N_("check the facts, then set Reviewed to today's date, e.g. {today}"),
                           reviewed=page.reviewed.isoformat(), today=site.today.isoformat())
            health.problems.extend(collector.problems)
    health.problems.extend(translation_warnings(health, site))
    return LibrarySources(health, films)




class Library:
    """Health pages, films and activities by theme and series, in display order."""

    def __init__(self, health_pages, films, activities, today: date):
        self.health_pages = list(health_pages)
        self.films = sorted(films, key=lambda f: (-f.recorded.toordinal(), f.slug))  # newest first
        self.today = today
        self._found: dict = {}
        upcoming = [(a.next_occurrence(today), a) for a in activities]
        self.activities = [a for occ, a in sorted(((o, a) for o, a in upcoming if o), key=lambda p: (p[0].start,
                                                                                                       p[1].slug))]

    def _on(self, items, theme_ids) -> list:
        # Kept per build: every language's pages ask for the same themes.
        key = (id(items), tuple(theme_ids))
        found = self._found.get(key)
        if found is None:
            wanted = set(theme_ids)
            found = self._found[key] = [item for item in items if wanted & {t.id for t in item.themes}]
        return list(found)

    def health_on(self, theme_ids, lang: str) -> list[HealthPage]:
        return sorted(self._on(self.health_pages, theme_ids), key=lambda p: (p.text(lang).title.casefold(), p.slug))

    def films_on(self, theme_ids) -> list[Film]:
        return self._on(self.films, theme_ids)

    def activities_on(self, theme_ids) -> list:
        return self._on(self.activities, theme_ids)

    def films_in_series(self, series_id: str) -> list[Film]:
        return [f for f in self.films if f.series and f.series.id == series_id]
