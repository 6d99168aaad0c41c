"""Settings for building Hälsolots webb locally (make html / make devserver). publishconf.py extends them."""

SITENAME = "Hälsolots"
# This site's name among the repository's sites (sites/<id>/ are the others: make html SITE=<id>, docs/sites.md).
SITE_ID = "goteborg"
CONTACT_EMAIL = "halsolots@goteborg.example"  # on top of every printed page (print.css)
SITEURL = ""
SITE_DOMAIN = "halsolots.goteborg.example"  # used in calendar UIDs: never change it once feeds are public

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/Stockholm"
# Where the venues are and what "free" is priced in, for event data (schema.org PostalAddress and Offer).
COUNTRY = "SE"
CURRENCY = "SEK"
# The journey planner a venue page links to, with the venue's address as destination ({destination}, URL-encoded);
# a plain link, nothing is loaded from it. '' leaves the link out.
# Unverified (searched 2026-12-01, no access to vasttrafik.se here): Västtrafik documents no deep-link parameters
# for reseplaneraren that we found; one third-party source file builds ?from=<name>&to=<name>&date=&time= on this
# address (so `to` as here), others link the bare page. Trafiklab documents ResRobot deep links for all Swedish
# operators (reseplanerare.resrobot.se/bin/query.exe/sn?S=…&Z=…&start=1), but with stop ids or coordinates, not an
# address. Check by hand in a browser before relying on `to` filling in the destination.
JOURNEY_PLANNER_URL = "https://www.vasttrafik.se/reseplanering/reseplaneraren/?to={destination}"

# Languages: the first is the default (site root); the others live under /<code>/. Adding one takes a
# catalogue in theme/translations/<code>/, its code here and translated content — no code change.
LANGUAGES = ["sv", "en"]
DEFAULT_LANG = LANGUAGES[0]

# "Today" for the programme. None means the build date; set a date (YYYY-MM-DD) for a reproducible build.
TODAY = None
LISTING_WEEKS = 4  # how many weeks of occasions district, group and category pages list day by day
RELATED_ACTIVITIES = 3  # upcoming activities a health page or film shows (its theme pages list them all)
# Printed programmes and posters (PDF, /trycksaker/): made only when PRINT is True (publishconf.py, make print),
# so previews stay fast. A programme is for the coming season (first and last month-day of each), or for
# PRINT_FROM–PRINT_TO (YYYY-MM-DD) when both are set: make print FROM=2027-01-01 TO=2027-05-31.
PRINT = False
PRINT_SEASONS = [("01-01", "05-31"), ("06-01", "08-31"), ("09-01", "12-31")]
PRINT_FROM = PRINT_TO = None

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["halsolots"]

# Where each kind of content is read from (folders in content/).
ACTIVITY_PATHS = ["aktiviteter"]
HEALTH_PATHS = ["halsa"]  # health information pages
FILM_PATHS = ["filmer"]  # the film archive (captions and local videos live in media/)
PAGE_PATHS = ["sidor"]
ARTICLE_PATHS = ["nyheter"]
STATIC_PATHS = ["media"]
DATA_PATH = "data"
IGNORE_FILES = [".#*", "README.md", "*.template.md"]

# Slug of the accessibility statement (content/sidor/tillganglighet*.md), linked from every page's footer.
ACCESSIBILITY_STATEMENT = "tillganglighet"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_URL = "nyheter/{slug}/"
ARTICLE_SAVE_AS = "nyheter/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/nyheter/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/nyheter/{slug}/index.html"
DRAFT_URL = "utkast/{slug}/"
DRAFT_SAVE_AS = "utkast/{slug}/index.html"
DRAFT_LANG_URL = "{lang}/utkast/{slug}/"
DRAFT_LANG_SAVE_AS = "{lang}/utkast/{slug}/index.html"
DRAFT_PAGE_URL = "utkast/sida/{slug}/"
DRAFT_PAGE_SAVE_AS = "utkast/sida/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "{lang}/utkast/sida/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = "{lang}/utkast/sida/{slug}/index.html"

# The site's own generators write the home page, programme and listings; Pelican's blog pages are off.
DIRECT_TEMPLATES = []
TAG_SAVE_AS = TAGS_SAVE_AS = CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
SLUGIFY_SOURCE = "basename"

# The only origins pages may frame (Content-Security-Policy frame-src): the film players, loaded on click.
FILM_PROVIDER_ORIGINS = ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]

# Drafts are shown (clearly marked) in local previews; publishconf.py turns them off.
SHOW_DRAFTS = True

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

RELATIVE_URLS = False
# Builds reuse what has not changed: Pelican's content cache and the output cache (plugins/halsolots/
# outputcache.py) live in CACHE_PATH. BUILD_CACHE = False builds everything from scratch; so does `make clean`.
BUILD_CACHE = True
CACHE_PATH = "cache"
DEFAULT_PAGINATION = False
