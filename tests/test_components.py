"""The theme's components (theme/components/<name>/), GOV.UK Frontend style: each keeps its macro, styles,
README and examples together, and every example renders to sound HTML that shows what it should.

Examples are data in <name>.yaml, rendered by component_examples.py with the theme's real environment and
the fixture site's model; the browser suite runs axe over the same examples (test_components_axe.py).
"""

from __future__ import annotations

import ast
import json
import re
from datetime import timezone
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from component_examples import COMPONENTS, MACRO, THEME, Examples, component_names, public_macros, spec
from halsolots.site import i18n

NAMES = component_names()
SPECS = {name: spec(name) for name in NAMES}
CASES = [pytest.param(name, example, lang, id=f"{name}: {example['name']} [{lang}]")
         for name in NAMES for example in SPECS[name].get("examples") or [] for lang in example.get("languages", [])]
GLOBAL_CASES = [pytest.param(name, example, id=f"{name}: {example['name']}")
                for name in NAMES for example in SPECS[name].get("examples") or [] if example.get("globals")]
EXAMPLE_KEYS = {"name", "macro", "languages", "arguments", "globals"}


@pytest.fixture(scope="module")
def examples(model) -> Examples:
    return Examples(model)


def test_there_are_components_and_examples():
    assert NAMES and len(CASES) >= 2 * len(NAMES)


# --- folders, parameters, README --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_component_folder_has_its_files(name):
    folder = COMPONENTS / name
    for file in ("macro.html", "README.md", f"{name}.yaml"):
        assert (folder / file).is_file(), f"{name}/ has no {file}"
    macro = (folder / "macro.html").read_text(encoding="utf-8")
    if (folder / "style.css").exists():
        assert (folder / "style.css").read_text(encoding="utf-8").strip(), f"{name}/style.css is empty"
    else:  # only a component that draws nothing of its own may go without styles (search-record)
        assert "class=" not in macro, f"{name}/ has classes in its macro but no style.css"


@pytest.mark.parametrize("name", [n for n in NAMES if (COMPONENTS / n / "style.css").exists()])
def test_styles_are_for_classes_the_theme_uses(name):
    """A component's style.css styles its own markup (what a template wraps it in, or the theme's scripts add),
    nothing dead."""
    css = re.sub(r"/\*.*?\*/", "", (COMPONENTS / name / "style.css").read_text(encoding="utf-8"), flags=re.S)
    classes = set(re.findall(r"\.([A-Za-z][\w-]*)", re.sub(r"\{[^{}]*\}", "{}", css)))
    sources = [COMPONENTS / name / "macro.html", *sorted((THEME / "templates").glob("*.html")),
               *sorted((THEME / "static" / "js").glob("*.js"))]
    markup = "".join(path.read_text(encoding="utf-8") for path in sources)
    assert classes, f"{name}/style.css names no class"
    used = r"(?:class=\"|className = \"|classList\.\w+\(\")[^\"]*(?<![\w-]){}(?![\w-])"
    unused = sorted(c for c in classes if not re.search(used.format(re.escape(c)), markup))
    assert not unused, f"{name}/style.css styles classes no markup has: {unused}"


def _default(source: str):
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return source


@pytest.mark.parametrize("name", NAMES)
def test_params_are_the_arguments_of_the_macros(name):
    macros = public_macros(name)
    params = SPECS[name].get("params")
    assert isinstance(params, dict), f"{name}.yaml: params is a map of macro name → parameters"
    assert set(params) == set(macros), f"{name}.yaml documents {sorted(params)}, macro.html has {sorted(macros)}"
    for macro, arguments in macros.items():
        documented = params[macro] or []
        assert [p["name"] for p in documented] == [a.name for a in arguments], f"{name}: {macro}"
        for param, argument in zip(documented, arguments, strict=True):
            assert {"name", "type", "required", "description"} <= set(param), (name, macro, param)
            assert param["type"] and param["description"], (name, macro, param)
            assert param["required"] is (argument.default is None), (name, macro, param["name"])
            if argument.default is not None:
                assert param.get("default") == _default(argument.default), (name, macro, param["name"])


def _sections(text: str) -> dict[str, str]:
    """Markdown heading text → the text below it, up to the next heading of any level."""
    sections, current = {}, ""
    for line in text.splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
        if heading:
            current = heading.group(1)
            sections[current] = ""
        else:
            sections[current] = sections.get(current, "") + line + "\n"
    return sections


def _table(text: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    return rows[2:]  # after the header and the separator


def _signature(macro: str, arguments) -> str:
    return f"{macro}(" + ", ".join(a.name if a.default is None else f"{a.name}={a.default}" for a in arguments) + ")"


@pytest.mark.parametrize("name", NAMES)
def test_readme_documents_every_parameter(name):
    sections = _sections((COMPONENTS / name / "README.md").read_text(encoding="utf-8"))
    for macro, arguments in public_macros(name).items():
        heading = f"`{_signature(macro, arguments)}`"
        assert heading in sections, f"{name}/README.md has no section '### {heading}'"
        rows = _table(sections[heading])
        expected = [[f"`{p['name']}`", p["type"], "yes" if p["required"] else f"no, default {p['default']}",
                     p["description"]] for p in SPECS[name]["params"][macro] or []]
        assert rows == expected, f"{name}/README.md: the table of {macro} is not the one of {name}.yaml"


@pytest.mark.parametrize("name", NAMES)
def test_readme_says_what_the_component_is_for_and_how_to_use_it(name):
    text = (COMPONENTS / name / "README.md").read_text(encoding="utf-8")
    sections = _sections(text)
    assert text.startswith("# "), f"{name}/README.md starts with its title"
    assert len(sections.get(text.splitlines()[0][2:], "").strip()) > 40, f"{name}/README.md: what it is for"
    assert "When to use it" in sections and sections["When to use it"].strip(), name
    imports = re.findall(r'{%\s*from\s+"([\w-]+)/macro\.html"\s+import\s+([\w, ]+?)\s+with context\s*%}',
                         sections.get("Usage", ""))
    assert imports and all(folder == name for folder, _ in imports), f"{name}/README.md: Usage imports it"
    imported = {macro.strip() for _, names in imports for macro in names.split(",")}
    assert set(public_macros(name)) <= imported, f"{name}/README.md: Usage imports {sorted(imported)}"
    # Every global an example needs is documented ('url()' reads halsolots_site and lang).
    globals_text = sections.get("Page globals", "")
    assert "`lang`" in globals_text, f"{name}/README.md: Page globals"
    for example in SPECS[name]["examples"]:
        for key in example.get("globals") or {}:
            assert f"`{key}`" in globals_text, f"{name}/README.md does not list the page global {key}"


@pytest.mark.parametrize("name", NAMES)
def test_examples_call_every_macro_with_its_arguments(name, model):
    macros = public_macros(name)
    found = SPECS[name].get("examples") or []
    assert found, f"{name}.yaml has no examples"
    assert {e["macro"] for e in found} == set(macros), f"{name}.yaml: every macro has an example"
    if any(macros.values()):
        assert len(found) >= 2, f"{name}.yaml: a component with options has two examples or more"
    assert len({e["name"] for e in found}) == len(found), f"{name}.yaml: example names are unique"
    for example in found:
        assert set(example) <= EXAMPLE_KEYS and {"name", "macro", "languages"} <= set(example), example
        assert example["languages"] and set(example["languages"]) <= set(model.site.languages), example["name"]
        given, arguments = set(example.get("arguments") or {}), macros[example["macro"]]
        assert given <= {a.name for a in arguments}, (name, example["name"])
        assert {a.name for a in arguments if a.default is None} <= given, (name, example["name"])
        assert "lang" not in (example.get("globals") or {}), "lang comes from languages"


def test_components_index_lists_every_component():
    """theme/components/README.md: one line per component, linking its folder, with what it is."""
    text = (COMPONENTS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*\[([\w-]+)\]\(([\w-]+)/\)\s*\|\s*(.*?)\s*\|\s*$", text, re.M)
    listed = [row[0] for row in rows]
    assert sorted(listed) == NAMES and len(set(listed)) == len(listed)
    for name, folder, description in rows:
        assert folder == name and len(description) > 15 and description.endswith("."), (name, description)


def test_fragment_macros_have_names_unique_in_the_theme():
    """fragment(macro, …) shares a rendering by the macro's name (build/fragments.py): two macros of one name
    would be given each other's HTML."""
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(THEME.rglob("*.html"))}
    defined: dict[str, list[str]] = {}
    for path, text in sources.items():
        for macro, _args in MACRO.findall(text):
            defined.setdefault(macro, []).append(str(path.relative_to(THEME)))
    fragments = {name for text in sources.values() for name in re.findall(r"\bfragment\(\s*(\w+)", text)}
    assert len(fragments) >= 5
    for name in sorted(fragments):
        assert len(defined.get(name, [])) == 1, f"fragment macro {name} is defined in {defined.get(name, [])}"


# --- rendering ----------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID or not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> at line {self.getpos()[0]} closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def unbalanced(html: str) -> list[str]:
    """Tags closed out of order or never: html.parser itself accepts anything."""
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return parser.problems + [f"<{tag}> is never closed" for tag in parser.open]


def t(message: str, lang: str, **values) -> str:
    """Interface text as the catalogue of `lang` has it."""
    with i18n.language(lang):
        text = i18n.gettext(message)
    return text % values if values else text


def nt(singular: str, plural: str, n: int, lang: str) -> str:
    with i18n.language(lang):
        return i18n.ngettext(singular, plural, n)


def words(element) -> str:
    """An element's text as read: whitespace collapsed."""
    return " ".join(element.get_text().split())


def check_html(call, soup):
    """What every component's HTML must be: well formed, no leaks of Python or Jinja, sound links and langs."""
    assert not unbalanced(call.html), unbalanced(call.html)
    for leak in ("None", "Undefined", "{{", "{%", "[]", "()"):
        assert leak not in words(soup), f"{leak!r} in the text"
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    for element in soup.find_all(lang=True):
        assert element["lang"] in call.site.languages, element
    siteurl = call.context.get("SITEURL", "")
    for attribute in ("href", "src"):
        for element in soup.find_all(**{attribute: True}):
            url = element[attribute]
            assert url and "None" not in url and "//" not in url.split("://", 1)[-1], element
            # The site's own links start with SITEURL (root-relative only when it is ""), others are absolute; a
            # data: image (a QR code) is its own.
            if url.startswith("data:image/"):
                continue
            if not url.startswith(("https://", "webcal://", "tel:", "mailto:")) or siteurl and url.startswith(siteurl):
                assert url.startswith(siteurl + "/"), f"{url} is not below SITEURL {siteurl!r}"


def label(term, lang):
    return term.label.get(lang)


def heading_of(element, level: int):
    headings = element.find_all(re.compile(r"^h[1-6]$"))
    assert [h.name for h in headings] == [f"h{level}"], f"headings {[h.name for h in headings]}, not h{level}"
    return headings[0]


def assert_text_lang(element, text_lang: str, lang: str):
    """Content in another language than the page's says so (WCAG 3.1.2), and only then."""
    if text_lang != lang:
        assert element.get("lang") == text_lang, f"text in {text_lang} on a {lang} page without lang: {element}"
    else:
        assert element.get("lang") in (None, lang), element


def check_activity_facts(call, soup):
    activity, lang = call.arguments["activity"], call.lang
    rows = {words(row.dt): row.dd for row in soup.select("dl.facts > div.facts__row")}
    for term in ("When", "Where", "For", "Category", "Language", "Registration", "Cost", "Organiser"):
        assert t(term, lang) in rows, f"no {t(term, lang)!r} row in {list(rows)}"
    districts = rows[nt("District", "Districts", len(activity.districts), lang)]
    assert [(a["href"], words(a)) for a in districts.find_all("a")] == [
        (call.href("district", id=d.id), label(d, lang)) for d in activity.districts]
    assert [(a["href"], words(a)) for a in rows[t("For", lang)].find_all("a")] == [
        (call.href("target_group", id=g.id), label(g, lang)) for g in activity.target_groups]
    assert rows[t("Category", lang)].a["href"] == call.href("category", id=activity.category.id)
    if activity.themes:
        assert [a["href"] for a in rows[nt("Theme", "Themes", len(activity.themes), lang)].find_all("a")] == [
            call.href("theme", id=theme.id) for theme in activity.themes]
    where = rows[t("Where", lang)]
    if activity.online:
        assert words(where).startswith(t("Online", lang)), words(where)
    else:
        venue = activity.venue
        assert words(where.select_one(".facts__venue")) == label(venue, lang)
        assert venue.get("address") in words(where)
        if venue.text("directions"):
            directions, directions_lang = venue.text("directions").in_language(lang)
            span = where.find("span", string=directions)
            assert span is not None, f"no directions {directions!r}"
            assert_text_lang(span, directions_lang, lang)
        features = venue.get("accessibility") or []
        accessible = rows.get(t("Accessibility", lang))
        assert (accessible is not None) == bool(features)
        if features:
            assert [words(li) for li in accessible.find_all("li")] == [
                label(call.context["vocabularies"].accessibility_features[f], lang) for f in features]
    registration = words(rows[t("Registration", lang)])
    if activity.drop_in:
        assert registration == t("Drop-in, no registration", lang)
    else:
        assert registration.startswith(t("Registration required", lang))
        assert activity.text(call.site.default_lang).how_to_register in registration
    assert words(rows[t("Cost", lang)]) == t("Free of charge", lang)
    organiser = words(rows[t("Organiser", lang)])
    assert organiser.startswith(activity.organiser) and all(p in organiser for p in activity.partners)


def check_schedule_text(call, soup):
    activity, lang = call.arguments["activity"], call.lang
    schedule = activity.schedule
    with i18n.language(lang):
        if schedule.weekly:
            assert words(soup) == t("Every %(weekday)s, %(time)s, %(first)s – %(last)s", lang,
                                    weekday=i18n.weekday_name(schedule.start),
                                    time=i18n.format_time_range(schedule.start, schedule.end),
                                    first=i18n.format_date(schedule.start, "d MMMM yyyy"),
                                    last=i18n.format_date(schedule.until, "d MMMM yyyy"))
        else:
            time = soup.find("time")
            assert time["datetime"] == schedule.start.isoformat() and words(time) == i18n.format_date(schedule.start)
            assert words(soup).endswith(i18n.format_time_range(schedule.start, schedule.end))


LANGUAGE_NAMES = {"sv": {"sv": "Svenska", "en": "Engelska"}, "en": {"sv": "Swedish", "en": "English"}}


def check_languages_row(call, soup):
    item, lang = call.arguments["item"], call.lang
    assert words(soup.dt) == t("Language", lang)
    expected = ", ".join(LANGUAGE_NAMES[lang][code] for code in item.languages)
    if item.sign_language:
        expected += ". " + t("Sign-language interpreted", lang)
    assert words(soup.dd) == expected


def check_activity_summary(call, soup):
    activity, lang = call.arguments["activity"], call.lang
    level = call.arguments.get("heading_level", 3)
    text = activity.text(lang)
    article = soup.select_one("article.activity-summary")
    assert_text_lang(article, text.lang, lang)
    heading = heading_of(article, level)
    link = heading.a
    assert link["href"] == call.href("activity", slug=activity.slug) and words(link) == text.title
    cancelled = heading.select_one(".status-tag--cancelled")
    assert (cancelled is not None) == activity.cancelled
    if cancelled:
        assert words(cancelled) == t("Cancelled", lang)
    draft = heading.select_one(".status-tag--draft")
    assert (draft is not None) == activity.draft
    facts = article.select_one(".activity-summary__facts")
    assert facts["lang"] == lang
    said = words(facts)
    upcoming = activity.next_occurrence(call.context["today"])
    if activity.schedule.weekly and upcoming:
        assert t("Next time:", lang) in said
        assert facts.find("time", datetime=upcoming.start.isoformat())
    assert (t("Online", lang) if activity.online else label(activity.venue, lang)) in said
    assert f"{t('For:', lang)} {', '.join(label(g, lang) for g in activity.target_groups)}" in said
    assert all(label(d, lang) in said for d in activity.districts)


def check_activity_summaries(call, soup):
    activities = call.arguments["activities"]
    items = soup.select("ul.activity-summaries > li")
    assert len(items) == len(activities)
    for item, activity in zip(items, activities):
        link = heading_of(item.select_one("article.activity-summary"), call.arguments.get("heading_level", 3)).a
        assert link["href"] == call.href("activity", slug=activity.slug)


SERVICES = {"google": "Google Calendar", "outlook": "Outlook.com", "office": "Microsoft 365",
            "apple": "Apple Calendar and other apps"}


def _check_subscribe_links(call, soup, feed):
    """A feed's links in every calendar app, each named for its feed, and its address to copy."""
    calendars, lang = call.context["calendars"], call.lang
    url = calendars.url(feed, lang)
    with i18n.language(lang):
        name = feed.name(lang)
    links = soup.select("ul.calendar-apps > li > a")
    https, webcal = calendars.absolute(url), calendars.webcal(url)
    assert [words(a) for a in links] == [f"{t(text, lang)}: {name}" for text in SERVICES.values()]
    assert all(words(a.select_one(".visually-hidden")) == f": {name}" for a in links)
    google, outlook, office, apple = (a["href"] for a in links)
    assert google == "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    for link, host in ((outlook, "outlook.live.com"), (office, "outlook.office.com")):
        parts = urlsplit(link)
        assert (parts.netloc, parts.path) == (host, "/calendar/0/addfromweb")
        assert parse_qs(parts.query) == {"url": [https], "name": [name]}
    assert apple == webcal and webcal.startswith("webcal://") and https.endswith(".ics")
    field = soup.select_one("input.calendar-subscribe__url")
    assert field["value"] == https and field.has_attr("readonly") and field["type"] == "url"
    label_ = soup.find("label", attrs={"for": field["id"]})
    assert words(label_) == f"{t('Address to copy:', lang)} {name}"
    button = soup.select_one("button.calendar-subscribe__copy")
    assert button.has_attr("hidden") and button["type"] == "button"  # calendar-copy.js shows it
    assert button["data-copied"] == t("Copied", lang) and words(button) == f"{t('Copy', lang)}: {name}"
    assert url.startswith(call.site.prefix(lang))


def check_subscribe_links(call, soup):
    _check_subscribe_links(call, soup, call.arguments["feed"])


def check_feed_choice(call, soup):
    feed, lang = call.arguments["feed"], call.lang
    details = soup.select_one("details.calendar-feed")
    with i18n.language(lang):
        assert words(details.summary) == feed.label(lang)
    assert not details.has_attr("open")
    _check_subscribe_links(call, details, feed)


def check_subscribe_link(call, soup):
    calendars, lang = call.context["calendars"], call.lang
    group = call.arguments.get("group")
    feed = calendars and calendars.feed_for(call.arguments["facet"], call.arguments["term"].id,
                                            group.id if group else None)
    if not feed:
        assert not soup.find(True), "no calendar, no link"
        return
    box = soup.select_one("div.calendar-links")
    assert words(box.select_one(".calendar-links__lead")) == t(
        "Get these activities in your calendar, and changes as they happen:", lang)
    _check_subscribe_links(call, box, feed)
    if group:
        assert feed.kind == "calendar_district_group" and calendars.url(feed, lang).endswith(
            f"omrade/{call.arguments['term'].id}/{group.id}.ics")
    how = box.find("a", href=call.href("calendars"))
    assert words(how) == t("How to subscribe, and other calendars", lang)


def check_add_to_calendar(call, soup):
    activity, lang = call.arguments["activity"], call.lang
    if activity.draft:
        assert not soup.find(True), "a draft is in no calendar"
        return
    title = activity.text(lang).title
    add = soup.select_one('a[type="text/calendar"]')
    assert add["href"] == call.href("calendar_activity", slug=activity.slug)
    assert words(add) == f"{t('Apple Calendar and other apps (.ics file)', lang)}: {title}"
    assert soup.find("a", href=call.href("calendars"))
    links = {urlsplit(a["href"]).netloc: a for a in soup.select("ul.calendar-apps a") if a is not add}
    upcoming = activity.next_occurrence(call.context["today"])
    if upcoming is None:  # cancelled, or over: only the file, which says so
        assert links == {} and not soup.select_one(".calendar-links__note")
        return
    assert [words(a) for a in links.values()] == [f"{t(s, lang)}: {title}"
                                                  for s in ("Google Calendar", "Outlook.com", "Microsoft 365")]
    google = parse_qs(urlsplit(links["calendar.google.com"]["href"]).query)
    local = "%Y%m%dT%H%M%S"
    assert google["action"] == ["TEMPLATE"] and google["text"] == [title]
    assert google["dates"] == [f"{upcoming.start.strftime(local)}/{upcoming.end.strftime(local)}"]
    assert google["ctz"] == ["Europe/Stockholm"] and google["location"] and google["details"]
    assert (activity.schedule.weekly and "recur" in google) == ("recur" in google)
    for host in ("outlook.live.com", "outlook.office.com"):
        parts = urlsplit(links[host]["href"])
        assert parts.path == "/calendar/0/deeplink/compose"
        query = parse_qs(parts.query)
        assert query["path"] == ["/calendar/action/compose"] and query["rru"] == ["addevent"]
        assert query["subject"] == [title] and query["body"] and query["location"]
        assert query["startdt"] == [upcoming.start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
        assert query["enddt"] == [upcoming.end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
    note = words(soup.select_one(".calendar-links__note"))
    assert t("An event added this way does not change if the activity is moved or cancelled. To get changes, "
             "subscribe to a calendar.", lang) in note


def _check_film(call, article, film, level):
    lang = call.lang
    text = film.text(lang)
    assert_text_lang(article, text.lang, lang)
    link = heading_of(article, level).a
    assert link["href"] == call.href("film", slug=film.slug) and words(link) == text.title
    facts = article.select_one(".film-card__facts")
    assert facts["lang"] == lang
    said = words(facts)
    assert said.startswith(", ".join(film.speakers))
    assert facts.find("time", datetime=film.recorded.isoformat())
    assert facts.find("time", datetime=film.duration_iso)
    captions = ", ".join(LANGUAGE_NAMES[lang][c.lang].lower() if lang == "sv" else LANGUAGE_NAMES[lang][c.lang]
                         for c in film.captions)
    assert f"{t('Captions:', lang)} {captions}" in said
    assert (t("Sign-language interpreted", lang) in said) == film.sign_language
    if film.series:
        assert label(film.series, lang) in said
    if film.external:
        assert t("Plays on %(provider)s", lang, provider=film.external.provider) in said


def check_film_card(call, soup):
    _check_film(call, soup.select_one("article.film-card"), call.arguments["film"],
                call.arguments.get("heading_level", 3))


def check_film_cards(call, soup):
    films = call.arguments["films"]
    items = soup.select("ul.film-cards > li")
    assert len(items) == len(films)
    for item, film in zip(items, films, strict=True):
        _check_film(call, item.select_one("article.film-card"), film, call.arguments.get("heading_level", 3))


def _check_health(call, article, page, level):
    lang = call.lang
    text = page.text(lang)
    assert_text_lang(article, text.lang, lang)
    link = heading_of(article, level).a
    assert link["href"] == call.href("health", slug=page.slug) and words(link) == text.title
    assert words(article.select_one(".health-card__summary")) == words(BeautifulSoup(text.summary, "html.parser"))
    themes = article.select_one(".health-card__themes")
    assert themes["lang"] == lang
    assert words(themes).startswith(nt("Theme:", "Themes:", len(page.themes), lang))
    assert [(a["href"], words(a)) for a in themes.find_all("a")] == [
        (call.href("theme", id=theme.id), label(theme, lang)) for theme in page.themes]


def check_health_card(call, soup):
    _check_health(call, soup.select_one("article.health-card"), call.arguments["page"],
                  call.arguments.get("heading_level", 3))


def check_health_cards(call, soup):
    pages = call.arguments["pages"]
    items = soup.select("ul.health-cards > li")
    assert len(items) == len(pages)
    for item, page in zip(items, pages, strict=True):
        _check_health(call, item.select_one("article.health-card"), page, call.arguments.get("heading_level", 3))


def check_help_card(call, soup):
    contact, lang = call.arguments["contact"], call.lang
    card = soup.select_one("div.help-card")
    assert words(heading_of(card, call.arguments.get("heading_level", 3))) == label(contact, lang)
    description, description_lang = contact.description.in_language(lang)
    paragraph = card.select_one(".help-card__description")
    assert words(paragraph) == description
    assert_text_lang(paragraph, description_lang, lang)
    ways = card.select(".help-card__ways > li")
    assert len(ways) == bool(contact.get("phone")) + bool(contact.get("url"))
    if contact.get("phone"):
        phone = card.find("a", href=re.compile("^tel:"))
        assert re.fullmatch(r"tel:\+?\d+", phone["href"]) and words(phone) == contact.get("phone")
        assert words(phone.parent).startswith(t("Phone:", lang))
    if contact.get("url"):
        website = card.find("a", href=contact.get("url"))
        assert words(website) == t("Website of %(name)s", lang, name=label(contact, lang))


def check_language_switcher(call, soup):
    links, lang = call.arguments["links"], call.lang
    if len(links) < 2:
        assert not soup.find(True), "one language: no switcher"
        return
    nav = soup.select_one("nav.language-switcher")
    assert nav["aria-label"] == t("Language", lang)
    items = nav.select("li")
    assert len(items) == len(links)
    for item, link in zip(items, links, strict=True):
        if link["current"]:
            current = item.select_one('[aria-current="true"]')
            assert current.name == "span" and current["lang"] == link["lang"] and words(current) == link["name"]
            assert link["lang"] == lang
        else:
            a = item.a
            assert a["href"] == f"{call.context['SITEURL']}/{link['url']}"
            assert a["hreflang"] == a["lang"] == link["lang"] and words(a).startswith(link["name"])
            note = a.select_one(".visually-hidden")
            assert (note is not None) == (not link["translated"])
            if note is not None:
                assert t("home page; this page is not translated", lang) in words(note)
                assert a["href"] == f"{call.context['SITEURL']}/{call.site.url(link['lang'], 'home')}"


def check_occurrence_list(call, soup):
    days, lang = call.arguments["days"], call.lang
    level = call.arguments.get("heading_level", 2)
    listing = soup.select_one("div.occurrence-list")
    headings = listing.find_all(re.compile(r"^h[1-6]$"))
    assert [h.name for h in headings] == [f"h{level}"] * len(days) and days
    groups = listing.select("ul.occurrence-list__items")
    assert len(groups) == len(days)
    for heading, group, (day, occurrences) in zip(headings, groups, days, strict=True):
        assert heading.time["datetime"] == day.isoformat()
        with i18n.language(lang):
            assert words(heading) == i18n.format_date(day)
        items = group.select("li.occurrence")
        assert len(items) == len(occurrences)
        for item, occ in zip(items, occurrences, strict=True):
            activity = occ.activity
            text = activity.text(lang)
            assert [time["datetime"] for time in item.select(".occurrence__time time")] == [
                occ.start.isoformat(), occ.end.isoformat()]
            link = item.select_one(".occurrence__what > a")
            assert link["href"] == call.href("activity", slug=activity.slug) and words(link) == text.title
            assert_text_lang(link, text.lang, lang)
            assert ("occurrence--cancelled" in item["class"]) == occ.cancelled
            tag = item.select_one(".status-tag--cancelled")
            assert (tag is not None) == occ.cancelled
            if tag:
                assert words(tag) == t("Cancelled", lang)
            assert (item.select_one(".status-tag--draft") is not None) == activity.draft
            where = words(item.select_one(".occurrence__where"))
            assert where.startswith(t("Online", lang) if activity.online else label(activity.venue, lang))
    assert any(occ.cancelled for _day, occs in days for occ in occs) == bool(soup.select(".occurrence--cancelled"))


def check_week_pagination(call, soup):
    week, lang = call.arguments["week"], call.lang
    nav = soup.select_one("nav.pagination")
    assert nav["aria-label"] == t("Programme weeks", lang)
    previous, following = nav.select_one(".pagination__prev a"), nav.select_one(".pagination__next a")
    assert (previous is not None) == (week.previous is not None)
    assert (following is not None) == (week.next is not None)
    if previous:
        target = call.href("programme_week", week=week.previous.key) if week.previous.key else call.href("programme")
        assert previous["href"] == target and previous["rel"] == ["prev"]
        assert words(previous).startswith(t("Earlier", lang))
    if following:
        assert following["href"] == call.href("programme_week", week=week.next.key) and following["rel"] == ["next"]
        with i18n.language(lang):
            assert words(following) == t("Later: week of %(date)s", lang,
                                         date=i18n.format_date(week.next.days[0][0]))


def check_related_activities(call, soup):
    activities, themes, lang = call.arguments["activities"], call.arguments["themes"], call.lang
    section = soup.select_one("section.related-activities")
    heading = section.find(id=section["aria-labelledby"])
    assert heading.name == "h2" and words(heading) == t("Upcoming activities on the same themes", lang)
    summaries = section.select("article.activity-summary")
    assert [words(s.h3.a) for s in summaries] == [a.text(lang).title for a in activities]
    if activities:
        assert [(a["href"], words(a)) for a in section.select(".related-activities__more a")] == [
            (call.href("theme", id=theme.id), t("All upcoming activities on %(theme)s", lang, theme=label(theme, lang)))
            for theme in themes]
    else:
        assert t("There are no upcoming activities on these themes right now.", lang) in words(section)
        assert section.find("a", href=call.href("programme"))


def check_search_metadata(call, soup):
    record, lang = call.arguments["record"], call.lang
    box = soup.find("div")
    assert box.has_attr("hidden") and box.has_attr("data-pagefind-ignore")
    assert [(s["data-pagefind-filter"], words(s)) for s in box.select("[data-pagefind-filter]")] == \
        record.filter_items()
    assert [(s["data-pagefind-meta"], words(s)) for s in box.select("[data-pagefind-meta]")] == record.meta_items()
    types = dict(record.filter_items())["type"]
    assert types in (t("Activity", lang), t("Film", lang), t("Health information", lang))


LEGENDS = {"type": "Type of content", "district": "Where you live", "group": "Who you are",
           "category": "What you want to do", "theme": "Health themes", "language": "The language it is held in"}


def check_search_ui(call, soup):
    arguments, lang = call.arguments, call.lang
    search = soup.select_one("div.search[data-search]")
    assert search["data-pagefind-url"] == arguments["pagefind_url"]
    assert search["data-base-url"] == call.context["SITEURL"] + "/"
    assert json.loads(search["data-count-messages"]) == arguments["count_messages"]
    assert all("{count}" in message for message in arguments["count_messages"].values())
    assert search["data-msg-empty"] == t("Type a search word or choose a filter.", lang)
    form = search.select_one("form[role=search]")
    assert form.has_attr("hidden") and form["aria-label"] == t("Search the site", lang)
    field = form.select_one("input[type=search]")
    assert form.select_one("label")["for"] == field["id"] and words(form.label) == t("Search for", lang)
    fieldsets = form.select("fieldset[data-filter]")
    assert [f["data-filter"] for f in fieldsets] == arguments["filter_ids"]
    assert [words(f.legend) for f in fieldsets] == [t(LEGENDS[i], lang) for i in arguments["filter_ids"]]
    status = search.select_one("[data-search-status]")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert search.select_one("ol[data-search-results]")["aria-label"] == t("Search results", lang)


STATUS = {"cancelled_tag": ("status-tag--cancelled", {"sv": "Inställt", "en": "Cancelled"}),
          "draft_tag": ("status-tag--draft", {"sv": "Utkast – inte publicerat", "en": "Draft – not published"})}


def check_status_tag(call, soup):
    modifier, said = STATUS[call.macro]
    tag = soup.find(True)
    assert tag.name == "strong" and tag["class"] == ["status-tag", modifier] and words(tag) == said[call.lang]


def check_term_links(call, soup):
    arguments, lang = call.arguments, call.lang
    box = soup.select_one("div.term-links")
    assert words(heading_of(box, arguments.get("heading_level", 3))) == arguments["heading"]
    assert [(a["href"], words(a)) for a in box.select("ul.term-list a")] == [
        (call.href(arguments["kind"], id=term.id), label(term, lang)) for term in arguments["terms"]]
    assert len(arguments["terms"]) > 1


def check_theme_links(call, soup):
    themes, lang = call.arguments["themes"], call.lang
    assert [(a["href"], words(a)) for a in soup.select("a.theme-link")] == [
        (call.href("theme", id=theme.id), label(theme, lang)) for theme in themes]
    assert words(soup) == ", ".join(label(theme, lang) for theme in themes)


def check_video_player(call, soup):
    film, lang = call.arguments["film"], call.lang
    title = film.text(lang).title
    assert not soup.find(["iframe", "script", "img"]), "nothing is loaded from a provider before a click"
    if film.video:
        video = soup.select_one("div.video-player > video")
        assert video.has_attr("controls") and video["aria-label"] == title
        assert video.source["src"] == f"{call.context['SITEURL']}/media/{film.video}"
        assert video.source["type"] == film.video_type
        tracks = video.find_all("track")
        assert [(tr["kind"], tr["srclang"], tr["src"]) for tr in tracks] == [
            ("captions", c.lang, f"{call.context['SITEURL']}/media/{c.path}") for c in film.captions]
        assert [tr["srclang"] for tr in tracks if tr.has_attr("default")] == [
            c.lang for c in film.captions if c.lang == lang]
        download = video.find("a")
        assert download["href"] == video.source["src"] and words(download) == t("Download the film", lang)
    else:
        provider = film.external.provider
        embed = soup.select_one("div.video-embed")
        # Captions on from the start in the page's language where the film has it (issue 17).
        captions = [c.lang for c in film.captions]
        caption_lang = lang if lang in captions else (captions[0] if captions else lang)
        joiner = "&" if "?" in film.external.embed_url else "?"
        expected = {"YouTube": f"{joiner}cc_load_policy=1&cc_lang_pref={caption_lang}&hl={lang}",
                    "Vimeo": f"{joiner}texttrack={caption_lang}" if captions else ""}.get(film.external.provider, "")
        assert embed["data-embed-src"] == film.external.embed_url + expected and embed["data-embed-title"] == title
        button = embed.find("button")
        assert button["type"] == "button" and button.has_attr("hidden")
        assert words(button) == t("Load and play the film from %(provider)s", lang, provider=provider)
        fallback = embed.select_one(".video-embed__fallback a")
        assert fallback["href"] == film.external.url
        assert words(fallback) == t("Watch the film on %(provider)s", lang, provider=provider)
        assert provider in words(embed.select_one(".video-embed__notice"))


DURATIONS = {"sv": ("{h} tim {m} min", "{m} min", "{s} s"), "en": ("{h} h {m} min", "{m} min", "{s} s")}


def check_duration_text(call, soup):
    film = call.arguments["film"]
    hours, minutes, seconds = film.duration_parts
    time = soup.find("time")
    assert time["datetime"] == film.duration_iso
    forms = DURATIONS[call.lang]
    expected = forms[0] if hours else forms[1] if minutes else forms[2]
    assert words(time) == expected.format(h=hours, m=minutes, s=seconds)


def check_referral_item(call, soup):
    activity, lang = call.arguments["activity"], call.lang
    text = activity.text(lang)
    item = soup.select_one("li.referral-item")
    assert item["data-days"] == " ".join(str(day) for day in call.arguments.get("days", []))
    link = heading_of(item, 2).a
    assert link["href"] == call.href("activity", slug=activity.slug) and words(link) == text.title
    said = words(item)
    assert (t("Online", lang) if activity.online else label(activity.venue, lang)) in said
    assert f"{t('For:', lang)} {', '.join(label(g, lang) for g in activity.target_groups)}" in said
    assert t("Drop-in, no registration" if activity.drop_in else "Registration required", lang) in said
    qr = item.select_one("img.qr")
    address = f"https://halsolots.goteborg.example/{call.site.url(lang, 'activity', slug=activity.slug)}"
    assert qr["src"].startswith("data:image/svg+xml;base64,") and address in qr["alt"]
    venue_facts = activity.venue.get("accessibility") if activity.venue else None
    assert (t("Accessibility:", lang) in said) == bool(call.arguments.get("accessibility") and venue_facts)


def check_programme_finder(call, soup):
    arguments, lang, vocabularies = call.arguments, call.lang, call.context["vocabularies"]
    form = soup.select_one("form.finder")
    assert form["method"] == "get" and form["action"] == call.href("finder")  # a real page without JavaScript
    assert form["data-finder"] == call.href("finder_data")
    for name, vocabulary in (("district", vocabularies.districts), ("group", vocabularies.target_groups),
                             ("category", vocabularies.categories)):
        select = form.select_one(f"select[name={name}]")
        assert form.find("label", attrs={"for": select["id"]})
        assert [o["value"] for o in select.find_all("option")] == ["", *vocabulary.ids()]
    chosen = form.select_one("select[name=district] option[selected]")
    assert (chosen["value"] if chosen else None) == arguments.get("district")
    assert [i["value"] for i in form.select("input[name=when]")] == ["", "today", "week", "next"]
    assert [i["value"] for i in form.select("input[name=day]")] == [str(day) for day in range(1, 8)]
    assert [i["value"] for i in form.select("input[name=time]")] == ["morning", "afternoon", "evening"]
    assert [i["value"] for i in form.select("input[name=access]")] == vocabularies.accessibility_features.ids()
    assert all(f.legend for f in form.select("fieldset"))
    assert form.select_one(".finder__count")["role"] == "status"
    assert words(form.select_one("button[type=submit]")) == t("Show activities", lang)
    # Sent only by the browser itself (no JavaScript): the server then answers with the choice's static page.
    assert (form.select_one("button[type=submit]")["name"], form.select_one("button[type=submit]")["value"]) == (
        "show", "1")
    assert soup.select_one("[data-finder-results]").has_attr("hidden")


CHECKS = {
    "programme_finder": check_programme_finder,
    "referral_item": check_referral_item,
    "activity_facts": check_activity_facts, "schedule_text": check_schedule_text,
    "languages_row": check_languages_row, "activity_summary": check_activity_summary,
    "activity_summaries": check_activity_summaries,
    "subscribe_links": check_subscribe_links, "feed_choice": check_feed_choice, "subscribe_link": check_subscribe_link,
    "add_to_calendar": check_add_to_calendar,
    "film_card": check_film_card, "film_cards": check_film_cards, "health_card": check_health_card,
    "health_cards": check_health_cards, "help_card": check_help_card, "language_switcher": check_language_switcher,
    "occurrence_list": check_occurrence_list, "week_pagination": check_week_pagination,
    "related_activities": check_related_activities, "search_metadata": check_search_metadata,
    "search_ui": check_search_ui, "cancelled_tag": check_status_tag, "draft_tag": check_status_tag,
    "term_links": check_term_links, "theme_links": check_theme_links, "video_player": check_video_player,
    "duration_text": check_duration_text,
}


def test_every_macro_has_its_checks():
    assert {macro for name in NAMES for macro in public_macros(name)} == set(CHECKS)


@pytest.mark.parametrize("name, example, lang", CASES)
def test_example_renders_what_it_should(examples, name, example, lang):
    call = examples.render(name, example, lang)
    soup = BeautifulSoup(call.html, "html.parser")
    check_html(call, soup)
    CHECKS[example["macro"]](call, soup)


@pytest.mark.parametrize("name, example", GLOBAL_CASES)
def test_example_gives_only_the_globals_it_needs(examples, name, example):
    """Each global an example names is read: without it, the example fails to render in one of its languages
    (StrictUndefined; url() without halsolots_site cannot make a Site of the page's context)."""
    from jinja2 import UndefinedError

    for key in example["globals"]:
        reduced = {**example, "globals": {k: v for k, v in example["globals"].items() if k != key}}
        failed = []
        for lang in example["languages"]:
            try:
                examples.render(name, reduced, lang)
            except (UndefinedError, KeyError):
                failed.append(lang)
        assert failed, f"{name}: '{example['name']}' renders without {key}: it does not need it"


def test_a_missing_global_fails_the_render(examples):
    """The strictness the examples rely on: a global the component reads but the example omits is an error."""
    from jinja2 import UndefinedError

    example = {"name": "x", "macro": "theme_links", "languages": ["sv"],
               "arguments": {"themes": [{"term": ["themes", "somn"]}]}}
    site = {"site": "fixture"}
    with pytest.raises(UndefinedError, match="SITEURL"):
        examples.render("theme-links", {**example, "globals": {"halsolots_site": site}}, "sv")
    html = examples.render("theme-links", {**example, "globals": {"SITEURL": "", "halsolots_site": site}}, "sv").html
    assert 'href="/tema/somn/"' in html
