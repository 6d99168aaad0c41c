"""Several sites from one repository (docs/sites.md).

The default site is the repository's own `pelicanconf.py` and `content/` (Gothenburg's). Every other site is a
folder `sites/<id>/` holding `settings.yaml` (settings by their pelicanconf.py names; what it leaves out is the
default site's), `content/` (its activities, pages and vocabularies) and optionally `translations/` (its own
words over the theme's catalogue: its name, its home page's lead, "kommun" where the theme says "område").
A new site is a folder copy and a data edit: no code names a site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import yaml

from .problems import N_, ContentError, Problem
from .vocabulary import district_vocabulary

SITES_FOLDER = "sites"
SETTINGS_FILE = "settings.yaml"
# Settings a site's file cannot set: where its own files are is given by its folder.
FOLDER_SETTINGS = ("PATH", "OUTPUT_PATH", "CACHE_PATH", "THEME", "PLUGIN_PATHS", "PLUGINS", "SITE_ID",
                   "SITE_TRANSLATIONS", "SITE_SETTINGS_FILE", "HALSOLOTS_SITES", "SITES_ROOT")


@dataclass(frozen=True)
class SiteFolder:
    id: str
    folder: str  # the site's folder (the repository itself for the default site)
    settings: dict  # what its settings file sets (empty for the default site: pelicanconf.py is the settings)
    publish: dict  # what it sets for production builds only (settings.yaml `publish:`)

    @property
    def content_path(self) -> str:
        return os.path.join(self.folder, "content")

    @property
    def translations(self) -> str:
        return os.path.join(self.folder, "translations")


def site_folders(root: str) -> list[str]:
    """The folders below `root`/sites that hold a site (a settings.yaml), by name."""
    base = os.path.join(root, SITES_FOLDER)
    if not os.path.isdir(base):
        return []
    return sorted(os.path.join(base, name) for name in os.listdir(base)
                  if os.path.isfile(os.path.join(base, name, SETTINGS_FILE)))


def read_site(folder: str) -> SiteFolder:
    """A site's folder and its settings.yaml; a mistake in the file is a ContentError naming file and line."""
    folder = os.path.abspath(folder)
    path = os.path.join(folder, SETTINGS_FILE)
    site_id = os.path.basename(folder.rstrip(os.sep))
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except FileNotFoundError:
        raise ContentError([Problem.make(path, 1, "", N_("the site has no settings file"),
                                         N_("a folder sites/<name>/ with settings.yaml and content/"))]) from None
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise ContentError([Problem.make(path, line, "", N_("is not valid YAML: {error}"),
                                         N_("KEY: value lines, as in the example site"),
                                         error=str(getattr(error, "problem", error)))]) from None
    if not isinstance(data, dict):
        raise ContentError([Problem.make(path, 1, "", N_("is not a list of settings"),
                                         N_("KEY: value lines, as in the example site"))])
    publish = data.pop("publish", None) or {}
    problems = []
    for key in [*data, *publish]:
        if not (isinstance(key, str) and key.isupper()) or key in FOLDER_SETTINGS:
            problems.append(Problem.make(path, line_of(path, key), str(key), N_("is not a setting a site can set"),
                                         N_("a setting of pelicanconf.py in capitals, other than {folder}"),
                                         folder=", ".join(FOLDER_SETTINGS)))
    if problems:
        raise ContentError(problems)
    return SiteFolder(site_id, folder, data, publish)


def line_of(path: str, key) -> int:
    """The line of `key:` in a YAML file (1 when it is not there)."""
    if not os.path.isfile(path):
        return 1
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip().startswith(f"{key}:"):
                return number
    return 1


def find_site(root: str, name: str) -> SiteFolder:
    """`name` is a site's id (a folder in sites/) or the path of a site's folder."""
    folder = name if os.sep in name else os.path.join(root, SITES_FOLDER, name)
    if not os.path.isfile(os.path.join(folder, SETTINGS_FILE)):
        known = ", ".join(os.path.basename(f) for f in site_folders(root)) or "-"
        raise ContentError([Problem.make(os.path.join(folder, SETTINGS_FILE), 1, "SITE",
                                         N_("there is no site '{name}'"), N_("one of: {options}"),
                                         name=name, options=known)])
    return read_site(folder)


def site_overrides(root: str, default: dict, name: str | None) -> dict:
    """The settings a build of site `name` (None: the default site) adds to the repository's settings file.

    `default` is the repository's settings as read; every build learns every site's id, content folder and
    domain (HALSOLOTS_SITES), so an activity can be listed on another site (Also-in) and keep its UID."""
    sites = {default.get("SITE_ID", "default"): {"path": default["PATH"], "domain": default.get("SITE_DOMAIN", "")}}
    chosen = None
    folders = [read_site(folder) for folder in site_folders(root)]
    if name:
        chosen = find_site(root, name)
        if all(site.folder != chosen.folder for site in folders):
            folders.append(chosen)  # a site outside the repository's sites/ (a copy being tried out)
    for site in folders:
        sites[site.id] = {"path": site.content_path,
                          "domain": site.settings.get("SITE_DOMAIN", default.get("SITE_DOMAIN", ""))}
    overrides = {"HALSOLOTS_SITES": sites, "SITES_ROOT": root}
    if chosen is None:
        return overrides
    overrides.update(chosen.settings)
    if default.get("PRODUCTION"):  # publishconf.py's builds
        overrides.update(chosen.publish)
        if os.environ.get("SITEURL"):
            overrides["SITEURL"] = os.environ["SITEURL"]  # as publishconf.py: a test or staging host
    overrides.update(SITE_ID=chosen.id, PATH=chosen.content_path, SITE_TRANSLATIONS=chosen.translations,
                     SITE_SETTINGS_FILE=os.path.join(chosen.folder, SETTINGS_FILE),
                     CACHE_PATH=os.path.join(default["CACHE_PATH"], SITES_FOLDER, chosen.id))
    return overrides


def other_sites(settings: dict) -> dict[str, dict]:
    """The repository's other sites: id → {"path": content folder, "domain": SITE_DOMAIN}."""
    own = settings.get("SITE_ID", "default")
    return {site_id: facts for site_id, facts in (settings.get("HALSOLOTS_SITES") or {}).items() if site_id != own}


def districts_of(sites: dict[str, dict]) -> dict[str, str]:
    """District id → site id of the given sites (their districts.yaml)."""
    found = {}
    for site_id, facts in sites.items():
        for term in district_vocabulary(facts["path"]):
            found.setdefault(term.id, site_id)
    return found
