"""Every field of every content kind, described once.

The parsers read their field names, required fields and what a translation may hold from here; the guide's
reference tables (`make guide`), the scaffolds (`make ny-aktivitet`, `make ny KIND=…`) and the form editor's
configuration (`/admin/config.yml` in the preview) are made from the same descriptions, and
tests/test_fields_everywhere.py fails when any of them disagree.

Allowed values are named, not listed: `vocabulary` is the name of a controlled vocabulary
(vocabulary.VOCABULARY_FILES), resolved from content/data/*.yaml when used, so a new district needs no
change here. Help texts are kept in Swedish and English side by side; `missing` is the message template
(N_) a problem shows when a required field is blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .problems import N_, ProblemCollector
from .vocabulary import suggest

# Field types. Each is read by one reader (fields.py, activity.py, library.py) and shown by one editor widget.
TEXT, LINE, SLUG, LANG, DATETIME, END, DATE, DATES, CHOICE, TERMS, TERM, VENUE, YES_NO, LANGUAGES, LIST, \
    DURATION, CAPTIONS, MEDIA, URL, NUMBER = ("text", "line", "slug", "lang", "datetime", "end", "date", "dates",
                                             "choice", "terms", "term", "venue", "yes-no", "languages", "list",
                                             "duration", "captions", "media", "url", "number")
ONLINE = "online"


@dataclass(frozen=True)
class FieldSpec:
    name: str  # as a communicator writes it, e.g. "Cancelled-dates"
    type: str
    help_sv: str
    help_en: str
    example: str = ""
    required: bool = False
    vocabulary: str = ""  # a vocabulary name (Vocabularies[...]) for terms, term and venue
    choices: tuple[str, ...] = ()  # the allowed values of a choice
    translated: bool = False  # a translation file holds it (text); else it belongs to the original only
    missing: str = ""  # N_ template: what a blank required field should hold ({options}: the vocabulary's ids)
    question: str = ""  # N_ template the scaffold asks with; empty: the name and the help text
    today: bool = False  # the scaffold fills in today's date

    @property
    def key(self) -> str:
        """The lower-case key Pelican stores the field under."""
        return self.name.lower()

    @property
    def multiple(self) -> bool:
        return self.type in (TERMS, DATES, LANGUAGES, LIST, CAPTIONS)

    def help(self, lang: str) -> str:
        return self.help_sv if lang == "sv" else self.help_en


@dataclass(frozen=True)
class Kind:
    name: str  # activity, health, film, news, page
    label_sv: str
    label_en: str
    paths_setting: str  # the setting naming its folders, e.g. ACTIVITY_PATHS
    default_path: str
    fields: tuple[FieldSpec, ...]
    body_sv: str  # what the text below the header is
    body_en: str
    # Pelican's own kinds (news, pages) pair translations itself: their translations hold every field.
    translations_hold_facts: bool = False

    def __post_init__(self):
        keys = [spec.key for spec in self.fields]
        assert len(keys) == len(set(keys)), f"a field of {self.name} is described twice"

    # Asked for every field of every file: worked out once per kind (a frozen dataclass keeps a cached_property).
    @cached_property
    def names(self) -> dict[str, str]:
        """key → name as written, e.g. {"cancelled-dates": "Cancelled-dates"}."""
        return {spec.key: spec.name for spec in self.fields}

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.fields if spec.required)

    @cached_property
    def facts(self) -> tuple[str, ...]:
        """Keys that belong in the original only (a translation with one is a problem)."""
        if self.translations_hold_facts:
            return ()
        return tuple(spec.key for spec in self.fields if not spec.translated)

    @cached_property
    def translated(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.translated or self.translations_hold_facts)

    def field(self, key: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.key == key.lower())

    def folder(self, settings: dict) -> str:
        return (settings.get(self.paths_setting) or [self.default_path])[0]

    def label(self, lang: str) -> str:
        return self.label_sv if lang == "sv" else self.label_en


def _slug(example: str) -> FieldSpec:
    return FieldSpec("Slug", SLUG, "Kort namn i webbadressen, bara a–z, siffror och bindestreck. Utelämna så används "
                     "filnamnet. En översättning har samma Slug som originalet.",
                     "Short name in the web address: only a–z, digits and hyphens. Leave it out and the file name "
                     "is used. A translation has the same Slug as its original.", example, translated=True)


LANG_FIELD = FieldSpec("Lang", LANG, "Filens språk. Originalet är på svenska; en översättning har språkkoden i "
                       "filnamnet (namn.en.md).", "The file's language. The original is in Swedish; a translation "
                       "has the language code in its file name (name.en.md).", "sv", translated=True)

ACTIVITY = Kind("activity", "Aktiviteter", "Activities", "ACTIVITY_PATHS", "aktiviteter", (
    FieldSpec("Title", LINE, "Aktivitetens namn.", "The activity's name.", "Mjuk yoga", required=True,
              translated=True, missing=N_("the activity's name"), question=N_("Title (the activity's name)")),
    _slug("mjuk-yoga-ruddalen"),
    LANG_FIELD,
    FieldSpec("Summary", LINE, "En eller två meningar som visas i listor.", "One or two sentences shown in listings.",
              "Lugn yoga med enkla positioner och avslappning.", translated=True,
              question=N_("Summary (one or two sentences for listings)")),
    FieldSpec("Start", DATETIME, "Datum och klockslag för första tillfället (ÅÅÅÅ-MM-DD TT:MM).",
              "Date and time of the first occasion (YYYY-MM-DD HH:MM).", "2027-02-03 18:00", required=True,
              missing=N_("date and time of the first occasion, e.g. 2026-02-03 10:00"),
              question=N_("Start: date and time of the first occasion (YYYY-MM-DD HH:MM)")),
    FieldSpec("End", END, "Sluttid (TT:MM), eller datum och tid om aktiviteten slutar en annan dag.",
              "End time (HH:MM), or date and time when it ends on another day.", "19:00", required=True,
              missing=N_("end time, e.g. 11:00 (or date and time, e.g. 2026-02-03 11:00)"),
              question=N_("End: end time (HH:MM)")),
    FieldSpec("Repeat", CHOICE, "Skriv weekly för en veckoserie. Utelämna för ett enstaka tillfälle.",
              "weekly for a weekly series; leave it out for a single occasion.", "weekly", choices=("weekly",),
              question=N_("Repeat: write weekly for a weekly series, leave empty for a single occasion")),
    FieldSpec("Until", DATE, "Sista datum i en veckoserie (ÅÅÅÅ-MM-DD).", "Last date of a weekly series (YYYY-MM-DD).",
              "2027-06-09", question=N_("Until: date of the last occasion (YYYY-MM-DD)")),
    FieldSpec("Except", DATES, "Datum då en veckoserie inte blir av och som inte ska visas (t.ex. helgdagar), med "
              "kommatecken emellan. Samma veckodag som serien.", "Dates a weekly series does not meet and that are "
              "not shown (e.g. holidays), separated by commas. The same weekday as the series.",
              "2027-03-31, 2027-05-12"),
    FieldSpec("Cancelled-dates", DATES, "Datum som är inställda och visas som inställda, med kommatecken emellan.",
              "Dates that are cancelled and shown as cancelled, separated by commas.", "2027-03-03"),
    FieldSpec("Venue", VENUE, "Lokalens id, eller online för digitala aktiviteter.",
              "The venue's id, or online for activities on the web.", "ruddalens-idrottscentrum", required=True,
              vocabulary="venues", missing=N_("a venue id from venues.yaml or '{online}'"),
              question=N_("Venue ({options}, or online)")),
    FieldSpec("Districts", TERMS, "Ett eller flera områden, med kommatecken emellan.",
              "One or more districts, separated by commas.", "sydvast", required=True, vocabulary="districts",
              missing=N_("one or more of: {options}"), question=N_("Districts, separated by commas ({options})")),
    FieldSpec("Also-in", LIST, "Frivilligt: områden eller kommuner på en annan av förrådets webbplatser där "
              "aktiviteten också visas, med kommatecken emellan (t.ex. en föreläsning som sänds för alla). Filen "
              "kopieras inte och aktiviteten behåller sitt UID i kalendrarna.", "Optional: districts or "
              "municipalities of another of the repository's sites where the activity is listed too, separated by "
              "commas (e.g. a lecture streamed for everyone). The file is not copied and the activity keeps its "
              "UID in calendars.", "boras, mark"),
    FieldSpec("Groups", TERMS, "En eller flera målgrupper, med kommatecken emellan.",
              "One or more target groups, separated by commas.", "alla, kvinnor", required=True,
              vocabulary="target_groups", missing=N_("one or more of: {options}"),
              question=N_("Groups (target groups), separated by commas ({options})")),
    FieldSpec("Category", TERM, "Exakt en kategori.", "Exactly one category.", "rorelse", required=True,
              vocabulary="categories", missing=N_("one or more of: {options}"),
              question=N_("Category, exactly one ({options})")),
    FieldSpec("Focus-area", TERM, "Frivilligt: det fokusområde aktiviteten redovisas under i årsuppföljningen, när "
              "det inte är kategorins.", "Optional: the focus area the activity is reported under in the yearly "
              "follow-up, when it is not its category's.", "arbetsdeltagande", vocabulary="focus_areas"),
    FieldSpec("Themes", TERMS, "Teman, med kommatecken emellan (frivilligt).",
              "Themes, separated by commas (optional).", "somn, stress", vocabulary="themes"),
    FieldSpec("Organiser", LINE, "Vem som arrangerar.", "Who arranges it.", "Hälsoteket i Väster", required=True,
              missing=N_("who arranges it, e.g. Hälsolots Centrum"),
              question=N_("Organiser (who arranges it, e.g. Hälsolots Centrum)")),
    FieldSpec("Organiser-description", LINE, "Frivilligt: en mening om arrangören, t.ex. vad verksamheten gör och "
              "var den finns. Kan översättas i översättningsfilen.", "Optional: a sentence about the organiser, e.g. "
              "what the service does and where it is. Can be translated in the translation file.",
              "Hälsoteket i Väster ger gratis kurser och samtal om hälsa i Sydväst.", translated=True),
    FieldSpec("Partners", LIST, "Samarbetspartner, med kommatecken emellan (frivilligt).",
              "Partners, separated by commas (optional).", "Friskis&Svettis Göteborg"),
    FieldSpec("Registration", CHOICE, "Om man behöver anmäla sig.", "Whether people need to register.", "drop-in",
              required=True, choices=("drop-in", "required"), question=N_("Registration ({options})")),
    FieldSpec("How-to-register", LINE, "Hur man anmäler sig. Krävs när Registration är required.",
              "How to register. Needed when Registration is required.", "Ring 031-123 45 67", translated=True,
              question=N_("How-to-register (phone number, e-mail or web address)")),
    FieldSpec("Languages", LANGUAGES, "Språk som aktiviteten hålls på, som språkkoder.",
              "Languages the activity is held in, as language codes.", "sv, en", required=True,
              missing=N_("language codes, e.g. sv, en"),
              question=N_("Languages the activity is held in, e.g. sv, en")),
    FieldSpec("Sign-language", YES_NO, "Teckenspråkstolkning: yes eller no.", "Sign language interpreting: yes or no.",
              "no"),
    FieldSpec("FaR", YES_NO, "yes om aktiviteten passar för fysisk aktivitet på recept (FaR): vårdpersonal hittar "
              "den då under FaR på sidan För vårdpersonal. Frivilligt; bara för veckoserier.",
              "yes when the activity suits physical activity on prescription (FaR): healthcare staff then find it "
              "under FaR on the page for healthcare staff. Optional; weekly series only.", "yes"),
    FieldSpec("Status", CHOICE, "scheduled (standard), cancelled (hela aktiviteten är inställd) eller draft (utkast, "
              "syns bara i förhandsvisningen och publiceras aldrig).", "scheduled (the default), cancelled (the whole "
              "activity is cancelled) or draft (shown only in the preview, never published).", "cancelled",
              choices=("scheduled", "cancelled", "draft")),
    FieldSpec("Cancellation-note", LINE, "Kort text till besökarna om varför aktiviteten är inställd. Krävs när "
              "Status är cancelled.", "A short note to visitors on why it is cancelled. Needed when Status is "
              "cancelled.", "Kursledaren är sjuk. Ett nytt datum kommer.", translated=True),
    FieldSpec("Modified", DATE, "Frivilligt (ÅÅÅÅ-MM-DD). Kalendrarna ser varje ändring ändå; ett senare datum här "
              "räknas som en ändring den dagen.", "Optional (YYYY-MM-DD). Calendars see every change anyway; a later "
              "date here counts as a change on that day.", "2026-11-29", today=True),
), "Beskrivningen: vad aktiviteten är, vem den passar och vad man tar med sig.",
    "The description: what the activity is, whom it suits and what to bring.")

HEALTH = Kind("health", "Hälsosidor", "Health pages", "HEALTH_PATHS", "halsa", (
    FieldSpec("Title", LINE, "Sidans rubrik.", "The page's heading.", "Sov bättre – råd för bättre sömn",
              required=True, translated=True, missing=N_("the page's heading")),
    _slug("sov-battre"),
    LANG_FIELD,
    FieldSpec("Summary", LINE, "En kort sammanfattning med enkla ord, som visas överst.",
              "A short summary in plain language, shown at the top.", "De flesta vuxna behöver sju till nio "
              "timmars sömn.", required=True, translated=True,
              missing=N_("a short summary in plain language, shown at the top")),
    FieldSpec("Themes", TERMS, "Ett eller flera teman, med kommatecken emellan.",
              "One or more themes, separated by commas.", "somn", required=True, vocabulary="themes",
              missing=N_("one or more of: {options}")),
    FieldSpec("Reviewed", DATE, "Datumet då texten senast granskades (ÅÅÅÅ-MM-DD). make check varnar när det är "
              "mer än ett år sedan.", "The date the text was last checked (YYYY-MM-DD). make check warns when it "
              "is more than a year ago.", "2026-11-29", required=True, today=True,
              missing=N_("the date the text was last checked, YYYY-MM-DD")),
    FieldSpec("Help", TERMS, "Vart man kan vända sig för hjälp (frivilligt), med kommatecken emellan.",
              "Where to turn for help (optional), separated by commas.", "1177, vardcentral",
              vocabulary="help_contacts"),
), "Texten, med korta stycken och mellanrubriker (## Rubrik).",
    "The text, in short paragraphs with subheadings (## Heading).")

FILM = Kind("film", "Filmer", "Films", "FILM_PATHS", "filmer", (
    FieldSpec("Title", LINE, "Filmens titel.", "The film's title.", "Sömn genom hela livet", required=True,
              translated=True, missing=N_("the film's title")),
    _slug("somn-hela-livet"),
    LANG_FIELD,
    FieldSpec("Summary", LINE, "En eller två meningar om filmen.", "One or two sentences about the film.",
              "Varför vi sover och hur sömnen förändras med åldern.", translated=True),
    FieldSpec("Speakers", LIST, "Vem som talar, med kommatecken emellan.", "Who speaks, separated by commas.",
              "Eva Holm", required=True, missing=N_("who speaks, e.g. Anna Berg, Hälsolots Centrum")),
    FieldSpec("Recorded", DATE, "Datumet då filmen spelades in (ÅÅÅÅ-MM-DD).", "The recording date (YYYY-MM-DD).",
              "2026-05-20", required=True, missing=N_("the recording date, YYYY-MM-DD")),
    FieldSpec("Duration", DURATION, "Filmens längd, t.ex. 45 min, 1 h 5 min eller 00:45:00.",
              "The length, e.g. 45 min, 1 h 5 min or 00:45:00.", "45 min", required=True,
              missing=N_("the length, e.g. 45 min or 00:45:00")),
    FieldSpec("Series", TERM, "Serien filmen hör till (frivilligt), ett id.", "The series it belongs to (optional), "
              "one id.", "halsa-pa-lunchen", vocabulary="film_series"),
    FieldSpec("Themes", TERMS, "Ett eller flera teman, med kommatecken emellan.", "One or more themes, separated by "
              "commas.", "somn", required=True, vocabulary="themes", missing=N_("one or more of: {options}")),
    FieldSpec("Languages", LANGUAGES, "Språk som talas i filmen, som språkkoder.", "Languages spoken in the film, as "
              "language codes.", "sv", required=True, missing=N_("language codes of the speech, e.g. sv")),
    FieldSpec("Sign-language", YES_NO, "Teckenspråkstolkning i bild: yes eller no.",
              "Sign language interpreting in the picture: yes or no.", "no"),
    FieldSpec("Captions", CAPTIONS, "En textfil (WebVTT) per språk i content/media/, som språk: sökväg, med "
              "kommatecken emellan.", "One caption file (WebVTT) per language in content/media/, as language: "
              "path, separated by commas.", "sv: filmer/textning/somn-hela-livet.sv.vtt, "
              "en: filmer/textning/somn-hela-livet.en.vtt", required=True,
              missing=N_("a WebVTT file per language, e.g. sv: filmer/textning/film.sv.vtt")),
    FieldSpec("Video", MEDIA, "Filmfilen (.mp4 eller .webm) i content/media/. Skriv Video eller External, inte "
              "båda.", "The video file (.mp4 or .webm) in content/media/. Write Video or External, not both.",
              "filmer/halsolots-demoklipp.webm"),
    FieldSpec("External", URL, "Adressen till filmen på YouTube eller Vimeo, i stället för Video. Spelaren laddas "
              "först när besökaren klickar.", "The film's address on YouTube or Vimeo, instead of Video. The player "
              "loads only when the visitor clicks.", "https://vimeo.com/900000004"),
), "Utskriften: det som sägs i filmen (krävs).", "The transcript: what is said in the film (required).")

NEWS = Kind("news", "Nyheter", "News", "ARTICLE_PATHS", "nyheter", (
    FieldSpec("Title", LINE, "Nyhetens rubrik.", "The headline.", "Vårens program är här", required=True,
              missing=N_("the headline")),
    _slug("varens-program-2027"),
    LANG_FIELD,
    FieldSpec("Date", DATE, "Publiceringsdatumet (ÅÅÅÅ-MM-DD).", "The publication date (YYYY-MM-DD).", "2026-11-20",
              required=True, today=True, missing=N_("the publication date, YYYY-MM-DD")),
    FieldSpec("Summary", LINE, "En mening som visas i listan över nyheter.", "One sentence shown in the news list.",
              "Nu kan du se vårens alla aktiviteter."),
    FieldSpec("Status", CHOICE, "draft för ett utkast som bara syns i förhandsvisningen (frivilligt).",
              "draft for a draft shown only in the preview (optional).", "draft", choices=("published", "draft")),
), "Nyheten.", "The news item.", translations_hold_facts=True)

PAGE = Kind("page", "Sidor", "Pages", "PAGE_PATHS", "sidor", (
    FieldSpec("Title", LINE, "Sidans rubrik.", "The page's heading.", "Om Hälsolots och Hälsoteket", required=True,
              missing=N_("the page's heading")),
    _slug("om-oss"),
    LANG_FIELD,
    FieldSpec("Summary", LINE, "En mening om sidan.", "One sentence about the page.", "Vilka vi är och hur du når oss."),
    FieldSpec("Nav", NUMBER, "Sidans plats i huvudmenyn (ett heltal, lägst först). Utelämna så syns den inte i "
              "menyn.", "The page's place in the main menu (a whole number, lowest first). Leave it out to keep it "
              "out of the menu.", "9"),
    FieldSpec("Status", CHOICE, "draft för ett utkast som bara syns i förhandsvisningen (frivilligt).",
              "draft for a draft shown only in the preview (optional).", "draft", choices=("published", "draft")),
), "Sidans text.", "The page's text.", translations_hold_facts=True)

KINDS = {kind.name: kind for kind in (ACTIVITY, HEALTH, FILM, NEWS, PAGE)}


def check_known_fields(kind: Kind, header, problems: ProblemCollector, translation: bool = False) -> None:
    """A warning for each field the kind does not have: most often a typo (Grops: for Groups:), which would
    otherwise be silently ignored."""
    for key in header:
        if key not in kind.names:
            allowed = kind.names if not translation else {spec.key: spec.name for spec in kind.translated}
            close = suggest(key, kind.names)
            problems.warn(key.capitalize(), N_("'{value}' is not a field of this kind of file; it is ignored"),
                          N_("one of: {options}"), kind.names.get(close, ""), value=key.capitalize(),
                          options=", ".join(allowed.values()))
